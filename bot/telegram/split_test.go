package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot"
)

func TestSplit(t *testing.T) {
	thai := "ผู้หญิงคนนั้นกำลังเดินทางไปทำงานที่ต่างประเทศ" // no spaces: Thai words run together
	family := "👩‍👩‍👧‍👦"                                     // one grapheme of 11 UTF-16 units
	for _, tc := range []struct {
		name string
		text string
		max  int
	}{
		{"words", strings.Repeat("hello world ", 50), 64},
		{"paragraphs", strings.Repeat("A short paragraph here.\n\n", 20), 100},
		{"thai without spaces", strings.Repeat(thai, 20), 50},
		{"thai with spaces", strings.Repeat(thai+" ", 20), 90},
		{"emoji surrogate pairs", strings.Repeat("😀", 100), 15},
		{"zwj families", strings.Repeat(family, 30), 40},
		{"flags", strings.Repeat("🇹🇭🇲🇲", 30), 13},
		{"skin tones", strings.Repeat("👍🏽", 40), 9},
		{"entities", strings.Repeat("Tom &amp; Jerry &lt;3 &#39;x&#39; ", 30), 40},
		{"tags across cuts", strings.Repeat("<b>bold words here</b> and <i>italic <u>under</u> words</i> ", 20), 60},
		{"link", strings.Repeat(`<a href="https://example.org/a?b=1&amp;c=2">a long link text</a> `, 10), 80},
		{"burmese", strings.Repeat("မြန်မာနိုင်ငံ ", 40), 30},
		{"no break at all", strings.Repeat("x", 100), 30},
		{"fits", "short <b>text</b>", 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := Split(tc.text, tc.max)
			if len(parts) == 0 {
				t.Fatal("no parts")
			}
			var plain []string
			for i, p := range parts {
				if n := utf16Len(p); n > tc.max {
					t.Errorf("part %d: %d UTF-16 units > %d", i, n, tc.max)
				}
				if !utf8.ValidString(p) {
					t.Errorf("part %d is not valid UTF-8", i)
				}
				if err := balanced(p); err != "" {
					t.Errorf("part %d %q: %s", i, p, err)
				}
				if i > 0 {
					r, _ := utf8.DecodeRuneInString(bot.PlainText(p))
					if joins(r) || isRegional(r) && strings.HasSuffix(bot.PlainText(parts[i-1]), "\U0001F1F9") {
						t.Errorf("part %d starts inside a grapheme: %q", i, p)
					}
					if strings.HasSuffix(bot.PlainText(parts[i-1]), "\u200d") {
						t.Errorf("part %d ends on a joiner", i-1)
					}
				}
				plain = append(plain, bot.PlainText(p))
			}
			if got, want := strings.Join(strings.Fields(strings.Join(plain, "")), ""), strings.Join(strings.Fields(bot.PlainText(tc.text)), ""); got != want {
				t.Errorf("the parts lose or add text:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestSplitPrefersBreaks(t *testing.T) {
	text := strings.Repeat("word ", 30) + "\n\n" + strings.Repeat("more ", 30)
	parts := Split(text, 200)
	if len(parts) != 2 || strings.Contains(parts[0], "more") {
		t.Fatalf("did not cut at the paragraph: %q", parts)
	}
	for _, p := range Split(strings.TrimSpace(strings.Repeat("abcdefghij ", 100)), 64) {
		if strings.HasPrefix(p, " ") || strings.HasSuffix(p, " ") || len(strings.Fields(p)[0]) != 10 {
			t.Fatalf("cut inside a word or kept the space: %q", p)
		}
	}
}

// balanced reports a tag that is not closed, or closed out of order.
func balanced(s string) string {
	var stack []string
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "unclosed <"
			}
			tag := s[i : i+end+1]
			if strings.HasPrefix(tag, "</") {
				name := strings.Trim(tag, "</>")
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "unexpected " + tag
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, tagName(tag))
			}
			i += end
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || end > 10 {
				return "broken entity"
			}
		}
	}
	if len(stack) > 0 {
		return "open " + strings.Join(stack, ",")
	}
	return ""
}
