package orders

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/export"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// orderExport is the Export dialog of the Orders page. It exports exactly
// what the list shows: the filters as they were when it opened and, with
// a search, the orders the search found.
type orderExport struct {
	p     *Page
	q     Query
	count int // the list's count when the dialog opened

	format    *widget.RadioGroup
	rows      *widget.RadioGroup
	delimiter *widget.RadioGroup
	bom       *widget.Check
	totals    *widget.Check
	csvOnly   *fyne.Container
	choose    *widget.Button
	dlg       *dialog.CustomDialog

	// While it writes.
	file     *dialog.FileDialog // the save dialog, for tests
	bar      *widget.ProgressBar
	running  *dialog.CustomDialog
	cancel   context.CancelFunc
	result   string // the last outcome, as shown
	resultOK bool
	onDone   func() // tests: called after the outcome is shown
}

// The dialog's choices, in the order the radio groups list them.
func formatChoices() []string {
	return []string{lang.L("Excel workbook (.xlsx): orders and lines"), lang.L("CSV text file (.csv)")}
}

func rowChoices() []string {
	return []string{lang.L("A row per order"), lang.L("A row per line item")}
}

func delimiterChoices() []string {
	return []string{lang.L("Semicolon ( ; ), amounts with a decimal comma"), lang.L("Comma ( , )")}
}

// openExport shows the Export dialog for the list's current filter.
func (p *Page) openExport() {
	x := &orderExport{p: p, q: p.currentQuery(), count: p.matches}
	p.exporter = x
	x.build()
	x.dlg.Show()
}

func (x *orderExport) build() {
	s := x.p.prefs
	x.format = widget.NewRadioGroup(formatChoices(), func(string) { x.showCSVOptions() })
	x.rows = widget.NewRadioGroup(rowChoices(), nil)
	x.delimiter = widget.NewRadioGroup(delimiterChoices(), nil)
	x.bom = widget.NewCheck(lang.L("UTF-8 with BOM (Excel on Windows)"), nil)
	x.format.Required, x.rows.Required, x.delimiter.Required = true, true, true
	x.format.SetSelected(formatChoices()[map[string]int{string(export.XLSX): 0, string(export.CSV): 1}[s.exportFormat()]])
	x.rows.SetSelected(rowChoices()[0])
	x.delimiter.SetSelected(delimiterChoices()[map[rune]int{';': 0, ',': 1}[s.exportDelimiter()]])
	x.bom.SetChecked(s.exportBOM())
	x.totals = widget.NewCheck(lang.L("A totals row per currency at the end"), nil)
	x.totals.SetChecked(s.exportTotals())

	what := widget.NewLabel(x.summary())
	what.Wrapping = fyne.TextWrapWord
	x.csvOnly = container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Rows"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), x.rows,
		widget.NewLabelWithStyle(lang.L("Separator"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), x.delimiter,
		x.bom)
	x.showCSVOptions()
	body := container.NewVBox(what, widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Format"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), x.format,
		x.csvOnly, x.totals)

	cancel := widget.NewButton(lang.L("Cancel"), nil)
	x.choose = widget.NewButtonWithIcon(lang.L("Choose file…"), theme.DocumentSaveIcon(), x.chooseFile)
	x.choose.Importance = widget.HighImportance
	if x.count == 0 {
		x.choose.Disable()
	}
	x.dlg = widgets.NewDialog(lang.L("Export orders"), body, x.p.u.Window(), cancel, x.choose)
	cancel.OnTapped = x.dlg.Hide
}

