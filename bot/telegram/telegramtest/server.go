// Package telegramtest is an in-process fake of the Telegram Bot API for
// tests. It runs on an httptest.Server bound to 127.0.0.1 and speaks the
// wire format of api.telegram.org closely enough for the real
// go-telegram-bot-api v5.5.1 client:
//
//	srv := telegramtest.New(t, "123:TEST")
//	bot, err := tgbotapi.NewBotAPIWithClient("123:TEST", srv.Endpoint(), &http.Client{})
//
// The test plays the user with PushMessage, PushCallback and friends, and
// reads what the bot did with Sent, Edits, Answered and Commands. getUpdates
// is a real long poll. Faults (429 with retry_after, 403 for a blocked user,
// 5xx, 401, 409, dropped connections, slow answers) can be injected per
// method and per chat, and a passive rate checker counts the 429s that real
// Telegram would have sent at 1 message/s per chat and 30 messages/s overall.
//
// Every method of Server is safe for concurrent use.
//
// The supported Bot API methods are getMe, getUpdates, sendMessage,
// editMessageText, editMessageReplyMarkup, answerCallbackQuery,
// setMyCommands, getMyCommands, deleteMyCommands, setWebhook,
// deleteWebhook, getWebhookInfo, sendChatAction and deleteMessage. Any other
// method gets {"ok":false,"error_code":404,"description":"Not Found"}, as
// on api.telegram.org.
package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The bot account that getMe reports.
const (
	BotID        int64 = 7000000001
	BotUsername        = "homeward_test_bot"
	BotFirstName       = "Homeward Test Bot"
)

// Server is a fake Bot API server. Create it with New.
type Server struct {
	token string
	hs    *httptest.Server
	ctx   context.Context // cancelled by Close
	stop  context.CancelFunc
	wg    sync.WaitGroup // webhook delivery

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  bool

	// updates
	nextUpdateID int
	queue        []queuedUpdate
	allowed      map[string]bool // nil: every type
	pollGen      int
	polling      int

	// chats and messages
	chats       map[int64]*chatState
	msgs        map[msgKey]*message
	nextQuery   int
	queries     map[string]*queryState
	callbackTTL time.Duration

	// what the bot did
	sent     []SentMessage
	edits    []Edit
	answers  []CallbackAnswer
	commands map[string][]BotCommand
	calls    []Call
	webhook  webhookState

	// faults
	faults  []*faultRule
	blocked map[int64]bool
	delays  map[string]time.Duration

	// rate checker
	limits     RateLimits
	sendLog    []time.Time
	chatSends  map[int64][]time.Time
	violations []RateViolation
}

// New starts a fake server on 127.0.0.1 and closes it when the test ends.
// token is only informative: like the emulator, the fake accepts any token
// in the request path and records it in Call.Token.
func New(tb testing.TB, token string) *Server {
	tb.Helper()
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{
		token:        token,
		ctx:          ctx,
		stop:         stop,
		changed:      make(chan struct{}),
		nextUpdateID: 1,
		chats:        make(map[int64]*chatState),
		msgs:         make(map[msgKey]*message),
		queries:      make(map[string]*queryState),
		commands:     make(map[string][]BotCommand),
		blocked:      make(map[int64]bool),
		delays:       make(map[string]time.Duration),
		chatSends:    make(map[int64][]time.Time),
		limits:       DefaultRateLimits(),
	}
	s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	tb.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.hs.URL }

// Endpoint is the API endpoint format string for tgbotapi
// (NewBotAPIWithClient, NewBotAPIWithAPIEndpoint, SetAPIEndpoint):
// http://127.0.0.1:PORT/bot%s/%s, token first, then method.
func (s *Server) Endpoint() string { return s.hs.URL + "/bot%s/%s" }

// Token is the token given to New.
func (s *Server) Token() string { return s.token }

// Close wakes every waiting long poll, stops webhook delivery and shuts
// the server down. It is called by t.Cleanup; calling it again is harmless.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.stop()
	s.notifyLocked()
	s.mu.Unlock()
	s.hs.Close()
	s.wg.Wait()
}

// notifyLocked wakes everything waiting for a state change.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitChange blocks until the state changes, ctx ends or the server
// closes. It reports false in the last two cases. ch must have been read
// from s.changed under the lock.
func (s *Server) waitChange(ctx context.Context, ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	case <-s.ctx.Done():
		return false
	}
}

// Call is one request the fake answered.
type Call struct {
	Method string            // as in the path, e.g. "sendMessage"
	Token  string            // the token in the path
	Params map[string]string // query, form or top-level JSON fields; objects stay JSON text
	Time   time.Time         // when the request arrived
	Status int               // HTTP status answered (0 if the client went away)
}

// Calls returns every answered request in the order they completed.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		c.Params = copyParams(c.Params)
		out[i] = c
	}
	return out
}

// CallCount counts answered requests of method (case-insensitive), any
// status.
func (s *Server) CallCount(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callCountLocked(method)
}

func (s *Server) callCountLocked(method string) int {
	n := 0
	for _, c := range s.calls {
		if strings.EqualFold(c.Method, method) {
			n++
		}
	}
	return n
}

