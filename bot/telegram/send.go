package telegram

import (
	"context"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/homeward-ngo/homeward/bot"
)

// giveUpAfter is how long a message that keeps failing with server errors
// or timeouts is retried, counted from when it was queued. Telegram itself
// keeps updates for 24 hours.
const giveUpAfter = 24 * time.Hour

// dispatcher drains the "tg" outbox. One goroutine (run) owns the schedule:
// a mirror of the outbox grouped by chat, each chat's earliest next send,
// and a global pacer; up to Senders goroutines each deliver one message
// and report back. A chat has at most one message in flight, so its
// messages leave in outbox order.
type dispatcher struct {
	b        *Bot
	interval time.Duration // between two sends overall
	chats    map[string]*queue
	inflight int
	pacer    time.Time // the earliest time of the next send
	done     chan result
}

// queue is one chat's part of the outbox.
type queue struct {
	msgs   []bot.Message // oldest first
	busy   bool          // its head is being sent
	nextAt time.Time     // not before: per-chat spacing, retry_after, backoff
}

// result is what became of one delivery.
type result struct {
	chat string
	seq  uint64
	// next replaces the message at the head of the queue (what is left of
	// a long text, or the message with one more attempt); nil: the message
	// is done and leaves the queue, unless keep.
	next *bot.Message
	keep bool          // nothing changed (rate limited, or shutting down)
	wait time.Duration // before the chat's next send
	// reload: the engine queued messages (Undeliverable) or the store is
	// uncertain: read the outbox again.
	reload bool
	fatal  error
}

func newDispatcher(b *Bot) *dispatcher {
	return &dispatcher{
		b:        b,
		interval: time.Second / time.Duration(b.cfg.Rate),
		chats:    make(map[string]*queue),
		done:     make(chan result, b.cfg.Senders),
	}
}

// run delivers until ctx ends or the token is rejected.
func (d *dispatcher) run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	reload, loaded := true, time.Time{}
	for {
		if reload {
			if err := d.load(ctx); err != nil {
				if ctx.Err() != nil {
					return d.drain(nil)
				}
				d.b.log.Error("telegram reading the outbox failed", "err", err)
			}
			reload, loaded = false, time.Now()
		}
		next := d.dispatch(ctx, time.Now())
		recheck := loaded.Add(d.b.cfg.Recheck)
		if next.IsZero() || recheck.Before(next) {
			next = recheck
		}
		timer.Reset(time.Until(next))
		select {
		case <-ctx.Done():
			return d.drain(nil)
		case <-d.b.wake:
			reload = true
		case r := <-d.done:
			d.inflight--
			if r.fatal != nil {
				return d.drain(r.fatal)
			}
			reload = d.apply(r) || reload
		case <-timer.C:
			reload = !time.Now().Before(recheck)
		}
	}
}

// drain waits for the deliveries in flight (ctx has ended, or is about to
// be cancelled by the caller on a fatal error).
func (d *dispatcher) drain(err error) error {
	for ; d.inflight > 0; d.inflight-- {
		r := <-d.done
		if err == nil {
			err = r.fatal
		}
	}
	return err
}

// load reads the outbox into the schedule, keeping each chat's timing and
// in-flight mark.
func (d *dispatcher) load(ctx context.Context) error {
	var msgs []bot.Message
	err := d.b.cfg.Store.View(ctx, func(tx bot.Tx) error {
		var err error
		msgs, err = tx.Outbox(Channel, 0)
		return err
	})
	if err != nil {
		return err
	}
	now := time.Now()
	for key, q := range d.chats {
		q.msgs = q.msgs[:0]
		if !q.busy && !q.nextAt.After(now) {
			delete(d.chats, key)
		}
	}
	for _, m := range msgs {
		q := d.chats[m.Chat]
		if q == nil {
			q = &queue{}
			d.chats[m.Chat] = q
		}
		q.msgs = append(q.msgs, m)
	}
	return nil
}

