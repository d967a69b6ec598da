// Package metrics keeps counters, gauges and histograms and writes them in
// the Prometheus text exposition format (version 0.0.4), for /metrics.
//
// It is deliberately small and has no dependency: Homeward needs a dozen
// series, and prometheus/client_golang would bring about ten modules
// (protobuf among them) into a binary that NGOs build and audit.
//
// Label values must never carry personal data: a chat id, a name or a text
// as a label would be kept by every scraper. Use kinds ("reply", "alert"),
// channels ("tg") and reasons ("blocked").
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Registry holds metrics in the order they were registered. It is safe for
// concurrent use.
type Registry struct {
	mu      sync.Mutex
	metrics []metric
	names   map[string]bool
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{names: map[string]bool{}} }

type metric interface {
	write(w *bufio.Writer)
}

func (r *Registry) add(name string, m metric) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic("metrics: " + name + " registered twice")
	}
	r.names[name] = true
	r.metrics = append(r.metrics, m)
}

// series holds values by label values, for counters and gauges.
type series struct {
	name, help, typ string
	labels          []string
	mu              sync.Mutex
	values          map[string]float64 // by label values joined with \xff
	order           []string
}

func (s *series) add(v float64, set bool, labelValues []string) {
	if len(labelValues) != len(s.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", s.name, len(s.labels), len(labelValues)))
	}
	k := strings.Join(labelValues, "\xff")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.values[k]; !ok {
		s.order = append(s.order, k)
	}
	if set {
		s.values[k] = v
	} else {
		s.values[k] += v
	}
}

func (s *series) write(w *bufio.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	header(w, s.name, s.help, s.typ)
	keys := slices.Clone(s.order)
	slices.Sort(keys)
	for _, k := range keys {
		var vals []string
		if len(s.labels) > 0 {
			vals = strings.Split(k, "\xff")
		}
		sample(w, s.name, s.labels, vals, s.values[k])
	}
}

// Counter is a value that only goes up, optionally split by labels.
type Counter struct{ s *series }

// Counter registers a counter. Its name should end in _total.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	c := &Counter{&series{name: name, help: help, typ: "counter", labels: labels, values: map[string]float64{}}}
	r.add(name, c.s)
	return c
}

// Inc adds one for the given label values.
func (c *Counter) Inc(labelValues ...string) { c.s.add(1, false, labelValues) }

// Add adds v (≥ 0) for the given label values.
func (c *Counter) Add(v float64, labelValues ...string) {
	if v < 0 {
		panic("metrics: a counter cannot go down")
	}
	c.s.add(v, false, labelValues)
}

// Value returns the current value for the given label values.
func (c *Counter) Value(labelValues ...string) float64 {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.s.values[strings.Join(labelValues, "\xff")]
}

// Gauge is a value that goes up and down, optionally split by labels.
type Gauge struct{ s *series }

// Gauge registers a gauge.
func (r *Registry) Gauge(name, help string, labels ...string) *Gauge {
	g := &Gauge{&series{name: name, help: help, typ: "gauge", labels: labels, values: map[string]float64{}}}
	r.add(name, g.s)
	return g
}

// Set sets the value for the given label values.
func (g *Gauge) Set(v float64, labelValues ...string) { g.s.add(v, true, labelValues) }

// Value returns the current value for the given label values.
func (g *Gauge) Value(labelValues ...string) float64 {
	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	return g.s.values[strings.Join(labelValues, "\xff")]
}

// Sample is one value of a GaugeFunc, with its label values.
type Sample struct {
	Labels []string
	Value  float64
}

type gaugeFunc struct {
	name, help string
	labels     []string
	f          func() []Sample
}

// GaugeFunc registers a gauge whose samples f computes at every scrape (the
// depth of the outbox, read from the store). f must be quick and safe for
// concurrent use.
func (r *Registry) GaugeFunc(name, help string, labels []string, f func() []Sample) {
	r.add(name, &gaugeFunc{name: name, help: help, labels: labels, f: f})
}

func (g *gaugeFunc) write(w *bufio.Writer) {
	header(w, g.name, g.help, "gauge")
	for _, s := range g.f() {
		sample(w, g.name, g.labels, s.Labels, s.Value)
	}
}

// Histogram counts observations into buckets (latencies, in seconds).
type Histogram struct {
	name, help string
	mu         sync.Mutex
	bounds     []float64
	counts     []uint64 // per bucket, not cumulative
	sum        float64
	count      uint64
}

// Histogram registers a histogram with the given upper bounds, ascending.
func (r *Registry) Histogram(name, help string, bounds []float64) *Histogram {
	if !slices.IsSorted(bounds) {
		panic("metrics: " + name + ": bucket bounds must ascend")
	}
	h := &Histogram{name: name, help: help, bounds: slices.Clone(bounds), counts: make([]uint64, len(bounds)+1)}
	r.add(name, h)
	return h
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	i, _ := slices.BinarySearch(h.bounds, v)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[i]++
	h.sum += v
	h.count++
}

func (h *Histogram) write(w *bufio.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	header(w, h.name, h.help, "histogram")
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i]
		sample(w, h.name+"_bucket", []string{"le"}, []string{formatFloat(b)}, float64(cum))
	}
	sample(w, h.name+"_bucket", []string{"le"}, []string{"+Inf"}, float64(h.count))
	sample(w, h.name+"_sum", nil, nil, h.sum)
	sample(w, h.name+"_count", nil, nil, float64(h.count))
}

func header(w *bufio.Writer, name, help, typ string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, helpEscaper.Replace(help), name, typ)
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func sample(w *bufio.Writer, name string, labels, values []string, v float64) {
	w.WriteString(name)
	if len(labels) > 0 {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			val := ""
			if i < len(values) {
				val = values[i]
			}
			fmt.Fprintf(w, `%s="%s"`, l, labelEscaper.Replace(val))
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteText writes every metric in the Prometheus text format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	list := slices.Clone(r.metrics)
	r.mu.Unlock()
	bw := bufio.NewWriter(w)
	for _, m := range list {
		m.write(bw)
	}
	return bw.Flush()
}

// ContentType is the media type of the text format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Handler serves the registry for GET /metrics.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		_ = r.WriteText(w) // the scraper sees a short body; nothing else to do
	})
}
