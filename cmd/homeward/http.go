package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/metrics"
)

// ops is the operational side of a running bot: the metrics, the health
// check and the HTTP server that serves them (HOMEWARD_HTTP_ADDR, default
// 127.0.0.1:8080). The parts of the bot report to it through its methods,
// wired in this package:
//
//	homeward_updates_handled_total{outcome}          engine (bot.Config.OnHandled): ok, duplicate, stale, error
//	homeward_messages_sent_total{channel,kind}       dispatchers: ops.Sent("tg", m.Kind)
//	homeward_send_failures_total{channel,reason}     dispatchers: ops.SendFailed("tg", "blocked"|"rate_limited"|"server"|"network"|"rejected")
//	homeward_last_send_timestamp_seconds             set by ops.Sent
//	homeward_outbox_depth{channel}                   read from the store at every scrape
//	homeward_outbox_oldest_age_seconds{channel}      read from the store at every scrape
//	homeward_due_depth                               the scheduler: ops.SetDueDepth(n)
//	homeward_due_overdue_seconds                     read from the store (Tx.NextDue) at every scrape
//	homeward_alert_latency_seconds                   the scheduler: ops.ObserveAlert(queued - due)
//
// Labels are kinds, channels and reasons, never a chat, a name or a text.
type ops struct {
	db  bot.Store
	reg *metrics.Registry
	log *slog.Logger

	updates      *metrics.Counter
	sent         *metrics.Counter
	failures     *metrics.Counter
	lastSendTS   *metrics.Gauge
	dueDepth     *metrics.Gauge
	alertLatency *metrics.Histogram

	lastSend  atomic.Int64 // unix nanoseconds of the last accepted send; 0: none yet
	scheduler atomic.Pointer[func() bool]

	mu     sync.Mutex
	mounts []mount
}

// mount is a handler served beside /healthz and /metrics, such as the
// WeChat callback: wechat.go calls a.ops.Mount("/wechat", h).
type mount struct {
	pattern string
	h       http.Handler
}

// outboxChannels are the channels whose outboxes /metrics reports.
var outboxChannels = []string{"tg", "wx"}

// overdueLimit is how late the earliest due check-in may be before /healthz
// says the scheduler is stuck.
const overdueLimit = 5 * time.Minute

func newOps(db bot.Store, log *slog.Logger) *ops {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := metrics.NewRegistry()
	o := &ops{db: db, reg: r, log: log}
	o.updates = r.Counter("homeward_updates_handled_total", "Updates the engine handled, by outcome (ok, duplicate, stale, error).", "outcome")
	o.sent = r.Counter("homeward_messages_sent_total", "Messages a platform accepted, by channel and kind (reply, reminder, alert, urgent, allclear, test).", "channel", "kind")
	o.failures = r.Counter("homeward_send_failures_total", "Failed delivery attempts, by channel and reason.", "channel", "reason")
	o.lastSendTS = r.Gauge("homeward_last_send_timestamp_seconds", "Unix time of the last message a platform accepted.")
	r.GaugeFunc("homeward_outbox_depth", "Messages queued and not yet delivered, by channel.", []string{"channel"}, func() []metrics.Sample {
		return o.outbox(func(n int, _ time.Duration) float64 { return float64(n) })
	})
	r.GaugeFunc("homeward_outbox_oldest_age_seconds", "Age of the oldest queued message, by channel; 0 when empty.", []string{"channel"}, func() []metrics.Sample {
		return o.outbox(func(_ int, age time.Duration) float64 { return age.Seconds() })
	})
	o.dueDepth = r.Gauge("homeward_due_depth", "Entries in the check-in due index, as the scheduler last counted them.")
	r.GaugeFunc("homeward_due_overdue_seconds", "How late the earliest due check-in entry is; 0 when none is late.", nil, func() []metrics.Sample {
		late, _ := o.overdue(context.Background())
		return []metrics.Sample{{Value: late.Seconds()}}
	})
	o.alertLatency = r.Histogram("homeward_alert_latency_seconds", "From the moment a check-in was due to the guardian alert being queued.",
		[]float64{1, 5, 15, 30, 60, 120, 300, 600, 1800})
	return o
}

// handled counts an update; the engine calls it (bot.Config.OnHandled).
func (o *ops) handled(kind string) { o.updates.Inc(kind) }

// Sent records a message a platform accepted.
func (o *ops) Sent(channel, kind string) {
	now := time.Now()
	o.sent.Inc(channel, kind)
	o.lastSend.Store(now.UnixNano())
	o.lastSendTS.Set(float64(now.Unix()))
}

// SendFailed records a failed delivery attempt.
func (o *ops) SendFailed(channel, reason string) { o.failures.Inc(channel, reason) }

// SetDueDepth records the number of entries in the due index.
func (o *ops) SetDueDepth(n int) { o.dueDepth.Set(float64(n)) }

