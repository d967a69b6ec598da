package wechat

import (
	"context"
	"crypto/rand"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

const (
	testAccount = "gh_homeward"
	testBot     = "HomewardTestBot"
	zh          = "zh-Hans"
)

// loadAssets loads the real, embedded content and translations.
func loadAssets(t testing.TB) bot.Assets {
	t.Helper()
	a, err := bot.LoadAssets(content.Files, locales.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// gatedStore holds back the next Update transaction after arm until the
// release arm returns is called, to play a store slower than WeChat's window.
type gatedStore struct {
	bot.Store
	mu   sync.Mutex
	gate chan struct{} // nil: not armed
}

func (g *gatedStore) arm() (release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	gate := make(chan struct{})
	g.gate = gate
	return func() { close(gate) }
}

func (g *gatedStore) Update(ctx context.Context, fn func(bot.Tx) error) error {
	g.mu.Lock()
	gate := g.gate
	g.gate = nil
	g.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return g.Store.Update(ctx, fn)
}

// env is a whole WeChat deployment: the real engine on a bbolt file, the
// channel, and the handler in safe mode.
type env struct {
	t       testing.TB
	store   *gatedStore
	engine  *bot.Engine
	cat     *locales.Catalog
	handler *Handler
	crypter *Crypter
	errs    *errLog
	msgID   atomic.Int64
}

// newEnv builds a deployment; chCfg's Engine and Store are filled in.
func newEnv(t testing.TB, handlerCfg Config, chCfg ChannelConfig) *env {
	t.Helper()
	e := &env{t: t, errs: &errLog{}, store: &gatedStore{Store: storetest.Open(t)}}
	assets := loadAssets(t)
	e.cat = assets.Text
	eng, err := bot.New(bot.Config{Store: e.store, Assets: assets})
	if err != nil {
		t.Fatal(err)
	}
	e.engine = eng
	chCfg.Engine, chCfg.Store = eng, e.store
	ch, err := NewChannel(chCfg)
	if err != nil {
		t.Fatal(err)
	}
	handlerCfg.Token, handlerCfg.AppID, handlerCfg.EncodingAESKey = sampleToken, sampleAppID, sampleKey
	handlerCfg.OnError = e.errs.add
	if e.handler, err = NewHandler(handlerCfg, ch.Reply); err != nil {
		t.Fatal(err)
	}
	e.crypter = sampleCrypter(t)
	t.Cleanup(func() { e.errs.check(t) })
	return e
}

// request builds a safe-mode POST of m, signed the way WeChat signs it.
func (e *env) request(m Message) *http.Request {
	e.t.Helper()
	m.ToUserName = testAccount
	if m.CreateTime == 0 {
		m.CreateTime = time.Now().Unix()
	}
	plain, err := xml.Marshal(m)
	if err != nil {
		e.t.Fatal(err)
	}
	enc, err := e.crypter.Encrypt(rand.Reader, plain)
	if err != nil {
		e.t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	q := safeQuery(sampleToken, ts, "4242", enc)
	return httptest.NewRequest("POST", "/wechat?"+q.Encode(), strings.NewReader(envelope(enc)))
}

// open reads a handler's answer: the decrypted reply text, or "" for
// "success".
func (e *env) open(code int, body string) string {
	e.t.Helper()
	if code != 200 {
		e.t.Fatalf("answer %d %q, want 200", code, body)
	}
	if body == "success" {
		return ""
	}
	var env replyEnvelope
	if err := xml.Unmarshal([]byte(body), &env); err != nil {
		e.t.Fatalf("reading reply envelope: %v\n%s", err, body)
	}
	ts, _ := strconv.ParseInt(env.TimeStamp, 10, 64)
	if err := (Verifier{Token: sampleToken}).VerifyMsg(env.MsgSignature, env.TimeStamp, env.Nonce, env.Encrypt, time.Unix(ts, 0)); err != nil {
		e.t.Fatalf("reply envelope: %v", err)
	}
	plain, err := e.crypter.Decrypt(env.Encrypt)
	if err != nil {
		e.t.Fatal(err)
	}
	m, err := ParseMessage(plain)
	if err != nil {
		e.t.Fatal(err)
	}
	if m.MsgType != "text" || m.FromUserName != testAccount || m.ToUserName == "" {
		e.t.Fatalf("reply = %+v", m)
	}
	if len(m.Content) > MaxTextReply {
		e.t.Errorf("reply of %d bytes, over MaxTextReply", len(m.Content))
	}
	return m.Content
}

// serve runs one request through the handler in this goroutine.
func (e *env) serve(m Message) string {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, e.request(m))
	return e.open(rec.Code, rec.Body.String())
}

// user is one WeChat user talking to the account.
type user struct {
	e      *env
	openid string
}

func (e *env) user(openid string) *user { return &user{e: e, openid: openid} }

func (u *user) chat() string { return ChatPrefix + ":" + u.openid }

// text makes a text message with a fresh MsgId.
func (u *user) text(s string) Message {
	return Message{FromUserName: u.openid, MsgType: "text", Content: s, MsgID: strconv.FormatInt(9_000_000+u.e.msgID.Add(1), 10)}
}

func (u *user) event(event, key string) Message {
	return Message{FromUserName: u.openid, MsgType: "event", Event: event, EventKey: key, CreateTime: time.Now().Unix() + u.e.msgID.Add(1)}
}

func (u *user) say(s string) string {
	u.e.t.Helper()
	return u.e.serve(u.text(s))
}

func (u *user) session() *bot.Session {
	u.e.t.Helper()
	var s *bot.Session
	err := u.e.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		s, err = tx.Session(u.chat())
		return err
	})
	if err != nil {
		u.e.t.Fatalf("reading session: %v", err)
	}
	return s
}

// plain renders a message ID as a WeChat reply shows it.
func (e *env) plain(lang, id string, data map[string]any) string {
	return bot.PlainText(e.cat.Text(lang, id, data))
}

var choiceRE = regexp.MustCompile(`(?m)^(\d+)\. (.*)$`)

// choice returns the number of the choice labelled label in a reply.
func choice(t testing.TB, reply, label string) string {
	t.Helper()
	for _, m := range choiceRE.FindAllStringSubmatch(reply, -1) {
		if m[2] == label {
			return m[1]
		}
	}
	t.Fatalf("no choice %q in reply:\n%s", label, reply)
	return ""
}

// fullWidth writes a number in full-width digits, as Chinese keyboards do.
func fullWidth(n string) string {
	return strings.Map(func(r rune) rune { return r - '0' + '０' }, n)
}

// startInChinese follows the account and picks Simplified Chinese.
func startInChinese(t *testing.T, u *user) string {
	t.Helper()
	reply := u.e.serve(u.event("subscribe", ""))
	if !strings.Contains(reply, u.e.plain("en", "language.pick", nil)) {
		t.Fatalf("subscribing: want the language picker, got:\n%s", reply)
	}
	reply = u.say(fullWidth(choice(t, reply, "简体中文")))
	if want := u.e.plain(zh, "menu.q", nil); !strings.Contains(reply, want) {
		t.Fatalf("after picking Chinese: want %q, got:\n%s", want, reply)
	}
	return reply
}

// checkOffer runs the offer check from a reply showing the main menu,
// answering the first choice every time (a country, or "yes") in full-width
// digits, and fetching the rest of long replies with 0. It returns all that
// the check said, and whether a reply had to be split.
func checkOffer(t *testing.T, u *user, menu string) (all string, split bool) {
	t.Helper()
	e := u.e
	reply := u.say(choice(t, menu, e.plain(zh, "menu.offer", nil)))
	result := e.plain(zh, "offer.result.high", nil)
	more := e.plain(zh, "wechat.more", nil)
	var b strings.Builder
	b.WriteString(reply + "\n")
	for i := 0; i < 40 && (!strings.Contains(b.String(), result) || strings.HasSuffix(reply, more)); i++ {
		switch {
		case strings.HasSuffix(reply, more):
			split = true
			reply = u.say("０")
		case choiceRE.MatchString(reply):
			reply = u.say(fullWidth("1"))
		default:
			t.Fatalf("no choices and no result in:\n%s", reply)
		}
		b.WriteString(reply + "\n")
	}
	if !strings.Contains(b.String(), result) || strings.HasSuffix(reply, more) {
		t.Fatalf("no whole high-risk result after answering yes to everything:\n%s", b.String())
	}
	return b.String(), split
}

// A whole offer check in Chinese, over HTTP in safe mode: follow, pick the
// language by a full-width number, answer every question "yes" by number,
// read the result, and fetch the rest of the long result with 0.
func TestChannelOfferCheckInChinese(t *testing.T) {
	e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot})
	srv := httptest.NewServer(e.handler) // loopback only
	defer srv.Close()
	u := e.user("oChinese-OpenID")
	post := func(m Message) string {
		r := e.request(m)
		req, err := http.NewRequest("POST", srv.URL+r.URL.String(), r.Body)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return e.open(resp.StatusCode, string(body))
	}
	reply := post(u.event("subscribe", ""))
	reply = post(u.text(fullWidth(choice(t, reply, "简体中文"))))
	all, split := checkOffer(t, u, reply)

	if s := u.session(); s.Lang != zh || s.Answers["offer_risk"] != "high" {
		t.Errorf("session lang %q, offer_risk %q", s.Lang, s.Answers["offer_risk"])
	}
	for _, id := range []string{"offer.found", "offer.advice", "contacts.verify"} {
		if !strings.Contains(all, e.plain(zh, id, nil)) {
			t.Errorf("no %s in the result:\n%s", id, all)
		}
	}
	t.Logf("result split over several replies: %v (TestChannelMore covers splitting either way)", split)
	assertOutboxEmpty(t, e)
}

