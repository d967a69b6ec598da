package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/homeward-ngo/homeward/bot/telegram/telegramtest"
)

const token = "123456:TEST-token"

func newBot(t *testing.T, srv *telegramtest.Server, tok string) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(tok, srv.Endpoint(), &http.Client{Timeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return bot
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// apiErr asserts err is a *tgbotapi.Error and returns it.
func apiErr(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tgbotapi.Error", err, err)
	}
	return e
}

func rawPost(t *testing.T, u string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func TestEndpointIsLoopback(t *testing.T) {
	srv := telegramtest.New(t, token)
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q, want http://127.0.0.1:PORT", srv.URL())
	}
	if srv.Endpoint() != srv.URL()+"/bot%s/%s" {
		t.Errorf("Endpoint() = %q", srv.Endpoint())
	}
}

func TestGetMeAndTokenOnlyInPath(t *testing.T) {
	srv := telegramtest.New(t, token)
	for _, tok := range []string{token, "999:other_Token-x", "not-a-real-token"} {
		bot := newBot(t, srv, tok) // NewBotAPIWithClient calls getMe
		if bot.Self.ID != telegramtest.BotID || bot.Self.UserName != telegramtest.BotUsername || !bot.Self.IsBot {
			t.Errorf("token %q: Self = %+v", tok, bot.Self)
		}
	}
	calls := srv.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls, want 3", len(calls))
	}
	if calls[1].Method != "getMe" || calls[1].Token != "999:other_Token-x" || calls[1].Status != 200 {
		t.Errorf("call = %+v", calls[1])
	}
}

func TestUnknownMethodIs404(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	_, err := bot.MakeRequest("sendPhoto", tgbotapi.Params{"chat_id": "1"})
	if e := apiErr(t, err); e.Code != 404 || e.Message != "Not Found" {
		t.Errorf("error = %+v", e)
	}
	resp, err := http.Get(srv.URL() + "/bot" + token + "/noSuchMethod")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || string(b) != `{"description":"Not Found","error_code":404,"ok":false}` {
		t.Errorf("HTTP %d %s", resp.StatusCode, b)
	}
	resp, err = http.Get(srv.URL() + "/nobot")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("bad path: HTTP %d", resp.StatusCode)
	}
}

func TestLongPollReturnsUpdatePushedWhileWaiting(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	type result struct {
		ups []tgbotapi.Update
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
		done <- result{ups, err}
	}()
	if err := srv.WaitPolling(ctxTimeout(t, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	id := srv.PushMessage(42, "/start")
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("long poll took %v, want it to return on the push", time.Since(start))
	}
	if len(r.ups) != 1 || r.ups[0].UpdateID != id {
		t.Fatalf("updates = %+v, want one with id %d", r.ups, id)
	}
	m := r.ups[0].Message
	if m == nil || m.Text != "/start" || !m.IsCommand() || m.Command() != "start" || m.Chat.ID != 42 || m.From.ID != 42 || m.From.LanguageCode != "en" {
		t.Errorf("message = %+v", m)
	}
	if m.Chat.Type != "private" || m.MessageID != 1 {
		t.Errorf("chat = %+v, message_id = %d", m.Chat, m.MessageID)
	}
}

func TestLongPollTimesOutEmpty(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	start := time.Now()
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if err != nil || len(ups) != 0 {
		t.Fatalf("GetUpdates = %v, %v", ups, err)
	}
	if el := time.Since(start); el < 900*time.Millisecond || el > 5*time.Second {
		t.Errorf("timeout 1 returned after %v", el)
	}
	// timeout 0 is a short poll
	start = time.Now()
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("short poll took %v", el)
	}
}

