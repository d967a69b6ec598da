package offer

import (
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// payWindow is how far, in bytes of the key, a pay shape may reach from the
// number it is about: enough for a currency word and a period word on either
// side ("月薪" before, "泰铢/月" after; Thai and Burmese take 3 bytes a letter).
const payWindow = 48

// payMatcher tries the pay shapes of every language around the numbers of
// a text. A shape is run only on a short window around one number, and only
// when the window holds one of the literals every match of the shape must
// contain (its currency or unit word: "元", "usd", "บาท"), so that a text
// full of dates and phone numbers costs next to nothing.
type payMatcher struct {
	shapes []payShape
	hints  [][]string // per shape: one of these is in every match; nil: always try
	// anchors are the number words of a thousand or more ("万", "หมื่น"):
	// like a digit, each opens a window.
	anchors []string
}

func newPayMatcher(shapes []payShape) *payMatcher {
	pm := &payMatcher{shapes: shapes, hints: make([][]string, len(shapes))}
	for i, sh := range shapes {
		if re, err := syntax.Parse(sh.Compiled.String(), syntax.Perl); err == nil {
			pm.hints[i] = required(re.Simplify())
		}
		for _, w := range sh.numerals {
			if w.value >= 1000 && !slices.Contains(pm.anchors, w.word) {
				pm.anchors = append(pm.anchors, w.word)
			}
		}
	}
	return pm
}

// numerals are one file's number words, longest first.
type numerals []numeral

type numeral struct {
	word  string
	value float64
}

func newNumerals(m map[string]float64) numerals {
	var ns numerals
	for w, v := range m {
		ns = append(ns, numeral{w, v})
	}
	slices.SortFunc(ns, func(a, b numeral) int {
		if c := len(b.word) - len(a.word); c != 0 {
			return c
		}
		return strings.Compare(a.word, b.word)
	})
	return ns
}

// parse reads a run of number words: "两万五", "一百五十万", "สี่หมื่นห้า".
// Digits multiply the unit after them; a unit above every unit of the
// number so far multiplies all of it (十五万: 15 × 10,000), and one above
// the units since then multiplies those ("一亿两千万"); a digit after the
// last unit counts in the next lower one (两万五 is 25,000); a number may
// start with a ten alone (十五, สิบห้า) but with no other bare unit, since
// "แสน" alone is also "very".
func (ns numerals) parse(s string) (float64, bool) {
	var total, section, digit, top, secTop, last float64
	haveDigit, seen := false, false
	for s != "" {
		i := slices.IndexFunc(ns, func(n numeral) bool { return strings.HasPrefix(s, n.word) })
		if i < 0 {
			return 0, false
		}
		v := ns[i].value
		s = s[len(ns[i].word):]
		if v < 10 {
			digit, haveDigit, seen = v, true, true
			continue
		}
		if !haveDigit {
			switch {
			case total == 0 && section == 0 && v == 10:
				digit = 1
			case total == 0 && section == 0:
				return 0, false
			}
		}
		switch {
		case v > top:
			total, section, secTop, top = (total+section+digit)*v, 0, 0, v
		case v > secTop && secTop > 0:
			section, secTop = (section+digit)*v, v
		default:
			section += digit * v
			secTop = max(secTop, v)
		}
		digit, haveDigit, last, seen = 0, false, v, true
	}
	if haveDigit && last >= 10 {
		digit *= last / 10
	}
	return total + section + digit, seen
}

// required returns strings of which every match of re contains one, or nil
// when it cannot tell.
func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		// A small class of exact runes ("[元块]") is as good as literals.
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == 8 {
					return nil
				}
				out = append(out, string(r))
			}
		}
		return out
	case syntax.OpCapture, syntax.OpPlus, syntax.OpRepeat:
		if sub := once(re); sub != nil {
			return required(sub)
		}
	case syntax.OpConcat:
		// The best clue is the longest: a run of children that match only
		// a few exact strings ("r" then "ibu|b") joined, or one child's.
		var best []string
		consider := func(r []string) {
			if r != nil && (best == nil || shortest(r) > shortest(best)) {
				best = r
			}
		}
		var run []string
		for _, sub := range re.Sub {
			if emptyWidth(sub) {
				continue // \b and the like match no text: the run goes on
			}
			if e := exact(sub); e != nil {
				run = product(run, e)
				consider(run)
				continue
			}
			// The run, then how sub starts: "p" then "er month|m|.m." is
			// "per month|pm|p.m.", better than "p" or "m" alone.
			if p := prefixes(sub); run != nil && p != nil {
				consider(product(run, p))
			}
			run = nil
			consider(required(sub))
		}
		return best
	case syntax.OpAlternate:
		return union(re.Sub, required, 0)
	}
	return nil
}

// once returns the child of a capture or repetition that every match of re
// starts with a match of, or nil (a repetition that may match nothing).
func once(re *syntax.Regexp) *syntax.Regexp {
	if re.Op == syntax.OpRepeat && re.Min < 1 {
		return nil
	}
	return re.Sub[0]
}

// prefixes returns strings one of which every match of re starts with, when
// they are few, or nil.
func prefixes(re *syntax.Regexp) []string {
	if e := exact(re); e != nil {
		return e
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus, syntax.OpRepeat:
		if sub := once(re); sub != nil {
			return prefixes(sub)
		}
	case syntax.OpConcat:
		var run []string
		for _, sub := range re.Sub {
			if emptyWidth(sub) {
				continue
			}
			if e := exact(sub); e != nil {
				if run = product(run, e); len(run) > 32 {
					return nil
				}
				continue
			}
			p := prefixes(sub)
			if p == nil {
				return run
			}
			if out := product(run, p); len(out) <= 32 {
				return out
			}
			return run
		}
		return run
	case syntax.OpAlternate:
		return union(re.Sub, prefixes, 32)
	}
	return nil
}

