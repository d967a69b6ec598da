package wechat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/content"
)

// ChatPrefix is the channel part of a WeChat chat key: "wx:<openid>".
const ChatPrefix = "wx"

// Defaults of ChannelConfig.
const (
	// DefaultWorkTimeout bounds the handling of one message once it has
	// outlived WeChat's reply window.
	DefaultWorkTimeout = time.Minute
	// DefaultReplyTTL is how long the answer to a delivery is kept for
	// WeChat's retries of it. WeChat retries three times, five seconds
	// apart; two minutes is ample and keeps reply texts in memory briefly.
	DefaultReplyTTL = 2 * time.Minute
	// DefaultMaxReplies bounds the answers kept for retries. At most
	// MaxTextReply bytes each, 4096 of them are under 10 MB.
	DefaultMaxReplies = 4096
)

// ChannelConfig is what a Channel needs.
type ChannelConfig struct {
	Engine *bot.Engine
	Store  bot.Store // the engine's store, for the chat's outbox
	// TelegramBot is the username of the Telegram bot that runs travel
	// check-ins, without "@". The trip entry on WeChat links to it; empty:
	// the person is told that check-ins need Telegram, without a link.
	TelegramBot string
	// WorkTimeout bounds the handling of one message; zero means
	// DefaultWorkTimeout.
	WorkTimeout time.Duration
	// ReplyTTL and MaxReplies bound the answers kept for retries; zero
	// means DefaultReplyTTL and DefaultMaxReplies.
	ReplyTTL   time.Duration
	MaxReplies int
	// Now is the clock of the answer cache; nil means time.Now.
	Now func() time.Time
}

// Channel answers WeChat messages with the engine. Its Reply method is the
// Replier of a Handler.
//
// A message becomes a bot.Update of chat "wx:<openid>" whose ID is DedupKey,
// so the engine's processed-update mark stops a retried delivery from
// running a step twice. The engine writes its answer into the outbox; the
// channel takes the chat's messages from there and renders them as one
// passive reply (plain text, the last prompt's choices numbered, at most
// MaxTextReply bytes, the rest kept for "0"). When WeChat's window closes
// first, the messages stay in the outbox and go out with the person's next
// reply: this is how a late reply is kept, without a customer-service API.
//
// Messages of one chat are handled one at a time, in arrival order; chats
// run concurrently.
type Channel struct {
	engine      *bot.Engine
	store       bot.Store
	telegramBot string
	workTimeout time.Duration
	locks       chatLocks
	replies     *replyCache
}

// NewChannel returns a channel and registers on the engine what it needs:
// the "wx" buttons the channel presses for menu clicks and the trip entry,
// and the "/start w_…" link that carries a WeChat user over to Telegram.
// Like every registration, it must happen before the engine handles
// updates.
func NewChannel(cfg ChannelConfig) (*Channel, error) {
	if cfg.Engine == nil || cfg.Store == nil {
		return nil, errors.New("wechat: building channel: engine and store are required")
	}
	if cfg.TelegramBot != "" && !validBotName(cfg.TelegramBot) {
		return nil, fmt.Errorf("wechat: building channel: %q is not a Telegram bot username (5–32 letters, digits or _)", cfg.TelegramBot)
	}
	c := &Channel{
		engine:      cfg.Engine,
		store:       cfg.Store,
		telegramBot: cfg.TelegramBot,
		workTimeout: cfg.WorkTimeout,
		replies:     newReplyCache(cfg.ReplyTTL, cfg.MaxReplies, cfg.Now),
	}
	if c.workTimeout <= 0 {
		c.workTimeout = DefaultWorkTimeout
	}
	cfg.Engine.RegisterButton(buttonPrefix, c.press)
	RegisterLanding(cfg.Engine)
	return c, nil
}