func TestLongPollEndsWhenClientGoesAway(t *testing.T) {
	srv := telegramtest.New(t, token)
	newBot(t, srv, token)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"/bot"+token+"/getUpdates", strings.NewReader("timeout=30"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	if err := srv.WaitPolling(ctxTimeout(t, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("request succeeded after cancel")
	}
	// The handler must notice and return well before its 30 s timeout.
	if err := srv.WaitCalls(ctxTimeout(t, 5*time.Second), "getUpdates", 1); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if last := calls[len(calls)-1]; last.Method != "getUpdates" || last.Status != 0 {
		t.Errorf("last call = %+v, want getUpdates with status 0", last)
	}
}

func TestOffsetConfirmsUpdates(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	a := srv.PushMessage(1, "a")
	b := srv.PushMessage(1, "b")
	c := srv.PushMessage(2, "c")
	get := func(cfg tgbotapi.UpdateConfig) []int {
		t.Helper()
		ups, err := bot.GetUpdates(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, u := range ups {
			ids = append(ids, u.UpdateID)
		}
		return ids
	}
	if got := get(tgbotapi.UpdateConfig{}); len(got) != 3 || got[0] != a || got[2] != c {
		t.Fatalf("first poll = %v", got)
	}
	// Not confirmed yet: the same updates again.
	if got := get(tgbotapi.UpdateConfig{}); len(got) != 3 {
		t.Fatalf("second poll = %v", got)
	}
	if got := get(tgbotapi.UpdateConfig{Offset: a + 1, Limit: 1}); len(got) != 1 || got[0] != b {
		t.Fatalf("offset a+1 limit 1 = %v, want [%d]", got, b)
	}
	if srv.Pending() != 2 {
		t.Errorf("Pending = %d, want 2", srv.Pending())
	}
	if got := get(tgbotapi.UpdateConfig{Offset: c + 1}); len(got) != 0 {
		t.Fatalf("offset c+1 = %v", got)
	}
	if srv.Pending() != 0 {
		t.Errorf("Pending = %d after confirming all", srv.Pending())
	}
	d := srv.PushMessage(1, "d")
	e := srv.PushMessage(1, "e")
	if got := get(tgbotapi.UpdateConfig{Offset: -1}); len(got) != 1 || got[0] != e {
		t.Fatalf("offset -1 = %v, want [%d] (d=%d forgotten)", got, e, d)
	}
}

func TestGetUpdatesChanReceivesPushes(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	ch := bot.GetUpdatesChan(tgbotapi.UpdateConfig{Timeout: 2})
	defer bot.StopReceivingUpdates()
	srv.PushMessage(7, "hello")
	srv.PushLocation(7, 13.75, 100.5)
	var got []tgbotapi.Update
	for len(got) < 2 {
		select {
		case u := <-ch:
			got = append(got, u)
		case <-time.After(5 * time.Second):
			t.Fatalf("got %d updates", len(got))
		}
	}
	if got[0].Message.Text != "hello" || got[1].Message.Location == nil || got[1].Message.Location.Latitude != 13.75 {
		t.Errorf("updates = %+v / %+v", got[0].Message, got[1].Message)
	}
}

func TestSecondPollerGets409(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	errc := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
		errc <- err
	}()
	if err := srv.WaitPolling(ctxTimeout(t, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	other := newBot(t, srv, token)
	go func() { _, _ = other.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1}) }()
	e := apiErr(t, <-errc)
	if e.Code != 409 || !strings.HasPrefix(e.Message, "Conflict: terminated by other getUpdates request") {
		t.Errorf("error = %+v", e)
	}
}

func TestTooManyRequestsShape(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	srv.FailNext("sendMessage", 1, 429, 7)
	_, err := bot.Send(tgbotapi.NewMessage(5, "hi"))
	e := apiErr(t, err)
	if e.Code != 429 || e.RetryAfter != 7 || e.Message != "Too Many Requests: retry after 7" {
		t.Errorf("error = %+v", e)
	}
	if n := len(srv.Sent()); n != 0 {
		t.Errorf("a failed send was recorded: %d", n)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(5, "hi")); err != nil {
		t.Fatalf("second send: %v", err)
	}
	// The exact wire shape.
	srv.FailNext("sendmessage", 1, 429, 3)
	code, body := rawPost(t, srv.URL()+"/bot"+token+"/sendMessage", url.Values{"chat_id": {"5"}, "text": {"x"}})
	want := `{"description":"Too Many Requests: retry after 3","error_code":429,"ok":false,"parameters":{"retry_after":3}}`
	if b, _ := json.Marshal(body); code != 429 || string(b) != want {
		t.Errorf("HTTP %d %s, want %s", code, b, want)
	}
}

func TestFaultCodes(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	cases := []struct {
		code int
		msg  string
	}{
		{401, "Unauthorized"},
		{403, "Forbidden: bot was blocked by the user"},
		{409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"},
		{500, "Internal Server Error"},
		{502, "Bad Gateway"},
	}
	for _, c := range cases {
		srv.FailNext("getUpdates", 1, c.code, 0)
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
		if e := apiErr(t, err); e.Code != c.code || e.Message != c.msg || e.RetryAfter != 0 {
			t.Errorf("code %d: error = %+v", c.code, e)
		}
	}
	// Per chat: only sends to chat 9 fail, twice.
	srv.FailNextChat(9, 2, 500, 0)
	if _, err := bot.Send(tgbotapi.NewMessage(8, "ok")); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := bot.Send(tgbotapi.NewMessage(9, "x")); apiErr(t, err).Code != 500 {
			t.Fatal("want 500")
		}
	}
	if _, err := bot.Send(tgbotapi.NewMessage(9, "ok")); err != nil {
		t.Fatal(err)
	}
	// A proxy's HTML page is not JSON: tgbotapi returns a decode error.
	srv.Inject("sendMessage", 0, 1, telegramtest.Fault{Code: 502, Body: "<html>502 Bad Gateway</html>"})
	_, err := bot.Send(tgbotapi.NewMessage(8, "x"))
	var te *tgbotapi.Error
	if err == nil || errors.As(err, &te) {
		t.Errorf("HTML 502: err = %v, want a non-API error", err)
	}
	// A dropped connection is a transport error that names the token.
	srv.Inject("sendMessage", 0, 1, telegramtest.Fault{Disconnect: true})
	_, err = bot.Send(tgbotapi.NewMessage(8, "x"))
	if err == nil || !strings.Contains(err.Error(), token) {
		t.Errorf("disconnect: err = %v", err)
	}
}

func TestBlock(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	srv.Block(77)
	_, err := bot.Send(tgbotapi.NewMessage(77, "are you safe?"))
	if e := apiErr(t, err); e.Code != 403 || e.Message != "Forbidden: bot was blocked by the user" {
		t.Errorf("error = %+v", e)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(78, "other chat")); err != nil {
		t.Fatal(err)
	}
	srv.Unblock(77)
	if _, err := bot.Send(tgbotapi.NewMessage(77, "back")); err != nil {
		t.Fatal(err)
	}
}

func TestDelay(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	srv.SetDelay("sendMessage", 300*time.Millisecond)
	start := time.Now()
	if _, err := bot.Send(tgbotapi.NewMessage(1, "slow")); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("send took %v", el)
	}
	// A client that gives up still leaves the message sent.
	impatient, err := tgbotapi.NewBotAPIWithClient(token, srv.Endpoint(), &http.Client{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := impatient.Send(tgbotapi.NewMessage(1, "timeout")); err == nil {
		t.Fatal("want a client timeout")
	}
	if n := len(srv.SentTo(1)); n != 2 {
		t.Errorf("%d messages recorded, want 2", n)
	}
}

func TestSendMessageRecords(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	msg := tgbotapi.NewMessage(10, "<b>Is the job offer asking for a fee?</b>")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("Yes", "1.jc.fee.y"),
			tgbotapi.NewInlineKeyboardButtonData("No", "1.jc.fee.n"),
		),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Hotline", "https://example.org")),
	)
	got, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if got.MessageID != 1 || got.Chat.ID != 10 || got.From.ID != telegramtest.BotID || got.ReplyMarkup == nil || len(got.ReplyMarkup.InlineKeyboard) != 2 {
		t.Errorf("returned message = %+v", got)
	}
	for i, chat := range []int64{10, 11, 10} {
		m, err := bot.Send(tgbotapi.NewMessage(chat, "n"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{2, 1, 3}[i]; m.MessageID != want {
			t.Errorf("send %d to %d: message_id %d, want %d", i, chat, m.MessageID, want)
		}
	}
	sent, err := srv.WaitSent(ctxTimeout(t, time.Second), 4)
	if err != nil {
		t.Fatal(err)
	}
	s0 := sent[0]
	if s0.ChatID != 10 || s0.MessageID != 1 || s0.Text != "<b>Is the job offer asking for a fee?</b>" || s0.ParseMode != "HTML" || s0.Time.IsZero() {
		t.Errorf("Sent[0] = %+v", s0)
	}
	want := [][]telegramtest.Button{
		{{Text: "Yes", CallbackData: "1.jc.fee.y"}, {Text: "No", CallbackData: "1.jc.fee.n"}},
		{{Text: "Hotline", URL: "https://example.org"}},
	}
	if b1, b2 := jsonOf(s0.Keyboard), jsonOf(want); b1 != b2 {
		t.Errorf("keyboard = %s, want %s", b1, b2)
	}
	if len(srv.SentTo(11)) != 1 {
		t.Errorf("SentTo(11) = %+v", srv.SentTo(11))
	}
	// WaitSent gives up with the context.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := srv.WaitSent(ctx, 5); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitSent error = %v", err)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSendMessageValidation(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	long := strings.Repeat("ก", 4097)
	cases := []struct {
		name string
		msg  tgbotapi.MessageConfig
		want string
	}{
		{"empty text", tgbotapi.NewMessage(1, ""), "Bad Request: message text is empty"},
		{"too long", tgbotapi.NewMessage(1, long), "Bad Request: message is too long"},
		{"bad parse mode", withMode(tgbotapi.NewMessage(1, "x"), "XML"), "Bad Request: unsupported parse_mode"},
		{"unknown html tag", withMode(tgbotapi.NewMessage(1, "age <18 only"), "HTML"), `Bad Request: can't parse entities: Unsupported start tag "18" at byte offset 4`},
		{"unclosed html", withMode(tgbotapi.NewMessage(1, "<b>bold"), "HTML"), `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"markdownv2 dot", withMode(tgbotapi.NewMessage(1, "Call 1300."), "MarkdownV2"), `Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\'`},
		{"long callback data", withKeyboard(tgbotapi.NewMessage(1, "x"), strings.Repeat("ภ", 22)), "Bad Request: BUTTON_DATA_INVALID"},
	}
	for _, c := range cases {
		_, err := bot.Send(c.msg)
		if e := apiErr(t, err); e.Code != 400 || e.Message != c.want {
			t.Errorf("%s: %d %q, want %q", c.name, e.Code, e.Message, c.want)
		}
	}
	ok := []tgbotapi.MessageConfig{
		tgbotapi.NewMessage(1, strings.Repeat("ก", 4096)),
		withMode(tgbotapi.NewMessage(1, `<b>Hi</b> &lt;18 <a href="https://x.org/?a=1&b=2">link</a>`), "HTML"),
		withMode(tgbotapi.NewMessage(1, `*Call* 1300\. _now_ \(free\) [hotline](https://x.org)`), "MarkdownV2"),
		withKeyboard(tgbotapi.NewMessage(1, "x"), strings.Repeat("a", 64)),
	}
	for i, m := range ok {
		if _, err := bot.Send(m); err != nil {
			t.Errorf("ok[%d]: %v", i, err)
		}
	}
}

func withMode(m tgbotapi.MessageConfig, mode string) tgbotapi.MessageConfig {
	m.ParseMode = mode
	return m
}

func withKeyboard(m tgbotapi.MessageConfig, data string) tgbotapi.MessageConfig {
	m.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("b", data)))
	return m
}

func TestCallbackAnswerAndEdits(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("I'm safe", "ci.7.ok")))
	msg := tgbotapi.NewMessage(20, "Check-in: are you safe?")
	msg.ReplyMarkup = kb
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	qid := srv.PushCallback(20, sent.MessageID, "ci.7.ok")
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 1 || ups[0].CallbackQuery == nil {
		t.Fatalf("updates = %+v, %v", ups, err)
	}
	cq := ups[0].CallbackQuery
	if cq.ID != qid || cq.Data != "ci.7.ok" || cq.From.ID != 20 || cq.Message == nil || cq.Message.MessageID != sent.MessageID ||
		cq.Message.Text != "Check-in: are you safe?" || cq.Message.ReplyMarkup == nil || cq.ChatInstance == "" {
		t.Errorf("callback = %+v, message = %+v", cq, cq.Message)
	}
	if _, err := bot.Request(tgbotapi.NewCallback(cq.ID, "Recorded")); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(tgbotapi.NewCallback(cq.ID, "again"))
	if e := apiErr(t, err); e.Code != 400 || !strings.Contains(e.Message, "query is too old") {
		t.Errorf("second answer: %+v", e)
	}
	ans := srv.Answered()
	if len(ans) != 1 || ans[0].QueryID != qid || ans[0].Text != "Recorded" || ans[0].ChatID != 20 || ans[0].MessageID != sent.MessageID || ans[0].Data != "ci.7.ok" {
		t.Errorf("Answered = %+v", ans)
	}

	// editMessageText without reply_markup removes the keyboard, as on Telegram.
	edited, err := bot.Send(tgbotapi.NewEditMessageText(20, sent.MessageID, "Thanks, recorded."))
	if err != nil {
		t.Fatal(err)
	}
	if edited.Text != "Thanks, recorded." || edited.EditDate == 0 || edited.ReplyMarkup != nil {
		t.Errorf("edited = %+v", edited)
	}
	if m, ok := srv.Message(20, sent.MessageID); !ok || m.Keyboard != nil || m.Text != "Thanks, recorded." {
		t.Errorf("Message = %+v, %v", m, ok)
	}
	// Same content again: "message is not modified".
	_, err = bot.Send(tgbotapi.NewEditMessageText(20, sent.MessageID, "Thanks, recorded."))
	if e := apiErr(t, err); e.Code != 400 || !strings.HasPrefix(e.Message, "Bad Request: message is not modified") {
		t.Errorf("unchanged edit: %+v", e)
	}
	// Put a keyboard back, then remove it with an empty (non-nil) keyboard.
	if _, err := bot.Send(tgbotapi.NewEditMessageReplyMarkup(20, sent.MessageID, kb)); err != nil {
		t.Fatal(err)
	}
	// tgbotapi's zero markup encodes {"inline_keyboard":null}: Telegram
	// keeps the buttons, so nothing changes.
	_, err = bot.Send(tgbotapi.NewEditMessageReplyMarkup(20, sent.MessageID, tgbotapi.InlineKeyboardMarkup{}))
	if e := apiErr(t, err); e.Code != 400 || !strings.Contains(e.Message, "not modified") {
		t.Errorf("null keyboard: %+v", e)
	}
	empty := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
	if _, err := bot.Send(tgbotapi.NewEditMessageReplyMarkup(20, sent.MessageID, empty)); err != nil {
		t.Fatal(err)
	}
	edits := srv.Edits()
	if len(edits) != 3 || edits[0].Method != "editMessageText" || edits[1].Keyboard == nil || edits[2].Keyboard != nil || edits[2].Method != "editMessageReplyMarkup" {
		t.Errorf("Edits = %+v", edits)
	}
	// Unknown message.
	_, err = bot.Send(tgbotapi.NewEditMessageText(20, 999, "x"))
	if e := apiErr(t, err); e.Message != "Bad Request: message to edit not found" {
		t.Errorf("unknown message: %+v", e)
	}
}

