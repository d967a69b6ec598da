package textkey_test

import (
	"fmt"
	"strings"

	"github.com/homeward-ngo/homeward/bot/textkey"
)

func ExampleKey() {
	pattern := textkey.Key("việc nhẹ lương cao")
	offer := textkey.Key("Tuyển gấp!!! VIEC NHE LUONG CAO, bao ăn ở")
	fmt.Println(strings.Contains(offer, pattern))
	fmt.Println(textkey.Key("ＫＫ園區　月薪２００００元"))
	fmt.Println(textkey.Key("เงินเดือน ๓๐,๐๐๐ บาท"))
	// Output:
	// true
	// kk园区 月薪20000元
	// เงินเดือน 30,000 บาท
}

func ExampleZawgyiToUnicode() {
	s := "ႏိုင္ငံျခားအလုပ္" // "overseas job", typed with a Zawgyi font
	if textkey.IsZawgyi(s) {
		s = textkey.ZawgyiToUnicode(s)
	}
	fmt.Println(s)
	// Output: နိုင်ငံခြားအလုပ်
}

func ExampleDetect() {
	for _, s := range []string{
		"高薪誠聘打字員",
		"Dicari admin, gaji besar tanpa pengalaman",
		"viec nhe luong cao",
		"รับสมัครงานแม่สอด",
	} {
		fmt.Println(textkey.Detect(s))
	}
	// Output:
	// zh
	// id
	// vi
	// th
}
