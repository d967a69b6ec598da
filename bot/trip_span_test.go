package bot

import (
	"testing"
	"time"
)

func TestParseSpan(t *testing.T) {
	h, m, s := time.Hour, time.Minute, time.Second
	good := map[string]time.Duration{
		"4": 4 * h, "4h": 4 * h, "4 h": 4 * h, "4H": 4 * h, " 4 hours ": 4 * h, "4hrs": 4 * h,
		"4小时": 4 * h, "4个小时": 4 * h, "4 個小時": 4 * h, "4 ชั่วโมง": 4 * h, "4 ชม.": 4 * h,
		"4 giờ": 4 * h, "4 tiếng": 4 * h, "4 jam": 4 * h, "4 နာရီ": 4 * h, "4 ម៉ោង": 4 * h,
		"๔": 4 * h, "၄ နာရီ": 4 * h, "４": 4 * h,
		"90m": 90 * m, "90 min": 90 * m, "1h30m": 90 * m, "1h30": 90 * m, "1.5h": 90 * m, "1h30m0s": 90 * m,
		"4 giờ 30 phút": 4*h + 30*m, "4 ชั่วโมง 30 นาที": 4*h + 30*m, "30 menit": 30 * m, "30分钟": 30 * m,
		"1 day": 24 * h, "1 วัน": 24 * h, "1 ngày": 24 * h, "1 hari": 24 * h, "1天": 24 * h, "1d 2h": 26 * h,
		"30s": 30 * s, "2 sec": 2 * s,
	}
	for in, want := range good {
		if got, ok := parseSpan(in); !ok || got != want {
			t.Errorf("parseSpan(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "h", "often", "0", "0h", "4 bananas", "30m 2h", "-4h", "4h4h", "1.2.3h", "9999 days"} {
		if got, ok := parseSpan(in); ok {
			t.Errorf("parseSpan(%q) = %v, want a refusal", in, got)
		}
	}
}
