package telegramtest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Fault is an injected failure. The zero Description is filled in from
// Code with the Bot API's wording:
//
//	400 Bad Request
//	401 Unauthorized
//	403 Forbidden: bot was blocked by the user
//	404 Not Found
//	409 Conflict: terminated by other getUpdates request; make sure that only one bot instance is running
//	429 Too Many Requests: retry after N   (and "parameters":{"retry_after":N})
//	5xx the HTTP status text, e.g. Internal Server Error, Bad Gateway
type Fault struct {
	Code        int    // HTTP status and error_code
	Description string // default from Code
	RetryAfter  int    // seconds; sent as parameters.retry_after (always for 429)
	// Body, when set, is sent verbatim with status Code instead of the
	// JSON error, e.g. the HTML page a proxy returns for a 502.
	Body string
	// Disconnect closes the connection without any answer, so the client
	// sees a transport error (which in tgbotapi includes the URL and so
	// the token).
	Disconnect bool
}

type faultRule struct {
	method string // lower-case; "" matches every method
	chatID int64  // 0 matches every request, else only requests for this chat_id
	left   int
	fault  Fault
}

// FailNext makes the next n calls of method (case-insensitive; "" for any
// method) fail with code. retryAfter is sent as parameters.retry_after,
// always for 429. A failed call changes nothing on the server: a failed
// sendMessage is not in Sent.
func (s *Server) FailNext(method string, n, code, retryAfter int) {
	s.Inject(method, 0, n, Fault{Code: code, RetryAfter: retryAfter})
}

// FailNextChat makes the next n calls whose chat_id is chatID fail with
// code, whatever the method.
func (s *Server) FailNextChat(chatID int64, n, code, retryAfter int) {
	s.Inject("", chatID, n, Fault{Code: code, RetryAfter: retryAfter})
}

// Inject is the general form of FailNext: the next n calls of method
// ("" for any) for chatID (0 for any, including calls without a chat)
// answer with f. Rules are tried in the order they were added.
func (s *Server) Inject(method string, chatID int64, n int, f Fault) {
	if n <= 0 {
		return
	}
	if f.Description == "" {
		f.Description = describe(f.Code, f.RetryAfter)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{method: strings.ToLower(method), chatID: chatID, left: n, fault: f})
}

// ClearFaults drops every pending injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func describe(code, retryAfter int) string {
	switch code {
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return fmt.Sprintf("Error %d", code)
}

func (s *Server) takeFaultLocked(method string, chatID int64, hasChat bool) *apiError {
	m := strings.ToLower(method)
	for i, r := range s.faults {
		if r.method != "" && r.method != m {
			continue
		}
		if r.chatID != 0 && (!hasChat || r.chatID != chatID) {
			continue
		}
		r.left--
		if r.left <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		f := r.fault
		retry := f.RetryAfter
		if f.Code != http.StatusTooManyRequests && retry <= 0 {
			retry = 0
		}
		return &apiError{code: f.Code, desc: f.Description, retryAfter: retry, body: f.Body, disconnect: f.Disconnect}
	}
	return nil
}

// Block makes every call for chat chatID (any method with that chat_id)
// fail with 403 "Forbidden: bot was blocked by the user" until Unblock.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// Unblock undoes Block.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// SetDelay holds every answer to method ("" for all methods) for d; 0
// removes the delay. The call takes effect first and only the answer is
// late, as when Telegram is slow: a client that gives up and retries a
// sendMessage therefore sends the message twice, as it would in
// production. For getUpdates the delay comes after the long poll.
func (s *Server) SetDelay(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.delays, strings.ToLower(method))
		return
	}
	s.delays[strings.ToLower(method)] = d
}

func (s *Server) delay(method string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.delays[strings.ToLower(method)]; ok {
		return d
	}
	return s.delays[""]
}

// RateLimits are the flood limits the rate checker applies to sendMessage.
// A zero field turns that limit off.
type RateLimits struct {
	PerChatPerSecond int // messages to one chat in any 1 s window (Telegram: 1)
	GroupPerMinute   int // messages to one group (chat_id < 0) in any 60 s window (Telegram: 20)
	GlobalPerSecond  int // messages in total in any 1 s window (Telegram: 30)
	// Enforce answers a send over a limit with a real 429 and
	// retry_after, instead of only counting it.
	Enforce bool
}

// DefaultRateLimits are Telegram's published limits (Bot FAQ): 1 msg/s
// per chat, 20 msg/min per group, 30 msg/s overall; counted, not enforced.
func DefaultRateLimits() RateLimits {
	return RateLimits{PerChatPerSecond: 1, GroupPerMinute: 20, GlobalPerSecond: 30}
}

