package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

type webhookState struct {
	url        string
	secret     string
	maxConn    int
	ipAddress  string
	allowed    []string
	lastErrAt  int64
	lastErrMsg string
	delivered  int
	running    bool // a delivery goroutine is running
}

// webhookRetry is the pause after a failed delivery.
const webhookRetry = 100 * time.Millisecond

func validSecret(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// setWebhook switches the fake to push mode: queued updates are POSTed,
// in order and one at a time, to the URL, with the secret token in
// X-Telegram-Bot-Api-Secret-Token. Unlike Telegram it accepts plain http,
// and unlike Telegram it delivers only to loopback addresses.
func (s *Server) setWebhook(_ context.Context, p map[string]string) (any, *apiError) {
	raw := p["url"]
	if raw == "" {
		return s.deleteWebhook(context.Background(), p)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, badRequest("bad webhook: invalid webhook URL specified")
	}
	if host := u.Hostname(); host != "localhost" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return nil, badRequest("bad webhook: telegramtest delivers only to loopback addresses")
		}
	}
	secret, hasSecret := p["secret_token"]
	if hasSecret && !validSecret(secret) {
		return nil, badRequest("secret token contains unallowed characters") // wording approximate
	}
	var allowed []string
	if a := p["allowed_updates"]; a != "" {
		if err := json.Unmarshal([]byte(a), &allowed); err != nil {
			return nil, badRequest("can't parse allowed updates")
		}
	}
	maxConn, _ := strconv.Atoi(p["max_connections"])
	if maxConn == 0 {
		maxConn = 40
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if p["drop_pending_updates"] == "true" {
		s.queue = nil
	}
	same := s.webhook.url == raw && s.webhook.secret == secret
	s.webhook.url, s.webhook.secret = raw, secret
	s.webhook.maxConn, s.webhook.ipAddress = maxConn, p["ip_address"]
	if allowed != nil {
		s.webhook.allowed = allowed
		s.allowed = nil
		if len(allowed) > 0 {
			s.allowed = make(map[string]bool, len(allowed))
			for _, k := range allowed {
				s.allowed[k] = true
			}
		}
	}
	if !s.webhook.running && !s.closed {
		s.webhook.running = true
		s.wg.Add(1)
		go s.deliver()
	}
	s.notifyLocked()
	if same {
		return okResult{true, "Webhook is already set"}, nil
	}
	return okResult{true, "Webhook was set"}, nil
}

func (s *Server) deleteWebhook(_ context.Context, p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p["drop_pending_updates"] == "true" {
		s.queue = nil
	}
	was := s.webhook.url
	s.webhook.url, s.webhook.secret = "", ""
	s.notifyLocked()
	if was == "" {
		return okResult{true, "Webhook is already deleted"}, nil
	}
	return okResult{true, "Webhook was deleted"}, nil
}

func (s *Server) getWebhookInfo(context.Context, map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{
		"url":                    s.webhook.url,
		"has_custom_certificate": false,
		"pending_update_count":   len(s.queue),
	}
	if s.webhook.url != "" {
		info["max_connections"] = s.webhook.maxConn
		if s.webhook.ipAddress != "" {
			info["ip_address"] = s.webhook.ipAddress
		}
		if s.webhook.allowed != nil {
			info["allowed_updates"] = s.webhook.allowed
		}
	}
	if s.webhook.lastErrAt != 0 {
		info["last_error_date"] = s.webhook.lastErrAt
		info["last_error_message"] = s.webhook.lastErrMsg
	}
	return info, nil
}

// WebhookDelivered is the number of updates the webhook accepted (2xx).
func (s *Server) WebhookDelivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook.delivered
}

// deliver posts queued updates to the webhook until it is deleted or the
// server closes.
func (s *Server) deliver() {
	defer s.wg.Done()
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{Proxy: nil, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext},
	}
	defer client.CloseIdleConnections()
	for {
		s.mu.Lock()
		if s.closed || s.webhook.url == "" {
			s.webhook.running = false
			s.mu.Unlock()
			return
		}
		batch := s.pendingLocked(1)
		if len(batch) == 0 {
			ch := s.changed
			s.mu.Unlock()
			s.waitChange(context.Background(), ch)
			continue
		}
		u, target, secret := batch[0], s.webhook.url, s.webhook.secret
		s.mu.Unlock()

		errMsg := post(s.ctx, client, target, secret, u.body)

		s.mu.Lock()
		if errMsg == "" {
			if len(s.queue) > 0 && s.queue[0].id == u.id {
				s.queue = s.queue[1:]
			}
			s.webhook.delivered++
			s.notifyLocked()
			s.mu.Unlock()
			continue
		}
		s.webhook.lastErrAt, s.webhook.lastErrMsg = time.Now().Unix(), errMsg
		s.notifyLocked()
		s.mu.Unlock()
		select {
		case <-time.After(webhookRetry):
		case <-s.ctx.Done():
		}
	}
}

// post delivers one update and returns "" or a getWebhookInfo-style error.
func post(ctx context.Context, client *http.Client, target, secret string, body []byte) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Op == "dial" {
			return "Connection refused"
		}
		return "Connection timed out"
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "Wrong response from the webhook: " + resp.Status
	}
	return ""
}
