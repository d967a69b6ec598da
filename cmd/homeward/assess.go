package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/offer"
	"github.com/homeward-ngo/homeward/content"
	"github.com/homeward-ngo/homeward/locales"
)

// maxAssess is the most text assess reads: an offer is a few kilobytes; a
// megabyte is a file that is not one offer.
const maxAssess = 1 << 20

var langFlagRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]+)?$`)

// assessJSON is what assess --json prints.
type assessJSON struct {
	Risk  string     `json:"risk"`
	Flags []flagJSON `json:"flags"`
	Lang  string     `json:"lang"`
}

type flagJSON struct {
	ID      string `json:"id"`
	Snippet string `json:"snippet"`
}

// cmdAssess reads one offer from a file or stdin and prints its red flags
// and grade: exit 0 whatever the grade, 2 when the input cannot be read as
// the text of an offer.
func cmdAssess(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("assess", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var src sources
	src.flags(fl)
	lang := fl.String("lang", "", "the offer's language (zh, en, th, vi, id, my, km…); detected when empty")
	asJSON := fl.Bool("json", false, `print {"risk":…,"flags":[{"id":…,"snippet":…}],"lang":…}`)
	fl.Usage = func() {
		fmt.Fprint(stderr, "usage: homeward assess [--lang L] [--json] [-content DIR] [-locales DIR] [FILE|-]\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 1 {
		fl.Usage()
		return 2
	}
	if *lang != "" && !langFlagRE.MatchString(*lang) {
		fmt.Fprintf(stderr, "homeward assess: --lang %q is not a language tag such as zh or th\n", *lang)
		return 2
	}
	name := "-"
	if fl.NArg() == 1 {
		name = fl.Arg(0)
	}
	text, truncated, err := readOffer(name, stdin)
	if err != nil {
		fmt.Fprintln(stderr, "homeward assess:", err)
		return 2
	}
	if truncated {
		fmt.Fprintf(stderr, "homeward assess: the input is larger than %d bytes; only the first %d were read\n", maxAssess, maxAssess)
	}

	assets, err := loadAssets(src, nil)
	if err != nil {
		fmt.Fprintln(stderr, "homeward assess:", err)
		return 1
	}
	found, detected := assets.Reader.Read(text)
	if *lang != "" {
		detected = *lang
	}
	a := offer.GradeFound(assets.Content, found)

	if *asJSON {
		out := assessJSON{Risk: string(a.Risk), Flags: []flagJSON{}, Lang: detected}
		for _, f := range found {
			out.Flags = append(out.Flags, flagJSON{ID: f.ID, Snippet: f.Snippet})
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "homeward assess: writing the result:", err)
			return 1
		}
		return 0
	}
	writeReport(stdout, assets, a, found, detected, *lang != "")
	return 0
}

// readOffer reads at most maxAssess bytes of the offer from a file, or from
// stdin for "-". It refuses what is not text: nothing at all, NUL bytes, or
// bytes that are not UTF-8.
func readOffer(name string, stdin io.Reader) (text string, truncated bool, err error) {
	in := stdin
	what := "standard input"
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", false, fmt.Errorf("opening the offer: %w", err)
		}
		defer f.Close()
		in, what = f, name
	}
	b, err := io.ReadAll(io.LimitReader(in, maxAssess+1))
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", what, err)
	}
	if len(b) > maxAssess {
		b, truncated = b[:maxAssess], true
		// Do not cut a character in two.
		for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return "", false, errors.New(what + " is empty: give the text of one job offer")
	case bytes.IndexByte(b, 0) >= 0:
		return "", false, errors.New(what + " looks binary (it has NUL bytes): give the text of the offer, not a document or image file")
	case !utf8.Valid(b):
		return "", false, errors.New(what + " is not UTF-8 text: save the offer as plain UTF-8 text")
	}
	return string(b), truncated, nil
}

// writeReport writes the plain report for a caseworker, in English.
func writeReport(w io.Writer, assets bot.Assets, a offer.Assessment, found []offer.Found, lang string, given bool) {
	c, cat := assets.Content, assets.Text
	text := func(id string) string { return bot.PlainText(cat.Text(locales.Source, id, nil)) }
	fmt.Fprintf(w, "Risk: %s\n", strings.ToUpper(string(a.Risk)))
	fmt.Fprintln(w, text("offer.result."+string(a.Risk)))
	switch {
	case lang == "":
		fmt.Fprintln(w, "Language: not recognised (every pattern set was tried)")
	case given:
		fmt.Fprintf(w, "Language: %s (as given)\n", lang)
	default:
		fmt.Fprintf(w, "Language: %s (detected)\n", lang)
	}
	fmt.Fprintln(w)
	if len(found) == 0 {
		fmt.Fprintln(w, "No red flags were found in the text.")
	} else {
		fmt.Fprintf(w, "Red flags found in the text (%d):\n", len(found))
		for _, f := range found {
			ind := c.Indicator(f.ID)
			fmt.Fprintf(w, "\n• %s (%s, %s) — “%s”\n", f.ID, ind.Code, ind.Strength, f.Snippet)
			fmt.Fprintf(w, "  %s\n", text(ind.Why))
		}
	}
	for _, cb := range a.Combos {
		fmt.Fprintf(w, "\nTogether: %s + %s — %s\n", strings.Join(cb.All, " + "), strings.Join(cb.AnyOf, " or "), text(cb.Reason))
	}
	raised := map[string]bool{}
	for _, f := range found {
		raised[f.ID] = true
	}
	fmt.Fprintln(w, "\nNot answered by the text — ask the person (each is a strong sign on its own):")
	for _, ind := range c.Indicators {
		if ind.Strength == content.Strong && !raised[ind.ID] && ind.Group != "destination" {
			fmt.Fprintf(w, "• %s\n", text(ind.Question))
		}
	}
	fmt.Fprintln(w, "\n"+text("offer.not_checked"))
	fmt.Fprintln(w, "A text can only show what it says: a low grade is not proof that the offer is safe.")
}
