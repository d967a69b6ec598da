package locales_test

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	cat := load(t, with(t, map[string]string{
		"languages.toml": "\n[[language]]\ntag = \"my\"\nendonym = \"မြန်မာ\"\nstatus = \"draft\"\n",
		"active.my.toml": "[\"unit.hour\"]\nother = \"{{.Count}} နာရီ\"\n",
	}))
	h, m, s := time.Hour, time.Minute, time.Second
	for _, tc := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"en", 3 * h, "3 hours"},
		{"en", h, "1 hour"},
		{"en", 15 * m, "15 minutes"},
		{"en", m, "1 minute"},
		{"en", 26 * h, "1 day 2 hours"},
		{"en", 48 * h, "2 days"},
		{"en", 90 * m, "1 hour 30 minutes"},
		{"en", 90 * s, "1 minute 30 seconds"},
		{"en", 2 * s, "2 seconds"},
		{"en", h + 29*m + 40*s, "1 hour 30 minutes"}, // rounded to the smaller unit
		{"en", 23*h + 59*m + 40*s, "1 day"},          // and carried
		{"en", 0, "0 seconds"},
		{"en", -2 * h, "2 hours"},
		{"th", 3 * h, "3 ชั่วโมง"},
		{"th", 26 * h, "1 วัน 2 ชั่วโมง"},
		{"zh-Hans", 90 * m, "1小时30分钟"},
		{"my", 3 * h, "၃ နာရီ"}, // the language's digits
	} {
		if got := cat.Duration(tc.lang, tc.d); got != tc.want {
			t.Errorf("Duration(%s, %v) = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
}

func TestDurationShipped(t *testing.T) {
	cat := load(t, with(t, nil))
	for lang, want := range map[string]string{
		"en": "1 day 2 hours", "th": "1 วัน 2 ชั่วโมง", "zh-Hans": "1天2小时",
	} {
		if got := cat.Duration(lang, 26*time.Hour); got != want {
			t.Errorf("Duration(%s, 26h) = %q, want %q", lang, got, want)
		}
	}
}
