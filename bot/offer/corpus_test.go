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

// corpusOffer is one labelled offer of testdata/corpus or testdata/holdout
// (see their READMEs).
type corpusOffer struct {
	file  string
	label string // scam, legit, ambiguous
	lang  string
	flags []string
	text  string
}

func loadCorpus(t testing.TB, dir string) []corpusOffer {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no offers in %s: %v", dir, err)
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

// flagCounts compares one indicator's finds with the labels: tp, fp and fn
// against the labels of every offer, and legit, the legitimate offers it
// was found in (labelled there or not).
type flagCounts struct{ tp, fp, fn, legit int }

// quality is what a labelled set measures: grades by label and language
// ("all" for the whole set), each indicator's finds against the labels,
// and the files of scam offers not graded high and of legitimate offers
// graded high.
type quality struct {
	scam, legit, amb map[string]*tally
	perFlag          map[string]*flagCounts
	missed, falseHi  []string
	diffs            []string // per offer: grade, flags missed and flags extra
}

// measure reads and grades every offer.
func measure(c *content.Content, r *offer.Reader, offers []corpusOffer) quality {
	q := quality{scam: map[string]*tally{}, legit: map[string]*tally{}, amb: map[string]*tally{}, perFlag: map[string]*flagCounts{}}
	for _, o := range offers {
		found, _ := r.Read(o.text)
		var got []string
		for _, f := range found {
			got = append(got, f.ID)
		}
		a := offer.GradeFound(c, found)
		group := map[string]map[string]*tally{"scam": q.scam, "legit": q.legit, "ambiguous": q.amb}[o.label]
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
			q.missed = append(q.missed, fmt.Sprintf("%s (%s: %s)", o.file, a.Risk, strings.Join(got, ",")))
		}
		if o.label == "legit" && a.Risk == offer.High {
			q.falseHi = append(q.falseHi, fmt.Sprintf("%s (%s)", o.file, strings.Join(got, ",")))
		}
		var miss, extra []string
		for _, id := range c.Indicators {
			want, have := slices.Contains(o.flags, id.ID), slices.Contains(got, id.ID)
			switch {
			case want && !have:
				miss = append(miss, id.ID)
			case have && !want:
				extra = append(extra, id.ID)
			}
			if !want && !have {
				continue
			}
			k := q.perFlag[id.ID]
			if k == nil {
				k = &flagCounts{}
				q.perFlag[id.ID] = k
			}
			switch {
			case want && have:
				k.tp++
			case have:
				k.fp++
			default:
				k.fn++
			}
			if have && o.label == "legit" {
				k.legit++
			}
		}
		q.diffs = append(q.diffs, fmt.Sprintf("%s: %s; missed [%s]; extra [%s]", o.file, a.Risk,
			strings.Join(miss, " "), strings.Join(extra, " ")))
	}
	return q
}

