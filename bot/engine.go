package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/homeward-ngo/homeward/bot/offer"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

// Assets are the content and the words the engine speaks with. They are
// swapped whole (the preview reloads them on every edit), never modified.
type Assets struct {
	Content *content.Content
	Text    *locales.Catalog
	// Reader finds red flags in pasted offer text, with the patterns of
	// Content; nil: pasted text is not read and the guided questions are
	// asked in full.
	Reader OfferReader
}

// Config configures an Engine.
type Config struct {
	Store  Store
	Assets Assets
	Log    *slog.Logger // nil: discard
	// OnHandled, if set, is told the kind of each update's outcome (see
	// observe.go); metrics count them.
	OnHandled func(kind string)
}

// OfferReader finds indicators in the text of an offer. bot/offer
// implements it with the per-language patterns of content/patterns.
type OfferReader interface {
	// Read returns the indicator IDs found in text, each with the snippet
	// that suggested it, and the language it read the text as.
	Read(text string) (found []Found, lang string)
}

// Found is one indicator found in a text, with the words that suggested it.
type Found = offer.Found

// Action is a named Go function that a flow step runs. It returns the name
// of the branch to take ("" for the step's next).
type Action func(t *Turn, s *content.Step) (branch string, err error)

// Validator checks free text typed at a text step and turns it into the
// value stored. It returns ok=false and a message ID that says what is wrong;
// a validator whose message needs data says it itself (t.Say) and returns "".
type Validator func(t *Turn, text string) (value string, ok bool, problem string)

// Command handles a global command ("/help") with its argument.
type Command func(t *Turn, arg string) error

// Engine runs conversations. It is safe for concurrent use; the store's
// transactions serialise what must be.
type Engine struct {
	store      Store
	assets     atomic.Pointer[Assets]
	log        *slog.Logger
	onHandled  func(kind string)
	actions    map[string]Action
	validators map[string]Validator
	commands   map[string]Command
	// buttons handle button data outside flows by prefix ("l" for "l.th").
	buttons map[string]func(t *Turn, data string) error
	// starts handle /start deep-link payloads by prefix ("i" for "i_<token>").
	starts map[string]func(t *Turn, payload string) error
	// forget hooks delete what other parts of the bot keep about a chat.
	forget []func(t *Turn) error
	// undeliverable hooks learn of a message a channel could not deliver.
	undeliverable []func(t *Turn, m Message, reason string) error
}

// New returns an engine with the built-in actions, validators and commands.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil || cfg.Assets.Content == nil || cfg.Assets.Text == nil {
		return nil, errors.New("bot: store, content and text are required")
	}
	e := newEngine()
	e.store, e.log, e.onHandled = cfg.Store, cfg.Log, cfg.OnHandled
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if err := e.SetAssets(cfg.Assets); err != nil {
		return nil, err
	}
	return e, nil
}

// CheckContent reports flow steps that name an action or validator no engine
// has. The lint uses it without opening a store.
func CheckContent(c *content.Content) error {
	return newEngine().CheckFlows(c)
}

// newEngine returns an engine with the built-in actions, validators and
// commands registered, and nothing else set.
func newEngine() *Engine {
	e := &Engine{
		actions:    map[string]Action{},
		validators: map[string]Validator{},
		commands:   map[string]Command{},
		buttons:    map[string]func(*Turn, string) error{},
		starts:     map[string]func(*Turn, string) error{},
	}
	e.registerBuiltins()
	return e
}

// SetAssets swaps the content and words, after checking that every action
// and validator the flows name is registered.
func (e *Engine) SetAssets(a Assets) error {
	if err := e.CheckFlows(a.Content); err != nil {
		return err
	}
	e.assets.Store(&a)
	return nil
}

// Assets returns the assets in use.
func (e *Engine) Assets() Assets { return *e.assets.Load() }

// CheckFlows reports flow steps that name an action or validator the engine
// does not have.
func (e *Engine) CheckFlows(c *content.Content) error {
	var probs []content.Problem
	for _, f := range c.Flows {
		for _, s := range f.Steps {
			if s.Action != "" && e.actions[s.Action] == nil {
				probs = append(probs, content.Problem{File: f.File, Key: "step " + s.ID + ".action", Msg: fmt.Sprintf("no action named %q", s.Action), Error: true})
			}
			if s.Validate != "" && e.validators[s.Validate] == nil {
				probs = append(probs, content.Problem{File: f.File, Key: "step " + s.ID + ".validate", Msg: fmt.Sprintf("no validator named %q", s.Validate), Error: true})
			}
		}
	}
	if len(probs) > 0 {
		return &content.LoadError{Problems: probs}
	}
	return nil
}