// summary says in words which orders will be exported.
func (x *orderExport) summary() string {
	parts := []string{lang.N("{{.Count}} order will be exported", x.count, map[string]any{"Count": x.count}) + ":"}
	f := x.q.Filter
	if f.Shop != 0 {
		parts = append(parts, lang.L("shop {{.Shop}}", map[string]any{"Shop": x.p.shop.Selected}))
	} else {
		parts = append(parts, lang.L("all shops"))
	}
	if statuses := append([]ledger.Status{f.Status}, f.Statuses...); len(statuses) > 1 || f.Status != "" {
		var names []string
		for _, st := range statuses {
			if st != "" {
				names = append(names, i18n.StatusName(st))
			}
		}
		if len(names) == 1 {
			parts = append(parts, lang.L("status {{.Status}}", map[string]any{"Status": names[0]}))
		} else {
			parts = append(parts, lang.L("status {{.Some}} or {{.Last}}",
				map[string]any{"Some": strings.Join(names[:len(names)-1], ", "), "Last": names[len(names)-1]}))
		}
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, lang.L("created {{.From}} to {{.To}}", map[string]any{"From": i18n.DateOnly(f.From), "To": i18n.DateOnly(f.To.AddDate(0, 0, -1))}))
	case !f.From.IsZero():
		parts = append(parts, lang.L("created on or after {{.From}}", map[string]any{"From": i18n.DateOnly(f.From)}))
	case !f.To.IsZero():
		parts = append(parts, lang.L("created on or before {{.To}}", map[string]any{"To": i18n.DateOnly(f.To.AddDate(0, 0, -1))}))
	}
	if x.q.search() {
		parts = append(parts, lang.L("matching the search “{{.Text}}”", map[string]any{"Text": strings.TrimSpace(x.q.Text)}))
	}
	return parts[0] + " " + strings.Join(parts[1:], ", ") + "."
}

func (x *orderExport) showCSVOptions() {
	if x.csvOnly == nil {
		return
	}
	if x.chosenFormat() == export.CSV {
		x.csvOnly.Show()
	} else {
		x.csvOnly.Hide()
	}
	if x.dlg != nil {
		x.dlg.Resize(fyne.NewSize(max(widgets.DialogWidth, x.dlg.MinSize().Width), x.dlg.MinSize().Height))
	}
}

func (x *orderExport) chosenFormat() export.Format {
	if x.format.Selected == formatChoices()[1] {
		return export.CSV
	}
	return export.XLSX
}

// options are the dialog's choices as the core takes them.
func (x *orderExport) options() export.FileOptions {
	opt := export.FileOptions{Format: x.chosenFormat(), Options: export.Options{Filter: x.q.Filter, Delimiter: ',', BOM: x.bom.Checked, Totals: x.totals.Checked}}
	if x.delimiter.Selected == delimiterChoices()[0] {
		opt.Delimiter = ';'
	}
	if x.rows.Selected == rowChoices()[1] {
		opt.Sheet = export.LinesSheet
	}
	return opt
}

// defaultFileName is e.g. orders-2026-11-27.xlsx.
func (x *orderExport) defaultFileName(f export.Format) string {
	return "orders-" + x.p.u.Now().Local().Format("2006-01-02") + "." + string(f)
}

// chooseFile asks where to save, remembering the choices for next time.
func (x *orderExport) chooseFile() {
	opt := x.options()
	s := x.p.prefs
	s.setExportFormat(string(opt.Format))
	s.setExportDelimiter(opt.Delimiter)
	s.setExportBOM(opt.BOM)
	s.setExportTotals(opt.Totals)
	x.dlg.Hide()
	var name *widget.Entry
	x.file = dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if wc == nil && err == nil {
			return // cancelled
		}
		if name != nil {
			if typed := widgets.TypedSavePath(name.Text); typed != "" {
				x.saveTyped(typed, wc, opt)
				return
			}
		}
		if err != nil {
			x.finish(0, "", err)
			return
		}
		// The dialog opened (and emptied) the file; the export writes a
		// temporary file beside it and renames it over this one when done.
		path := wc.URI().Path()
		wc.Close()
		x.run(path, opt)
	}, x.p.u.Window())
	x.file.SetTitleText(lang.L("Export orders"))
	x.file.SetConfirmText(lang.L("Export"))
	x.file.SetDismissText(lang.L("Cancel"))
	x.file.SetFileName(x.defaultFileName(opt.Format))
	x.file.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(opt.Format)}))
	if dir := s.exportDir(); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			x.file.SetLocation(l)
		}
	}
	x.file.Resize(fyne.NewSize(860, 560))
	x.file.Show()
	name = widgets.SaveNameEntry(x.p.u.Window())
}

