package offer

// A doc is the text of an offer made ready for matching: its key (one
// normal form, textkey), where its sentences start, and the way back from a
// place in the key to the words of the original text for a snippet.

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot/textkey"
)

// SnippetMax is the longest snippet, in runes.
const SnippetMax = 80

// snippetContext is how many runes of context a snippet takes at most on
// each side of the match: enough to read the words in their sentence.
const snippetContext = 30

// isSentenceEnd reports whether r ends a sentence or a line: a snippet stays
// within one.
func isSentenceEnd(r rune) bool {
	switch r {
	case '\n', '\r', '。', '！', '？', '!', '?', '；', '။', '។', '៕':
		return true
	}
	return false
}

// doc is a text with its key and the way back from the key to the text.
type doc struct {
	text   string
	key    string
	buf    []byte  // the key's bytes, kept for the next reading
	pieces []piece // in key order
	sents  []int   // key offsets where a sentence starts, ascending; sents[0] == 0
}

// piece is one run of non-space text and its key.
type piece struct {
	keyLo, keyHi   int
	textLo, textHi int
}

func newDoc(text string, s *scratch) *doc {
	d := &doc{text: text, sents: append(s.sents[:0], 0), pieces: s.pieces[:0]}
	b := s.key[:0]
	newline := false
	for i := 0; i < len(text); {
		sp, nl, n := spaceAt(text, i)
		if sp {
			newline = newline || nl
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			sp, _, n := spaceAt(text, j)
			if sp {
				break
			}
			j += n
		}
		mark := len(b)
		if mark > 0 {
			b = append(b, ' ')
		}
		lo := len(b)
		if b = textkey.AppendFold(b, text[i:j]); len(b) == lo {
			b = b[:mark] // nothing left of the piece (format characters only)
		} else {
			if mark > 0 && newline {
				d.sents = append(d.sents, lo)
			}
			d.pieces = append(d.pieces, piece{lo, len(b), i, j})
		}
		newline = false
		i = j
	}
	d.key, d.buf = string(b), b
	// Sentence ends inside the key: 。！？；… always, and . ! ? ; when a
	// space or the end follows (so "1.5" and "dmw.gov.ph" are not ends).
	k := d.key
	for i := 0; i < len(k); {
		r, n := utf8.DecodeRuneInString(k[i:])
		end := false
		switch r {
		case '。', '！', '？', '；', '…', '။', '।', '៕', '។':
			end = true
		case '.', '!', '?', ';':
			end = i+n == len(k) || k[i+n] == ' '
			if r == '.' && i > 0 {
				// Thai and Lao end sentences with a space, never a dot:
				// a dot after their letters ends an abbreviation (ตม. for
				// immigration, กทม. for Bangkok).
				if prev, _ := utf8.DecodeLastRuneInString(k[:i]); prev >= 0x0E00 && prev <= 0x0EFF {
					end = false
				}
			}
		}
		i += n
		if end && i < len(k) {
			d.sents = append(d.sents, i)
		}
	}
	sort.Ints(d.sents)
	return d
}

// spaceAt reports whether text[i:] starts with white space, whether that is
// a line break, and the length of its first rune.
func spaceAt(text string, i int) (space, newline bool, n int) {
	if c := text[i]; c < utf8.RuneSelf {
		return c == ' ' || c >= '\t' && c <= '\r', c == '\n' || c == '\r', 1
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	if !unicode.IsSpace(r) {
		return false, false, n
	}
	return true, r == '\u2028' || r == '\u2029', n
}

// sentence returns the number of the sentence that holds key offset pos.
func (d *doc) sentence(pos int) int {
	return sort.Search(len(d.sents), func(i int) bool { return d.sents[i] > pos }) - 1
}

// edgesOK reports whether a phrase found at key[start:end] starts and ends
// where words or syllables do.
func (d *doc) edgesOK(start, end int, p *pattern) bool {
	k := d.key
	before, _ := utf8.DecodeLastRuneInString(k[:start])
	after, _ := utf8.DecodeRuneInString(k[end:])
	if start == 0 {
		before = ' '
	}
	if end == len(k) {
		after = ' '
	}
	if p.wordLo && isWordRune(before) {
		return false
	}
	if p.wordHi && isWordRune(after) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(k[start:])
	last, _ := utf8.DecodeLastRuneInString(k[:end])
	if isSyllabic(last) {
		// The next rune must not be a vowel or tone mark of the last
		// syllable, nor a Burmese final (a consonant with asat or a
		// stacker after it).
		if unicode.In(after, unicode.Mn, unicode.Mc) {
			return false
		}
		if isMyanmarConsonant(after) {
			if next, _ := utf8.DecodeRuneInString(k[end+utf8.RuneLen(after):]); next == 0x103A || next == 0x1039 {
				return false
			}
		}
	}
	if isSyllabic(first) {
		switch {
		case before >= 0x0E40 && before <= 0x0E44, before >= 0x0EC0 && before <= 0x0EC4:
			// A Thai or Lao leading vowel belongs to the consonant after it.
			return false
		case before == 0x1039, before == 0x17D2:
			// A Burmese stacker or Khmer coeng makes this consonant part of
			// the syllable before.
			return false
		case unicode.In(first, unicode.Mn, unicode.Mc):
			return false
		}
	}
	return true
}

// isWordRune reports whether r is a Latin letter or a digit: where a phrase
// begins or ends with one, a word must too.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	}
	return unicode.Is(unicode.Latin, r)
}

