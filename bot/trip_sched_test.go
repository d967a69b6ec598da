package bot_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
)

// TestSchedulerLadderInFakeTime runs the real scheduler loop over a real
// bbolt file in a synctest bubble: 43 days of fake time pass in well under a
// second. The scheduler starts idle (nothing due), so the first reminder
// also shows that a handler's new due entry wakes it.
func TestSchedulerLadderInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := storetest.Open(t)
		w := newWorld(t, db)
		var hooks schedHooks
		w.s.OnQueued, w.s.OnAlert, w.s.OnDueDepth = hooks.queued, hooks.alert, hooks.depth
		w.s.DepthEvery = time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.s.Run(ctx) }()
		synctest.Wait()
		if !w.s.Alive() {
			t.Fatal("the scheduler does not say it is alive while it runs")
		}

		w.now = time.Now()
		setUp(w, guardian)
		start := time.Now()
		wait := func(d time.Duration) map[string][]bot.Message {
			t.Helper()
			time.Sleep(d - time.Since(start))
			synctest.Wait()
			return w.drain()
		}

		if got := wait(6*time.Hour - time.Second); len(got) > 0 {
			t.Fatalf("before the deadline: %v", got)
		}
		got := wait(6 * time.Hour)
		if !has(got[traveler], "trip.reminder") || len(got[guardian]) > 0 {
			t.Fatalf("at the deadline: %v", got)
		}
		if got := wait(7*time.Hour - time.Second); len(got) > 0 {
			t.Fatalf("in the grace period: %v", got)
		}
		got = wait(7 * time.Hour)
		if !has(got[guardian], "trip.alert.missed") || len(got[traveler]) > 0 {
			t.Fatalf("grace over: %v", got)
		}
		// In fake time the scheduler wakes exactly at the deadline and a
		// tick takes no time: the alert's delay is zero. Both ticks that
		// queued messages woke the channels; the due index held the trip.
		if q, late, depths := hooks.get(); q != 2 || len(late) != 1 || late[0] != 0 || len(depths) < 7 || depths[0] != 0 || depths[6] != 1 {
			t.Fatalf("hooks: %d OnQueued, alert delays %v, due depths %v", q, late, depths)
		}
		// Nobody acknowledges: URGENT after 2 hours, then hourly, 24
		// repeats, and nothing to the traveler all along.
		got = wait(48 * time.Hour)
		urgent := 0
		for _, m := range got[guardian] {
			if m.Kind == "urgent" {
				urgent++
			}
		}
		if urgent != 25 || len(got[traveler]) > 0 {
			t.Fatalf("URGENT messages: %d (want 1 + 24 repeats); to the traveler: %d", urgent, len(got[traveler]))
		}
		// The trip ended 3 days in; 30 days later it is gone, with its
		// due entry.
		if got := wait((3+30)*24*time.Hour - time.Hour); len(got) > 0 {
			t.Fatalf("after the repeats: %v", got)
		}
		var next time.Time
		var links int
		_ = db.View(ctx, func(tx bot.Tx) error {
			next, _ = tx.NextDue()
			l, _ := tx.ChatTrips(traveler)
			links = len(l)
			return nil
		})
		if next.IsZero() || links == 0 {
			t.Fatalf("trip gone too early (next %v, links %d)", next, links)
		}
		wait((3+30)*24*time.Hour + 2*time.Hour)
		_ = db.View(ctx, func(tx bot.Tx) error {
			next, _ = tx.NextDue()
			l, _ := tx.ChatTrips(traveler)
			links = len(l)
			return nil
		})
		if !next.IsZero() || links != 0 {
			t.Fatalf("trip not deleted after retention (next due %v, links %d)", next, links)
		}
		if grep(t, db, "Mae Sot") != "" {
			t.Fatal("trip data left after retention")
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if w.s.Alive() {
			t.Fatal("the scheduler says it is alive after Run returned")
		}
	})
}

// schedHooks records what the scheduler's hooks were told.
type schedHooks struct {
	mu     sync.Mutex
	nq     int
	late   []time.Duration
	depths []int
}

func (h *schedHooks) queued() { h.mu.Lock(); h.nq++; h.mu.Unlock() }
func (h *schedHooks) alert(d time.Duration) {
	h.mu.Lock()
	h.late = append(h.late, d)
	h.mu.Unlock()
}
func (h *schedHooks) depth(n int) { h.mu.Lock(); h.depths = append(h.depths, n); h.mu.Unlock() }
func (h *schedHooks) get() (int, []time.Duration, []int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.nq, slices.Clone(h.late), slices.Clone(h.depths)
}