// ObserveAlert records how long after its due time an alert was queued.
func (o *ops) ObserveAlert(d time.Duration) { o.alertLatency.Observe(d.Seconds()) }

// SetScheduler tells /healthz how to ask whether the scheduler runs.
func (o *ops) SetScheduler(alive func() bool) { o.scheduler.Store(&alive) }

// Mount serves h at pattern on the ops server. Call it before serve.
func (o *ops) Mount(pattern string, h http.Handler) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mounts = append(o.mounts, mount{pattern, h})
}

// outbox reads each channel's outbox depth and the age of its oldest message.
func (o *ops) outbox(value func(n int, age time.Duration) float64) []metrics.Sample {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var out []metrics.Sample
	now := time.Now()
	err := o.db.View(ctx, func(tx bot.Tx) error {
		for _, ch := range outboxChannels {
			n, oldest, err := tx.OutboxDepth(ch)
			if err != nil {
				return err
			}
			var age time.Duration
			if n > 0 && !oldest.IsZero() {
				age = now.Sub(oldest)
			}
			out = append(out, metrics.Sample{Labels: []string{ch}, Value: value(n, age)})
		}
		return nil
	})
	if err != nil {
		o.log.Warn("metrics: reading the outbox", "err", err)
	}
	return out
}

// nextDuer is the part of the store that knows the earliest due check-in;
// a store without check-ins does not implement it.
type nextDuer interface {
	NextDue() (time.Time, error)
}

// overdue returns how late the earliest due entry is (0 when none is late,
// or the store has no due index).
func (o *ops) overdue(ctx context.Context) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var late time.Duration
	err := o.db.View(ctx, func(tx bot.Tx) error {
		nd, ok := tx.(nextDuer)
		if !ok {
			return nil
		}
		next, err := nd.NextDue()
		if err != nil || next.IsZero() {
			return err
		}
		late = max(time.Since(next), 0)
		return nil
	})
	return late, err
}

// health is the body of /healthz.
type health struct {
	Status    string `json:"status"`              // "ok" or "unhealthy"
	Store     string `json:"store"`               // "ok" or the error
	Scheduler string `json:"scheduler"`           // "ok", "stopped", "late", or "not running" (no check-ins wired)
	LastSend  string `json:"last_send,omitempty"` // RFC 3339, UTC
	Version   string `json:"version"`
}

func (o *ops) health(ctx context.Context) (health, bool) {
	h := health{Status: "ok", Store: "ok", Scheduler: "not running", Version: version}
	ok := true
	late, err := o.overdue(ctx)
	if err != nil {
		h.Store, ok = err.Error(), false
	}
	if alive := o.scheduler.Load(); alive != nil {
		h.Scheduler = "ok"
		if !(*alive)() {
			h.Scheduler, ok = "stopped", false
		}
	}
	if late > overdueLimit {
		h.Scheduler, ok = "late", false
	}
	if ns := o.lastSend.Load(); ns != 0 {
		h.LastSend = time.Unix(0, ns).UTC().Format(time.RFC3339)
	}
	if !ok {
		h.Status = "unhealthy"
	}
	return h, ok
}

// handler serves /healthz, /metrics and the mounts.
func (o *ops) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		h, ok := o.health(r.Context())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(h)
	})
	mux.Handle("GET /metrics", o.reg.Handler())
	o.mu.Lock()
	for _, m := range o.mounts {
		mux.Handle(m.pattern, m.h)
	}
	o.mu.Unlock()
	return mux
}

// serve listens on addr and serves until ctx is done, then shuts down
// gracefully. It returns once listening (the address actually bound, for
// ":0"), and wait blocks until the server has stopped.
func (o *ops) serve(ctx context.Context, addr string) (bound string, wait func() error, err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("ops HTTP server: %w", err)
	}
	srv := &http.Server{
		Handler:           o.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(o.log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		done <- err
	}()
	stopped := make(chan error, 1)
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := srv.Shutdown(sctx)
			if serr := <-done; err == nil {
				err = serr
			}
			stopped <- err
		case err := <-done:
			stopped <- err
		}
	}()
	o.log.Info("ops HTTP server listening", "addr", ln.Addr().String())
	return ln.Addr().String(), func() error { return <-stopped }, nil
}

// withOps runs fn with the ops server of a running bot listening at
// HOMEWARD_HTTP_ADDR; when fn returns, the server shuts down gracefully.
// Handlers for other channels are mounted on the same server before it
// starts: the WeChat wiring calls a.ops.Mount("/wechat", h) here.
func (a *app) withOps(ctx context.Context, env envFunc, fn func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	_, wait, err := a.ops.serve(ctx, env.or("HOMEWARD_HTTP_ADDR", "127.0.0.1:8080"))
	if err != nil {
		return err
	}
	err = fn(ctx)
	cancel()
	if werr := wait(); werr != nil && err == nil {
		err = fmt.Errorf("ops HTTP server: %w", werr)
	}
	return err
}
