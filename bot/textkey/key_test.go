package textkey

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestKey(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"ascii case and space", "  Typing JOB,\tno\n\nexperience  ", "typing job, no experience"},
		{"full-width", "ＫＫ园区　月薪２００００元，包吃包住！", "kk园区 月薪20000元,包吃包住!"},
		{"traditional", "包吃包住，高薪誠聘打字員、客服，免簽／落地簽，機票報銷，緬北妙瓦底KK園區，西港電詐",
			"包吃包住,高薪诚聘打字员、客服,免签/落地签,机票报销,缅北妙瓦底kk园区,西港电诈"},
		{"traditional amounts", "月薪兩萬五，一萬五保底", "月薪两万五,一万五保底"},
		{"thai digits", "เงินเดือน ๓๐,๐๐๐ บาท", "เงินเดือน 30,000 บาท"},
		{"thai sara am", "ทำงาน", "ท\u0e4d\u0e32งาน"},
		{"thai typed am", "ท\u0e4d\u0e32งาน", "ท\u0e4d\u0e32งาน"},
		{"thai marks kept", "ไม่ต้องมีประสบการณ์", "ไม่ต้องมีประสบการณ์"},
		{"thai tone order", "ก\u0e48\u0e38", "ก\u0e38\u0e48"},
		{"myanmar digits", "လစာ ၁၅၀၀၀", "လစာ 15000"},
		{"myanmar zero as wa", "၀န်ထမ်း", "ဝန်ထမ်း"},
		{"myanmar wa in word", "အ၀တ်အထည်", "အဝတ်အထည်"},
		{"myanmar ten kyat", "၁၀ကျပ်", "10ကျပ်"},
		{"myanmar seven as ra", "၇က်", "ရက်"},
		{"myanmar seven days", "၇ ရက်", "7 ရက်"},
		{"myanmar nya", "ညဥ့်", "ညဉ့်"},
		{"khmer digits", "១០០០ ដុល្លារ", "1000 ដុល្លារ"},
		{"khmer zwsp", "ការ\u200bងារ", "ការងារ"},
		{"lao digits", "໑໒໓", "123"},
		{"arabic-indic", "٣٠٠٠", "3000"},
		{"circled", "①②", "12"},
		{"vietnamese nfc", "Việc nhẹ lương cao, bao ăn ở, đi Campuchia", "viec nhe luong cao, bao an o, di campuchia"},
		{"vietnamese nfd", "Vie\u0323\u0302c nhe\u0323 lu\u031bo\u031bng cao", "viec nhe luong cao"},
		{"vietnamese capital Đ", "ĐI LÀM NGAY", "di lam ngay"},
		{"eth for Đ", "Ði làm", "di lam"},
		{"old tone placement", "hoà hòa", "hoa hoa"},
		{"indonesian", "Gaji BESAR tanpa pengalaman", "gaji besar tanpa pengalaman"},
		{"format chars", "K\u200dK\u00ad P\u200ba\ufeffr\u2060k", "kk park"},
		{"bidi controls", "\u202eabc\u202c", "abc"},
		{"nbsp and ideographic space", "a\u00a0\u00a0b\u3000c", "a b c"},
		{"german", "Straße", "strasse"},
		{"greek final sigma", "ΟΔΟΣ", "οδοσ"},
		{"cyrillic kept", "Работа", "работа"},
		{"latin mark after thai kept", "ก\u0301", "ก\u0301"},
		{"curly apostrophe", "Don’t tell ‘anyone’", "don't tell 'anyone'"},
		{"modifier apostrophe", "canʼt", "can't"},
		{"empty", "", ""},
		{"only space", " \t\n ", ""},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Key(c.in); got != c.want {
				t.Errorf("Key(%q)\n got  %q\n want %q", c.in, got, c.want)
			}
		})
	}
}

// TestKeyMatchesAcrossForms checks the point of the key: a pattern and a
// pasted offer written differently get the same key.
func TestKeyMatchesAcrossForms(t *testing.T) {
	for _, c := range []struct{ pattern, text string }{
		{"việc nhẹ lương cao", "VIEC NHE LUONG CAO!!"},
		{"việc nhẹ lương cao", "Vie\u0323\u0302c  nhe\u0323 lu\u031bo\u031bng cao"},
		{"高薪招聘", "高薪招聘"},
		{"机票报销", "機票報銷"},
		{"kk园区", "ＫＫ園區"},
		{"ไม่ต้องมีประสบการณ์", "ไม่\u200bต้องมีประสบการณ์"},
		{"เงินเดือน 30000", "เงินเดือน ๓๐๐๐๐"},
		{"ဝန်ထမ်း", "၀န်ထမ်း"},
		{"tanpa pengalaman", "TANPA  Pengalaman"},
		{"don't tell", "Don’t tell your mom"},
	} {
		p, x := Key(c.pattern), Key(c.text)
		if !strings.Contains(x, strings.ReplaceAll(p, " ", "")) && !strings.Contains(x, p) {
			t.Errorf("pattern %q (key %q) not found in %q (key %q)", c.pattern, p, c.text, x)
		}
	}
}