// Reply is the channel's Replier: it hands the message to the engine and
// returns the chat's reply. See Channel.
func (c *Channel) Reply(ctx context.Context, m Message) (string, error) {
	u, ok := toUpdate(m)
	if !ok {
		return "", nil // an event that asks for no answer
	}
	if r, ok := c.replies.get(u.ID); ok {
		return r, nil // a retry of a delivery answered already
	}
	// The person's message must be handled even when the reply misses
	// WeChat's window, so the work runs on a context that outlives the
	// reply deadline; only the taking of the reply waits for ClaimReply.
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.workTimeout)
	defer cancel()
	unlock, err := c.locks.lock(work, u.Chat)
	if err != nil {
		return "", fmt.Errorf("waiting for the chat's previous message: %w", err)
	}
	defer unlock()
	if r, ok := c.replies.get(u.ID); ok {
		return r, nil // a concurrent retry answered it while we waited
	}

	if isZero(u.Text) {
		reply, more, err := c.more(ctx, work, u)
		if err != nil || more {
			return reply, err
		}
	}
	if err := c.intercept(work, &u); err != nil {
		return "", err
	}
	if _, err := c.engine.Handle(work, u); err != nil {
		return "", err
	}
	// A duplicate (Outcome.Duplicate) whose answer is no longer cached, after
	// a restart, falls through: it gets whatever is still queued.
	if !ClaimReply(ctx) {
		return "", context.Cause(ctx) // the reply stays queued for next time
	}
	reply, err := c.take(work, u.Chat, "")
	if err != nil {
		return "", err
	}
	c.replies.put(u.ID, reply)
	return reply, nil
}

// more answers "0" with the next part of a reply that was too long. It
// reports more=false, and does nothing, when nothing is queued for the
// chat: "0" then goes to the engine like any text.
func (c *Channel) more(ctx, work context.Context, u bot.Update) (reply string, more bool, err error) {
	var queued bool
	err = c.store.View(work, func(tx bot.Tx) error {
		msgs, err := chatOutbox(tx, u.Chat)
		queued = len(msgs) > 0
		return err
	})
	if err != nil || !queued {
		return "", false, err
	}
	if !ClaimReply(ctx) {
		return "", true, context.Cause(ctx)
	}
	// The take marks the delivery processed in the same transaction, so
	// that a retry of this "0" never takes a second part.
	if reply, err = c.take(work, u.Chat, u.ID); err != nil {
		return "", true, err
	}
	c.replies.put(u.ID, reply)
	return reply, true, nil
}

