package textkey

import "testing"

func TestDetect(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Script decides.
		{"高薪招聘打字员，包吃包住，机票报销", "zh"},
		{"誠聘客服，月薪兩萬五，緬北妙瓦底", "zh"},
		{"KK园区 急招 客服 月薪2万", "zh"},
		{"รับสมัครงานแม่สอด ไม่ต้องมีประสบการณ์ เงินเดือน 30,000 บาท", "th"},
		{"Admin ออนไลน์ รายได้ดี ทำงานที่เมียวดี", "th"},
		{"ထိုင်းနိုင်ငံတွင် အလုပ်ခေါ်နေသည် လစာကောင်း", "my"},
		{"ထိုင္းႏိုင္ငံတြင္ အလုပ္ေခၚေနသည္", "my"},
		{"ការងារនៅប៉ោយប៉ែត ប្រាក់ខែខ្ពស់ មិនត្រូវការបទពិសោធន៍", "km"},
		{"ຮັບສະໝັກພະນັກງານ ເງິນເດືອນດີ", "lo"},
		// Latin: Vietnamese letters or words.
		{"Việc nhẹ lương cao, bao ăn ở, đi Campuchia", "vi"},
		{"Tuyển gấp nhân viên", "vi"},
		{"viec nhe luong cao bao an o", "vi"},
		{"can tuyen nhan vien lam viec tai cong ty", "vi"},
		// Latin: Indonesian, including chat spelling, and Malay.
		{"Dicari admin, tiket gratis, mess disediakan", "id"},
		{"gaji besar tanpa pengalaman", "id"},
		{"loker di thailand gaji 15jt yg mau langsung berangkat", "id"},
		{"kerja di Thailand gaji lumayan, tiket ditanggung", "id"},
		// Latin: English.
		{"Typing job, no experience needed, free visa and ticket", "en"},
		{"We are hiring customer service staff, salary 1500 USD per month", "en"},
		{"Online job for you, work from home", "en"},
		// Unknown.
		{"", ""},
		{"12345 !!!", ""},
		{"trabaho sa Thailand walang karanasan", ""},
		{"Работа в Таиланде", ""},
		{"タイでの仕事、高収入", ""},
		{"태국 고수입 일자리", ""},
	} {
		if got := Detect(c.in); got != c.want {
			t.Errorf("Detect(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWordListsDisjoint(t *testing.T) {
	lists := map[string]map[string]bool{"vi": viWords, "id": idWords, "en": enWords}
	for a, la := range lists {
		for b, lb := range lists {
			if a >= b {
				continue
			}
			for w := range la {
				if lb[w] {
					t.Errorf("%q is in both %s and %s", w, a, b)
				}
			}
		}
		for w := range la {
			if Key(w) != w {
				t.Errorf("%s word %q is not a key", a, w)
			}
		}
	}
}
