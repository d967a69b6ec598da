package locales

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Dates, times and numbers in the reader's language.
//
// Go's time.Format speaks English only and x/text has no date formatting
// (research/languages.md §6.4), so a date is a message: "format.date"
// arranges {{.Day}}, {{.Month}} and {{.Year}}, and "month.1" … "month.12"
// name the months, so that translators own both. The code fills the digits
// through x/text's number printer for the language (Burmese gets Myanmar
// digits, for example) and the year in the calendar people use: the Thai
// solar calendar's Buddhist Era (Gregorian + 543) for Thai, as CLDR makes it
// the default in Thailand. Times are always 24-hour, which is unambiguous in
// an alert and needs no AM/PM words, and shown with their offset from UTC
// because a traveler and the family are often in different zones.
// Phone numbers must never go through these: they are data, written as the
// source printed them.

// buddhistEra lists the languages whose dates count years in the Buddhist
// Era: the year 2026 is written 2569.
var buddhistEra = map[string]bool{"th": true}

// BuddhistEraOffset is what the Buddhist Era adds to a Gregorian year.
const BuddhistEraOffset = 543

// printer returns x/text's number printer for a catalog tag; tags x/text
// cannot read (art-x-…) get the root printer.
func printer(lang string) *message.Printer {
	tag, err := language.Parse(lang)
	if err != nil || strings.HasPrefix(lang, "art-") {
		tag = language.Und
	}
	return message.NewPrinter(tag)
}

// Number formats an integer for lang: grouping separators and digits as
// the language writes them ("15,000", "15.000", "၁၅,၀၀၀").
func Number(lang string, n int64) string {
	return printer(lang).Sprint(number.Decimal(n))
}

// digits writes n without grouping in lang's digits, padded with lang's zero
// to width.
func digits(p *message.Printer, n, width int) string {
	s := p.Sprint(number.Decimal(n, number.NoSeparator()))
	if w := len(strconv.Itoa(n)); w < width {
		s = strings.Repeat(p.Sprint(number.Decimal(0)), width-w) + s
	}
	return s
}

// Year returns the year of t as lang counts it: the Buddhist Era for Thai,
// else the Gregorian year.
func Year(lang string, t time.Time) int {
	if buddhistEra[lang] {
		return t.Year() + BuddhistEraOffset
	}
	return t.Year()
}

// Date renders the day of t (already in the reader's zone) in lang, from the
// messages "format.date" and "month.<n>": "2 Mar 2026", "2 มี.ค. 2569",
// "2026年3月2日".
func (c *Catalog) Date(lang string, t time.Time) string {
	p := printer(lang)
	return c.Text(lang, "format.date", map[string]any{
		"Day":   digits(p, t.Day(), 1),
		"Month": c.Text(lang, fmt.Sprintf("month.%d", int(t.Month())), nil),
		"Year":  digits(p, Year(lang, t), 1),
	})
}

// Clock renders the time of day of t in lang's digits, 24-hour: "07:05",
// "၀၇:၀၅".
func Clock(lang string, t time.Time) string {
	p := printer(lang)
	return digits(p, t.Hour(), 2) + ":" + digits(p, t.Minute(), 2)
}

// Zone renders t's offset from UTC the same way in every language:
// "UTC+07:00", "UTC+06:30", "UTC". Zone abbreviations ("+07", "MST") are
// never shown: most of the region has none, and they are ambiguous.
func Zone(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
}

// DateTime renders t as date, time and zone in lang: "2 Mar 2026 07:05
// (UTC+07:00)". Messages that need another arrangement use Date, Clock and
// Zone as template fields.
func (c *Catalog) DateTime(lang string, t time.Time) string {
	return c.Date(lang, t) + " " + Clock(lang, t) + " (" + Zone(t) + ")"
}

// MessageIDs returns the message IDs this package renders itself (Date,
// Duration), for the lint's check of unused messages. An entry ending in "."
// stands for every ID with that prefix.
func MessageIDs() []string { return []string{"format.date", "month.", "unit."} }

// durationUnits are the units Duration speaks in, largest first, with the
// message of each: "unit.day" is "{{.Count}} day" / "{{.Count}} days" in
// English, with the plural forms of each language.
var durationUnits = []struct {
	d  time.Duration
	id string
}{
	{24 * time.Hour, "unit.day"},
	{time.Hour, "unit.hour"},
	{time.Minute, "unit.minute"},
	{time.Second, "unit.second"},
}

// Duration says a length of time in lang, in at most its two largest units,
// rounded to the smaller one: "3 hours", "15 minutes", "1 day 2 hours",
// "1 hour 30 minutes", "၃ နာရီ". The number is in lang's digits and picks
// the unit's plural form; "unit.and" joins two parts ("{{.First}}
// {{.Second}}": languages that write no space drop it). Under a second is
// "0 seconds"; a negative d is said as its length.
func (c *Catalog) Duration(lang string, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	first := len(durationUnits) - 1
	for i, u := range durationUnits {
		if d >= u.d {
			first = i
			break
		}
	}
	if first+1 < len(durationUnits) {
		d = d.Round(durationUnits[first+1].d)
		if first > 0 && d >= durationUnits[first-1].d {
			first-- // 59m59.9s rounds up to an hour
		}
	}
	p := printer(lang)
	unit := func(i int, n int64) string {
		return c.render(lang, durationUnits[i].id, map[string]any{"Count": digits(p, int(n), 1)}, n)
	}
	big := int64(d / durationUnits[first].d)
	s := unit(first, big)
	if first+1 == len(durationUnits) {
		return s
	}
	small := int64((d % durationUnits[first].d) / durationUnits[first+1].d)
	if small == 0 {
		return s
	}
	return c.Text(lang, "unit.and", map[string]any{"First": s, "Second": unit(first+1, small)})
}
