package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/homeward-ngo/homeward/locales"
)

// chromium returns the path of a Chromium binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless Chromium with a fresh profile, flags as the
// machine notes require (no network of its own: only the page on loopback).
func browser(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Skip("no chromium binary found: install Debian's chromium (apt-get install chromium); .ci/run does")
	}
	actx, cancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(720, 1280),
	)
	t.Cleanup(cancel)
	bctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	return bctx
}

// copyDir copies a folder of the repository into a temporary one the test
// may edit.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// botCount is the JavaScript that counts the bot's messages on the page.
const botCount = `document.querySelectorAll('.msg.bot').length`

// clickAndWait clicks the element matched by the CSS selector sel with the
// mouse and waits until the bot has answered with at least one more message.
func clickAndWait(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		n, err := chromedp.Evaluate[int](botCount)(ctx, t)
		if err != nil {
			return chromedp.Void{}, err
		}
		if _, err := chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)(ctx, t); err != nil {
			return chromedp.Void{}, fmt.Errorf("clicking %s: %w", sel, err)
		}
		_, err = chromedp.Poll[chromedp.Void](fmt.Sprintf("%s > %d", botCount, n), chromedp.WithPollingInterval(50*time.Millisecond))(ctx, t)
		return chromedp.Void{}, err
	}
}

// poll waits until a JavaScript expression is true.
func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))
}

// markFirstButton gives the first button of the last bot message that has
// buttons the id "next", and returns its data.
const markFirstButton = `(() => {
  const old = document.getElementById('next'); if (old) old.removeAttribute('id');
  const ms = [...document.querySelectorAll('.msg.bot')].reverse();
  const m = ms.find(m => m.querySelector('.btn'));
  if (!m) return '';
  const b = m.querySelector('.btn');
  b.id = 'next';
  return b.dataset.data;
})()`

// resultIDs returns the data-ids of the offer result message, or "".
const resultIDs = `(() => { const m = [...document.querySelectorAll('.msg.bot')].find(m => (m.dataset.ids || '').includes('offer.result.')); return m ? m.dataset.ids + '\n' + m.innerText : ''; })()`

// A whole offer check in the browser, by clicking, in Thai (or Simplified
// Chinese while Thai has not landed), then a switch to Chinese from the
// header, an edit that breaks the content and one that changes a text, each
// shown by the running page; and a screenshot.
func TestPreviewInChromium(t *testing.T) {
	if chromium() == "" {
		t.Skip("no chromium binary found: install Debian's chromium (apt-get install chromium); .ci/run does")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	src := sources{content: copyDir(t, "../../content"), locales: copyDir(t, "../../locales")}
	cat, err := locales.Load(os.DirFS(src.locales), nil)
	if err != nil {
		t.Fatal(err)
	}
	lang, script := "zh-Hans", regexp.MustCompile(`\p{Han}`)
	if cat.Has("th") {
		lang, script = "th", regexp.MustCompile(`\p{Thai}`)
	}
	pctx, stopPreview := context.WithCancel(ctx)
	p, err := startPreview(pctx, src, "127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopPreview()
		if err := p.wait(); err != nil {
			t.Errorf("preview shutdown: %v", err)
		}
	}()
	b := browser(t, ctx)
	url := "http://" + p.addr + "/"

	// The page greets with the language picker; pick the language by its
	// button, then start the offer check from the main menu.
	err = chromedp.Do(b,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`.msg.bot .btn[data-data="l.`+lang+`"]`)),
		clickAndWait(`.msg.bot .btn[data-data="l.`+lang+`"]`),
		chromedp.WaitVisible(chromedp.CSS(`.btn[data-data$=".menu.offer"]`)),
		clickAndWait(`.btn[data-data$=".menu.offer"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Answer every question with its first button until the result comes.
	var result string
	for i := 0; ; i++ {
		if result, err = chromedp.Run(b, chromedp.Evaluate[string](resultIDs)); err != nil {
			t.Fatal(err)
		}
		if result != "" {
			break
		}
		if i == 40 {
			t.Fatal("no offer result after 40 presses")
		}
		if data, err := chromedp.Run(b, chromedp.Evaluate[string](markFirstButton)); err != nil || data == "" {
			t.Fatalf("no button to press (%v)", err)
		}
		if err := chromedp.Do(b, clickAndWait("#next")); err != nil {
			t.Fatal(err)
		}
	}
	ids, text, _ := strings.Cut(result, "\n")
	if !strings.Contains(ids, "offer.result.high") {
		t.Errorf("answering yes to everything gave %q", ids)
	}
	if !script.MatchString(text) {
		t.Errorf("the result is not in %s:\n%s", lang, text)
	}

	// Switch to Chinese from the header's language switch: exactly one
	// press.
	zhSet := plainText(cat, "zh-Hans", "language.set")
	err = chromedp.Do(b,
		chromedp.SetValue(chromedp.ID("lang"), "zh-Hans"), // sets the value and fires change, as a person's choice does
		poll(fmt.Sprintf(`[...document.querySelectorAll('.msg.bot[data-ids~="language.set"] .text')].some(e => e.innerText.includes(%q))`, zhSet)),
	)
	if err != nil {
		t.Fatalf("switching to Chinese: %v", err)
	}
	if n, err := chromedp.Run(b, chromedp.Evaluate[int](`[...document.querySelectorAll('.msg.you')].filter(e => e.innerText.includes('简体中文')).length`)); err != nil || n != 1 {
		t.Errorf("the switch pressed %d times (%v)", n, err)
	}
	png, err := chromedp.Run(b, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(t.TempDir(), "preview.png")
	if dir := os.Getenv("HOMEWARD_SCREENSHOTS"); dir != "" {
		shot = filepath.Join(dir, "preview.png") // to look at it
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))

	// An edit that breaks a flow: the page lists the problem, the chat goes
	// on with the last good files.
	mainFlow := filepath.Join(src.content, "flows", "main.toml")
	good, err := os.ReadFile(mainFlow)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mainFlow, []byte(strings.Replace(string(good), `start = "menu"`, `start = "nowhere"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(b, poll(`document.getElementById('problems').classList.contains('on') && document.getElementById('problems').innerText.includes('nowhere')`))
	if err != nil {
		t.Fatalf("the page does not show the broken flow: %v", err)
	}
	// A text changed, then the flow mended: once the page shows no problem,
	// the next message uses the new text.
	zhFile := filepath.Join(src.locales, "active.zh-Hans.toml")
	zh, err := os.ReadFile(zhFile)
	if err != nil {
		t.Fatal(err)
	}
	old := plainText(cat, "zh-Hans", "welcome")
	const mark = "【刚刚改过】"
	if err := os.WriteFile(zhFile, []byte(strings.Replace(string(zh), old, old+mark, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mainFlow, good, 0o644); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(b,
		poll(`!document.getElementById('problems').classList.contains('on')`),
		chromedp.SendKeys(chromedp.ID("text"), "/start"),
		clickAndWait("#form button"),
		poll(fmt.Sprintf(`[...document.querySelectorAll('.msg.bot .text')].some(e => e.innerText.includes(%q))`, mark)),
	)
	if err != nil {
		t.Fatalf("an edited text does not show: %v", err)
	}
}

// plainText renders a message as plain text, as the page shows it.
func plainText(cat *locales.Catalog, lang, id string) string {
	return strings.TrimSpace(cat.Text(lang, id, nil))
}
