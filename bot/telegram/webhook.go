package telegram

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Webhook configures receiving by webhook. Telegram posts to URL only over
// HTTPS on port 443, 80, 88 or 8443, so the listener usually sits behind a
// reverse proxy that ends TLS.
type Webhook struct {
	URL    string // the public https:// URL Telegram posts updates to
	Listen string // the local address to listen on, e.g. "127.0.0.1:8080"
	// Secret is sent by Telegram in X-Telegram-Bot-Api-Secret-Token: 1–256
	// characters of A-Z a-z 0-9 _ -. Empty: a random one on every start
	// (setWebhook is called on every start anyway).
	Secret string
	// MaxConnections is passed to setWebhook; 0: Telegram's default, 40.
	MaxConnections int
}

// SecretHeader is the header Telegram puts the webhook secret in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBody caps a webhook request. An update is a few kilobytes; a
// text message is at most 4096 characters.
const maxUpdateBody = 1 << 20

func (w *Webhook) check() error {
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("telegram: webhook URL %q: want https://host/path", w.URL)
	}
	if w.Listen == "" {
		return errors.New("telegram: webhook mode needs an address to listen on")
	}
	if w.Secret != "" && !validSecret(w.Secret) {
		return errors.New("telegram: the webhook secret must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return nil
}

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

// serveWebhook listens for updates, registers the webhook with its secret,
// and serves until ctx ends.
func (b *Bot) serveWebhook(ctx context.Context) error {
	w := b.cfg.Webhook
	secret := w.Secret
	if secret == "" {
		var raw [32]byte
		_, _ = rand.Read(raw[:])
		secret = base64.RawURLEncoding.EncodeToString(raw[:])
	}
	u, _ := url.Parse(w.URL)
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, b.webhookHandler(ctx, secret))
	ln, err := net.Listen("tcp", w.Listen)
	if err != nil {
		return fmt.Errorf("telegram: webhook listener: %w", err)
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	p := tgbotapi.Params{"url": w.URL, "secret_token": secret}
	if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return err
	}
	if w.MaxConnections > 0 {
		p["max_connections"] = strconv.Itoa(w.MaxConnections)
	}
	if _, err := b.c.raw(ctx, "setWebhook", p); err != nil {
		shutdown(srv)
		<-served
		if apiCode(err) == http.StatusUnauthorized {
			return ErrUnauthorized
		}
		return fmt.Errorf("telegram: setting the webhook: %w", err)
	}
	b.log.Info("telegram webhook set", "listen", ln.Addr().String())

	select {
	case <-ctx.Done():
		shutdown(srv)
		<-served
		return nil
	case err := <-served:
		return fmt.Errorf("telegram: webhook server: %w", err)
	}
}

func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
}

// webhookHandler takes POSTed updates that carry the secret, hands each to
// the engine and answers 200 once its transaction committed, or 500 so that
// Telegram delivers it again. Updates of one chat are handled one at a time.
func (b *Bot) webhookHandler(bg context.Context, secret string) http.Handler {
	want := []byte(secret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), want) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxUpdateBody)
		var u tgbotapi.Update
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if id, ok := updateChat(u); ok {
			defer b.locks.lock(id)()
		}
		if err := b.handle(r.Context(), bg, u, true); err != nil {
			b.log.Warn("telegram webhook update failed; Telegram will send it again", "update_id", u.UpdateID, "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// updateChat is the chat an update belongs to.
func updateChat(u tgbotapi.Update) (int64, bool) {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID, true
	case u.EditedMessage != nil && u.EditedMessage.Chat != nil:
		return u.EditedMessage.Chat.ID, true
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID, true
	}
	return 0, false
}
