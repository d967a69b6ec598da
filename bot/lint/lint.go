// Package lint checks what NGOs edit — the content folder and the
// translations — and says what is broken, missing or stale, each finding
// located as file:line so that it can be fixed without reading Go.
//
// Errors are what would make the bot say something wrong or fail to start
// (a load error, a placeholder a translation dropped, a text Telegram would
// refuse, a phone number in a form no phone can dial); warnings are what an
// NGO should look at but may ship (a language not fully translated, a
// translation made from an older English text, a contact whose source is
// more than a year old). LOCALIZING.md explains every finding.
package lint

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

// Level says how serious a finding is.
type Level string

// Levels. Only errors make `homeward lint` exit 1.
const (
	Error   Level = "error"
	Warning Level = "warning"
)

// Codes name the kinds of findings, stable for tools that read --json.
const (
	CodeLoad          = "load"            // a file does not load (the bot would not start)
	CodeDuplicate     = "duplicate_id"    // the same message ID twice in one file
	CodeMissing       = "missing"         // not translated: English is shown
	CodeExtra         = "not_in_english"  // a translation of an ID English no longer has
	CodeStale         = "stale"           // English changed since the translation was made
	CodeUnverified    = "unverified"      // a translation without the hash of its English source
	CodeSameAsEnglish = "same_as_english" // a "translation" identical to English
	CodePlaceholder   = "placeholder"     // {{.Field}} differs from English
	CodeNoValue       = "no_value"        // renders "<no value>"
	CodeTooLong       = "too_long"        // longer than Telegram allows
	CodeWeChatLong    = "wechat_long"     // longer than a WeChat reply allows
	CodeLabelLong     = "label_long"      // a button label too long to read
	CodeUnlisted      = "unlisted"        // a message file no languages.toml entry names
	CodeAsOfOld       = "as_of_old"       // a contact's source is more than a year old
	CodePhone         = "phone_format"    // neither E.164 nor a short code
	CodeUnused        = "unused"          // an English message nothing uses
)

// Limits the lint holds texts to.
const (
	// MaxMessage is Telegram's limit on one message, in UTF-16 code units
	// after entity parsing; a single message ID must fit in it.
	MaxMessage = 4096
	// MaxWeChat is the measured limit of a WeChat passive reply, in UTF-8
	// bytes (research/languages.md §7; error 45002).
	MaxWeChat = 2048
	// MaxLabel is the length, in characters, above which a button label is
	// reported: phones cut labels far shorter, so a label should be a few
	// words.
	MaxLabel = 200
	// ContactMaxAge is how old a contact's source may be before the lint
	// asks for it to be checked again.
	ContactMaxAge = 365 * 24 * time.Hour
)

// Phone number forms a contact may use: E.164 ("+" then the country code and
// number, spaces allowed between digit groups, 15 digits at most), or a
// local short code of 3 to 6 digits ("191", "1300", "233733") that works
// only inside its country and must be marked so with a note where that
// matters.
var (
	e164RE      = regexp.MustCompile(`^\+[1-9][0-9 ]*[0-9]$`)
	shortCodeRE = regexp.MustCompile(`^[0-9]{3,6}$`)
)

// Finding is one thing the lint reports.
type Finding struct {
	File  string `json:"file"`
	Line  int    `json:"line,omitempty"`
	Level Level  `json:"level"`
	Code  string `json:"code"`
	Lang  string `json:"lang,omitempty"`
	ID    string `json:"id,omitempty"` // message, contact or step ID
	Msg   string `json:"message"`
}

// String formats a finding as compilers do: "file:line: level: message".
func (f Finding) String() string {
	loc := f.File
	if f.Line > 0 {
		loc += ":" + strconv.Itoa(f.Line)
	}
	return fmt.Sprintf("%s: %s: %s", loc, f.Level, f.Msg)
}

// Coverage is how much of English one language translates.
type Coverage struct {
	Lang       string `json:"lang"`
	Status     string `json:"status"` // from languages.toml
	Translated int    `json:"translated"`
	Total      int    `json:"total"`
	Stale      int    `json:"stale"`
	Unverified int    `json:"unverified"`
}

// Report is everything one run found.
type Report struct {
	Findings []Finding  `json:"findings"`
	Coverage []Coverage `json:"coverage"`
}

