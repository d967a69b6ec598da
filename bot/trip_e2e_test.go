package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/telegram"
	"github.com/homeward-ngo/homeward/bot/telegram/telegramtest"
)

// tgWorld is Homeward as `homeward run` wires it — the engine, the trip
// scheduler and the Telegram channel — over one bbolt file, talking to the
// in-process fake Bot API on 127.0.0.1. The test plays the people through
// the fake; stop and start are a process restart on the same file.
type tgWorld struct {
	t    *testing.T
	ctx  context.Context // the whole test's deadline
	srv  *telegramtest.Server
	path string
	cfg  bot.TripConfig

	db     *boltstore.DB
	cancel context.CancelFunc
	done   chan error
	seen   map[int64]int // messages of each chat already looked at
}

const tgToken = "123456:TRIP-e2e-token"

func newTGWorld(t *testing.T, cfg bot.TripConfig) *tgWorld {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	w := &tgWorld{t: t, ctx: ctx, srv: telegramtest.New(t, tgToken), path: filepath.Join(t.TempDir(), "homeward.db"),
		cfg: cfg, seen: map[int64]int{}}
	t.Cleanup(w.stop)
	return w
}

// start opens the file and runs the channel and the scheduler.
func (w *tgWorld) start() {
	t := w.t
	t.Helper()
	db, err := boltstore.Open(w.path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := bot.New(bot.Config{Store: db, Assets: loadAssets(t)})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := e.ConfigureTrips(w.cfg)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.New(w.ctx, telegram.Config{
		Token: tgToken, Endpoint: w.srv.Endpoint(), Engine: e, Store: db, Text: e.Assets().Text,
		PollTimeout: time.Second, SendTimeout: 5 * time.Second,
		// The dispatcher does not look at the outbox by itself within
		// the test: what the scheduler queues leaves only because it
		// wakes the dispatcher, as `homeward run` wires it.
		PerChat: 10 * time.Millisecond, Recheck: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	sched.OnQueued = tg.Wake
	ctx, cancel := context.WithCancel(w.ctx)
	w.db, w.cancel, w.done = db, cancel, make(chan error, 2)
	go func() { w.done <- tg.Run(ctx) }()
	go func() { w.done <- sched.Run(ctx) }()
}

// stop ends the channel and the scheduler and closes the file.
func (w *tgWorld) stop() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	w.cancel = nil
	for range 2 {
		select {
		case err := <-w.done:
			if err != nil {
				w.t.Errorf("stopping: %v", err)
			}
		case <-time.After(30 * time.Second):
			w.t.Fatal("the channel or the scheduler did not stop")
		}
	}
	for _, err := range w.db.Check() {
		w.t.Errorf("bbolt check: %v", err)
	}
	if err := w.db.Close(); err != nil {
		w.t.Errorf("closing the store: %v", err)
	}
}

// until waits for cond, woken by every change on the fake server.
func (w *tgWorld) until(what string, cond func() bool) {
	w.t.Helper()
	for !cond() {
		ctx, cancel := context.WithTimeout(w.ctx, 100*time.Millisecond)
		_ = w.srv.WaitCalls(ctx, "", 1<<30)
		cancel()
		if w.ctx.Err() != nil {
			var log strings.Builder
			for _, m := range w.srv.Sent() {
				fmt.Fprintf(&log, "\n→ %d: %.160q", m.ChatID, m.Text)
			}
			w.t.Fatalf("waiting for %s: %v; sent:%s", what, w.ctx.Err(), log.String())
		}
	}
}

// next waits for the first message to chat, after those already looked at,
// whose text contains want, and marks it and those before it as seen.
func (w *tgWorld) next(chat int64, want string) telegramtest.SentMessage {
	w.t.Helper()
	var found telegramtest.SentMessage
	w.until(strconv.FormatInt(chat, 10)+" to get "+strconv.Quote(want), func() bool {
		got := w.srv.SentTo(chat)
		for i := w.seen[chat]; i < len(got); i++ {
			if strings.Contains(got[i].Text, want) {
				found, w.seen[chat] = got[i], i+1
				return true
			}
		}
		return false
	})
	return found
}

// since returns the messages to chat after the first n.
func (w *tgWorld) since(chat int64, n int) []telegramtest.SentMessage {
	got := w.srv.SentTo(chat)
	if n > len(got) {
		return nil
	}
	return got[n:]
}

// press presses the button of m whose callback data ends with suffix or
// starts with prefix ("ci.ok.").
func (w *tgWorld) press(chat int64, m telegramtest.SentMessage, match string) {
	w.t.Helper()
	for _, row := range m.Keyboard {
		for _, b := range row {
			if strings.HasSuffix(b.CallbackData, match) || strings.HasPrefix(b.CallbackData, match) {
				w.srv.PushCallback(chat, m.MessageID, b.CallbackData)
				return
			}
		}
	}
	w.t.Fatalf("no button %q on %q (%v)", match, m.Text, m.Keyboard)
}

func count(msgs []telegramtest.SentMessage, want string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, want) {
			n++
		}
	}
	return n
}

