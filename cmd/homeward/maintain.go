package main

import (
	"context"
	"sync"
	"time"
)

// Housekeeping the store needs while the bot runs. None of it is urgent:
// it runs an hour apart, and each pass is split into short transactions.
const (
	maintainEvery = time.Hour
	// seenFor outlasts every platform's redelivery (Telegram: until the
	// offset moves on; WeChat: three tries within 15 seconds).
	seenFor = 48 * time.Hour
	// answersFor is how long the answers of an idle session are kept.
	answersFor = 30 * 24 * time.Hour
	// keptRepliesFor is how long a WeChat reply waits for the person's next
	// message.
	keptRepliesFor = 7 * 24 * time.Hour
)

// startMaintenance runs the housekeeping until ctx ends; the returned stop
// waits for a pass in progress.
func (a *app) startMaintenance(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTimer(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			a.maintainOnce(ctx, time.Now())
			t.Reset(maintainEvery)
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// maintainOnce trims processed-update marks, forgets idle sessions'
// answers and drops WeChat replies nobody came back for. Failures are
// logged and retried on the next pass.
func (a *app) maintainOnce(ctx context.Context, now time.Time) {
	if n, err := a.db.TrimSeen(ctx, now.Add(-seenFor)); err != nil {
		a.log.Warn("maintenance: trimming processed marks", "err", err)
	} else if n > 0 {
		a.log.Info("maintenance: trimmed processed marks", "n", n)
	}
	if n, err := a.db.SweepSessions(ctx, now.Add(-answersFor)); err != nil {
		a.log.Warn("maintenance: sweeping idle sessions", "err", err)
	} else if n > 0 {
		a.log.Info("maintenance: forgot the answers of idle sessions", "n", n)
	}
	if n, err := a.db.DropStale(ctx, "wx", now.Add(-keptRepliesFor)); err != nil {
		a.log.Warn("maintenance: dropping stale WeChat replies", "err", err)
	} else if n > 0 {
		a.log.Info("maintenance: dropped stale WeChat replies", "n", n)
	}
}