// saveTyped exports to a full path typed as the file name. Fyne's dialog
// joined it to its folder and either failed ("<folder>/tmp" does not
// exist) or opened a file there; that file, if empty, goes. A file
// already at the typed path is replaced only when the person agrees.
func (x *orderExport) saveTyped(path string, wc fyne.URIWriteCloser, opt export.FileOptions) {
	if wc != nil {
		wrong := wc.URI().Path()
		wc.Close()
		if wrong != path {
			if fi, err := os.Stat(wrong); err == nil && fi.Size() == 0 {
				os.Remove(wrong)
			}
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() || (wc != nil && wc.URI().Path() == path) {
		x.run(path, opt)
		return
	}
	dialog.ShowConfirm(lang.L("Export orders"),
		lang.L("{{.File}} already exists. Replace it?", map[string]any{"File": path}),
		func(ok bool) {
			if ok {
				x.run(path, opt)
			}
		}, x.p.u.Window())
}

// run writes the file in the background, with a progress bar and Cancel.
func (x *orderExport) run(path string, opt export.FileOptions) {
	x.p.prefs.setExportDir(filepath.Dir(path))
	ctx, cancel := context.WithCancel(x.p.u.Bridge().Context())
	x.cancel = cancel
	x.bar = widget.NewProgressBar()
	x.bar.Max = float64(max(x.count, 1))
	x.bar.TextFormatter = func() string {
		return lang.L("{{.Done}} of {{.Count}} orders", map[string]any{"Done": int(x.bar.Value), "Count": x.count})
	}
	stop := widget.NewButton(lang.L("Cancel"), cancel)
	msg := widget.NewLabel(lang.L("Exporting to {{.File}}…", map[string]any{"File": filepath.Base(path)}))
	x.running = widgets.NewDialog(lang.L("Export orders"), container.NewVBox(msg, x.bar), x.p.u.Window(), stop)
	x.running.Show()

	opt.Progress = bridge.Progress(x.p.u.Bridge(), func(n int) { x.bar.SetValue(float64(n)) })
	b, q := x.p.b, x.q
	ix, _ := x.p.u.SearchIndex()
	bridge.Load(x.p.u.Bridge(), func(context.Context) (export.Stats, error) {
		var src export.Source = b
		switch {
		case !q.sort.natural():
			// In the list's order: the same sort, read again.
			r, err := Read(b, ix, true, q, 0)
			if err != nil {
				return export.Stats{}, err
			}
			src = export.Only(b, b, r.keys)
		case q.search():
			src = export.Only(b, b, ix.Search(indexQuery(q)))
		}
		st, err := export.ToFile(ctx, path, src, opt)
		if err != nil {
			// Nothing half-written is left under the name: only the empty
			// file the save dialog made, which goes too.
			if fi, serr := os.Stat(path); serr == nil && fi.Size() == 0 {
				os.Remove(path)
			}
		}
		return st, err
	}, func(st export.Stats, err error) {
		cancel()
		x.running.Hide()
		x.finish(st.Orders, path, err)
	})
}

// finish says how the export ended.
func (x *orderExport) finish(orders int, path string, err error) {
	switch {
	case errors.Is(err, context.Canceled):
		x.result, x.resultOK = lang.L("The export was cancelled; no file was written."), false
	case err != nil:
		x.result, x.resultOK = lang.L("The export failed: {{.Reason}}", map[string]any{"Reason": exportProblem(err)}), false
	default:
		x.result, x.resultOK = lang.N("Exported {{.Count}} order to {{.File}}", orders, map[string]any{"Count": orders, "File": path}), true
	}
	text := widget.NewLabel(x.result)
	text.Wrapping = fyne.TextWrapWord
	if !x.resultOK {
		text.Importance = widget.DangerImportance
	}
	ok := widget.NewButton(lang.L("OK"), nil)
	d := widgets.NewDialog(lang.L("Export orders"), text, x.p.u.Window(), ok)
	ok.OnTapped = d.Hide
	d.Show()
	if x.onDone != nil {
		x.onDone()
	}
}

// exportProblem says why a file could not be written, with what to do.
func exportProblem(err error) string {
	switch {
	case errors.Is(err, os.ErrPermission):
		return lang.L("ShopLedger may not write in that folder. Choose another folder, such as Documents.")
	case errors.Is(err, os.ErrNotExist):
		return lang.L("That folder does not exist any more. Choose another one.")
	}
	var pe *os.PathError
	if errors.As(err, &pe) || errors.As(err, new(*os.LinkError)) {
		return lang.L("The file could not be written ({{.Detail}}). Check that the disk has room and the file is not open in another program, then try again.", map[string]any{"Detail": err.Error()})
	}
	return i18n.UserMessage(err)
}
