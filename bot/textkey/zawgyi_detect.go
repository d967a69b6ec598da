package textkey

import (
	_ "embed"
	"encoding/binary"
	"math"
	"sync"
	"unicode/utf8"
)

// ZawgyiThreshold is the probability from which text is treated as Zawgyi
// and converted automatically. google/myanmar-tools recommends 0.95 when no
// human checks the result: fewer than 1 % of Unicode strings score that high.
const ZawgyiThreshold = 0.95

// ZawgyiUnsure is the probability above which Zawgyi cannot be ruled out.
// myanmar-tools recommends 0.05 when a person (or a second matching pass, see
// [Keys]) looks at both readings.
const ZawgyiUnsure = 0.05

// The detector is google/myanmar-tools' binary Markov model
// (data/zawgyiUnicodeModel.dat, Apache-2.0). The Go client of that project
// cannot be fetched here, is O(n²) and panics on a bad file, so this is our
// own reader and scorer for the same file (format: research/languages.md
// §1.2).
//
//go:embed data/zawgyiUnicodeModel.dat
var zawgyiModelData []byte

// markovModel holds, for every pair of states, log P_unicode − log P_zawgyi
// of that transition, in a dense matrix: 227×227 float32 is about 200 KB and
// makes a lookup one index operation.
type markovModel struct {
	n      int
	spaces bool // whether U+2000–U+200B have states of their own (ssv 0)
	delta  []float32
}

var zawgyiModel = sync.OnceValue(func() *markovModel {
	m, ok := parseMarkovModel(zawgyiModelData)
	if !ok {
		// The file is embedded and checked by the tests, so this cannot
		// happen in a built binary; an empty model scores every text as
		// "no Burmese signal" rather than crashing the bot.
		return &markovModel{}
	}
	return m
})

// parseMarkovModel reads the big-endian model file. It returns false instead
// of panicking on anything unexpected.
func parseMarkovModel(b []byte) (*markovModel, bool) {
	r := beReader{b: b}
	if r.u64() != 0x555A4D4F44454C20 { // "UZMODEL "
		return nil, false
	}
	m := &markovModel{spaces: true}
	switch r.u32() {
	case 1:
	case 2:
		switch r.u32() {
		case 0:
		case 1:
			m.spaces = false
		default:
			return nil, false
		}
	default:
		return nil, false
	}
	if r.u64() != 0x424D41524B4F5620 || r.u32() != 0 { // "BMARKOV ", version 0
		return nil, false
	}
	m.n = int(int16(r.u16()))
	if m.n != numStates(m.spaces) {
		return nil, false
	}
	m.delta = make([]float32, m.n*m.n)
	for i := 0; i < m.n; i++ {
		entries := int(int16(r.u16()))
		if entries <= 0 {
			continue
		}
		fallback := r.f32()
		row := m.delta[i*m.n : (i+1)*m.n]
		for j := range row {
			row[j] = fallback
		}
		for k := 0; k < entries; k++ {
			j := int(int16(r.u16()))
			v := r.f32()
			if j < 0 || j >= m.n {
				return nil, false
			}
			row[j] = v
		}
	}
	if r.bad || len(r.b) != 0 {
		return nil, false
	}
	return m, true
}

// Markov states: 0 is every rune outside the ranges below (Myanmar digits
// included); then one state per code point of these ranges, in this order.
const (
	stMain   = 1                             // U+1000–U+103F
	stAfter  = stMain + 0x40                 // U+104A–U+109F
	stExtA   = stAfter + 0x109F - 0x104A + 1 // U+AA60–U+AA7F
	stExtB   = stExtA + 0x20                 // U+A9E0–U+A9FF
	stSpaces = stExtB + 0x20                 // U+2000–U+200B, model version with spaces only
)

func numStates(spaces bool) int {
	if spaces {
		return stSpaces + 12
	}
	return stSpaces
}

func (m *markovModel) state(r rune) int {
	switch {
	case r < 0x1000:
		return 0
	case r <= 0x103F:
		return int(r-0x1000) + stMain
	case r < 0x104A:
		return 0
	case r <= 0x109F:
		return int(r-0x104A) + stAfter
	case r >= 0x2000 && r <= 0x200B:
		if m.spaces {
			return int(r-0x2000) + stSpaces
		}
		return 0
	case r >= 0xA9E0 && r <= 0xA9FF:
		return int(r-0xA9E0) + stExtB
	case r >= 0xAA60 && r <= 0xAA7F:
		return int(r-0xAA60) + stExtA
	}
	return 0
}

// ZawgyiProbability returns P(Zawgyi | Zawgyi or Unicode) for the Burmese
// parts of s, following google/myanmar-tools: the sum of the model's log
// ratios over every rune-to-rune transition (0→0 transitions between
// non-Burmese runes are skipped, so text around the Burmese does not count),
// then 1/(1+e^sum).
//
// It returns -Inf, as myanmar-tools does, when s has no Burmese-range rune at
// all: "no signal" is different from "surely Unicode". Short strings score
// near the middle; see [ZawgyiThreshold] and [ZawgyiUnsure].
func ZawgyiProbability(s string) float64 {
	return zawgyiProbability(s, false)
}

// zawgyiProbability is ZawgyiProbability; with shanDigits set, Shan digits
// U+1090–U+1099 score like ASCII digits (state 0), which is what [Key] needs
// (see keyAndZawgyi).
func zawgyiProbability(s string, shanDigits bool) float64 {
	m := zawgyiModel()
	if m.n == 0 {
		return math.Inf(-1)
	}
	var sum float64
	seen := false
	prev := 0
	for i := 0; i < len(s); {
		var r rune
		if s[i] < utf8.RuneSelf {
			r = rune(s[i])
			i++
		} else {
			var n int
			r, n = utf8.DecodeRuneInString(s[i:])
			i += n
		}
		cur := m.state(r)
		if shanDigits && r >= 0x1090 && r <= 0x1099 {
			cur = 0
		}
		if prev != 0 || cur != 0 {
			sum += float64(m.delta[prev*m.n+cur])
			seen = true
		}
		prev = cur
	}
	if prev != 0 {
		sum += float64(m.delta[prev*m.n])
	}
	if !seen {
		return math.Inf(-1)
	}
	return 1 / (1 + math.Exp(sum))
}

// IsZawgyi reports whether s is, with high confidence, Burmese in the Zawgyi
// encoding (P ≥ [ZawgyiThreshold]). Only then do [Key] and callers convert it
// automatically.
func IsZawgyi(s string) bool {
	return ZawgyiProbability(s) >= ZawgyiThreshold
}

// beReader reads big-endian numbers and remembers running out of input
// instead of panicking.
type beReader struct {
	b   []byte
	bad bool
}

func (r *beReader) take(n int) []byte {
	if len(r.b) < n {
		r.bad = true
		r.b = nil
		return make([]byte, n)
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *beReader) u16() uint16  { return binary.BigEndian.Uint16(r.take(2)) }
func (r *beReader) u32() uint32  { return binary.BigEndian.Uint32(r.take(4)) }
func (r *beReader) u64() uint64  { return binary.BigEndian.Uint64(r.take(8)) }
func (r *beReader) f32() float32 { return math.Float32frombits(r.u32()) }