func TestKeyZawgyi(t *testing.T) {
	zg := "ႏိုင္ငံေတာ္၏အတုိင္ပင္ခံပုဂၢိဳလ္"
	uni := "နိုင်ငံတော်၏အတိုင်ပင်ခံပုဂ္ဂိုလ်"
	if !IsZawgyi(zg) || IsZawgyi(uni) {
		t.Fatalf("detector: zg %v uni %v", ZawgyiProbability(zg), ZawgyiProbability(uni))
	}
	if Key(zg) != Key(uni) {
		t.Errorf("Key(zawgyi) = %q, Key(unicode) = %q", Key(zg), Key(uni))
	}
	// Inside an offer in other scripts too.
	mixed := "URGENT ထိုင္းႏိုင္ငံ အလုပ္ေခၚေနသည္ 月薪 ၁၅၀၀၀"
	want := "urgent ထိုင်းနိုင်ငံ အလုပ်ခေါ်နေသည် 月薪 15000"
	if got := Key(mixed); got != want {
		t.Errorf("Key(%q)\n got  %q\n want %q", mixed, got, want)
	}
	if got := ZawgyiToUnicode("ႏိုင္ငံ"); got != "နိုင်ငံ" {
		t.Errorf("ZawgyiToUnicode = %q", got)
	}
}

// TestKeyZawgyiCorpora measures the whole pipeline on the paired texts:
// the Zawgyi line and its Unicode line must get the same key.
func TestKeyZawgyiCorpora(t *testing.T) {
	for _, c := range []struct {
		zg, uni string
		min     int
	}{
		{"mmgov_zawgyi_src.txt", "mmgov_unicode_out.txt", 63},
		{"udhr_mya_zawgyi_out.txt", "udhr_mya_unicode_src.txt", 94},
	} {
		zg, uni := pairedLines(t, c.zg, c.uni)
		same := 0
		for i := range zg {
			if Key(zg[i]) == Key(uni[i]) {
				same++
			} else {
				t.Logf("%s line %d differs:\n %q\n %q", c.zg, i, Key(zg[i]), Key(uni[i]))
			}
		}
		t.Logf("%s: %d/%d lines get the same key", c.zg, same, len(zg))
		if same < c.min {
			t.Errorf("%s: %d lines get the same key, was %d", c.zg, same, c.min)
		}
	}
}

func TestKeys(t *testing.T) {
	if got := Keys("typing job"); len(got) != 1 || got[0] != "typing job" {
		t.Errorf("Keys(latin) = %q", got)
	}
	// Short Burmese that the detector is unsure about gets both readings:
	// "money" in Unicode, then in Zawgyi (p ≈ 0.91).
	mixed := "ငွေ ေငြ"
	if got := Keys(mixed); len(got) != 2 || got[0] != Key(mixed) || !strings.HasSuffix(got[1], "ငွေ") {
		t.Errorf("Keys(%q) = %q, want the key and the converted key", mixed, got)
	}
	// Clear Zawgyi: one key, converted.
	if got := Keys("အလုပ္"); len(got) != 1 || got[0] != "အလုပ်" {
		t.Errorf("Keys(zawgyi) = %q", got)
	}
}

// TestKeyIdempotentAllRunes runs every assigned code point, alone and next
// to Latin, Thai and Burmese letters, through Key twice.
func TestKeyIdempotentAllRunes(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf) {
			continue // unassigned, surrogate or private use
		}
		for _, s := range []string{string(r), "a" + string(r), "ก" + string(r) + "\u0e48", "က" + string(r) + "\u103a"} {
			k := Key(s)
			if k2 := Key(k); k2 != k {
				t.Fatalf("U+%04X: Key(%q) = %q, Key of that = %q", r, s, k, k2)
			}
		}
	}
}

