package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestCheckinConfig(t *testing.T) {
	env := envFunc(func(k string) string {
		return map[string]string{
			"HOMEWARD_MIN_INTERVAL":   "30s",
			"HOMEWARD_RETENTION_DAYS": "7",
			"HOMEWARD_MAX_REPEATS":    "3",
			"TELEGRAM_BOT_USERNAME":   "HomewardBot",
		}[k]
	})
	c, err := checkinConfig(env)
	if err != nil {
		t.Fatal(err)
	}
	if c.MinInterval != 30*time.Second || c.Ladder.Retention != 7*24*time.Hour || c.Ladder.MaxRepeats != 3 ||
		c.LinkBase != "https://t.me/HomewardBot?start=" || c.Ladder.Early != 15*time.Second {
		t.Errorf("config %+v", c)
	}
	for k, v := range map[string]string{"HOMEWARD_MIN_GRACE": "soon", "HOMEWARD_RETENTION_DAYS": "0", "HOMEWARD_MAX_EXTENSIONS": "-1", "HOMEWARD_URGENT_AFTER": "-1h"} {
		_, err := checkinConfig(func(key string) string {
			if key == k {
				return v
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: error %v", k, v, err)
		}
	}
}

// TestCheckinsReportToOps: the running scheduler shows in /healthz and the
// due index's depth in /metrics; once stopped, /healthz says so.
func TestCheckinsReportToOps(t *testing.T) {
	e := env(t)
	a, err := openApp(sources{}, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stop, err := startCheckins(ctx, a, e)
	if err != nil {
		t.Fatal(err)
	}
	for {
		h, _ := a.ops.health(ctx)
		if h.Scheduler == "ok" {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the scheduler never showed as running: %+v", h)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var metrics strings.Builder
	if err := a.ops.reg.WriteText(&metrics); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(metrics.String(), "\nhomeward_due_depth 0\n") {
		t.Errorf("no due depth in the metrics:\n%s", metrics.String())
	}
	stop()
	if h, ok := a.ops.health(ctx); ok || h.Scheduler != "stopped" {
		t.Errorf("health after the scheduler stopped: %+v", h)
	}
}

func TestQueuedHooks(t *testing.T) {
	var h queuedHooks
	var a, b int
	h.call() // none yet
	removeA := h.add(func() { a++ })
	h.add(func() { b++ })
	h.call()
	removeA()
	h.call()
	if a != 1 || b != 2 {
		t.Errorf("hooks called a=%d b=%d times, want 1 and 2", a, b)
	}
}
