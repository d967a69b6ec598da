package offer_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/homeward-ngo/homeward/bot/offer"
	"github.com/homeward-ngo/homeward/content"
)

// corpusOffer is one labelled offer of testdata/corpus (see its README).
type corpusOffer struct {
	file  string
	label string // scam, legit, ambiguous
	lang  string
	flags []string
	text  string
}

func loadCorpus(t testing.TB) []corpusOffer {
	t.Helper()
	files, err := filepath.Glob("testdata/corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	var out []corpusOffer
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		head, text, ok := strings.Cut(string(b), "\n\n")
		if !ok {
			t.Fatalf("%s: no blank line after the header", name)
		}
		o := corpusOffer{file: filepath.Base(name), text: text}
		sc := bufio.NewScanner(strings.NewReader(head))
		for sc.Scan() {
			k, v, _ := strings.Cut(sc.Text(), ":")
			v = strings.TrimSpace(v)
			switch k {
			case "label":
				o.label = v
			case "lang":
				o.lang = v
			case "flags":
				for _, f := range strings.Split(v, ",") {
					if f = strings.TrimSpace(f); f != "" {
						o.flags = append(o.flags, f)
					}
				}
			}
		}
		if o.label != "scam" && o.label != "legit" && o.label != "ambiguous" {
			t.Fatalf("%s: label %q", name, o.label)
		}
		out = append(out, o)
	}
	return out
}

// tally counts grades of one group of offers.
type tally struct{ n, high, medium int }

func (t tally) pct(k int) float64 {
	if t.n == 0 {
		return 0
	}
	return 100 * float64(k) / float64(t.n)
}

// Floors, set a little below the figures measured when the patterns were
// written (scam: 46/52 high = 88.5%, 52/52 high or medium; legitimate: 1/28
// high = 3.6%; lowest language: en and zh, 9/11 = 81.8% high; highest
// legitimate share: zh, 1/6), so that a change that loses detection fails.
// Raise them when detection improves.
const (
	floorScamHigh       = 86.0 // % of scam offers graded high, overall
	floorScamHighMedium = 98.0 // % of scam offers graded high or medium, overall
	ceilLegitHigh       = 5.0  // % of legitimate offers graded high, overall (the goal of issue 3)
	floorLangScamHigh   = 80.0 // % of scam offers graded high, in every language
	ceilLangLegitHigh   = 20.0 // % of legitimate offers graded high, in any one language (4–6 offers each)
)

// TestCorpusQuality measures the reader and the grade on the labelled
// corpus, which the patterns were not written from: recall on scam-pattern
// offers (graded high; and high or medium), the share of legitimate offers
// graded high, per language and overall, and each indicator's precision and
// recall against the corpus labels (logged only).
func TestCorpusQuality(t *testing.T) {
	c := loadContent(t)
	r, err := offer.NewReader(c)
	if err != nil {
		t.Fatal(err)
	}
	corpus := loadCorpus(t)

	scam, legit, amb := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	type counts struct{ tp, fp, fn int }
	perFlag := map[string]*counts{}
	var missed, falseHigh []string
	for _, o := range corpus {
		found, _ := r.Read(o.text)
		var got []string
		for _, f := range found {
			got = append(got, f.ID)
		}
		a := offer.Grade(c, got)
		group := map[string]map[string]*tally{"scam": scam, "legit": legit, "ambiguous": amb}[o.label]
		for _, key := range []string{o.lang, "all"} {
			tl := group[key]
			if tl == nil {
				tl = &tally{}
				group[key] = tl
			}
			tl.n++
			switch a.Risk {
			case offer.High:
				tl.high++
			case offer.Medium:
				tl.medium++
			}
		}
		if o.label == "scam" && a.Risk != offer.High {
			missed = append(missed, fmt.Sprintf("%s (%s: %s)", o.file, a.Risk, strings.Join(got, ",")))
		}
		if o.label == "legit" && a.Risk == offer.High {
			falseHigh = append(falseHigh, fmt.Sprintf("%s (%s)", o.file, strings.Join(got, ",")))
		}
		for _, id := range c.Indicators {
			want, have := slices.Contains(o.flags, id.ID), slices.Contains(got, id.ID)
			if !want && !have {
				continue
			}
			k := perFlag[id.ID]
			if k == nil {
				k = &counts{}
				perFlag[id.ID] = k
			}
			switch {
			case want && have:
				k.tp++
			case have:
				k.fp++
			default:
				k.fn++
			}
		}
	}

	langs := []string{}
	for l := range scam {
		if l != "all" {
			langs = append(langs, l)
		}
	}
	sort.Strings(langs)
	langs = append(langs, "all")
	t.Logf("%-4s %22s %22s %22s", "lang", "scam: high / high+med", "legit: high / medium", "ambiguous: high / low")
	for _, l := range langs {
		s, g, a := *orZero(scam[l]), *orZero(legit[l]), *orZero(amb[l])
		t.Logf("%-4s %3d/%-3d %5.1f%% %5.1f%%  %3d/%-3d %5.1f%% %5.1f%%  %3d/%-3d %5.1f%% %5.1f%%", l,
			s.high, s.n, s.pct(s.high), s.pct(s.high+s.medium),
			g.high, g.n, g.pct(g.high), g.pct(g.medium),
			a.high, a.n, a.pct(a.high), a.pct(a.n-a.high-a.medium))
	}
	if len(missed) > 0 {
		t.Logf("scam offers not graded high: %s", strings.Join(missed, "; "))
	}
	if len(falseHigh) > 0 {
		t.Logf("legitimate offers graded high: %s", strings.Join(falseHigh, "; "))
	}
	t.Logf("%-12s %4s %4s %4s %9s %7s", "indicator", "tp", "fp", "fn", "precision", "recall")
	for _, ind := range c.Indicators {
		k := perFlag[ind.ID]
		if k == nil {
			continue
		}
		t.Logf("%-12s %4d %4d %4d %8.0f%% %6.0f%%", ind.ID, k.tp, k.fp, k.fn,
			100*float64(k.tp)/float64(max(1, k.tp+k.fp)), 100*float64(k.tp)/float64(max(1, k.tp+k.fn)))
	}

	all := *scam["all"]
	if got := all.pct(all.high); got < floorScamHigh {
		t.Errorf("scam offers graded high: %.1f%%, floor %.1f%%", got, floorScamHigh)
	}
	if got := all.pct(all.high + all.medium); got < floorScamHighMedium {
		t.Errorf("scam offers graded high or medium: %.1f%%, floor %.1f%%", got, floorScamHighMedium)
	}
	if g := *legit["all"]; g.pct(g.high) > ceilLegitHigh {
		t.Errorf("legitimate offers graded high: %.1f%%, ceiling %.1f%%", g.pct(g.high), ceilLegitHigh)
	}
	for _, l := range langs[:len(langs)-1] {
		if s := orZero(scam[l]); s.pct(s.high) < floorLangScamHigh {
			t.Errorf("%s: scam offers graded high: %.1f%%, floor %.1f%%", l, s.pct(s.high), floorLangScamHigh)
		}
		if g := orZero(legit[l]); g.pct(g.high) > ceilLangLegitHigh {
			t.Errorf("%s: legitimate offers graded high: %.1f%%, ceiling %.1f%%", l, g.pct(g.high), ceilLangLegitHigh)
		}
	}
}

func orZero(t *tally) *tally {
	if t == nil {
		return &tally{}
	}
	return t
}

func loadContent(t testing.TB) *content.Content {
	t.Helper()
	c, err := content.Load(content.Files, content.Checker{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
