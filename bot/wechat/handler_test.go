package wechat

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

const (
	testOpenID  = "oSecret-OpenID-123"
	testContent = "my passport was taken"
)

// errLog collects what Handler reports, to check that no OpenID or message
// text ever reaches it.
type errLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errLog) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *errLog) check(t testing.TB) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, err := range l.errs {
		if s := err.Error(); strings.Contains(s, testOpenID) || strings.Contains(s, testContent) {
			t.Errorf("reported error carries personal data: %s", s)
		}
	}
}

func textXML(from, content string) string {
	return "<xml><ToUserName><![CDATA[gh_homeward]]></ToUserName><FromUserName><![CDATA[" + from +
		"]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" +
		content + "]]></Content><MsgId>77</MsgId></xml>"
}

func echoReplier(_ context.Context, m Message) (string, error) { return "you said: " + m.Content, nil }

type fixture struct {
	srv *httptest.Server
	log *errLog
	now time.Time
}

func newFixture(t *testing.T, cfg Config, r Replier) *fixture {
	t.Helper()
	f := &fixture{log: &errLog{}, now: unix("1700000000")}
	cfg.OnError = f.log.add
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return f.now }
	}
	h, err := NewHandler(cfg, r)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(h) // listens on loopback only
	t.Cleanup(func() {
		f.srv.Close()
		f.log.check(t)
	})
	return f
}