func assertOutboxEmpty(t *testing.T, e *env) {
	t.Helper()
	err := e.store.View(context.Background(), func(tx bot.Tx) error {
		msgs, err := tx.Outbox(ChatPrefix, 0)
		if len(msgs) > 0 {
			t.Errorf("%d messages left in the wx outbox", len(msgs))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// N concurrent deliveries of one MsgId: the step runs once, and every
// delivery gets the same answer.
func TestChannelRetryStorm(t *testing.T) {
	e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot})
	u := e.user("oStorm-OpenID")
	reply := startInChinese(t, u)
	before := u.session().Seq

	m := u.text(choice(t, reply, e.plain(zh, "menu.offer", nil)))
	const n = 24
	replies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, e.request(m))
			replies[i] = rec.Body.String()
			if rec.Code != 200 {
				t.Errorf("delivery %d: %d %q", i, rec.Code, replies[i])
			}
		})
	}
	wg.Wait()
	first := e.open(200, replies[0])
	if !strings.Contains(first, e.plain(zh, "offer.q.destination", nil)) {
		t.Errorf("answer is not the first offer question:\n%s", first)
	}
	for i, r := range replies[1:] {
		if got := e.open(200, r); got != first {
			t.Errorf("delivery %d got another answer:\n%s\nwant:\n%s", i+1, got, first)
		}
	}
	// One prompt was asked: the step ran once. Had it run twice, the
	// second "1" would have pressed the first country and asked again.
	if s := u.session(); s.Seq != before+1 || s.Step != "dest" {
		t.Errorf("after the storm: seq %d (was %d), step %q; want one new prompt at dest", s.Seq, before, s.Step)
	}
	// A retry after the storm still gets the same answer.
	if got := e.serve(m); got != first {
		t.Errorf("later retry got:\n%s", got)
	}
	assertOutboxEmpty(t, e)
}