func TestCallbackTTL(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	srv.SetCallbackTTL(10 * time.Millisecond)
	qid := srv.PushCallback(1, 1, "x")
	time.Sleep(30 * time.Millisecond)
	_, err := bot.Request(tgbotapi.NewCallback(qid, ""))
	if e := apiErr(t, err); e.Message != "Bad Request: query is too old and response timeout expired or query ID is invalid" {
		t.Errorf("error = %+v", e)
	}
}

func TestEditedGroupAndCommandUpdates(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	srv.SetUser(30, telegramtest.User{ID: 30, FirstName: "Somchai", LanguageCode: "th"})
	srv.PushMessage(30, "/lang@homeward_test_bot my")
	mid := 1
	srv.PushEditedMessage(30, mid, "fixed")
	srv.PushGroupMessage(-100, 30, "hi group")
	srv.PushUpdate("my_chat_member", map[string]any{"chat": map[string]any{"id": 30, "type": "private"}})
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 4 {
		t.Fatalf("updates = %d, %v", len(ups), err)
	}
	if m := ups[0].Message; m.Command() != "lang" || m.CommandArguments() != "my" || m.From.LanguageCode != "th" || m.Chat.FirstName != "Somchai" {
		t.Errorf("command = %+v", m)
	}
	if e := ups[1].EditedMessage; e == nil || e.MessageID != mid || e.Text != "fixed" || e.EditDate == 0 {
		t.Errorf("edited = %+v", e)
	}
	if g := ups[2].Message; g.Chat.ID != -100 || g.Chat.Type != "group" || g.From.ID != 30 || g.Chat.Title == "" {
		t.Errorf("group = %+v", g)
	}
	if ups[3].MyChatMember == nil {
		t.Errorf("my_chat_member missing: %+v", ups[3])
	}
	// allowed_updates filters (and drops) other types.
	srv.PushMessage(30, "a")
	srv.PushCallback(30, 1, "d")
	ups, err = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: ups[3].UpdateID + 1, AllowedUpdates: []string{"callback_query"}})
	if err != nil || len(ups) != 1 || ups[0].CallbackQuery == nil {
		t.Fatalf("allowed_updates: %+v, %v", ups, err)
	}
}

