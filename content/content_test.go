package content_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/homeward-ngo/homeward/content"
)

// The embedded content loads without a problem.
func TestEmbeddedContentLoads(t *testing.T) {
	c, err := content.Load(content.Files, content.Checker{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Indicators) < 36 {
		t.Errorf("%d indicators, want every one of facts.md (36)", len(c.Indicators))
	}
	for _, code := range []string{"TH", "MM", "KH", "LA", "CN", "VN", "PH", "ID", "IN"} {
		if c.Countries[code] == nil {
			t.Errorf("no contacts file for %s", code)
		}
	}
	for _, id := range []string{"main", "offer", "contacts"} {
		if c.Flows[id] == nil {
			t.Errorf("no flow %q", id)
		}
	}
}

// base is a minimal valid content folder; each case breaks one file.
func base() fstest.MapFS {
	return fstest.MapFS{
		"indicators.toml": {Data: []byte(`
[[indicator]]
id = "fee"
code = "E1"
group = "money"
strength = "supporting"
question = "q"
why = "w"
advice = "a"
sources = ["S-ILO-FR"]
`)},
		"flows/main.toml": {Data: []byte(`
id = "main"
title = "t"
start = "ask"
[[step]]
id = "ask"
kind = "choice"
indicator = "fee"
next = "end"
[[step]]
id = "end"
kind = "result"
text = "done"
`)},
		"contacts/TH.toml": {Data: []byte(`
country = "TH"
name = "country.TH"
[[contact]]
id = "th_tp"
kind = "tourist_police"
name = "Thai Tourist Police"
phones = [{ number = "1155" }]
source = "https://example.org/source"
as_of = "2025-04"
`)},
	}
}

func TestLoadReportsFileAndKey(t *testing.T) {
	cases := []struct {
		name, file, find, replace string
		want                      []string // substrings of the error, file and key among them
	}{
		{"contact without source", "contacts/TH.toml", `source = "https://example.org/source"`, ``,
			[]string{"contacts/TH.toml", "contact th_tp", "source is required"}},
		{"contact with bad date", "contacts/TH.toml", `as_of = "2025-04"`, `as_of = "April 2025"`,
			[]string{"contacts/TH.toml", "as_of"}},
		{"unknown kind", "contacts/TH.toml", `kind = "tourist_police"`, `kind = "friend"`,
			[]string{"contact th_tp", "kind \"friend\""}},
		{"file name and country differ", "contacts/TH.toml", `country = "TH"`, `country = "MM"`,
			[]string{"contacts/TH.toml", "country"}},
		{"next to a missing step", "flows/main.toml", `next = "end"`, `next = "nowhere"`,
			[]string{"flows/main.toml", "step ask", "\"nowhere\" does not exist"}},
		{"misspelt key", "flows/main.toml", `next = "end"`, `nxt = "end"`,
			[]string{"flows/main.toml", "unknown key"}},
		{"unknown step kind", "flows/main.toml", `kind = "result"`, `kind = "goto"`,
			[]string{"step end.kind", "goto"}},
		{"unknown indicator", "flows/main.toml", `indicator = "fee"`, `indicator = "nope"`,
			[]string{"step ask.indicator", "nope"}},
		{"unreachable step", "flows/main.toml", `[[step]]
id = "end"`, `[[step]]
id = "lost"
kind = "result"
text = "x"
[[step]]
id = "end"`, []string{"step lost", "unreachable"}},
		{"bad strength", "indicators.toml", `strength = "supporting"`, `strength = "medium"`,
			[]string{"indicators.toml", "indicator fee", "strength"}},
		{"indicator without sources", "indicators.toml", `sources = ["S-ILO-FR"]`, ``,
			[]string{"indicator fee", "sources are required"}},
		{"overlap of one indicator", "indicators.toml", `sources = ["S-ILO-FR"]`, `sources = ["S-ILO-FR"]
[[overlap]]
ids = ["fee"]`, []string{"overlap[0]", "two or more"}},
		{"overlap of an unknown indicator", "indicators.toml", `sources = ["S-ILO-FR"]`, `sources = ["S-ILO-FR"]
[[overlap]]
ids = ["fee", "nope"]`, []string{"overlap[0]", `unknown indicator "nope"`}},
		{"overlap of a strong indicator", "indicators.toml", `sources = ["S-ILO-FR"]`, `sources = ["S-ILO-FR"]
[[indicator]]
id = "scam_hub"
code = "A6"
group = "offer"
strength = "strong"
question = "q"
why = "w"
advice = "a"
sources = ["S-UNODC23"]
[[overlap]]
ids = ["fee", "scam_hub"]`, []string{"overlap[0]", `"scam_hub" is strong`}},
		{"indicator in an overlap twice", "indicators.toml", `sources = ["S-ILO-FR"]`, `sources = ["S-ILO-FR"]
[[overlap]]
ids = ["fee", "fee"]`, []string{"overlap[0]", `"fee" is already in an overlap`}},
		{"broken TOML", "indicators.toml", `[[indicator]]`, `[[indicator`,
			[]string{"indicators.toml"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := base()
			old := string(fsys[tc.file].Data)
			if !strings.Contains(old, tc.find) {
				t.Fatalf("test bug: %q not in %s", tc.find, tc.file)
			}
			fsys[tc.file] = &fstest.MapFile{Data: []byte(strings.Replace(old, tc.find, tc.replace, 1))}
			_, err := content.Load(fsys, content.Checker{})
			var le *content.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("want a *LoadError, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadChecksMessageIDs(t *testing.T) {
	known := map[string]bool{"q": true, "w": true, "a": true, "t": true, "done": true, "common.yes": true, "common.no": true, "common.unsure": true}
	_, err := content.Load(base(), content.Checker{Message: func(id string) bool { return known[id] }})
	if err == nil || !strings.Contains(err.Error(), `"country.TH" is not in locales/active.en.toml`) {
		t.Fatalf("want the missing country name reported, got %v", err)
	}
}

func TestContactsFor(t *testing.T) {
	c, err := content.Load(content.Files, content.Checker{})
	if err != nil {
		t.Fatal(err)
	}
	list := c.ContactsFor("TH", "CN")
	var sawLocal, sawEmbassy, sawHome bool
	for _, x := range list {
		if x.Source == "" || x.AsOf == "" {
			t.Errorf("%s has no source or date", x.ID)
		}
		switch {
		case x.Country == "TH" && x.Kind == content.KindTouristPolice:
			sawLocal = true
		case x.Country == "TH" && x.Kind == content.KindEmbassy:
			sawEmbassy = true
			if len(x.Serves) == 0 || x.Serves[0] != "CN" {
				t.Errorf("embassy %s does not serve CN", x.ID)
			}
		case x.Country == "CN" && x.Abroad:
			sawHome = true
		case x.Country == "TH" && (x.Kind == content.KindEmbassy || x.Kind == content.KindConsulate) && !contains(x.Serves, "CN"):
			t.Errorf("another nation's mission %s listed for a Chinese citizen", x.ID)
		}
	}
	if !sawLocal || !sawEmbassy || !sawHome {
		t.Errorf("TH×CN: local=%v embassy=%v home=%v, want all", sawLocal, sawEmbassy, sawHome)
	}
	if got := c.ContactsFor("", ""); len(got) != 0 {
		t.Errorf("no country, no nationality: %d contacts", len(got))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
