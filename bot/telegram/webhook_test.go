package telegram

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestWebhookMode(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	h := newHarness(t, func(c *Config) {
		c.Webhook = &Webhook{URL: "http://" + addr + "/tg/hook", Listen: addr}
	}).start()
	h.srv.PushMessage(801, "/start")
	menu := h.sent(801, 1)[0]
	h.srv.PushCallback(801, menu.MessageID, button(t, menu, "Check a job offer"))
	h.sent(801, 2)
	h.until("the press answered", func() bool { return len(h.srv.Answered()) == 1 })
	if n := h.srv.WebhookDelivered(); n != 2 {
		t.Fatalf("webhook deliveries: %d, want 2", n)
	}
	var secret string
	for _, c := range h.srv.Calls() {
		if c.Method == "setWebhook" {
			secret = c.Params["secret_token"]
		}
	}
	if !validSecret(secret) || len(secret) < 32 {
		t.Fatalf("setWebhook secret_token %q", secret)
	}
}

func TestWebhookHandlerRejects(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	hd := h.bot.webhookHandler(h.ctx, "s3cret")
	for _, tc := range []struct {
		name, method, secret, body string
		want                       int
	}{
		{"get", http.MethodGet, "s3cret", "", http.StatusMethodNotAllowed},
		{"no secret", http.MethodPost, "", `{"update_id":1}`, http.StatusForbidden},
		{"wrong secret", http.MethodPost, "s3creT", `{"update_id":1}`, http.StatusForbidden},
		{"prefix of the secret", http.MethodPost, "s3cre", `{"update_id":1}`, http.StatusForbidden},
		{"not json", http.MethodPost, "s3cret", `<xml/>`, http.StatusBadRequest},
		{"too large", http.MethodPost, "s3cret", `{"update_id":1,"x":"` + strings.Repeat("a", maxUpdateBody) + `"}`, http.StatusRequestEntityTooLarge},
		{"unsupported kind", http.MethodPost, "s3cret", `{"update_id":2,"poll":{"id":"1"}}`, http.StatusOK},
		{"message", http.MethodPost, "s3cret", `{"update_id":3,"message":{"message_id":1,"date":1,"chat":{"id":802,"type":"private"},"from":{"id":802,"is_bot":false,"first_name":"T"},"text":"/help"}}`, http.StatusOK},
	} {
		r := httptest.NewRequestWithContext(context.Background(), tc.method, "/tg/hook", strings.NewReader(tc.body))
		if tc.secret != "" {
			r.Header.Set(SecretHeader, tc.secret)
		}
		w := httptest.NewRecorder()
		hd.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.want)
		}
	}
	if us := h.rec.Updates(); len(us) != 1 || us[0].Text != "/help" || us[0].Chat != "tg:802" {
		t.Fatalf("engine got %+v", us)
	}
	if len(h.outbox()) != 1 {
		t.Fatal("the answer to /help is not queued")
	}
}
