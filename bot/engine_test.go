package bot_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

var update = flag.Bool("update", false, "rewrite golden transcripts")

// loadAssets loads the real, embedded content and translations.
func loadAssets(t testing.TB) bot.Assets {
	t.Helper()
	a, err := bot.LoadAssets(content.Files, locales.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func newEngine(t testing.TB) (*bot.Engine, *boltstore.DB) {
	t.Helper()
	db := storetest.Open(t)
	e, err := bot.New(bot.Config{Store: db, Assets: loadAssets(t)})
	if err != nil {
		t.Fatal(err)
	}
	return e, db
}

// chat drives one conversation and keeps the messages it got.
type chat struct {
	t    testing.TB
	e    *bot.Engine
	db   bot.Store
	id   string
	hint string
	last []bot.Message
	n    int
}

func newChat(t testing.TB, e *bot.Engine, db bot.Store, id, hint string) *chat {
	return &chat{t: t, e: e, db: db, id: id, hint: hint}
}

// do sends one update and returns the messages queued to this chat.
func (c *chat) do(u bot.Update) (bot.Outcome, []bot.Message) {
	c.t.Helper()
	c.n++
	u.Chat, u.Hint = c.id, c.hint
	if u.ID == "" {
		u.ID = fmt.Sprintf("%s:%d", c.id, c.n)
	}
	out, err := c.e.Handle(context.Background(), u)
	if err != nil {
		c.t.Fatalf("Handle(%+v): %v", u, err)
	}
	msgs, err := bot.TakeOutbox(context.Background(), c.db, bot.Channel(c.id))
	if err != nil {
		c.t.Fatal(err)
	}
	var mine []bot.Message
	for _, m := range msgs {
		if m.Chat == c.id {
			mine = append(mine, m)
		}
	}
	if len(mine) > 0 {
		c.last = mine
	}
	return out, mine
}

func (c *chat) say(text string) []bot.Message {
	c.t.Helper()
	_, m := c.do(bot.Update{Text: text})
	return m
}

// press presses the button at 1-based position n of the last prompt.
func (c *chat) press(n int) (bot.Outcome, []bot.Message) {
	c.t.Helper()
	data := c.button(n)
	return c.do(bot.Update{Data: data})
}

func (c *chat) button(n int) string {
	c.t.Helper()
	var all []bot.Button
	for _, m := range c.last {
		for _, row := range m.Buttons {
			all = append(all, row...)
		}
	}
	if n < 1 || n > len(all) {
		c.t.Fatalf("no button %d in the last messages (%d buttons): %s", n, len(all), ids(c.last))
	}
	return all[n-1].Data
}

// pressLabel presses the button whose label is exactly label.
func (c *chat) pressLabel(label string) []bot.Message {
	c.t.Helper()
	for _, m := range c.last {
		for _, row := range m.Buttons {
			for _, b := range row {
				if b.Label == label {
					_, out := c.do(bot.Update{Data: b.Data})
					return out
				}
			}
		}
	}
	c.t.Fatalf("no button %q in %s", label, ids(c.last))
	return nil
}

func ids(msgs []bot.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		fmt.Fprintf(&b, "< %s", strings.Join(m.IDs, " "))
		for _, row := range m.Buttons {
			for _, btn := range row {
				fmt.Fprintf(&b, " [%s]", btn.Data)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func rendered(msgs []bot.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString("< " + strings.ReplaceAll(m.Text, "\n", "\n  "))
		for _, row := range m.Buttons {
			for _, btn := range row {
				fmt.Fprintf(&b, "\n  [%s]", btn.Label)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// golden compares got with testdata/<name>.golden, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run go test ./bot -update and review the diff):\n--- got\n%s", path, got)
	}
}

// script runs a transcript: lines "> text" send text, "> #n" press button n
// of the last prompt. It returns the transcript with every reply, as message
// IDs or rendered text.
func script(t *testing.T, c *chat, lines []string, render func([]bot.Message) string) string {
	t.Helper()
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("> " + l + "\n")
		var msgs []bot.Message
		if n, ok := strings.CutPrefix(l, "#"); ok {
			var i int
			fmt.Sscan(n, &i)
			_, msgs = c.press(i)
		} else {
			msgs = c.say(l)
		}
		b.WriteString(render(msgs))
	}
	return b.String()
}

// A whole offer check with flags that make it high risk, in English, as
// message IDs; and the same conversation rendered in English and Chinese.
func TestTranscripts(t *testing.T) {
	high := []string{"/start", "#1", "#1", "#1", // menu: offer; dest TH; nat CN
		"#2", "#1", "#2", "#1", "#2", // hub no, ride YES, crossing no, visa YES, lie no
		"#2", "#2", "#1", "#1", "#2", "#2", "#1", "#3", "#2", // passport no, pay no, paid YES, fee YES, contract no, secret no, rush YES, casting unsure, phone no
	}
	low := []string{"/start", "#1", "#2", "#2", // offer; dest MM; nat MM (home: no route questions)
		"#2", "#2", "#2", "#2", "#2", "#2", "#2", "#2", "#2", "#2",
	}
	cases := []struct {
		name, hint string
		lines      []string
		render     func([]bot.Message) string
	}{
		{"offer_high_ids", "en", high, ids},
		{"offer_low_home_ids", "en", low, ids},
		{"offer_high_en", "en", high, rendered},
		{"offer_high_zh", "zh-hans", high, rendered},
		{"offer_low_zh", "zh", low, rendered},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, db := newEngine(t)
			c := newChat(t, e, db, "tg:100", tc.hint)
			golden(t, tc.name, script(t, c, tc.lines, tc.render))
		})
	}
}

func TestOfferResultGrades(t *testing.T) {
	e, db := newEngine(t)
	c := newChat(t, e, db, "tg:1", "en")
	c.say("/start")
	c.press(1)            // offer
	c.press(1)            // TH
	c.press(1)            // CN
	_, msgs := c.press(1) // scam hub: yes (strong)
	if !strings.Contains(ids(msgs), "ind.border_ride.q") {
		t.Fatalf("after the hub question, want the border-ride question; got\n%s", ids(msgs))
	}
	for i := 0; i < 13; i++ {
		_, msgs = c.press(2)
	}
	got := ids(msgs)
	for _, want := range []string{"offer.result.high", "offer.found", "offer.next.high", "contacts.header"} {
		if !strings.Contains(got, want) {
			t.Errorf("result lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "offer.not_checked") {
		t.Errorf("a high result must not carry the low-risk note:\n%s", got)
	}
}

func TestStalePressChangesNothing(t *testing.T) {
	e, db := newEngine(t)
	c := newChat(t, e, db, "tg:2", "en")
	c.say("/start")
	c.press(1) // offer → destination question
	old := c.button(1)
	c.press(1) // TH → nationality question
	before := session(t, db, "tg:2")
	out, msgs := c.do(bot.Update{Data: old})
	if !out.Stale || out.Notice == "" {
		t.Fatalf("pressing an old button: outcome %+v, want stale with a notice", out)
	}
	if len(msgs) != 0 {
		t.Errorf("a stale press queued messages:\n%s", ids(msgs))
	}
	after := session(t, db, "tg:2")
	if before.Step != after.Step || before.Seq != after.Seq || after.Answers["destination"] != "TH" {
		t.Errorf("stale press changed the session: before %+v after %+v", before, after)
	}
}

func TestMalformedButtonDataAndUnknownCommand(t *testing.T) {
	e, db := newEngine(t)
	c := newChat(t, e, db, "tg:3", "en")
	c.say("/start")
	for _, data := range []string{"", "garbage", "1.offer.zz.dest.th", "1.nosuch.1.x.y", "l.xx-nope", "f.yes", strings.Repeat("x", 300)} {
		if data == "" {
			continue
		}
		out, msgs := c.do(bot.Update{Data: data})
		if !out.Stale || len(msgs) != 0 {
			t.Errorf("data %.20q: outcome %+v, msgs %s; want stale, nothing queued", data, out, ids(msgs))
		}
	}
	msgs := c.say("/frobnicate")
	if got := ids(msgs); !strings.Contains(got, "cmd.unknown") {
		t.Errorf("unknown command: got %s", got)
	}
}

func TestTypedNumberPressesButton(t *testing.T) {
	for _, digit := range []string{"1", "１", "๑", "၁"} {
		e, db := newEngine(t)
		c := newChat(t, e, db, "cli:x", "en")
		c.say("/start")
		msgs := c.say(digit)
		if got := ids(msgs); !strings.Contains(got, "offer.q.destination") {
			t.Errorf("typing %q at the menu: got %s, want the offer check to start", digit, got)
		}
	}
}

func TestDuplicateUpdateIsSkipped(t *testing.T) {
	e, db := newEngine(t)
	u := bot.Update{ID: "tg:u:77", Chat: "tg:5", Hint: "en", Text: "/start"}
	for i := 0; i < 3; i++ {
		out, err := e.Handle(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		if (i > 0) != out.Duplicate {
			t.Fatalf("delivery %d: Duplicate=%v", i+1, out.Duplicate)
		}
	}
	msgs, err := bot.TakeOutbox(context.Background(), db, "tg")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Errorf("three deliveries of one update queued %d messages, want 1", len(msgs))
	}
}

func TestLanguageChoice(t *testing.T) {
	e, db := newEngine(t)
	c := newChat(t, e, db, "tg:6", "") // no hint: the bot asks first
	msgs := c.say("/start")
	if got := ids(msgs); !strings.Contains(got, "language.pick") {
		t.Fatalf("first contact without a hint: got %s, want the language picker", got)
	}
	// Nobody has to read English to find their language: the prompt is in
	// every language.
	for _, want := range []string{"Choose your language", "请选择语言", "เลือกภาษา"} {
		if !strings.Contains(msgs[0].Text, want) {
			t.Errorf("the first picker lacks %q:\n%s", want, msgs[0].Text)
		}
	}
	msgs = c.pressLabel("简体中文")
	if len(msgs) == 0 || !strings.Contains(msgs[0].Text, "中文") {
		t.Fatalf("after choosing Chinese: %s", rendered(msgs))
	}
	if s := session(t, db, "tg:6"); s.Lang != "zh-Hans" {
		t.Errorf("session language %q, want zh-Hans", s.Lang)
	}
	// An unsupported hint also gets the picker; a supported one does not.
	for hint, wantPicker := range map[string]bool{"ru": true, "zh-hans": false, "en-US": false} {
		c := newChat(t, e, db, "tg:hint-"+hint, hint)
		got := ids(c.say("/start"))
		if strings.Contains(got, "language.pick") != wantPicker {
			t.Errorf("hint %q: picker=%v, want %v:\n%s", hint, !wantPicker, wantPicker, got)
		}
	}
}

func TestCancelAndExpiry(t *testing.T) {
	e, db := newEngine(t)
	c := newChat(t, e, db, "tg:7", "en")
	c.say("/start")
	c.press(1)
	if got := ids(c.say("/cancel")); !strings.Contains(got, "cancel.done") {
		t.Errorf("/cancel in a flow: %s", got)
	}
	if got := ids(c.say("/cancel")); !strings.Contains(got, "cancel.nothing") {
		t.Errorf("/cancel with nothing running: %s", got)
	}

	// A flow left idle past its timeout is forgotten: its buttons go stale.
	c.say("/start")
	c.press(1) // offer, waiting at destination
	s := session(t, db, "tg:7")
	old := c.button(1)
	_, _ = c.do(bot.Update{Data: old, At: s.Updated.Add(25 * 60 * 60 * 1e9)})
	if s := session(t, db, "tg:7"); s.Flow != "" {
		t.Errorf("after 25 idle hours the session is still in flow %q step %q", s.Flow, s.Step)
	}
}

func TestForgetDeletesSession(t *testing.T) {
	e, db := newEngine(t)
	c := newChat(t, e, db, "tg:8", "en")
	c.say("/start")
	c.press(1)
	c.press(1)
	c.say("/forget")
	msgs := c.pressLabel("Yes, delete it all")
	if got := ids(msgs); !strings.Contains(got, "forget.done") {
		t.Fatalf("after confirming: %s", got)
	}
	err := db.View(context.Background(), func(tx bot.Tx) error {
		_, err := tx.Session("tg:8")
		return err
	})
	if err != bot.ErrNotFound {
		t.Errorf("session after /forget: err=%v, want ErrNotFound", err)
	}
	// A later press on the old confirmation does nothing.
	out, _ := c.do(bot.Update{Data: "f.yes"})
	if !out.Stale {
		t.Errorf("a second press on the confirmation should be stale")
	}
}

func TestContactsShowSourceDates(t *testing.T) {
	e, db := newEngine(t)
	c := newChat(t, e, db, "tg:9", "en")
	c.say("/contacts")
	c.pressLabel("Thailand")
	msgs := c.pressLabel("China")
	text := rendered(msgs)
	for _, want := range []string{"1155", "Source dated", "12308"} {
		if !strings.Contains(text, want) {
			t.Errorf("contacts for a Chinese citizen in Thailand lack %q:\n%s", want, text)
		}
	}
}

func session(t testing.TB, db bot.Store, chat string) *bot.Session {
	t.Helper()
	var s *bot.Session
	err := db.View(context.Background(), func(tx bot.Tx) error {
		var err error
		s, err = tx.Session(chat)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The typed confirmation of /forget is read as a matching key: without
// accents, in any case, decomposed or not.
func TestForgetByTypedWord(t *testing.T) {
	for _, typed := range []string{"xoa", "XÓA", "Xo\u0301a", "forget"} {
		e, db := newEngine(t)
		c := newChat(t, e, db, "tg:fw", "vi")
		c.say("/start")
		c.say("/forget")
		if got := ids(c.say(typed)); !strings.Contains(got, "forget.done") {
			t.Errorf("typing %q after /forget in Vietnamese: %s", typed, got)
		}
	}
}
