package wechat

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// DefaultReplyTimeout is how long Handler waits for the Replier when
// Config.ReplyTimeout is zero. WeChat gives up after 5 seconds and retries;
// the half second left over is for the network and for encrypting the reply.
const DefaultReplyTimeout = 4500 * time.Millisecond

// Replier turns one incoming message into the text of a passive reply. It
// runs under a context whose deadline is the reply timeout. An empty reply
// means there is nothing to say; Handler then answers "success", which tells
// WeChat not to retry and shows the user nothing.
//
// A Replier whose reply has side effects (it takes the reply out of a queue)
// calls ClaimReply before them, so that a reply is never taken and then
// dropped because the deadline passed in between.
type Replier func(ctx context.Context, msg Message) (reply string, err error)

// ClaimReply tells the Handler that the Replier is about to produce its
// reply and will return it without blocking for long. It reports false when
// the deadline has already passed: the Handler has answered "success" (or is
// about to), so whatever the Replier returns now is thrown away, and it
// should keep its reply for later instead. After a true, the Handler waits
// for the Replier's return even past the deadline, until the request itself
// ends, so the reply the Replier gives is the one written.
//
// Outside a Handler (a test calling a Replier directly) ClaimReply reports
// whether ctx is still live.
func ClaimReply(ctx context.Context) bool {
	c, ok := ctx.Value(claimKey{}).(*claim)
	if !ok {
		return ctx.Err() == nil
	}
	return c.state.CompareAndSwap(claimOpen, claimReplier)
}

type claimKey struct{}

// claim decides, once, who owns the end of a request: the Replier (its
// reply is written) or the deadline ("success" is written).
type claim struct{ state atomic.Int32 }

const (
	claimOpen int32 = iota
	claimReplier
	claimLate
)

// Config is what Handler needs to know about one Official Account.
type Config struct {
	// Token is the token set in the WeChat admin console. Required.
	Token string
	// AppID is the account's app id. Required with EncodingAESKey.
	AppID string
	// EncodingAESKey turns on safe mode. When it is set, Handler accepts only
	// encrypted POSTs signed with msg_signature, because the plain signature
	// does not cover the body.
	EncodingAESKey string
	// MaxSkew bounds the age of a request's timestamp; zero means
	// DefaultMaxSkew.
	MaxSkew time.Duration
	// ReplyTimeout bounds the Replier; zero means DefaultReplyTimeout.
	ReplyTimeout time.Duration
	// Rand feeds the random prefix of encrypted replies and their nonces. It
	// must be safe for concurrent use; nil means crypto/rand.Reader.
	Rand io.Reader
	// Now is the clock for timestamp checks and reply times; nil means
	// time.Now.
	Now func() time.Time
	// OnError, if set, hears why a request was refused or answered with
	// "success" instead of a reply. Errors built by this package carry no
	// message text and no OpenID; an error or panic from the Replier is
	// passed on as it is.
	OnError func(error)
}

// Handler is the HTTP side of a WeChat server URL, without the bot behind
// it. GET answers WeChat's URL check. POST verifies the signature, reads at
// most MaxBody bytes, decrypts in safe mode, asks the Replier, and writes a
// text reply (encrypted in safe mode), or "success" when the Replier is
// slower than the reply timeout.
//
// Status codes: 403 for a bad or stale signature or another account's
// message, 400 for malformed XML or ciphertext, 413 for a body over
// MaxBody, 405 for other methods, 500 when the Replier fails. A 500 is
// deliberate: WeChat retries, and the engine's de-duplication (DedupKey)
// makes a retry safe.
//
// Handler logs nothing; see Config.OnError.
type Handler struct {
	verifier Verifier
	crypter  *Crypter // nil in plain mode
	reply    Replier
	timeout  time.Duration
	rand     io.Reader
	now      func() time.Time
	onError  func(error)
}

