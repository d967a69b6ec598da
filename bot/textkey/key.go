package textkey

import (
	"strings"
	"unicode/utf8"
)

// Key returns the matching key of s: the one normal form into which both
// red-flag patterns and pasted offers are put before a substring search
// (research/languages.md §0). In order:
//
//  1. Invisible format characters are dropped (ZWSP, ZWNJ, ZWJ, BOM, soft
//     hyphen, bidi controls: all of unicode.Cf, plus variation selectors
//     and Hangul fillers). Khmer writers put ZWSP between words and
//     copy-paste carries the rest; none of them is visible, so none may stop
//     a match. This runs before NFKC so that a mark separated from its base
//     by a ZWJ still gets composed and ordered with it.
//  2. NFKC: full-width Latin and digits become ASCII, ① becomes 1,
//     ligatures split, Thai sara am (ำ) splits into the two characters some
//     people type, Burmese mark order is canonicalised where Unicode allows.
//  3. Burmese look-alikes typed instead of letters are read as letters
//     inside words: digit ၀ as letter ဝ, digit ၇ as ရ, ဥ before asat as ဉ
//     (the contexts are Rabbit's, see myanmar.go).
//  4. Every decimal digit of any script (Thai, Burmese, Shan, Khmer, Lao,
//     Arabic-Indic, …) becomes its ASCII digit: NFKC leaves those alone.
//  5. Case is folded (lower case; ß→ss, final ς→σ).
//  6. Traditional Chinese characters become Simplified (OpenCC's character
//     table, first choice), so patterns are written once, in Simplified.
//  7. In Latin-script runs only, diacritics are removed: "Lương" → "luong",
//     "đi" → "di". Many people type Vietnamese without tones, and Windows
//     and Unikey disagree on composed vs combining forms. Marks after Thai,
//     Burmese or Khmer letters are kept: there they are vowels and tones.
//  8. Every run of white space becomes one space; leading and trailing space
//     is dropped.
//  9. Apostrophe look-alikes (’ ‘ ‛ ʼ ′) become ASCII ': phones put ’ in
//     "don’t" by default, and phrases are written with '.
//
// Burmese text that [IsZawgyi] flags is first put through steps 1–8, then
// converted to Unicode with [ZawgyiToUnicode], then put through them again.
// The conversion is kept only if the detector then agrees the result is
// Unicode, which also makes Key idempotent: Key(Key(s)) == Key(s) (see
// keyAndZawgyi for why, and for the one place where Shan digits wait).
//
// Key never fails: invalid UTF-8 becomes U+FFFD, and the result is always
// valid UTF-8.
func Key(s string) string {
	k, _ := keyAndZawgyi(s)
	return k
}

// Fold returns the key of s read as Unicode: Key without the Zawgyi
// detection. It is for text whose encoding is already settled: a pattern,
// which is written in Unicode, or a piece of an offer whose whole text was
// converted (or not) already. Asked about a word or two, the detector can
// only guess, and it guessed Zawgyi for "တာ့ခ်" (Tak), whose key then
// matched nothing.
func Fold(s string) string { return foldShanDigits(fold(s)) }

// AppendFold appends Fold(s) to dst and returns the extended buffer. It is
// for building one key out of many pieces without a string for each.
func AppendFold(dst []byte, s string) []byte {
	lo := len(dst)
	if isASCII(s) {
		dst = appendFoldASCII(dst, s)
	} else {
		t := classes()
		dst = t.appendFoldRunes(dst, t.nfkc(s))
	}
	return appendShanDigitsFolded(dst, lo)
}

// appendShanDigitsFolded folds the Shan digits of dst[lo:] in place, as
// foldShanDigits does for a string.
func appendShanDigitsFolded(dst []byte, lo int) []byte {
	// Shan digits U+1090–U+1099 are encoded E1 82 90–99.
	has := false
	for i := lo; i+2 < len(dst) && !has; i++ {
		has = dst[i] == 0xE1 && dst[i+1] == 0x82 && dst[i+2] >= 0x90 && dst[i+2] <= 0x99
	}
	if !has {
		return dst
	}
	w := lo
	for i := lo; i < len(dst); {
		r, n := utf8.DecodeRune(dst[i:])
		if isShanDigit(r) {
			dst[w] = byte('0' + r - 0x1090)
			w++
		} else {
			w += copy(dst[w:], dst[i:i+n])
		}
		i += n
	}
	return dst[:w]
}

// Keys returns the keys under which s should be matched: normally just
// [Key](s). When s has Burmese that the detector can neither confirm nor rule
// out as Zawgyi (probability between [ZawgyiUnsure] and [ZawgyiThreshold]:
// typically a short text) it also returns the key of the Zawgyi-converted
// reading, so that a match on either reading counts
// (research/languages.md §1.4).
func Keys(s string) []string {
	k, p := keyAndZawgyi(s)
	if p > ZawgyiUnsure && p < ZawgyiThreshold {
		if alt := foldShanDigits(fold(ZawgyiToUnicode(fold(s)))); alt != k {
			return []string{k, alt}
		}
	}
	return []string{k}
}

