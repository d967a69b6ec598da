package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/telegram/telegramtest"
)

func TestStartAndOfferCheckByButtons(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	const chat = 501
	h.srv.PushMessage(chat, "/start")
	menu := h.sent(chat, 1)[0]
	if menu.ParseMode != "HTML" || !strings.Contains(menu.Text, "Homeward") || len(menu.Keyboard) == 0 {
		t.Fatalf("answer to /start: %+v", menu)
	}
	q := h.srv.PushCallback(chat, menu.MessageID, button(t, menu, "Check a job offer"))
	country := h.sent(chat, 2)[1]
	if !strings.Contains(country.Text, "country") || len(country.Keyboard) < 3 {
		t.Fatalf("after pressing Check: %+v", country)
	}
	h.until("the press answered", func() bool { return len(h.srv.Answered()) == 1 })
	if a := h.srv.Answered()[0]; a.QueryID != q || a.Text != "" {
		t.Fatalf("answer to a good press: %+v", a)
	}
	// Every update was handed in with the chat, hint and ids the engine expects.
	us := h.rec.Updates()
	if len(us) != 2 || us[0].Chat != "tg:501" || us[0].Text != "/start" || us[0].Hint != "en" ||
		!strings.HasPrefix(us[0].ID, "tg:u:") || us[1].Data == "" || us[1].Chat != "tg:501" {
		t.Fatalf("updates: %+v", us)
	}
}

func TestStalePressAnsweredAndKeyboardRemoved(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	const chat = 502
	h.srv.PushMessage(chat, "/start")
	menu := h.sent(chat, 1)[0]
	data := button(t, menu, "Check a job offer")
	h.srv.PushCallback(chat, menu.MessageID, data)
	h.sent(chat, 2)
	// The same button again: the prompt has moved on.
	q := h.srv.PushCallback(chat, menu.MessageID, data)
	h.until("the stale press answered and its keyboard removed", func() bool {
		m, _ := h.srv.Message(chat, menu.MessageID)
		return len(h.srv.Answered()) == 2 && m.Keyboard == nil
	})
	a := h.srv.Answered()[1]
	if a.QueryID != q || a.Text == "" {
		t.Fatalf("stale press answered with %+v, want a notice", a)
	}
	if got := len(h.srv.SentTo(chat)); got != 2 {
		t.Fatalf("a stale press sent messages: %d in all, want 2", got)
	}
	var removed bool
	for _, e := range h.srv.Edits() {
		removed = removed || e.Method == "editMessageReplyMarkup" && e.MessageID == menu.MessageID && e.Keyboard == nil
	}
	if !removed {
		t.Fatalf("no keyboard removal among %+v", h.srv.Edits())
	}
}

func TestPressTooOldIsDropped(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	const chat = 503
	h.srv.PushMessage(chat, "/start")
	menu := h.sent(chat, 1)[0]
	h.srv.SetCallbackTTL(time.Nanosecond)
	h.srv.PushCallback(chat, menu.MessageID, button(t, menu, "Check a job offer"))
	h.sent(chat, 2) // the press itself still counts
	h.until("the late answer logged", func() bool { return strings.Contains(h.logs.String(), "answered too late") })
}

func TestOffsetConfirmedOnlyAfterHandle(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	h := newHarness(t)
	h.rec.gate = gate
	h.start()
	h.srv.PushMessage(504, "/help")
	if err := h.srv.WaitCalls(h.ctx, "getUpdates", 1); err != nil {
		t.Fatal(err)
	}
	// Handle is blocked: however often the bot polls meanwhile, the
	// update stays unconfirmed on the server.
	if n := h.srv.Pending(); n != 1 {
		t.Fatalf("pending while Handle runs: %d, want 1", n)
	}
	close(gate)
	h.sent(504, 1)
	h.until("the update confirmed", func() bool { return h.srv.Pending() == 0 })
}

func TestRedeliveredUpdateIsNotAnsweredTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	h.srv.PushMessage(505, "/help")
	h.sent(505, 1)
	h.until("offset confirmed", func() bool { return h.srv.Pending() == 0 })
	// Telegram sends the same update again (as after a crash before the
	// offset was confirmed): the engine skips it.
	h.stop()
	u := h.rec.Updates()[0]
	out, err := h.rec.Engine.Handle(h.ctx, u)
	if err != nil || !out.Duplicate {
		t.Fatalf("Handle of a redelivered update: %+v, %v", out, err)
	}
}

