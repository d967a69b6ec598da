package bot

import (
	"html"
	"strings"
	"time"

	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

// Turn is the handling of one update, inside its transaction. Actions,
// commands and button handlers receive it to read the session and queue
// messages.
type Turn struct {
	e   *Engine
	Tx  Tx
	S   *Session
	U   Update
	Now time.Time
	C   *content.Content
	T   *locales.Catalog

	reader OfferReader

	parts     []string // texts waiting to be sent as one message to S.Chat
	ids       []string
	out       []*Message
	stale     bool
	notice    string
	forgotten bool // the session was deleted by /forget: do not write it back
}

// newTurn starts the handling of u for session s in tx, with the assets a.
func (e *Engine) newTurn(tx Tx, s *Session, u Update, a *Assets) *Turn {
	return &Turn{e: e, Tx: tx, S: s, U: u, Now: u.At, C: a.Content, T: a.Text, reader: a.Reader}
}

// with returns a Turn in the same transaction that speaks to another
// session: a guardian's, to render a message in their language.
func (t *Turn) with(s *Session) *Turn {
	return &Turn{e: t.e, Tx: t.Tx, S: s, U: t.U, Now: t.Now, C: t.C, T: t.T, reader: t.reader}
}

// HTML marks a template value that is already safe HTML (built from rendered
// messages); every other string value is escaped before rendering.
type HTML string

// Text renders a message ID in the session's language.
func (t *Turn) Text(id string, data map[string]any) string {
	return t.TextIn(t.S.lang(), id, data)
}

// TextIn renders a message ID in a given language, escaping every string in
// data that is not HTML.
func (t *Turn) TextIn(lang, id string, data map[string]any) string {
	return t.T.Text(lang, id, escape(data))
}

func escape(data map[string]any) map[string]any {
	if data == nil {
		return nil
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		switch v := v.(type) {
		case string:
			out[k] = html.EscapeString(v)
		case HTML:
			out[k] = string(v)
		default:
			out[k] = v
		}
	}
	return out
}

// Say queues a message ID for the person; consecutive texts without buttons
// go out as one message, which keeps within Telegram's one message a second
// per chat.
func (t *Turn) Say(id string, data map[string]any) {
	t.SayRaw(id, t.Text(id, data))
}

// SayRaw queues an already rendered text, recording id as its source.
func (t *Turn) SayRaw(id, text string) {
	t.parts = append(t.parts, text)
	t.ids = append(t.ids, id)
}

// Ask queues a message ID with buttons, and remembers the buttons so that a
// typed number presses one.
func (t *Turn) Ask(id string, data map[string]any, buttons [][]Button) {
	t.SayRaw(id, t.Text(id, data))
	t.S.Prompt = t.S.Prompt[:0]
	for _, row := range buttons {
		for _, b := range row {
			t.S.Prompt = append(t.S.Prompt, b.Data)
		}
	}
	t.send(buttons)
}

// send turns the pending texts into one message.
func (t *Turn) send(buttons [][]Button) {
	if len(t.parts) == 0 {
		return
	}
	t.out = append(t.out, &Message{
		Chat:    t.S.Chat,
		Text:    strings.Join(t.parts, "\n\n"),
		Buttons: buttons,
		IDs:     t.ids,
		Kind:    "reply",
		Queued:  t.Now,
	})
	t.parts, t.ids = nil, nil
}

// SendTo queues a message to another chat (a guardian), already rendered in
// that chat's language.
func (t *Turn) SendTo(m *Message) {
	t.send(nil)
	if m.Queued.IsZero() {
		m.Queued = t.Now
	}
	t.out = append(t.out, m)
}

// Notice sets the short text a channel shows for a button press.
func (t *Turn) Notice(id string) { t.notice = t.Text(id, nil) }

// flush writes every queued message to the outbox.
func (t *Turn) flush() error {
	t.send(nil)
	for _, m := range t.out {
		if err := t.Tx.Enqueue(m); err != nil {
			return err
		}
	}
	return nil
}

// Lang returns the language the turn speaks in.
func (t *Turn) Lang() string { return t.S.lang() }
