package textkey

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzKey: Key never panics, always returns valid UTF-8, and is idempotent.
// Run it longer with: go test -fuzz=FuzzKey ./bot/textkey/
func FuzzKey(f *testing.F) {
	for _, s := range []string{
		"", "Typing job", "ＫＫ園區　月薪２００００元", "เงินเดือน ๓๐,๐๐๐ บาท", "ทำงาน",
		"လစာ ၁၅၀၀၀", "၀န်ထမ်း", "ႏိုင္ငံေတာ္၏အတုိင္ပင္ခံ", "ក\u200bារ", "Vie\u0323\u0302c nhe\u0323",
		"Đi làm", "a\xffb", "ß ẞ ς İ", "e\u200d\u0301", "ก\u0e48\u200d\u0e38",
		"၇က် ဥ် ၀ါ", "\u1031\u1047", "ｱｲｳ", "ﬁ", "ǅ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if !utf8.ValidString(k) {
			t.Fatalf("Key(%q) = %q: invalid UTF-8", s, k)
		}
		if k2 := Key(k); k2 != k {
			t.Fatalf("not idempotent:\n s        %q\n Key(s)   %q\n Key(Key) %q", s, k, k2)
		}
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		if got, want := string(classes().nfkc(s)), norm.NFKC.String(classes().clean(s)); got != want {
			t.Fatalf("nfkc(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(AppendFold([]byte("x "), s)), "x "+Fold(s); got != want {
			t.Fatalf("AppendFold(%q) = %q, want %q", s, got, want)
		}
		_ = Keys(s)
		_ = Detect(s)
		if z := ZawgyiToUnicode(s); !utf8.ValidString(z) {
			t.Fatalf("ZawgyiToUnicode(%q) = %q: invalid UTF-8", s, z)
		}
	})
}

// FuzzZawgyiToUnicode: the converter never panics and leaves text without
// Burmese unchanged.
func FuzzZawgyiToUnicode(f *testing.F) {
	f.Add("ႏိုင္ငံေတာ္")
	f.Add("hello")
	f.Add("ြြကေွ္ မ ၀\n၀")
	f.Fuzz(func(t *testing.T, s string) {
		if utf8.ValidString(s) {
			for _, r := range zg2uniRules() {
				if r.seq != nil {
					if got, want := string(r.seq.replaceAll([]rune(s))), r.re.ReplaceAllString(s, r.repl); got != want {
						t.Fatalf("rule %s on %q: seq %q, regexp %q", r.re, s, got, want)
					}
				}
			}
		}
		z := ZawgyiToUnicode(s)
		if !HasMyanmar(s) && utf8.ValidString(s) && z != s {
			t.Fatalf("changed non-Burmese text %q to %q", s, z)
		}
	})
}