// A store slower than WeChat's window: the handler answers "success" at the
// deadline, the message is still handled, and its reply goes out with the
// person's next message. A retry of the late delivery runs nothing again.
// synctest's fake clock makes the 4.5 s instant.
func TestChannelLateReplyIsKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot})
		u := e.user("oLate-OpenID")
		reply := e.serve(u.event("subscribe", ""))
		pick := u.text(choice(t, reply, "简体中文"))

		release := e.store.arm()
		start := time.Now()
		if got := e.serve(pick); got != "" {
			t.Fatalf("slow store: got a reply %q, want success", got)
		}
		if waited := time.Since(start); waited != DefaultReplyTimeout {
			t.Errorf("answered after %v, want the deadline %v", waited, DefaultReplyTimeout)
		}
		release()

		reply = u.say("/help")
		kept, help := e.plain(zh, "language.set", nil), e.plain(zh, "help", nil)
		i, j := strings.Index(reply, kept), strings.Index(reply, help)
		if i < 0 || j < 0 || i > j {
			t.Fatalf("next reply should hold the kept reply, then the answer:\n%s", reply)
		}
		seq := u.session().Seq
		if got := e.serve(pick); got != "" {
			t.Errorf("retry of the late delivery got %q, want success", got)
		}
		if s := u.session(); s.Seq != seq || s.Lang != zh {
			t.Errorf("retry ran a step: seq %d→%d, lang %q", seq, s.Seq, s.Lang)
		}
		assertOutboxEmpty(t, e)
		if len(e.errs.errs) != 1 || !errors.Is(e.errs.errs[0], context.DeadlineExceeded) {
			t.Errorf("reported %v, want one missed deadline", e.errs.errs)
		}
	})
}

