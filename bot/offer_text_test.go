package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/bot/offer"
)

// checkPasted pastes text into a new chat with the real reader, answers the
// guided check (first option for destination and nationality, "No" to every
// red-flag question) and returns how many red-flag questions were asked,
// every message, and the chat's session at the end.
func checkPasted(t *testing.T, text string) (asked int, all []bot.Message, s *bot.Session) {
	t.Helper()
	assets := loadAssets(t)
	r, err := offer.NewReader(assets.Content)
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t)
	assets.Reader = r
	e, err := bot.New(bot.Config{Store: db, Assets: assets})
	if err != nil {
		t.Fatal(err)
	}
	c := newChat(t, e, db, "cli:offer", "en")
	all = append(all, c.say(text)...)
	for range 60 {
		if slices.ContainsFunc(all, func(m bot.Message) bool {
			// The graded result ends with the next steps ("offer.next.<risk>").
			return slices.ContainsFunc(m.IDs, func(id string) bool { return strings.HasPrefix(id, "offer.next.") })
		}) {
			return asked, all, session(t, db, c.id)
		}
		var btns []bot.Button
		for _, m := range c.last {
			for _, row := range m.Buttons {
				btns = append(btns, row...)
			}
		}
		if len(btns) == 0 {
			t.Fatalf("no buttons and no result: %s", ids(c.last))
		}
		press := btns[0]
		for _, b := range btns {
			if strings.HasSuffix(b.Data, ".n") { // a red-flag question: "No"
				press, asked = b, asked+1
				break
			}
		}
		_, out := c.do(bot.Update{Data: press.Data})
		all = append(all, out...)
	}
	t.Fatal("no result after 60 presses")
	return 0, nil, nil
}

// Pasting a lure pre-fills the flags the text shows, skips those questions,
// and grades the offer high with the flags marked as found in the text.
func TestPastedOfferSkipsAnsweredQuestions(t *testing.T) {
	// Written from research/facts.md (A1–A4, A6, C1, D3), not from the corpus.
	const lure = "高薪招聘在线客服，会打字就行，无需经验，月薪两万，包吃包住包机票。到曼谷后司机接你，直接送到美索，" +
		"过河就是妙瓦底园区。护照交给公司统一保管。"
	const plain = "Our bakery in Chiang Mai is looking for a baker to start next month. Apply at the shop."

	askedLure, msgs, s := checkPasted(t, lure)
	askedPlain, plainMsgs, _ := checkPasted(t, plain)
	if askedLure >= askedPlain {
		t.Errorf("red-flag questions asked after the lure: %d, after plain text: %d; want fewer", askedLure, askedPlain)
	}

	first := msgs[0]
	if !slices.Contains(first.IDs, "offer.read.found") {
		t.Fatalf("first reply to the lure: %v, want offer.read.found", first.IDs)
	}
	if !slices.Contains(first.IDs, "offer.result.high") {
		t.Errorf("a lure that is high risk from its text alone must say so before the questions: %v", first.IDs)
	}
	if slices.Contains(plainMsgs[0].IDs, "offer.result.high") {
		t.Errorf("plain text was called high risk before the questions")
	}
	for _, snippet := range []string{"美索", "妙瓦底", "护照交给公司"} {
		if !strings.Contains(first.Text, snippet) {
			t.Errorf("the found-list does not quote %q:\n%s", snippet, first.Text)
		}
	}
	for _, id := range []string{"scam_hub", "border_ride", "passport", "irregular", "all_paid", "abused_role", "no_skills", "high_pay"} {
		if s.Flags[id] != "t" {
			t.Errorf("flag %s = %q, want t (from the text)", id, s.Flags[id])
		}
	}
	if got := s.Answers["offer_risk"]; got != "high" {
		t.Errorf("risk %q, want high", got)
	}
	var result string
	for _, m := range msgs {
		if slices.Contains(m.IDs, "offer.found") {
			result = m.Text
		}
	}
	fromText := loadAssets(t).Text.Text("en", "offer.from_text", nil)
	if !strings.Contains(result, fromText) {
		t.Errorf("the result does not mark flags found in the text (%q):\n%s", fromText, result)
	}

	// Plain text: nothing found, every question asked, and the low result
	// says what was not checked; nothing anywhere calls the offer safe.
	if !slices.Contains(plainMsgs[0].IDs, "offer.read.none") {
		t.Errorf("first reply to plain text: %v, want offer.read.none", plainMsgs[0].IDs)
	}
	var sawNotChecked bool
	for _, m := range plainMsgs {
		sawNotChecked = sawNotChecked || slices.Contains(m.IDs, "offer.not_checked")
		if low := strings.ToLower(bot.PlainText(m.Text)); strings.Contains(low, "safe") && !strings.Contains(low, "not") {
			t.Errorf("a message calls the offer safe: %s", m.Text)
		}
	}
	if !sawNotChecked {
		t.Error("the low result does not say what was not checked")
	}
}
