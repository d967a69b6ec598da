package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/homeward-ngo/homeward/bot"
	"github.com/homeward-ngo/homeward/bot/lint"
	"github.com/homeward-ngo/homeward/bot/telegram"
	"github.com/homeward-ngo/homeward/bot/wechat"
	"github.com/homeward-ngo/homeward/locales"
)

// groupAbove is how many findings of one kind in one file are printed before
// the rest are summed up in one line (all of them with -v or -json).
const groupAbove = 5

// grouped are the kinds of findings that come by the hundred for a language
// being translated, and are summed up unless -v is given.
var grouped = []string{lint.CodeMissing, lint.CodeUnverified, lint.CodeSameAsEnglish, lint.CodeUnused}

// cmdLint checks content and locales and lists every problem as
// file:line: level: message, or as JSON. It exits 1 on errors only.
func cmdLint(args []string, env envFunc, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("lint", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var src sources
	src.flags(fl)
	asJSON := fl.Bool("json", false, "print the findings and coverage as JSON, for tools")
	verbose := fl.Bool("v", false, "list every finding, also of kinds that are summed up")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	cfs, lfs, err := src.fs()
	if err != nil {
		fmt.Fprintln(stderr, "homeward lint:", err)
		return 2
	}
	o := lint.Options{
		Content: cfs, Locales: lfs,
		ContentDir: "content", LocalesDir: "locales",
		CodeIDs:   slices.Concat(bot.MessageIDs(), locales.MessageIDs(), telegram.MessageIDs(), wechat.MessageIDs()),
		ButtonIDs: bot.ButtonMessageIDs(),
	}
	if src.content != "" {
		o.ContentDir = src.content
	}
	if src.locales != "" {
		o.LocalesDir = src.locales
	}
	r := lint.Run(o)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(stderr, "homeward lint:", err)
			return 2
		}
	} else {
		printFindings(stdout, r, *verbose)
	}
	if r.Count(lint.Error) > 0 {
		return 1
	}
	return 0
}

// printFindings writes the findings, the coverage of every language and a
// count.
func printFindings(w io.Writer, r *lint.Report, verbose bool) {
	type key struct{ file, code string }
	total := map[key]int{}
	for _, f := range r.Findings {
		total[key{f.File, f.Code}]++
	}
	shown := map[key]int{}
	for _, f := range r.Findings {
		k := key{f.File, f.Code}
		if !verbose && slices.Contains(grouped, f.Code) && total[k] > groupAbove {
			shown[k]++
			switch {
			case shown[k] <= groupAbove-1:
			case shown[k] == groupAbove:
				fmt.Fprintf(w, "%s: %s: … and %d more like this (%s); homeward lint -v lists them all\n", f.File, f.Level, total[k]-groupAbove+1, f.Code)
				continue
			default:
				continue
			}
		}
		fmt.Fprintln(w, f)
	}
	if len(r.Coverage) > 0 {
		fmt.Fprintln(w, "\ntranslations (of English):")
		for _, c := range r.Coverage {
			fmt.Fprintf(w, "  %-10s %-8s %4d/%d translated", c.Lang, c.Status, c.Translated, c.Total)
			if c.Stale > 0 {
				fmt.Fprintf(w, ", %d stale", c.Stale)
			}
			if c.Unverified > 0 {
				fmt.Fprintf(w, ", %d unverified", c.Unverified)
			}
			fmt.Fprintln(w)
		}
	}
	e, wn := r.Count(lint.Error), r.Count(lint.Warning)
	if e == 0 && wn == 0 {
		fmt.Fprintln(w, "no problems found")
		return
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s)\n", e, wn)
}
