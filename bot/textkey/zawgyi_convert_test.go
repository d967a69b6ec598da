package textkey

import (
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestRulesAllCompile(t *testing.T) {
	rules, skipped := loadRules(zg2uniJSON)
	if len(skipped) > 0 {
		t.Errorf("rules RE2 cannot compile and that have no port: %q", skipped)
	}
	if len(rules) < 100 {
		t.Errorf("only %d rules loaded", len(rules))
	}
	used := 0
	for _, r := range rules {
		for k, p := range ported {
			if p.re == r.re {
				_ = k
				used++
			}
		}
	}
	if used != len(ported) {
		t.Errorf("%d of %d ported rules used: the rule file changed?", used, len(ported))
	}
}

// pairedLines reads two aligned files and returns their non-comment,
// non-empty line pairs.
func pairedLines(t testing.TB, zgFile, uniFile string) (zg, uni []string) {
	t.Helper()
	a, err := os.ReadFile("testdata/" + zgFile)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/" + uniFile)
	if err != nil {
		t.Fatal(err)
	}
	al := strings.Split(strings.TrimRight(string(a), "\n"), "\n")
	bl := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(al) != len(bl) {
		t.Fatalf("%s has %d lines, %s %d", zgFile, len(al), uniFile, len(bl))
	}
	for i := range al {
		if strings.HasPrefix(al[i], "#") || strings.TrimSpace(al[i]) == "" {
			continue
		}
		zg = append(zg, al[i])
		uni = append(uni, bl[i])
	}
	return zg, uni
}

func TestZawgyiToUnicodeCorpora(t *testing.T) {
	for _, c := range []struct{ zg, uni string }{
		{"mmgov_zawgyi_src.txt", "mmgov_unicode_out.txt"},
		{"udhr_mya_zawgyi_out.txt", "udhr_mya_unicode_src.txt"},
	} {
		zg, uni := pairedLines(t, c.zg, c.uni)
		exact, canon := 0, 0
		for i := range zg {
			got := ZawgyiToUnicode(zg[i])
			switch {
			case got == uni[i]:
				exact++
				canon++
			case norm.NFC.String(got) == norm.NFC.String(uni[i]):
				canon++
			default:
				t.Logf("%s line %d:\n got  %q\n want %q", c.zg, i, got, uni[i])
			}
		}
		t.Logf("%s: %d/%d lines exact, %d/%d equal after NFC", c.zg, exact, len(zg), canon, len(zg))
		// Regression floor: fail if a change to the rules or the engine
		// makes things worse than measured when this was written.
		if min := map[string]int{"mmgov_zawgyi_src.txt": 57, "udhr_mya_zawgyi_out.txt": 95}[c.zg]; canon < min {
			t.Errorf("%s: %d lines equal after NFC, was %d", c.zg, canon, min)
		}
	}
}

// TestSeqMatchesRegexp: every rule that runs without the regexp engine
// gives, line by line on both corpora, what its regexp gives.
func TestSeqMatchesRegexp(t *testing.T) {
	var inputs []string
	for _, c := range [][2]string{{"mmgov_zawgyi_src.txt", "mmgov_unicode_out.txt"}, {"udhr_mya_zawgyi_out.txt", "udhr_mya_unicode_src.txt"}} {
		zg, uni := pairedLines(t, c[0], c[1])
		inputs = append(inputs, zg...)
		inputs = append(inputs, uni...)
	}
	inputs = append(inputs, "", "၀", "၀ါ", "ေ", "\u1031\u1031\u1000", "ွွွ ွ", "ြြက", "က၀\n၀\n")
	var all []string
	for _, in := range inputs {
		all = append(all, in, ZawgyiToUnicode(in))
	}
	n := 0
	for _, r := range zg2uniRules() {
		if r.seq == nil {
			continue
		}
		n++
		// Each rule sees the raw lines and the converted ones.
		for _, s := range all {
			if got, want := string(r.seq.replaceAll([]rune(s))), r.re.ReplaceAllString(s, r.repl); got != want {
				t.Fatalf("rule %s on %q:\n seq    %q\n regexp %q", r.re, s, got, want)
			}
		}
	}
	t.Logf("%d of %d rules run without the regexp engine", n, len(zg2uniRules()))
}

// referenceConvert applies every rule with Go's regexp only (the dedupe rule
// with the equivalent [...]{2,} pattern), as a slow reference for the
// engine's shortcuts.
func referenceConvert(s string) string {
	dedupe := regexp.MustCompile(`[\x{102D}\x{102E}\x{103D}\x{102F}\x{1037}\x{1095}]{2,}`)
	for _, r := range zg2uniRules() {
		for range 8 {
			var out string
			switch {
			case r.dedupe:
				out = dedupe.ReplaceAllStringFunc(s, func(m string) string { return string(dedupeMarks([]rune(m))) })
			case r.fn != nil:
				out = replaceSubmatchFunc(r.re, s, r.fn)
			default:
				out = r.re.ReplaceAllString(s, r.repl)
			}
			done := !r.loop || out == s
			s = out
			if done {
				break
			}
		}
	}
	return s
}

// TestConvertRandomBurmese compares the converter with the regexp-only
// reference on random strings of Burmese-block runes (a fuzzer seldom
// produces those).
func TestConvertRandomBurmese(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune(" \n/a0")
	for r := rune(0x1000); r < 0x10A0; r++ {
		alphabet = append(alphabet, r)
	}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		rs := make([]rune, 1+rng.IntN(12))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(rs)
		if got, want := ZawgyiToUnicode(s), referenceConvert(s); got != want {
			t.Fatalf("ZawgyiToUnicode(%q) = %q, regexp reference %q", s, got, want)
		}
		for _, r := range zg2uniRules() {
			if r.seq != nil {
				if got, want := string(r.seq.replaceAll(rs)), r.re.ReplaceAllString(s, r.repl); got != want {
					t.Fatalf("rule %s on %q: seq %q, regexp %q", r.re, s, got, want)
				}
			}
		}
	}
}
