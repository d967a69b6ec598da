package bot

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/homeward-ngo/homeward/bot/checkin"
)

// TripScheduler runs the check-in ladder. It sleeps until the earliest entry
// of the due index (or until a handler writes an earlier one), then, in one
// transaction, pops the due entries, advances each trip and queues its
// messages: after a crash an alert is neither lost nor sent twice.
//
// The hooks let the program that runs it watch it and act on it without
// this package knowing about channels or metrics; set them before Run.
// They are called from Run's goroutine and must be quick.
type TripScheduler struct {
	e *Engine
	b *tripBook
	// Batch is the most entries one transaction advances.
	Batch int
	// Retry is the wait after a failed transaction; zero: 5 seconds.
	Retry time.Duration

	// OnQueued, if set, is called after a transaction that queued
	// messages has committed: the channels' dispatchers can send them at
	// once (telegram.Bot.Wake) instead of at their next look.
	OnQueued func()
	// OnAlert, if set, is told for every missed-check-in alert how long
	// after its deadline (the check-in's due time plus the grace period)
	// it was committed into the outbox.
	OnAlert func(late time.Duration)
	// OnDueDepth, if set, is told the number of entries in the due index
	// when Run starts and then every DepthEvery (zero: a minute), counted
	// in a read transaction of its own, never inside a tick.
	OnDueDepth func(n int)
	// DepthEvery is how often OnDueDepth is told.
	DepthEvery time.Duration

	running atomic.Bool
}

// Alive reports whether Run is running: for a health check. A scheduler
// that runs but falls behind shows in the age of the earliest due entry.
func (s *TripScheduler) Alive() bool { return s.running.Load() }

// dueCounter is the part of a store transaction that counts the due index.
// A store that cannot count is not asked (boltstore can).
type dueCounter interface {
	DueCount() (int, error)
}

// countDue reports the depth of the due index through OnDueDepth.
func (s *TripScheduler) countDue(ctx context.Context) {
	if s.OnDueDepth == nil {
		return
	}
	n, ok := 0, false
	err := s.e.store.View(ctx, func(tx Tx) error {
		c, can := tx.(dueCounter)
		if !can {
			return nil
		}
		var err error
		n, err = c.DueCount()
		ok = err == nil
		return err
	})
	if err != nil {
		s.e.log.Warn("check-in scheduler: counting the due index", "err", err)
		return
	}
	if ok {
		s.OnDueDepth(n)
	}
}

// Run advances trips until ctx is done. It returns nil when ctx is done.
func (s *TripScheduler) Run(ctx context.Context) error {
	retry := s.Retry
	if retry <= 0 {
		retry = 5 * time.Second
	}
	var depth <-chan time.Time // counts the due index, apart from the ticks
	if s.OnDueDepth != nil {
		every := s.DepthEvery
		if every <= 0 {
			every = time.Minute
		}
		t := time.NewTicker(every)
		defer t.Stop()
		depth = t.C
		s.countDue(ctx)
	}
	// Alive only once the first count is told: whoever sees the scheduler
	// running also sees a due depth.
	s.running.Store(true)
	defer s.running.Store(false)
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
	sleep:
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-timer.C:
				break sleep
			case <-s.b.poke:
				break sleep
			case <-depth:
				s.countDue(ctx)
			}
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
	start := time.Now()
	now = now.UTC()
	a := s.e.assets.Load()
	var n, queued int
	var deadlines []time.Time // of the missed-check-in alerts raised
	err := s.e.store.Update(ctx, func(tx Tx) error {
		n, queued, deadlines = 0, 0, deadlines[:0] // a retried transaction starts over
		due, err := tx.PopDue(now, s.batch())
		if err != nil {
			return err
		}
		n = len(due)
		t := s.e.newTurn(tx, &Session{}, Update{At: now}, a)
		for _, d := range due {
			deadline, err := s.advance(t, d)
			if err != nil {
				return fmt.Errorf("advancing a trip (%s): %w", d.Kind, err)
			}
			if !deadline.IsZero() {
				deadlines = append(deadlines, deadline)
			}
		}
		t.send(nil)
		queued = len(t.out)
		return t.flush()
	})
	if err != nil {
		return 0, fmt.Errorf("check-in tick: %w", err)
	}
	if queued > 0 && s.OnQueued != nil {
		s.OnQueued()
	}
	if s.OnAlert != nil {
		committed := now.Add(time.Since(start)) // on the clock the tick was given
		for _, d := range deadlines {
			s.OnAlert(committed.Sub(d))
		}
	}
	return n, nil
}

// ladderStore is the part of a store transaction that reads and writes a
// trip's ladder state alone: a trip with only the fields Advance uses and a
// reminder says (boltstore keeps them in a small record of their own). A
// store without it is read and written whole.
type ladderStore interface {
	TripLadder(id string) (*checkin.Trip, error)
	PutTripLadder(tr *checkin.Trip) error
}

// light reports whether effects need no more of a trip than its ladder
// state: nothing, or a reminder to the traveler.
func light(eff []checkin.Effect) bool {
	for _, e := range eff {
		if e.Kind != checkin.Reminder {
			return false
		}
	}
	return true
}

// advance advances one due trip. Most wake-ups are reminders, which need
// only the trip's ladder state: that is read, advanced and written alone.
// Anything else (an alert, URGENT, a deletion) advances the whole trip. It
// returns the deadline of the missed-check-in alert it raised, if any.
func (s *TripScheduler) advance(t *Turn, d checkin.Due) (alertDeadline time.Time, err error) {
	if ls, ok := t.Tx.(ladderStore); ok {
		tr, err := ls.TripLadder(d.Trip)
		if errors.Is(err, ErrNotFound) {
			return time.Time{}, nil // deleted since: nothing to do
		}
		if err != nil {
			return time.Time{}, err
		}
		// Advance changes only this copy; if it asks for more than a
		// reminder, the copy is dropped and the whole trip read afresh.
		if eff := tr.Advance(t.Now); light(eff) {
			tr.Loc = s.b.loc(tr.Country)
			if _, err := s.b.apply(t, tr, eff, ""); err != nil {
				return time.Time{}, err
			}
			return time.Time{}, ls.PutTripLadder(tr)
		}
	}
	tr, err := s.b.load(t.Tx, d.Trip)
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, nil // deleted since: nothing to do
	}
	if err != nil {
		return time.Time{}, err
	}
	deadline := tr.Due.Add(tr.Policy.Grace)
	eff := tr.Advance(t.Now)
	for _, e := range eff {
		if e.Kind == checkin.Alerting && tr.Alert != nil && tr.Alert.Reason == checkin.Missed {
			alertDeadline = deadline
		}
	}
	purged, err := s.b.apply(t, tr, eff, "")
	if err != nil || purged {
		return time.Time{}, err
	}
	return alertDeadline, t.Tx.PutTrip(tr)
}

// Poke tells the scheduler that something is due at at, for writers outside
// the engine's handlers (which poke it themselves).
func (s *TripScheduler) Poke(at time.Time) { s.b.wake(at) }
