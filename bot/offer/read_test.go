package offer_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot/offer"
	"github.com/homeward-ngo/homeward/content"
)

// The texts below are written for these tests from research/facts.md and
// languages.md; none comes from testdata/corpus.

func newReader(t testing.TB) (*offer.Reader, *content.Content) {
	t.Helper()
	c := loadContent(t)
	return mustReader(t, c), c
}

// mustReader compiles the patterns of c, which a test wrote by hand.
func mustReader(t testing.TB, c *content.Content) *offer.Reader {
	t.Helper()
	r, err := offer.NewReader(c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func foundIDs(f []offer.Found) []string {
	var ids []string
	for _, x := range f {
		ids = append(ids, x.ID)
	}
	return ids
}

func TestReadFindsFlagsInEveryLanguage(t *testing.T) {
	r, _ := newReader(t)
	cases := []struct {
		text string
		lang string
		want []string
	}{
		{"Customer service job in Bangkok, no experience needed, salary $1,200 per month. Free flight and accommodation. Contact us on Telegram.",
			"en", []string{"abused_role", "no_skills", "high_pay", "all_paid", "social_only"}},
		{"誠聘網絡客服，會打字就行，月薪兩萬五，包吃包住，機票報銷。工作地點：妙瓦底KK園區。", // Traditional
			"zh", []string{"abused_role", "no_skills", "high_pay", "all_paid", "scam_hub"}},
		{"ＫＫ园区急需打字员，日薪３０００元，落地签过去，护照交给公司统一保管。", // full-width
			"zh", []string{"scam_hub", "abused_role", "high_pay", "tourist_visa", "passport"}},
		{"รับสมัครแอดมินตอบแชท ไม่ต้องมีประสบการณ์ เงินเดือน ๓๕,๐๐๐ บาท ที่พักฟรี ทำงานที่เมียวดี", // Thai digits
			"th", []string{"abused_role", "no_skills", "high_pay", "all_paid", "scam_hub"}},
		{"Tuyển nhân viên CSKH, không cần kinh nghiệm, lương 25 triệu/tháng, bao ăn ở, đi visa du lịch.",
			"vi", []string{"abused_role", "no_skills", "high_pay", "all_paid", "tourist_visa"}},
		{"viec nhe luong cao, bao an o, di thuyen qua song sang ben kia", // no diacritics
			"vi", []string{"high_pay", "all_paid", "irregular"}},
		{"Dicari admin online, gak perlu pengalaman, gaji 15jt, tiket pesawat ditanggung, berangkat pakai visa turis. Jangan bilang siapa-siapa ya.",
			"id", []string{"abused_role", "no_skills", "high_pay", "all_paid", "tourist_visa", "secrecy"}},
		{"ထိုင်းနိုင်ငံ အွန်လိုင်းအလုပ် အတွေ့အကြုံမလို လစာ ယွမ် ၁၂၀၀၀ မြဝတီ",
			"my", []string{"no_skills", "scam_hub"}},
		{"ការងារនៅប៉ោយប៉ែត ប្រាក់ខែខ្ពស់ មិនត្រូវការបទពិសោធន៍", "km", []string{"scam_hub", "high_pay", "no_skills"}},
	}
	for _, c := range cases {
		found, lang := r.Read(c.text)
		ids := foundIDs(found)
		for _, w := range c.want {
			if !slices.Contains(ids, w) {
				t.Errorf("%.40q: %s not found; found %v", c.text, w, ids)
			}
		}
		if lang != c.lang {
			t.Errorf("%.40q: lang %q, want %q", c.text, lang, c.lang)
		}
	}
}

// Negations in the same sentence suppress the flag they negate; elsewhere
// they do not.
func TestReadNegations(t *testing.T) {
	r, _ := newReader(t)
	cases := []struct {
		text string
		id   string
		want bool
	}{
		{"We never charge fees: no fees, no deposit.", "fee", false},
		{"A processing fee of $300 is due before the visa.", "fee", true},
		{"No fees. A deposit of $300 is due before the visa.", "fee", true}, // another sentence
		{"Visa fee paid by the company.", "fee", false},
		{"不收费。", "fee", false},
		{"报名前先交押金500元。", "fee", true},
		{"ไม่เสียค่าใช้จ่ายในการสมัคร ไม่เสียค่าดำเนินการ", "fee", false},
		{"Công ty không thu phí hồ sơ.", "fee", false},
		{"Pendaftaran tanpa biaya admin.", "fee", false},
		{"Your work permit is arranged before you travel, never on a tourist visa.", "tourist_visa", false},
		{"Come on a tourist visa, the work permit will follow.", "tourist_visa", true},
		{"You keep your passport at all times.", "passport", false},
		{"Chất lượng cao, giá tốt.", "high_pay", false},
	}
	for _, c := range cases {
		found, _ := r.Read(c.text)
		if got := slices.Contains(foundIDs(found), c.id); got != c.want {
			t.Errorf("%q: %s found = %v, want %v", c.text, c.id, got, c.want)
		}
	}
}

// Latin phrases match whole words; Thai and Burmese ones do not stop inside
// a syllable.
func TestReadWordEdges(t *testing.T) {
	r, _ := newReader(t)
	cases := []struct {
		text string
		id   string
		want bool
	}{
		{"We ship across the region and discuss the broadcasting schedule.", "abused_role", false},
		{"We ship across the region and discuss the broadcasting schedule.", "casting", false},
		{"Open casting call for actors in Bangkok.", "casting", true},
		{"kk nanti kabari ya, makasih kk", "scam_hub", false},
		{"Kerja di KK Park, Myawaddy.", "scam_hub", true},
		{"Send your CV. CS position at our branch.", "abused_role", true},
		{"Urgently hiring drivers.", "rushed", false},
	}
	for _, c := range cases {
		found, _ := r.Read(c.text)
		if got := slices.Contains(foundIDs(found), c.id); got != c.want {
			t.Errorf("%q: %s found = %v, want %v (found %v)", c.text, c.id, got, c.want, foundIDs(found))
		}
	}
}

// A pay shape raises high_pay only next to an abused role or a job that
// asks for no skills; for an engineer a high salary is no warning sign.
func TestReadPayNeedsContext(t *testing.T) {
	r, _ := newReader(t)
	cases := []struct {
		text string
		want bool
	}{
		{"Senior software engineer, 8 years of Go, salary US$3,000 per month.", false},
		{"Customer service, salary US$3,000 per month.", true},
		{"Customer service, salary US$600 per month.", false},
		{"Customer support, 15k-18k yuan.", true},
		{"在线客服，日薪500元。", true}, // 500 × 26 = 13,000
		{"在线客服，月薪6000元。", false},
		{"在线客服，月薪一万五。", true},
		{"Nhân viên CSKH, lương 8-12 triệu.", false},
		{"Nhân viên CSKH, lương 20-30 triệu.", true},
		{"Admin online gaji Rp 25.000.000 per bulan.", true},
		{"Admin online gaji Rp 5.000.000 per bulan.", false},
		{"ဖောက်သည်ဝန်ဆောင်မှု လစာ သိန်း ၃၀", true},
		// pay in words (th.toml numerals)
		{"รับแอดมินออนไลน์ ไม่ต้องมีประสบการณ์ เงินเดือนสี่หมื่นห้า", true},
		{"รับแอดมินออนไลน์ ไม่ต้องมีประสบการณ์ เงินเดือนหนึ่งหมื่นห้าพัน", false},
		{"รับแอดมินออนไลน์ ไม่ต้องมีประสบการณ์ เงินเดือนแสนสบาย", false}, // แสน alone is "very"
	}
	for _, c := range cases {
		found, _ := r.Read(c.text)
		if got := slices.Contains(foundIDs(found), "high_pay"); got != c.want {
			t.Errorf("%q: high_pay = %v, want %v (found %v)", c.text, got, c.want, foundIDs(found))
		}
	}
}

// A snippet is the original text around the match, never the key, and at
// most SnippetMax runes even in text without spaces.
func TestReadSnippets(t *testing.T) {
	r, _ := newReader(t)
	thai := strings.Repeat("บริษัทของเรามีสวัสดิการดีมาก", 10) + "ทำงานที่เมียวดี" + strings.Repeat("สมัครได้ทุกวัน", 10)
	texts := []string{
		lure2K,
		thai,
		"ＫＫ園區急需打字員",
		"LƯƠNG CAO, Việc Nhẹ — Bao Ăn Ở",
	}
	for _, text := range texts {
		collapsed := strings.Join(strings.Fields(text), " ")
		found, _ := r.Read(text)
		if len(found) == 0 {
			t.Errorf("%.30q: nothing found", text)
		}
		for _, f := range found {
			if n := utf8.RuneCountInString(f.Snippet); n == 0 || n > offer.SnippetMax {
				t.Errorf("%s: snippet of %d runes: %q", f.ID, n, f.Snippet)
			}
			if !strings.Contains(collapsed, f.Snippet) {
				t.Errorf("%s: snippet %q is not a piece of the original text", f.ID, f.Snippet)
			}
		}
	}
	found, _ := r.Read(thai)
	for _, f := range found {
		if f.ID == "scam_hub" && !strings.Contains(f.Snippet, "เมียวดี") {
			t.Errorf("scam_hub snippet %q misses the place", f.Snippet)
		}
	}
}

func TestReadNothingInOrdinaryText(t *testing.T) {
	r, _ := newReader(t)
	for _, text := range []string{
		"",
		"Bakery in Hanoi seeks a baker. Apply at the shop with your CV.",
		"我们公司在北京，招聘软件工程师，五险一金，欢迎投递简历。",
		"\x00\xff binary \xfe",
	} {
		if found, _ := r.Read(text); len(found) != 0 {
			t.Errorf("%q: found %v", text, foundIDs(found))
		}
	}
}

// Reads at once of different texts (which share the Reader's pooled
// working memory) give what reads one after another give.
func TestReadConcurrently(t *testing.T) {
	r, _ := newReader(t)
	texts := []string{lure2K}
	for _, o := range loadCorpus(t, "testdata/corpus")[:30] {
		texts = append(texts, o.text)
	}
	// The expected finds come from another Reader, in the other order, so
	// that working memory leaking from one text into the next shows.
	alone := mustReader(t, loadContent(t))
	want := make([][]offer.Found, len(texts))
	for i := len(texts) - 1; i >= 0; i-- {
		want[i], _ = alone.Read(texts[i])
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 5 * len(texts) {
				i := (n*(g+1) + g) % len(texts)
				if got, _ := r.Read(texts[i]); !slices.Equal(got, want[i]) {
					t.Errorf("concurrent read of text %d: %v, alone %v", i, foundIDs(got), foundIDs(want[i]))
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNewReaderRejectsBadPatterns(t *testing.T) {
	inds := []content.Indicator{{ID: "fee", Strength: content.Supporting}}
	for name, ps := range map[string]*content.PatternSet{
		"empty phrase": {Lang: "en", File: "patterns/en.toml", Indicators: []content.IndicatorWords{{ID: "fee", Phrases: []string{"\u200b\u200b"}}}},
		"unit":         {Lang: "id", File: "patterns/id.toml", Indicators: []content.IndicatorWords{{ID: "fee", Phrases: []string{"biaya"}}}, Units: map[string]float64{"Juta": 1e6}},
		"indicator":    {Lang: "en", File: "patterns/en.toml", Indicators: []content.IndicatorWords{{ID: "nope", Phrases: []string{"fee"}}}},
	} {
		c := &content.Content{Indicators: inds, Patterns: []*content.PatternSet{ps}}
		if _, err := offer.NewReader(c); err == nil || !strings.Contains(err.Error(), ps.File) {
			t.Errorf("%s: err %v, want one naming %s", name, err, ps.File)
		}
	}
}

func TestParseAmountViaShapes(t *testing.T) {
	// Amounts in the forms offers use, read through the shapes of the real
	// patterns with an abused role beside them.
	r, _ := newReader(t)
	for _, amount := range []string{"1.5万元", "2W元", "2w元", "15k元", "两万元", "一万五千元", "15,000元", "２００００元", "20000+元", "10,000.50元"} {
		found, _ := r.Read("客服，" + amount)
		if !slices.Contains(foundIDs(found), "high_pay") {
			t.Errorf("%s: not read as at least 10,000 yuan", amount)
		}
	}
	for _, amount := range []string{"8千元", "9,999元", "5000元", "0.9万元", "三千五元"} {
		found, _ := r.Read("客服，" + amount)
		if slices.Contains(foundIDs(found), "high_pay") {
			t.Errorf("%s: read as at least 10,000 yuan", amount)
		}
	}
}

// lure2K is an offer of about 2 KB that mixes languages, as lures do.
var lure2K = func() string {
	parts := []string{
		"URGENT!!! Customer service / typing job in Bangkok, Thailand. No experience needed, basic typing only. ",
		"Salary US$1,500 - 2,000 per month plus commission. Free air ticket, free food and accommodation, visa provided. ",
		"Our driver will pick you up at Suvarnabhumi airport and drive you to the office near the border. ",
		"Come on a tourist visa, the work permit will follow after you arrive. ",
		"Please give your passport to the driver for safekeeping. Don't tell anyone, keep it secret until you arrive. ",
		"高薪招聘在线客服，会打字就行，月薪两万五，包吃包住，机票报销。 ",
		"รับสมัครแอดมินตอบแชท ไม่ต้องมีประสบการณ์ ที่พักฟรี อาหารฟรี ",
		"Viec nhe luong cao, bao an o, khong can kinh nghiem. ",
		"Gaji besar, tanpa pengalaman, tiket pesawat ditanggung. ",
		"Interview by chat only on Telegram, no video call. Contract will be signed when you arrive. ",
		"Processing fee of US$300 by bank transfer before the flight, refunded from your first salary. ",
		"Work 12 hours a day, daily targets, fines if you miss them. ",
	}
	s := strings.Join(parts, "")
	for len(s) < 2048 {
		s += "We look forward to working with you and welcome you to our friendly team. "
	}
	return s[:2048]
}()

// BenchmarkRead reads one 2 KB offer (goal: under 100 µs on one core).
func BenchmarkRead(b *testing.B) {
	r, _ := newReader(b)
	b.SetBytes(int64(len(lure2K)))
	b.ReportAllocs()
	for b.Loop() {
		r.Read(lure2K)
	}
}

// BenchmarkReadNumbers reads 2 KB dense with numbers but no pay (dates,
// rooms, phone numbers): pay shapes must not make such a text slow.
func BenchmarkReadNumbers(b *testing.B) {
	r, _ := newReader(b)
	var s strings.Builder
	for s.Len() < 2048 {
		s.WriteString("客服 Room 12, floor 3, call 081 234 5678 at 10:30 on 2026-01-15, ref 99871. ")
	}
	text := s.String()[:2048]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r.Read(text)
	}
}

// Honest offers, written for this test, in the words real legitimate ads
// use: a licensed agency, no fees, a contract and work permit before
// departure, an interview at an office. Each may carry a supporting flag
// (a hotel that houses its staff), but none may grade high.
func TestReadLegitimateAdsNotHigh(t *testing.T) {
	r, c := newReader(t)
	for _, text := range []string{
		"Hotel in Phuket is hiring front office staff. Requirements: 2 years of experience in a hotel, good English. Salary THB 18,000 plus service charge. Staff accommodation and meals provided. Work permit and Non-B visa arranged by the company before you start. Apply with your CV at careers@example-hotel.com or visit our office. Interview in person or by video call.",
		"DMW-licensed agency (License No. DMW-123-LB-2024) hiring caregivers for Japan. No placement fee. Contract signed and verified by DMW before departure. Training provided. Apply at our office in Manila.",
		"Customer service representative, BPO, Makati. Fresh graduates welcome. Salary PHP 22,000 plus night differential. Apply online at our careers page; interviews at our Makati office.",
		"Software engineer, Bangkok. 5 years of Go. Salary THB 120,000. Relocation package, visa sponsorship and work permit handled before arrival. Apply via our company website.",
		"Sales agent, earn up to PHP 40,000 in commission, high commissions, unlimited income, paid in USD. Taxes will be deducted. Permanent contract after probation. Interview at the office.",
		"某某科技有限公司招聘软件工程师，本科以上学历，三年以上经验，五险一金，双休，欢迎投递简历至招聘邮箱。面试地点：公司总部。",
		"招聘普工：包吃包住，月薪6000-8000元，长白班，工作地点苏州工业园区，到公司面试，签订劳动合同，不收任何费用。部分车辆由公司安排接送。",
		"度假酒店诚聘前台，提供员工宿舍和工作餐，薪资面议，需有酒店工作经验，可视频面试。负责开发小程序的同事也在招。",
		"海外项目招聘电工，出国前签订劳动合同，工作签证由公司出发前办好，持证中介，不收取任何费用，机票公司承担。",
		"电话销售，底薪加提成，上不封顶，需要一年经验，到公司面试。",
		"รับสมัครพนักงานขาย ประจำสาขาเชียงใหม่ เงินเดือน 15,000 บาท มีประกันสังคม สัมภาษณ์ที่บริษัท สมัครทางเว็บไซต์บริษัท",
		"บริษัทจัดหางานที่ได้รับอนุญาตจากกรมการจัดหางาน รับสมัครแรงงานไปทำงานเกาหลี ไม่เสียค่าใช้จ่าย ทำสัญญาจ้างก่อนเดินทาง",
		"โรงแรมรับสมัครแม่บ้าน มีที่พักให้ อาหาร 1 มื้อ มีสอนงานให้ ข้อมูลผู้สมัครจะเก็บเป็นความลับ",
		"Công ty TNHH ABC tuyển nhân viên kế toán, yêu cầu 2 năm kinh nghiệm, lương 12-15 triệu, phỏng vấn tại văn phòng công ty ở Hà Nội.",
		"Doanh nghiệp được cấp phép xuất khẩu lao động tuyển thực tập sinh đi Nhật, ký hợp đồng trước khi xuất cảnh, không thu phí môi giới.",
		"Tuyển bảo vệ làm ca đêm bảy ngày một tuần nghỉ luân phiên, lương 8 triệu, công ty bảo hiểm đầy đủ, nhớ mang hộ chiếu khi nhận việc, liên hệ trực tiếp tại công ty.",
		"Lowongan kerja admin gudang di Bekasi, pendidikan minimal SMA, pengalaman 1 tahun, gaji UMR, interview di kantor, kirim lamaran ke email perusahaan.",
		"P3MI resmi terdaftar di BP2MI membuka lowongan caregiver ke Taiwan, tanpa biaya penempatan, kontrak ditandatangani sebelum berangkat, visa kerja diurus sebelum berangkat.",
		"ရန်ကုန်မြို့ရှိ ကုမ္ပဏီတွင် စာရင်းကိုင် ဝန်ထမ်း ခေါ်ယူသည်။ လုပ်ငန်းအတွေ့အကြုံ ၂ နှစ် ရှိရမည်။ ရုံးတွင် လာရောက် အင်တာဗျူး ဖြေဆိုနိုင်သည်။",
	} {
		found, _ := r.Read(text)
		ids := foundIDs(found)
		if a := offer.GradeFound(c, found); a.Risk == offer.High {
			t.Errorf("%.50q: graded high (%v)", text, ids)
		}
	}
}

// Lures, written for this test from research/facts.md, in the words of the
// indicators that pasted offers most often leave implicit.
func TestReadLureWording(t *testing.T) {
	r, _ := newReader(t)
	cases := []struct {
		text string
		want []string
	}{
		{"HR will add you on Telegram, no need to video call. Contract upon arrival. Fly to Thailand first, then continue by car.",
			[]string{"chat_hr", "no_contract", "transit"}},
		{"100% legit, a company in Cambodia. Your ticket is ready, you can't back out now.", []string{"unverified", "rushed"}},
		{"人事会加你微信，不方便视频。到那边再签合同。先到曼谷，再坐车过去。", []string{"chat_hr", "no_contract", "transit"}},
		{"公司正规合法，不是诈骗。机票都买好了，明天就可以走。", []string{"unverified", "rushed"}},
		{"ไม่ต้องเปิดกล้อง สัมภาษณ์ผ่านแชท ไปถึงแล้วค่อยทำสัญญา ลงเครื่องแล้วต่อรถตู้", []string{"chat_hr", "no_contract", "transit"}},
		{"pv qua zalo, không cần gặp mặt. Sang bên đó ký hợp đồng. Bay qua Bangkok rồi đi xe.", []string{"chat_hr", "no_contract", "transit"}},
		{"Interview via telegram, tanpa tatap muka. Kontrak setelah tiba. Ke Thailand dulu, lanjut naik mobil.", []string{"chat_hr", "no_contract", "transit"}},
		{"Your return ticket is only for immigration, a dummy ticket. Another driver will take you on.", []string{"ticket_void", "long_drive"}},
		{"Workplace: somewhere in Southeast Asia, location will be shared after you land.", []string{"vague_place"}},
	}
	for _, c := range cases {
		found, _ := r.Read(c.text)
		ids := foundIDs(found)
		for _, w := range c.want {
			if !slices.Contains(ids, w) {
				t.Errorf("%.40q: %s not found; found %v", c.text, w, ids)
			}
		}
	}
}

// TestReadNear checks near rules: every part in one sentence, in any order,
// with other words between, within content.NearSpan runes; not across
// sentences, not too far apart, and not where the sentence negates it.
func TestReadNear(t *testing.T) {
	c := &content.Content{
		Indicators: []content.Indicator{{ID: "passport", Strength: content.Strong}},
		Patterns: []*content.PatternSet{{Lang: "en", File: "patterns/en.toml", Indicators: []content.IndicatorWords{{
			ID:        "passport",
			Not:       []string{"never ask"},
			NearRules: [][][]string{{{"passport"}, {"give", "hand"}, {"driver", "agent"}}},
		}}}},
	}
	r := mustReader(t, c)
	far := "Hand your passport and your boarding pass and the hotel voucher and the printed return ticket and everything else you brought to the driver."
	for _, tc := range []struct {
		text    string
		want    bool
		snippet string
	}{
		{"On arrival, hand your passport and boarding pass to our driver.", true, "hand your passport and boarding pass to our driver"},
		{"Our DRIVER will ask you to give him the Passport.", true, "DRIVER will ask you to give him the Passport"},
		{"Hand your passport to the counter.\nOur driver waits outside.", false, ""},
		{"Hand your passport to the counter. Our driver waits outside.", false, ""},
		{far, false, ""},
		{"We never ask you to hand your passport to a driver or an agent.", false, ""},
		{"Passport copy please. Give it to the agent tomorrow, the driver waits.", false, ""},
	} {
		found, _ := r.Read(tc.text)
		if got := len(found) == 1; got != tc.want {
			t.Errorf("%q: found %v, want %v", tc.text, found, tc.want)
			continue
		}
		if tc.want && !strings.Contains(found[0].Snippet, tc.snippet) {
			t.Errorf("%q: snippet %q lacks %q", tc.text, found[0].Snippet, tc.snippet)
		}
	}
}

// TestReadThaiAbbreviationDot checks that a dot after Thai letters (ตม. for
// immigration) does not end the sentence a near rule or a negation looks in.
func TestReadThaiAbbreviationDot(t *testing.T) {
	c := &content.Content{
		Indicators: []content.Indicator{{ID: "lie_immig", Strength: content.Strong}},
		Patterns: []*content.PatternSet{{Lang: "th", File: "patterns/th.toml", Indicators: []content.IndicatorWords{{
			ID:        "lie_immig",
			NearRules: [][][]string{{{"ตม."}, {"บอกว่ามาเที่ยว"}}},
		}}}},
	}
	r := mustReader(t, c)
	if found, _ := r.Read("ถ้า ตม. เค้าถาม ให้บอกว่ามาเที่ยว"); len(found) != 1 {
		t.Errorf("found %v, want lie_immig across the abbreviation's dot", found)
	}
	if found, _ := r.Read("ถ้า ตม. เค้าถาม\nให้บอกว่ามาเที่ยว"); len(found) != 0 {
		t.Errorf("found %v across a line break, want nothing", found)
	}
}

// TestReadShortBurmesePhrase checks that a phrase of one Burmese word is
// read as the Unicode it is written in: asked about "တာ့ခ်" (Tak) alone, the
// Zawgyi detector guesses Zawgyi, and a key made that way matched nothing.
func TestReadShortBurmesePhrase(t *testing.T) {
	c := &content.Content{
		Indicators: []content.Indicator{{ID: "border_ride", Strength: content.Strong}},
		Patterns: []*content.PatternSet{{Lang: "my", File: "patterns/my.toml", Indicators: []content.IndicatorWords{{
			ID: "border_ride", Phrases: []string{"တာ့ခ်"},
		}}}},
	}
	r := mustReader(t, c)
	for _, text := range []string{"ကားနဲ့ တာ့ခ်ဘက် သွားမယ်", "ကားနဲ့ တာ့ခ် ကို သွားမယ်"} {
		if found, _ := r.Read(text); len(found) != 1 {
			t.Errorf("%q: found %v, want border_ride", text, found)
		}
	}
}

// TestReadNearCountsLetters checks that a near rule's span counts letters,
// not the vowel and tone marks Burmese writes around them: 30 syllables of
// three runes each are 90 runes but 30 letters.
func TestReadNearCountsLetters(t *testing.T) {
	c := &content.Content{
		Indicators: []content.Indicator{{ID: "passport", Strength: content.Strong}},
		Patterns: []*content.PatternSet{{Lang: "my", File: "patterns/my.toml", Indicators: []content.IndicatorWords{{
			ID: "passport", NearRules: [][][]string{{{"ပတ်စ်ပို့"}, {"အပ်ထား"}}},
		}}}},
	}
	r := mustReader(t, c)
	text := "ပတ်စ်ပို့ " + strings.Repeat("ကို", 30) + " အပ်ထား"
	if found, _ := r.Read(text); len(found) != 1 {
		t.Errorf("found %v, want passport across 30 syllables", found)
	}
	if found, _ := r.Read("ပတ်စ်ပို့ " + strings.Repeat("ကို", 90) + " အပ်ထား"); len(found) != 0 {
		t.Errorf("found %v across 90 syllables, want nothing", found)
	}
}

// TestReadNegators checks the words of negation: a negatable find right
// after one (or before one written after) is dropped; a comma, a long gap
// or another sentence ends the negation's reach; an indicator that is not
// negatable keeps its find.
func TestReadNegators(t *testing.T) {
	c := &content.Content{
		Indicators: []content.Indicator{
			{ID: "fee", Strength: content.Supporting, Negatable: true},
			{ID: "no_skills", Strength: content.Supporting},
		},
		Patterns: []*content.PatternSet{
			{Lang: "en", File: "patterns/en.toml", NegateBefore: []string{"no", "never"}, Indicators: []content.IndicatorWords{
				{ID: "fee", Phrases: []string{"registration fee", "deposit"}},
				{ID: "no_skills", Phrases: []string{"experience needed"}},
			}},
			{Lang: "my", File: "patterns/my.toml", NegateAfter: []string{"မရှိ"}, Indicators: []content.IndicatorWords{
				{ID: "fee", Phrases: []string{"အလုပ်ဝင်ကြေး"}},
			}},
		},
	}
	r := mustReader(t, c)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"NO registration fee at any stage.", nil},
		{"We never ask a deposit.", nil},
		{"No experience, deposit 500 baht.", []string{"fee"}},
		{"No. The registration fee is paid in USDT.", []string{"fee"}},
		{"No worries about the visa and the documents and all that: a deposit first.", []string{"fee"}},
		{"No experience needed.", []string{"no_skills"}},
		{"အလုပ်ဝင်ကြေး မရှိ", nil},
		{"အလုပ်ဝင်ကြေး ကျပ် ၅ သိန်း", []string{"fee"}},
	} {
		found, _ := r.Read(tc.text)
		if got := foundIDs(found); !slices.Equal(got, tc.want) {
			t.Errorf("%q: found %v, want %v", tc.text, got, tc.want)
		}
	}
}
