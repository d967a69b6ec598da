package metrics_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/homeward-ngo/homeward/bot/metrics"
)

func TestTextFormat(t *testing.T) {
	r := metrics.NewRegistry()
	c := r.Counter("homeward_updates_handled_total", "Updates handled, by outcome.", "outcome")
	g := r.Gauge("homeward_due_depth", "Entries in the due index.")
	r.GaugeFunc("homeward_outbox_depth", "Queued messages.", []string{"channel"}, func() []metrics.Sample {
		return []metrics.Sample{{Labels: []string{"tg"}, Value: 3}}
	})
	h := r.Histogram("homeward_alert_latency_seconds", "Alert latency.", []float64{1, 10, 60})
	c.Inc("ok")
	c.Inc("ok")
	c.Inc(`we"ird\`)
	g.Set(7)
	h.Observe(0.5)
	h.Observe(10)
	h.Observe(100)
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP homeward_updates_handled_total Updates handled, by outcome.
# TYPE homeward_updates_handled_total counter
homeward_updates_handled_total{outcome="ok"} 2
homeward_updates_handled_total{outcome="we\"ird\\"} 1
# HELP homeward_due_depth Entries in the due index.
# TYPE homeward_due_depth gauge
homeward_due_depth 7
# HELP homeward_outbox_depth Queued messages.
# TYPE homeward_outbox_depth gauge
homeward_outbox_depth{channel="tg"} 3
# HELP homeward_alert_latency_seconds Alert latency.
# TYPE homeward_alert_latency_seconds histogram
homeward_alert_latency_seconds_bucket{le="1"} 1
homeward_alert_latency_seconds_bucket{le="10"} 2
homeward_alert_latency_seconds_bucket{le="60"} 2
homeward_alert_latency_seconds_bucket{le="+Inf"} 3
homeward_alert_latency_seconds_sum 110.5
homeward_alert_latency_seconds_count 3
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestConcurrentCounting(t *testing.T) {
	r := metrics.NewRegistry()
	c := r.Counter("x_total", "x", "k")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				c.Inc("a")
			}
		})
	}
	wg.Go(func() {
		var b strings.Builder
		_ = r.WriteText(&b)
	})
	wg.Wait()
	if got := c.Value("a"); got != 8000 {
		t.Errorf("count = %v, want 8000", got)
	}
}

func TestRegisteringTwicePanics(t *testing.T) {
	r := metrics.NewRegistry()
	r.Counter("a_total", "a")
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	r.Gauge("a_total", "a")
}