// dispatch starts every delivery that may start now and returns when the
// next one may (zero: when something wakes it).
func (d *dispatcher) dispatch(ctx context.Context, now time.Time) time.Time {
	for d.inflight < d.b.cfg.Senders {
		key, q := d.pick(now)
		if q == nil {
			break
		}
		slot := d.pacer
		if slot.Before(now.Add(-d.interval)) {
			slot = now // idle: no catching up
		}
		if slot.After(now) {
			return slot
		}
		d.pacer = slot.Add(d.interval)
		q.busy = true
		d.inflight++
		m := q.msgs[0]
		go func() { d.done <- d.deliver(ctx, key, m) }()
	}
	if d.inflight >= d.b.cfg.Senders {
		return time.Time{}
	}
	var next time.Time
	for _, q := range d.chats {
		if !q.busy && len(q.msgs) > 0 && (next.IsZero() || q.nextAt.Before(next)) {
			next = q.nextAt
		}
	}
	return next
}

// pick returns the chat whose head message should go first among those
// that may send now: alerts before replies, then oldest first.
func (d *dispatcher) pick(now time.Time) (string, *queue) {
	var (
		bestKey string
		best    *queue
	)
	for key, q := range d.chats {
		if q.busy || len(q.msgs) == 0 || q.nextAt.After(now) {
			continue
		}
		if best == nil || before(q.msgs[0], best.msgs[0]) {
			bestKey, best = key, q
		}
	}
	return bestKey, best
}

func before(a, b bot.Message) bool {
	if pa, pb := priority(a), priority(b); pa != pb {
		return pa < pb
	}
	return a.Seq < b.Seq
}

func priority(m bot.Message) int {
	switch m.Kind {
	case "urgent", "alert":
		return 0
	}
	return 1
}

// apply records a delivery's result and reports whether to reload.
func (d *dispatcher) apply(r result) bool {
	q := d.chats[r.chat]
	if q == nil {
		return r.reload
	}
	q.busy = false
	q.nextAt = time.Now().Add(r.wait)
	if len(q.msgs) > 0 && q.msgs[0].Seq == r.seq && !r.keep {
		if r.next != nil {
			q.msgs[0] = *r.next
		} else {
			q.msgs = q.msgs[1:]
		}
	}
	return r.reload
}

