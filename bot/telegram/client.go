package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// client wraps tgbotapi v5.5.1 so that every call has a context and a
// deadline, and no error carries the token.
//
// The library builds requests without a context and puts the URL, token
// included, into transport errors. Each call therefore runs on a shallow
// copy of the BotAPI whose HTTPClient binds the call's context, and every
// error leaves through redact.
type client struct {
	api   *tgbotapi.BotAPI
	hc    *http.Client
	token string
	// sendTimeout bounds every call but getUpdates, whose deadline is its
	// long-poll timeout plus pollGrace.
	sendTimeout time.Duration
}

// pollGrace is how much longer than its long-poll timeout a getUpdates
// call may take before it is abandoned.
const pollGrace = 15 * time.Second

// newHTTPClient is the default HTTP client: bounded dials, TLS handshakes
// and idle connections, and an overall timeout above the longest long poll.
func newHTTPClient(poll time.Duration) *http.Client {
	return &http.Client{
		Timeout: poll + pollGrace,
		Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout: 10 * time.Second,
			MaxIdleConnsPerHost: 32,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		},
	}
}

// newClient checks the token with getMe.
func newClient(ctx context.Context, token, endpoint string, hc *http.Client, sendTimeout time.Duration) (*client, error) {
	c := &client{hc: hc, token: token, sendTimeout: sendTimeout}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(token, endpoint, c.doer(ctx))
	if err != nil {
		return nil, c.redact("getMe", err)
	}
	c.api = api
	return c, nil
}

// with runs fn on a copy of the BotAPI bound to ctx and a deadline, and
// redacts its error.
func (c *client) with(ctx context.Context, method string, timeout time.Duration, fn func(b *tgbotapi.BotAPI) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b := *c.api
	b.Client = c.doer(ctx)
	b.Debug = false // it would log message text
	return c.redact(method, fn(&b))
}

// request calls a method through a tgbotapi config.
func (c *client) request(ctx context.Context, cfg tgbotapi.Chattable, method string) error {
	return c.with(ctx, method, c.sendTimeout, func(b *tgbotapi.BotAPI) error {
		_, err := b.Request(cfg)
		return err
	})
}

// send sends a message and returns its message ID.
func (c *client) send(ctx context.Context, m tgbotapi.MessageConfig) (int, error) {
	var id int
	err := c.with(ctx, "sendMessage", c.sendTimeout, func(b *tgbotapi.BotAPI) error {
		sent, err := b.Send(m)
		id = sent.MessageID
		return err
	})
	return id, err
}

// raw calls a method with raw parameters, for what v5.5.1 lacks
// (setWebhook's secret_token).
func (c *client) raw(ctx context.Context, method string, p tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	var resp *tgbotapi.APIResponse
	err := c.with(ctx, method, c.sendTimeout, func(b *tgbotapi.BotAPI) error {
		var err error
		resp, err = b.MakeRequest(method, p)
		return err
	})
	return resp, err
}

// getUpdates long-polls for up to timeout.
func (c *client) getUpdates(ctx context.Context, cfg tgbotapi.UpdateConfig) ([]tgbotapi.Update, error) {
	var us []tgbotapi.Update
	timeout := time.Duration(cfg.Timeout)*time.Second + pollGrace
	err := c.with(ctx, "getUpdates", timeout, func(b *tgbotapi.BotAPI) error {
		var err error
		us, err = b.GetUpdates(cfg)
		return err
	})
	return us, err
}

func (c *client) doer(ctx context.Context) ctxDoer { return ctxDoer{ctx: ctx, hc: c.hc} }

// ctxDoer is the tgbotapi.HTTPClient of one call: it binds the call's
// context and turns an answer that is not JSON (a proxy's HTML error page)
// into a StatusError rather than a JSON syntax error.
type ctxDoer struct {
	ctx context.Context
	hc  *http.Client
}

func (d ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.hc.Do(req.WithContext(d.ctx))
	if err != nil {
		return nil, err
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK && ct != "application/json" {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, &StatusError{Code: resp.StatusCode}
	}
	return resp, nil
}

// StatusError is an HTTP error answer that was not a Bot API JSON answer,
// as a proxy in front of the Bot API sends.
type StatusError struct{ Code int }

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// APIError is an error answer of the Bot API.
type APIError struct {
	Method      string
	Code        int    // error_code: 400, 401, 403, 409, 429, 5xx; 0 when the server gave none
	Description string // as Telegram wrote it; never holds message text
	RetryAfter  time.Duration
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// redactedError is a transport or decoding error with the token removed
// from its text. It unwraps to the cause behind the *url.Error (which holds
// the URL), so that errors.Is(err, context.Canceled) and net.Error still
// work.
type redactedError struct {
	method string
	msg    string
	cause  error
}

func (e *redactedError) Error() string { return "telegram " + e.method + ": " + e.msg }
func (e *redactedError) Unwrap() error { return e.cause }

// redact turns a tgbotapi error into an *APIError or a *redactedError whose
// text cannot hold the token.
func (c *client) redact(method string, err error) error {
	if err == nil {
		return nil
	}
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return &APIError{
			Method:      method,
			Code:        te.Code,
			Description: c.scrub(te.Message),
			RetryAfter:  time.Duration(te.RetryAfter) * time.Second,
		}
	}
	var se *StatusError
	if errors.As(err, &se) {
		return &APIError{Method: method, Code: se.Code, Description: http.StatusText(se.Code)}
	}
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err // drop the URL
	}
	return &redactedError{method: method, msg: c.scrub(cause.Error()), cause: cause}
}

// scrub removes the token, plain or URL-escaped, from s.
func (c *client) scrub(s string) string {
	if c.token == "" {
		return s
	}
	for _, t := range []string{c.token, url.PathEscape(c.token), url.QueryEscape(c.token)} {
		s = strings.ReplaceAll(s, t, "<token>")
	}
	// The bot ID before the colon is not secret, but the part after it
	// is, and nothing should match it alone either.
	if _, secret, ok := strings.Cut(c.token, ":"); ok && len(secret) >= 8 {
		s = strings.ReplaceAll(s, secret, "<token>")
	}
	return s
}

// Error classes.

func apiCode(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return 0
}

func retryAfter(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}

func description(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Description
	}
	return ""
}
