package bot_test

import (
	"context"
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
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.s.Run(ctx) }()
		synctest.Wait()

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
	})
}
