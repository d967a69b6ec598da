package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// The built-in patterns load, every language the issue names has a file,
// and every pay shape compiles.
func TestBuiltInPatterns(t *testing.T) {
	c, err := Load(Files, Checker{})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]*PatternSet{}
	for _, ps := range c.Patterns {
		have[ps.Lang] = ps
	}
	for _, lang := range []string{"zh", "en", "th", "vi", "id", "my", "km"} {
		if have[lang] == nil || len(have[lang].Indicators) == 0 {
			t.Errorf("no patterns for %s", lang)
		}
	}
	for _, ps := range c.Patterns {
		for i, sh := range ps.Pay {
			if sh.Compiled == nil || sh.Compiled.SubexpIndex("n") < 0 {
				t.Errorf("%s: pay[%d] not compiled with an amount group", ps.File, i)
			}
		}
	}
}

// A broken patterns file is reported with its file and key.
func TestPatternProblems(t *testing.T) {
	base := fstest.MapFS{}
	for _, name := range []string{"indicators.toml", "flows/main.toml", "flows/offer.toml", "flows/contacts.toml"} {
		b, err := Files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		base[name] = &fstest.MapFile{Data: b}
	}
	base["patterns/xx.toml"] = &fstest.MapFile{Data: []byte(`
lang = "yy"
[[indicator]]
id = "nope"
phrases = ["x"]
[[indicator]]
id = "fee"
phrases = []
[[indicator]]
id = "debt"
near = ["only one part", "a + b|cc", "aa + + bb", "只 + 文字沟通"]
[units]
k = 0
[numerals]
"three" = 3
"lots" = 12
[[pay]]
re = '{n}('
currency = "USD"
min = 1000
[[pay]]
re = 'usd'
currency = "USD"
min = 1000
[[pay]]
re = '{n}\s*{u}'
min = 0
`)}
	_, err := Load(base, Checker{})
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a LoadError", err)
	}
	text := le.Error()
	for _, want := range []string{
		`patterns/xx.toml: lang: error: lang "yy" must be the language tag of the file name "xx"`,
		`indicator nope: error: unknown indicator "nope"`,
		`indicator nope.phrases[0]: error: phrase "x" is too short`,
		`indicator fee: error: phrases or near rules are required`,
		`indicator debt.near[0]: error: rule "only one part" needs 2 to 4 parts joined by +`,
		`indicator debt.near[1]: error: word "a" of rule "a + b|cc" is too short`,
		`indicator debt.near[2]: error: rule "aa + + bb" has an empty part`,
		`units: error: unit "k" must be a word with a multiplier above 0`,
		`numerals: error: number word "lots" must have a value of 0–9 or 10, 100, 1000`,
		`pay[0].re: error: error parsing regexp`,
		`pay[1].re: error: the shape needs {n}`,
		`pay[2]: error: currency and min`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "near[3]") {
		t.Errorf("a near rule with one Chinese character is refused:\n%s", text)
	}
}
