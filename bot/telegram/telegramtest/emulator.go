package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// EmulatorEnv names the environment variable with the base URL of a
// running telegram-test-api emulator (.ci/tg-emulator), e.g.
// http://127.0.0.1:9001. CI sets it; without it end-to-end tests skip.
const EmulatorEnv = "TG_EMULATOR_URL"

// Emulator is one test's session with the telegram-test-api emulator: the
// bot side talks to Endpoint() with Token like to api.telegram.org, and
// the test acts as the user through the emulator's client API.
//
// The emulator differs from Telegram (see .ci/tg-emulator/README.md):
// getUpdates never long-polls and ignores offset (every update comes
// once), edits return null, unsupported methods answer HTTP 500, and a
// callback's message carries only what PressButton sends.
type Emulator struct {
	URL   string // base URL, e.g. http://127.0.0.1:9001
	Token string // unique to this test: the emulator keeps one queue per token
	// The user who writes: first name and language_code of "from".
	FirstName    string
	LanguageCode string

	client *http.Client
}

var emulatorTokens atomic.Int64

// StartEmulator skips the test unless TG_EMULATOR_URL is set, and
// otherwise checks that the emulator answers getMe and returns a session
// with a fresh token. It fails the test if the URL is not on loopback or
// the emulator does not answer.
func StartEmulator(tb testing.TB) *Emulator {
	tb.Helper()
	raw := os.Getenv(EmulatorEnv)
	if raw == "" {
		tb.Skipf("%s is not set: this end-to-end test needs the emulator in .ci/tg-emulator", EmulatorEnv)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || !isLoopback(u.Hostname()) {
		tb.Fatalf("%s=%q: want http://127.0.0.1:PORT", EmulatorEnv, raw)
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, tb.Name())
	if len(name) > 60 {
		name = name[:60]
	}
	n := emulatorTokens.Add(1)
	e := &Emulator{
		URL:          strings.TrimRight(raw, "/"),
		Token:        fmt.Sprintf("%d:%s-%d", 100000+n, name, time.Now().UnixNano()),
		FirstName:    "Test",
		LanguageCode: "en",
		client: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{Proxy: nil, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext},
		},
	}
	tb.Cleanup(e.client.CloseIdleConnections)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var me struct {
		OK bool `json:"ok"`
	}
	if err := e.do(ctx, http.MethodGet, "/bot"+e.Token+"/getMe", nil, &me); err != nil || !me.OK {
		tb.Fatalf("emulator at %s does not answer getMe: %v", e.URL, err)
	}
	return e
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Endpoint is the tgbotapi endpoint format string for this emulator,
// e.g. http://127.0.0.1:9001/bot%s/%s; set TELEGRAM_API_ENDPOINT to it.
func (e *Emulator) Endpoint() string { return e.URL + "/bot%s/%s" }

func (e *Emulator) from(chatID int64) map[string]any {
	return map[string]any{"id": chatID, "is_bot": false, "first_name": e.FirstName, "language_code": e.LanguageCode}
}

// SendMessage sends text as the user of private chat chatID. A text that
// starts with a command ("/start") goes through /sendCommand with the
// bot_command entity that the emulator requires; other text through
// /sendMessage.
func (e *Emulator) SendMessage(ctx context.Context, chatID int64, text string) error {
	body := map[string]any{
		"botToken": e.Token,
		"from":     e.from(chatID),
		"chat":     map[string]any{"id": chatID, "type": "private", "first_name": e.FirstName},
		"date":     time.Now().Unix(),
		"text":     text,
	}
	route := "/sendMessage"
	if ents := commandEntity(text); ents != nil {
		route = "/sendCommand"
		body["entities"] = ents
	}
	return e.do(ctx, http.MethodPost, route, body, nil)
}

// PressButton presses the inline button with callback data on bot message
// messageID (EmulatorMessage.MessageID) in chat chatID, through
// /sendCallback.
func (e *Emulator) PressButton(ctx context.Context, chatID int64, messageID int, data string) error {
	return e.do(ctx, http.MethodPost, "/sendCallback", map[string]any{
		"botToken": e.Token,
		"from":     e.from(chatID),
		"date":     time.Now().Unix(),
		"data":     data,
		"message": map[string]any{
			"message_id": messageID,
			"chat":       map[string]any{"id": chatID, "type": "private"},
		},
	}, nil)
}

// EmulatorMessage is a message the bot sent, as the emulator reports it.
type EmulatorMessage struct {
	UpdateID  int
	MessageID int
	ChatID    int64
	Text      string
	ParseMode string
	Keyboard  [][]Button // inline keyboard, nil if none
	Time      time.Time
}

// Replies returns the bot's messages to chatID that this session has not
// read yet (the emulator's /getUpdates), and marks them read. Edits to
// messages already read do not come back: use History.
func (e *Emulator) Replies(ctx context.Context, chatID int64) ([]EmulatorMessage, error) {
	var resp struct {
		OK     bool      `json:"ok"`
		Result []emuItem `json:"result"`
	}
	if err := e.do(ctx, http.MethodPost, "/getUpdates", map[string]any{"token": e.Token, "chatId": chatID}, &resp); err != nil {
		return nil, err
	}
	out := make([]EmulatorMessage, 0, len(resp.Result))
	for _, it := range resp.Result {
		out = append(out, it.botMessage())
	}
	return out, nil
}

// WaitReplies polls Replies until n new bot messages to chatID have come
// or ctx ends, and returns what it got.
func (e *Emulator) WaitReplies(ctx context.Context, chatID int64, n int) ([]EmulatorMessage, error) {
	var got []EmulatorMessage
	for {
		ms, err := e.Replies(ctx, chatID)
		if err != nil {
			return got, err
		}
		got = append(got, ms...)
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return got, fmt.Errorf("telegramtest: %d of %d replies from the emulator: %w", len(got), n, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// EmulatorEntry is one item of the emulator's history: a bot message
// (with edits applied), a user message, or a button press.
type EmulatorEntry struct {
	UpdateID     int
	MessageID    int
	Time         time.Time
	FromBot      bool
	ChatID       int64
	Text         string
	ParseMode    string
	Keyboard     [][]Button // bot messages
	CallbackData string     // button presses
}

// History returns every message and press of this session, in time order
// and with edits applied (the emulator's /getUpdatesHistory). Nothing is
// marked read.
func (e *Emulator) History(ctx context.Context) ([]EmulatorEntry, error) {
	var resp struct {
		OK     bool      `json:"ok"`
		Result []emuItem `json:"result"`
	}
	if err := e.do(ctx, http.MethodPost, "/getUpdatesHistory", map[string]any{"token": e.Token}, &resp); err != nil {
		return nil, err
	}
	out := make([]EmulatorEntry, 0, len(resp.Result))
	for _, it := range resp.Result {
		en := EmulatorEntry{UpdateID: int(it.UpdateID), MessageID: int(it.MessageID), Time: time.UnixMilli(it.Time)}
		switch {
		case it.CallbackQuery != nil:
			en.ChatID = int64(it.CallbackQuery.Message.Chat.ID)
			en.CallbackData = it.CallbackQuery.Data
		case it.Message != nil && it.Message.Chat == nil:
			m := it.botMessage()
			en.FromBot, en.ChatID, en.Text, en.ParseMode, en.Keyboard = true, m.ChatID, m.Text, m.ParseMode, m.Keyboard
		case it.Message != nil:
			en.ChatID, en.Text = int64(it.Message.Chat.ID), it.Message.Text
		}
		out = append(out, en)
	}
	return out, nil
}

// flexInt reads a JSON number or a numeric string: the emulator stores
// form fields as strings ("chat_id":"42", and "message_id":"3" after an
// edit).
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	*f = flexInt(n)
	return err
}

type emuItem struct {
	Time      int64   `json:"time"`
	UpdateID  flexInt `json:"updateId"`
	MessageID flexInt `json:"messageId"`
	Message   *struct {
		ChatID flexInt `json:"chat_id"`
		Chat   *struct {
			ID flexInt `json:"id"`
		} `json:"chat"`
		Text        string          `json:"text"`
		ParseMode   string          `json:"parse_mode"`
		ReplyMarkup json.RawMessage `json:"reply_markup"`
	} `json:"message"`
	CallbackQuery *struct {
		Data    string `json:"data"`
		Message struct {
			Chat struct {
				ID flexInt `json:"id"`
			} `json:"chat"`
		} `json:"message"`
	} `json:"callbackQuery"`
}

func (it emuItem) botMessage() EmulatorMessage {
	m := EmulatorMessage{UpdateID: int(it.UpdateID), MessageID: int(it.MessageID), Time: time.UnixMilli(it.Time)}
	if it.Message == nil {
		return m
	}
	m.ChatID, m.Text, m.ParseMode = int64(it.Message.ChatID), it.Message.Text, it.Message.ParseMode
	raw := it.Message.ReplyMarkup
	var str string
	if json.Unmarshal(raw, &str) == nil { // still the form-encoded string
		raw = json.RawMessage(str)
	}
	if len(raw) > 0 && string(raw) != "null" {
		mk, _ := parseMarkup(string(raw))
		m.Keyboard = mk.inline
	}
	return m
}

// do sends a JSON request to the emulator and decodes a JSON answer.
func (e *Emulator) do(ctx context.Context, method, path string, body, out any) error {
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.URL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("telegramtest: emulator %s: %w", strings.ReplaceAll(path, e.Token, "TOKEN"), unwrapURLError(err))
	}
	defer resp.Body.Close()
	var generic struct {
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if err := json.Unmarshal(buf.Bytes(), &generic); err != nil || resp.StatusCode != http.StatusOK || !generic.OK {
		return fmt.Errorf("telegramtest: emulator %s: HTTP %d: %s", strings.ReplaceAll(path, e.Token, "TOKEN"), resp.StatusCode, strings.TrimSpace(buf.String()))
	}
	if out != nil {
		return json.Unmarshal(buf.Bytes(), out)
	}
	return nil
}

// unwrapURLError drops the URL (which holds the token) from a transport
// error.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