// deliver sends the next part of m and settles the outbox. A send that
// has started is not cancelled when ctx ends (only bounded by SendTimeout):
// Telegram may have taken it, and only its answer lets the outbox forget it,
// so that a clean shutdown never sends a message twice.
func (d *dispatcher) deliver(ctx context.Context, key string, m bot.Message) result {
	ctx = context.WithoutCancel(ctx)
	b := d.b
	r := result{chat: key, seq: m.Seq, wait: b.cfg.PerChat}
	id, err := chatID(m.Chat)
	if err != nil {
		b.log.Error("telegram dropped a message with a bad chat key", "kind", m.Kind)
		return d.settle(ctx, r, m, nil)
	}
	if id < 0 {
		r.wait = 3 * b.cfg.PerChat // groups: 20 a minute
	}
	if !m.NotAfter.IsZero() && time.Now().After(m.NotAfter) {
		b.log.Info("telegram dropped a message past its time", "kind", m.Kind)
		return d.settle(ctx, r, m, nil)
	}
	part, rest := splitFirst(m.Text, MaxText)
	cfg := tgbotapi.NewMessage(id, part)
	cfg.ParseMode = tgbotapi.ModeHTML
	cfg.DisableWebPagePreview = true
	if rest == "" {
		cfg.ReplyMarkup = keyboard(m.Buttons)
	}
	_, err = b.c.send(ctx, cfg)
	if err != nil && apiCode(err) == http.StatusBadRequest && strings.Contains(description(err), "can't parse entities") {
		// Our HTML is wrong somewhere: better plain words than none.
		b.log.Error("telegram refused the HTML of a message; sending it as plain text", "kind", m.Kind, "ids", strings.Join(m.IDs, ","), "err", err)
		cfg.ParseMode, cfg.Text = "", bot.PlainText(part)
		_, err = b.c.send(ctx, cfg)
	}
	obs := b.cfg.Observer
	switch code := apiCode(err); {
	case err == nil:
		obs.Sent(Channel, m.Kind)
		if rest != "" {
			next := m
			next.Text, next.Attempts = rest, 0
			return d.settle(ctx, r, m, &next)
		}
		return d.settle(ctx, r, m, nil)
	case code == http.StatusTooManyRequests:
		obs.SendFailed(Channel, "rate_limited")
		r.keep = true
		r.wait = max(retryAfter(err), b.cfg.PerChat)
		b.log.Warn("telegram rate limited a chat", "kind", m.Kind, "retry_after", r.wait.String())
		return r
	case code == http.StatusUnauthorized:
		obs.SendFailed(Channel, "error")
		r.keep, r.fatal = true, ErrUnauthorized
		return r
	case code == http.StatusForbidden || code == http.StatusBadRequest && strings.Contains(description(err), "chat not found"):
		obs.SendFailed(Channel, "blocked")
		b.log.Info("telegram recipient cannot be reached", "kind", m.Kind, "err", err)
		if err := b.cfg.Engine.Undeliverable(ctx, m, "blocked"); err != nil {
			b.log.Error("telegram recording an undeliverable message failed", "err", err)
			r.keep, r.wait = true, backoff(1, time.Second, time.Minute)
			return r
		}
		r.reload = true
		return d.settle(ctx, r, m, nil)
	case code == http.StatusBadRequest:
		obs.SendFailed(Channel, "rejected")
		b.log.Error("telegram refused a message; dropping it", "kind", m.Kind, "ids", strings.Join(m.IDs, ","), "err", err)
		return d.settle(ctx, r, m, nil)
	}
	// 5xx, timeouts, connection errors: retry with backoff.
	m.Attempts++
	if time.Since(m.Queued) > giveUpAfter {
		obs.SendFailed(Channel, "gave_up")
		b.log.Error("telegram gave up on a message", "kind", m.Kind, "attempts", m.Attempts, "err", err)
		if err := b.cfg.Engine.Undeliverable(ctx, m, "failed"); err != nil {
			b.log.Error("telegram recording an undeliverable message failed", "err", err)
		}
		r.reload = true
		return d.settle(ctx, r, m, nil)
	}
	obs.SendFailed(Channel, "error")
	r.wait = max(backoff(m.Attempts, time.Second, 5*time.Minute), r.wait)
	b.log.Warn("telegram send failed, retrying", "kind", m.Kind, "attempts", m.Attempts, "retry_in", r.wait.String(), "err", err)
	return d.settle(ctx, r, m, &m)
}

// settle writes what became of m to the outbox: next replaces it, nil
// deletes it. If the store fails, the message stays as it was and is tried
// again (Telegram may then get it twice, which is better than never).
func (d *dispatcher) settle(ctx context.Context, r result, m bot.Message, next *bot.Message) result {
	err := d.b.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if next != nil {
			return tx.PutMessage(next)
		}
		return tx.Dequeue(Channel, m.Seq)
	})
	if err != nil {
		d.b.log.Error("telegram updating the outbox failed", "err", err)
		r.keep, r.reload = true, true
		r.wait = max(r.wait, time.Second)
		return r
	}
	r.next = next
	return r
}

// keyboard turns the engine's buttons into an inline keyboard; nil if none.
func keyboard(rows [][]bot.Button) any {
	if len(rows) == 0 {
		return nil
	}
	kb := make([][]tgbotapi.InlineKeyboardButton, 0, len(rows))
	for _, row := range rows {
		r := make([]tgbotapi.InlineKeyboardButton, 0, len(row))
		for _, btn := range row {
			r = append(r, tgbotapi.NewInlineKeyboardButtonData(btn.Label, btn.Data))
		}
		if len(r) > 0 {
			kb = append(kb, r)
		}
	}
	if len(kb) == 0 {
		return nil
	}
	return tgbotapi.NewInlineKeyboardMarkup(kb...)
}
