package textkey

import "unicode/utf8"

// foldMyanmar reads Burmese look-alikes as the letter the writer meant, in
// the contexts where Rabbit's converter does (research/languages.md §1.5):
//
//   - digit ၀ for letter ဝ: when a vowel sign, medial or tone follows, or
//     when it touches a Burmese letter or sign and no digit ("၀န်ထမ်း" is "staff",
//     "၁၀" stays ten);
//   - digit ၇ for letter ရ: when a vowel sign, medial or tone follows, or a
//     consonant with asat ("၇က်" is "day"), or a Zawgyi-order ေ precedes;
//   - ဥ for ဉ before asat, aa or the stacker ("ဥ်" is "ဉ်").
//
// These run before digits are folded to ASCII, on Unicode and Zawgyi text
// alike (the contexts mean the same in both), so that the letter survives.
// prev is the rune before r, rest the text after it.
func foldMyanmar(prev, r rune, rest []byte) rune {
	next, next2 := peek2(rest)
	switch r {
	case 0x1040: // ၀
		switch {
		case isMyanmarSign(next):
			return 0x101D
		case isDigitRune(prev) || isDigitRune(next):
			return r
		case prev >= 0x1000 && prev <= 0x109F || next >= 0x1000 && next <= 0x102A:
			return 0x101D
		}
	case 0x1047: // ၇
		switch {
		case isMyanmarSign(next) && next != 0x1039 && next != 0x103A,
			isConsonant(next) && next2 == 0x103A,
			prev == 0x1031 && !isDigitRune(next):
			return 0x101B
		}
	case 0x1025: // ဥ
		if next == 0x103A || next == 0x102C || next == 0x1039 ||
			next == 0x1037 && (next2 == 0x103A || next2 == 0x102C) {
			return 0x1009
		}
	}
	return r
}

// isMyanmarSign: dependent vowels, tones, asat, stacker and medials.
func isMyanmarSign(r rune) bool { return r >= 0x102B && r <= 0x103E }

func isConsonant(r rune) bool { return r >= 0x1000 && r <= 0x1021 }

// isDigitRune reports a digit that makes a neighbouring ၀ or ၇ a digit too.
// Shan digits do not count: Zawgyi uses their code points for letters and
// marks (U+1094 is its dot below, as in "ဖြဲ႔၀င္").
func isDigitRune(r rune) bool {
	if r >= '0' && r <= '9' {
		return true
	}
	_, ok := digitValue(r)
	return ok && !isShanDigit(r)
}

// peek2 returns the first two runes of s, -1 where there are none.
func peek2(s []byte) (a, b rune) {
	a, b = -1, -1
	if len(s) > 0 {
		var n int
		a, n = utf8.DecodeRune(s)
		if len(s) > n {
			b, _ = utf8.DecodeRune(s[n:])
		}
	}
	return a, b
}