// Count returns the number of findings of a level.
func (r *Report) Count(l Level) int {
	n := 0
	for _, f := range r.Findings {
		if f.Level == l {
			n++
		}
	}
	return n
}

// Options say what to check.
type Options struct {
	Content fs.FS // indicators.toml, flows/, contacts/
	Locales fs.FS // languages.toml, active.*.toml
	// ContentDir and LocalesDir prefix the file names in findings ("content",
	// or the folder an NGO passed).
	ContentDir, LocalesDir string
	// CodeIDs are the message IDs Go code renders itself (bot.MessageIDs,
	// locales.MessageIDs); an entry ending in "." stands for a prefix. Nil:
	// the check for unused messages is skipped.
	CodeIDs []string
	// ButtonIDs are message IDs Go code uses as button labels.
	ButtonIDs []string
	Now       time.Time // for the age of contacts; zero: time.Now()
}

// Run checks content and translations.
func Run(o Options) *Report {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	l := &linter{o: o, r: &Report{}, lines: map[string]*fileIndex{}}
	l.run()
	sort.SliceStable(l.r.Findings, func(i, j int) bool {
		a, b := l.r.Findings[i], l.r.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return l.r
}

type linter struct {
	o     Options
	r     *Report
	lines map[string]*fileIndex // by displayed file name
	files []langFile            // every message file that parses, English included
	cat   *locales.Catalog
	c     *content.Content
}

func (l *linter) add(f Finding) { l.r.Findings = append(l.r.Findings, f) }

func (l *linter) contentFile(name string) string { return join(l.o.ContentDir, name) }
func (l *linter) localeFile(name string) string  { return join(l.o.LocalesDir, name) }

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return path.Join(dir, name)
}

func (l *linter) run() {
	english := l.scanLocales()
	cat, err := locales.Load(l.o.Locales, nil)
	if err != nil {
		l.add(Finding{File: l.localeFile(fileOfError(err, "languages.toml")), Line: lineOfError(err), Level: Error, Code: CodeLoad, Msg: strings.TrimPrefix(err.Error(), "locales: ")})
	}
	l.cat = cat

	chk := content.Checker{}
	if cat != nil {
		chk.Message = func(id string) bool { return cat.Defined(locales.Source, id) }
	}
	c, err := content.Load(l.o.Content, chk)
	if err == nil {
		err = bot.CheckContent(c)
	}
	var le *content.LoadError
	switch {
	case errors.As(err, &le):
		for _, p := range le.Problems {
			l.add(l.problem(p))
		}
	case err != nil:
		l.add(Finding{File: l.o.ContentDir, Level: Error, Code: CodeLoad, Msg: err.Error()})
	}
	if c == nil && err == nil {
		return
	}
	l.c = c
	if c != nil {
		l.contacts()
	}
	if cat != nil && english != nil {
		l.translations(english)
		l.lengths()
		l.noValue()
		if c != nil && l.o.CodeIDs != nil {
			l.unused()
		}
	}
}

// problem turns a content load problem into a finding with its line.
func (l *linter) problem(p content.Problem) Finding {
	lvl := Warning
	if p.Error {
		lvl = Error
	}
	file := l.contentFile(p.File)
	line := lineOfError(errors.New(p.Msg))
	if line == 0 {
		line = l.index(file, l.o.Content, p.File).keyLine(p.Key)
	}
	msg := p.Msg
	if p.Key != "" {
		msg = p.Key + ": " + p.Msg
	}
	return Finding{File: file, Line: line, Level: lvl, Code: CodeLoad, Msg: msg}
}

var (
	fileInErrRE = regexp.MustCompile(`(active\.[A-Za-z0-9-]+\.toml|languages\.toml)`)
	lineInErrRE = regexp.MustCompile(`line (\d+)`)
)

func fileOfError(err error, def string) string {
	if m := fileInErrRE.FindString(err.Error()); m != "" {
		return m
	}
	return def
}

func lineOfError(err error) int {
	if m := lineInErrRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// message is one message of one language file, as written.
type message struct {
	*i18n.Message
	line int
}

// langFile is one active.<tag>.toml.
type langFile struct {
	tag, name string
	msgs      map[string]message
}

// scanLocales reads every message file on its own (the catalog keeps no
// hashes or lines), reporting duplicate IDs. It returns English's messages,
// or nil when English does not parse.
func (l *linter) scanLocales() map[string]message {
	names, _ := fs.Glob(l.o.Locales, "active.*.toml")
	var english map[string]message
	l.files = nil
	for _, name := range names {
		b, err := fs.ReadFile(l.o.Locales, name)
		if err != nil {
			continue // locales.Load reports it
		}
		file := l.localeFile(name)
		idx := l.indexBytes(file, b)
		for id, lines := range idx.dups {
			l.add(Finding{File: file, Line: lines[1], Level: Error, Code: CodeDuplicate, ID: id,
				Msg: fmt.Sprintf("%q is defined twice (also on line %d); the file does not load", id, lines[0])})
		}
		// go-i18n's parser, without a bundle: no plural rule is needed for
		// the art-x-… files, and a TOML error is reported by locales.Load.
		mf, err := i18n.ParseMessageFileBytes(b, name, map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			continue
		}
		lf := langFile{tag: strings.TrimSuffix(strings.TrimPrefix(name, "active."), ".toml"), name: name, msgs: map[string]message{}}
		for _, m := range mf.Messages {
			lf.msgs[m.ID] = message{Message: m, line: idx.ids[m.ID]}
		}
		if lf.tag == locales.Source {
			english = lf.msgs
		}
		l.files = append(l.files, lf)
	}
	return english
}

// Hash returns go-i18n merge's hash of an English message: "sha1-" and the
// hex SHA-1 of its description followed by its other text. A translation
// carries the hash of the English it was made from, so a changed English
// text (or description) shows which translations to review.
func Hash(description, other string) string {
	h := sha1.New()
	h.Write([]byte(description))
	h.Write([]byte(other))
	return fmt.Sprintf("sha1-%x", h.Sum(nil))
}

// translations compares every language file with English.
func (l *linter) translations(english map[string]message) {
	listed := map[string]locales.Language{}
	for _, lang := range l.cat.Languages() {
		listed[lang.Tag] = lang
	}
	ids := make([]string, 0, len(english))
	for id := range english {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	enFile := l.localeFile("active." + locales.Source + ".toml")
	for _, id := range ids {
		if _, err := locales.Placeholders(english[id].Other); err != nil {
			l.add(Finding{File: enFile, Line: english[id].line, Level: Error, Code: CodePlaceholder, Lang: locales.Source, ID: id, Msg: fmt.Sprintf("%s: the text is not a valid template: %v", id, err)})
		}
	}
	for _, lf := range l.files {
		if lf.tag == locales.Source {
			continue
		}
		file := l.localeFile(lf.name)
		lang, ok := listed[lf.tag]
		if !ok {
			l.add(Finding{File: file, Level: Warning, Code: CodeUnlisted, Lang: lf.tag,
				Msg: fmt.Sprintf("no [[language]] in languages.toml has tag = %q, so no one can pick this language", lf.tag)})
		}
		cov := Coverage{Lang: lf.tag, Status: lang.Status, Total: len(english)}
		for _, id := range ids {
			src := english[id]
			m, ok := lf.msgs[id]
			if !ok || m.Other == "" {
				l.add(Finding{File: file, Level: Warning, Code: CodeMissing, Lang: lf.tag, ID: id,
					Msg: fmt.Sprintf("%s is not translated; English is shown (%s:%d)", id, enFile, src.line)})
				continue
			}
			cov.Translated++
			switch {
			case m.Hash == "":
				cov.Unverified++
				l.add(Finding{File: file, Line: m.line, Level: Warning, Code: CodeUnverified, Lang: lf.tag, ID: id,
					Msg: fmt.Sprintf("%s has no hash of the English it translates, so a later change of the English cannot be noticed; add hash = %q once checked against the English", id, Hash(src.Description, src.Other))})
			case m.Hash != Hash(src.Description, src.Other):
				cov.Stale++
				l.add(Finding{File: file, Line: m.line, Level: Warning, Code: CodeStale, Lang: lf.tag, ID: id,
					Msg: fmt.Sprintf("%s: the English text changed since this was translated; check it against %s:%d, then set hash = %q", id, enFile, src.line, Hash(src.Description, src.Other))})
			}
			if m.Other == src.Other && hasLetters(src.Other) {
				l.add(Finding{File: file, Line: m.line, Level: Warning, Code: CodeSameAsEnglish, Lang: lf.tag, ID: id,
					Msg: fmt.Sprintf("%s is the same as the English text: delete it if it was not translated (goi18n merge copies English into untranslated entries)", id)})
			}
			l.placeholders(file, lf.tag, id, src, m)
		}
		for id, m := range lf.msgs {
			if _, ok := english[id]; !ok {
				l.add(Finding{File: file, Line: m.line, Level: Warning, Code: CodeExtra, Lang: lf.tag, ID: id,
					Msg: fmt.Sprintf("%s is not in English (renamed or removed?); the bot never shows it", id)})
			}
		}
		l.r.Coverage = append(l.r.Coverage, cov)
	}
	sort.Slice(l.r.Coverage, func(i, j int) bool { return l.r.Coverage[i].Lang < l.r.Coverage[j].Lang })
}

var templateRE = regexp.MustCompile(`\{\{.*?\}\}`)

// hasLetters reports whether a text has words a translator would change
// (not only an emoji, a number or a URL).
func hasLetters(s string) bool {
	s = templateRE.ReplaceAllString(s, "")
	n := 0
	for _, r := range s {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			n++
		}
	}
	return n >= 3 && !strings.HasPrefix(s, "http")
}

// placeholders compares the template fields of every plural form of a
// translation with English's.
func (l *linter) placeholders(file, tag, id string, src, m message) {
	want, err := locales.Placeholders(src.Other)
	if err != nil {
		return // reported for English
	}
	forms := []struct{ name, text string }{{"zero", m.Zero}, {"one", m.One}, {"two", m.Two}, {"few", m.Few}, {"many", m.Many}, {"other", m.Other}}
	for _, form := range forms {
		if form.text == "" {
			continue
		}
		got, err := locales.Placeholders(form.text)
		if err != nil {
			l.add(Finding{File: file, Line: m.line, Level: Error, Code: CodePlaceholder, Lang: tag, ID: id, Msg: fmt.Sprintf("%s (%s): not a valid template: %v", id, form.name, err)})
			continue
		}
		var lost, added []string
		for _, f := range want {
			if !slices.Contains(got, f) && f != "Count" {
				lost = append(lost, "{{."+f+"}}")
			}
		}
		for _, f := range got {
			if !slices.Contains(want, f) {
				added = append(added, "{{."+f+"}}")
			}
		}
		if len(lost) > 0 {
			l.add(Finding{File: file, Line: m.line, Level: Error, Code: CodePlaceholder, Lang: tag, ID: id,
				Msg: fmt.Sprintf("%s: the English has %s but this translation does not: the person would not see it", id, strings.Join(lost, ", "))})
		}
		if len(added) > 0 {
			l.add(Finding{File: file, Line: m.line, Level: Error, Code: CodePlaceholder, Lang: tag, ID: id,
				Msg: fmt.Sprintf("%s: %s is not in the English, so the bot does not fill it: it would show \"<no value>\"", id, strings.Join(added, ", "))})
		}
	}
}

// sample is template data with every field English uses, long enough to
// measure texts as the bot would fill them.
func (l *linter) sample() map[string]any {
	d := map[string]any{}
	for _, id := range l.cat.IDs(locales.Source) {
		fields, _ := locales.Placeholders(l.cat.SourceText(id))
		for _, f := range fields {
			d[f] = "‹" + f + "›"
		}
	}
	d["Count"] = 2
	return d
}

// lengths renders every message of every language and measures it.
func (l *linter) lengths() {
	data := l.sample()
	labels := map[string]bool{}
	for _, id := range l.o.ButtonIDs {
		labels[id] = true
	}
	if l.c != nil {
		for _, f := range l.c.Flows {
			for _, s := range f.Steps {
				for _, o := range s.Options {
					labels[o.Label] = true
				}
			}
		}
	}
	for _, lf := range l.files {
		file := l.localeFile(lf.name)
		for id, m := range lf.msgs {
			if lf.tag != locales.Source && !l.cat.Defined(lf.tag, id) {
				continue
			}
			text := l.cat.Text(lf.tag, id, clone(data))
			if n := len(utf16.Encode([]rune(bot.PlainText(text)))); n > MaxMessage {
				l.add(Finding{File: file, Line: m.line, Level: Error, Code: CodeTooLong, Lang: lf.tag, ID: id,
					Msg: fmt.Sprintf("%s is %d UTF-16 units long; Telegram allows %d in one message: shorten or split it", id, n, MaxMessage)})
			} else if n := len(bot.PlainText(text)); n > MaxWeChat {
				l.add(Finding{File: file, Line: m.line, Level: Warning, Code: CodeWeChatLong, Lang: lf.tag, ID: id,
					Msg: fmt.Sprintf("%s is %d bytes; a WeChat reply holds about %d: WeChat users would not get it", id, n, MaxWeChat)})
			}
			if labels[id] {
				if n := len([]rune(bot.PlainText(text))); n > MaxLabel {
					l.add(Finding{File: file, Line: m.line, Level: Warning, Code: CodeLabelLong, Lang: lf.tag, ID: id,
						Msg: fmt.Sprintf("%s is a button label of %d characters; phones cut labels after a few words", id, n)})
				}
			}
		}
	}
}

func clone(d map[string]any) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

// noValue renders every message with the sample data: a template that names
// a field no English text has comes out with "<no value>".
func (l *linter) noValue() {
	for _, err := range l.cat.Check(l.sample()) {
		msg := err.Error()
		name, rest, _ := strings.Cut(msg, ": ")
		id, _, _ := strings.Cut(rest, ": ")
		tag := strings.TrimSuffix(strings.TrimPrefix(name, "active."), ".toml")
		line := 0
		for _, lf := range l.files {
			if lf.name == name {
				line = lf.msgs[id].line
			}
		}
		l.add(Finding{File: l.localeFile(name), Line: line, Level: Error, Code: CodeNoValue, Lang: tag, ID: id, Msg: rest})
	}
}

// contacts checks the age of every source and the form of every number.
func (l *linter) contacts() {
	codes := make([]string, 0, len(l.c.Countries))
	for code := range l.c.Countries {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		ct := l.c.Countries[code]
		for _, x := range ct.Contacts {
			file := l.contentFile(x.File)
			idx := l.index(file, l.o.Content, x.File)
			line := idx.idLine(x.ID)
			if end, ok := periodEnd(x.AsOf); ok && l.o.Now.Sub(end) > ContactMaxAge {
				l.add(Finding{File: file, Line: idx.after(line, "as_of"), Level: Warning, Code: CodeAsOfOld, ID: x.ID,
					Msg: fmt.Sprintf("contact %s: its source is dated %s, more than a year ago: check every detail on the owner's live site and update source and as_of", x.ID, x.AsOf)})
			}
			for _, p := range x.Phones {
				n := strings.TrimSpace(p.Number)
				if e164RE.MatchString(n) && digitCount(n) <= 15 || shortCodeRE.MatchString(n) {
					continue
				}
				l.add(Finding{File: file, Line: idx.find(line, p.Number), Level: Error, Code: CodePhone, ID: x.ID,
					Msg: fmt.Sprintf("contact %s: phone %q is neither E.164 (\"+\", country code and number, e.g. \"+66 2 245 7010\") nor a local short code of 3–6 digits", x.ID, p.Number)})
			}
		}
	}
}

func digitCount(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// periodEnd returns the last moment of an as_of date: the end of its year,
// month or day, so that "2025" is old only a year after 2025 ended.
func periodEnd(asOf string) (time.Time, bool) {
	for _, f := range []struct {
		layout string
		add    func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(f.layout, asOf); err == nil {
			return f.add(t), true
		}
	}
	return time.Time{}, false
}

// unused reports English messages that neither the content nor the Go code
// uses.
func (l *linter) unused() {
	used := map[string]bool{}
	use := func(ids ...string) {
		for _, id := range ids {
			used[id] = true
		}
	}
	c := l.c
	for _, ind := range c.Indicators {
		use(ind.Question, ind.Why, ind.Advice)
	}
	for _, cb := range c.Combos {
		use(cb.Reason)
	}
	for _, f := range c.Flows {
		use(f.Title)
		for _, s := range f.Steps {
			use(s.Text)
			for _, o := range s.Options {
				use(o.Label)
			}
		}
	}
	for _, ct := range c.Countries {
		use(ct.Name)
		for _, x := range ct.Contacts {
			use(x.Note)
			for _, p := range x.Phones {
				use(p.Note)
			}
		}
	}
	var prefixes []string
	for _, id := range l.o.CodeIDs {
		if strings.HasSuffix(id, ".") {
			prefixes = append(prefixes, id)
		} else {
			use(id)
		}
	}
	en := l.localeFile("active." + locales.Source + ".toml")
	var enMsgs map[string]message
	for _, lf := range l.files {
		if lf.tag == locales.Source {
			enMsgs = lf.msgs
		}
	}
	for _, id := range l.cat.IDs(locales.Source) {
		if used[id] || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(id, p) }) {
			continue
		}
		l.add(Finding{File: en, Line: enMsgs[id].line, Level: Warning, Code: CodeUnused, Lang: locales.Source, ID: id,
			Msg: fmt.Sprintf("%s is used by no flow, indicator, contact or Go code: remove it, or use it", id)})
	}
}

// fileIndex finds lines in a TOML file.
type fileIndex struct {
	lines []string
	ids   map[string]int   // message ID → line of its table header or key
	dups  map[string][]int // message IDs defined more than once → lines
}

var (
	tableRE = regexp.MustCompile(`^\s*\[\s*(?:"([^"]+)"|([A-Za-z0-9_.-]+))\s*\]\s*(#.*)?$`)
	flatRE  = regexp.MustCompile(`^\s*(?:"([^"]+)"|([A-Za-z0-9_.-]+))\s*=`)
	keyRE   = regexp.MustCompile(`^(indicator|step|contact) ([a-z0-9_]+)`)
	topRE   = regexp.MustCompile(`^([a-z_]+)$`)
)

func (l *linter) index(file string, fsys fs.FS, name string) *fileIndex {
	if idx := l.lines[file]; idx != nil {
		return idx
	}
	b, _ := fs.ReadFile(fsys, name)
	return l.indexBytes(file, b)
}

// indexBytes indexes a file's lines and, for a message file, where each
// message ID is defined: `["id"]` tables, or `id = …` keys before any table.
func (l *linter) indexBytes(file string, b []byte) *fileIndex {
	idx := &fileIndex{lines: strings.Split(string(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))), "\n"), ids: map[string]int{}, dups: map[string][]int{}}
	inTable := false
	for i, s := range idx.lines {
		id := ""
		if m := tableRE.FindStringSubmatch(s); m != nil {
			id, inTable = m[1]+m[2], true
		} else if m := flatRE.FindStringSubmatch(s); m != nil && !inTable {
			id = m[1] + m[2]
		}
		if id == "" {
			continue
		}
		if first, ok := idx.ids[id]; ok {
			if idx.dups[id] == nil {
				idx.dups[id] = []int{first}
			}
			idx.dups[id] = append(idx.dups[id], i+1)
			continue
		}
		idx.ids[id] = i + 1
	}
	l.lines[file] = idx
	return idx
}

