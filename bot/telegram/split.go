package telegram

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxText is the longest text of one Telegram message, in UTF-16 code units.
// Telegram counts it after parsing the HTML; splitFirst counts the tags too,
// which is safe on both sides.
const MaxText = 4096

// Split cuts Telegram-HTML text into parts of at most max UTF-16 code units
// each. It prefers to cut between paragraphs, then lines, then words, and
// never inside a tag, an entity (&amp;), a surrogate pair or a grapheme (a
// Thai vowel stays with its consonant, an emoji with its modifiers). A tag
// open at a cut is closed at the end of the part and opened again at the
// start of the next one, so every part is valid HTML on its own.
func Split(text string, max int) []string {
	var parts []string
	for text != "" {
		var part string
		part, text = splitFirst(text, max)
		if strings.TrimSpace(part) != "" {
			parts = append(parts, part)
		}
	}
	return parts
}

// openTag is a tag open at some point of the text.
type openTag struct {
	name string // "b", "a"
	text string // the whole start tag, `<a href="…">`
}

// cut is a place the text may be cut at, with how good a place it is.
type cut struct {
	at    int // byte offset
	score int // 3 paragraph, 2 line, 1 word, 0 grapheme
	// cost is the length in UTF-16 units of the part if cut here: the text
	// before at plus the closing tags for what is open there.
	cost  int
	stack []openTag
}

// splitFirst returns the first part of text and the rest, with tags
// reopened at the start of the rest. When text fits, rest is "".
func splitFirst(text string, max int) (part, rest string) {
	if utf16Len(text) <= max {
		return text, ""
	}
	var (
		best       [4]*cut // the last cut that fits, by score
		stack      []openTag
		n          int // UTF-16 units so far
		closingLen int // UTF-16 units of the closing tags of stack
	)
	consider := func(at, score int) {
		cost := n + closingLen
		if cost > max || at == 0 {
			return
		}
		best[score] = &cut{at: at, score: score, cost: cost, stack: append([]openTag(nil), stack...)}
	}
	prev := rune(-1)
	for i := 0; i < len(text); {
		if n+closingLen > max {
			break
		}
		c := text[i]
		switch {
		case c == '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				end = len(text) - i - 1
			}
			tag := text[i : i+end+1]
			if strings.HasPrefix(tag, "</") {
				if len(stack) > 0 {
					closingLen -= utf16Len("</" + stack[len(stack)-1].name + ">")
					stack = stack[:len(stack)-1]
				}
			} else {
				name := tagName(tag)
				stack = append(stack, openTag{name: name, text: tag})
				closingLen += utf16Len("</" + name + ">")
			}
			n += utf16Len(tag)
			i += len(tag)
			prev = '>'
			continue
		case c == '&':
			end := strings.IndexByte(text[i:], ';')
			if end < 0 || end > 10 {
				end = 0 // a bare ampersand
			}
			consider(i, breakScore(text, i, prev))
			n += utf16Len(text[i : i+end+1])
			i += end + 1
			prev = 'x'
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !joins(r) && prev != '\u200d' && !(isRegional(r) && isRegional(prev)) {
			consider(i, breakScore(text, i, prev))
		}
		n += utf16.RuneLen(max1(r))
		i += size
		prev = r
	}
	// The best cut: a paragraph, line or word break in the second half of
	// the part if there is one, else the best that fits.
	var c *cut
	for score := 3; score >= 1; score-- {
		if best[score] != nil && best[score].cost >= max/2 {
			c = best[score]
			break
		}
	}
	if c == nil {
		for score := 3; score >= 0; score-- {
			if best[score] != nil && (c == nil || best[score].at > c.at) {
				c = best[score]
			}
		}
	}
	if c == nil {
		// Nothing fits (a tag longer than max): cut at max runes' worth.
		c = &cut{at: hardCut(text, max)}
	}
	head := strings.TrimRightFunc(text[:c.at], unicode.IsSpace)
	tail := strings.TrimLeftFunc(text[c.at:], unicode.IsSpace)
	var b strings.Builder
	b.WriteString(head)
	for i := len(c.stack) - 1; i >= 0; i-- {
		b.WriteString("</" + c.stack[i].name + ">")
	}
	part = b.String()
	b.Reset()
	for _, t := range c.stack {
		b.WriteString(t.text)
	}
	b.WriteString(tail)
	rest = b.String()
	if strings.TrimSpace(tail) == "" {
		rest = ""
	}
	return part, rest
}

// breakScore rates a cut before byte i, whose preceding rune is prev.
func breakScore(text string, i int, prev rune) int {
	switch {
	case strings.HasPrefix(text[i:], "\n\n") || prev == '\n' && strings.HasPrefix(text[i:], "\n"):
		return 3
	case text[i] == '\n':
		return 2
	case text[i] == ' ' || text[i] == '\t':
		return 1
	}
	return 0
}

// joins reports whether r attaches to the rune before it, so that no cut
// may fall before it: combining marks (Thai and Burmese vowels and tones),
// Thai vowels written after their consonant, zero-width joiners, variation
// selectors, emoji skin tones and tag characters. (Nor is a cut made right
// after a zero-width joiner, or between the two halves of a flag.)
func joins(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		r == '\u200d' || r == '\u200c' ||
		r == '\u0e30' || r == '\u0e32' || r == '\u0e33' || r == '\u0e45' ||
		(r >= 0xfe00 && r <= 0xfe0f) || (r >= 0xe0100 && r <= 0xe01ef) ||
		(r >= 0x1f3fb && r <= 0x1f3ff) || (r >= 0xe0020 && r <= 0xe007f)
}

// isRegional reports whether r is a regional indicator: two make a flag.
func isRegional(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }

func tagName(tag string) string {
	name := strings.TrimPrefix(tag, "<")
	name = strings.TrimSuffix(name, ">")
	if i := strings.IndexAny(name, " \t\n"); i >= 0 {
		name = name[:i]
	}
	return strings.ToLower(name)
}

// hardCut returns the byte offset of the longest prefix of at most max
// UTF-16 units that ends on a rune boundary.
func hardCut(text string, max int) int {
	n := 0
	for i, r := range text {
		n += utf16.RuneLen(max1(r))
		if n > max {
			if i == 0 {
				_, size := utf8.DecodeRuneInString(text)
				return size
			}
			return i
		}
	}
	return len(text)
}

// max1 maps an invalid rune (RuneError from bad UTF-8) to itself: it
// counts as one unit, as Telegram replaces it with U+FFFD.
func max1(r rune) rune {
	if utf16.RuneLen(r) < 0 {
		return utf8.RuneError
	}
	return r
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(max1(r))
	}
	return n
}