func TestCommands(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	en := tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "start", Description: "Start"}, tgbotapi.BotCommand{Command: "help", Description: "Help"})
	th := tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "start", Description: "เริ่ม"})
	th.LanguageCode = "th"
	scoped := tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeAllPrivateChats(), tgbotapi.BotCommand{Command: "sos", Description: "Help now"})
	for _, c := range []tgbotapi.SetMyCommandsConfig{en, th, scoped} {
		if _, err := bot.Request(c); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Commands()
	if len(got[""]) != 2 || got["th"][0].Description != "เริ่ม" || got["all_private_chats/"][0].Command != "sos" {
		t.Errorf("Commands = %+v", got)
	}
	cmds, err := bot.GetMyCommandsWithConfig(tgbotapi.GetMyCommandsConfig{LanguageCode: "th"})
	if err != nil || len(cmds) != 1 {
		t.Errorf("GetMyCommands = %+v, %v", cmds, err)
	}
	del := tgbotapi.NewDeleteMyCommands()
	del.LanguageCode = "th"
	if _, err := bot.Request(del); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Commands()["th"]; ok {
		t.Error("th commands not deleted")
	}
	bad := tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Start", Description: "x"})
	if _, err := bot.Request(bad); apiErr(t, err).Message != "Bad Request: BOT_COMMAND_INVALID" {
		t.Errorf("uppercase command accepted: %v", err)
	}
}

