package preview_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/boltstore/storetest"
	"github.com/homeward-ngo/homeward/bot/preview"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

func TestSafeHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<b>Bold</b> and <i>it</i>", "<b>Bold</b> and <i>it</i>"},
		{"a &lt; b &amp; c", "a &lt; b &amp; c"},
		{`<script>alert(1)</script>`, "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{`<b onclick="x()">hi</b>`, `&lt;b onclick=&#34;x()&#34;&gt;hi&lt;/b&gt;`},
		{`<a href="javascript:alert(1)">link</a>`, "link"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"1 < 2", "1 &lt; 2"},
		{"“quoted” & ๑๒", "“quoted” &amp; ๑๒"},
		{"<b>open", "<b>open</b>"},
		{"<b><i>x</b></i>", "<b><i>x&lt;/b&gt;</i></b>"},
	} {
		if got := preview.SafeHTML(tc.in); got != tc.want {
			t.Errorf("SafeHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func loader(t *testing.T) func() (bot.Assets, error) {
	return func() (bot.Assets, error) { return bot.LoadAssets(content.Files, locales.Files, nil) }
}

// The API without a browser: /start gives the picker with its IDs and
// buttons; a press shows its label; a restart is a new person.
func TestAPI(t *testing.T) {
	s, err := preview.New(preview.Config{Store: storetest.Open(t), Load: loader(t)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	post := func(path, body string) int {
		resp, err := http.Post(ts.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	state := func(after int) preview.State {
		resp, err := http.Get(ts.URL + "/api/messages?after=" + itoa(after))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var st preview.State
		if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	if code := post("/api/send", `{"text":"/start"}`); code != 200 {
		t.Fatalf("send: %d", code)
	}
	st := state(0)
	if len(st.Items) != 2 || st.Items[1].From != "bot" || st.Items[1].IDs[0] != "language.pick" || len(st.Items[1].Buttons) == 0 {
		t.Fatalf("after /start: %+v", st.Items)
	}
	if len(st.Languages) == 0 || st.Languages[0].Tag != "en" {
		t.Errorf("languages: %+v", st.Languages)
	}
	if code := post("/api/send", `{"data":"l.en"}`); code != 200 {
		t.Fatalf("press: %d", code)
	}
	st = state(2)
	if len(st.Items) < 2 || st.Items[0].HTML != "<i>pressed</i> English" || !strings.Contains(strings.Join(st.Items[1].IDs, " "), "welcome") {
		t.Errorf("after the press: %+v", st.Items)
	}
	if code := post("/api/send", `{}`); code != 400 {
		t.Errorf("an empty send: %d", code)
	}
	if code := post("/api/restart", ``); code != 200 {
		t.Errorf("restart: %d", code)
	}
	n := len(state(0).Items)
	post("/api/send", `{"text":"hello"}`)
	st = state(n)
	if len(st.Items) < 2 || st.Items[1].IDs[0] != "language.pick" {
		t.Errorf("a new chat is not greeted as new: %+v", st.Items)
	}
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/html") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("page: %d %q", resp.StatusCode, ct)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
