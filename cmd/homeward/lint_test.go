package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Warnings alone exit 0; -json is valid JSON with findings and coverage; an
// error in a translation exits 1 and names file and line.
func TestLintOutputs(t *testing.T) {
	code, out, errs := runCmd(t, env(t), "", "lint", "-json")
	if code != 0 {
		t.Fatalf("lint -json of the shipped content: exit %d\n%s%s", code, out, errs)
	}
	var r struct {
		Findings []struct {
			File, Level, Code, Message string
			Line                       int
		}
		Coverage []struct {
			Lang              string
			Translated, Total int
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("lint -json: %v\n%s", err, out)
	}
	if len(r.Coverage) == 0 || r.Coverage[0].Total == 0 {
		t.Errorf("no coverage in %s", out)
	}

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../locales")); err != nil {
		t.Fatal(err)
	}
	shn := filepath.Join(dir, "active.art-x-shn.toml")
	b, err := os.ReadFile(shn)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, "\n[\"contact.hours\"]\nother = \"{{.Hours}} {{.Nom}}\"\n"...)
	if err := os.WriteFile(shn, b, 0o644); err != nil {
		t.Fatal(err)
	}
	line := strings.Count(string(b[:strings.Index(string(b), `["contact.hours"]`)]), "\n") + 1
	code, out, _ = runCmd(t, env(t), "", "lint", "-locales", dir)
	want := shn + ":" + itoa(line) + ": error: contact.hours: {{.Nom}} is not in the English"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("lint of a broken translation: exit %d, want a line %q in\n%s", code, want, out)
	}
	// Without -v, hundreds of untranslated messages are summed up; with -v
	// each has its line.
	if !strings.Contains(out, "more like this (missing)") {
		t.Errorf("missing translations are not summed up:\n%s", out)
	}
	_, outV, _ := runCmd(t, env(t), "", "lint", "-v", "-locales", dir)
	if strings.Count(outV, "is not translated") <= strings.Count(out, "is not translated") {
		t.Errorf("-v does not list more")
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
