// Package rules checks, from the sources alone, the rules that keep ui/ a
// shell plus one package per screen. It has no code of its own.
package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFyneDoOnlyInBridge: widgets are touched from other goroutines only
// through ui/bridge, so fyne.Do and fyne.DoAndWait appear nowhere else in
// the ui tree, tests included. A call through another import name counts
// too.
func TestFyneDoOnlyInBridge(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(uiDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == filepath.Join(uiDir, "bridge") || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(path) != ".go" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		fyneNames := map[string]bool{}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "fyne.io/fyne/v2" {
				name := "fyne"
				if imp.Name != nil {
					name = imp.Name.Name
				}
				fyneNames[name] = true
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Do" && sel.Sel.Name != "DoAndWait") {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && fyneNames[id.Name] {
				t.Errorf("%s: fyne.%s outside ui/bridge; use the window's bridge (its Load, Do, Stream)",
					fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Fatalf("scanned only %d files: the test runs from the wrong directory", files)
	}
}

// uiDir is the ui tree, from this package's directory.
var uiDir = filepath.Join("..", "..")

// module is the import path of the repository.
const module = "codeberg.org/shopledger/shopledger/"

// shared are the ui packages a screen may import besides core packages.
var shared = map[string]bool{
	module + "ui/bridge":  true,
	module + "ui/i18n":    true,
	module + "ui/widgets": true,
}

// TestScreenImports: a screen package imports only the standard library,
// Fyne and other libraries, core packages and ui's shared packages
// (bridge, i18n, widgets) — never the shell or another screen; its tests
// may add ui/internal/uitest. The shared packages import no screen.
func TestScreenImports(t *testing.T) {
	entries, err := os.ReadDir(uiDir)
	if err != nil {
		t.Fatal(err)
	}
	screens := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "internal" || e.Name() == "testdata" || e.Name() == "translations" {
			continue
		}
		pkg := module + "ui/" + e.Name()
		if !shared[pkg] {
			screens++
		}
		dir := filepath.Join(uiDir, e.Name())
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				switch {
				case !strings.HasPrefix(p, module):
				case strings.HasPrefix(p, module+"core/"), p == module+"internal/posixlocale", shared[p]:
				case p == module+"ui/internal/uitest" && strings.HasSuffix(name, "_test.go"):
				default:
					t.Errorf("%s imports %s: a screen imports only core, ui/bridge, ui/i18n and ui/widgets", name, p)
				}
			}
		}
	}
	if screens < 3 {
		t.Fatalf("found %d screen packages: the test looks in the wrong place", screens)
	}
}
