package content

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Files holds the content built into the binary.
//
//go:embed indicators.toml flows contacts patterns
var Files embed.FS

// Content is everything loaded from a content folder. It is read-only after
// Load.
type Content struct {
	Indicators []Indicator
	Combos     []Combo
	Overlaps   []Overlap
	Flows      map[string]*Flow
	Countries  map[string]*Country
	Patterns   []*PatternSet // by language tag

	indicators map[string]*Indicator
}

// Indicator returns the indicator with the given ID, or nil.
func (c *Content) Indicator(id string) *Indicator { return c.indicators[id] }

// Problem is one thing wrong with a content file, located by file and key so
// that an NGO can find it without reading Go.
type Problem struct {
	File  string
	Key   string
	Msg   string
	Error bool // false: a warning, the content still loads
}

func (p Problem) String() string {
	level := "warning"
	if p.Error {
		level = "error"
	}
	if p.Key == "" {
		return fmt.Sprintf("%s: %s: %s", p.File, level, p.Msg)
	}
	return fmt.Sprintf("%s: %s: %s: %s", p.File, p.Key, level, p.Msg)
}

// LoadError lists every error found while loading, not just the first.
type LoadError struct{ Problems []Problem }

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "content: %d problem(s)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Checker validates names that content refers to but Go defines: message IDs,
// actions and validators. Load checks structure alone when it is nil.
type Checker struct {
	Message   func(id string) bool // the ID exists in English
	Action    func(name string) bool
	Validator func(name string) bool
}

var (
	idRE      = regexp.MustCompile(`^[a-z0-9_]{1,12}$`)
	isoRE     = regexp.MustCompile(`^[A-Z]{2}$`)
	asOfRE    = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	flowRefRE = regexp.MustCompile(`^@([a-z0-9_]{1,12})$`)
)

// MaxButtonData is Telegram's limit on callback data, in bytes.
const MaxButtonData = 64

// ButtonData is the callback data of a flow option: version, flow, prompt
// sequence (base 36), step, option. The engine parses it back with
// ParseButtonData.
func ButtonData(flow string, seq int, step, opt string) string {
	return fmt.Sprintf("1.%s.%s.%s.%s", flow, strconv.FormatInt(int64(seq), 36), step, opt)
}

// maxSeq is the largest prompt sequence counted into the data-size check; a
// session that reaches it wraps around.
const maxSeq = 36*36*36*36 - 1

// Load reads and validates content from fsys: indicators.toml, flows/*.toml,
// contacts/*.toml and patterns/*.toml. Every problem is reported with its file and key.
func Load(fsys fs.FS, chk Checker) (*Content, error) {
	c := &Content{
		Flows:      map[string]*Flow{},
		Countries:  map[string]*Country{},
		indicators: map[string]*Indicator{},
	}
	var probs []Problem
	bad := func(file, key, format string, a ...any) {
		probs = append(probs, Problem{File: file, Key: key, Msg: fmt.Sprintf(format, a...), Error: true})
	}
	msg := func(file, key, id string) {
		switch {
		case id == "":
			bad(file, key, "a message ID is required")
		case chk.Message != nil && !chk.Message(id):
			bad(file, key, "message %q is not in locales/active.en.toml", id)
		}
	}

	// Indicators.
	const indFile = "indicators.toml"
	var ind struct {
		Indicator []Indicator `toml:"indicator"`
		Combo     []Combo     `toml:"combo"`
		Overlap   []Overlap   `toml:"overlap"`
	}
	if err := decodeFile(fsys, indFile, &ind); err != nil {
		bad(indFile, "", "%v", err)
	}
	for i := range ind.Indicator {
		x := &ind.Indicator[i]
		key := fmt.Sprintf("indicator[%d]", i)
		if x.ID != "" {
			key = "indicator " + x.ID
		}
		if !idRE.MatchString(x.ID) {
			bad(indFile, key, "id %q must be 1-12 of a-z, 0-9, _", x.ID)
		}
		if c.indicators[x.ID] != nil {
			bad(indFile, key, "duplicate id")
		}
		c.indicators[x.ID] = x
		if x.Strength != Strong && x.Strength != Supporting {
			bad(indFile, key, "strength %q must be %q or %q", x.Strength, Strong, Supporting)
		}
		if !slices.Contains(Groups, x.Group) {
			bad(indFile, key, "group %q must be one of %s", x.Group, strings.Join(Groups, ", "))
		}
		msg(indFile, key+".question", x.Question)
		msg(indFile, key+".why", x.Why)
		msg(indFile, key+".advice", x.Advice)
		if len(x.Sources) == 0 {
			bad(indFile, key, "sources are required: name the facts.md source codes")
		}
	}
	c.Indicators = ind.Indicator
	for i, cb := range ind.Combo {
		key := fmt.Sprintf("combo[%d]", i)
		if len(cb.All) == 0 {
			bad(indFile, key, "all is required")
		}
		for _, id := range append(append([]string{}, cb.All...), cb.AnyOf...) {
			if c.indicators[id] == nil {
				bad(indFile, key, "unknown indicator %q", id)
			}
		}
		msg(indFile, key+".reason", cb.Reason)
	}
	c.Combos = ind.Combo
	inOverlap := map[string]bool{}
	for i, o := range ind.Overlap {
		key := fmt.Sprintf("overlap[%d]", i)
		if len(o.IDs) < 2 {
			bad(indFile, key, "ids needs two or more indicators")
		}
		for _, id := range o.IDs {
			switch x := c.indicators[id]; {
			case x == nil:
				bad(indFile, key, "unknown indicator %q", id)
			case x.Strength != Supporting:
				bad(indFile, key, "indicator %q is strong: only supporting indicators can overlap", id)
			case inOverlap[id]:
				bad(indFile, key, "indicator %q is already in an overlap", id)
			}
			inOverlap[id] = true
		}
	}
	c.Overlaps = ind.Overlap

	// Flows.
	flowFiles, _ := fs.Glob(fsys, "flows/*.toml")
	if len(flowFiles) == 0 {
		bad("flows", "", "no flow files")
	}
	for _, name := range flowFiles {
		f := &Flow{File: name, byID: map[string]*Step{}}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			bad(name, "", "%v", err)
			continue
		}
		if err := decodeStrict(b, f); err != nil {
			bad(name, "", "%v", err)
			continue
		}
		sum := sha256.Sum256(b)
		f.Hash = hex.EncodeToString(sum[:8])
		if want := strings.TrimSuffix(path.Base(name), ".toml"); f.ID != want {
			bad(name, "id", "flow id %q must match the file name %q", f.ID, want)
		}
		if c.Flows[f.ID] != nil {
			bad(name, "id", "duplicate flow id %q", f.ID)
		}
		if time.Duration(f.Timeout) <= 0 {
			f.Timeout = Duration(24 * time.Hour)
		}
		c.Flows[f.ID] = f
	}
	for _, f := range c.Flows {
		probs = append(probs, c.checkFlow(f, chk, msg)...)
	}

	// Contacts.
	contactFiles, _ := fs.Glob(fsys, "contacts/*.toml")
	seen := map[string]string{}
	for _, name := range contactFiles {
		var ct Country
		if err := decodeFile(fsys, name, &ct); err != nil {
			bad(name, "", "%v", err)
			continue
		}
		want := strings.TrimSuffix(path.Base(name), ".toml")
		if ct.Code != want || !isoRE.MatchString(ct.Code) {
			bad(name, "country", "country %q must be the ISO code of the file name %q", ct.Code, want)
		}
		msg(name, "name", ct.Name)
		for i := range ct.Contacts {
			x := &ct.Contacts[i]
			x.Country, x.File = ct.Code, name
			key := fmt.Sprintf("contact[%d]", i)
			if x.ID != "" {
				key = "contact " + x.ID
			}
			if x.ID == "" {
				bad(name, key, "id is required")
			} else if other, dup := seen[x.ID]; dup {
				bad(name, key, "duplicate id (also in %s)", other)
			}
			seen[x.ID] = name
			if !slices.Contains(Kinds, x.Kind) {
				bad(name, key, "kind %q must be one of %s", x.Kind, strings.Join(Kinds, ", "))
			}
			if x.Name == "" {
				bad(name, key, "name is required")
			}
			if strings.TrimSpace(x.Source) == "" {
				bad(name, key, "source is required: no contact ships without one")
			}
			if !asOfRE.MatchString(x.AsOf) {
				bad(name, key, "as_of %q must be the source's date as YYYY, YYYY-MM or YYYY-MM-DD", x.AsOf)
			}
			if len(x.Phones) == 0 && x.Web == "" && x.Email == "" && x.Chat == "" {
				bad(name, key, "a contact needs a phone, web, email or chat channel")
			}
			for _, n := range x.Serves {
				if !isoRE.MatchString(n) {
					bad(name, key, "serves %q must be an ISO country code", n)
				}
			}
			if (x.Kind == KindEmbassy || x.Kind == KindConsulate || x.Abroad) && len(x.Serves) == 0 {
				bad(name, key, "an embassy, consulate or serves_abroad line must say whom it serves")
			}
			if x.Note != "" {
				msg(name, key+".note", x.Note)
			}
			for j, p := range x.Phones {
				if strings.TrimSpace(p.Number) == "" {
					bad(name, fmt.Sprintf("%s.phones[%d]", key, j), "number is empty")
				}
				if p.Note != "" {
					msg(name, fmt.Sprintf("%s.phones[%d].note", key, j), p.Note)
				}
			}
		}
		c.Countries[ct.Code] = &ct
	}

	loadPatterns(fsys, c, bad)

	sort.SliceStable(probs, func(i, j int) bool { return probs[i].File < probs[j].File })
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	return c, nil
}

