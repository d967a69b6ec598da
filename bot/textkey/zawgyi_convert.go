package textkey

import (
	_ "embed"
	"encoding/json"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"
)

// The conversion rules are Rabbit's zg2uni.json (Rabbit-Converter/Rabbit,
// WTFPL v2): an ordered list of regex → replacement rules, applied one after
// the other to the whole text, as Rabbit's own JavaScript does.
//
//go:embed data/zg2uni.json
var zg2uniJSON []byte

// A rule rewrites every match of re. When fn is set it computes the
// replacement of each match (used for the ported look-ahead rules);
// otherwise repl is expanded as in regexp.ReplaceAllString.
//
// need lists sets of runes: every match contains a rune of each set (the
// literal parts the pattern cannot avoid). A rule is skipped without
// running the regexp when the text lacks one of them: most rules target a
// few Zawgyi code points, and skipping the rest is what keeps 118 passes
// affordable. adds holds the runes a replacement can insert, so that the
// set of runes present stays a superset as the text changes.
type rule struct {
	re     *regexp.Regexp
	seq    *seq // the same pattern without the regexp engine, when it is simple
	repl   string
	fn     func(m []string) string
	need   []runeSet
	adds   runeSet
	loop   bool // re-apply until nothing changes (a ported look-ahead that consumes the context it looked at)
	dedupe bool // rule 1: collapse runs of one repeated mark (a back-reference)
}

// runeSet is a set of runes of the Myanmar block U+1000–U+10BF; bit 192
// ("other") stands for every rune outside it.
type runeSet [4]uint64

const otherBit = 192

func (s *runeSet) add(r rune) {
	i := int(r - 0x1000)
	if r < 0x1000 || r >= 0x10C0 {
		i = otherBit
	}
	s[i/64] |= 1 << (i % 64)
}

func (s runeSet) meets(t runeSet) bool {
	return s[0]&t[0] != 0 || s[1]&t[1] != 0 || s[2]&t[2] != 0 || s[3]&t[3] != 0
}

func (s *runeSet) union(t runeSet) {
	for i := range s {
		s[i] |= t[i]
	}
}

func runesOf(s string) runeSet {
	var set runeSet
	for _, r := range s {
		set.add(r)
	}
	return set
}

var zg2uniRules = sync.OnceValue(func() []rule {
	rules, _ := loadRules(zg2uniJSON)
	return rules
})

// loadRules compiles the JSON rules. Go's RE2 has no look-arounds or
// back-references, so the few Rabbit rules that use them are replaced by an
// equivalent from ported; anything else that fails to compile is reported
// (the tests require zero such rules) and skipped.
func loadRules(data []byte) (rules []rule, skipped []string) {
	var raw []struct {
		From string `json:"from"`
		To   string `json:"to"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, []string{err.Error()}
	}
	for _, r := range raw {
		if p, ok := ported[r.From]; ok {
			p.need = requiredRunes(p.re)
			p.adds.union(runesOf(p.repl))
			if p.fn == nil && !p.dedupe {
				p.seq = compileSeq(p.re, p.repl)
			}
			rules = append(rules, p)
			continue
		}
		re, err := regexp.Compile(r.From)
		if err != nil {
			skipped = append(skipped, r.From)
			continue
		}
		repl := jsToGoTemplate(r.To)
		rules = append(rules, rule{re: re, seq: compileSeq(re, repl), repl: repl, need: requiredRunes(re), adds: runesOf(r.To)})
	}
	return rules, skipped
}

// jsToGoTemplate rewrites JavaScript's $1 as ${1}: Go reads "$1ဝ" as a group
// named "1ဝ", because Burmese letters count as name characters.
func jsToGoTemplate(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			b.WriteString("${")
			b.WriteByte(s[i+1])
			b.WriteByte('}')
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

const myDigits = `\x{1040}-\x{1049}`

// ported maps the Rabbit patterns that RE2 cannot compile to equivalents.
// A look-ahead (?=X) becomes a captured (X) that the replacement puts back;
// a negative look-ahead (?!X) becomes an optional (X)? whose presence cancels
// the replacement; the back-reference rule is a rune loop.
var ported = map[string]rule{
	"([\u102D\u102E\u103D\u102F\u1037\u1095])\\1+": {
		re:     regexp.MustCompile(`[\x{102D}\x{102E}\x{103D}\x{102F}\x{1037}\x{1095}]{2,}`),
		dedupe: true,
	},
	"\u1047(?=[\u102c-\u1030\u1032\u1036-\u1038\u103d\u1038])": {
		re:   regexp.MustCompile(`\x{1047}([\x{102c}-\x{1030}\x{1032}\x{1036}-\x{1038}\x{103d}])`),
		repl: "\u101b${1}",
	},
	"([\u1040\u1041\u1042\u1043\u1044\u1045\u1046\u1047\u1048\u1049])\u1040\u102b(?!\u1038)": {
		re:   regexp.MustCompile(`([` + myDigits + `])\x{1040}\x{102b}(\x{1038})?`),
		adds: runesOf("\u101d\u102b"),
		fn: func(m []string) string {
			if m[2] != "" {
				return m[0]
			}
			return m[1] + "\u101d\u102b"
		},
	},
	"^\u1040(?=\u102b)": {
		re:   regexp.MustCompile(`^\x{1040}\x{102b}`),
		repl: "\u101d\u102b",
	},
	"\u1040\u102d(?!\u0020?/)": {
		re:   regexp.MustCompile(`\x{1040}\x{102d}( ?/)?`),
		adds: runesOf("\u101d\u102d"),
		fn: func(m []string) string {
			if m[1] != "" {
				return m[0]
			}
			return "\u101d\u102d"
		},
	},
	"([^\u1040-\u1049])\u1040(?=[\\f\\n\\r])": {
		re:   regexp.MustCompile(`([^` + myDigits + `])\x{1040}([\f\n\r])`),
		repl: "${1}\u101d${2}",
		loop: true,
	},
	"\u1025(?=[\u1037]?[\u103a\u102c])": {
		re:   regexp.MustCompile(`\x{1025}(\x{1037}?[\x{103a}\x{102c}])`),
		repl: "\u1009${1}",
	},
	"\u1047((?=[\u1000-\u1021]\u103a)|(?=[\u102c-\u1030\u1032\u1036-\u1038\u103d\u103e]))": {
		re:   regexp.MustCompile(`\x{1047}([\x{1000}-\x{1021}]\x{103a}|[\x{102c}-\x{1030}\x{1032}\x{1036}-\x{1038}\x{103d}\x{103e}])`),
		repl: "\u101b${1}",
	},
}

// ZawgyiToUnicode converts Zawgyi-encoded Burmese to Unicode with Rabbit's
// rules. It converts whatever it is given: call it only on text that
// [IsZawgyi] flags (or that a user said is Zawgyi), because on Unicode text
// the rules reorder and rewrite letters that were already right. Text
// outside the Burmese block passes through unchanged.
//
// The bot uses it to show the user their own Zawgyi offer back in Unicode,
// and [Key] uses it before matching.
func ZawgyiToUnicode(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	present := runesOf(s)
	text := []rune(s)
	for i := range zg2uniRules() {
		r := &zg2uniRules()[i]
		if !r.applies(present) {
			continue
		}
		if out, changed := r.apply(text); changed {
			present.union(r.adds)
			text = out
		}
	}
	return string(text)
}

func (r *rule) applies(present runeSet) bool {
	for _, n := range r.need {
		if !n.meets(present) {
			return false
		}
	}
	return true
}

// apply runs the rule once (or, for a loop rule, until nothing changes).
func (r *rule) apply(text []rune) ([]rune, bool) {
	changed := false
	for range 8 {
		var out []rune
		switch {
		case r.seq != nil:
			out = r.seq.replaceAll(text)
		case r.dedupe:
			out = dedupeMarks(text)
		default:
			s := string(text)
			var o string
			if r.fn != nil {
				o = replaceSubmatchFunc(r.re, s, r.fn)
			} else {
				o = r.re.ReplaceAllString(s, r.repl)
			}
			if o == s {
				return text, changed
			}
			out = []rune(o)
		}
		if sameSlice(out, text) {
			return text, changed
		}
		text, changed = out, true
		if !r.loop {
			break
		}
	}
	return text, changed
}

// sameSlice: seq and dedupeMarks return their input itself when nothing
// matched.
func sameSlice(a, b []rune) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// dedupeMarks is Rabbit's first rule, ([ိီွု့ၕ])\1+ → $1: a mark typed
// twice in a row is kept once. The back-reference needs no regexp.
func dedupeMarks(s []rune) []rune {
	var b []rune
	for i, r := range s {
		dup := i > 0 && r == s[i-1] && isDedupeMark(r)
		switch {
		case dup && b == nil:
			b = append(make([]rune, 0, len(s)), s[:i]...)
		case !dup && b != nil:
			b = append(b, r)
		}
	}
	if b == nil {
		return s
	}
	return b
}

func isDedupeMark(r rune) bool {
	switch r {
	case 0x102D, 0x102E, 0x103D, 0x102F, 0x1037, 0x1095:
		return true
	}
	return false
}

func replaceSubmatchFunc(re *regexp.Regexp, s string, fn func([]string) string) string {
	idx := re.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	m := make([]string, re.NumSubexp()+1)
	for _, loc := range idx {
		for g := range m {
			m[g] = ""
			if loc[2*g] >= 0 {
				m[g] = s[loc[2*g]:loc[2*g+1]]
			}
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(fn(m))
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// requiredRunes returns sets of runes such that every match of re contains
// a rune of each set, found by walking the pattern's syntax tree for parts
// that every match must go through. nil means "no cheap filter".
func requiredRunes(re *regexp.Regexp) []runeSet {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	return mandatory(t.Simplify())
}

func mandatory(t *syntax.Regexp) []runeSet {
	switch t.Op {
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 {
			return nil
		}
		var sets []runeSet
		for _, r := range t.Rune {
			var s runeSet
			s.add(r)
			sets = append(sets, s)
		}
		return sets
	case syntax.OpCharClass:
		var s runeSet
		for i := 0; i+1 < len(t.Rune); i += 2 {
			lo, hi := t.Rune[i], t.Rune[i+1]
			if lo < 0x1000 || hi >= 0x10C0 {
				s.add(-1) // the class reaches outside the block
				lo, hi = max(lo, 0x1000), min(hi, 0x10BF)
			}
			for c := lo; c <= hi; c++ {
				s.add(c)
			}
		}
		return []runeSet{s}
	case syntax.OpCapture, syntax.OpPlus:
		return mandatory(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min > 0 {
			return mandatory(t.Sub[0])
		}
	case syntax.OpConcat:
		var sets []runeSet
		for _, sub := range t.Sub {
			sets = append(sets, mandatory(sub)...)
		}
		return sets
	case syntax.OpAlternate:
		// Any branch will do: one set, the union of one set per branch.
		var u runeSet
		for _, sub := range t.Sub {
			rs := mandatory(sub)
			if len(rs) == 0 {
				return nil
			}
			u.union(rs[0])
		}
		return []runeSet{u}
	}
	return nil
}
