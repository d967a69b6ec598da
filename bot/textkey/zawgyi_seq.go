package textkey

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
)

// seq is a rule pattern made only of single-rune steps (literal runes and
// character classes), each optionally repeated (?, +, *) and captured, and
// optionally anchored (^, $), as most of Rabbit's rules are: "ွ|ႇ",
// "([က-အ])့ဲ", "(ု|ူ)(ိ|ီ)", "(ေ)?([က-အ])(ျ)?ႌ", "[ွ]+".
//
// Why: Go's regexp cannot skip ahead on a pattern that starts with a class,
// so each of the 80 or so rules that Zawgyi text goes through costs a slow
// pass. A plain scan finds the same matches several times faster. It is
// exact because a repeated step is only accepted when no later step can
// match its runes: then taking as many as possible (what the regexp tries
// first) can never be undone by backtracking. The tests check seq against
// the regexp, rule by rule, on the corpora and in a fuzz test.
type seq struct {
	steps  []step
	groups []span // by capture number
	begin  bool   // ^: only at the start of the text
	end    bool   // $: only at the end of the text
	lit    []rune // the whole pattern when it is one literal string
	tmpl   []tmplPart
}

type step struct {
	set      runeSet // the runes of U+1000–U+10BF it accepts
	outside  []rune  // lo, hi pairs of the ones outside that block
	min, max int     // max < 0: unbounded
}

type span struct{ from, to int } // steps from..to-1; to == 0: no such group

type tmplPart struct {
	lit   []rune
	group int // when lit is nil
}

// compileSeq returns nil when re or the replacement template is not of
// that kind; the rule then keeps using the regexp.
func compileSeq(re *regexp.Regexp, tmpl string) *seq {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	q := &seq{groups: make([]span, re.NumSubexp()+1)}
	if !q.add(t.Simplify()) || !q.greedySafe() {
		return nil
	}
	empty := true
	for _, st := range q.steps {
		empty = empty && st.min == 0
	}
	if empty { // could match the empty string: leave that to the regexp
		return nil
	}
	if !q.parseTemplate(tmpl) {
		return nil
	}
	q.lit = q.literal()
	return q
}

func (q *seq) add(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpConcat:
		for i, sub := range t.Sub {
			switch {
			case sub.Op == syntax.OpBeginText && i == 0 && len(q.steps) == 0:
				q.begin = true
			case sub.Op == syntax.OpEndText && i == len(t.Sub)-1:
				q.end = true
			case !q.add(sub):
				return false
			}
		}
		return true
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 {
			return false
		}
		for _, r := range t.Rune {
			q.steps = append(q.steps, newStep([]rune{r, r}, 1, 1))
		}
		return true
	case syntax.OpCharClass:
		q.steps = append(q.steps, newStep(t.Rune, 1, 1))
		return true
	case syntax.OpCapture:
		from := len(q.steps)
		if !q.add(t.Sub[0]) || len(q.steps) == from {
			return false
		}
		q.groups[t.Cap] = span{from, len(q.steps)}
		return true
	case syntax.OpQuest, syntax.OpPlus, syntax.OpStar:
		sub, capture := t.Sub[0], 0
		if sub.Op == syntax.OpCapture {
			sub, capture = sub.Sub[0], sub.Cap
		}
		var ranges []rune
		switch {
		case sub.Op == syntax.OpCharClass:
			ranges = sub.Rune
		case sub.Op == syntax.OpLiteral && len(sub.Rune) == 1 && sub.Flags&syntax.FoldCase == 0:
			ranges = []rune{sub.Rune[0], sub.Rune[0]}
		default:
			return false
		}
		min, max := 0, -1 // OpStar
		switch t.Op {
		case syntax.OpQuest:
			max = 1
		case syntax.OpPlus:
			min = 1
		}
		q.steps = append(q.steps, newStep(ranges, min, max))
		if capture > 0 {
			q.groups[capture] = span{len(q.steps) - 1, len(q.steps)}
		}
		return true
	}
	return false
}

func newStep(ranges []rune, min, max int) step {
	st := step{min: min, max: max}
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo < 0x1000 || hi >= 0x10C0 {
			st.outside = append(st.outside, lo, hi)
		}
		for c := max32(lo, 0x1000); c <= min32(hi, 0x10BF); c++ {
			st.set.add(c)
		}
	}
	return st
}

func max32(a, b rune) rune {
	if a > b {
		return a
	}
	return b
}

func min32(a, b rune) rune {
	if a < b {
		return a
	}
	return b
}