// SetRateLimits replaces the limits; New starts with DefaultRateLimits.
func (s *Server) SetRateLimits(l RateLimits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// RateViolation is one sendMessage that broke a limit: a 429 Telegram
// would (or, with Enforce, did) answer.
type RateViolation struct {
	ChatID int64
	Time   time.Time
	Limit  string // "chat", "group" or "global"
}

// RateStats sums up the sends seen by the rate checker.
type RateStats struct {
	Sends      int // successful sendMessage calls
	WouldBe429 int // sends over a limit (each counted once, by the first limit it broke)
	PerChat    int // of which over PerChatPerSecond
	Group      int // of which over GroupPerMinute
	Global     int // of which over GlobalPerSecond
	// MinChatGap is the smallest gap between two sends to the same chat,
	// 0 if no chat got two messages.
	MinChatGap time.Duration
	// MaxPerSecond is the most sends in any 1 s window.
	MaxPerSecond int
}

// rateLimitLocked checks a send to chatID at now against the limits. It
// counts a violation, and with Enforce rejects the send with a 429;
// otherwise it records the send.
func (s *Server) rateLimitLocked(chatID int64, now time.Time) *apiError {
	limit, retry := "", time.Duration(0)
	chat := s.chatSends[chatID]
	if n := s.limits.PerChatPerSecond; n > 0 {
		if c, oldest := countSince(chat, now.Add(-time.Second)); c >= n {
			limit, retry = "chat", oldest.Add(time.Second).Sub(now)
		}
	}
	if n := s.limits.GroupPerMinute; limit == "" && n > 0 && chatID < 0 {
		if c, oldest := countSince(chat, now.Add(-time.Minute)); c >= n {
			limit, retry = "group", oldest.Add(time.Minute).Sub(now)
		}
	}
	if n := s.limits.GlobalPerSecond; limit == "" && n > 0 {
		if c, oldest := countSince(s.sendLog, now.Add(-time.Second)); c >= n {
			limit, retry = "global", oldest.Add(time.Second).Sub(now)
		}
	}
	if limit != "" {
		s.violations = append(s.violations, RateViolation{ChatID: chatID, Time: now, Limit: limit})
		if s.limits.Enforce {
			secs := int((retry + time.Second - 1) / time.Second)
			if secs < 1 {
				secs = 1
			}
			return &apiError{code: http.StatusTooManyRequests, desc: describe(http.StatusTooManyRequests, secs), retryAfter: secs}
		}
	}
	s.chatSends[chatID] = append(chat, now)
	s.sendLog = append(s.sendLog, now)
	return nil
}

// countSince counts the times after since in ts (sorted) and returns the
// oldest of them.
func countSince(ts []time.Time, since time.Time) (int, time.Time) {
	i := sort.Search(len(ts), func(i int) bool { return ts[i].After(since) })
	if i == len(ts) {
		return 0, time.Time{}
	}
	return len(ts) - i, ts[i]
}

// RateViolations returns every send the rate checker flagged, in order.
func (s *Server) RateViolations() []RateViolation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RateViolation(nil), s.violations...)
}

// RateStats returns the rate checker's counters.
func (s *Server) RateStats() RateStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := RateStats{Sends: len(s.sendLog)}
	for _, v := range s.violations {
		st.WouldBe429++
		switch v.Limit {
		case "chat":
			st.PerChat++
		case "group":
			st.Group++
		case "global":
			st.Global++
		}
	}
	found := false
	for _, ts := range s.chatSends {
		for i := 1; i < len(ts); i++ {
			if gap := ts[i].Sub(ts[i-1]); !found || gap < st.MinChatGap {
				st.MinChatGap, found = gap, true
			}
		}
	}
	j := 0
	for i := range s.sendLog {
		for !s.sendLog[j].After(s.sendLog[i].Add(-time.Second)) {
			j++
		}
		st.MaxPerSecond = max(st.MaxPerSecond, i-j+1)
	}
	return st
}

// SendTimes returns when each successful sendMessage to chatID arrived.
func (s *Server) SendTimes(chatID int64) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.chatSends[chatID]...)
}

// SendTimesByChat returns SendTimes for every chat that got a message.
func (s *Server) SendTimesByChat() map[int64][]time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64][]time.Time, len(s.chatSends))
	for id, ts := range s.chatSends {
		out[id] = append([]time.Time(nil), ts...)
	}
	return out
}
