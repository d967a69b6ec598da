package content

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// PatternSet is one language's words for finding red flags in the text of a
// job offer: content/patterns/<lang>.toml. Every set is run on every text,
// whatever its language, because lures mix languages (an English job title in
// a Thai post); the language only names the file and the writers.
//
// Phrases are written naturally: bot/offer puts both the phrase and the text
// through one normalisation (bot/textkey) before it compares them, so
// full-width letters, Traditional characters, Vietnamese with or without
// tones, and Thai, Burmese or Khmer digits all match the plain form.
type PatternSet struct {
	Lang       string             `toml:"lang"`
	Indicators []IndicatorWords   `toml:"indicator"`
	Units      map[string]float64 `toml:"units"` // multipliers for {u} in pay shapes: "万" = 10000, "k" = 1000
	// Numerals are the language's number words, for pay written in words
	// ("两万五", "สามหมื่นห้า"): digits (0–9) and units (10, 100, 1000…).
	// In this file's pay shapes {n} also matches a run of them.
	Numerals map[string]float64 `toml:"numerals"`
	Pay      []PayShape         `toml:"pay"`
	// NegateBefore and NegateAfter are the language's words of negation,
	// written before what they negate ("no", "不", "ไม่", "không",
	// "tidak") or after it (Burmese "မရှိ"). A find of a negatable
	// indicator (indicators.toml) is dropped when one of them stands
	// within NegateGap letters before it (or after it), with no comma or
	// other clause mark between, whichever file the find came from.
	NegateBefore []string `toml:"negate_before"`
	NegateAfter  []string `toml:"negate_after"`
	File         string   `toml:"-"`
}

// NegateGap is how many letters may stand between a word of negation and
// the find it negates: "不向劳务人员收取中介费" has five.
const NegateGap = 12

// IndicatorWords are the phrases that suggest one indicator in one language.
//
// A phrase matches as a whole word where it begins or ends with a Latin
// letter or digit ("cs" does not match inside "across"); end it with "*" to
// let it match the start of a longer word ("recruit*"). Thai, Lao, Khmer and
// Burmese phrases must not stop inside a syllable.
//
// Not lists phrases that negate the indicator in the same sentence ("no
// fees", "不收费"): a hit is dropped when a Not phrase of the same indicator
// occurs in its sentence. Unless lists phrases whose presence anywhere in the
// text means the indicator is not raised from the text at all (a company
// website against "reached only through a chat app").
//
// Near lists rules for words that say the flag only together, with other
// words between them: "护照 + 交给|交由 + 司机|接机" is found when 护照, one
// of 交给 or 交由, and one of 司机 or 接机 all occur in one sentence, in any
// order, within NearSpan letters of each other. Parts are split at "+" and
// their alternatives at "|"; each alternative follows the rules of a phrase.
// Not and Unless apply to Near rules as to phrases.
type IndicatorWords struct {
	ID      string   `toml:"id"`
	Phrases []string `toml:"phrases"`
	Not     []string `toml:"not"`
	Unless  []string `toml:"unless"`
	Near    []string `toml:"near"`

	// NearRules is Near parsed: rule, part, alternative.
	NearRules [][][]string `toml:"-"`
}

// NearSpan is how many letters (runes other than combining marks) of the
// normalised text a Near rule's words may span, from the start of the first
// to the end of the last: about a sentence of a chat message, so that two
// words far apart in a long post without punctuation do not count as said
// together. Marks are not counted because Burmese and Thai write one
// syllable with several.
const NearSpan = 80

// NearParts is the most parts a Near rule may have.
const NearParts = 4

// parseNear splits a Near rule into parts and alternatives.
func parseNear(rule string) [][]string {
	var parts [][]string
	for _, part := range strings.Split(rule, "+") {
		var alts []string
		for _, a := range strings.Split(part, "|") {
			if a = strings.TrimSpace(a); a != "" {
				alts = append(alts, a)
			}
		}
		parts = append(parts, alts)
	}
	return parts
}

