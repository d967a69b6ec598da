// Package telegram is Homeward's Telegram channel. It wraps
// go-telegram-bot-api v5.5.1, which is used for its types and its request
// encoding only, because the library on its own confirms updates before
// they are handled, ignores retry_after, has no webhook secret and puts the
// token in its error texts.
//
// Receiving: a long-poll loop of its own (or a webhook) hands each update to
// the engine, whose transaction commits the update's processed mark with
// its effects; only then is the update confirmed to Telegram. A crash
// replays at most the update in flight, which the engine then skips.
//
// Sending: a dispatcher drains the outbox of channel "tg" within Telegram's
// limits — one message a second per chat, about 25 a second in all —
// honouring retry_after per chat without holding up other chats, retrying
// server errors with backoff, and telling the engine about recipients who
// blocked the bot. A message is deleted from the outbox only once Telegram
// accepted it.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/locales"
)

// Channel is the outbox channel and chat-key prefix of Telegram: "tg:123".
const Channel = "tg"

// Engine is what the channel needs of bot.Engine.
type Engine interface {
	Handle(ctx context.Context, u bot.Update) (bot.Outcome, error)
	Undeliverable(ctx context.Context, m bot.Message, reason string) error
}

// Config configures a Bot. Token, Engine, Store and Text are required.
type Config struct {
	Token string
	// Endpoint is the Bot API URL format, token then method:
	// "http://127.0.0.1:8081/bot%s/%s" for a local Bot API server or an
	// emulator. Empty: tgbotapi.APIEndpoint, api.telegram.org.
	Endpoint string
	Engine   Engine
	Store    bot.Store
	// Text renders the few words the channel says itself (the group line,
	// the command menu).
	Text *locales.Catalog
	Log  *slog.Logger // nil: discard
	// HTTPClient is used for every Bot API call; nil: one with timeouts.
	HTTPClient *http.Client
	// Webhook, when set, receives updates by webhook instead of long polling.
	Webhook *Webhook
	// Observer learns of deliveries, for metrics; nil: none.
	Observer Observer

	// PollTimeout is the long-poll timeout of getUpdates; 0: 30 s.
	PollTimeout time.Duration
	// SendTimeout bounds every other call; 0: 20 s.
	SendTimeout time.Duration
	// PerChat is the least time between two messages to one private chat;
	// 0: 1 s (groups: 3 s, Telegram's 20 a minute).
	PerChat time.Duration
	// Rate is the most messages a second in all; 0: 25.
	Rate int
	// Senders is the most messages in flight at once; 0: 8.
	Senders int
	// Recheck is how often the outbox is read even if nothing woke the
	// dispatcher (messages queued by another part of the program); 0: 2 s.
	Recheck time.Duration
}

// Observer learns what became of deliveries. Calls must be quick.
type Observer interface {
	// Sent: Telegram accepted a message (each part of a long one).
	Sent(channel, kind string)
	// SendFailed: an attempt failed; reason is "rate_limited", "blocked",
	// "rejected", "error" or "gave_up".
	SendFailed(channel, reason string)
}

type nopObserver struct{}

func (nopObserver) Sent(string, string)       {}
func (nopObserver) SendFailed(string, string) {}

// Errors that end Run: nothing the bot can do will fix them.
var (
	// ErrUnauthorized: Telegram rejected the token.
	ErrUnauthorized = errors.New("the bot token was rejected by Telegram (401 Unauthorized): check TELEGRAM_BOT_TOKEN")
	// ErrConflict: another program is polling with the same token.
	ErrConflict = errors.New("another program is receiving updates for this bot (409 Conflict): stop it, only one Homeward may run per token")
)

// Bot is a running Telegram channel. Create it with New, then call Run.
type Bot struct {
	cfg Config
	c   *client
	log *slog.Logger
	me  tgbotapi.User

	wake chan struct{} // poked when messages were queued

	bg      sync.WaitGroup // callback answers and other background calls
	answers chan struct{}  // bounds the background calls

	mu     sync.Mutex
	groups map[int64]time.Time // when each group was last told to go private
	locks  chatLocks
}