// idLine returns the line of `id = "<id>"`, or 0.
func (x *fileIndex) idLine(id string) int {
	re := regexp.MustCompile(`(^|[{,\s])id\s*=\s*"` + regexp.QuoteMeta(id) + `"`)
	for i, s := range x.lines {
		if re.MatchString(s) {
			return i + 1
		}
	}
	return 0
}

// after returns the first line at or after from that sets key, or from.
func (x *fileIndex) after(from int, key string) int {
	if from <= 0 {
		return 0
	}
	re := regexp.MustCompile(`^\s*` + key + `\s*=`)
	for i := from - 1; i < len(x.lines); i++ {
		if re.MatchString(x.lines[i]) {
			return i + 1
		}
		if i >= from && strings.HasPrefix(strings.TrimSpace(x.lines[i]), "[[") {
			break
		}
	}
	return from
}

// find returns the first line at or after from that contains s, or from.
func (x *fileIndex) find(from int, s string) int {
	for i := max(from-1, 0); i < len(x.lines); i++ {
		if strings.Contains(x.lines[i], s) {
			return i + 1
		}
	}
	return from
}

// keyLine finds the line a content problem's key points at: "step dest.next"
// → the line of id = "dest"; "start" → the line of start = …
func (x *fileIndex) keyLine(key string) int {
	if m := keyRE.FindStringSubmatch(key); m != nil {
		line := x.idLine(m[2])
		if _, field, ok := strings.Cut(key, "."); ok && line > 0 {
			if f := strings.SplitN(field, ".", 2)[0]; topRE.MatchString(f) {
				return x.after(line, f)
			}
		}
		return line
	}
	if topRE.MatchString(key) {
		re := regexp.MustCompile(`^` + key + `\s*=`)
		for i, s := range x.lines {
			if re.MatchString(s) {
				return i + 1
			}
		}
	}
	return 0
}