// isSyllabic reports whether r is of a script written without word spaces
// whose syllables must not be cut: Thai, Lao, Khmer, Myanmar.
func isSyllabic(r rune) bool {
	return r >= 0x0E00 && r <= 0x0EFF || r >= 0x1000 && r <= 0x109F || r >= 0x1780 && r <= 0x17FF || r >= 0xAA60 && r <= 0xAA7F
}

func isMyanmarConsonant(r rune) bool { return r >= 0x1000 && r <= 0x1021 }

// snippet returns the original text around the key range [start, end): the
// matched words and some context, white space collapsed, at most SnippetMax
// runes.
func (d *doc) snippet(start, end int) string {
	lo, hi := d.textPos(start, false), d.textPos(end, true)
	if hi < lo {
		hi = lo
	}
	t := d.text
	match := collapse(t[lo:hi])
	if n := utf8.RuneCountInString(match); n >= SnippetMax {
		return truncRunes(match, SnippetMax)
	}
	// Widen by whole runes on both sides, within the sentence, by at most
	// snippetContext runes a side and SnippetMax in all.
	budget := SnippetMax - utf8.RuneCountInString(match)
	left, right := lo, hi
	growL, growR := left > 0, right < len(t)
	for side := 0; budget > 0 && side < snippetContext && (growL || growR); side++ {
		if growL {
			r, n := utf8.DecodeLastRuneInString(t[:left])
			if isSentenceEnd(r) {
				growL = false
			} else {
				left -= n
				budget--
				growL = left > 0
			}
		}
		if growR && budget > 0 {
			r, n := utf8.DecodeRuneInString(t[right:])
			if isSentenceEnd(r) {
				growR = false
			} else {
				right += n
				budget--
				growR = right < len(t)
			}
		}
	}
	s := collapse(t[left:right])
	// Do not start or end in the middle of a Latin word.
	if left > 0 {
		if i := strings.IndexByte(s, ' '); i >= 0 && i < len(s)/3 && isWordRune(firstRune(s)) {
			s = s[i+1:]
		}
	}
	if right < len(t) {
		if i := strings.LastIndexByte(s, ' '); i > len(s)*2/3 && isWordRune(lastRune(s)) {
			s = s[:i]
		}
	}
	return truncRunes(s, SnippetMax)
}

// textPos maps a key offset to a text offset. Within a piece the key and
// the text have about as many runes (the normalisation changes forms, not
// length, save for a few compositions), so the position is scaled.
func (d *doc) textPos(pos int, end bool) int {
	i := sort.Search(len(d.pieces), func(i int) bool { return d.pieces[i].keyHi >= pos })
	if i == len(d.pieces) {
		return len(d.text)
	}
	p := d.pieces[i]
	if pos <= p.keyLo {
		return p.textLo
	}
	if pos >= p.keyHi {
		return p.textHi
	}
	kn := utf8.RuneCountInString(d.key[p.keyLo:p.keyHi])
	kr := utf8.RuneCountInString(d.key[p.keyLo:pos])
	seg := d.text[p.textLo:p.textHi]
	tn := utf8.RuneCountInString(seg)
	want := kr * tn / kn
	if end && kr*tn%kn != 0 {
		want++
	}
	off := p.textLo
	for n := 0; n < want && off < p.textHi; n++ {
		_, w := utf8.DecodeRuneInString(d.text[off:])
		off += w
	}
	return off
}

// collapse turns every run of white space into one space and trims. Most
// snippets have nothing to collapse and are returned without a copy.
func collapse(s string) string {
	s = strings.TrimSpace(s)
	clean, space := true, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if space || r != ' ' {
				clean = false
				break
			}
			space = true
		} else {
			space = false
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func truncRunes(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return strings.TrimSpace(s[:i])
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }
