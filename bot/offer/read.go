package offer

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot/textkey"
	"github.com/homeward-ngo/homeward/content"
)

// Found is one indicator found in the text of an offer, with the words of
// the original text that suggested it.
type Found struct {
	ID      string
	Snippet string // the original text around the match, at most SnippetMax runes
	// Weak marks a find that only suggests the flag: a pay amount can say
	// "15,000 yuan a month" but not whether that is far above what this
	// person could earn, which is what A1 asks. A weak find counts as one
	// supporting sign but never completes a combination, and the chat asks
	// the question instead of skipping it.
	Weak bool
}

// Reader finds red flags in the text of a job offer with the patterns of
// content/patterns. It is built once from the content (every phrase and
// shape is compiled then) and is safe for concurrent use.
//
// How a text is read:
//
//  1. Burmese in the Zawgyi encoding is converted to Unicode first; when the
//     detector is unsure, both readings are read and their finds joined.
//  2. The text is split at white space and every piece is put through
//     textkey.Fold, the same normalisation the phrases went through (the
//     text was converted from Zawgyi as a whole in step 1, so no piece is
//     asked again: a detector asked about one word can only guess); the
//     pieces joined by single spaces are the key that is searched. Keeping
//     the pieces apart lets a match be traced back to the original words for
//     its snippet. The key itself is never shown or kept.
//  3. One pass of an Aho–Corasick automaton over the key finds every phrase
//     of every language at once: lures mix languages, so no set is skipped.
//     A match must start and end at a word edge in Latin script, and not
//     inside a syllable in Thai, Lao, Khmer or Burmese.
//  4. A "near" rule is found where one word of each of its parts occurs in
//     one sentence within content.NearSpan letters ("护照 … 交给 … 司机").
//  5. A phrase's or rule's hit is dropped when a "not" phrase of the same
//     indicator is in the same sentence ("no fees"), and every hit of an
//     indicator is dropped when one of its "unless" phrases is anywhere in
//     the text.
//  6. Pay shapes are tried only around numbers, and raise high_pay only
//     when abused_role or no_skills was found too (content.PayIndicator).
type Reader struct {
	c        *content.Content
	m        *matcher
	pats     []pattern
	rules    []nearRule
	payRE    *payMatcher // nil without pay shapes
	payInd   int         // index of content.PayIndicator, or -1
	payCtx   []int
	nInd     int
	hasWords bool
	// scratch holds *scratch: the working memory of one reading, reused
	// because a 2 KB offer needs some 40 KB of it and Read runs per message.
	scratch sync.Pool
}

// maxPooledKey is the largest key whose scratch goes back to the pool.
const maxPooledKey = 64 << 10

// scratch is the working memory of one reading. Nothing read returns
// points into it.
type scratch struct {
	key             []byte
	pieces          []piece
	sents           []int
	hits, near, neg []hit
}

type patternKind uint8

const (
	kindHit patternKind = iota
	kindNot
	kindUnless
	kindNear      // one word of a part of a near rule
	kindNegBefore // a word of negation, before what it negates
	kindNegAfter  // a word of negation, after what it negates
)

// nearRule is one near rule of content: the indicator it suggests and how
// many parts must be found together.
type nearRule struct {
	ind   int
	parts int
}

// pattern is one phrase in the automaton.
type pattern struct {
	ind    int // index into content.Indicators
	kind   patternKind
	rule   int32 // kindNear: index into Reader.rules
	part   uint8 // kindNear: which part of the rule
	wordLo bool  // the phrase starts with a Latin letter or digit: a word must start there
	wordHi bool  // the phrase ends with one: a word must end there (unless prefix)
}

type payShape struct {
	content.PayShape
	units    map[string]float64
	numerals numerals // of the shape's file
}

// NewReader compiles the patterns of c. It fails, naming file and key, on a
// phrase that normalises to nothing or a pay unit not written in key form.
func NewReader(c *content.Content) (*Reader, error) {
	r := &Reader{c: c, payInd: -1, nInd: len(c.Indicators)}
	index := map[string]int{}
	for i, ind := range c.Indicators {
		index[ind.ID] = i
	}
	if i, ok := index[content.PayIndicator]; ok {
		r.payInd = i
	}
	for _, id := range content.PayContext {
		if i, ok := index[id]; ok {
			r.payCtx = append(r.payCtx, i)
		}
	}
	var keys []string
	var probs []string
	// add puts phrase p (what of file: "indicator fee", "negation") into the
	// automaton as pat: normalised as texts are, with its word edges.
	add := func(file, what, p string, pat pattern) {
		p = strings.TrimSpace(p)
		prefix := strings.HasSuffix(p, "*")
		k := textkey.Fold(strings.TrimSuffix(p, "*"))
		if k == "" {
			probs = append(probs, fmt.Sprintf("%s: %s: phrase %q is empty once normalised", file, what, p))
			return
		}
		first, _ := utf8.DecodeRuneInString(k)
		last, _ := utf8.DecodeLastRuneInString(k)
		pat.wordLo = isWordRune(first)
		pat.wordHi = isWordRune(last) && !prefix
		keys = append(keys, k)
		r.pats = append(r.pats, pat)
	}
	var shapes []payShape
	for _, ps := range c.Patterns {
		for _, iw := range ps.Indicators {
			ind, ok := index[iw.ID]
			if !ok {
				probs = append(probs, fmt.Sprintf("%s: indicator %s: unknown indicator", ps.File, iw.ID))
				continue
			}
			what := "indicator " + iw.ID
			for kind, list := range [][]string{iw.Phrases, iw.Not, iw.Unless} {
				for _, p := range list {
					add(ps.File, what, p, pattern{ind: ind, kind: patternKind(kind)})
				}
			}
			for _, parts := range iw.NearRules {
				rule := int32(len(r.rules))
				r.rules = append(r.rules, nearRule{ind: ind, parts: len(parts)})
				for pi, alts := range parts {
					for _, a := range alts {
						add(ps.File, what, a, pattern{ind: ind, kind: kindNear, rule: rule, part: uint8(pi)})
					}
				}
			}
		}
		for _, neg := range []struct {
			kind patternKind
			list []string
		}{{kindNegBefore, ps.NegateBefore}, {kindNegAfter, ps.NegateAfter}} {
			for _, w := range neg.list {
				add(ps.File, "negation", w, pattern{ind: -1, kind: neg.kind})
			}
		}
		for table, words := range map[string]map[string]float64{"units": ps.Units, "numerals": ps.Numerals} {
			for w := range words {
				if k := textkey.Fold(w); k != w {
					probs = append(probs, fmt.Sprintf("%s: %s: write %q as it reads once normalised: %q", ps.File, table, w, k))
				}
			}
		}
		nums := newNumerals(ps.Numerals)
		for _, sh := range ps.Pay {
			if sh.Compiled == nil {
				continue
			}
			shapes = append(shapes, payShape{PayShape: sh, units: ps.Units, numerals: nums})
		}
	}
	if len(probs) > 0 {
		return nil, errors.New("offer patterns:\n  " + strings.Join(probs, "\n  "))
	}
	r.m = newMatcher(keys)
	if len(shapes) > 0 {
		r.payRE = newPayMatcher(shapes)
	}
	r.hasWords = len(keys) > 0 || r.payRE != nil
	return r, nil
}

