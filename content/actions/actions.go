// Package actions holds data that travel check-ins act on and that an NGO
// may edit without writing Go: the time zone of each country (zones.toml).
// The action card itself is built from the contacts in content/contacts and
// from message IDs, so that no phone number lives here.
package actions

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"

	"github.com/BurntSushi/toml"
)

// Files holds the data built into the binary.
//
//go:embed *.toml
var Files embed.FS

var isoRE = regexp.MustCompile(`^[A-Z]{2}$`)

// Zones reads zones.toml: ISO country code → IANA zone name. It checks the
// codes' form; whether each zone exists is checked where time zones are
// loaded (the tests, and the bot at start).
func Zones(fsys fs.FS) (map[string]string, error) {
	var f struct {
		Zones map[string]string `toml:"zones"`
	}
	b, err := fs.ReadFile(fsys, "zones.toml")
	if err != nil {
		return nil, fmt.Errorf("reading zones: %w", err)
	}
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		return nil, fmt.Errorf("zones.toml: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("zones.toml: unknown key %s", und[0])
	}
	for code, zone := range f.Zones {
		if !isoRE.MatchString(code) || zone == "" {
			return nil, fmt.Errorf("zones.toml: %q = %q: want an ISO country code and a zone name", code, zone)
		}
	}
	return f.Zones, nil
}
