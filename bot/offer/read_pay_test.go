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

func TestNumeralsParse(t *testing.T) {
	zh := newNumerals(map[string]float64{"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "五": 5, "十": 10, "百": 100, "千": 1000, "万": 10000, "亿": 1e8})
	th := newNumerals(map[string]float64{"หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10000, "แสน": 100000, "ล้าน": 1000000})
	cases := []struct {
		ns   numerals
		s    string
		want float64
		ok   bool
	}{
		{zh, "两", 2, true},
		{zh, "十五", 15, true},
		{zh, "三千五", 3500, true},
		{zh, "一万五千", 15000, true},
		{zh, "两万五", 25000, true},
		{zh, "十五万", 150000, true},
		{zh, "一百五十万", 1500000, true},
		{zh, "三千五百万", 35000000, true},
		{zh, "两千零五十", 2050, true},
		{zh, "一亿两千万", 120000000, true},
		{zh, "万", 0, false},
		{zh, "客服", 0, false},
		{th, "สามหมื่น", 30000, true},
		{th, "สี่หมื่นห้า", 45000, true},
		{th, "สามหมื่นห้าพัน", 35000, true},
		{th, "สองแสนห้า", 250000, true},
		{th, "สองล้านห้าแสน", 2500000, true},
		{th, "ยี่สิบ", 20, true},
		{th, "สิบเอ็ด", 11, true},
		{th, "สิบห้า", 15, true},
		{th, "แสน", 0, false},
		{th, "สาม", 3, true},
	}
	for _, c := range cases {
		got, ok := c.ns.parse(c.s)
		if got != c.want || ok != c.ok {
			t.Errorf("parse(%q) = %v, %v; want %v, %v", c.s, got, ok, c.want, c.ok)
		}
	}
}