// Tampered requests through the whole stack are refused before the engine
// sees them.
func TestChannelRefusesTampering(t *testing.T) {
	e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot})
	srv := httptest.NewServer(e.handler)
	defer srv.Close()
	u := e.user(testOpenID)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	enc := func(c *Crypter) string {
		plain, _ := xml.Marshal(u.text(testContent))
		s, err := c.Encrypt(rand.Reader, plain)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := enc(e.crypter)
	other, _ := NewCrypter(sampleKey, "wx0000000000000000")
	foreign := enc(other)
	flipped := []byte(good)
	flipped[20] ^= 0x01
	for _, tc := range []struct {
		name string
		q    url.Values
		body string
		want int
	}{
		{"bad msg_signature", safeQuery("not-the-token", ts, "1", good), envelope(good), 403},
		{"flipped ciphertext", safeQuery(sampleToken, ts, "1", good), envelope(string(flipped)), 403},
		{"another account's message", safeQuery(sampleToken, ts, "1", foreign), envelope(foreign), 403},
		{"stale timestamp", safeQuery(sampleToken, "1409659813", "1", good), envelope(good), 403},
		{"plaintext in safe mode", plainQuery(sampleToken, ts, "1"), textXML(testOpenID, testContent), 403},
		{"malformed envelope", safeQuery(sampleToken, ts, "1", good), "<xml><Encrypt>" + good, 400},
		{"JSON", safeQuery(sampleToken, ts, "1", good), `{"Encrypt":"` + good + `"}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := srv.Client().Post(srv.URL+"/wechat?"+tc.q.Encode(), "text/xml", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("POST = %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	err := e.store.View(context.Background(), func(tx bot.Tx) error {
		if _, err := tx.Session(u.chat()); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("a refused request reached the engine: session lookup = %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Messages the bot cannot read get a short "please send text"; events that
// ask for nothing get nothing and change nothing.
func TestChannelOtherMessageTypes(t *testing.T) {
	e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot})
	u := e.user("oTypes-OpenID")
	for _, typ := range []string{"image", "voice", "video", "location", "link", "file"} {
		m := u.text("")
		m.MsgType, m.Content = typ, ""
		if got, want := e.serve(m), e.plain("en", "input.unsupported", nil); got != want {
			t.Errorf("%s: reply %q, want %q", typ, got, want)
		}
	}
	v := e.user("oQuiet-OpenID")
	for _, ev := range []string{"unsubscribe", "VIEW", "LOCATION", "TEMPLATESENDJOBFINISH"} {
		if got := e.serve(v.event(ev, "https://example.org/")); got != "" {
			t.Errorf("%s: reply %q, want success", ev, got)
		}
	}
	err := e.store.View(context.Background(), func(tx bot.Tx) error {
		if _, err := tx.Session(v.chat()); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("quiet events made a session: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Menu clicks map to commands and to the offer check.
func TestChannelMenuClicks(t *testing.T) {
	e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot})
	u := e.user("oMenu-OpenID")
	startInChinese(t, u)
	for key, want := range map[string]string{
		"offer":    "offer.q.destination",
		"contacts": "contacts.q.where",
		"help":     "help",
		"CONTACTS": "contacts.q.where",
		"unknown":  "menu.q",
	} {
		if got := e.serve(u.event("CLICK", key)); !strings.Contains(got, e.plain(zh, want, nil)) {
			t.Errorf("menu key %q: want %s in:\n%s", key, want, got)
		}
	}
}

// payloadRE is what Telegram accepts as a /start payload.
var payloadRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// linkRE finds the handoff link in a reply.
var linkRE = regexp.MustCompile(`https://t\.me/` + testBot + `\?start=(\S+)`)

// Travel check-ins cannot run on WeChat: every way into them explains why
// and links to Telegram with the language and the offer-check result, and
// the Telegram side picks both up.
func TestChannelTripHandsOverToTelegram(t *testing.T) {
	e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot})
	u := e.user("oTrip-OpenID")
	menu := startInChinese(t, u)
	why := e.plain(zh, "wechat.trip.why", nil)

	handoff := func(how, reply, wantPayload string) {
		t.Helper()
		if !strings.Contains(reply, why) {
			t.Errorf("%s: no explanation in:\n%s", how, reply)
		}
		m := linkRE.FindStringSubmatch(reply)
		if m == nil {
			t.Fatalf("%s: no Telegram link in:\n%s", how, reply)
		}
		if m[1] != wantPayload || !payloadRE.MatchString(m[1]) {
			t.Errorf("%s: payload %q, want %q", how, m[1], wantPayload)
		}
		if !strings.Contains(reply, e.plain(zh, "menu.q", nil)) {
			t.Errorf("%s: the menu does not follow:\n%s", how, reply)
		}
		if s := u.session(); s.Flow != "main" {
			t.Errorf("%s: session in flow %q, want main", how, s.Flow)
		}
	}
	handoff("/trip before a check", u.say("/trip"), "w_zh-Hans_none")

	checkOffer(t, u, menu)
	reply := u.say("/menu")
	handoff("menu number", u.say(fullWidth(choice(t, reply, e.plain(zh, "menu.trip", nil)))), "w_zh-Hans_high")
	handoff("menu click", e.serve(u.event("CLICK", "trip")), "w_zh-Hans_high")
	handoff("/trip@bot", u.say("/TRIP@"+testBot), "w_zh-Hans_high")
	if s := u.session(); s.Answers["trip_for"] != "" {
		t.Errorf("the trip flow ran on WeChat: %v", s.Answers)
	}

	// On Telegram, the link sets the language and says what WeChat found.
	tg := func(chat string, u bot.Update) string {
		t.Helper()
		u.Chat = chat
		if _, err := e.engine.Handle(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		msgs, err := bot.TakeOutbox(context.Background(), e.store, "tg")
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, m := range msgs {
			b.WriteString(bot.PlainText(m.Text) + "\n")
		}
		return b.String()
	}
	got := tg("tg:71", bot.Update{Text: "/start w_zh-Hans_high", Hint: "en"})
	if !strings.Contains(got, e.plain(zh, "wechat.landed.high", nil)) || !strings.Contains(got, e.plain(zh, "menu.q", nil)) {
		t.Errorf("landing on Telegram:\n%s", got)
	}
	var s *bot.Session
	err := e.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		s, err = tx.Session("tg:71")
		return err
	})
	if err != nil || s.Lang != zh || s.Answers["offer_risk"] != "high" {
		t.Errorf("Telegram session after landing: %+v, %v", s, err)
	}
	// A forged payload sets nothing it should not.
	got = tg("tg:72", bot.Update{Text: "/start w_xx-Evil_critical", Hint: "en"})
	if !strings.Contains(got, e.plain("en", "wechat.landed.none", nil)) {
		t.Errorf("forged landing:\n%s", got)
	}
	// The channel's trip button does nothing outside WeChat.
	out, err := e.engine.Handle(context.Background(), bot.Update{Chat: "tg:72", Data: "wx.trip"})
	if err != nil || out.Notice != e.plain("en", "button.stale", nil) {
		t.Errorf("wx.trip pressed on Telegram: %+v, %v", out, err)
	}
	if got := tg("tg:72", bot.Update{Text: "/help"}); strings.Contains(got, why) {
		t.Errorf("wx.trip on Telegram explained the handoff:\n%s", got)
	}
}

