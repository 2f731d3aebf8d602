package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"testing"
)

// TestFyneDoOnlyInBridge: widgets are touched from other goroutines only
// through ui/bridge, so fyne.Do and fyne.DoAndWait appear nowhere else in
// the ui tree, tests included. A call through another import name counts
// too.
func TestFyneDoOnlyInBridge(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == "bridge" || d.Name() == "testdata" {
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
				t.Errorf("%s: fyne.%s outside ui/bridge; use the window's bridge (bridge.Load, Do, Stream)",
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
