package textkey

import (
	"math"
	"sort"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var negInf = math.Inf(-1)

// isIgnorableSlow reports runes that are invisible and carry no letter, so
// must not stop a match: every format character (unicode.Cf: ZWSP, ZWNJ,
// ZWJ, word joiner, BOM, soft hyphen, bidi controls, tags), variation
// selectors, the combining grapheme joiner, Khmer's two "inherent vowel"
// signs that Unicode deprecates, Mongolian free variation selectors and the
// Hangul fillers that are used to make blank-looking names. The class table
// (cIgnorable) caches it.
func isIgnorableSlow(r rune) bool {
	switch {
	case r < 0xAD:
		return false
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF, // variation selectors
		r == 0x034F,              // combining grapheme joiner
		r == 0x17B4, r == 0x17B5, // Khmer inherent vowels
		r >= 0x180B && r <= 0x180F,                         // Mongolian variation selectors (U+180E is Cf)
		r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0: // Hangul fillers
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// Rune classes for the folding loop. Looking a rune up in a 128 KB table
// instead of asking several unicode range tables is what keeps Key at a few
// nanoseconds per rune; class 0 means "copy as is".
const (
	cIgnorable uint16 = 1 << iota
	cSpace
	cMark    // unicode.Mn: dropped after a Latin letter
	cDigit   // a decimal digit to fold to ASCII (not ASCII, not Shan)
	cLatin   // a non-ASCII Latin letter: lower, strip diacritics
	cCased   // another letter that changes under case folding
	cHan     // a Traditional character with a Simplified form
	cMyanmar // ၀ ၇ ဥ: look-alikes read from context

	// cInert marks runes that NFKC leaves alone whatever surrounds them
	// (no decomposition, combining class 0, no composition with a
	// neighbour): norm.Properties.BoundaryAfter. Text made only of these
	// skips NFKC, and inert runes split the rest into short pieces.
	cInert
	// cDecomp: NFKC replaces the rune (NFKC_QC=No).
	cDecomp
	// cMaybe: the rune may compose with the one before it (NFKC_QC=Maybe).
	cMaybe
)

const classMask = cInert - 1

// classTable holds the classes of the Basic Multilingual Plane. Callers get
// it once per call (classes()) and pass it on: asking sync.Once for every
// rune cost more than the lookup itself.
type classTable [0x10000]uint16

var classes = sync.OnceValue(buildClasses)

func buildClasses() *classTable {
	t := new(classTable)
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if r >= 0x80 {
			t[r] |= classSlow(r)
		}
		b := buf[:utf8.EncodeRune(buf[:], r)]
		p := norm.NFKC.Properties(b)
		switch {
		case isHangul(r):
			t[r] |= cMaybe // composes algorithmically: always ask x/text
			continue
		case p.BoundaryAfter():
			t[r] |= cInert
		case !norm.NFKC.IsNormal(b):
			t[r] |= cDecomp
		case p.CCC() == 0 && !p.BoundaryBefore():
			t[r] |= cMaybe
		}
		// Whatever follows the first rune in a canonical composite may
		// compose backward (a superset of NFKC_QC=Maybe, which x/text does
		// not export; being too careful only costs a call to x/text).
		if norm.NFD.Properties(b).Decomposition() == nil {
			continue
		}
		if d := norm.NFD.Bytes(b); norm.NFC.IsNormal(b) && string(norm.NFC.Bytes(d)) == string(b) {
			_, n := utf8.DecodeRune(d)
			for _, m := range string(d[n:]) {
				if m < 0x10000 {
					t[m] |= cMaybe
				}
			}
		}
	}
	return t
}

// isHangul: jamo and syllables compose algorithmically; never treat them as
// inert, whatever the property table says.
func isHangul(r rune) bool {
	return r >= 0x1100 && r <= 0x11FF || r >= 0x3130 && r <= 0x318F ||
		r >= 0xA960 && r <= 0xA97F || r >= 0xAC00 && r <= 0xD7FF
}

// class returns the class bits of r without cInert and the NFKC bits.
func (t *classTable) class(r rune) uint16 {
	switch {
	case r < 0x80:
		return 0 // ASCII is handled inline by the callers
	case r < 0x10000:
		return t[r] & classMask
	case r >= 0x1F000 && r < 0x1FB00, r >= 0x20000 && r < 0xE0000:
		return 0 // emoji and symbols, Han extensions B and beyond
	}
	return classSlow(r)
}

// inert reports cInert.
func (t *classTable) inert(r rune) bool {
	switch {
	case r < 0x10000:
		return t[r]&cInert != 0
	case r >= 0x1F000 && r < 0x1FB00:
		return emojiInert()[r-0x1F000]
	case r >= 0x20000 && r < 0x2F800, r >= 0x30000 && r < 0x323B0:
		return true // Han extensions B–H: no decomposition, no combining
	}
	return norm.NFKC.PropertiesString(string(r)).BoundaryAfter()
}

// emojiInert covers U+1F000–U+1FAFF, where offers put their emoji; the
// enclosed alphanumerics there (🄁, 🅰) do decompose.
var emojiInert = sync.OnceValue(func() *[0xB00]bool {
	t := new([0xB00]bool)
	for i := range t {
		t[i] = norm.NFKC.PropertiesString(string(rune(0x1F000 + i))).BoundaryAfter()
	}
	return t
})

func classSlow(r rune) uint16 {
	switch {
	case isIgnorableSlow(r):
		return cIgnorable
	case unicode.IsSpace(r):
		return cSpace
	case r == 0x1040 || r == 0x1047 || r == 0x1025:
		return cMyanmar
	case unicode.IsDigit(r):
		if isShanDigit(r) {
			return 0
		}
		return cDigit
	case unicode.Is(unicode.Mn, r):
		return cMark
	case unicode.Is(unicode.Latin, r):
		return cLatin
	case r >= hanLo && r < hanHi:
		if simplified(r) != r {
			return cHan
		}
		return 0
	case r == 'ς' || unicode.ToLower(r) != r:
		return cCased
	}
	return 0
}

// digitValue returns the value of a decimal digit of any script. NFKC maps
// only full-width and styled digits to ASCII, not Thai ๓ or Burmese ၃, and
// neither the standard library nor x/text exposes a digit's value; but every
// range of unicode.Nd is ten consecutive code points (or a multiple of ten)
// starting at a zero, so the value is the offset modulo 10 (the tests check
// this against Unicode's tables).
func digitValue(r rune) (rune, bool) {
	if r < 0x80 || !unicode.IsDigit(r) {
		return 0, false
	}
	for _, t := range [2][]unicode.Range32{nd16, unicode.Nd.R32} {
		i := sort.Search(len(t), func(i int) bool { return t[i].Hi >= uint32(r) })
		if i < len(t) && t[i].Lo <= uint32(r) {
			return (r - rune(t[i].Lo)) % 10, true
		}
	}
	return 0, false
}

// nd16 is unicode.Nd.R16 widened, so that one search serves both tables.
var nd16 = func() []unicode.Range32 {
	var t []unicode.Range32
	for _, rg := range unicode.Nd.R16 {
		t = append(t, unicode.Range32{Lo: uint32(rg.Lo), Hi: uint32(rg.Hi), Stride: uint32(rg.Stride)})
	}
	return t
}()

// foldLetter lowers r and, for a Latin letter, strips its diacritics. It
// reports whether r is Latin, because combining marks that follow a Latin
// letter are dropped too (Vietnamese typed in decomposed form, or stacked
// marks NFKC cannot compose).
func foldLetter(r rune) (rune, bool) {
	if b := latinBase(r); b != 0 {
		return b, true
	}
	if r == 'ς' { // final sigma: the case fold of σ, unlike its lower case
		return 'σ', false
	}
	return unicode.ToLower(r), unicode.Is(unicode.Latin, r)
}

// latinBase maps a precomposed Latin letter in Latin-1 Supplement, Latin
// Extended-A/B or Latin Extended Additional (where all Vietnamese letters
// live) to its lower-case ASCII base letter, or returns 0. đ/Đ and ð/Ð (a
// look-alike often typed for Đ) have no decomposition and map to d by hand.
func latinBase(r rune) rune {
	t := latinTables()
	switch {
	case r >= 0xC0 && r < 0x250:
		return rune(t.ext[r-0xC0])
	case r >= 0x1E00 && r < 0x1F00:
		return rune(t.add[r-0x1E00])
	}
	return 0
}

type latinTable struct {
	ext [0x250 - 0xC0]byte
	add [0x100]byte
}

var latinTables = sync.OnceValue(func() *latinTable {
	t := &latinTable{}
	base := func(r rune) byte {
		switch r {
		case 'đ', 'Đ', 'ð', 'Ð':
			return 'd'
		}
		d := []rune(norm.NFD.String(string(r)))
		if len(d) < 2 || d[0] >= 0x80 || !unicode.IsLetter(d[0]) {
			return 0
		}
		for _, m := range d[1:] {
			if !unicode.Is(unicode.Mn, m) {
				return 0
			}
		}
		return byte(unicode.ToLower(d[0]))
	}
	for i := range t.ext {
		t.ext[i] = base(rune(0xC0 + i))
	}
	for i := range t.add {
		t.add[i] = base(rune(0x1E00 + i))
	}
	return t
})
