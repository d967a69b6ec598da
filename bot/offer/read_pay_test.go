package offer

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

// TestRequired checks the clues a pay shape is skipped without: each must
// be in every match (the property that makes skipping safe), and the best
// clue is found when the parser factors an alternation ("p(?:er month|m\b)").
func TestRequired(t *testing.T) {
	cases := []struct {
		re      string
		want    []string // nil: no clue
		matches []string
	}{
		{`(?:rmb|cny)\s*\d+`, []string{"rmb", "cny"}, []string{"rmb 500", "cny500"}},
		{`\d+\s*(?:per month|pm\b|p\.m\.|monthly)`, []string{"per month", "pm", "p.m.", "monthly"}, []string{"5 pm", "5 per month", "9p.m."}},
		{`\d+\s*(?:lakhs?|l)\s*(?:per month|/month|/mo\b)`, []string{"per month", "/mo"}, []string{"3 lakh per month", "3l/mo", "1 l /month"}},
		{`\d+(?:k)?\s*(?:baht|thb)\b`, []string{"baht", "thb"}, []string{"30k baht", "500 thb"}},
		{`\d+`, nil, []string{"12"}},
		{`(?i)usd\s*\d+`, nil, []string{"USD 5"}},
	}
	for _, tc := range cases {
		re, err := syntax.Parse(tc.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got := required(re.Simplify())
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("required(%s) = %q, want %q", tc.re, got, want)
		}
		rx := regexp.MustCompile(tc.re)
		for _, m := range tc.matches {
			if !rx.MatchString(m) {
				t.Fatalf("test bug: %s does not match %q", tc.re, m)
			}
			if got != nil && !slices.ContainsFunc(got, func(c string) bool { return strings.Contains(m, c) }) {
				t.Errorf("required(%s) = %q: none is in the match %q", tc.re, got, m)
			}
		}
	}
}
