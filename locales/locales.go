// Package locales holds every word Homeward says, as go-i18n message files
// (active.<tag>.toml), and the list of languages a user can pick
// (languages.toml). English (active.en.toml) is written by hand and is the
// source: every other file translates it.
//
// Catalog wraps the go-i18n bundle so that the rest of the bot can never get
// an ID, an empty string or "<no value>" back: a missing translation falls
// back to English and is logged, never panics.
package locales

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Files holds the message files and languages.toml built into the binary.
//
//go:embed *.toml
var Files embed.FS

// Source is the tag of the source language.
const Source = "en"

// Language is one language a user can pick, from languages.toml.
type Language struct {
	Tag     string `toml:"tag"`     // the go-i18n tag of its file: "th", "zh-Hans", "art-x-shn"
	Endonym string `toml:"endonym"` // its own name for itself: "ไทย"
	Status  string `toml:"status"`  // "source", "reviewed" or "draft"
	// Hints are client language codes (Telegram's language_code) that pick
	// this language when the user has not chosen one, beyond what the tag
	// itself matches. Languages go-i18n has no plural rule for (art-x-*) are
	// matched only through these.
	Hints []string `toml:"hints"`
}

// Catalog renders message IDs in a language. It is safe for concurrent use
// and never modified after Load.
type Catalog struct {
	bundle *i18n.Bundle
	// art holds one bundle (English plus the language) per language go-i18n
	// has no plural rule for (art-x-shn): x/text's matcher ignores
	// private-use subtags, so in one shared bundle every art-x-… tag would
	// get the text of whichever loaded first.
	art     map[string]*i18n.Bundle
	langs   []Language
	byTag   map[string]Language
	matcher language.Matcher
	tags    []string // the tags the matcher was built from, in order
	ids     map[string]map[string]bool
	sources map[string]string // English text by ID
	log     *slog.Logger
	// locs holds one localizer per loaded language, made once: a new
	// Localizer parses its language tags and matches them against the
	// bundle on every message, which was most of a message's cost.
	// Localizers only read the bundle, so they are safe to share.
	locs map[string]*i18n.Localizer
}

// ErrNoSource is returned by Load when there is no English file.
var ErrNoSource = errors.New("locales: active.en.toml is missing")

// Load reads languages.toml and every active.*.toml of fsys. log receives one
// line per missing translation at run time (ID and language only); nil logs
// nothing.
func Load(fsys fs.FS, log *slog.Logger) (*Catalog, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Catalog{
		bundle:  i18n.NewBundle(language.English),
		art:     map[string]*i18n.Bundle{},
		byTag:   map[string]Language{},
		ids:     map[string]map[string]bool{},
		sources: map[string]string{},
		log:     log,
	}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)

	b, err := fs.ReadFile(fsys, "languages.toml")
	if err != nil {
		return nil, fmt.Errorf("locales: reading languages.toml: %w", err)
	}
	var list struct {
		Language []Language `toml:"language"`
	}
	if err := toml.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("locales: languages.toml: %w", err)
	}
	c.langs = list.Language

	files, err := fs.Glob(fsys, "active.*.toml")
	if err != nil {
		return nil, fmt.Errorf("locales: listing message files: %w", err)
	}
	// English first: every art-x-… bundle starts as a copy of it.
	slices.SortStableFunc(files, func(a, b string) int {
		return boolInt(tagOf(b) == Source) - boolInt(tagOf(a) == Source)
	})
	var source []byte
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("locales: reading %s: %w", name, err)
		}
		bundle := c.bundle
		if tag := tagOf(name); strings.HasPrefix(tag, "art-") && source != nil {
			bundle = i18n.NewBundle(language.English)
			bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
			if _, err := bundle.ParseMessageFileBytes(source, "active."+Source+".toml"); err != nil {
				return nil, fmt.Errorf("locales: active.%s.toml: %w", Source, err)
			}
			c.art[tag] = bundle
		}
		mf, err := bundle.ParseMessageFileBytes(b, name)
		if err != nil {
			return nil, fmt.Errorf("locales: %s: %w", name, err)
		}
		tag := tagOf(name)
		if tag == Source {
			source = b
		}
		set := map[string]bool{}
		for _, m := range mf.Messages {
			set[m.ID] = true
			if tag == Source {
				c.sources[m.ID] = m.Other
			}
		}
		c.ids[tag] = set
	}
	if c.ids[Source] == nil {
		return nil, ErrNoSource
	}

	var tags []language.Tag
	for i, l := range c.langs {
		if l.Tag == "" || l.Endonym == "" {
			return nil, fmt.Errorf("locales: languages.toml: language %d: tag and endonym are required", i+1)
		}
		if _, dup := c.byTag[l.Tag]; dup {
			return nil, fmt.Errorf("locales: languages.toml: %s listed twice", l.Tag)
		}
		if c.ids[l.Tag] == nil {
			return nil, fmt.Errorf("locales: languages.toml: %s has no active.%s.toml", l.Tag, l.Tag)
		}
		c.byTag[l.Tag] = l
		if strings.HasPrefix(l.Tag, "art-") {
			continue
		}
		t, err := language.Parse(l.Tag)
		if err != nil {
			return nil, fmt.Errorf("locales: languages.toml: %s: %w", l.Tag, err)
		}
		// English first: the matcher falls back to its first tag.
		if l.Tag == Source {
			tags = append([]language.Tag{t}, tags...)
			c.tags = append([]string{l.Tag}, c.tags...)
		} else {
			tags = append(tags, t)
			c.tags = append(c.tags, l.Tag)
		}
	}
	if _, ok := c.byTag[Source]; !ok {
		return nil, fmt.Errorf("locales: languages.toml must list %q", Source)
	}
	c.matcher = language.NewMatcher(tags)
	c.locs = make(map[string]*i18n.Localizer, len(c.ids))
	for tag := range c.ids {
		c.locs[tag] = c.newLocalizer(tag)
	}
	return c, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// localizer returns the localizer for lang, made at Load.