// HasAction reports whether an action is registered; HasValidator likewise.
// content.Checker uses them.
func (e *Engine) HasAction(name string) bool    { return e.actions[name] != nil }
func (e *Engine) HasValidator(name string) bool { return e.validators[name] != nil }

// Outcome tells a channel what became of an update beyond the messages
// queued, for what only it can do (answer a Telegram button press).
type Outcome struct {
	Duplicate bool   // the update was handled before; nothing was done
	Stale     bool   // a press on a button that is no longer active
	Notice    string // a short text for the press (Telegram's callback answer)
}

// Handle handles one update in one store transaction: the de-duplication
// mark, the session, the flow step, the actions and every message it queues
// commit together or not at all. Updates of one chat must be handed in in
// order; different chats may be handled concurrently.
func (e *Engine) Handle(ctx context.Context, u Update) (Outcome, error) {
	if u.Chat == "" {
		return Outcome{}, errors.New("bot: update without a chat")
	}
	if u.At.IsZero() {
		u.At = time.Now()
	}
	u.At = u.At.UTC()
	a := e.assets.Load()
	var out Outcome
	err := e.store.Update(ctx, func(tx Tx) error {
		out = Outcome{}
		if u.ID != "" {
			seen, err := tx.Seen(u.ID)
			if err != nil {
				return err
			}
			if seen {
				out.Duplicate = true
				return nil
			}
		}
		s, err := tx.Session(u.Chat)
		if errors.Is(err, ErrNotFound) {
			s = &Session{Chat: u.Chat}
		} else if err != nil {
			return err
		}
		t := e.newTurn(tx, s, u, a)
		if err := t.handle(); err != nil {
			return err
		}
		if !t.forgotten {
			s.Updated = u.At
			if err := tx.PutSession(s); err != nil {
				return err
			}
		}
		if err := t.flush(); err != nil {
			return err
		}
		out.Stale, out.Notice = t.stale, t.notice
		if u.ID != "" {
			return tx.MarkSeen(u.ID, u.At)
		}
		return nil
	})
	e.observe(out, err)
	if err != nil {
		return Outcome{}, fmt.Errorf("handling update for %s: %w", Channel(u.Chat), err)
	}
	return out, nil
}

// Register adds a named action for flows. It must be called before the
// engine handles updates.
func (e *Engine) Register(name string, a Action) { e.actions[name] = a }

// RegisterValidator adds a named validator for text steps.
func (e *Engine) RegisterValidator(name string, v Validator) { e.validators[name] = v }

// RegisterCommand adds a global command, without its slash.
func (e *Engine) RegisterCommand(name string, c Command) { e.commands[name] = c }

// RegisterButton adds a handler for button data "prefix.…" outside flows.
func (e *Engine) RegisterButton(prefix string, h func(t *Turn, data string) error) {
	e.buttons[prefix] = h
}

// RegisterStart adds a handler for /start payloads "prefix_…".
func (e *Engine) RegisterStart(prefix string, h func(t *Turn, payload string) error) {
	e.starts[prefix] = h
}

// OnForget adds a hook that /forget runs to delete what another part of the
// bot keeps about the chat.
func (e *Engine) OnForget(h func(t *Turn) error) { e.forget = append(e.forget, h) }

// OnUndeliverable adds a hook that Undeliverable runs.
func (e *Engine) OnUndeliverable(h func(t *Turn, m Message, reason string) error) {
	e.undeliverable = append(e.undeliverable, h)
}

// Undeliverable tells the engine that a channel gave up on a message
// ("blocked": the person blocked the bot or never started it). In one
// transaction, the hooks may record it and queue messages (telling a
// traveler that a guardian cannot be reached). The Turn is that of the
// message's recipient.
func (e *Engine) Undeliverable(ctx context.Context, m Message, reason string) error {
	a := e.assets.Load()
	return e.store.Update(ctx, func(tx Tx) error {
		s, err := tx.Session(m.Chat)
		if errors.Is(err, ErrNotFound) {
			s = &Session{Chat: m.Chat}
		} else if err != nil {
			return err
		}
		now := time.Now().UTC()
		t := e.newTurn(tx, s, Update{Chat: m.Chat, At: now}, a)
		for _, h := range e.undeliverable {
			if err := h(t, m, reason); err != nil {
				return err
			}
		}
		t.parts, t.ids = nil, nil // nothing is said to the unreachable chat itself
		return t.flush()
	})
}