// greedySafe: every step that can match a varying number of runes shares
// no rune with any later step (see the type comment).
func (q *seq) greedySafe() bool {
	for i, st := range q.steps {
		if st.min == st.max {
			continue
		}
		for _, later := range q.steps[i+1:] {
			if st.set.meets(later.set) || len(st.outside) > 0 && len(later.outside) > 0 {
				return false
			}
		}
	}
	return true
}

func (q *seq) parseTemplate(tmpl string) bool {
	for tmpl != "" {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			if strings.Contains(tmpl, "$") {
				return false
			}
			q.tmpl = append(q.tmpl, tmplPart{lit: []rune(tmpl)})
			return true
		}
		j := strings.Index(tmpl[i:], "}")
		if strings.Contains(tmpl[:i], "$") || j < 0 {
			return false
		}
		g, err := strconv.Atoi(tmpl[i+2 : i+j])
		if err != nil || g <= 0 || g >= len(q.groups) || q.groups[g].to == 0 {
			return false
		}
		if i > 0 {
			q.tmpl = append(q.tmpl, tmplPart{lit: []rune(tmpl[:i])})
		}
		q.tmpl = append(q.tmpl, tmplPart{group: g})
		tmpl = tmpl[i+j+1:]
	}
	return true
}

// literal returns the pattern when every step is one fixed rune and there
// are no anchors, so that the scan can jump from one candidate to the next.
func (q *seq) literal() []rune {
	if q.begin || q.end {
		return nil
	}
	var lit []rune
	for _, st := range q.steps {
		r, ok := st.single()
		if !ok || st.min != 1 || st.max != 1 {
			return nil
		}
		lit = append(lit, r)
	}
	return lit
}

func (st *step) single() (rune, bool) {
	if len(st.outside) == 2 && st.outside[0] == st.outside[1] && st.set == (runeSet{}) {
		return st.outside[0], true
	}
	if len(st.outside) > 0 {
		return 0, false
	}
	found := rune(-1)
	for i := 0; i < 0xC0; i++ {
		if st.set[i/64]&(1<<(i%64)) != 0 {
			if found >= 0 {
				return 0, false
			}
			found = rune(0x1000 + i)
		}
	}
	return found, found >= 0
}

func (st *step) has(r rune) bool {
	if r >= 0x1000 && r < 0x10C0 {
		i := r - 0x1000
		return st.set[i/64]&(1<<(i%64)) != 0
	}
	for i := 0; i+1 < len(st.outside); i += 2 {
		if r >= st.outside[i] && r <= st.outside[i+1] {
			return true
		}
	}
	return false
}

// replaceAll is re.ReplaceAllString(s, template) for a seq pattern, on
// runes: the converter keeps the text as runes from rule to rule, so that
// no rule has to decode UTF-8 again. It returns s itself when nothing
// matched.
func (q *seq) replaceAll(s []rune) []rune {
	var b []rune
	pos := make([]int, len(q.steps)+1)
	last := 0
	first := &q.steps[0]
	for i := 0; i < len(s); i++ {
		if first.min > 0 && !first.has(s[i]) && !q.begin {
			continue // the common case, without a call
		}
		if q.lit != nil {
			k := indexRunes(s[i:], q.lit)
			if k < 0 {
				break
			}
			i += k
		}
		if q.matchAt(s, i, pos) {
			if b == nil {
				b = make([]rune, 0, len(s)+8)
			}
			b = append(b, s[last:i]...)
			for _, p := range q.tmpl {
				if p.lit != nil {
					b = append(b, p.lit...)
				} else if g := q.groups[p.group]; g.to > 0 {
					b = append(b, s[pos[g.from]:pos[g.to]]...)
				}
			}
			last = pos[len(q.steps)]
			i = last - 1
		}
		if q.begin {
			break
		}
	}
	if b == nil {
		return s
	}
	return append(b, s[last:]...)
}

func indexRunes(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] == sub[0] && slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// matchAt reports whether the pattern matches at i (no match is empty:
// compileSeq refuses patterns that could be), filling pos with where each
// step starts and, in the last slot, where the match ends.
func (q *seq) matchAt(s []rune, i int, pos []int) bool {
	if q.begin && i != 0 {
		return false
	}
	j := i
	for k := range q.steps {
		st := &q.steps[k]
		pos[k] = j
		n := 0
		for (st.max < 0 || n < st.max) && j < len(s) && st.has(s[j]) {
			j++
			n++
		}
		if n < st.min {
			return false
		}
	}
	pos[len(q.steps)] = j
	return j > i && (!q.end || j == len(s))
}
