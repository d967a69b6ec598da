package lint_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/lint"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

// copyFS copies an embedded tree into a map that a test can edit.
func copyFS(t *testing.T, src fs.FS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func appendTo(m fstest.MapFS, name, s string) {
	var old []byte
	if f := m[name]; f != nil {
		old = f.Data
	}
	m[name] = &fstest.MapFile{Data: append(append([]byte{}, old...), s...)}
}

// lineOf returns the 1-based line of the first line of file containing s.
func lineOf(t *testing.T, m fstest.MapFS, file, s string) int {
	t.Helper()
	for i, l := range strings.Split(string(m[file].Data), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line with %q", file, s)
	return 0
}

func run(cfs, lfs fs.FS, now time.Time) *lint.Report {
	return lint.Run(lint.Options{
		Content: cfs, Locales: lfs, ContentDir: "content", LocalesDir: "locales",
		CodeIDs:   append(bot.MessageIDs(), locales.MessageIDs()...),
		ButtonIDs: bot.ButtonMessageIDs(),
		Now:       now,
	})
}

// has reports whether r holds a finding of code and level at file:line
// (line 0: any) whose message contains text.
func has(r *lint.Report, file string, line int, level lint.Level, code, text string) bool {
	for _, f := range r.Findings {
		if f.File == file && (line == 0 || f.Line == line) && f.Level == level && f.Code == code && strings.Contains(f.Msg, text) {
			return true
		}
	}
	return false
}

func dump(r *lint.Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %s [%s]\n", f, f.Code)
	}
	return b.String()
}

// The shipped content and translations have no errors (warnings, such as
// untranslated messages and old sources, are allowed).
func TestShippedHasNoErrors(t *testing.T) {
	r := run(content.Files, locales.Files, time.Now())
	for _, f := range r.Findings {
		if f.Level == lint.Error {
			t.Error(f)
		}
	}
	if len(r.Coverage) == 0 {
		t.Error("no coverage reported")
	}
}

// Hash is go-i18n merge's: SHA-1 of the English description and text.
func TestHashIsGoi18nMerges(t *testing.T) {
	// The hash goi18n v2.7.0 merge wrote for language.set.
	got := lint.Hash("Confirms the new language, written in that language.", "I will speak English with you.")
	if want := "sha1-16c5815065d9dff94ac94a5e41f330bb1919448a"; got != want {
		t.Errorf("Hash = %s, want %s", got, want)
	}
}

func TestTranslationFindings(t *testing.T) {
	cat, err := locales.Load(locales.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	loc := copyFS(t, locales.Files)
	hash := func(id string) string {
		// The description is needed too: read it from the English file.
		b := string(loc["active.en.toml"].Data)
		i := strings.Index(b, "[\""+id+"\"]")
		rest := b[i:]
		d := rest[strings.Index(rest, "description = \"")+len("description = \""):]
		d = d[:strings.Index(d, "\"\n")]
		return lint.Hash(strings.ReplaceAll(d, `\"`, `"`), cat.SourceText(id))
	}
	appendTo(loc, "languages.toml", "\n[[language]]\ntag = \"fr\"\nendonym = \"Français\"\nstatus = \"draft\"\n")
	fr := fmt.Sprintf(`# French, for the test.
["welcome"]
hash = "sha1-0000000000000000000000000000000000000000"
other = "Bonjour. Je suis Homeward."

["help"]
other = "Je peux vous aider."

["contact.hours"]
hash = %q
other = "Heures d'ouverture"

["contact.as_of"]
hash = %q
other = "Source du {{.Date}} pour {{.Nom}}"

["menu.q"]
hash = %q
other = %q

["no.such.id"]
other = "orphelin"

["cancel.done"]
hash = %q
other = "%s"

["format.date"]
hash = %q
other = "{{.Day}} {{.Month}} {{.Year}}"
`, hash("contact.hours"), hash("contact.as_of"), hash("menu.q"), cat.SourceText("menu.q"), hash("cancel.done"), strings.Repeat("é", lint.MaxMessage+1), hash("format.date"))
	loc["active.fr.toml"] = &fstest.MapFile{Data: []byte(fr)}
	loc["active.de.toml"] = &fstest.MapFile{Data: []byte("[\"welcome\"]\nother = \"Hallo.\"\n")}
	appendTo(loc, "active.en.toml", "\n[\"zz.nobody\"]\ndescription = \"Used by nothing.\"\nother = \"Nobody says this.\"\n")

	r := run(content.Files, loc, time.Now())
	const f = "locales/active.fr.toml"
	for _, c := range []struct {
		line  int
		level lint.Level
		code  string
		text  string
	}{
		{lineOf(t, loc, "active.fr.toml", `["welcome"]`), lint.Warning, lint.CodeStale, "the English text changed"},
		{lineOf(t, loc, "active.fr.toml", `["help"]`), lint.Warning, lint.CodeUnverified, "has no hash"},
		{lineOf(t, loc, "active.fr.toml", `["contact.hours"]`), lint.Error, lint.CodePlaceholder, "{{.Hours}}"},
		{lineOf(t, loc, "active.fr.toml", `["contact.as_of"]`), lint.Error, lint.CodePlaceholder, "{{.Nom}} is not in the English"},
		{lineOf(t, loc, "active.fr.toml", `["contact.as_of"]`), lint.Error, lint.CodeNoValue, "<no value>"},
		{lineOf(t, loc, "active.fr.toml", `["menu.q"]`), lint.Warning, lint.CodeSameAsEnglish, "same as the English"},
		{lineOf(t, loc, "active.fr.toml", `["no.such.id"]`), lint.Warning, lint.CodeExtra, "not in English"},
		{lineOf(t, loc, "active.fr.toml", `["cancel.done"]`), lint.Error, lint.CodeTooLong, "Telegram allows 4096"},
		{0, lint.Warning, lint.CodeMissing, "language.pick is not translated"},
	} {
		if !has(r, f, c.line, c.level, c.code, c.text) {
			t.Errorf("no %s %s at %s:%d mentioning %q; got:\n%s", c.level, c.code, f, c.line, c.text, dump(r))
		}
	}
	if !has(r, "locales/active.de.toml", 0, lint.Warning, lint.CodeUnlisted, "no one can pick") {
		t.Errorf("a file languages.toml does not list is not reported:\n%s", dump(r))
	}
	if !has(r, "locales/active.en.toml", lineOf(t, loc, "active.en.toml", `["zz.nobody"]`), lint.Warning, lint.CodeUnused, "zz.nobody") {
		t.Errorf("an unused English message is not reported:\n%s", dump(r))
	}
	for _, f := range r.Findings {
		if f.Code == lint.CodeSameAsEnglish && f.ID == "format.date" {
			t.Errorf("a text of template fields only is reported as untranslated: %s", f)
		}
	}
	for _, id := range []string{"welcome", "language.set", "offer.result.high", "contact.kind.police", "month.3", "common.yes"} {
		for _, f := range r.Findings {
			if f.Code == lint.CodeUnused && f.ID == id {
				t.Errorf("%s is reported unused, but code or content uses it", id)
			}
		}
	}
	var cov *lint.Coverage
	for i := range r.Coverage {
		if r.Coverage[i].Lang == "fr" {
			cov = &r.Coverage[i]
		}
	}
	if cov == nil || cov.Translated != 7 || cov.Stale != 1 || cov.Unverified != 1 || cov.Total != len(cat.IDs("en"))+1 {
		t.Errorf("fr coverage = %+v", cov)
	}
}

func TestDuplicateMessageID(t *testing.T) {
	loc := copyFS(t, locales.Files)
	appendTo(loc, "languages.toml", "\n[[language]]\ntag = \"fr\"\nendonym = \"Français\"\nstatus = \"draft\"\n")
	loc["active.fr.toml"] = &fstest.MapFile{Data: []byte("[\"welcome\"]\nother = \"Bonjour.\"\n\n[\"help\"]\nother = \"Aide.\"\n\n[\"welcome\"]\nother = \"Salut.\"\n")}
	r := run(content.Files, loc, time.Now())
	if !has(r, "locales/active.fr.toml", 7, lint.Error, lint.CodeDuplicate, "also on line 1") {
		t.Errorf("duplicate ID not reported at line 7:\n%s", dump(r))
	}
	if r.Count(lint.Error) == 0 {
		t.Error("a file that does not load is not an error")
	}
}

func TestContactFindings(t *testing.T) {
	cfs := copyFS(t, content.Files)
	cfs["contacts/FR.toml"] = &fstest.MapFile{Data: []byte(`country = "FR"
name = "country.TH"

[[contact]]
id = "fr_old"
kind = "police"
name = "Old line"
phones = [{ number = "1717" }, { number = "01 23 45 67 89" }]
source = "https://example.org/a"
as_of = "2024-10"

[[contact]]
id = "fr_new"
kind = "emergency"
name = "New line"
phones = [{ number = "+33 1 23 45 67 89" }, { number = "112" }]
source = "https://example.org/b"
as_of = "2026-01-31"
`)}
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	r := run(cfs, locales.Files, now)
	const f = "content/contacts/FR.toml"
	if !has(r, f, 10, lint.Warning, lint.CodeAsOfOld, "fr_old") {
		t.Errorf("an old source is not reported at line 10:\n%s", dump(r))
	}
	if !has(r, f, 8, lint.Error, lint.CodePhone, `"01 23 45 67 89"`) {
		t.Errorf("a local number is not reported at line 8:\n%s", dump(r))
	}
	for _, x := range r.Findings {
		if x.File == f && (x.ID == "fr_new" || strings.Contains(x.Msg, `"1717"`)) {
			t.Errorf("reported a good contact: %s", x)
		}
	}
	// "2025" is old only once a year has passed since 2025 ended.
	cfs["contacts/FR.toml"].Data = []byte(strings.ReplaceAll(string(cfs["contacts/FR.toml"].Data), `"2024-10"`, `"2025"`))
	if r := run(cfs, locales.Files, now); has(r, f, 0, lint.Warning, lint.CodeAsOfOld, "fr_old") {
		t.Errorf("as_of 2025 reported as old in Nov 2026")
	}
}

// A content load error keeps the loader's words and gets the line of the key.
func TestContentLoadErrorHasLine(t *testing.T) {
	cfs := copyFS(t, content.Files)
	cfs["flows/main.toml"].Data = []byte(strings.Replace(string(cfs["flows/main.toml"].Data), `start = "menu"`, `start = "nowhere"`, 1))
	r := run(cfs, locales.Files, time.Now())
	if !has(r, "content/flows/main.toml", lineOf(t, cfs, "flows/main.toml", `start = "nowhere"`), lint.Error, lint.CodeLoad, `start step "nowhere" does not exist`) {
		t.Errorf("no located load error:\n%s", dump(r))
	}
}