// WaitCalls waits until at least n requests of method have been answered.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) error {
	for {
		s.mu.Lock()
		got := s.callCountLocked(method)
		ch := s.changed
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		if !s.waitChange(ctx, ch) {
			return fmt.Errorf("telegramtest: %d of %d %s calls: %w", got, n, method, waitErr(ctx))
		}
	}
}

func waitErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.New("server closed")
}

func copyParams(p map[string]string) map[string]string {
	out := make(map[string]string, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}

// apiError is an {"ok":false} answer.
type apiError struct {
	code       int
	desc       string
	retryAfter int    // sent when code is 429 or retryAfter > 0
	body       string // when set, sent verbatim instead of JSON
	disconnect bool   // close the connection without an answer
}

func badRequest(desc string) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + desc}
}

// errClientGone means the client cancelled; nothing is written.
var errClientGone = &apiError{code: 0}

// okResult is a successful answer with an optional description, as
// setWebhook and deleteWebhook send.
type okResult struct {
	result any
	desc   string
}

type handler func(s *Server, ctx context.Context, p map[string]string) (any, *apiError)

var handlers = map[string]handler{
	"getme":                  (*Server).getMe,
	"getupdates":             (*Server).getUpdates,
	"sendmessage":            (*Server).sendMessage,
	"editmessagetext":        (*Server).editMessageText,
	"editmessagereplymarkup": (*Server).editMessageReplyMarkup,
	"answercallbackquery":    (*Server).answerCallbackQuery,
	"setmycommands":          (*Server).setMyCommands,
	"getmycommands":          (*Server).getMyCommands,
	"deletemycommands":       (*Server).deleteMyCommands,
	"setwebhook":             (*Server).setWebhook,
	"deletewebhook":          (*Server).deleteWebhook,
	"getwebhookinfo":         (*Server).getWebhookInfo,
	"sendchataction":         (*Server).sendChatAction,
	"deletemessage":          (*Server).deleteMessage,
}

// splitPath parses /bot<token>/<method>.
func splitPath(path string) (token, method string, ok bool) {
	rest, found := strings.CutPrefix(path, "/bot")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	if i <= 0 || i == len(rest)-1 {
		return "", "", false
	}
	return rest[:i], rest[i+1:], true
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	token, method, ok := splitPath(r.URL.Path)
	if !ok {
		writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	p, perr := readParams(w, r)
	call := Call{Method: method, Token: token, Params: p, Time: arrived}
	h := handlers[strings.ToLower(method)]
	var (
		result any
		aerr   *apiError
	)
	switch {
	case h == nil:
		aerr = &apiError{code: http.StatusNotFound, desc: "Not Found"}
	case perr != nil:
		aerr = perr
	default:
		aerr = s.preflight(method, p)
		if aerr == nil {
			result, aerr = h(s, r.Context(), p)
		}
	}
	if aerr != errClientGone {
		if d := s.delay(method); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				aerr = errClientGone
			case <-s.ctx.Done():
			}
		}
	}
	switch {
	case aerr == errClientGone:
		call.Status = 0
	case aerr != nil && aerr.disconnect:
		call.Status = 0
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
	case aerr != nil:
		call.Status = aerr.code
		writeError(w, aerr)
	default:
		call.Status = http.StatusOK
		writeOK(w, result)
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()
}

// preflight applies injected faults, blocked chats and (when enforced)
// rate limits before a method runs, so a failed call changes nothing.
func (s *Server) preflight(method string, p map[string]string) *apiError {
	chatID, hasChat := int64(0), false
	if v, ok := p["chat_id"]; ok {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			chatID, hasChat = id, true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.takeFaultLocked(method, chatID, hasChat); f != nil {
		return f
	}
	if hasChat && s.blocked[chatID] {
		return &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}
	}
	return nil
}

// readParams merges the query string with a form, multipart or JSON body,
// as the Bot API accepts all of them.
func readParams(w http.ResponseWriter, r *http.Request) (map[string]string, *apiError) {
	p := make(map[string]string)
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	if r.Method != http.MethodPost {
		return p, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, 20<<20)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return p, badRequest("can't parse JSON object")
		}
		for k, raw := range m {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				p[k] = str
			} else {
				p[k] = string(raw)
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(20 << 20); err != nil {
			return p, badRequest("can't parse multipart body")
		}
		for k, v := range r.MultipartForm.Value {
			if len(v) > 0 {
				p[k] = v[0]
			}
		}
	default:
		if err := r.ParseForm(); err != nil {
			return p, badRequest("can't parse form")
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				p[k] = v[0]
			}
		}
	}
	return p, nil
}

func writeOK(w http.ResponseWriter, result any) {
	body := map[string]any{"ok": true, "result": result}
	if r, ok := result.(okResult); ok {
		body["result"] = r.result
		body["description"] = r.desc
	}
	writeJSON(w, http.StatusOK, body)
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.body != "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(e.code)
		_, _ = w.Write([]byte(e.body))
		return
	}
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.code == http.StatusTooManyRequests || e.retryAfter > 0 {
		body["parameters"] = map[string]int{"retry_after": e.retryAfter}
	}
	writeJSON(w, e.code, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