// keyAndZawgyi returns the key and the Zawgyi probability of the folded text
// (-Inf without Burmese).
//
// Why it is idempotent: fold (steps 1–8) is idempotent and leaves Shan
// digits U+1090–U+1099 alone, because Zawgyi uses those code points for
// letters and marks (U+1094 is its dot below) and they must reach the
// converter intact; foldShanDigits turns them into ASCII digits last. The
// detector is asked with Shan digits scored as plain digits, so it gives the
// same answer before and after that last step. Then, for t = fold(s):
//
//   - not Zawgyi: the key is foldShanDigits(t); a second call sees the same
//     score and keeps it.
//   - Zawgyi, and the converted c = fold(ZawgyiToUnicode(t)) scores as
//     Unicode: the key is foldShanDigits(c); a second call sees a Unicode
//     score and keeps it.
//   - Zawgyi, but c still scores as Zawgyi (the rules could not make sense
//     of it): the key is t itself, Shan digits and all; a second call
//     computes the same t and the same c, and again keeps t.
func keyAndZawgyi(s string) (string, float64) {
	t := fold(s)
	if !HasMyanmar(t) {
		return t, negInf
	}
	p := zawgyiProbability(t, true)
	if p < ZawgyiThreshold {
		return foldShanDigits(t), p
	}
	c := fold(ZawgyiToUnicode(t))
	if zawgyiProbability(c, true) < ZawgyiThreshold {
		return foldShanDigits(c), p
	}
	return t, p
}

// foldShanDigits maps Shan digits ႐–႙ to ASCII (see keyAndZawgyi).
func foldShanDigits(s string) string {
	if !strings.ContainsFunc(s, isShanDigit) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isShanDigit(r) {
			return '0' + r - 0x1090
		}
		return r
	}, s)
}

func isShanDigit(r rune) bool { return r >= 0x1090 && r <= 0x1099 }

// HasMyanmar reports whether s has a rune of the Myanmar block (Burmese,
// Shan, Mon; Unicode or Zawgyi): only such text can need a Zawgyi reading.
func HasMyanmar(s string) bool {
	// All of U+1000–U+109F is encoded as E1 80 xx, E1 81 xx or E1 82 xx.
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xE1 && s[i+1] >= 0x80 && s[i+1] <= 0x82 {
			return true
		}
	}
	return false
}

// fold is steps 1–8 of Key.
func fold(s string) string {
	if isASCII(s) {
		return foldASCII(s)
	}
	t := classes()
	return t.foldRunes(t.nfkc(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is the fast path for pure-ASCII text (most English offers, and
// most Latin patterns): lower case and collapsed white space are all that
// apply. Text that is already a key is returned as is.
func foldASCII(s string) string {
	if isASCIIKey(s) {
		return s
	}
	return string(appendFoldASCII(make([]byte, 0, len(s)), s))
}

func appendFoldASCII(b []byte, s string) []byte {
	lo := len(b)
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c >= '\t' && c <= '\r':
			space = true
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if space && len(b) > lo {
			b = append(b, ' ')
		}
		space = false
		b = append(b, c)
	}
	return b
}

func isASCIIKey(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', c >= '\t' && c <= '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}

// foldRunes is steps 3–8 on NFKC text (it reads the buffer nfkc made).
func (t *classTable) foldRunes(s []byte) string {
	return string(t.appendFoldRunes(make([]byte, 0, len(s)), s))
}

// appendFoldRunes appends the key of NFKC text s to dst.
func (t *classTable) appendFoldRunes(dst []byte, s []byte) []byte {
	w := keyWriter{b: dst, lo: len(dst)}
	latin := false // the last letter written was Latin: its marks go too
	var prev rune  // the rune before, as it was in s
	for i := 0; i < len(s); {
		r := rune(s[i])
		if r < utf8.RuneSelf {
			i++
			switch {
			case r == ' ' || r >= '\t' && r <= '\r':
				w.space()
				latin = false
			case 'A' <= r && r <= 'Z':
				w.ascii(byte(r + 'a' - 'A'))
				latin = true
			default:
				w.ascii(byte(r))
				latin = 'a' <= r && r <= 'z'
			}
			prev = r
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		i += n
		orig := r
		if isApostrophe(r) {
			w.ascii('\'')
			latin = false
			prev = orig
			continue
		}
		switch t.class(r) {
		case cIgnorable: // only if NFKC made one; nfkc dropped the rest
			continue
		case cSpace:
			w.space()
			latin = false
			prev = orig
			continue
		case cMark:
			if latin {
				prev = orig
				continue
			}
		case cMyanmar:
			r = foldMyanmar(prev, r, s[i:])
			if d, ok := digitValue(r); ok {
				r = '0' + d
			}
			latin = false
		case cDigit:
			d, _ := digitValue(r)
			r = '0' + d
			latin = false
		case cHan:
			r = simplified(r)
			latin = false
		case cLatin, cCased:
			if r == 'ß' || r == 'ẞ' { // the one full case folding our languages meet
				w.ascii('s')
				r = 's'
				latin = true
				break
			}
			r, latin = foldLetter(r)
		default:
			latin = false
		}
		w.rune(r)
		prev = orig
	}
	return w.b
}

// isApostrophe reports whether r is typed for an apostrophe: the
// typographic single quotes, the modifier letter and the prime.
func isApostrophe(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u201B', '\u02BC', '\u2032':
		return true
	}
	return false
}

// keyWriter writes a key after b[:lo]: one space for every run of white
// space, none at either end.
type keyWriter struct {
	b       []byte
	lo      int
	pending bool
}

func (w *keyWriter) space() { w.pending = len(w.b) > w.lo }

func (w *keyWriter) ascii(c byte) {
	if w.pending {
		w.b = append(w.b, ' ')
		w.pending = false
	}
	w.b = append(w.b, c)
}

func (w *keyWriter) rune(r rune) {
	if w.pending {
		w.b = append(w.b, ' ')
		w.pending = false
	}
	w.b = utf8.AppendRune(w.b, r)
}