// New checks the token with getMe and returns a Bot ready to Run. The
// token never appears in an error it returns.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	if cfg.Token == "" || cfg.Engine == nil || cfg.Store == nil || cfg.Text == nil {
		return nil, errors.New("telegram: token, engine, store and text are required")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = tgbotapi.APIEndpoint
	}
	if strings.Count(cfg.Endpoint, "%s") != 2 || strings.Count(cfg.Endpoint, "%") != 2 {
		return nil, fmt.Errorf("telegram: API endpoint %q: want a URL with two %%s, for the token and the method, such as http://127.0.0.1:8081/bot%%s/%%s", cfg.Endpoint)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 20 * time.Second
	}
	if cfg.PerChat <= 0 {
		cfg.PerChat = time.Second
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 25
	}
	if cfg.Senders <= 0 {
		cfg.Senders = 8
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	if cfg.Recheck <= 0 {
		cfg.Recheck = 2 * time.Second
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = newHTTPClient(cfg.PollTimeout)
	}
	if cfg.Webhook != nil {
		if err := cfg.Webhook.check(); err != nil {
			return nil, err
		}
	}
	c, err := newClient(ctx, cfg.Token, cfg.Endpoint, cfg.HTTPClient, cfg.SendTimeout)
	if err != nil {
		if apiCode(err) == http.StatusUnauthorized {
			return nil, ErrUnauthorized
		}
		return nil, fmt.Errorf("telegram: checking the token with getMe: %w", err)
	}
	return &Bot{
		cfg:     cfg,
		c:       c,
		log:     cfg.Log,
		me:      c.api.Self,
		wake:    make(chan struct{}, 1),
		answers: make(chan struct{}, 8),
		groups:  make(map[int64]time.Time),
	}, nil
}

// Username is the bot's username, as getMe reported it.
func (b *Bot) Username() string { return b.me.UserName }

// Wake tells the dispatcher that messages were queued. Other parts of the
// program that queue Telegram messages may call it; without it the
// dispatcher finds them within Config.Recheck.
func (b *Bot) Wake() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// Run receives and sends until ctx ends (then it returns nil) or Telegram
// says the bot cannot go on (ErrUnauthorized, ErrConflict).
func (b *Bot) Run(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := newDispatcher(b).run(ctx); err != nil {
			cancel(err)
		}
	})
	b.background(ctx, b.setCommands)
	var err error
	if b.cfg.Webhook != nil {
		err = b.serveWebhook(ctx)
	} else {
		err = b.poll(ctx)
	}
	if err != nil {
		cancel(err)
	}
	wg.Wait()
	b.bg.Wait()
	if parent.Err() != nil {
		return nil // asked to stop
	}
	return context.Cause(ctx)
}

// background runs fn in a goroutine that Run waits for, at most
// cap(b.answers) at once.
func (b *Bot) background(ctx context.Context, fn func(context.Context)) {
	select {
	case b.answers <- struct{}{}:
	case <-ctx.Done():
		return
	}
	b.bg.Go(func() {
		defer func() { <-b.answers }()
		fn(ctx)
	})
}

// chatKey is the engine's key of a Telegram chat.
func chatKey(id int64) string { return Channel + ":" + strconv.FormatInt(id, 10) }

// chatID reads a chat key back.
func chatID(key string) (int64, error) {
	rest, ok := strings.CutPrefix(key, Channel+":")
	if !ok {
		return 0, fmt.Errorf("not a Telegram chat key")
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("not a Telegram chat key")
	}
	return id, nil
}

// sleep waits for d or until ctx ends, and reports whether ctx is still
// alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// chatLocks serialises the handling of one chat's updates when they come
// in concurrently (webhook requests).
type chatLocks struct {
	mu sync.Mutex
	m  map[int64]*chatLock
}

type chatLock struct {
	mu   sync.Mutex
	refs int
}

func (l *chatLocks) lock(id int64) (unlock func()) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[int64]*chatLock)
	}
	cl := l.m[id]
	if cl == nil {
		cl = &chatLock{}
		l.m[id] = cl
	}
	cl.refs++
	l.mu.Unlock()
	cl.mu.Lock()
	return func() {
		cl.mu.Unlock()
		l.mu.Lock()
		if cl.refs--; cl.refs == 0 {
			delete(l.m, id)
		}
		l.mu.Unlock()
	}
}