// langs returns the languages measured, sorted, then "all".
func (q quality) langs() []string {
	var langs []string
	for _, m := range []map[string]*tally{q.scam, q.legit, q.amb} {
		for l := range m {
			if l != "all" && !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
	}
	sort.Strings(langs)
	return append(langs, "all")
}

// log writes the figures to the test log; with files, also the files of
// the offers graded wrongly (never for a held-out set, whose offers must
// stay unseen by whoever writes the patterns).
func (q quality) log(t *testing.T, c *content.Content, files bool) {
	t.Helper()
	t.Logf("%-4s %22s %22s %22s", "lang", "scam: high / high+med", "legit: high / medium", "ambiguous: high / low")
	for _, l := range q.langs() {
		s, g, a := *orZero(q.scam[l]), *orZero(q.legit[l]), *orZero(q.amb[l])
		t.Logf("%-4s %3d/%-3d %5.1f%% %5.1f%%  %3d/%-3d %5.1f%% %5.1f%%  %3d/%-3d %5.1f%% %5.1f%%", l,
			s.high, s.n, s.pct(s.high), s.pct(s.high+s.medium),
			g.high, g.n, g.pct(g.high), g.pct(g.medium),
			a.high, a.n, a.pct(a.high), a.pct(a.n-a.high-a.medium))
	}
	if files && len(q.missed) > 0 {
		t.Logf("scam offers not graded high: %s", strings.Join(q.missed, "; "))
	}
	if files && len(q.falseHi) > 0 {
		t.Logf("legitimate offers graded high: %s", strings.Join(q.falseHi, "; "))
	}
	// HOMEWARD_OFFER_DIFF=all (or a language code) logs every offer's grade
	// and its flags missed and extra against the labels.
	if lang := os.Getenv("HOMEWARD_OFFER_DIFF"); files && lang != "" {
		for _, d := range q.diffs {
			if lang == "all" || strings.HasPrefix(d, lang+"-") {
				t.Log(d)
			}
		}
	}
	t.Logf("%-12s %4s %4s %4s %9s %7s %6s", "indicator", "tp", "fp", "fn", "precision", "recall", "legit")
	for _, ind := range c.Indicators {
		k := q.perFlag[ind.ID]
		if k == nil {
			continue
		}
		t.Logf("%-12s %4d %4d %4d %8.0f%% %6.0f%% %6d", ind.ID, k.tp, k.fp, k.fn,
			100*float64(k.tp)/float64(max(1, k.tp+k.fp)), 100*float64(k.tp)/float64(max(1, k.tp+k.fn)), k.legit)
	}
}

// floors are the least a labelled set must measure.
type floors struct {
	scamHigh, scamHighMedium float64 // % of scam offers graded high; high or medium (overall)
	legitHigh                float64 // most % of legitimate offers graded high (overall)
	langScamHigh             float64 // % of scam offers graded high, in every language
	langLegitHigh            float64 // most % of legitimate offers graded high, in any one language
}

// check fails t where q is below f.
func (q quality) check(t *testing.T, f floors) {
	t.Helper()
	all := *orZero(q.scam["all"])
	if got := all.pct(all.high); got < f.scamHigh {
		t.Errorf("scam offers graded high: %.1f%%, floor %.1f%%", got, f.scamHigh)
	}
	if got := all.pct(all.high + all.medium); got < f.scamHighMedium {
		t.Errorf("scam offers graded high or medium: %.1f%%, floor %.1f%%", got, f.scamHighMedium)
	}
	if g := *orZero(q.legit["all"]); g.pct(g.high) > f.legitHigh {
		t.Errorf("legitimate offers graded high: %.1f%%, ceiling %.1f%%", g.pct(g.high), f.legitHigh)
	}
	langs := q.langs()
	for _, l := range langs[:len(langs)-1] {
		if s := orZero(q.scam[l]); s.n > 0 && s.pct(s.high) < f.langScamHigh {
			t.Errorf("%s: scam offers graded high: %.1f%%, floor %.1f%%", l, s.pct(s.high), f.langScamHigh)
		}
		if g := orZero(q.legit[l]); g.pct(g.high) > f.langLegitHigh {
			t.Errorf("%s: legitimate offers graded high: %.1f%%, ceiling %.1f%%", l, g.pct(g.high), f.langLegitHigh)
		}
	}
}

// Floors for testdata/corpus (development data). Measured: 52/52 scam
// offers high, 0/28 legitimate offers high. A little below, so that a change
// that loses detection fails.
var corpusFloors = floors{
	scamHigh:       96.0,
	scamHighMedium: 98.0,
	legitHigh:      5.0, // the goal of issue 3
	langScamHigh:   85.0,
	langLegitHigh:  20.0, // 4–6 legitimate offers a language
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

// A labelledSet is one directory of labelled offers and the least it must
// measure.
type labelledSet struct {
	dir    string
	floors floors
}

// devSets are the development data: whoever writes the patterns reads them,
// with the files graded wrongly and (HOMEWARD_OFFER_DIFF) every offer's
// flags. heldOutSets are never read by whoever writes the patterns; their
// tests log figures only, and their figures are the honest estimate of how
// the reader does on offers nobody tuned it to.
var (
	devSets     = []labelledSet{{"testdata/corpus", corpusFloors}, {"testdata/dev", devFloors}}
	heldOutSets = []labelledSet{{"testdata/holdout", holdoutFloors}, {"testdata/holdout5", holdout5Floors}, {"testdata/holdout6", holdout6Floors}}
)

// TestDevQuality measures the reader and the grade on the development sets:
// recall on scam-pattern offers (graded high; and high or medium), the share
// of legitimate offers graded high, per language and overall, and each
// indicator's precision and recall against the labels (logged only).
func TestDevQuality(t *testing.T) {
	r, c := newReader(t)
	for _, set := range devSets {
		t.Run(filepath.Base(set.dir), func(t *testing.T) {
			measureAndCheck(t, c, r, loadCorpus(t, set.dir), set.floors, true)
		})
	}
}

// TestHeldOutQuality measures the held-out sets with the same figures, each
// and together (the figure issue 3 sets its goal on). It logs no file names
// and no offer text.
func TestHeldOutQuality(t *testing.T) {
	r, c := newReader(t)
	var all []corpusOffer
	for _, set := range heldOutSets {
		offers := loadCorpus(t, set.dir)
		all = append(all, offers...)
		t.Run(filepath.Base(set.dir), func(t *testing.T) {
			measureAndCheck(t, c, r, offers, set.floors, false)
		})
	}
	if len(heldOutSets) > 1 {
		t.Run("together", func(t *testing.T) {
			measureAndCheck(t, c, r, all, heldOutFloors, false)
		})
	}
}

// measureAndCheck measures offers, logs the figures (and, with files, the
// offers graded wrongly) and fails t below f.
func measureAndCheck(t *testing.T, c *content.Content, r *offer.Reader, offers []corpusOffer, f floors, files bool) {
	t.Helper()
	q := measure(c, r, offers)
	q.log(t, c, files)
	q.check(t, f)
}

// Floors for testdata/dev (development data: the patterns were tuned on
// it). Measured: 240/240 scam offers high; legitimate offers high 3/138
// when holdout4's offers joined as files 56–74, 0/138 since round 4.
var devFloors = floors{
	scamHigh:       97.0,
	scamHighMedium: 99.0,
	legitHigh:      3.0,
	langScamHigh:   90.0,
	langLegitHigh:  12.0, // 23 legitimate offers a language
}

// Floors for the held-out sets, which nobody tuning the patterns has read,
// set a little below what they measured when they were first read with the
// patterns of November 2026 (four rounds of pattern and grade work on the
// development sets; see dev/README.md for the rounds' held-out figures).
// They stop a change from losing ground; they do not make a small set
// precise: one legitimate offer is 5.6 points of holdout and 1.9 of
// holdout5 or holdout6.
//
// testdata/holdout (60 offers): scam 32/33 high (97.0%), 33/33 high or
// medium; legitimate 1/18 high (5.6%); lowest language id, 4/5; highest
// legitimate share en, 1/4. Since the overlap of A2–A4 (indicators.toml):
// scam 31/33 high (93.9%; zh 6/7), 33/33 high or medium.
var holdoutFloors = floors{
	scamHigh:       93.0,
	scamHighMedium: 96.0,
	legitHigh:      12.0,
	langScamHigh:   75.0,
	langLegitHigh:  34.0, // 2–4 legitimate offers a language
}

// testdata/holdout5 (132 offers; measured once, after round 4: the overlap
// of A2–A4, honest warnings, pay in words): scam 59/60 high (98.3%), 60/60
// high or medium; legitimate 1/54 high (1.9%; my 1/9); lowest language vi,
// 9/10.
var holdout5Floors = floors{
	scamHigh:       96.0,
	scamHighMedium: 98.0,
	legitHigh:      4.0, // one more false alarm is 3.7%
	langScamHigh:   85.0,
	langLegitHigh:  12.0, // 9 legitimate offers a language
}

// testdata/holdout6 (132 offers; written after holdout5 was measured, with
// the detector frozen; measured once): scam 60/60 high; legitimate 2/54
// high (3.7%; en 1/9, id 1/9).
var holdout6Floors = floors{
	scamHigh:       96.0,
	scamHighMedium: 98.0,
	legitHigh:      6.0, // one more false alarm is 5.6%
	langScamHigh:   85.0,
	langLegitHigh:  12.0, // 9 legitimate offers a language
}

// Together (324 offers), the figure issue 3 sets its goal on: scam 150/153
// high (98.0%; goal ≥ 95%, and the floor); legitimate 4/126 high (3.2%;
// goal ≤ 5%, and the ceiling). Lowest languages id and vi (24/25), zh
// (26/27); highest legitimate share en, 2/22.
var heldOutFloors = floors{
	scamHigh:       95.0,
	scamHighMedium: 98.0,
	legitHigh:      5.0,
	langScamHigh:   90.0,
	langLegitHigh:  10.0,
}