// PayShape is a regular expression for an amount of pay, matched on the
// normalised text (lower case, ASCII digits, Simplified Chinese, Latin
// without diacritics). In RE, {n} stands for an amount ("15,000", "1.5",
// "两", or a range "15-20" whose upper end counts) and {u} for one of the
// set's Units. The amount times the unit times Factor (26 for a day's pay,
// 1/12 for a year's) is a month's pay in Currency; at or above Min, which is
// far above what entry-level typing, chat or customer-service work earns
// (research/facts.md A1), the shape suggests high_pay.
//
// A pay shape raises high_pay only when the same text also raises
// abused_role or no_skills: a high salary is a warning sign for a job that
// asks for no skills, not for an engineer.
type PayShape struct {
	RE       string  `toml:"re"`
	Currency string  `toml:"currency"`
	Min      float64 `toml:"min"`
	Factor   float64 `toml:"factor"` // 0 means 1

	// Compiled is RE with {n} and {u} expanded: groups "n", "n2" (the
	// upper end of a range) and "u".
	Compiled *regexp.Regexp `toml:"-"`
}

// PayIndicator is the indicator a pay shape suggests.
const PayIndicator = "high_pay"

// PayContext lists the indicators of which at least one must be found in
// the same text for a pay shape to raise PayIndicator.
var PayContext = []string{"abused_role", "no_skills"}

// numRE is what {n} expands to: digits with thousands or decimal
// separators (and, in a file with numerals, a run of number words).
const numRE = `\d+(?:[.,]\d+)*`

// rangeSep separates the ends of a range of pay.
const rangeSep = `-|~|–|—|至|到|to|den|hingga|sampai|ถึง|မှ`