// take removes the chat's queued messages that fit in one reply, and
// returns that reply. A message cut in two keeps its rest in the outbox. With
// markID, the delivery is marked processed in the same transaction, unless it
// was already, and then nothing is taken.
func (c *Channel) take(ctx context.Context, chat, markID string) (string, error) {
	cat := c.engine.Assets().Text
	var reply string
	err := c.store.Update(ctx, func(tx bot.Tx) error {
		reply = ""
		if markID != "" {
			seen, err := tx.Seen(markID)
			if err != nil || seen {
				return err
			}
			if err := tx.MarkSeen(markID, time.Now().UTC()); err != nil {
				return err
			}
		}
		msgs, err := chatOutbox(tx, chat)
		if err != nil || len(msgs) == 0 {
			return err
		}
		var lang string
		var prompt []string
		if s, err := tx.Session(chat); err == nil {
			lang, prompt = s.Lang, s.Prompt
			if lang == "" {
				lang = s.Hint
			}
		} else if !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		p := fit(msgs, prompt, MaxTextReply, cat.Text(lang, "wechat.more", nil))
		for _, m := range msgs[:p.taken] {
			if err := tx.Dequeue(ChatPrefix, m.Seq); err != nil {
				return err
			}
		}
		if p.rest != nil {
			if err := tx.PutMessage(p.rest); err != nil {
				return err
			}
		}
		reply = p.text
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("taking the reply from the outbox: %w", err)
	}
	return reply, nil
}

// chatOutbox lists the queued messages of one WeChat chat, oldest first.
// The "wx" outbox holds only replies that missed their window and the rest
// of long replies, so reading all of it is cheap.
func chatOutbox(tx bot.Tx, chat string) ([]bot.Message, error) {
	all, err := tx.Outbox(ChatPrefix, 0)
	if err != nil {
		return nil, err
	}
	mine := all[:0]
	for _, m := range all {
		if m.Chat == chat {
			mine = append(mine, m)
		}
	}
	return mine, nil
}

// menuCommands maps the keys of a custom menu's click buttons to commands.
// The keys "offer" and "trip" are pressed as buttons (see press).
var menuCommands = map[string]string{
	"start":    "/start",
	"menu":     "/menu",
	"help":     "/help",
	"contacts": "/contacts",
	"language": "/language",
	"sos":      "/sos",
	"cancel":   "/cancel",
	"forget":   "/forget",
}

// toUpdate turns a WeChat message into an engine update; ok is false for
// events that ask for no answer (unsubscribe, a menu link, a location
// report).
func toUpdate(m Message) (u bot.Update, ok bool) {
	u = bot.Update{ID: DedupKey(m), Chat: ChatPrefix + ":" + m.FromUserName}
	if m.CreateTime > 0 {
		u.At = time.Unix(m.CreateTime, 0)
	}
	switch m.MsgType {
	case "text":
		u.Text = m.Content
	case "event":
		switch strings.ToLower(m.Event) {
		case "subscribe":
			u.Text = "/start"
		case "click":
			key := strings.ToLower(strings.TrimSpace(m.EventKey))
			if cmd, ok := menuCommands[key]; ok {
				u.Text = cmd
			} else if key == "offer" || key == "trip" {
				u.Data = buttonPrefix + "." + key
			} else {
				u.Text = "/menu"
			}
		default:
			return bot.Update{}, false
		}
	default:
		// A photo, voice, sticker, location, link…: with neither text nor
		// data, the engine answers that it reads text only
		// (input.unsupported).
	}
	return u, true
}

// intercept turns the ways into travel check-ins that WeChat cannot serve
// into a press of the trip handoff: "/trip", and a typed number that presses
// the trip option of the last prompt. Updates of one chat are handled one at
// a time, so the prompt read here is the one the engine would read.
func (c *Channel) intercept(ctx context.Context, u *bot.Update) error {
	text := strings.TrimSpace(u.Text)
	if text == "" {
		return nil
	}
	if strings.HasPrefix(text, "/") {
		name, _, _ := strings.Cut(text[1:], " ")
		name, _, _ = strings.Cut(name, "@")
		if strings.EqualFold(name, "trip") {
			u.Text, u.Data = "", buttonPrefix+".trip"
		}
		return nil
	}
	n, ok := number(text)
	if !ok || n < 1 {
		return nil
	}
	var data string
	err := c.store.View(ctx, func(tx bot.Tx) error {
		s, err := tx.Session(u.Chat)
		if errors.Is(err, bot.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if n <= len(s.Prompt) {
			data = s.Prompt[n-1]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the chat's last prompt: %w", err)
	}
	if isTripEntry(c.engine.Assets().Content, data) {
		u.Text, u.Data = "", buttonPrefix+".trip"
	}
	return nil
}

// isTripEntry reports whether button data is a flow option that leads into
// travel check-ins: the "trip" option of the main menu, or any option whose
// next is the "trip" flow.
func isTripEntry(c *content.Content, data string) bool {
	p := strings.Split(data, ".")
	if len(p) != 5 || p[0] != "1" {
		return false
	}
	flow, step, opt := p[1], p[3], p[4]
	if flow == "main" && opt == "trip" {
		return true
	}
	f := c.Flows[flow]
	if f == nil {
		return false
	}
	st := f.Step(step)
	if st == nil {
		return false
	}
	for _, o := range st.Options {
		if o.ID != opt {
			continue
		}
		next := o.Next
		if next == "" {
			next = st.Next
		}
		ref, ok := content.FlowRef(next)
		return ok && ref == "trip"
	}
	return false
}

// isZero reports whether text is the digit zero in any script ("0", "０").
func isZero(text string) bool {
	n, ok := number(strings.TrimSpace(text))
	return ok && n == 0
}

// number reads a short typed number in any script's digits, as the engine
// does for button numbers.
func number(text string) (int, bool) {
	if text == "" || len(text) > 16 {
		return 0, false
	}
	n := 0
	for _, r := range text {
		if !unicode.IsDigit(r) {
			return 0, false
		}
		base := r
		for unicode.IsDigit(base - 1) {
			base--
		}
		n = n*10 + int(r-base)%10
	}
	return n, true
}
