package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
	_ "time/tzdata" // trips show local times even where the host has no zoneinfo (scratch images)

	"github.com/homeward-ngo/homeward/bot"
)

// checkinConfig reads the travel check-in settings from the environment;
// unset ones keep bot.DefaultTripConfig's values.
//
//	HOMEWARD_MIN_INTERVAL      shortest check-in interval a trip may choose (1h; tests: seconds)
//	HOMEWARD_DEFAULT_INTERVAL  interval when none was chosen (6h)
//	HOMEWARD_MIN_GRACE         shortest grace period (15m)
//	HOMEWARD_DEFAULT_GRACE     grace period when none was chosen (1h)
//	HOMEWARD_URGENT_AFTER      first alert → URGENT with the action card (2h)
//	HOMEWARD_REPEAT_EVERY      URGENT repeated while no guardian answered (1h)
//	HOMEWARD_MAX_REPEATS       URGENT repeats at most (24)
//	HOMEWARD_EXTENSION         what "I need more time" adds (1h)
//	HOMEWARD_MAX_EXTENSIONS    extensions per trip (2)
//	HOMEWARD_RETENTION_DAYS    days trip data is kept after the trip ends (30)
//	HOMEWARD_INVITE_TTL        how long an invite link works (48h)
//	TELEGRAM_BOT_USERNAME      the Telegram bot's username, for t.me invite links
func checkinConfig(env envFunc) (bot.TripConfig, error) {
	c := bot.DefaultTripConfig()
	durs := []struct {
		key string
		v   *time.Duration
	}{
		{"HOMEWARD_MIN_INTERVAL", &c.MinInterval},
		{"HOMEWARD_DEFAULT_INTERVAL", &c.DefaultInterval},
		{"HOMEWARD_MIN_GRACE", &c.MinGrace},
		{"HOMEWARD_DEFAULT_GRACE", &c.DefaultGrace},
		{"HOMEWARD_URGENT_AFTER", &c.Ladder.UrgentAfter},
		{"HOMEWARD_REPEAT_EVERY", &c.Ladder.Repeat},
		{"HOMEWARD_EXTENSION", &c.Ladder.Extension},
		{"HOMEWARD_INVITE_TTL", &c.InviteTTL},
	}
	for _, d := range durs {
		s := env(d.key)
		if s == "" {
			continue
		}
		v, err := time.ParseDuration(s)
		if err != nil || v <= 0 {
			return c, fmt.Errorf("%s=%q: want a positive duration such as 90s, 30m or 6h", d.key, s)
		}
		*d.v = v
	}
	ints := []struct {
		key string
		v   *int
	}{
		{"HOMEWARD_MAX_REPEATS", &c.Ladder.MaxRepeats},
		{"HOMEWARD_MAX_EXTENSIONS", &c.Ladder.MaxExtensions},
	}
	for _, d := range ints {
		s := env(d.key)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return c, fmt.Errorf("%s=%q: want a whole number of at least 1", d.key, s)
		}
		*d.v = v
	}
	if s := env("HOMEWARD_RETENTION_DAYS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return c, fmt.Errorf("HOMEWARD_RETENTION_DAYS=%q: want a whole number of days, at least 1", s)
		}
		c.Ladder.Retention = time.Duration(v) * 24 * time.Hour
	}
	if c.Ladder.Early > c.MinInterval/2 {
		c.Ladder.Early = c.MinInterval / 2
	}
	if u := env("TELEGRAM_BOT_USERNAME"); u != "" {
		c.LinkBase = "https://t.me/" + u + "?start="
	}
	return c, nil
}

// startCheckins configures travel check-ins and runs their scheduler until
// the returned stop is called (before the store closes). The scheduler
// reports to the ops server — whether it runs (/healthz), the depth of the
// due index and each alert's delay after its deadline (/metrics) — and
// wakes the channels' dispatchers when it has queued messages.
func startCheckins(ctx context.Context, a *app, env envFunc) (stop func(), err error) {
	cfg, err := checkinConfig(env)
	if err != nil {
		return nil, err
	}
	s, err := a.engine.ConfigureTrips(cfg)
	if err != nil {
		return nil, fmt.Errorf("travel check-ins: %w", err)
	}
	s.OnQueued = a.queued.call
	s.OnAlert = a.ops.ObserveAlert
	s.OnDueDepth = a.ops.SetDueDepth
	a.ops.SetScheduler(s.Alive)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Run(ctx); err != nil {
			a.log.Error("check-in scheduler stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}

// queuedHooks are the channels' wake-ups (telegram.Bot.Wake) that the
// check-in scheduler calls after it queued messages, so that an alert
// leaves at once rather than at the dispatcher's next look at the outbox.
// A channel adds its hook when it starts; the scheduler may already run.
type queuedHooks struct {
	mu  sync.Mutex
	fns map[int]func()
	n   int
}

// add registers fn and returns the function that removes it.
func (h *queuedHooks) add(fn func()) (remove func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fns == nil {
		h.fns = map[int]func(){}
	}
	h.n++
	id := h.n
	h.fns[id] = fn
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.fns, id)
	}
}

// call calls every hook.
func (h *queuedHooks) call() {
	h.mu.Lock()
	fns := make([]func(), 0, len(h.fns))
	for _, fn := range h.fns {
		fns = append(fns, fn)
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
