package wechat

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/homeward-ngo/homeward/locales"
)

// Every message ID the package renders is listed in messages and defined
// in English, and every English "wechat." message is rendered.
func TestMessageIDs(t *testing.T) {
	cat, err := locales.Load(locales.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	listed := MessageIDs()
	covers := func(id string) bool {
		for _, l := range listed {
			if l == id || (strings.HasSuffix(l, ".") && strings.HasPrefix(id, l)) {
				return true
			}
		}
		return false
	}
	idRE := regexp.MustCompile(`"(wechat\.[a-z_.]+)"`)
	for _, file := range []string{"channel.go", "handoff.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range idRE.FindAllStringSubmatch(string(src), -1) {
			if !covers(m[1]) {
				t.Errorf("%s renders %s, which messages does not list", file, m[1])
			}
			if !strings.HasSuffix(m[1], ".") && !cat.Defined(locales.Source, m[1]) {
				t.Errorf("%s renders %s, which English does not define", file, m[1])
			}
		}
	}
	for risk := range risks {
		if !cat.Defined(locales.Source, "wechat.landed."+risk) {
			t.Errorf("wechat.landed.%s is not defined in English", risk)
		}
	}
	for _, id := range cat.IDs(locales.Source) {
		if strings.HasPrefix(id, "wechat.") && !covers(id) {
			t.Errorf("English defines %s, which nothing renders", id)
		}
	}
}
