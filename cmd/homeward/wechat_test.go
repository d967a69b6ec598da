package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot/wechat"
)

const (
	wxToken  = "homeward-wx-token"
	wxAppID  = "wx0123456789abcdef"
	wxOpenID = "oSecretOpenID-cmd"
)

// wxKey is a random EncodingAESKey: 43 base64 characters for 32 bytes.
func wxKey(t *testing.T) string {
	var k [32]byte
	rand.Read(k[:])
	return strings.TrimSuffix(base64.StdEncoding.EncodeToString(k[:]), "=")
}

func TestWeChatConfig(t *testing.T) {
	key := wxKey(t)
	for _, tc := range []struct {
		name    string
		kv      []string
		wantErr string // "" : no error
		wantOn  bool
	}{
		{"not configured", nil, "", false},
		{"all set", []string{"WECHAT_TOKEN", wxToken, "WECHAT_APP_ID", wxAppID, "WECHAT_AES_KEY", key}, "", true},
		{"no key", []string{"WECHAT_TOKEN", wxToken, "WECHAT_APP_ID", wxAppID}, "WECHAT_AES_KEY not set", false},
		{"only a key", []string{"WECHAT_AES_KEY", key}, "WECHAT_TOKEN and WECHAT_APP_ID not set", false},
		{"short key", []string{"WECHAT_TOKEN", wxToken, "WECHAT_APP_ID", wxAppID, "WECHAT_AES_KEY", key[:42]}, "has 42 characters", false},
		{"key not base64", []string{"WECHAT_TOKEN", wxToken, "WECHAT_APP_ID", wxAppID, "WECHAT_AES_KEY", strings.Repeat("!", 43)}, "EncodingAESKey", false},
		{"bad bot name", []string{"WECHAT_TOKEN", wxToken, "WECHAT_APP_ID", wxAppID, "WECHAT_AES_KEY", key, "TELEGRAM_BOT_USERNAME", "no spaces allowed"}, "TELEGRAM_BOT_USERNAME", false},
		{"bot name with @", []string{"WECHAT_TOKEN", wxToken, "WECHAT_APP_ID", wxAppID, "WECHAT_AES_KEY", key, "TELEGRAM_BOT_USERNAME", "@HomewardBot"}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := envFunc(env(t, tc.kv...))
			a, err := openApp(sources{}, getenv, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			h, err := wechatHandler(getenv, a)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one saying %q", err, tc.wantErr)
			case (h != nil) != tc.wantOn:
				t.Errorf("handler %v, want one: %v", h, tc.wantOn)
			}
			if err != nil && strings.Contains(err.Error(), key) {
				t.Errorf("the error shows the key: %v", err)
			}
		})
	}
}

// lineWatch is a log writer that hands over the first JSON line with a
// given message.
type lineWatch struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	msg   string
	found chan map[string]any
}

func (w *lineWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for _, line := range bytes.Split(p, []byte("\n")) {
		var rec map[string]any
		if json.Unmarshal(line, &rec) == nil && rec["msg"] == w.msg {
			select {
			case w.found <- rec:
			default:
			}
		}
	}
	return len(p), nil
}

func (w *lineWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// The bot runs WeChat on the HTTP server beside the console (here without a
// terminal, so only WeChat), answers a signed, encrypted follow, and stops
// cleanly on the signal. Its logs carry neither the OpenID nor the text.
func TestRunServesWeChat(t *testing.T) {
	key := wxKey(t)
	getenv := env(t,
		"WECHAT_TOKEN", wxToken, "WECHAT_APP_ID", wxAppID, "WECHAT_AES_KEY", key,
		"TELEGRAM_BOT_USERNAME", "HomewardBot",
		"HOMEWARD_HTTP_ADDR", "127.0.0.1:0",
		"HOMEWARD_LOG_LEVEL", "debug",
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &lineWatch{msg: "ops HTTP server listening", found: make(chan map[string]any, 1)}
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), io.Discard, logs) }()
	var addr string
	select {
	case rec := <-logs.found:
		addr, _ = rec["addr"].(string)
	case code := <-done:
		t.Fatalf("run ended with %d before serving:\n%s", code, logs.String())
	}

	c, err := wechat.NewCrypter(key, wxAppID)
	if err != nil {
		t.Fatal(err)
	}
	post := func(msg string) (int, string) {
		t.Helper()
		plain := "<xml><ToUserName>gh_test</ToUserName><FromUserName>" + wxOpenID + "</FromUserName><CreateTime>" +
			strconv.FormatInt(time.Now().Unix(), 10) + "</CreateTime>" + msg + "</xml>"
		enc, err := c.Encrypt(rand.Reader, []byte(plain))
		if err != nil {
			t.Fatal(err)
		}
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		q := url.Values{"timestamp": {ts}, "nonce": {"77"}, "encrypt_type": {"aes"}, "msg_signature": {wechat.Signature(wxToken, ts, "77", enc)}}
		resp, err := http.Post("http://"+addr+"/wechat?"+q.Encode(), "text/xml", strings.NewReader("<xml><Encrypt>"+enc+"</Encrypt></xml>"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var env struct{ Encrypt string }
		if resp.StatusCode != 200 || xml.Unmarshal(body, &env) != nil {
			return resp.StatusCode, string(body)
		}
		reply, err := c.Decrypt(env.Encrypt)
		if err != nil {
			t.Fatal(err)
		}
		m, err := wechat.ParseMessage(reply)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, m.Content
	}
	if code, reply := post("<MsgType>event</MsgType><Event>subscribe</Event>"); code != 200 || !strings.Contains(reply, "简体中文") {
		t.Errorf("follow: %d %q, want the language picker", code, reply)
	}
	if code, reply := post("<MsgType>text</MsgType><Content>my passport was taken</Content><MsgId>1</MsgId>"); code != 200 || reply == "" {
		t.Errorf("text: %d %q", code, reply)
	}
	// A request signed with another token is refused.
	resp, err := http.Post("http://"+addr+"/wechat?timestamp=1&nonce=1&msg_signature=00", "text/xml", strings.NewReader("<xml><Encrypt>AAAA</Encrypt></xml>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("forged request: %d, want 403", resp.StatusCode)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("run exit %d:\n%s", code, logs.String())
	}
	out := logs.String()
	for _, secret := range []string{wxOpenID, "passport", key, wxToken} {
		if strings.Contains(out, secret) {
			t.Errorf("logs carry %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "request refused") {
		t.Errorf("the forged request was not logged:\n%s", out)
	}
}