var langRE = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]+)?$`)

// loadPatterns reads patterns/*.toml. A missing folder is no error: a
// content folder without patterns reads no text.
func loadPatterns(fsys fs.FS, c *Content, bad func(file, key, format string, a ...any)) {
	files, _ := fs.Glob(fsys, "patterns/*.toml")
	for _, name := range files {
		var ps PatternSet
		if err := decodeFile(fsys, name, &ps); err != nil {
			bad(name, "", "%v", err)
			continue
		}
		ps.File = name
		want := strings.TrimSuffix(path.Base(name), ".toml")
		if ps.Lang != want || !langRE.MatchString(ps.Lang) {
			bad(name, "lang", "lang %q must be the language tag of the file name %q", ps.Lang, want)
		}
		seen := map[string]bool{}
		for i, iw := range ps.Indicators {
			key := fmt.Sprintf("indicator[%d]", i)
			if iw.ID != "" {
				key = "indicator " + iw.ID
			}
			if c.indicators[iw.ID] == nil {
				bad(name, key, "unknown indicator %q (see indicators.toml)", iw.ID)
			}
			if seen[iw.ID] {
				bad(name, key, "duplicate indicator: put all its phrases in one table")
			}
			seen[iw.ID] = true
			if len(iw.Phrases) == 0 && len(iw.Near) == 0 {
				bad(name, key, "phrases or near rules are required")
			}
			for j, rule := range iw.Near {
				parts := parseNear(rule)
				if len(parts) < 2 || len(parts) > NearParts {
					bad(name, fmt.Sprintf("%s.near[%d]", key, j), "rule %q needs 2 to %d parts joined by +", rule, NearParts)
					continue
				}
				ok := true
				for _, alts := range parts {
					if len(alts) == 0 {
						bad(name, fmt.Sprintf("%s.near[%d]", key, j), "rule %q has an empty part", rule)
						ok = false
						break
					}
					for _, a := range alts {
						// Beside the other parts, one Chinese character says
						// enough (只 + 文字沟通); one letter never does.
						w := []rune(strings.TrimSuffix(a, "*"))
						if len(w) < 2 && (len(w) == 0 || !unicode.Is(unicode.Han, w[0])) {
							bad(name, fmt.Sprintf("%s.near[%d]", key, j), "word %q of rule %q is too short to mean anything", a, rule)
							ok = false
						}
					}
				}
				if ok {
					ps.Indicators[i].NearRules = append(ps.Indicators[i].NearRules, parts)
				}
			}
			for field, list := range map[string][]string{"phrases": iw.Phrases, "not": iw.Not, "unless": iw.Unless} {
				for j, p := range list {
					if len([]rune(strings.TrimSuffix(strings.TrimSpace(p), "*"))) < 2 {
						bad(name, fmt.Sprintf("%s.%s[%d]", key, field, j), "phrase %q is too short to mean anything alone", p)
					}
				}
			}
		}
		for u, m := range ps.Units {
			if u == "" || m <= 0 {
				bad(name, "units", "unit %q must be a word with a multiplier above 0", u)
			}
		}
		for w, v := range ps.Numerals {
			if w == "" || !isNumeral(v) {
				bad(name, "numerals", "number word %q must have a value of 0–9 or 10, 100, 1000 and so on (not %v)", w, v)
			}
		}
		for i := range ps.Pay {
			sh := &ps.Pay[i]
			key := fmt.Sprintf("pay[%d]", i)
			if sh.Min <= 0 || sh.Currency == "" {
				bad(name, key, "currency and min (a month's pay) are required")
			}
			if sh.Factor == 0 {
				sh.Factor = 1
			}
			if sh.Factor < 0 {
				bad(name, key+".factor", "factor must be above 0")
			}
			if !strings.Contains(sh.RE, "{n}") {
				bad(name, key+".re", "the shape needs {n}, the amount")
				continue
			}
			if strings.Contains(sh.RE, "{u}") && len(ps.Units) == 0 {
				bad(name, key+".re", "{u} needs a [units] table in the file")
				continue
			}
			re, err := regexp.Compile(expandShape(sh.RE, ps.Units, ps.Numerals))
			if err != nil {
				bad(name, key+".re", "%v", err)
				continue
			}
			sh.Compiled = re
		}
		c.Patterns = append(c.Patterns, &ps)
	}
	sort.Slice(c.Patterns, func(i, j int) bool { return c.Patterns[i].Lang < c.Patterns[j].Lang })
}

// isNumeral reports whether v can be the value of a number word: a digit
// 0–9 or a unit 10, 100, 1000….
func isNumeral(v float64) bool {
	if v >= 0 && v <= 9 && v == float64(int(v)) {
		return true
	}
	for u := 10.0; u <= 1e12; u *= 10 {
		if v == u {
			return true
		}
	}
	return false
}

// expandShape replaces {n} and {u} in a pay shape.
func expandShape(re string, units, numerals map[string]float64) string {
	unit := alternation(units)
	num := numRE
	if len(numerals) > 0 {
		num += `|(?:` + alternation(numerals) + `)+`
	}
	// A unit inside a range ("15k-18k") belongs to the range branch, so
	// that a lone amount leaves its unit to {u}.
	inner := ""
	if unit != "" {
		inner = `(?:\s*(?:` + unit + `))?`
	}
	// "20000+" and "2万+" promise at least the amount: the plus is read past.
	n := `(?P<n>` + num + `)(?:` + inner + `\s*(?:` + rangeSep + `)\s*(?P<n2>` + num + `))?\+?`
	re = strings.Replace(re, "{n}", n, 1)
	return strings.Replace(re, "{u}", `(?:(?P<u>`+unit+`)\+?)`, 1)
}

// alternation is the words of m as a regexp alternation, longest first, so
// that "juta" wins over "jt" and "ribu" over "rb".
func alternation(m map[string]float64) string {
	ws := make([]string, 0, len(m))
	for w := range m {
		ws = append(ws, regexp.QuoteMeta(w))
	}
	slices.SortFunc(ws, func(a, b string) int {
		if c := len(b) - len(a); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return strings.Join(ws, "|")
}
