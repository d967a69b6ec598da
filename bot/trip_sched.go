package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/homeward-ngo/homeward/bot/checkin"
)

// TripScheduler runs the check-in ladder. It sleeps until the earliest entry
// of the due index (or until a handler writes an earlier one), then, in one
// transaction, pops the due entries, advances each trip and queues its
// messages: after a crash an alert is neither lost nor sent twice.
type TripScheduler struct {
	e *Engine
	b *tripBook
	// Batch is the most entries one transaction advances.
	Batch int
	// Retry is the wait after a failed transaction; zero: 5 seconds.
	Retry time.Duration
}

// Run advances trips until ctx is done. It returns nil when ctx is done.
func (s *TripScheduler) Run(ctx context.Context) error {
	retry := s.Retry
	if retry <= 0 {
		retry = 5 * time.Second
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wait, err := s.step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			s.e.log.Error("check-in scheduler", "err", err)
			wait = retry
		}
		if wait == 0 {
			continue // a full batch: more may be due
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-s.b.poke:
		}
	}
}

// idle is how long the scheduler sleeps with nothing due; a handler's poke
// wakes it earlier.
const idle = 24 * time.Hour

// step advances what is due and returns how long to sleep: zero when a full
// batch was advanced and more may be waiting.
func (s *TripScheduler) step(ctx context.Context) (time.Duration, error) {
	// Take the poke before reading the index, so that a key written after
	// the read still shortens this sleep.
	poked := s.b.pokeAt.Swap(0)
	now := time.Now()
	n, err := s.Tick(ctx, now)
	if err != nil {
		if poked != 0 {
			s.b.wake(time.Unix(0, poked))
		}
		return 0, err
	}
	if n >= s.batch() {
		return 0, nil
	}
	var next time.Time
	if err := s.e.store.View(ctx, func(tx Tx) error {
		var err error
		next, err = tx.NextDue()
		return err
	}); err != nil {
		return 0, fmt.Errorf("reading the due index: %w", err)
	}
	if poked != 0 {
		if p := time.Unix(0, poked); next.IsZero() || p.Before(next) {
			next = p
		}
	}
	if next.IsZero() {
		return idle, nil
	}
	wait := time.Until(next)
	if wait <= 0 {
		// Due keys are whole seconds: wait for the second to pass.
		wait = time.Until(next.Truncate(time.Second).Add(time.Second))
	}
	return max(wait, time.Millisecond), nil
}

func (s *TripScheduler) batch() int {
	if s.Batch <= 0 {
		return 500
	}
	return s.Batch
}

// Tick advances every trip due at or before now, up to Batch of them, in
// one transaction, and returns how many entries it popped.
func (s *TripScheduler) Tick(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	a := s.e.assets.Load()
	var n int
	err := s.e.store.Update(ctx, func(tx Tx) error {
		due, err := tx.PopDue(now, s.batch())
		if err != nil {
			return err
		}
		n = len(due)
		t := &Turn{e: s.e, Tx: tx, S: &Session{}, U: Update{At: now}, Now: now, C: a.Content, T: a.Text}
		for _, d := range due {
			if err := s.advance(t, d); err != nil {
				return fmt.Errorf("advancing a trip (%s): %w", d.Kind, err)
			}
		}
		return t.flush()
	})
	if err != nil {
		return 0, fmt.Errorf("check-in tick: %w", err)
	}
	return n, nil
}

func (s *TripScheduler) advance(t *Turn, d checkin.Due) error {
	tr, err := s.b.load(t.Tx, d.Trip)
	if errors.Is(err, ErrNotFound) {
		return nil // deleted since: nothing to do
	}
	if err != nil {
		return err
	}
	purged, err := s.b.apply(t, tr, tr.Advance(t.Now), "")
	if err != nil || purged {
		return err
	}
	return t.Tx.PutTrip(tr)
}

// Poke tells the scheduler that something is due at at, for writers outside
// the engine's handlers (which poke it themselves).
func (s *TripScheduler) Poke(at time.Time) { s.b.wake(at) }