func (c *Content) checkFlow(f *Flow, chk Checker, msg func(file, key, id string)) []Problem {
	var probs []Problem
	bad := func(key, format string, a ...any) {
		probs = append(probs, Problem{File: f.File, Key: key, Msg: fmt.Sprintf(format, a...), Error: true})
	}
	if !idRE.MatchString(f.ID) {
		bad("id", "flow id %q must be 1-12 of a-z, 0-9, _", f.ID)
	}
	msg(f.File, "title", f.Title)
	for i := range f.Steps {
		s := &f.Steps[i]
		if !idRE.MatchString(s.ID) {
			bad(fmt.Sprintf("step[%d]", i), "step id %q must be 1-12 of a-z, 0-9, _", s.ID)
			continue
		}
		if f.byID[s.ID] != nil {
			bad("step "+s.ID, "duplicate step id")
		}
		f.byID[s.ID] = s
	}
	if f.byID[f.Start] == nil {
		bad("start", "start step %q does not exist", f.Start)
	}
	target := func(key, next string) {
		if next == "" {
			bad(key, "next is required")
			return
		}
		if m := flowRefRE.FindStringSubmatch(next); m != nil {
			if c.Flows[m[1]] == nil {
				bad(key, "flow %q does not exist", m[1])
			}
			return
		}
		if f.byID[next] == nil {
			bad(key, "step %q does not exist", next)
		}
	}
	for i := range f.Steps {
		s := &f.Steps[i]
		key := "step " + s.ID
		if s.Indicator != "" {
			ind := c.indicators[s.Indicator]
			if ind == nil {
				bad(key+".indicator", "unknown indicator %q", s.Indicator)
			} else if s.Text == "" {
				s.Text = ind.Question
			}
		}
		switch s.Kind {
		case StepMessage:
			msg(f.File, key+".text", s.Text)
			target(key+".next", s.Next)
		case StepChoice:
			msg(f.File, key+".text", s.Text)
			if len(s.Options) == 0 && s.Indicator != "" {
				s.Options = []Option{
					{ID: "y", Label: "common.yes", Flag: s.Indicator},
					{ID: "n", Label: "common.no"},
					{ID: "u", Label: "common.unsure"},
				}
			}
			if len(s.Options) == 0 {
				bad(key, "a choice needs options")
			}
			ids := map[string]bool{}
			for j := range s.Options {
				o := &s.Options[j]
				okey := fmt.Sprintf("%s.options[%d]", key, j)
				if !idRE.MatchString(o.ID) {
					bad(okey, "option id %q must be 1-12 of a-z, 0-9, _", o.ID)
				}
				if ids[o.ID] {
					bad(okey, "duplicate option id %q", o.ID)
				}
				ids[o.ID] = true
				msg(f.File, okey+".label", o.Label)
				if o.Next == "" {
					o.Next = s.Next
				}
				target(okey+".next", o.Next)
				if o.Flag != "" && c.indicators[o.Flag] == nil {
					bad(okey+".flag", "unknown indicator %q", o.Flag)
				}
				if o.Value == "" {
					o.Value = o.ID
				}
				if n := len(ButtonData(f.ID, maxSeq, s.ID, o.ID)); n > MaxButtonData {
					bad(okey, "button data would be %d bytes; Telegram allows %d: shorten the ids", n, MaxButtonData)
				}
			}
		case StepText:
			msg(f.File, key+".text", s.Text)
			if s.Answer == "" {
				bad(key, "a text step needs an answer key")
			}
			if s.Validate != "" && chk.Validator != nil && !chk.Validator(s.Validate) {
				bad(key+".validate", "no validator named %q", s.Validate)
			}
			target(key+".next", s.Next)
		case StepAction:
			if s.Action == "" {
				bad(key, "an action step needs an action")
			} else if chk.Action != nil && !chk.Action(s.Action) {
				bad(key+".action", "no action named %q", s.Action)
			}
			if len(s.Branches) == 0 {
				target(key+".next", s.Next)
			}
			for name, next := range s.Branches {
				target(key+".branches."+name, next)
			}
		case StepResult:
			if s.Text != "" {
				msg(f.File, key+".text", s.Text)
			}
			if s.Action != "" && chk.Action != nil && !chk.Action(s.Action) {
				bad(key+".action", "no action named %q", s.Action)
			}
			if s.Text == "" && s.Action == "" {
				bad(key, "a result needs a text or an action")
			}
		default:
			bad(key+".kind", "kind %q must be one of message, choice, text, action, result", s.Kind)
		}
	}
	// Every step must be reachable from start.
	if f.byID[f.Start] != nil {
		seen := map[string]bool{}
		var walk func(id string)
		walk = func(id string) {
			s := f.byID[id]
			if s == nil || seen[id] {
				return
			}
			seen[id] = true
			for _, n := range s.nexts() {
				walk(n)
			}
		}
		walk(f.Start)
		for _, s := range f.Steps {
			if !seen[s.ID] && idRE.MatchString(s.ID) {
				bad("step "+s.ID, "unreachable from start %q", f.Start)
			}
		}
	}
	return probs
}

// nexts lists the steps a step can lead to.
func (s *Step) nexts() []string {
	var out []string
	if s.Next != "" {
		out = append(out, s.Next)
	}
	for _, o := range s.Options {
		out = append(out, o.Next)
	}
	for _, n := range s.Branches {
		out = append(out, n)
	}
	return out
}

// FlowRef returns the flow named by a next of the form "@flow".
func FlowRef(next string) (string, bool) {
	m := flowRefRE.FindStringSubmatch(next)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func decodeFile(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return decodeStrict(b, v)
}

// decodeStrict decodes TOML and rejects keys the types do not know, so that a
// misspelt key ("nxt") is an error rather than silently ignored.
func decodeStrict(b []byte, v any) error {
	md, err := toml.Decode(string(b), v)
	if err != nil {
		return err
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return fmt.Errorf("unknown key(s): %s", strings.Join(keys, ", "))
	}
	return nil
}
