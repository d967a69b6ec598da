package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/bot/telegram/telegramtest"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

const testToken = "123456789:AAH-secret_TEST-token-abcdefghijklmnop"

// loadAssets loads the real, embedded content and translations.
func loadAssets(t testing.TB) bot.Assets {
	t.Helper()
	a, err := bot.LoadAssets(content.Files, locales.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// recorder is the real engine, with the updates and undeliverable
// messages it was given recorded, and an optional gate that holds Handle.
type recorder struct {
	*bot.Engine
	gate chan struct{} // nil: no waiting

	mu            sync.Mutex
	updates       []bot.Update
	undeliverable []string // chat + " " + reason
}

func (r *recorder) Handle(ctx context.Context, u bot.Update) (bot.Outcome, error) {
	if r.gate != nil {
		select {
		case <-r.gate:
		case <-ctx.Done():
			return bot.Outcome{}, ctx.Err()
		}
	}
	r.mu.Lock()
	r.updates = append(r.updates, u)
	r.mu.Unlock()
	return r.Engine.Handle(ctx, u)
}

func (r *recorder) Undeliverable(ctx context.Context, m bot.Message, reason string) error {
	r.mu.Lock()
	r.undeliverable = append(r.undeliverable, m.Chat+" "+reason)
	r.mu.Unlock()
	return r.Engine.Undeliverable(ctx, m, reason)
}

func (r *recorder) Updates() []bot.Update {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Update(nil), r.updates...)
}

func (r *recorder) Undelivered() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.undeliverable...)
}

// observer counts deliveries by "sent/<kind>" and "failed/<reason>".
type observer struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *observer) Sent(ch, kind string)         { o.add(ch + " sent " + kind) }
func (o *observer) SendFailed(ch, reason string) { o.add(ch + " failed " + reason) }
func (o *observer) add(k string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[k]++
}
func (o *observer) count(k string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n[k]
}

// logBuffer collects JSON log lines, safely for concurrent writers.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// harness is a Bot running against the fake server, with a real engine on
// a bbolt file.
type harness struct {
	t    *testing.T
	srv  *telegramtest.Server
	db   *boltstore.DB
	rec  *recorder
	obs  *observer
	bot  *Bot
	logs *logBuffer
	ctx  context.Context

	cancel context.CancelFunc
	done   chan error
}

// newHarness builds the bot; start runs it.
func newHarness(t *testing.T, opts ...func(*Config)) *harness {
	t.Helper()
	srv := telegramtest.New(t, testToken)
	db := storetest.Open(t)
	eng, err := bot.New(bot.Config{Store: db, Assets: loadAssets(t)})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: srv, db: db, rec: &recorder{Engine: eng}, obs: &observer{n: map[string]int{}}, logs: &logBuffer{}}
	cfg := Config{
		Token:       testToken,
		Endpoint:    srv.Endpoint(),
		Engine:      h.rec,
		Observer:    h.obs,
		Store:       db,
		Text:        eng.Assets().Text,
		Log:         slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PollTimeout: 2 * time.Second,
		SendTimeout: 5 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	h.ctx = ctx
	b, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.bot = b
	t.Cleanup(func() {
		if strings.Contains(h.logs.String(), testToken) || strings.Contains(h.logs.String(), "AAH-secret") {
			t.Errorf("the token is in the logs:\n%s", h.logs.String())
		}
	})
	return h
}

func (h *harness) start() *harness {
	h.t.Helper()
	ctx, cancel := context.WithCancel(h.ctx)
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
	h.t.Cleanup(func() { h.stop() })
	return h
}

// stop ends Run and returns its error.
func (h *harness) stop() error {
	if h.cancel == nil {
		return nil
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		return err
	case <-time.After(30 * time.Second):
		h.t.Fatal("Run did not return after its context ended")
		return nil
	}
}

// wait waits for Run to end by itself.
func (h *harness) wait() error {
	h.t.Helper()
	select {
	case err := <-h.done:
		h.cancel = nil
		return err
	case <-h.ctx.Done():
		h.t.Fatal("Run did not return")
		return nil
	}
}

// sent waits until chat got n messages and returns them.
func (h *harness) sent(chat int64, n int) []telegramtest.SentMessage {
	h.t.Helper()
	for {
		got := h.srv.SentTo(chat)
		if len(got) >= n {
			return got
		}
		if _, err := h.srv.WaitSent(h.ctx, len(h.srv.Sent())+1); err != nil {
			h.t.Fatalf("chat %d got %d of %d messages: %v\nlogs:\n%s", chat, len(got), n, err, h.logs.String())
		}
	}
}

// outbox returns the queued Telegram messages.
func (h *harness) outbox() []bot.Message {
	h.t.Helper()
	var out []bot.Message
	err := h.db.View(h.ctx, func(tx bot.Tx) error {
		var err error
		out, err = tx.Outbox(Channel, 0)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// enqueue puts messages straight into the outbox and wakes the dispatcher.
func (h *harness) enqueue(ms ...bot.Message) {
	h.t.Helper()
	err := h.db.Update(h.ctx, func(tx bot.Tx) error {
		for i := range ms {
			if ms[i].Queued.IsZero() {
				ms[i].Queued = time.Now().UTC()
			}
			if err := tx.Enqueue(&ms[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.bot.Wake()
}

// until polls cond, waiting for any change on the fake server between
// tries, until it holds or the test's time runs out.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	for !cond() {
		ctx, cancel := context.WithTimeout(h.ctx, 50*time.Millisecond)
		err := h.srv.WaitCalls(ctx, "", 1<<30)
		cancel()
		if h.ctx.Err() != nil {
			h.t.Fatalf("waiting for %s: %v\nlogs:\n%s", what, err, h.logs.String())
		}
	}
}

// button finds the callback data of the button labelled label.
func button(t *testing.T, m telegramtest.SentMessage, label string) string {
	t.Helper()
	for _, row := range m.Keyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q in %q", label, m.Keyboard)
	return ""
}