func (c *Catalog) localizer(lang string) *i18n.Localizer {
	if l := c.locs[lang]; l != nil {
		return l
	}
	return c.newLocalizer(lang)
}

// newLocalizer makes a localizer for lang from the bundle that holds it.
func (c *Catalog) newLocalizer(lang string) *i18n.Localizer {
	if b := c.art[lang]; b != nil {
		return i18n.NewLocalizer(b, lang)
	}
	return i18n.NewLocalizer(c.bundle, lang)
}

// tagOf returns "th" for "active.th.toml".
func tagOf(name string) string {
	base := strings.TrimSuffix(path.Base(name), ".toml")
	return strings.TrimPrefix(base, "active.")
}

// Languages lists the languages a user can pick, in the order of
// languages.toml.
func (c *Catalog) Languages() []Language { return slices.Clone(c.langs) }

// Has reports whether tag is a language a user can pick.
func (c *Catalog) Has(tag string) bool {
	_, ok := c.byTag[tag]
	return ok
}

// Match picks the language for a client hint such as Telegram's
// language_code ("zh-hans", "th", "en-US"). It returns "" when nothing
// matches, so that the bot can ask.
func (c *Catalog) Match(hint string) string {
	hint = strings.TrimSpace(hint)
	if hint == "" {
		return ""
	}
	for _, l := range c.langs {
		if strings.EqualFold(l.Tag, hint) || slices.ContainsFunc(l.Hints, func(h string) bool { return strings.EqualFold(h, hint) }) {
			return l.Tag
		}
	}
	t, err := language.Parse(hint)
	if err != nil {
		return ""
	}
	_, i, conf := c.matcher.Match(t)
	if conf == language.No {
		return ""
	}
	return c.tags[i]
}

// Text renders message id in lang with data. It never fails: a message
// missing in lang is rendered in English (and logged); one missing in
// English too renders as the ID in brackets, which the lint and the tests
// make sure never ships.
func (c *Catalog) Text(lang, id string, data map[string]any) string {
	return c.render(lang, id, data, nil)
}

// Plural renders message id with its plural form chosen by n, which is also
// available to the template as {{.Count}}.
func (c *Catalog) Plural(lang, id string, n int, data map[string]any) string {
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = n
	return c.render(lang, id, data, n)
}

func (c *Catalog) render(lang, id string, data map[string]any, count any) string {
	if lang == "" || !c.Has(lang) {
		lang = Source
	}
	loc := c.localizer(lang)
	s, tag, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil || s == "" {
		var nf *i18n.MessageNotFoundErr
		if errors.As(err, &nf) || s == "" {
			// Debug, not Warn: a language still being translated would
			// log at every message. homeward lint reports coverage.
			c.log.Debug("i18n missing translation", "lang", lang, "id", id, "got", tag.String())
		} else {
			c.log.Warn("i18n render failed", "lang", lang, "id", id, "err", err)
		}
		if s == "" {
			if lang != Source {
				return c.render(Source, id, data, count)
			}
			return "[" + id + "]"
		}
	}
	return s
}

// IDs returns the message IDs defined in lang, sorted.
func (c *Catalog) IDs(lang string) []string {
	ids := make([]string, 0, len(c.ids[lang]))
	for id := range c.ids[lang] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Defined reports whether message id exists in lang's own file.
func (c *Catalog) Defined(lang, id string) bool { return c.ids[lang][id] }

// SourceText returns the English text of id.
func (c *Catalog) SourceText(id string) string { return c.sources[id] }

// Placeholders returns the template fields ({{.Name}} → "Name") that a text
// uses, sorted, for comparing a translation with its source.
func Placeholders(text string) ([]string, error) {
	t, err := template.New("").Parse(text)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	walk := func(s string) {
		for {
			i := strings.Index(s, "{{")
			if i < 0 {
				return
			}
			j := strings.Index(s[i:], "}}")
			if j < 0 {
				return
			}
			inner := s[i+2 : i+j]
			for _, f := range strings.FieldsFunc(inner, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == '-' }) {
				if strings.HasPrefix(f, ".") && len(f) > 1 {
					seen[strings.SplitN(f[1:], ".", 2)[0]] = true
				}
			}
			s = s[i+j+2:]
		}
	}
	_ = t
	walk(text)
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// Check renders every message of every language with sample data and
// reports texts that come out with "<no value>", which go-i18n produces
// silently when a template names a field the bot does not pass.
func (c *Catalog) Check(sample map[string]any) []error {
	var errs []error
	for tag, set := range c.ids {
		loc := c.localizer(tag)
		for id := range set {
			s, _, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, TemplateData: sample, PluralCount: 2})
			if err != nil {
				var nf *i18n.MessageNotFoundErr
				if !errors.As(err, &nf) {
					errs = append(errs, fmt.Errorf("active.%s.toml: %s: %w", tag, id, err))
				}
				continue
			}
			if bytes.Contains([]byte(s), []byte("<no value>")) {
				errs = append(errs, fmt.Errorf("active.%s.toml: %s: renders <no value> with the bot's data", tag, id))
			}
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}
