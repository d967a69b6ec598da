package textkey

import (
	"strings"
	"testing"
)

// offer2KB is a made-up 2 KB offer mixing the scripts the bot reads, the way
// recruiters paste them: English titles, Chinese, Thai, Vietnamese,
// Burmese (Unicode), full-width digits and a zero-width space.
var offer2KB = func() string {
	parts := []string{
		"URGENT HIRING!!! Customer Service / Typing Job – Thailand (Mae Sot). No experience needed, free visa + air ticket, salary 25,000–35,000 THB per month. ",
		"高薪誠聘打字員、客服，月薪２００００元，包吃包住，機票報銷，緬北妙瓦底KK園區。",
		"รับสมัครงานแม่สอด ไม่ต้องมีประสบการณ์ เงินเดือน ๓๐,๐๐๐ บาท มีที่พักฟรี ",
		"Việc nhẹ lương cao, bao ăn ở, đi Campuchia ngay tuần này. ",
		"ထိုင်းနိုင်ငံ အလုပ်ခေါ်နေသည် လစာ ၁၅၀၀၀ ဘတ် ",
		"Liên hệ\u200b Telegram @hr_global ",
	}
	var b strings.Builder
	for b.Len() < 2048 {
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	s := b.String()
	for len(s) > 2048 || !strings.HasSuffix(s, " ") {
		_, size := lastRune(s)
		s = s[:len(s)-size]
	}
	return s
}()

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return []rune(s[i:])[0], len(s) - i
		}
	}
	return 0, 1
}

func BenchmarkKey(b *testing.B) {
	Key(offer2KB) // load the tables outside the timing
	b.SetBytes(int64(len(offer2KB)))
	b.ReportAllocs()
	for b.Loop() {
		Key(offer2KB)
	}
}

func BenchmarkKeyASCII(b *testing.B) {
	s := strings.Repeat("Typing job, no experience needed, FREE visa and ticket. ", 37)[:2048]
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Key(s)
	}
}

// BenchmarkKeyZawgyi: the slow path, only taken for text flagged as Zawgyi.
func BenchmarkKeyZawgyi(b *testing.B) {
	zg, _ := pairedLines(b, "mmgov_zawgyi_src.txt", "mmgov_unicode_out.txt")
	s := strings.Join(zg, "\n")
	for len(s) > 2048 {
		_, size := lastRune(s)
		s = s[:len(s)-size]
	}
	Key(s)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Key(s)
	}
}

func BenchmarkDetect(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Detect("Dicari admin, tiket gratis, mess disediakan, gaji besar tanpa pengalaman")
	}
}

func TestOffer2KB(t *testing.T) {
	if n := len(offer2KB); n < 1900 || n > 2048 {
		t.Errorf("benchmark text is %d bytes", n)
	}
	if IsZawgyi(offer2KB) {
		t.Error("benchmark text must take the Unicode path")
	}
}
