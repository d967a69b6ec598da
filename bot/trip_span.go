package bot

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// parseSpan reads a typed length of time — a check-in interval or a grace
// period — as liberally as people write it on a phone:
//
//	"4", "4h", "4 h", "4 hours", "4hrs"       four hours (a bare number is hours)
//	"90m", "90 min", "1h30m", "1h30", "1.5h"   ninety minutes
//	"4小时", "4個小時", "4 ชั่วโมง", "4 ชม.",
//	"4 giờ", "4 tiếng", "4 jam", "4 နာရီ", "4 ម៉ោង"  four hours, in the bot's languages
//	"30 นาที", "30 phút", "30 menit", "30分钟"       thirty minutes
//	"1 day", "1 วัน", "1 ngày", "1 hari", "1天"       a day
//	"30s", "30 sec"                              seconds (only useful where the
//	                                             minimum interval is that short: tests, demos)
//
// Digits of any script count ("๔", "၄"), and so do Go durations ("1h30m0s").
// A number without a unit after hours is minutes ("1h30"); after minutes,
// seconds. It reports false for anything else, and for zero.
func parseSpan(text string) (time.Duration, bool) {
	s := strings.ToLower(strings.TrimSpace(text))
	if s == "" {
		return 0, false
	}
	var total time.Duration
	var prev time.Duration // the unit of the previous part
	rs := []rune(s)
	i := 0
	parts := 0
	for i < len(rs) {
		for i < len(rs) && (unicode.IsSpace(rs[i]) || rs[i] == ',') {
			i++
		}
		if i == len(rs) {
			break
		}
		// The number: digits of any script, with one decimal point.
		var num strings.Builder
		for i < len(rs) && (unicode.IsDigit(rs[i]) || rs[i] == '.') {
			if rs[i] == '.' {
				num.WriteByte('.')
			} else {
				num.WriteRune(rune('0' + digitValue(rs[i])))
			}
			i++
		}
		if num.Len() == 0 {
			return 0, false
		}
		n, err := strconv.ParseFloat(num.String(), 64)
		if err != nil || n < 0 {
			return 0, false
		}
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		// The unit: everything up to the next digit, spaces dropped.
		var word strings.Builder
		for i < len(rs) && !unicode.IsDigit(rs[i]) {
			if !unicode.IsSpace(rs[i]) && rs[i] != ',' {
				word.WriteRune(rs[i])
			}
			i++
		}
		unit, ok := spanUnit(word.String())
		if !ok {
			return 0, false
		}
		if unit == 0 { // no unit written
			switch {
			case parts == 0:
				unit = time.Hour
			case prev == 24*time.Hour:
				unit = time.Hour
			case prev == time.Hour:
				unit = time.Minute
			case prev == time.Minute:
				unit = time.Second
			default:
				return 0, false
			}
		}
		if parts > 0 && unit >= prev {
			return 0, false // "30m 2h": not a way anyone writes a length
		}
		total += time.Duration(n * float64(unit))
		prev = unit
		parts++
		if total > 366*24*time.Hour {
			return 0, false
		}
	}
	if parts == 0 || total <= 0 {
		return 0, false
	}
	return total.Round(time.Second), true
}

// spanUnit names the unit of a word after a number; 0 with ok for no word.
func spanUnit(w string) (time.Duration, bool) {
	w = strings.TrimRight(w, ".")
	// Chinese measure words: 4个小时, 4個鐘頭.
	w = strings.TrimPrefix(strings.TrimPrefix(w, "个"), "個")
	switch w {
	case "":
		return 0, true
	case "d", "day", "days", "วัน", "ngày", "ngay", "hari", "天", "日", "ရက်", "ថ្ងៃ":
		return 24 * time.Hour, true
	case "h", "hr", "hrs", "hour", "hours", "ชั่วโมง", "ชม", "giờ", "gio", "tiếng", "tieng", "g", "jam", "j",
		"小时", "小時", "钟头", "鐘頭", "時間", "နာရီ", "ម៉ោង":
		return time.Hour, true
	case "m", "min", "mins", "minute", "minutes", "นาที", "น", "phút", "phut", "p", "menit", "mnt",
		"分", "分钟", "分鐘", "မိနစ်", "នាទី":
		return time.Minute, true
	case "s", "sec", "secs", "second", "seconds", "วินาที", "giây", "detik", "秒", "秒钟", "秒鐘", "စက္ကန့်", "វិនាទី":
		return time.Second, true
	}
	return 0, false
}
