package bot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/homeward-ngo/homeward/locales"
)

// TestMessageIDsListed keeps goMessages true to the code, both ways: every
// message ID written as a string literal in this package's Go files is
// listed, every ID a Say/Ask/Text/Notice call is given literally exists in
// English, and every listed ID is still written somewhere and still exists.
func TestMessageIDsListed(t *testing.T) {
	cat, err := locales.Load(locales.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	english := cat.IDs(locales.Source)
	isID := func(s string) bool { _, ok := slices.BinarySearch(english, s); return ok }
	isPrefix := func(s string) bool {
		if !strings.HasSuffix(s, ".") {
			return false
		}
		return slices.ContainsFunc(english, func(id string) bool { return strings.HasPrefix(id, s) })
	}

	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	outside := map[string]bool{} // every literal outside messages.go
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					return true
				}
				if name != "messages.go" {
					outside[s] = true
				}
				if isID(s) || isPrefix(s) {
					if name != "messages.go" && !UsesMessage(s) && !slices.Contains(goMessages, s) {
						t.Errorf("%s: message %q is not listed in goMessages (bot/messages.go): add it", fset.Position(n.Pos()), s)
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				arg := -1
				switch sel.Sel.Name {
				case "Say", "Ask", "Text", "Notice":
					arg = 0
				case "TextIn":
					arg = 1
				}
				if arg < 0 || len(n.Args) <= arg {
					return true
				}
				lit, ok := n.Args[arg].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && !isID(s) {
					t.Errorf("%s: %s(%q): no such message in locales/active.en.toml", fset.Position(lit.Pos()), sel.Sel.Name, s)
				}
			}
			return true
		})
	}
	// The other way: nothing listed that English no longer has, or that no
	// Go file outside messages.go writes any more.
	for _, id := range goMessages {
		if !isID(id) && !isPrefix(id) {
			t.Errorf("goMessages lists %q, which is not in locales/active.en.toml", id)
		}
	}
	for _, id := range goMessages {
		if !outside[id] {
			t.Errorf("goMessages lists %q, but no Go file of the package writes it: remove it", id)
		}
	}
	for _, id := range goButtonMessages {
		if !slices.Contains(goMessages, id) {
			t.Errorf("goButtonMessages lists %q, which goMessages does not", id)
		}
	}
}