func TestRetryAfterKeepsTheChatWaitingButNotOthers(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	h.srv.FailNextChat(601, 1, http.StatusTooManyRequests, 3600)
	h.enqueue(
		bot.Message{Chat: "tg:601", Text: "to the rate-limited chat", Kind: "reply"},
		bot.Message{Chat: "tg:602", Text: "first to the other chat", Kind: "reply"},
		bot.Message{Chat: "tg:602", Text: "second to the other chat", Kind: "reply"},
	)
	got := h.sent(602, 2)
	if got[0].Text != "first to the other chat" || got[1].Text != "second to the other chat" {
		t.Fatalf("other chat got %q, %q", got[0].Text, got[1].Text)
	}
	h.until("the 429 seen and the rest settled", func() bool { return h.srv.CallCount("sendMessage") >= 3 && len(h.outbox()) == 1 })
	ob := h.outbox()
	if len(ob) != 1 || ob[0].Chat != "tg:601" || ob[0].Attempts != 0 {
		t.Fatalf("outbox after a 429 of an hour: %+v", ob)
	}
	if n := len(h.srv.SentTo(601)); n != 0 {
		t.Fatalf("the rate-limited chat got %d messages", n)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	h.srv.FailNextChat(603, 1, http.StatusTooManyRequests, 1)
	h.enqueue(bot.Message{Chat: "tg:603", Text: "hello", Kind: "reply"})
	h.sent(603, 1)
	// The fake records a call once its answer is written, which can be a
	// moment after the message shows as sent: wait for both records.
	var failed, ok time.Time
	h.until("the 429 and the successful send recorded", func() bool {
		for _, c := range h.srv.Calls() {
			if c.Method == "sendMessage" && c.Status == http.StatusTooManyRequests {
				failed = c.Time
			}
			if c.Method == "sendMessage" && c.Status == http.StatusOK {
				ok = c.Time
			}
		}
		return !failed.IsZero() && !ok.IsZero()
	})
	if ok.Sub(failed) < time.Second {
		t.Fatalf("retried %v after a 429 with retry_after 1 s", ok.Sub(failed))
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	// A proxy's HTML page, then Telegram's own JSON 500.
	h.srv.Inject("sendMessage", 701, 1, telegramtest.Fault{Code: http.StatusBadGateway, Body: "<html><body>502 Bad Gateway</body></html>"})
	h.srv.Inject("sendMessage", 701, 1, telegramtest.Fault{Code: http.StatusInternalServerError})
	h.enqueue(bot.Message{Chat: "tg:701", Text: "after two server errors", Kind: "reply"})
	got := h.sent(701, 1)
	if len(got) != 1 || got[0].Text != "after two server errors" {
		t.Fatalf("sent %+v", got)
	}
	h.until("the outbox empty", func() bool { return len(h.outbox()) == 0 })
	if !strings.Contains(h.logs.String(), `"attempts":2`) {
		t.Fatalf("no second attempt logged:\n%s", h.logs.String())
	}
	if f, ok := h.obs.count("tg failed error"), h.obs.count("tg sent reply"); f != 2 || ok != 1 {
		t.Fatalf("observer: %d failures, %d sent; want 2, 1", f, ok)
	}
}

func TestSlowServerTimesOutAndRetries(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.SendTimeout = 200 * time.Millisecond })
	h.start()
	h.srv.SetDelay("sendMessage", time.Second)
	h.enqueue(bot.Message{Chat: "tg:702", Text: "slow", Kind: "reply"})
	h.until("a timed-out attempt", func() bool { return strings.Contains(h.logs.String(), "send failed, retrying") })
	h.srv.SetDelay("sendMessage", 0)
	h.until("the outbox empty", func() bool { return len(h.outbox()) == 0 })
	// The fake took the timed-out call too: Telegram may show it twice,
	// which is the price of never losing it.
	if n := len(h.srv.SentTo(702)); n < 1 {
		t.Fatalf("sent %d", n)
	}
}

func TestBlockedRecipientIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	h.srv.Block(703)
	h.enqueue(bot.Message{Chat: "tg:703", Text: "an alert", Kind: "alert", Trip: "t1"})
	h.until("the 403 reported", func() bool { return len(h.rec.Undelivered()) == 1 })
	if got := h.rec.Undelivered()[0]; got != "tg:703 blocked" {
		t.Fatalf("Undeliverable got %q", got)
	}
	if n := h.obs.count("tg failed blocked"); n != 1 {
		t.Fatalf("observer: %d blocked", n)
	}
	h.until("the outbox empty", func() bool { return len(h.outbox()) == 0 })
}

func TestBadRequestIsDroppedWithoutTextInLogs(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	h.srv.Inject("sendMessage", 704, 1, telegramtest.Fault{Code: http.StatusBadRequest, Description: "Bad Request: message is too long"})
	const secret = "my passport number is X1234567"
	h.enqueue(
		bot.Message{Chat: "tg:704", Text: secret, Kind: "reply"},
		bot.Message{Chat: "tg:704", Text: "the next one", Kind: "reply"},
	)
	got := h.sent(704, 1)
	if got[0].Text != "the next one" {
		t.Fatalf("sent %q", got[0].Text)
	}
	h.until("the outbox empty", func() bool { return len(h.outbox()) == 0 })
	logs := h.logs.String()
	if !strings.Contains(logs, "message is too long") || strings.Contains(logs, "X1234567") {
		t.Fatalf("logs:\n%s", logs)
	}
}

func TestLongTextIsSplitInOrderWithButtonsLast(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	var b strings.Builder
	for b.Len() < 10000 {
		b.WriteString("Words &amp; more words, <b>some bold ones</b>. ")
	}
	text := strings.TrimSpace(b.String())
	h.enqueue(
		bot.Message{Chat: "tg:705", Text: text, Kind: "reply", Buttons: [][]bot.Button{{{Label: "OK", Data: "x.ok"}}}},
		bot.Message{Chat: "tg:705", Text: "after", Kind: "reply"},
	)
	got := h.sent(705, 4)
	var parts []string
	for i, m := range got {
		if utf16Len(m.Text) > MaxText {
			t.Errorf("part %d has %d UTF-16 units", i, utf16Len(m.Text))
		}
		if (m.Keyboard != nil) != (i == 2) {
			t.Errorf("part %d keyboard %v", i, m.Keyboard)
		}
		parts = append(parts, m.Text)
	}
	if got[3].Text != "after" {
		t.Fatalf("the next message came out of order: %q", got[3].Text)
	}
	if joined := bot.PlainText(strings.Join(parts[:3], " ")); joined != bot.PlainText(text) {
		t.Fatalf("the parts do not add up to the text")
	}
	if st := h.srv.RateStats(); st.WouldBe429 != 0 {
		t.Fatalf("rate checker: %+v", st)
	}
}

func TestGroupChatGetsOneLine(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	const group = -4001
	h.srv.PushGroupMessage(group, 77, "/start")
	h.srv.PushGroupMessage(group, 78, "hello bot")
	got := h.sent(group, 1)
	h.until("both updates confirmed", func() bool { return h.srv.Pending() == 0 })
	h.until("the outbox empty", func() bool { return len(h.outbox()) == 0 })
	if len(h.srv.SentTo(group)) != 1 || !strings.Contains(got[0].Text, "@"+telegramtest.BotUsername) {
		t.Fatalf("group got %+v", h.srv.SentTo(group))
	}
	if us := h.rec.Updates(); len(us) != 0 {
		t.Fatalf("the engine saw group updates: %+v", us)
	}
}

func TestLocationsAndIgnoredUpdates(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	const chat = 506
	h.srv.PushMessage(chat, "/help")
	id := h.sent(chat, 1)[0].MessageID
	h.srv.PushEditedMessage(chat, id-1, "edited text is ignored")
	h.srv.PushUpdate("my_chat_member", map[string]any{"chat": map[string]any{"id": chat, "type": "private"}})
	h.srv.PushLocation(chat, 16.71, 98.57)
	h.srv.PushUpdate("edited_message", map[string]any{
		"message_id": 99, "date": time.Now().Unix(),
		"chat":     map[string]any{"id": chat, "type": "private"},
		"from":     map[string]any{"id": chat, "is_bot": false, "first_name": "T"},
		"location": map[string]any{"latitude": 16.72, "longitude": 98.58, "live_period": 900},
	})
	h.until("everything confirmed", func() bool { return h.srv.Pending() == 0 && len(h.rec.Updates()) == 3 })
	us := h.rec.Updates()
	if l := us[1].Location; l == nil || l.Live || l.Lat != 16.71 {
		t.Fatalf("shared location: %+v", us[1])
	}
	if l := us[2].Location; l == nil || !l.Live || l.Lon != 98.58 {
		t.Fatalf("live location edit: %+v", us[2])
	}
}

func TestCommandMenuPerLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t).start()
	h.until("the default menu", func() bool { return len(h.srv.Commands()[""]) > 0 })
	cmds := h.srv.Commands()[""]
	if len(cmds) != len(menuCommands) || cmds[0].Command != "start" || cmds[0].Description == "" {
		t.Fatalf("menu: %+v", cmds)
	}
	h.until("the English menu", func() bool { return len(h.srv.Commands()["en"]) > 0 })
	for key := range h.srv.Commands() {
		if len(key) != 0 && len(key) != 2 {
			t.Errorf("menu set for language_code %q", key)
		}
	}
}

func TestCommandMenuFailureIsAWarning(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.FailNext("setMyCommands", 100, http.StatusInternalServerError, 0)
	h.start()
	h.srv.PushMessage(507, "/help")
	h.sent(507, 1)
	h.until("the warning", func() bool { return strings.Contains(h.logs.String(), "could not set the command menu") })
}

func TestFatalAnswersEndRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code int
		want error
	}{{http.StatusUnauthorized, ErrUnauthorized}, {http.StatusConflict, ErrConflict}} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			h := newHarness(t)
			h.srv.FailNext("getUpdates", 1, tc.code, 0)
			h.start()
			if err := h.wait(); !errors.Is(err, tc.want) {
				t.Fatalf("Run: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestPollErrorsBackOffAndRecover(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.Inject("getUpdates", 0, 1, telegramtest.Fault{Disconnect: true})
	h.srv.FailNext("getUpdates", 1, http.StatusTooManyRequests, 1)
	h.start()
	h.srv.PushMessage(508, "/help")
	h.sent(508, 1)
	if !strings.Contains(h.logs.String(), "getUpdates failed") {
		t.Fatalf("no failure logged:\n%s", h.logs.String())
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1: tgbotapi's error holds the URL, token
	// included.
	_, err := New(context.Background(), Config{
		Token: testToken, Endpoint: "http://127.0.0.1:1/bot%s/%s",
		Engine: &recorder{}, Store: nopStore{}, Text: loadAssets(t).Text,
	})
	if err == nil {
		t.Fatal("New succeeded with nothing listening")
	}
	if msg := err.Error(); strings.Contains(msg, testToken) || strings.Contains(msg, "AAH-secret") || !strings.Contains(msg, "getMe") {
		t.Fatalf("error %q", msg)
	}
	// A bad token is told plainly.
	srv := telegramtest.New(t, testToken)
	srv.FailNext("getMe", 1, http.StatusUnauthorized, 0)
	_, err = New(context.Background(), Config{Token: testToken, Endpoint: srv.Endpoint(), Engine: &recorder{}, Store: nopStore{}, Text: loadAssets(t).Text})
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("New with a rejected token: %v", err)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	c := &client{token: testToken}
	for _, in := range []error{
		fmt.Errorf("Post %q: dial tcp: refused", "http://x/bot"+testToken+"/getMe"),
		errors.New("something about " + strings.ReplaceAll(testToken, ":", "%3A")),
		errors.New("only the secret half AAH-secret_TEST-token-abcdefghijklmnop"),
	} {
		if got := c.redact("getMe", in).Error(); strings.Contains(got, "AAH-secret") {
			t.Errorf("redact(%q) = %q", in, got)
		}
	}
	// Context errors still unwrap.
	err := c.redact("getUpdates", fmt.Errorf("wrapped: %w", context.Canceled))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("redacted context error does not unwrap: %v", err)
	}
}

// nopStore is a store that is never used (New fails before).
type nopStore struct{}

func (nopStore) Update(context.Context, func(bot.Tx) error) error { return errors.New("nop") }
func (nopStore) View(context.Context, func(bot.Tx) error) error   { return errors.New("nop") }