// Read returns the indicators found in text, in the content's order, each
// with a snippet of the original text, and the language the text seems to
// be in (textkey.Detect: "zh", "en", "th", "vi", "id", "my", "km", "lo" or
// "" when it cannot tell).
func (r *Reader) Read(text string) ([]Found, string) {
	lang := textkey.Detect(prefix(text, detectBytes))
	if !r.hasWords {
		return nil, lang
	}
	best := make([]*Found, r.nInd)
	for _, reading := range readings(text) {
		r.read(reading, best)
	}
	var out []Found
	for _, f := range best {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out, lang
}

// detectBytes is how much of a text its language is guessed from: the
// start of an offer says it as well as the whole, and costs less.
const detectBytes = 512

// prefix returns at most n bytes of s, cut at a rune boundary.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// readings returns the texts to read: the text itself, its Unicode form when
// it is Burmese in Zawgyi, or both when the detector is unsure.
func readings(text string) []string {
	if !textkey.HasMyanmar(text) {
		return []string{text}
	}
	p := textkey.ZawgyiProbability(text)
	switch {
	case p >= textkey.ZawgyiThreshold:
		return []string{textkey.ZawgyiToUnicode(text)}
	case p > textkey.ZawgyiUnsure:
		return []string{text, textkey.ZawgyiToUnicode(text)}
	}
	return []string{text}
}

// hit is one phrase found in the key.
type hit struct {
	pat        int32
	start, end int
}

// read reads one reading of the text into best (one find per indicator:
// the earliest).
func (r *Reader) read(text string, best []*Found) {
	s, _ := r.scratch.Get().(*scratch)
	if s == nil {
		s = new(scratch)
	}
	d := newDoc(text, s)
	hits, near, negs := s.hits[:0], s.near[:0], s.neg[:0]
	defer func() {
		// A huge paste (the chat takes up to 1 MB) would keep its buffers
		// alive in the pool: only offer-sized ones go back.
		if cap(d.buf) > maxPooledKey {
			return
		}
		s.key, s.pieces, s.sents = d.buf[:0], d.pieces[:0], d.sents[:0]
		s.hits, s.near, s.neg = hits[:0], near[:0], negs[:0]
		r.scratch.Put(s)
	}()
	notIn := map[[2]int]bool{} // (indicator, sentence) negated
	unless := make([]bool, r.nInd)
	r.m.scan(d.key, func(id int32, start, end int) {
		p := &r.pats[id]
		if !d.edgesOK(start, end, p) {
			return
		}
		switch p.kind {
		case kindNot:
			notIn[[2]int{p.ind, d.sentence(start)}] = true
		case kindUnless:
			unless[p.ind] = true
		case kindNear:
			near = append(near, hit{id, start, end})
		case kindNegBefore, kindNegAfter:
			negs = append(negs, hit{id, start, end})
		default:
			hits = append(hits, hit{id, start, end})
		}
	})
	if len(near) > 0 {
		hits = r.appendNearHits(hits, d, near)
	}
	found := make([]bool, r.nInd)
	for i := range best {
		found[i] = best[i] != nil
	}
	for _, h := range hits {
		p := &r.pats[h.pat]
		if unless[p.ind] || notIn[[2]int{p.ind, d.sentence(h.start)}] || notIn[[2]int{p.ind, d.sentence(h.end - 1)}] || found[p.ind] {
			continue
		}
		if r.c.Indicators[p.ind].Negatable && r.negated(d, h, negs) {
			continue
		}
		found[p.ind] = true
		best[p.ind] = &Found{ID: r.c.Indicators[p.ind].ID, Snippet: d.snippet(h.start, h.end)}
	}
	if r.payInd < 0 || found[r.payInd] || unless[r.payInd] {
		return
	}
	ctx := false
	for _, i := range r.payCtx {
		ctx = ctx || found[i]
	}
	if !ctx {
		return
	}
	if start, end, ok := r.findPay(d); ok && !notIn[[2]int{r.payInd, d.sentence(start)}] {
		best[r.payInd] = &Found{ID: content.PayIndicator, Snippet: d.snippet(start, end), Weak: true}
	}
}

// appendNearHits appends to out, for every near rule whose parts are all
// found in one sentence within content.NearSpan letters, one hit spanning
// them (its pat is that of the first word). near is in the order the matcher
// reported it; it is reordered.
func (r *Reader) appendNearHits(out []hit, d *doc, near []hit) []hit {
	// Most texts hold a word or two of many rules and every part of few:
	// only rules with every part somewhere in the text are looked at closer.
	parts := make([]uint32, len(r.rules))
	for _, h := range near {
		p := &r.pats[h.pat]
		parts[p.rule] |= 1 << p.part
	}
	cand := near[:0]
	for _, h := range near {
		rule := r.pats[h.pat].rule
		if parts[rule] == uint32(1)<<r.rules[rule].parts-1 {
			cand = append(cand, h)
		}
	}
	if len(cand) == 0 {
		return out
	}
	near = cand
	slices.SortStableFunc(near, func(a, b hit) int {
		if c := cmp.Compare(r.pats[a.pat].rule, r.pats[b.pat].rule); c != 0 {
			return c
		}
		return cmp.Compare(a.start, b.start)
	})
	for lo := 0; lo < len(near); {
		rule := r.pats[near[lo].pat].rule
		hi := lo
		for hi < len(near) && r.pats[near[hi].pat].rule == rule {
			hi++
		}
		want := uint32(1)<<r.rules[rule].parts - 1
		// Windows from each word: the first that holds every part, within
		// one sentence and NearSpan letters, is the rule's hit.
	rule:
		for i := lo; i < hi; i++ {
			sent := d.sentence(near[i].start)
			var have uint32
			end := near[i].end
			for j := i; j < hi; j++ {
				h := near[j]
				if d.sentence(h.start) != sent || letters(d.key[near[i].start:max(end, h.end)]) > content.NearSpan {
					break
				}
				have |= 1 << r.pats[h.pat].part
				end = max(end, h.end)
				if have == want {
					out = append(out, hit{near[i].pat, near[i].start, end})
					break rule
				}
			}
		}
		lo = hi
	}
	return out
}

// negated reports whether a word of negation in negs stands just before h
// (or, for one written after, just after it): in the same sentence, within
// content.NegateGap letters, with no clause mark between.
func (r *Reader) negated(d *doc, h hit, negs []hit) bool {
	for _, n := range negs {
		var gap string
		switch r.pats[n.pat].kind {
		case kindNegBefore:
			if n.end > h.start {
				continue
			}
			gap = d.key[n.end:h.start]
		default:
			if n.start < h.end {
				continue
			}
			gap = d.key[h.end:n.start]
		}
		if d.sentence(n.start) == d.sentence(h.start) && letters(gap) <= content.NegateGap && !strings.ContainsAny(gap, clauseMarks) {
			return true
		}
	}
	return false
}

// clauseMarks end the reach of a negation: "no experience, deposit 500"
// does not negate the deposit.
const clauseMarks = ",，、;；:：()（）"

// letters counts the runes of s that are not combining marks: Burmese and
// Thai write a syllable with several marks, and a span counted in runes
// would hold half the words it holds in Latin or Chinese.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x300 || !unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) {
			n++
		}
	}
	return n
}
