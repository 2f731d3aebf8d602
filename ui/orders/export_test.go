package orders

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// exportThroughDialogs opens the Export dialog, lets set choose its
// options, confirms it and the file save dialog (whose folder is dir and
// whose file name is the default), runs the export and returns the dialog.
func exportThroughDialogs(t *testing.T, p *Page, s *shell, j *uitest.Jobs, dir string, set func(*orderExport)) *orderExport {
	t.Helper()
	p.prefs.setExportDir(dir)
	test.Tap(p.export)
	x := p.exporter
	if x == nil || x.choose.Disabled() {
		t.Fatal("the Export dialog did not open, or offers nothing to export")
	}
	set(x)
	test.Tap(x.choose)
	save := buttonOnTop(t, s, "Export")
	test.Tap(save)
	j.Drain(t)
	return x
}

// buttonOnTop finds the button labelled text in the topmost overlay (a
// dialog) of the window.
func buttonOnTop(t *testing.T, s *shell, text string) *widget.Button {
	t.Helper()
	top := s.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("the open dialog has no %q button", text)
	return nil
}

// TestExportXLSXWithFilter exports the list under a shop and a status
// filter to a workbook, through the real save dialog: both sheets hold
// exactly the filtered orders, and nothing else is left in the folder.
func TestExportXLSXWithFilter(t *testing.T) {
	b, p, s, j := twoShops(t)
	outlet := p.shops[1]
	all := storeOrders(t, b, store.OrderFilter{Shop: outlet.ID})
	status := all[0].Status
	p.shop.SetSelected(outlet.Name)
	p.statuses.check.SetSelected([]string{i18n.StatusName(status)})
	j.Drain(t)
	want := storeOrders(t, b, store.OrderFilter{Shop: outlet.ID, Status: status})
	if len(want) == 0 || len(want) == outletOrders {
		t.Fatalf("the filter keeps %d of %d orders: not a test of filtering", len(want), outletOrders)
	}

	dir := t.TempDir()
	x := exportThroughDialogs(t, p, s, j, dir, func(x *orderExport) {
		x.format.SetSelected(formatChoices()[0])
	})
	path := filepath.Join(dir, "orders-2026-11-27.xlsx")
	if !x.resultOK || x.result != "Exported "+fmt.Sprint(len(want))+" orders to "+path {
		t.Fatalf("export said %q", x.result)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Orders", "Lines"}) {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("Orders")
	// Each sheet ends with the totals the footer shows (on by default).
	rows = exportTotals(t, f, "Orders", rows, p.totals.shown)
	if len(rows) != len(want)+1 {
		t.Fatalf("Orders sheet has %d rows, want %d and a header", len(rows)-1, len(want))
	}
	numbers := map[string]bool{}
	for i, o := range want {
		r := rows[i+1]
		if r[0] != outlet.Name || r[3] != o.Number || r[5] != string(status) {
			t.Errorf("row %d is %v, want order %s of %s, %s", i+1, r[:6], o.Number, outlet.Name, status)
		}
		numbers[o.Number] = true
	}
	lines, _ := f.GetRows("Lines")
	lines = exportTotals(t, f, "Lines", lines, p.totals.shown)
	wantLines := 0
	for _, o := range want {
		wantLines += len(o.Lines) + len(o.ShippingLines) + len(o.FeeLines)
	}
	if len(lines)-1 != wantLines {
		t.Errorf("Lines sheet has %d rows, want %d", len(lines)-1, wantLines)
	}
	for _, r := range lines[1:] {
		if !numbers[r[3]] {
			t.Fatalf("Lines sheet has a line of order %s, which the filter leaves out", r[3])
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the export", len(entries))
	}
}

// TestExportCSVAppliesTheSearch exports what a search found, as CSV with
// ';' and a byte order mark: exactly the rows the list shows.
func TestExportCSVAppliesTheSearch(t *testing.T) {
	b, p, s, j := twoShops(t)
	o := storeOrders(t, b, store.OrderFilter{})[5]
	uitest.TypeInto(p.Search, o.Billing.LastName)
	j.Drain(t)
	shown := listed(t, p, j)
	if len(shown) == 0 || len(shown) == demoOrders+outletOrders {
		t.Fatalf("the search lists %d orders", len(shown))
	}

	dir := t.TempDir()
	x := exportThroughDialogs(t, p, s, j, dir, func(x *orderExport) {
		x.format.SetSelected(formatChoices()[1])
		x.delimiter.SetSelected(delimiterChoices()[0])
		x.bom.SetChecked(true)
		x.totals.SetChecked(false) // a file to import: its rows only
	})
	if !x.resultOK {
		t.Fatalf("export said %q", x.result)
	}
	data, err := os.ReadFile(filepath.Join(dir, "orders-2026-11-27.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(data[:3]) != "\ufeff" {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, row[3])
	}
	var want []string
	for _, k := range shown {
		ord, err := b.Order(k)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, ord.Number)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the CSV holds orders %v, the list shows %v", got, want)
	}
	// The dialog remembers the choices for next time.
	if p.prefs.exportFormat() != "csv" || p.prefs.exportDelimiter() != ';' || !p.prefs.exportBOM() || p.prefs.exportTotals() {
		t.Error("the export choices were not remembered")
	}
}

// TestExportCancelLeavesNoFile cancels an export before it writes: the
// message says so and the folder stays empty, without even the empty file
// the save dialog made.
func TestExportCancelLeavesNoFile(t *testing.T) {
	_, p, s, j := twoShops(t)
	dir := t.TempDir()
	p.prefs.setExportDir(dir)
	test.Tap(p.export)
	x := p.exporter
	test.Tap(x.choose)
	test.Tap(buttonOnTop(t, s, "Export"))
	// The export is queued; Cancel on the progress dialog comes first.
	test.Tap(buttonOnTop(t, s, "Cancel"))
	j.Drain(t)
	if x.resultOK || x.result != "The export was cancelled; no file was written." {
		t.Fatalf("export said %q", x.result)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a cancelled export left %d files", len(entries))
	}
}

// TestExportDisabledWithoutOrders: nothing to export, no Export.
func TestExportDisabledWithoutOrders(t *testing.T) {
	_, p, _, j := twoShops(t)
	uitest.TypeInto(p.Search, "no-such-customer-anywhere")
	j.Drain(t)
	if !p.export.Disabled() {
		t.Error("Export is offered for an empty list")
	}
	uitest.TypeInto(p.Search, "")
	j.Drain(t)
	if p.export.Disabled() {
		t.Error("Export stays off for a full list")
	}
}

// TestExportToTypedFullPath types a full path as the save dialog's file
// name, in a folder other than the dialog's: the export goes there, and
// nothing is left in the dialog's folder. Fyne joins the name to its
// folder, which once said "That folder does not exist any more".
func TestExportToTypedFullPath(t *testing.T) {
	_, p, s, j := twoShops(t)
	dir, other := t.TempDir(), t.TempDir()
	p.prefs.setExportDir(dir)
	test.Tap(p.export)
	x := p.exporter
	x.format.SetSelected(formatChoices()[0])
	test.Tap(x.choose)
	name := widgets.SaveNameEntry(s.win)
	if name == nil {
		t.Fatal("the save dialog has no file name field")
	}
	path := filepath.Join(other, "x.xlsx")
	name.SetText(path)
	test.Tap(buttonOnTop(t, s, "Export"))
	j.Drain(t)
	if !x.resultOK || !strings.HasSuffix(x.result, " to "+path) {
		t.Fatalf("export said %q", x.result)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("no workbook at the typed path: %v", err)
	}
	f.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the dialog's folder holds %d files, want none", len(entries))
	}
}

// TestExportToTypedFullPathAsksToReplace types the full path of a file
// that exists: nothing is written until the person agrees to replace it.
func TestExportToTypedFullPathAsksToReplace(t *testing.T) {
	_, p, s, j := twoShops(t)
	dir, other := t.TempDir(), t.TempDir()
	path := filepath.Join(other, "x.csv")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	p.prefs.setExportDir(dir)
	exportTo := func(answer string) *orderExport {
		t.Helper()
		test.Tap(p.export)
		x := p.exporter
		x.format.SetSelected(formatChoices()[1])
		test.Tap(x.choose)
		widgets.SaveNameEntry(s.win).SetText(path)
		test.Tap(buttonOnTop(t, s, "Export"))
		test.Tap(buttonOnTop(t, s, answer))
		j.Drain(t)
		return x
	}
	if x := exportTo("No"); x.result != "" {
		t.Fatalf("declining to replace the file still exported: %q", x.result)
	}
	if data, _ := os.ReadFile(path); string(data) != "keep me" {
		t.Fatalf("declining to replace the file changed it to %q", data)
	}
	if x := exportTo("Yes"); !x.resultOK || !strings.HasSuffix(x.result, " to "+path) {
		t.Fatalf("export said %q", x.result)
	}
	if data, _ := os.ReadFile(path); string(data) == "keep me" {
		t.Fatal("agreeing to replace the file left it as it was")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the dialog's folder holds %d files, want none", len(entries))
	}
}