// Without a Telegram bot configured, the handoff explains and gives no link.
func TestChannelTripWithoutTelegram(t *testing.T) {
	e := newEnv(t, Config{}, ChannelConfig{})
	u := e.user("oNoLink-OpenID")
	startInChinese(t, u)
	reply := u.say("/trip")
	if !strings.Contains(reply, e.plain(zh, "wechat.trip.no_link", nil)) || strings.Contains(reply, "t.me") {
		t.Errorf("handoff without a bot:\n%s", reply)
	}
}

// enqueue puts messages straight into a chat's outbox, as a late reply
// leaves them.
func (e *env) enqueue(chat string, texts ...string) {
	e.t.Helper()
	err := e.store.Update(context.Background(), func(tx bot.Tx) error {
		for _, text := range texts {
			if err := tx.Enqueue(&bot.Message{Chat: chat, Text: text, Kind: "reply"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// A reply longer than one message is sent in parts: each ends with the
// hint, "0" gets the next, a retried "0" gets the same part again and never
// the one after, and nothing is lost.
func TestChannelMore(t *testing.T) {
	now := time.Now()
	var offset atomic.Int64
	clock := func() time.Time { return now.Add(time.Duration(offset.Load())) }
	e := newEnv(t, Config{}, ChannelConfig{TelegramBot: testBot, Now: clock})
	u := e.user("oMore-OpenID")
	startInChinese(t, u)
	var paras []string
	for i := range 9 {
		paras = append(paras, strconv.Itoa(i)+"："+strings.Repeat("求助热线", 40)) // 482 bytes
	}
	e.enqueue(u.chat(), strings.Join(paras[:3], "\n\n"), strings.Join(paras[3:], "\n\n"))

	more := e.plain(zh, "wechat.more", nil)
	var got []string
	zero := u.text("0")
	reply := e.serve(zero)
	if again := e.serve(zero); again != reply {
		t.Errorf("retried 0 got another part:\n%s", again)
	}
	offset.Store(int64(DefaultReplyTTL)) // the answer cache forgot it
	if again := e.serve(zero); again != "" {
		t.Errorf("retried 0 after the cache forgot it got %q, want success", again)
	}
	for i := 0; ; i++ {
		got = append(got, reply)
		if !strings.HasSuffix(reply, more) || i > 10 {
			break
		}
		reply = u.say("０")
	}
	if len(got) < 3 {
		t.Errorf("%d bytes came in %d parts", len(strings.Join(paras, "")), len(got))
	}
	joined := strings.ReplaceAll(strings.Join(got, "\n\n"), more, "")
	for _, p := range paras {
		if !strings.Contains(joined, p) {
			t.Errorf("paragraph %.6q… lost or cut; parts:\n%s", p, strings.Join(got, "\n----\n"))
		}
	}
	assertOutboxEmpty(t, e)
	// With nothing queued, 0 is ordinary text for the engine.
	if reply := u.say("0"); reply == "" {
		t.Error("0 with nothing queued got no answer")
	}
}

// BenchmarkChannelReply measures one message through the whole stack in
// safe mode: decrypt, engine transaction (fsync), outbox take (fsync),
// render, encrypt. Parallel: many chats at once.
func BenchmarkChannelReply(b *testing.B) {
	e := newEnv(b, Config{}, ChannelConfig{TelegramBot: testBot})
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		u := e.user("oBench-" + strconv.FormatInt(n.Add(1), 10))
		for pb.Next() {
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, e.request(u.text("/help")))
			if rec.Code != 200 || rec.Body.String() == "success" {
				b.Fatalf("answer %d %q", rec.Code, rec.Body.String())
			}
		}
	})
}