func TestDigitValue(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		d, ok := digitValue(r)
		if ok != unicode.IsDigit(r) {
			t.Fatalf("U+%04X: ok=%v", r, ok)
		}
		if ok && (r-d)%10 != 0 && !unicode.IsDigit(r-d) {
			t.Fatalf("U+%04X: value %d, but U+%04X is not a zero", r, d, r-d)
		}
		if ok && d == 0 && unicode.IsDigit(r-1) && r-1 >= 0x80 {
			// a zero must start its run of ten
			if v, _ := digitValue(r - 1); v != 9 {
				t.Fatalf("U+%04X is 0 but U+%04X is %d", r, r-1, v)
			}
		}
	}
	// Spot checks against known digits.
	for r, want := range map[rune]rune{'๓': 3, '၉': 9, '႕': 5, '៧': 7, '໖': 6, '٨': 8, '۴': 4, '९': 9, '𝟘': 0} {
		if d, ok := digitValue(r); !ok || d != want {
			t.Errorf("%c: got %d %v, want %d", r, d, ok, want)
		}
	}
}

func TestHanTable(t *testing.T) {
	m := parseTS(tsCharacters)
	if len(m) < 2500 {
		t.Errorf("only %d Traditional characters", len(m))
	}
	for k, v := range m {
		if _, ok := m[v]; ok {
			t.Errorf("%c → %c is itself mapped: folding twice would differ", k, v)
		}
	}
	for trad, simp := range map[rune]rune{'緬': '缅', '邁': '迈', '詐': '诈', '園': '园', '區': '区', '機': '机', '萬': '万', '兩': '两', '薪': '薪', '裡': '里', '裏': '里'} {
		if got := simplified(trad); got != simp {
			t.Errorf("%c → %c, want %c", trad, got, simp)
		}
	}
}

func TestKeyValidUTF8(t *testing.T) {
	for _, s := range []string{"\xff", "\xe1\x80", "ก\xe0", "\xed\xa0\x80"} {
		if k := Key(s); !utf8.ValidString(k) {
			t.Errorf("Key(%q) = %q is not valid UTF-8", s, k)
		}
	}
}

// TestNFKCSegments: our piecewise NFKC equals x/text's on every code point
// in every neighbourhood that matters (before and after a base letter and a
// combining mark).
func TestNFKCSegments(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		switch {
		case r >= 0xD800 && r <= 0xDFFF:
			continue
		case r >= 0x10000 && !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf):
			continue // unassigned or private use outside the BMP
		case r >= 0x20000 && r%31 != 0:
			continue // Han extensions: a sample is enough, they are all alike
		}
		for _, s := range []string{string(r), "e" + string(r), "A" + string(r), "\u0627" + string(r), "\u0b47" + string(r), "\u1025" + string(r),
			"e" + string(r) + "\u0301", "\u1100" + string(r) + "\u1161", "ก" + string(r) + "\u0e38", "a\u0301" + string(r), string(r) + "\u0300"} {
			if got, want := string(classes().nfkc(s)), norm.NFKC.String(classes().clean(s)); got != want {
				t.Fatalf("U+%04X: nfkc(%q) = %q, want %q", r, s, got, want)
			}
		}
	}
}

// TestKeyTraditionalJobWords: Traditional spellings of lure words and place
// names reach the Simplified pattern.
func TestKeyTraditionalJobWords(t *testing.T) {
	for trad, simp := range map[string]string{
		"緬甸": "缅甸", "緬北": "缅北", "泰國": "泰国", "寮國": "寮国", "東南亞": "东南亚",
		"西哈努克港": "西哈努克港", "金三角經濟特區": "金三角经济特区", "妙瓦底": "妙瓦底",
		"護照": "护照", "簽證": "签证", "免簽": "免签", "機票報銷": "机票报销", "包吃包住": "包吃包住",
		"電信詐騙": "电信诈骗", "詐騙": "诈骗", "豬仔": "猪仔", "網賭": "网赌", "殺豬盤": "杀猪盘",
		"兼職": "兼职", "打字員": "打字员", "客服專員": "客服专员", "無需經驗": "无需经验",
		"月薪過萬": "月薪过万", "高薪誠聘": "高薪诚聘", "偷渡": "偷渡", "園區": "园区",
		"美金": "美金", "緬幣": "缅币", "瑞爾": "瑞尔", "泰銖": "泰铢",
	} {
		if got := Key(trad); got != simp {
			t.Errorf("Key(%q) = %q, want %q", trad, got, simp)
		}
	}
}

// AppendFold is Fold written onto the end of a buffer: the same key, and
// what was in the buffer stays.
func TestAppendFold(t *testing.T) {
	for _, s := range []string{"", "  ", "Hello  World", "ＫＫ园区 月薪２万", "လစာ ႑႐႐ ဒေါ်လာ", "Lương cao", "ตม. ๑๒", "don’t tell", "a\u200bb", "\xff bad", "ß"} {
		got := string(AppendFold([]byte("prefix "), s))
		if want := "prefix " + Fold(s); got != want {
			t.Errorf("AppendFold(%q) = %q, want %q", s, got, want)
		}
	}
}