func TestWebhook(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	var (
		mu      sync.Mutex
		got     []tgbotapi.Update
		secrets []string
		fail    = true
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if fail { // the first delivery fails and is retried
			fail = false
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		var u tgbotapi.Update
		_ = json.NewDecoder(r.Body).Decode(&u)
		got = append(got, u)
		secrets = append(secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
	}))
	defer hook.Close()

	if _, err := bot.MakeRequest("setWebhook", tgbotapi.Params{"url": hook.URL + "/tg", "secret_token": "s3cret_-X"}); err != nil {
		t.Fatal(err)
	}
	_, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if e := apiErr(t, err); e.Code != 409 || !strings.Contains(e.Message, "webhook is active") {
		t.Errorf("getUpdates with webhook: %+v", e)
	}
	srv.PushMessage(1, "one")
	srv.PushMessage(1, "two")
	deadline := time.Now().Add(5 * time.Second)
	for srv.WebhookDelivered() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	if len(got) != 2 || got[0].Message.Text != "one" || got[1].Message.Text != "two" || secrets[0] != "s3cret_-X" {
		t.Errorf("webhook got %+v with secrets %q", got, secrets)
	}
	mu.Unlock()
	info, err := bot.GetWebhookInfo()
	if err != nil || info.URL != hook.URL+"/tg" || info.PendingUpdateCount != 0 || info.LastErrorMessage != "Wrong response from the webhook: 500 Internal Server Error" {
		t.Errorf("info = %+v, %v", info, err)
	}
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	srv.PushMessage(1, "three")
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 1 || ups[0].Message.Text != "three" {
		t.Errorf("after deleteWebhook: %+v, %v", ups, err)
	}
	if _, err := bot.MakeRequest("setWebhook", tgbotapi.Params{"url": "https://example.org/hook"}); apiErr(t, err).Code != 400 {
		t.Error("non-loopback webhook accepted")
	}
}

