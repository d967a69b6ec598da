package textkey

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// The Traditional → Simplified table is OpenCC's TSCharacters.txt
// (BYVoid/OpenCC, Apache-2.0, as shipped in github.com/longbridgeapp/opencc
// v0.3.13): one line per Traditional character, a tab, then its Simplified
// candidates. We use the first candidate of every character in the Basic
// Multilingual Plane, character by character: no phrase table. That is
// wrong for display (乾隆 → 干隆) but right for a matching key, since
// patterns and text are folded the same way; it costs a 30 KB file instead
// of the 2 MB that the opencc module would add, and none of its global
// command-line flag.
//
//go:embed data/TSCharacters.txt
var tsCharacters string

const hanLo, hanHi = 0x3400, 0xA000 // CJK Extension A and Unified Ideographs

// hanTable[r-hanLo] is the Simplified form of r, or 0 when r does not change.
var hanTable = sync.OnceValue(func() []uint16 {
	m := parseTS(tsCharacters)
	t := make([]uint16, hanHi-hanLo)
	for k, v := range m {
		t[k-hanLo] = uint16(v)
	}
	return t
})

// parseTS reads the OpenCC table, keeps BMP pairs inside the Han range and
// resolves chains (a target that is itself a source) so that folding twice
// gives the same as folding once.
func parseTS(data string) map[rune]rune {
	m := make(map[rune]rune, 4096)
	for line := range strings.SplitSeq(data, "\n") {
		from, to, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		to, _, _ = strings.Cut(to, " ")
		f, nf := utf8.DecodeRuneInString(from)
		t, nt := utf8.DecodeRuneInString(to)
		if nf != len(from) || nt != len(to) || f == t ||
			f < hanLo || f >= hanHi || t < hanLo || t >= hanHi {
			continue
		}
		m[f] = t
	}
	for k, v := range m {
		for range 4 {
			w, ok := m[v]
			if !ok || w == k {
				break
			}
			v = w
		}
		m[k] = v
	}
	return m
}

// simplified returns the Simplified form of a Han character, or r itself.
func simplified(r rune) rune {
	if r < hanLo || r >= hanHi {
		return r
	}
	if v := hanTable()[r-hanLo]; v != 0 {
		return rune(v)
	}
	return r
}