func (f *fixture) do(t *testing.T, method string, q url.Values, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+"/wechat?"+q.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func plainQuery(token, ts, nonce string) url.Values {
	return url.Values{"signature": {Signature(token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "openid": {testOpenID}}
}

func TestHandlerPlainMode(t *testing.T) {
	f := newFixture(t, Config{Token: katPlainToken}, echoReplier)
	good := plainQuery(katPlainToken, "1700000000", "987654321")

	t.Run("GET echo", func(t *testing.T) {
		q := plainQuery(katPlainToken, "1700000000", "987654321")
		q.Set("echostr", "5837397520665436492")
		if code, body := f.do(t, "GET", q, nil); code != 200 || body != "5837397520665436492" {
			t.Errorf("GET = %d %q", code, body)
		}
		q.Set("signature", strings.Repeat("a", 40))
		if code, _ := f.do(t, "GET", q, nil); code != 403 {
			t.Errorf("GET with bad signature = %d, want 403", code)
		}
	})
	t.Run("reply", func(t *testing.T) {
		code, body := f.do(t, "POST", good, strings.NewReader(textXML(testOpenID, testContent)))
		if code != 200 {
			t.Fatalf("POST = %d %q", code, body)
		}
		m, err := ParseMessage([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		want := Message{XMLName: m.XMLName, ToUserName: testOpenID, FromUserName: "gh_homeward", CreateTime: 1700000000, MsgType: "text", Content: "you said: " + testContent}
		if m != want {
			t.Errorf("reply = %+v", m)
		}
	})
	t.Run("bad signature", func(t *testing.T) {
		q := plainQuery("not-the-token", "1700000000", "987654321")
		if code, _ := f.do(t, "POST", q, strings.NewReader(textXML(testOpenID, testContent))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})
	t.Run("no signature", func(t *testing.T) {
		if code, _ := f.do(t, "POST", url.Values{}, strings.NewReader(textXML(testOpenID, testContent))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})
	t.Run("stale timestamp", func(t *testing.T) {
		q := plainQuery(katPlainToken, "1699999000", "1")
		if code, _ := f.do(t, "POST", q, strings.NewReader(textXML(testOpenID, testContent))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})
	t.Run("malformed XML", func(t *testing.T) {
		for _, body := range []string{"<xml><Content>", `{"text":"hi"}`, "", "<xml></xml>"} {
			if code, _ := f.do(t, "POST", good, strings.NewReader(body)); code != 400 {
				t.Errorf("POST %q = %d, want 400", body, code)
			}
		}
	})
	t.Run("oversize body", func(t *testing.T) {
		big := textXML(testOpenID, strings.Repeat("x", MaxBody))
		if code, _ := f.do(t, "POST", good, strings.NewReader(big)); code != 413 {
			t.Errorf("POST with Content-Length = %d, want 413", code)
		}
		// Without a Content-Length (chunked), the read limit must catch it.
		if code, _ := f.do(t, "POST", good, io.MultiReader(strings.NewReader(big))); code != 413 {
			t.Errorf("chunked POST = %d, want 413", code)
		}
		// Exactly MaxBody is still read.
		exact := textXML(testOpenID, "")
		exact = strings.Replace(exact, "<MsgId>", strings.Repeat(" ", MaxBody-len(exact))+"<MsgId>", 1)
		if code, _ := f.do(t, "POST", good, io.MultiReader(strings.NewReader(exact))); code != 200 {
			t.Errorf("POST of exactly MaxBody = %d, want 200", code)
		}
	})
	t.Run("encrypted body without key", func(t *testing.T) {
		if code, _ := f.do(t, "POST", good, strings.NewReader("<xml><Encrypt>abc</Encrypt></xml>")); code != 400 {
			t.Errorf("POST = %d, want 400", code)
		}
	})
	t.Run("other method", func(t *testing.T) {
		if code, _ := f.do(t, "PUT", good, nil); code != 405 {
			t.Errorf("PUT = %d, want 405", code)
		}
	})
}

func TestHandlerReplierOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		replier  Replier
		wantCode int
		wantBody string
	}{
		{"nothing to say", func(context.Context, Message) (string, error) { return "", nil }, 200, "success"},
		{"error", func(context.Context, Message) (string, error) { return "", errors.New("store down") }, 500, ""},
		{"panic", func(context.Context, Message) (string, error) { panic("engine bug") }, 500, ""},
		{"gave up on its context", func(ctx context.Context, _ Message) (string, error) {
			<-ctx.Done()
			return "", ctx.Err()
		}, 200, "success"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Config{Token: "tok", ReplyTimeout: 50 * time.Millisecond}, tc.replier)
			code, body := f.do(t, "POST", plainQuery("tok", "1700000000", "1"), strings.NewReader(textXML(testOpenID, testContent)))
			if code != tc.wantCode || (tc.wantBody != "" && body != tc.wantBody) {
				t.Errorf("POST = %d %q, want %d %q", code, body, tc.wantCode, tc.wantBody)
			}
		})
	}
}

// A Replier that ignores its context must not hold the response past the
// default 4.5 s deadline. synctest's fake clock makes this instant.
func TestHandlerSlowReplier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &errLog{}
		deadline := make(chan time.Time, 1)
		finished := make(chan struct{})
		h, err := NewHandler(Config{Token: "tok", OnError: log.add}, func(ctx context.Context, m Message) (string, error) {
			d, _ := ctx.Deadline()
			deadline <- d
			time.Sleep(30 * time.Second) // ignores ctx
			close(finished)
			return "too late", nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		q := plainQuery("tok", strconv.FormatInt(start.Unix(), 10), "1")
		req := httptest.NewRequest("POST", "/wechat?"+q.Encode(), strings.NewReader(textXML(testOpenID, testContent)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		elapsed := time.Since(start)

		if rec.Code != 200 || rec.Body.String() != "success" {
			t.Errorf("slow replier: %d %q, want 200 success", rec.Code, rec.Body.String())
		}
		if elapsed != DefaultReplyTimeout {
			t.Errorf("answered after %v, want %v", elapsed, DefaultReplyTimeout)
		}
		if got := (<-deadline).Sub(start); got != DefaultReplyTimeout {
			t.Errorf("Replier's deadline is %v after arrival, want %v", got, DefaultReplyTimeout)
		}
		<-finished // the late Replier finishes and its goroutine exits
		synctest.Wait()
		if len(log.errs) != 1 || !errors.Is(log.errs[0], context.DeadlineExceeded) {
			t.Errorf("reported %v, want one deadline error", log.errs)
		}
		log.check(t)
	})
}

// safeQuery signs an envelope the way WeChat does in safe mode, which also
// sends the plain signature.
func safeQuery(token, ts, nonce, encrypt string) url.Values {
	q := plainQuery(token, ts, nonce)
	q.Set("encrypt_type", "aes")
	q.Set("msg_signature", Signature(token, ts, nonce, encrypt))
	return q
}

func envelope(encrypt string) string {
	return "<xml><ToUserName><![CDATA[gh_homeward]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>"
}

type replyEnvelope struct {
	Encrypt      string
	MsgSignature string
	TimeStamp    string
	Nonce        string
}

func TestHandlerSafeMode(t *testing.T) {
	c := sampleCrypter(t)
	cfg := Config{Token: sampleToken, AppID: sampleAppID, EncodingAESKey: sampleKey, Rand: bytes.NewReader(bytes.Repeat([]byte{9}, 4096))}
	f := newFixture(t, cfg, echoReplier)
	const ts, nonce = "1700000000", "555"

	t.Run("published sample", func(t *testing.T) {
		f.now = unix(sampleTimestamp)
		defer func() { f.now = unix("1700000000") }()
		q := url.Values{"msg_signature": {sampleMsgSignature}, "timestamp": {sampleTimestamp}, "nonce": {sampleNonce}}
		code, body := f.do(t, "POST", q, strings.NewReader(envelope(sampleEncrypt)))
		if code != 200 {
			t.Fatalf("POST = %d %q", code, body)
		}
		var env replyEnvelope
		if err := xml.Unmarshal([]byte(body), &env); err != nil {
			t.Fatal(err)
		}
		if err := (Verifier{Token: sampleToken}).VerifyMsg(env.MsgSignature, env.TimeStamp, env.Nonce, env.Encrypt, unix(sampleTimestamp)); err != nil {
			t.Errorf("reply envelope: %v", err)
		}
		plain, err := c.Decrypt(env.Encrypt)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := ParseMessage(plain)
		if m.ToUserName != "mycreate" || m.FromUserName != sampleAppID || m.Content != "you said: hello" || m.CreateTime != 1409659813 {
			t.Errorf("decrypted reply = %+v", m)
		}
	})
	t.Run("GET published sample", func(t *testing.T) {
		f.now = unix(sampleEchoTimestamp)
		defer func() { f.now = unix("1700000000") }()
		q := url.Values{"msg_signature": {sampleEchoSignature}, "timestamp": {sampleEchoTimestamp}, "nonce": {sampleEchoNonce}, "echostr": {sampleEchostr}}
		if code, body := f.do(t, "GET", q, nil); code != 200 || body != sampleEchoPlain {
			t.Errorf("GET = %d %q", code, body)
		}
	})
	t.Run("replayed sample is stale", func(t *testing.T) {
		q := url.Values{"msg_signature": {sampleMsgSignature}, "timestamp": {sampleTimestamp}, "nonce": {sampleNonce}}
		if code, _ := f.do(t, "POST", q, strings.NewReader(envelope(sampleEncrypt))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})

	enc, err := c.Encrypt(bytes.NewReader(make([]byte, 16)), []byte(textXML(testOpenID, testContent)))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("round trip", func(t *testing.T) {
		code, body := f.do(t, "POST", safeQuery(sampleToken, ts, nonce, enc), strings.NewReader(envelope(enc)))
		if code != 200 || !strings.Contains(body, "<MsgSignature>") || strings.Contains(body, testContent) {
			t.Fatalf("POST = %d %q", code, body)
		}
	})
	t.Run("bad msg_signature", func(t *testing.T) {
		q := safeQuery(sampleToken, ts, nonce, enc)
		q.Set("msg_signature", Signature(sampleToken, ts, nonce, "something else"))
		if code, _ := f.do(t, "POST", q, strings.NewReader(envelope(enc))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})
	t.Run("flipped ciphertext byte", func(t *testing.T) {
		flipped := []byte(enc)
		flipped[10] ^= 0x01 // still base64, still the signed length
		q := safeQuery(sampleToken, ts, nonce, enc)
		if code, _ := f.do(t, "POST", q, strings.NewReader(envelope(string(flipped)))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})
	t.Run("plaintext POST refused", func(t *testing.T) {
		// The plain signature does not cover the body, so safe mode must
		// not fall back to it.
		if code, _ := f.do(t, "POST", plainQuery(sampleToken, ts, nonce), strings.NewReader(textXML(testOpenID, testContent))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})
	t.Run("wrong app id", func(t *testing.T) {
		other, _ := NewCrypter(sampleKey, "wx0000000000000000")
		enc, err := other.Encrypt(bytes.NewReader(make([]byte, 16)), []byte(textXML(testOpenID, testContent)))
		if err != nil {
			t.Fatal(err)
		}
		if code, _ := f.do(t, "POST", safeQuery(sampleToken, ts, nonce, enc), strings.NewReader(envelope(enc))); code != 403 {
			t.Errorf("POST = %d, want 403", code)
		}
	})
	t.Run("signed garbage", func(t *testing.T) {
		for _, enc := range []string{"!!!", "AAAA", katEmptyCipher[:len(katEmptyCipher)-24] + "=="} {
			if code, _ := f.do(t, "POST", safeQuery(sampleToken, ts, nonce, enc), strings.NewReader(envelope(enc))); code != 400 {
				t.Errorf("POST %q = %d, want 400", enc, code)
			}
		}
	})
	t.Run("encrypted XML is malformed", func(t *testing.T) {
		enc, _ := c.Encrypt(bytes.NewReader(make([]byte, 16)), []byte("<xml><Content>"))
		if code, _ := f.do(t, "POST", safeQuery(sampleToken, ts, nonce, enc), strings.NewReader(envelope(enc))); code != 400 {
			t.Errorf("POST = %d, want 400", code)
		}
	})
	t.Run("oversize body", func(t *testing.T) {
		big := envelope(strings.Repeat("A", MaxBody))
		if code, _ := f.do(t, "POST", safeQuery(sampleToken, ts, nonce, "x"), strings.NewReader(big)); code != 413 {
			t.Errorf("POST = %d, want 413", code)
		}
	})
}

func TestNewHandlerRejects(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no token":       {},
		"bad key":        {Token: "t", AppID: "wx", EncodingAESKey: "short"},
		"key but no app": {Token: "t", EncodingAESKey: sampleKey},
	} {
		if _, err := NewHandler(cfg, echoReplier); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewHandler(Config{Token: "t"}, nil); err == nil {
		t.Error("nil Replier accepted")
	}
}

// A Replier that claims its reply before the deadline gets it written even
// when it returns after the deadline; one that claims too late is told so
// and the handler answers "success".
func TestHandlerClaimReply(t *testing.T) {
	for _, tc := range []struct {
		name       string
		before     time.Duration // sleep before ClaimReply
		after      time.Duration // sleep after it
		wantClaim  bool
		wantAnswer string
	}{
		{"claims early, returns late", 4 * time.Second, 2 * time.Second, true, "reply"},
		{"claims late", 5 * time.Second, 0, false, "success"},
		{"claims and returns at once", 0, 0, true, "reply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				claimed := make(chan bool, 1)
				h, err := NewHandler(Config{Token: "tok"}, func(ctx context.Context, m Message) (string, error) {
					time.Sleep(tc.before)
					ok := ClaimReply(ctx)
					claimed <- ok
					time.Sleep(tc.after)
					return "reply", nil
				})
				if err != nil {
					t.Fatal(err)
				}
				q := plainQuery("tok", strconv.FormatInt(time.Now().Unix(), 10), "1")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("POST", "/wechat?"+q.Encode(), strings.NewReader(textXML(testOpenID, testContent))))
				if ok := <-claimed; ok != tc.wantClaim {
					t.Errorf("ClaimReply = %v, want %v", ok, tc.wantClaim)
				}
				body := rec.Body.String()
				if m, err := ParseMessage(rec.Body.Bytes()); err == nil && m.Content != "" {
					body = m.Content
				}
				if body != tc.wantAnswer {
					t.Errorf("answer %q, want %q", body, tc.wantAnswer)
				}
				synctest.Wait()
			})
		})
	}
	// Outside a Handler, ClaimReply tells whether the context is live.
	ctx, cancel := context.WithCancel(context.Background())
	if !ClaimReply(ctx) {
		t.Error("ClaimReply on a live context = false")
	}
	cancel()
	if ClaimReply(ctx) {
		t.Error("ClaimReply on an ended context = true")
	}
}