// NewHandler checks cfg and returns a Handler that asks reply for answers.
func NewHandler(cfg Config, reply Replier) (*Handler, error) {
	if cfg.Token == "" {
		return nil, errors.New("wechat: building handler: empty token")
	}
	if reply == nil {
		return nil, errors.New("wechat: building handler: nil Replier")
	}
	h := &Handler{
		verifier: Verifier{Token: cfg.Token, MaxSkew: cfg.MaxSkew},
		reply:    reply,
		timeout:  cfg.ReplyTimeout,
		rand:     cfg.Rand,
		now:      cfg.Now,
		onError:  cfg.OnError,
	}
	if cfg.EncodingAESKey != "" {
		c, err := NewCrypter(cfg.EncodingAESKey, cfg.AppID)
		if err != nil {
			return nil, err
		}
		h.crypter = c
	}
	if h.timeout <= 0 {
		h.timeout = DefaultReplyTimeout
	}
	if h.rand == nil {
		h.rand = rand.Reader
	}
	if h.now == nil {
		h.now = time.Now
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		h.serveEcho(w, r)
	case http.MethodPost:
		h.serveMessage(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		h.fail(w, http.StatusMethodNotAllowed, fmt.Errorf("wechat: method %q not allowed", r.Method))
	}
}

func (h *Handler) serveEcho(w http.ResponseWriter, r *http.Request) {
	echo, err := h.verifier.VerifyEcho(r.URL.Query(), h.crypter, h.now())
	if err != nil {
		h.fail(w, statusFor(err), err)
		return
	}
	writeText(w, echo)
}

func (h *Handler) serveMessage(w http.ResponseWriter, r *http.Request) {
	// The deadline counts from arrival: WeChat's 5 seconds include the
	// body read and the decryption.
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()

	q := r.URL.Query()
	ts, nonce := q.Get("timestamp"), q.Get("nonce")
	now := h.now()
	if h.crypter == nil {
		// Plain mode: refuse before reading the body.
		if err := h.verifier.VerifyURL(q.Get("signature"), ts, nonce, now); err != nil {
			h.fail(w, http.StatusForbidden, err)
			return
		}
	}
	body, err := readBody(w, r)
	if err != nil {
		h.fail(w, statusFor(err), err)
		return
	}
	msg, err := ParseMessage(body)
	if err != nil {
		h.fail(w, http.StatusBadRequest, err)
		return
	}
	if h.crypter != nil {
		msg, err = h.open(q.Get("msg_signature"), ts, nonce, msg.Encrypt, now)
		if err != nil {
			h.fail(w, statusFor(err), err)
			return
		}
	} else if msg.Encrypt != "" && msg.MsgType == "" {
		h.fail(w, http.StatusBadRequest, errors.New("wechat: encrypted message, but no EncodingAESKey configured"))
		return
	}
	if msg.FromUserName == "" || msg.MsgType == "" {
		h.fail(w, http.StatusBadRequest, errors.New("wechat: message without FromUserName or MsgType"))
		return
	}

	text, err := h.ask(r.Context(), ctx, msg)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		// Too late for a passive reply. "success" stops WeChat's retries
		// and shows the user nothing. A Replier that uses ClaimReply
		// keeps its reply and gives it with the person's next message
		// (there is no customer-service API client here).
		h.report(err)
		writeText(w, "success")
		return
	case err != nil:
		h.fail(w, http.StatusInternalServerError, err)
		return
	case text == "":
		writeText(w, "success")
		return
	}

	out := TextReply(msg.FromUserName, msg.ToUserName, h.now().Unix(), text)
	if h.crypter != nil {
		if out, err = h.seal(out); err != nil {
			// The engine has answered and recorded the delivery, so a
			// retry would not bring the reply back: stop it.
			h.report(err)
			writeText(w, "success")
			return
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(out)
}

// readBody reads at most MaxBody bytes, telling an oversize body apart so
// that it gets 413.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBody {
		return nil, fmt.Errorf("wechat: reading body: %w", &http.MaxBytesError{Limit: MaxBody})
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		return nil, fmt.Errorf("wechat: reading body: %w", err)
	}
	return body, nil
}

// open checks a safe-mode envelope and returns the message inside.
func (h *Handler) open(msgSignature, ts, nonce, encrypt string, now time.Time) (Message, error) {
	if msgSignature == "" || encrypt == "" {
		return Message{}, fmt.Errorf("wechat: safe mode needs msg_signature and Encrypt: %w", ErrSignature)
	}
	if err := h.verifier.VerifyMsg(msgSignature, ts, nonce, encrypt, now); err != nil {
		return Message{}, err
	}
	plain, err := h.crypter.Decrypt(encrypt)
	if err != nil {
		return Message{}, err
	}
	msg, err := ParseMessage(plain)
	if err != nil {
		return Message{}, fmt.Errorf("%w (the decrypted message)", err)
	}
	return msg, nil
}

// ask runs the Replier in its own goroutine, so that a Replier that ignores
// its context cannot hold the response past the deadline. The channel is
// buffered: a late Replier finishes and exits without anyone reading.
//
// ctx carries the reply deadline; req is the request's own context, which
// bounds the wait for a Replier that claimed its reply (ClaimReply) just
// before the deadline.
func (h *Handler) ask(req, ctx context.Context, msg Message) (string, error) {
	type result struct {
		text string
		err  error
	}
	cl := &claim{}
	ctx = context.WithValue(ctx, claimKey{}, cl)
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("wechat: Replier panicked: %v", p)}
			}
		}()
		text, err := h.reply(ctx, msg)
		if err != nil {
			err = fmt.Errorf("wechat: Replier: %w", err)
		}
		done <- result{text, err}
	}()
	select {
	case res := <-done:
		return res.text, res.err
	case <-ctx.Done():
	}
	if cl.state.CompareAndSwap(claimOpen, claimLate) {
		return "", fmt.Errorf("wechat: waiting for Replier: %w", context.Cause(ctx))
	}
	// The Replier claimed its reply before the deadline: it is on its way.
	select {
	case res := <-done:
		return res.text, res.err
	case <-req.Done():
		return "", fmt.Errorf("wechat: waiting for a claimed reply: %w", context.Cause(req))
	}
}

// seal encrypts a reply with a fresh timestamp and a random nonce.
func (h *Handler) seal(reply []byte) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(h.rand, n[:]); err != nil {
		return nil, fmt.Errorf("wechat: making reply nonce: %w", err)
	}
	nonce := strconv.FormatUint(uint64(binary.BigEndian.Uint32(n[:])), 10)
	return SealReply(h.crypter, h.verifier.Token, h.rand, reply, h.now().Unix(), nonce)
}

func (h *Handler) fail(w http.ResponseWriter, code int, err error) {
	h.report(err)
	http.Error(w, http.StatusText(code), code)
}

func (h *Handler) report(err error) {
	if h.onError != nil {
		h.onError(err)
	}
}

func statusFor(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrSignature), errors.Is(err, ErrStale), errors.Is(err, ErrAppID):
		return http.StatusForbidden
	default:
		return http.StatusBadRequest
	}
}

func writeText(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.WriteString(w, s)
}
