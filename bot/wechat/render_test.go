package wechat

import (
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot"
)

const testMore = "(reply 0 for more)"

func msg(seq uint64, text string, buttons ...bot.Button) bot.Message {
	m := bot.Message{Seq: seq, Chat: "wx:o", Text: text}
	for _, b := range buttons {
		m.Buttons = append(m.Buttons, []bot.Button{b})
	}
	return m
}

func TestFitJoinsAndNumbersOnlyThePrompt(t *testing.T) {
	old := msg(1, "Old question?", bot.Button{Label: "Old A", Data: "1.offer.1.a.y"})
	cur := msg(2, "<b>New</b> question &amp; more?", bot.Button{Label: "Yes", Data: "1.offer.2.b.y"}, bot.Button{Label: "No", Data: "1.offer.2.b.n"})
	p := fit([]bot.Message{old, cur}, []string{"1.offer.2.b.y", "1.offer.2.b.n"}, MaxTextReply, testMore)
	want := "Old question?\n\nNew question & more?\n\n1. Yes\n2. No"
	if p.text != want || p.taken != 2 || p.rest != nil {
		t.Errorf("fit = %q, taken %d, rest %v; want %q", p.text, p.taken, p.rest, want)
	}
	// A prompt that is no longer the session's is not numbered.
	p = fit([]bot.Message{cur}, []string{"1.offer.3.c.y"}, MaxTextReply, testMore)
	if p.text != "New question & more?" {
		t.Errorf("stale prompt rendered as %q", p.text)
	}
}

// drain runs fit over a queue as the channel does, until it is empty, and
// returns the replies.
func drain(t *testing.T, q []bot.Message, prompt []string, limit int) []string {
	t.Helper()
	var out []string
	total := 0
	for _, m := range q {
		total += len(m.Text)
	}
	for len(q) > 0 {
		if len(out) > total+len(q) { // every reply takes at least a byte or a message
			t.Fatal("fit makes no progress")
		}
		p := fit(q, prompt, limit, testMore)
		if len(p.text) > limit {
			t.Fatalf("reply of %d bytes over the limit %d", len(p.text), limit)
		}
		if !utf8.ValidString(p.text) && utf8.ValidString(strings.Join(texts(q), "")) {
			t.Fatalf("reply cut inside a character: %q", p.text)
		}
		if p.taken == 0 && p.rest == nil {
			t.Fatalf("fit took nothing from %d messages", len(q))
		}
		if p.taken < len(q) != (strings.HasSuffix(p.text, testMore)) && p.rest == nil {
			t.Fatalf("hint %v with %d of %d taken: %q", strings.HasSuffix(p.text, testMore), p.taken, len(q), p.text)
		}
		out = append(out, p.text)
		q = q[p.taken:]
		if p.rest != nil {
			if p.rest.Seq != q[0].Seq {
				t.Fatalf("rest has seq %d, want %d", p.rest.Seq, q[0].Seq)
			}
			q[0] = *p.rest
		}
	}
	return out
}

func texts(q []bot.Message) []string {
	var out []string
	for _, m := range q {
		out = append(out, m.Text)
	}
	return out
}

// squeeze drops white space and the hint, which is what a cut may add or
// remove.
func squeeze(s string) string {
	s = strings.ReplaceAll(s, testMore, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestFitSplitsWithoutLosingText(t *testing.T) {
	thai := strings.Repeat("กรุณาโทรหาสายด่วน ", 60) // combining marks, spaces
	chinese := strings.Repeat("请不要把护照交给任何人。", 100)   // no spaces at all
	lines := strings.Repeat("☎ 1155 Tourist Police\n", 120)
	prompt := msg(4, "Choose:", bot.Button{Label: "Yes", Data: "y"}, bot.Button{Label: "No", Data: "n"})
	q := []bot.Message{msg(1, html.EscapeString(thai)), msg(2, chinese), msg(3, lines), prompt}
	var whole []string
	for i, m := range q {
		whole = append(whole, render(m, i == 3))
	}
	replies := drain(t, q, []string{"y", "n"}, MaxTextReply)
	if len(replies) < 4 {
		t.Errorf("%d replies for %d bytes", len(replies), len(strings.Join(whole, "")))
	}
	if got, want := squeeze(strings.Join(replies, "")), squeeze(strings.Join(whole, "")); got != want {
		t.Errorf("text changed across the parts:\n got %.200q\nwant %.200q", got, want)
	}
	last := replies[len(replies)-1]
	if !strings.HasSuffix(last, "1. Yes\n2. No") || strings.HasSuffix(last, testMore) {
		t.Errorf("last part %q should end with the numbered choices", last)
	}
	for _, r := range replies[:len(replies)-1] {
		if !strings.HasSuffix(r, "\n\n"+testMore) {
			t.Errorf("part does not end with the hint: %.80q", r[max(0, len(r)-80):])
		}
		// Thai vowels and tones stay with their letter.
		if first, _ := utf8.DecodeRuneInString(strings.TrimSpace(r)); joins(first) {
			t.Errorf("part starts with a combining mark: %.40q", r)
		}
	}
}

func TestCutPoint(t *testing.T) {
	for _, tc := range []struct {
		s    string
		room int
		want string
	}{
		{"aaaa\n\nbbbb\ncc", 12, "aaaa\n\nbbbb"},
		{"aaaa\n\nbbbbbbbbbb", 12, "aaaa\n\nbbbbbb"}, // a break in the first half wastes too much: cut the word
		{"ab cd ef", 5, "ab"},
		{"กี่", 4, "ก"},    // ก + ี (mark) + ่ (mark): never split them
		{"กี่ก", 9, "กี่"}, // …but cut after them
		{"界界", 4, "界"},
		{"界", 1, "界"}, // room smaller than one character: take it whole
	} {
		if got := tc.s[:cutPoint(tc.s, tc.room)]; got != tc.want {
			t.Errorf("cutPoint(%q, %d) keeps %q, want %q", tc.s, tc.room, got, tc.want)
		}
	}
}

// FuzzFit: whatever the messages and the limit, every reply fits, the queue
// drains, and no text is lost or changed.
func FuzzFit(f *testing.F) {
	f.Add("hello\n\nworld", "请不要把护照交给任何人。", 64)
	f.Add(strings.Repeat("กี่", 300), "<b>a</b> &amp; b", 100)
	f.Add("", "\n\n\n", 40)
	f.Add("a\u200db\ufe0fc", strings.Repeat("x ", 500), 50)
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if limit < 40 || limit > 4096 || len(a)+len(b) > 16<<10 || !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		q := []bot.Message{msg(1, html.EscapeString(a)), msg(2, html.EscapeString(b), bot.Button{Label: "Yes", Data: "y"})}
		whole := squeeze(render(q[0], false) + render(q[1], true))
		replies := drain(t, q, []string{"y"}, limit)
		if got := squeeze(strings.Join(replies, "")); got != whole {
			t.Fatalf("text changed:\n got %q\nwant %q", got, whole)
		}
	})
}
