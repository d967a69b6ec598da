package textkey

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Detect guesses the language of a short text: "zh", "en", "th", "vi", "id",
// "my", "km", "lo", or "" when it cannot tell (no letters, another script,
// or Latin text with no sign of any of our three Latin languages).
//
// The writing system decides first, because it is unambiguous where it
// applies: Han → zh, Thai → th, Myanmar → my (Zawgyi, Shan and Mon included),
// Khmer → km, Lao → lo. Offers mix scripts (an English job title in a Thai
// ad), so the script with the most letters wins, a Han character counting
// as three letters since one carries about a word. Kana or Hangul in the
// lead means Japanese or Korean: "" (a kana counts five, so that Japanese,
// which always has Han too, is not taken for Chinese).
//
// Latin text is Vietnamese if it has Vietnamese-only letters (ă ơ ư đ and
// the stacked tones of Latin Extended Additional), and otherwise the
// language with the most hits in three short function-word lists. The
// lists include Vietnamese typed without tones and chat Indonesian (yg, gak,
// utk), which general detectors get wrong (research/languages.md §5).
// Malay counts as "id": the bot uses one pattern set for both.
//
// Use the answer to order pattern sets and to suggest a reply language,
// never to skip patterns: lures mix languages.
func Detect(s string) string {
	var han, kana, latin, thai, lao, khmer, myanmar, other int
	for _, r := range s {
		switch {
		case r < 0x80:
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				latin++
			}
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Han, r):
			han += 3
		case unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			kana += 5 // Japanese always mixes in Han: let kana outweigh it
		case unicode.Is(unicode.Thai, r):
			thai++
		case unicode.Is(unicode.Lao, r):
			lao++
		case unicode.Is(unicode.Khmer, r):
			khmer++
		case unicode.Is(unicode.Myanmar, r):
			myanmar++
		default:
			other++
		}
	}
	best, lang := 0, ""
	for _, c := range []struct {
		n    int
		lang string
	}{{han, "zh"}, {thai, "th"}, {myanmar, "my"}, {khmer, "km"}, {lao, "lo"}, {latin, "latin"}, {kana, ""}, {other, ""}} {
		if c.n > best {
			best, lang = c.n, c.lang
		}
	}
	if lang == "latin" {
		return detectLatin(s)
	}
	return lang
}

// detectLatin tells Vietnamese, Indonesian and English apart.
func detectLatin(s string) string {
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	viLetters := 0
	for _, r := range s {
		if isVietnameseLetter(r) {
			viLetters++
		}
	}
	var vi, id, en int
	// Fold, not Key: the text is mostly Latin, so Zawgyi is not a question.
	for w := range strings.FieldsFuncSeq(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		switch {
		case viWords[w]:
			vi++
		case idWords[w]:
			id++
		case enWords[w]:
			en++
		}
	}
	// One Vietnamese-only letter outweighs a function word: "Tuyển gấp"
	// has no stop word at all.
	vi += 2 * viLetters
	switch {
	case vi > id && vi > en:
		return "vi"
	case id > en && id > vi:
		return "id"
	case en > id && en > vi:
		return "en"
	}
	return ""
}

// isVietnameseLetter: letters that no other language we read uses.
func isVietnameseLetter(r rune) bool {
	switch r {
	case 'ă', 'Ă', 'ơ', 'Ơ', 'ư', 'Ư', 'đ', 'Đ', 'ĩ', 'Ĩ', 'ũ', 'Ũ':
		return true
	case '\u0309', '\u0323', '\u031B': // hook above, dot below, horn (combining)
		return true
	}
	return r >= 0x1EA0 && r <= 0x1EF9
}

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// The word lists hold keys (lower case, no diacritics), short and frequent
// words that are rare in the other two languages. A word in two lists is
// left out of both ("di" is Indonesian "in" and Vietnamese "đi").
var (
	viWords = wordSet(`khong duoc nguoi cua cac nhung mot trong voi nay thi cung
		viec lam luong tuyen nhe bao nhieu chung toi ban anh chi em minh
		tien thang ngay gio sang lien dien thoai gap nhan vien cong ty
		xin chao ve roi cho khach kinh nghiem`)
	idWords = wordSet(`yang dan untuk tidak dengan ini itu ada dari ke akan juga
		sudah bisa saya kami kita anda kamu atau pada oleh karena jika
		kerja gaji lowongan pengalaman tanpa perlu dicari dibutuhkan
		segera hubungi tiket ditanggung gratis bulan juta ribu jt rb
		yg gak ga gk tdk dgn utk aja loker kak kakak sini mau bagi
		penempatan berangkat perusahaan pekerjaan syarat usia lumayan`)
	enWords = wordSet(`the and you your we our they is are was be will with of for
		this that it on at from by or not no can need needed must please
		job jobs work salary experience hiring apply contact free month
		monthly hours day week only now required company ticket
		food accommodation provided offer opportunity looking send`)
)