// emptyWidth reports whether re matches only the empty string (\b, ^, $).
func emptyWidth(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	return false
}

// exact returns every string re matches when they are few, or nil.
func exact(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpCharClass:
		return required(re)
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpConcat:
		var out []string
		for _, sub := range re.Sub {
			e := exact(sub)
			if e == nil {
				return nil
			}
			if out = product(out, e); len(out) > 32 {
				return nil
			}
		}
		return out
	case syntax.OpAlternate:
		return union(re.Sub, exact, 32)
	}
	return nil
}

// union returns the strings f gives for every one of subs, or nil when it
// gives nil for one of them or, with a limit above 0, more than limit in all.
func union(subs []*syntax.Regexp, f func(*syntax.Regexp) []string, limit int) []string {
	var out []string
	for _, sub := range subs {
		s := f(sub)
		if s == nil || limit > 0 && len(out)+len(s) > limit {
			return nil
		}
		out = append(out, s...)
	}
	return out
}

// product joins every string of a with every string of b (a nil a is the
// empty string).
func product(a, b []string) []string {
	if a == nil {
		return slices.Clone(b)
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func shortest(ss []string) int {
	n := -1
	for _, s := range ss {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// maxPayNumbers bounds the numbers looked at in one text.
const maxPayNumbers = 400

// findPay returns the key range of the first amount of pay in d that a
// shape puts at or above its month's minimum.
func (r *Reader) findPay(d *doc) (start, end int, ok bool) {
	if r.payRE == nil {
		return 0, 0, false
	}
	k := d.key
	for _, w := range numberWindows(k, r.payRE.anchors, maxPayNumbers) {
		seg := k[w[0]:w[1]]
		for i := range r.payRE.shapes {
			if h := r.payRE.hints[i]; h != nil && !containsAny(seg, h) {
				continue
			}
			sh := &r.payRE.shapes[i]
			for _, m := range sh.Compiled.FindAllStringSubmatchIndex(seg, -1) {
				if sh.monthly(seg, m) >= sh.Min {
					return w[0] + m[0], w[0] + m[1], true
				}
			}
		}
	}
	return 0, 0, false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// monthly is the month's pay a match of the shape names.
func (sh *payShape) monthly(seg string, m []int) float64 {
	re := sh.Compiled
	group := func(name string) string {
		i := re.SubexpIndex(name)
		if i < 0 || m[2*i] < 0 {
			return ""
		}
		return seg[m[2*i]:m[2*i+1]]
	}
	n := group("n2") // the upper end of a range counts: it is what is promised
	if n == "" {
		n = group("n")
	}
	v, ok := parseAmount(n, sh.numerals)
	if !ok {
		return 0
	}
	if u := group("u"); u != "" {
		v *= sh.units[u]
	}
	return v * sh.Factor
}

// numberWindows returns the byte ranges of k within payWindow of a number
// (a run of digits, or one of anchors: "万", "หมื่น"), overlapping ranges
// merged, cut at rune boundaries; at most limit numbers are looked at.
func numberWindows(k string, anchors []string, limit int) [][2]int {
	var nums [][2]int
	for i := 0; i < len(k) && len(nums) < limit; i++ {
		// Bytes of multi-byte runes are all 0x80 or above: never a digit.
		if k[i] < '0' || k[i] > '9' {
			continue
		}
		j := i + 1
		for j < len(k) && (k[j] >= '0' && k[j] <= '9' || k[j] == ',' || k[j] == '.') {
			j++
		}
		nums = append(nums, [2]int{i, j})
		i = j
	}
	for _, a := range anchors {
		for off := 0; len(nums) < 2*limit; {
			j := strings.Index(k[off:], a)
			if j < 0 {
				break
			}
			nums = append(nums, [2]int{off + j, off + j + len(a)})
			off += j + len(a)
		}
	}
	if len(anchors) > 0 {
		slices.SortFunc(nums, func(a, b [2]int) int { return a[0] - b[0] })
	}
	var out [][2]int
	for _, n := range nums[:min(len(nums), limit)] {
		lo, hi := runeStart(k, n[0]-payWindow), runeStart(k, n[1]+payWindow)
		if len(out) > 0 && lo <= out[len(out)-1][1] {
			out[len(out)-1][1] = max(out[len(out)-1][1], hi) // overlapping windows are scanned as one
		} else {
			out = append(out, [2]int{lo, hi})
		}
	}
	return out
}

// runeStart clamps i into k and moves it back to the start of a rune.
func runeStart(k string, i int) int {
	if i <= 0 {
		return 0
	}
	if i >= len(k) {
		return len(k)
	}
	for i > 0 && !utf8.RuneStart(k[i]) {
		i--
	}
	return i
}

// parseAmount reads "15,000", "15.000.000", "1.5", "1,5", "20000" or
// number words of ns ("两", "十五", "三千五"). A separator followed by
// exactly three digits groups thousands; otherwise it is the decimal point.
func parseAmount(s string, ns numerals) (float64, bool) {
	if s == "" {
		return 0, false
	}
	if c := s[0]; c < '0' || c > '9' {
		return ns.parse(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != ',' && c != '.' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i-1 == 3 {
			continue // thousands
		}
		b.WriteByte('.')
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	return v, err == nil
}
