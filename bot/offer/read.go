package offer

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
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

// SnippetMax is the longest snippet, in runes.
const SnippetMax = 80

// snippetContext is how many runes of context a snippet takes at most on
// each side of the match: enough to read the words in their sentence.
const snippetContext = 30

// isSentenceEnd reports whether r ends a sentence or a line: a snippet stays
// within one.
func isSentenceEnd(r rune) bool {
	switch r {
	case '\n', '\r', '。', '！', '？', '!', '?', '；', '။', '។', '៕':
		return true
	}
	return false
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
	if !hasMyanmar(text) {
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

func hasMyanmar(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xE1 && s[i+1] >= 0x80 && s[i+1] <= 0x82 {
			return true
		}
	}
	return false
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

// doc is a text with its key and the way back from the key to the text.
type doc struct {
	text   string
	key    string
	buf    []byte  // the key's bytes, kept for the next reading
	pieces []piece // in key order
	sents  []int   // key offsets where a sentence starts, ascending; sents[0] == 0
}

// piece is one run of non-space text and its key.
type piece struct {
	keyLo, keyHi   int
	textLo, textHi int
}

func newDoc(text string, s *scratch) *doc {
	d := &doc{text: text, sents: append(s.sents[:0], 0), pieces: s.pieces[:0]}
	b := s.key[:0]
	newline := false
	for i := 0; i < len(text); {
		sp, nl, n := spaceAt(text, i)
		if sp {
			newline = newline || nl
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			sp, _, n := spaceAt(text, j)
			if sp {
				break
			}
			j += n
		}
		mark := len(b)
		if mark > 0 {
			b = append(b, ' ')
		}
		lo := len(b)
		if b = textkey.AppendFold(b, text[i:j]); len(b) == lo {
			b = b[:mark] // nothing left of the piece (format characters only)
		} else {
			if mark > 0 && newline {
				d.sents = append(d.sents, lo)
			}
			d.pieces = append(d.pieces, piece{lo, len(b), i, j})
		}
		newline = false
		i = j
	}
	d.key, d.buf = string(b), b
	// Sentence ends inside the key: 。！？；… always, and . ! ? ; when a
	// space or the end follows (so "1.5" and "dmw.gov.ph" are not ends).
	k := d.key
	for i := 0; i < len(k); {
		r, n := utf8.DecodeRuneInString(k[i:])
		end := false
		switch r {
		case '。', '！', '？', '；', '…', '။', '।', '៕', '។':
			end = true
		case '.', '!', '?', ';':
			end = i+n == len(k) || k[i+n] == ' '
			if r == '.' && i > 0 {
				// Thai and Lao end sentences with a space, never a dot:
				// a dot after their letters ends an abbreviation (ตม. for
				// immigration, กทม. for Bangkok).
				if prev, _ := utf8.DecodeLastRuneInString(k[:i]); prev >= 0x0E00 && prev <= 0x0EFF {
					end = false
				}
			}
		}
		i += n
		if end && i < len(k) {
			d.sents = append(d.sents, i)
		}
	}
	sort.Ints(d.sents)
	return d
}

// spaceAt reports whether text[i:] starts with white space, whether that is
// a line break, and the length of its first rune.
func spaceAt(text string, i int) (space, newline bool, n int) {
	if c := text[i]; c < utf8.RuneSelf {
		return c == ' ' || c >= '\t' && c <= '\r', c == '\n' || c == '\r', 1
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	if !unicode.IsSpace(r) {
		return false, false, n
	}
	return true, r == '\u2028' || r == '\u2029', n
}

// sentence returns the number of the sentence that holds key offset pos.
func (d *doc) sentence(pos int) int {
	return sort.Search(len(d.sents), func(i int) bool { return d.sents[i] > pos }) - 1
}

// edgesOK reports whether a phrase found at key[start:end] starts and ends
// where words or syllables do.
func (d *doc) edgesOK(start, end int, p *pattern) bool {
	k := d.key
	before, _ := utf8.DecodeLastRuneInString(k[:start])
	after, _ := utf8.DecodeRuneInString(k[end:])
	if start == 0 {
		before = ' '
	}
	if end == len(k) {
		after = ' '
	}
	if p.wordLo && isWordRune(before) {
		return false
	}
	if p.wordHi && isWordRune(after) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(k[start:])
	last, _ := utf8.DecodeLastRuneInString(k[:end])
	if isSyllabic(last) {
		// The next rune must not be a vowel or tone mark of the last
		// syllable, nor a Burmese final (a consonant with asat or a
		// stacker after it).
		if unicode.In(after, unicode.Mn, unicode.Mc) {
			return false
		}
		if isMyanmarConsonant(after) {
			if next, _ := utf8.DecodeRuneInString(k[end+utf8.RuneLen(after):]); next == 0x103A || next == 0x1039 {
				return false
			}
		}
	}
	if isSyllabic(first) {
		switch {
		case before >= 0x0E40 && before <= 0x0E44, before >= 0x0EC0 && before <= 0x0EC4:
			// A Thai or Lao leading vowel belongs to the consonant after it.
			return false
		case before == 0x1039, before == 0x17D2:
			// A Burmese stacker or Khmer coeng makes this consonant part of
			// the syllable before.
			return false
		case unicode.In(first, unicode.Mn, unicode.Mc):
			return false
		}
	}
	return true
}

// isWordRune reports whether r is a Latin letter or a digit: where a phrase
// begins or ends with one, a word must too.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	}
	return unicode.Is(unicode.Latin, r)
}

// isSyllabic reports whether r is of a script written without word spaces
// whose syllables must not be cut: Thai, Lao, Khmer, Myanmar.
func isSyllabic(r rune) bool {
	return r >= 0x0E00 && r <= 0x0EFF || r >= 0x1000 && r <= 0x109F || r >= 0x1780 && r <= 0x17FF || r >= 0xAA60 && r <= 0xAA7F
}

func isMyanmarConsonant(r rune) bool { return r >= 0x1000 && r <= 0x1021 }

// snippet returns the original text around the key range [start, end): the
// matched words and some context, white space collapsed, at most SnippetMax
// runes.
func (d *doc) snippet(start, end int) string {
	lo, hi := d.textPos(start, false), d.textPos(end, true)
	if hi < lo {
		hi = lo
	}
	t := d.text
	match := collapse(t[lo:hi])
	if n := utf8.RuneCountInString(match); n >= SnippetMax {
		return truncRunes(match, SnippetMax)
	}
	// Widen by whole runes on both sides, within the sentence, by at most
	// snippetContext runes a side and SnippetMax in all.
	budget := SnippetMax - utf8.RuneCountInString(match)
	left, right := lo, hi
	growL, growR := left > 0, right < len(t)
	for side := 0; budget > 0 && side < snippetContext && (growL || growR); side++ {
		if growL {
			r, n := utf8.DecodeLastRuneInString(t[:left])
			if isSentenceEnd(r) {
				growL = false
			} else {
				left -= n
				budget--
				growL = left > 0
			}
		}
		if growR && budget > 0 {
			r, n := utf8.DecodeRuneInString(t[right:])
			if isSentenceEnd(r) {
				growR = false
			} else {
				right += n
				budget--
				growR = right < len(t)
			}
		}
	}
	s := collapse(t[left:right])
	// Do not start or end in the middle of a Latin word.
	if left > 0 {
		if i := strings.IndexByte(s, ' '); i >= 0 && i < len(s)/3 && isWordRune(firstRune(s)) {
			s = s[i+1:]
		}
	}
	if right < len(t) {
		if i := strings.LastIndexByte(s, ' '); i > len(s)*2/3 && isWordRune(lastRune(s)) {
			s = s[:i]
		}
	}
	return truncRunes(s, SnippetMax)
}

// textPos maps a key offset to a text offset. Within a piece the key and
// the text have about as many runes (the normalisation changes forms, not
// length, save for a few compositions), so the position is scaled.
func (d *doc) textPos(pos int, end bool) int {
	i := sort.Search(len(d.pieces), func(i int) bool { return d.pieces[i].keyHi >= pos })
	if i == len(d.pieces) {
		return len(d.text)
	}
	p := d.pieces[i]
	if pos <= p.keyLo {
		return p.textLo
	}
	if pos >= p.keyHi {
		return p.textHi
	}
	kn := utf8.RuneCountInString(d.key[p.keyLo:p.keyHi])
	kr := utf8.RuneCountInString(d.key[p.keyLo:pos])
	seg := d.text[p.textLo:p.textHi]
	tn := utf8.RuneCountInString(seg)
	want := kr * tn / kn
	if end && kr*tn%kn != 0 {
		want++
	}
	off := p.textLo
	for n := 0; n < want && off < p.textHi; n++ {
		_, w := utf8.DecodeRuneInString(d.text[off:])
		off += w
	}
	return off
}

// collapse turns every run of white space into one space and trims. Most
// snippets have nothing to collapse and are returned without a copy.
func collapse(s string) string {
	s = strings.TrimSpace(s)
	clean, space := true, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if space || r != ' ' {
				clean = false
				break
			}
			space = true
		} else {
			space = false
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func truncRunes(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return strings.TrimSpace(s[:i])
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }
