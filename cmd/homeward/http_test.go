package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/telegram/telegramtest"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestOpsServer(t *testing.T) {
	a, err := openApp(sources{}, env(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, wait, err := a.ops.serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr

	code, body := get(t, base+"/healthz")
	var h health
	if err := json.Unmarshal([]byte(body), &h); err != nil || code != 200 || h.Status != "ok" || h.Store != "ok" || h.LastSend != "" {
		t.Errorf("healthz: %d %s (%v)", code, body, err)
	}

	// One update queues a reply to a Telegram chat: counted, and in the
	// outbox gauge.
	if _, err := a.engine.Handle(ctx, bot.Update{ID: "tg:u:1", Chat: "tg:42", Text: "/start"}); err != nil {
		t.Fatal(err)
	}
	a.ops.Sent("tg", "reply")
	a.ops.SendFailed("tg", "blocked")
	_, body = get(t, base+"/metrics")
	for _, want := range []string{
		`homeward_updates_handled_total{outcome="ok"} 1`,
		`homeward_messages_sent_total{channel="tg",kind="reply"} 1`,
		`homeward_send_failures_total{channel="tg",reason="blocked"} 1`,
		`homeward_outbox_depth{channel="tg"} 1`,
		`homeward_outbox_depth{channel="wx"} 0`,
		"# TYPE homeward_alert_latency_seconds histogram",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "42") && strings.Contains(body, "tg:42") {
		t.Errorf("/metrics carries a chat id:\n%s", body)
	}
	_, body = get(t, base+"/healthz")
	if !strings.Contains(body, `"last_send":"`) {
		t.Errorf("healthz without the last send: %s", body)
	}

	// A stopped scheduler makes the bot unhealthy.
	a.ops.SetScheduler(func() bool { return false })
	if code, body := get(t, base+"/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"scheduler":"stopped"`) {
		t.Errorf("healthz with a stopped scheduler: %d %s", code, body)
	}

	cancel()
	if err := wait(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// syncBuffer is a bytes.Buffer safe for the goroutines that log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A bot running on Telegram, logging at debug level, writes JSON lines that
// carry neither the chat id, nor what the person wrote, nor the token.
func TestRunLogsNoPersonalData(t *testing.T) {
	const token = "123456:SECRET-token-value"
	srv := telegramtest.New(t, token)
	const chatID = 987654321
	getenv := env(t,
		"TELEGRAM_BOT_TOKEN", token,
		"TELEGRAM_API_ENDPOINT", srv.Endpoint(),
		"HOMEWARD_HTTP_ADDR", "127.0.0.1:0",
		"HOMEWARD_LOG_LEVEL", "debug",
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), io.Discard, &stderr) }()

	srv.PushMessage(chatID, "/start")
	srv.PushMessage(chatID, "They promise 2000 USD a month at a casino near Mae Sot, my name is Aye Aye Khaing")
	if err := srv.WaitCalls(ctx, "sendMessage", 2); err != nil {
		t.Fatal(err)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("run exit %d:\n%s", code, stderr.String())
	}
	logs := stderr.String()
	if !strings.Contains(logs, `"msg":"ops HTTP server listening"`) {
		t.Errorf("no JSON log lines from the run:\n%s", logs)
	}
	for _, secret := range []string{"987654321", "Aye Aye", "Mae Sot", "2000 USD", "SECRET-token"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log carries %q:\n%s", secret, logs)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("not a JSON line: %s", line)
		}
	}
}
