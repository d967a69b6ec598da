// Package console is the terminal channel: the same engine as Telegram, in a
// terminal, on the bbolt file on disk. It is what runs when no token is
// configured. Buttons are shown numbered; typing the number presses one.
//
// It reads lines until end of input, so a script can drive it:
//
//	printf '/start\n1\n' | homeward
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/homeward-ngo/homeward/bot"
)

// Chat is the chat key of the one person at the terminal.
const Chat = "cli:local"

// Console runs a chat between a terminal and the engine.
type Console struct {
	Engine *bot.Engine
	Store  bot.Store
	In     io.Reader
	Out    io.Writer
	Lang   string // language hint, e.g. from $LANG; may be empty
	// Interactive shows a prompt and greets first, for a person at a
	// terminal rather than a script.
	Interactive bool
}

// MaxLine is the longest line read; longer input is cut, never lost
// silently: the person is told.
const MaxLine = 64 << 10

// Run reads lines until the input ends or ctx is cancelled.
func (c *Console) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 4096), MaxLine)
	if c.Interactive {
		if err := c.send(ctx, "/start"); err != nil {
			return err
		}
	}
	for {
		if c.Interactive {
			fmt.Fprint(c.Out, "> ")
		}
		if !sc.Scan() {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := c.send(ctx, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return fmt.Errorf("reading input: a line is longer than %d KiB", MaxLine>>10)
		}
		return fmt.Errorf("reading input: %w", err)
	}
	return nil
}

// send hands one line to the engine and prints every reply.
func (c *Console) send(ctx context.Context, line string) error {
	// Typed input only: a stale number is answered in the chat itself, so
	// the Outcome's notice (a button press's toast) has nothing to add.
	if _, err := c.Engine.Handle(ctx, bot.Update{Chat: Chat, Hint: c.Lang, Text: line}); err != nil {
		return err
	}
	msgs, err := bot.TakeOutbox(ctx, c.Store, bot.Channel(Chat))
	if err != nil {
		return err
	}
	for _, m := range msgs {
		fmt.Fprint(c.Out, Render(m))
	}
	return nil
}

// Render shows a message as plain text with its buttons numbered.
func Render(m bot.Message) string {
	var b strings.Builder
	b.WriteString(bot.PlainText(m.Text))
	b.WriteString("\n")
	n := 0
	for _, row := range m.Buttons {
		for _, btn := range row {
			n++
			fmt.Fprintf(&b, "  [%d] %s\n", n, btn.Label)
		}
	}
	b.WriteString("\n")
	return b.String()
}