// TestTripOnTelegram is travel check-ins end to end on the fake Bot API,
// with two people — a traveler and a guardian — and intervals of seconds:
// /trip, consent, a danger code, the guardian's invite link, acceptance
// and test alert; a missed check-in that reaches the guardian and a late
// one that sends the all-clear; an SOS with the last location, "I'm on it"
// and "They are safe"; a check-in with the danger code that looks normal
// and alerts; and restarts around a due alert — once before it was queued,
// once while it waited in the outbox — that neither lose nor double it.
func TestTripOnTelegram(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for about ten seconds")
	}
	const trav, guard = 1001, 2002
	cfg := bot.TripConfig{MinInterval: time.Second, MinGrace: time.Second}
	cfg.Ladder.UrgentAfter = time.Hour // no URGENT step within the test
	w := newTGWorld(t, cfg)
	w.start()

	// The traveler sets the trip up: check-ins every 2 seconds, alert 2
	// seconds after a missed one.
	w.srv.PushMessage(trav, "/trip")
	m := w.next(trav, "Whose trip")
	w.press(trav, m, ".who.me")
	w.next(trav, "What name")
	w.srv.PushMessage(trav, "Aung")
	w.press(trav, w.next(trav, "nationality"), ".nat.mm")
	w.press(trav, w.next(trav, "Which country"), ".dest.th")
	w.next(trav, "Which city")
	w.srv.PushMessage(trav, "Mae Sot")
	w.next(trav, "How many days")
	w.srv.PushMessage(trav, "3")
	w.press(trav, w.next(trav, "How often"), ".every.other")
	w.next(trav, "Type how often")
	w.srv.PushMessage(trav, "2s")
	w.press(trav, w.next(trav, "how long should I wait"), ".grace.other")
	w.next(trav, "Type how long to wait")
	w.srv.PushMessage(trav, "2 sec")
	consent := w.next(trav, "Before anything starts")
	w.press(trav, consent, "ci.yes.")
	invite := w.next(trav, "Send this link")
	link := inviteRE.FindString(invite.Text)
	if link == "" {
		t.Fatalf("no invite link in %q", invite.Text)
	}

	// A danger code, set before the trip starts.
	w.srv.PushMessage(trav, "/trip")
	w.press(trav, w.next(trav, "What would you like to do"), "ci.code.")
	w.next(trav, "danger code")
	w.srv.PushMessage(trav, "blue bird")
	w.next(trav, "Saved")

	// The guardian opens the link, accepts and confirms the test.
	w.srv.PushMessage(guard, "/start "+link)
	w.press(guard, w.next(guard, "asks you to be a guardian"), "ci.ga.")
	w.press(guard, w.next(guard, "TEST"), "ci.test.")
	w.next(guard, "You will hear from me only if")
	w.next(trav, "Check-ins have started")

	// A missed check-in: the reminder, then the alert to the guardian.
	reminder := w.next(trav, "time to check in")
	w.next(guard, "has not checked in")
	// The late check-in: the reply, and the all-clear.
	w.press(trav, reminder, "ci.ok.")
	normal := w.next(trav, "Next check-in")
	w.next(guard, "All clear")

	// SOS with the last location; one guardian is on it; they are safe.
	w.srv.PushLocation(trav, 16.7128, 98.5747)
	w.next(trav, "last location")
	w.srv.PushMessage(trav, "/sos")
	w.next(trav, "Your guardians have been told")
	sos := w.next(guard, "asked for help")
	if !strings.Contains(sos.Text, "openstreetmap.org/?mlat=16.71280") {
		t.Errorf("SOS alert without the last location: %q", sos.Text)
	}
	w.press(guard, sos, "ci.ack.")
	w.next(guard, "I told the other guardians")
	w.press(guard, sos, "ci.safe.")
	w.next(guard, "All clear")

	// Duress: the reply is that of a normal check-in; the guardian is
	// alerted at once.
	w.srv.PushMessage(trav, "/ok blue bird")
	forced := w.next(trav, "Next check-in")
	if !strings.HasPrefix(forced.Text, "Thank you. Next check-in:") || forced.ReplyMarkup != normal.ReplyMarkup {
		t.Errorf("a check-in with the danger code looks different:\n%q %s\n%q %s", normal.Text, normal.ReplyMarkup, forced.Text, forced.ReplyMarkup)
	}
	duress := w.next(guard, "danger code")
	w.press(guard, duress, "ci.safe.")
	w.next(guard, "All clear")

	// Restart around a due alert. The reminder comes; the bot stops before
	// the alert is due and is down when it falls due: on start the alert
	// goes out (not lost). Telegram then answers the guardian's alert
	// with 429 and a long retry_after, and the bot stops again with the
	// alert still in the outbox: the next start delivers it once.
	from := len(w.srv.SentTo(guard))
	w.next(trav, "time to check in")
	w.stop()
	var due time.Time
	var kind string
	db, err := boltstore.Open(w.path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(w.ctx, func(tx bot.Tx) error {
		links, err := tx.ChatTrips("tg:" + strconv.Itoa(trav))
		if err != nil || len(links) != 1 {
			return fmt.Errorf("the traveler's trips: %v, %v", links, err)
		}
		tr, err := tx.Trip(links[0].Trip)
		if err != nil {
			return err
		}
		due, kind = tr.Wake, tr.WakeKind()
		return nil
	})
	db.Close()
	if err != nil || kind != "grace" {
		t.Fatalf("stopped after the reminder, the trip's next wake-up is %q at %v (%v); want the alert (grace)", kind, due, err)
	}
	time.Sleep(time.Until(due.Add(100 * time.Millisecond))) // the alert falls due while the bot is down
	w.srv.FailNextChat(guard, 1, 429, 3600)
	w.start()
	w.until("the guardian's alert refused with 429", func() bool {
		for _, c := range w.srv.Calls() {
			if c.Method == "sendMessage" && c.Params["chat_id"] == strconv.Itoa(guard) && c.Status == 429 {
				return true
			}
		}
		return false
	})
	w.stop()
	w.start()
	w.next(guard, "has not checked in")
	w.srv.PushMessage(trav, "/ok")
	w.next(trav, "Next check-in")
	w.next(guard, "All clear")
	if n := count(w.since(guard, from), "has not checked in"); n != 1 {
		t.Fatalf("after the restarts the guardian got the alert %d times, want once", n)
	}
	if n := count(w.since(trav, 0), "has not checked in") + count(w.since(trav, 0), "asked for help") + count(w.since(trav, 0), "danger code</b>"); n != 0 {
		t.Errorf("an alert reached the traveler's phone (%d)", n)
	}
	var failed []string
	for _, c := range w.srv.Calls() {
		if c.Status >= 400 && c.Status != 429 {
			failed = append(failed, c.Method+" "+strconv.Itoa(c.Status))
		}
	}
	if len(failed) > 0 {
		t.Errorf("the fake Bot API refused calls: %v", failed)
	}
}