func TestRateChecker(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	// Two quick messages to one chat: one would-be 429.
	for range 2 {
		if _, err := bot.Send(tgbotapi.NewMessage(1, "x")); err != nil {
			t.Fatal(err)
		}
	}
	// On a loaded machine the two sends may be a second apart: derive
	// the expectation from the recorded times.
	ts := srv.SendTimes(1)
	want := 0
	if ts[1].Sub(ts[0]) < time.Second {
		want = 1
	}
	st := srv.RateStats()
	if st.Sends != 2 || st.WouldBe429 != want || st.PerChat != want || st.MinChatGap != ts[1].Sub(ts[0]) {
		t.Errorf("stats = %+v, want %d would-be 429", st, want)
	}
	if v := srv.RateViolations(); len(v) != want || (want == 1 && (v[0].ChatID != 1 || v[0].Limit != "chat")) {
		t.Errorf("violations = %+v", v)
	}
	// 35 chats at once: the sends past 30 in one second are over the global limit.
	for i := range 35 {
		if _, err := bot.Send(tgbotapi.NewMessage(int64(100+i), "x")); err != nil {
			t.Fatal(err)
		}
	}
	st = srv.RateStats()
	if first, last := srv.SendTimes(100)[0], srv.SendTimes(134)[0]; last.Sub(first) < time.Second {
		if st.Global < 5 || st.MaxPerSecond < 35 {
			t.Errorf("stats = %+v", st)
		}
	}
	if n := len(srv.SendTimes(1)); n != 2 {
		t.Errorf("SendTimes(1) = %d", n)
	}
	if n := len(srv.SendTimesByChat()); n != 36 {
		t.Errorf("SendTimesByChat has %d chats", n)
	}
	// Enforced: a real 429 with retry_after.
	srv.SetRateLimits(telegramtest.RateLimits{PerChatPerSecond: 1, Enforce: true})
	_, err := bot.Send(tgbotapi.NewMessage(1, "third"))
	if e := apiErr(t, err); e.Code != 429 || e.RetryAfter < 1 {
		t.Errorf("enforced = %+v", e)
	}
}

func TestRateCheckerPacedSendsAreClean(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2 s")
	}
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	for range 3 {
		if _, err := bot.Send(tgbotapi.NewMessage(1, "paced")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1010 * time.Millisecond)
	}
	if st := srv.RateStats(); st.WouldBe429 != 0 || st.MinChatGap < time.Second {
		t.Errorf("stats = %+v", st)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := telegramtest.New(t, token)
	bot := newBot(t, srv, token)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 10 {
				if _, err := bot.Send(tgbotapi.NewMessage(int64(i+1), "m")); err != nil {
					t.Error(err)
				}
				srv.PushCallback(int64(i+1), j+1, "d")
			}
		}()
		go func() {
			defer wg.Done()
			for range 10 {
				srv.PushMessage(int64(i+1), "u")
				_ = srv.Sent()
				_ = srv.RateStats()
			}
		}()
	}
	wg.Wait()
	if n := len(srv.Sent()); n != 80 {
		t.Errorf("%d sent", n)
	}
	if srv.Pending() != 160 {
		t.Errorf("%d pending", srv.Pending())
	}
}
