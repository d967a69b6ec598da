package locales_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

func load(t *testing.T, fsys fs.FS) *locales.Catalog {
	t.Helper()
	cat, err := locales.Load(fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// with returns the shipped files plus extra ones (name → content).
func with(t *testing.T, extra map[string]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(locales.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(locales.Files, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range extra {
		if name == "languages.toml" {
			// Add only the languages the shipped list does not have yet.
			have := string(m[name].Data)
			var add strings.Builder
			for _, block := range strings.Split(s, "[[language]]")[1:] {
				tag := block[strings.Index(block, "tag = "):]
				tag = tag[:strings.Index(tag, "\n")]
				if !strings.Contains(have, tag+"\n") {
					add.WriteString("\n[[language]]" + block)
				}
			}
			s = have + add.String()
		}
		m[name] = &fstest.MapFile{Data: []byte(s)}
	}
	return m
}

// Every shipped file loads, and every message of every language renders
// without "<no value>" when given every field English uses.
func TestShippedFilesRender(t *testing.T) {
	cat := load(t, locales.Files)
	sample := map[string]any{}
	for _, id := range cat.IDs(locales.Source) {
		fields, err := locales.Placeholders(cat.SourceText(id))
		if err != nil {
			t.Errorf("active.en.toml: %s: %v", id, err)
		}
		for _, f := range fields {
			sample[f] = "x"
		}
	}
	sample["Count"] = 2
	for _, err := range cat.Check(sample) {
		t.Error(err)
	}
	for _, l := range cat.Languages() {
		n := 0
		for _, id := range cat.IDs(locales.Source) {
			if cat.Defined(l.Tag, id) {
				n++
			}
		}
		t.Logf("%-10s %-8s %d/%d", l.Tag, l.Status, n, len(cat.IDs(locales.Source)))
		for _, id := range cat.IDs(l.Tag) {
			if !cat.Defined(locales.Source, id) {
				t.Errorf("active.%s.toml: %s is not in English (renamed or removed?)", l.Tag, id)
			}
		}
	}
}

// Shan has no CLDR plural rule: its file loads under the artificial tag
// art-x-shn, the client code "shn" selects it, and what it does not
// translate comes out in English.
func TestShanLoadsThroughTheArtificialTag(t *testing.T) {
	cat := load(t, locales.Files)
	if !cat.Has("art-x-shn") {
		t.Fatal("art-x-shn is not a language a user can pick")
	}
	if got := cat.Match("shn"); got != "art-x-shn" {
		t.Errorf(`Match("shn") = %q, want art-x-shn`, got)
	}
	if got := cat.Text("art-x-shn", "language.set", nil); !strings.Contains(got, "ၵႂၢမ်းတႆး") {
		t.Errorf("language.set in Shan = %q", got)
	}
	if got, want := cat.Text("art-x-shn", "welcome", nil), cat.Text("en", "welcome", nil); got != want {
		t.Errorf("welcome in Shan = %q, want the English fallback %q", got, want)
	}
	// A plural in a language with English rules but only "other": the
	// other form, never an error text.
	if got := cat.Plural("art-x-shn", "offer.read.found", 1, nil); strings.Contains(got, "<no value>") || strings.HasPrefix(got, "[") {
		t.Errorf("plural in Shan = %q", got)
	}
}

// A person picks Shan in the language picker of the real engine and gets
// its text, with English for the rest: never an ID in brackets, never
// "<no value>".
func TestPickingShanInTheEngine(t *testing.T) {
	cat := load(t, locales.Files)
	c, err := content.Load(content.Files, content.Checker{Message: func(id string) bool { return cat.Defined(locales.Source, id) }})
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t)
	e, err := bot.New(bot.Config{Store: db, Assets: bot.Assets{Content: c, Text: cat}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	send := func(u bot.Update) []bot.Message {
		t.Helper()
		u.Chat = "cli:shan"
		if _, err := e.Handle(ctx, u); err != nil {
			t.Fatal(err)
		}
		msgs, err := bot.TakeOutbox(ctx, db, "cli")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if strings.Contains(m.Text, "<no value>") || strings.Contains(m.Text, "[") {
				t.Errorf("message %v: %q", m.IDs, m.Text)
			}
		}
		return msgs
	}
	var data string
	for _, m := range send(bot.Update{Text: "/language"}) {
		for _, row := range m.Buttons {
			for _, b := range row {
				if b.Label == "တႆး" {
					data = b.Data
				}
			}
		}
	}
	if data == "" {
		t.Fatal("the picker has no button labelled တႆး")
	}
	msgs := send(bot.Update{Data: data})
	if len(msgs) == 0 {
		t.Fatal("no reply to picking Shan")
	}
	text := msgs[0].Text
	if !strings.Contains(text, "ၵႂၢမ်းတႆး") {
		t.Errorf("reply lacks the Shan confirmation:\n%s", text)
	}
	if !strings.Contains(text, cat.Text("en", "welcome", nil)) {
		t.Errorf("reply lacks the English welcome as fallback:\n%s", text)
	}
}

// Two languages without plural rules must not collide: x/text's matcher
// ignores private-use subtags, so one go-i18n bundle would serve art-x-shn's
// text to a person who picked art-x-ksw (research/languages.md §6.1).
func TestTwoArtificialTagsStayApart(t *testing.T) {
	fsys := with(t, map[string]string{
		"languages.toml":        "\n[[language]]\ntag = \"art-x-ksw\"\nendonym = \"ksw\"\nstatus = \"draft\"\nhints = [\"ksw\"]\n",
		"active.art-x-ksw.toml": "[\"language.set\"]\nother = \"KSW\"\n",
	})
	cat := load(t, fsys)
	if got := cat.Text("art-x-ksw", "language.set", nil); got != "KSW" {
		t.Errorf("art-x-ksw language.set = %q, want KSW", got)
	}
	if got := cat.Text("art-x-shn", "language.set", nil); !strings.Contains(got, "ၵႂၢမ်းတႆး") {
		t.Errorf("art-x-shn language.set = %q", got)
	}
	if got := cat.Text("art-x-ksw", "welcome", nil); got != cat.Text("en", "welcome", nil) {
		t.Errorf("art-x-ksw welcome = %q, want English", got)
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want string
	}{
		{"en", "15,000"}, {"th", "15,000"}, {"zh-Hans", "15,000"},
		{"vi", "15.000"}, {"id", "15.000"}, {"km", "15.000"},
		{"my", "၁၅,၀၀၀"}, {"art-x-shn", "15,000"},
	} {
		if got := locales.Number(tc.lang, 15000); got != tc.want {
			t.Errorf("Number(%s, 15000) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestDateClockZone(t *testing.T) {
	yangon := time.FixedZone("", 6*3600+1800)
	at := time.Date(2026, 3, 2, 7, 5, 0, 0, yangon)
	cat := load(t, with(t, map[string]string{
		"languages.toml":      "\n[[language]]\ntag = \"th\"\nendonym = \"ไทย\"\nstatus = \"draft\"\n\n[[language]]\ntag = \"my\"\nendonym = \"မြန်မာ\"\nstatus = \"draft\"\n\n[[language]]\ntag = \"zh-Hant\"\nendonym = \"繁體中文\"\nstatus = \"draft\"\n",
		"active.th.toml":      "[\"month.3\"]\nother = \"มี.ค.\"\n",
		"active.my.toml":      "[\"month.3\"]\nother = \"မတ်\"\n",
		"active.zh-Hant.toml": "[\"format.date\"]\nother = \"{{.Year}}年{{.Month}}{{.Day}}日\"\n\n[\"month.3\"]\nother = \"3月\"\n",
	}))
	for _, tc := range []struct{ lang, want string }{
		{"en", "2 Mar 2026"},
		{"th", "2 มี.ค. 2569"}, // Buddhist Era
		{"my", "၂ မတ် ၂၀၂၆"},
		{"zh-Hant", "2026年3月2日"},
		{"art-x-shn", "2 Mar 2026"}, // not translated: English
	} {
		if got := cat.Date(tc.lang, at); got != tc.want {
			t.Errorf("Date(%s) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := locales.Clock("en", at); got != "07:05" {
		t.Errorf("Clock(en) = %q", got)
	}
	if got := locales.Clock("my", at); got != "၀၇:၀၅" {
		t.Errorf("Clock(my) = %q", got)
	}
	if got := locales.Zone(at); got != "UTC+06:30" {
		t.Errorf("Zone = %q", got)
	}
	if got := locales.Zone(at.UTC()); got != "UTC" {
		t.Errorf("Zone(UTC) = %q", got)
	}
	if got := locales.Zone(at.In(time.FixedZone("", -(3*3600 + 1800)))); got != "UTC-03:30" {
		t.Errorf("Zone(-3:30) = %q", got)
	}
	if got, want := cat.DateTime("th", at), "2 มี.ค. 2569 07:05 (UTC+06:30)"; got != want {
		t.Errorf("DateTime(th) = %q, want %q", got, want)
	}
	if got := locales.Year("th", at); got != 2569 {
		t.Errorf("Year(th) = %d", got)
	}
}
