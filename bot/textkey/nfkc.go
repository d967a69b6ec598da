package textkey

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfkc is norm.NFKC.String, but several times faster on our text, which
// is mostly made of runes that NFKC can never touch whatever surrounds them
// (Han, Thai letters, Burmese and Khmer consonants, spaces): "inert" runes,
// see cInert. Those are copied as they are; the pieces between them are
// checked with the NFKC quick check, and only pieces that fail it go
// through x/text. That is exact, because NFKC never looks across an inert
// rune (the tests compare the two on every code point in several contexts,
// and in a fuzz test).
//
// It also does step 1 of Key: invalid UTF-8 becomes U+FFFD and ignorable
// runes are dropped, before NFKC sees the text around them.
func (t *classTable) nfkc(s string) []byte {
	b := make([]byte, 0, len(s)+len(s)/8)
	b, stop := t.appendNFKC(b, s)
	if stop >= 0 {
		// Rare: the rest of s from the start of the run that held a bad
		// or ignorable rune (everything before an inert run is final).
		b, _ = t.appendNFKC(b, t.clean(s[stop:]))
	}
	return b
}

// appendNFKC appends NFKC(s) to b. If s has invalid UTF-8 or an ignorable
// rune it stops and returns where the run holding it starts.
func (t *classTable) appendNFKC(b []byte, s string) ([]byte, int) {
	start := 0 // start of the current run
	runInert := true
	for i := 0; i < len(s); {
		c := s[i]
		n := 1
		var in bool
		if c < utf8.RuneSelf {
			in = t[c]&cInert != 0
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 || t.class(r) == cIgnorable {
				if runInert {
					b = append(b, s[start:i]...)
					start = i
				}
				return b, start
			}
			in = t.inert(r)
		}
		if in != runInert {
			b = t.appendRun(b, s[start:i], runInert)
			start, runInert = i, in
		}
		i += n
	}
	return t.appendRun(b, s[start:], runInert), -1
}

func (t *classTable) appendRun(b []byte, run string, inert bool) []byte {
	if inert {
		return append(b, run...)
	}
	switch t.quickNFKC(run) {
	case quickYes:
		return append(b, run...)
	case quickWidth:
		return appendNarrow(b, run)
	}
	// The run alone is enough: an inert rune or the start of the text comes
	// before it.
	return append(b, norm.NFKC.String(run)...)
}

// clean replaces invalid UTF-8 by U+FFFD and drops ignorable runes.
func (t *classTable) clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	b := make([]byte, 0, len(s))
	last := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if t.class(r) == cIgnorable {
			b = append(b, s[last:i]...)
			last = i + n
		}
		i += n
	}
	return string(append(b, s[last:]...))
}

const (
	quickYes   = iota // already NFKC
	quickWidth        // NFKC once full-width forms are narrowed (appendNarrow)
	quickNo           // ask x/text
)

// quickNFKC is Unicode's NFKC quick check, answering "maybe" as "no": the
// run is normal when no rune of it is replaced by NFKC, none may compose
// with the one before it, and the combining classes are in order. It also
// recognises the one replacement that is common in offers, full-width ASCII
// and the ideographic space (Chinese keyboards type "，" and "２"), which
// appendNarrow does without x/text. Both save calling x/text, which
// allocates, for the many short runs that need nothing else.
func (t *classTable) quickNFKC(run string) int {
	var last uint8
	q := quickYes
	for i := 0; i < len(run); {
		if run[i] < utf8.RuneSelf {
			last = 0
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(run[i:])
		switch {
		case isWide(r):
			q, last = quickWidth, 0
		case r >= 0x10000 || t[r]&(cDecomp|cMaybe) != 0:
			return quickNo
		default:
			ccc := norm.NFKC.PropertiesString(run[i:]).CCC()
			if ccc != 0 && ccc < last {
				return quickNo
			}
			last = ccc
		}
		i += n
	}
	return q
}

// isWide: full-width ASCII (U+FF01–U+FF5E) and the ideographic space,
// whose NFKC form is the ASCII character.
func isWide(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }

func appendNarrow(b []byte, run string) []byte {
	for _, r := range run {
		switch {
		case r == 0x3000:
			b = append(b, ' ')
		case isWide(r):
			b = append(b, byte(r-0xFF01+'!'))
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}
