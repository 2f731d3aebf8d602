package books

import (
	"context"
	"fmt"
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

	corebooks "codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// exportDialog is "Export journal…": entries per day or for the period,
// and for CSV how the spreadsheet reads it; the file's extension picks
// CSV or XLSX.
type exportDialog struct {
	per       *widget.RadioGroup
	semicolon *widget.Check
	bom       *widget.Check
	choose    *widget.Button
	dlg       *dialog.CustomDialog
	file      *dialog.FileDialog // the save dialog, for tests
}

func perChoices() []string {
	return []string{lang.L("An entry per day"), lang.L("One entry for the whole period")}
}

func (p *Page) openExport() {
	q, ok := p.query()
	if !ok {
		return
	}
	x := &exportDialog{}
	x.per = widget.NewRadioGroup(perChoices(), nil)
	x.per.Required = true
	x.per.SetSelected(perChoices()[0])
	x.semicolon = widget.NewCheck(lang.L("CSV: semicolon ( ; ), amounts with a decimal comma"), nil)
	// As Excel set up for Bulgaria reads CSV; the orders' export defaults so too.
	x.semicolon.SetChecked(true)
	x.bom = widget.NewCheck(lang.L("UTF-8 with BOM (Excel on Windows)"), nil)
	x.bom.SetChecked(true)
	what := widget.NewLabel(lang.L("The journal of {{.From}} to {{.To}}, {{.Shop}}, balanced per entry. A file name ending in .xlsx makes an Excel workbook, any other a CSV file.",
		map[string]any{"From": i18n.DateOnly(q.From.Date()), "To": i18n.DateOnly(q.To.Date()), "Shop": p.shop.Selected}))
	what.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(what, widget.NewSeparator(), x.per, x.semicolon, x.bom)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	x.choose = widget.NewButtonWithIcon(lang.L("Choose file…"), theme.DocumentSaveIcon(), func() { p.chooseExportFile(x, q) })
	x.choose.Importance = widget.HighImportance
	x.dlg = widgets.NewDialog(lang.L("Export journal"), body, p.u.Window(), cancel, x.choose)
	cancel.OnTapped = x.dlg.Hide
	p.exporter = x
	x.dlg.Show()
}

// journalQuery is the export's query: the screen's period and shop.
func (x *exportDialog) journalQuery(q corebooks.SummaryQuery) corebooks.JournalQuery {
	jq := corebooks.JournalQuery{From: q.From, To: q.To, Shop: q.Shop, Per: journal.PerDay}
	if x.per.Selected == perChoices()[1] {
		jq.Per = journal.PerPeriod
	}
	return jq
}

func (p *Page) chooseExportFile(x *exportDialog, q corebooks.SummaryQuery) {
	jq, opt := x.journalQuery(q), journal.CSVOptions{Semicolon: x.semicolon.Checked, BOM: x.bom.Checked}
	x.dlg.Hide()
	x.file = dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			p.exportDone("", err)
			return
		}
		if wc == nil {
			return // cancelled
		}
		path := wc.URI().Path()
		wc.Close()
		p.exportTo(path, jq, opt)
	}, p.u.Window())
	x.file.SetTitleText(lang.L("Export journal"))
	x.file.SetConfirmText(lang.L("Export"))
	x.file.SetDismissText(lang.L("Cancel"))
	x.file.SetFileName(fmt.Sprintf("journal-%s-%s.xlsx", q.From, q.To))
	x.file.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".csv"}))
	x.file.Resize(fyne.NewSize(860, 560))
	x.file.Show()
}

// exportFormat is the journal's format for a file name: XLSX for .xlsx,
// CSV for anything else.
func exportFormat(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return "xlsx"
	}
	return "csv"
}

// exportTo writes the journal to path in the background.
func (p *Page) exportTo(path string, q corebooks.JournalQuery, opt journal.CSVOptions) {
	b := p.b
	bridge.Load(p.u.Bridge(), func(context.Context) (struct{}, error) {
		return struct{}{}, writeJournal(b, path, q, opt)
	}, func(_ struct{}, err error) { p.exportDone(path, err) })
}

// writeJournal writes to a temporary file beside path and renames it
// over path when done, so nothing half-written is left under the name.
func writeJournal(b Backend, path string, q corebooks.JournalQuery, opt journal.CSVOptions) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("export the journal: %w", err)
	}
	defer os.Remove(f.Name())
	if err := b.ExportJournal(f, q, exportFormat(path), opt); err != nil {
		f.Close()
		return fmt.Errorf("export the journal: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export the journal: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export the journal: %w", err)
	}
	return nil
}

// exportDone says how the export ended, under the choices.
func (p *Page) exportDone(path string, err error) {
	if err != nil {
		p.result.SetText(lang.L("The export failed: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(err)}))
		p.result.Importance = widget.DangerImportance
	} else {
		p.result.SetText(lang.L("The journal was exported to {{.File}}.", map[string]any{"File": path}))
		p.result.Importance = widget.SuccessImportance
	}
	p.result.Show()
	p.result.Refresh()
}
