package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// env returns a getenv over a map, with the data file in a temporary folder.
func env(t *testing.T, kv ...string) func(string) string {
	m := map[string]string{"HOMEWARD_DATA": filepath.Join(t.TempDir(), "homeward.db")}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func runCmd(t *testing.T, getenv func(string) string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// The README's scripted console: piped input is read to its end, every reply
// is printed, and the exit code is 0.
func TestConsoleFromAPipe(t *testing.T) {
	code, out, errs := runCmd(t, env(t, "LANG", "en_US.UTF-8"), "/start\n1\n1\n1\n")
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errs)
	}
	for _, want := range []string{"What would you like to do?", "[1] 🔍 Check a job offer", "In which country is the job?", "What is your nationality?", "KK Park, Shwe Kokko"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A chat survives a restart: the second run continues where the first
// stopped, from the same data file.
func TestConsoleKeepsStateAcrossRuns(t *testing.T) {
	getenv := env(t, "LANG", "en_US.UTF-8")
	if code, _, errs := runCmd(t, getenv, "/start\n1\n"); code != 0 {
		t.Fatal(errs)
	}
	_, out, _ := runCmd(t, getenv, "1\n")
	if !strings.Contains(out, "What is your nationality?") {
		t.Errorf("second run did not continue the offer check:\n%s", out)
	}
}

func TestConsoleKindRepliesToBadInput(t *testing.T) {
	_, out, _ := runCmd(t, env(t, "LANG", "en_US.UTF-8"), "/start\n/frobnicate\n99\nhello\n")
	for _, want := range []string{"I don't know that command", "Please answer with one of the buttons"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBackupAndVersion(t *testing.T) {
	getenv := env(t)
	if code, _, errs := runCmd(t, getenv, "/start\n"); code != 0 {
		t.Fatal(errs)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	code, out, errs := runCmd(t, getenv, "", "backup", dst)
	if code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("backup: exit %d, out %q, err %q", code, out, errs)
	}
	if st, err := os.Stat(dst); err != nil || st.Size() == 0 {
		t.Errorf("backup file: %v", err)
	}
	if code, _, errs := runCmd(t, getenv, "", "backup"); code != 2 || !strings.Contains(errs, "usage") {
		t.Errorf("backup without a file: exit %d, %q", code, errs)
	}
	if code, out, _ := runCmd(t, getenv, "", "version"); code != 0 || !strings.HasPrefix(out, "homeward ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errs := runCmd(t, getenv, "", "nonsense"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
}

func TestLint(t *testing.T) {
	if code, out, _ := runCmd(t, env(t), "", "lint"); code != 0 {
		t.Fatalf("lint of the shipped content: exit %d\n%s", code, out)
	}
	// A copy of the content with one broken contact: exit 1, file and key named.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	th := filepath.Join(dir, "contacts", "TH.toml")
	b, err := os.ReadFile(th)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(b), "source = ", "# source = ", 1)
	if err := os.WriteFile(th, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, env(t), "", "lint", "-content", dir)
	if code != 1 || !strings.Contains(out, "contacts/TH.toml") || !strings.Contains(out, "source is required") {
		t.Errorf("lint of a contact without a source: exit %d\n%s", code, out)
	}
}

func TestSecondProcessFailsFast(t *testing.T) {
	getenv := env(t)
	code, _, _ := runCmd(t, getenv, "/start\n")
	if code != 0 {
		t.Fatal("first run failed")
	}
	// Hold the file open as a running bot would.
	a, err := openApp(sources{}, getenv, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	code, _, errs := runCmd(t, getenv, "/start\n")
	if code != 1 || !strings.Contains(errs, "another Homeward process") {
		t.Errorf("second process: exit %d, %q", code, errs)
	}
}
