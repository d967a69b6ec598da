package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// lure is written for these tests from research/facts.md (A1–A4, C1, D3,
// B6), not taken from the corpus.
const lure = "Hiring now! Customer service, typing only, no experience needed. Salary US$1,500 a month, " +
	"free air ticket, food and accommodation. Our driver picks you up at Suvarnabhumi and takes you to Mae Sot. " +
	"Please give your passport to the driver. Don't tell anyone about this job."

func TestAssessJSON(t *testing.T) {
	file := filepath.Join(t.TempDir(), "offer.txt")
	if err := os.WriteFile(file, []byte(lure), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"assess", "--json", file}, {"assess", "-json", "-"}} {
		code, out, errs := runCmd(t, env(t), lure, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %s", args, code, errs)
		}
		var got struct {
			Risk  string `json:"risk"`
			Flags []struct {
				ID      string `json:"id"`
				Snippet string `json:"snippet"`
			} `json:"flags"`
			Lang string `json:"lang"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, out)
		}
		if got.Risk != "high" || got.Lang != "en" {
			t.Errorf("%v: risk %q lang %q, want high en", args, got.Risk, got.Lang)
		}
		var ids []string
		for _, f := range got.Flags {
			ids = append(ids, f.ID)
			if f.Snippet == "" || !strings.Contains(lure, f.Snippet) {
				t.Errorf("%v: snippet %q of %s is not a piece of the offer", args, f.Snippet, f.ID)
			}
		}
		for _, want := range []string{"high_pay", "no_skills", "abused_role", "all_paid", "border_ride", "passport", "secrecy"} {
			if !slices.Contains(ids, want) {
				t.Errorf("%v: %s not found; found %v", args, want, ids)
			}
		}
	}
}

func TestAssessJSONLowHasEmptyFlagsAndGivenLang(t *testing.T) {
	code, out, errs := runCmd(t, env(t), "Bakery in Hanoi seeks a baker. Apply at the shop.", "assess", "--json", "--lang", "vi")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.TrimSpace(out) != `{"risk":"low","flags":[],"lang":"vi"}` {
		t.Errorf("got %s", out)
	}
}

func TestAssessReport(t *testing.T) {
	code, out, errs := runCmd(t, env(t), lure, "assess")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Risk: HIGH", "Language: en (detected)", "border_ride (C1, strong)", "“", "Mae Sot",
		"Not answered by the text", "not proof that the offer is safe"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<b>") {
		t.Errorf("report has HTML tags:\n%s", out)
	}
	// A low grade still says what was not checked, and never "safe".
	code, out, _ = runCmd(t, env(t), "Bakery in Hanoi seeks a baker. Apply at the shop.", "assess")
	if code != 0 || !strings.Contains(out, "Risk: LOW") || !strings.Contains(out, "I did not check") {
		t.Errorf("exit %d, low report:\n%s", code, out)
	}
}

func TestAssessUnreadableInput(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.txt")
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"empty", "", []string{"assess"}, "empty"},
		{"blank", " \n\t\n", []string{"assess", "-"}, "empty"},
		{"nul", "offer\x00text", []string{"assess"}, "binary"},
		{"not utf-8", "gaji \xff\xfe besar", []string{"assess"}, "not UTF-8"},
		{"missing file", "", []string{"assess", missing}, "opening the offer"},
		{"two files", "", []string{"assess", "a", "b"}, "usage"},
		{"bad lang", "text", []string{"assess", "--lang", "../x"}, "--lang"},
		{"bad flag", "text", []string{"assess", "--nope"}, "nope"},
	}
	for _, c := range cases {
		code, out, errs := runCmd(t, env(t), c.stdin, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", c.name, code, out, errs, c.want)
		}
	}
}

func TestAssessReadsTheFirstMegabyte(t *testing.T) {
	// The lure, then filler past 1 MB: the lure is read, the rest is not,
	// and the person is told.
	big := lure + "\n" + strings.Repeat("Thank you for reading. ", maxAssess/20)
	code, out, errs := runCmd(t, env(t), big, "assess", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "only the first") {
		t.Errorf("stderr does not say the input was cut: %q", errs)
	}
	if !strings.Contains(out, `"risk":"high"`) {
		t.Errorf("got %s", out)
	}
	// A multi-byte character cut at the limit is dropped, not an error.
	thai := strings.Repeat("ก", maxAssess/3+1) // 3 bytes each; the limit falls inside one
	if code, _, errs := runCmd(t, env(t), thai, "assess", "--json"); code != 0 {
		t.Errorf("exit %d: %s", code, errs)
	}
}
