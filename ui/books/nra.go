package books

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	corebooks "codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// nraMonths is how many months back the month picker offers.
const nraMonths = 24

// nraDialog is "NRA audit file…" (НАП одитен файл): the shops and the
// month, a preview of each shop's file with what keeps it from being
// made, and one file per shop; the settings of each shop are a button
// away.
type nraDialog struct {
	month    *widget.Select
	shops    *widget.CheckGroup
	preview  *fyne.Container
	result   *widget.Label
	settings *widget.Button
	generate *widget.Button
	dlg      *dialog.CustomDialog

	months []time.Time // the month picker's months, newest first
	// files are the last preview's, per shop, in the order of p.shops.
	files []nraPreview
	gen   int
	file  *dialog.FileDialog // the save or folder dialog, for tests
	edit  *nraSettingsDialog // the open settings, for tests
}

// nraPreview is one shop's file as previewed.
type nraPreview struct {
	shop   ledger.Shop
	file   *nra.File
	closed bool // the books are closed through the month's end
}

func (p *Page) openNRA() {
	if len(p.shops) == 0 {
		return
	}
	d := &nraDialog{}
	first := time.Date(p.u.Now().Year(), p.u.Now().Month(), 1, 0, 0, 0, 0, time.UTC)
	var names []string
	for i := 1; i <= nraMonths; i++ { // the last month first: it is the one due
		m := first.AddDate(0, -i, 0)
		d.months = append(d.months, m)
		names = append(names, m.Format("2006-01"))
	}
	d.month = widget.NewSelect(names, nil)
	d.month.SetSelectedIndex(0)
	var shopNames []string
	for _, s := range p.shops {
		shopNames = append(shopNames, s.Name)
	}
	d.shops = widget.NewCheckGroup(shopNames, nil)
	d.shops.Horizontal = len(shopNames) <= 3 // more would widen the dialog past the window
	if i := p.shop.SelectedIndex(); i > 0 {
		d.shops.SetSelected([]string{p.shops[i-1].Name})
	} else {
		d.shops.SetSelected(shopNames)
	}
	d.month.OnChanged = func(string) { p.previewNRA(d) }
	d.shops.OnChanged = func([]string) { p.previewNRA(d) }
	d.preview = container.NewVBox()
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	d.result.Hide()
	d.settings = widget.NewButtonWithIcon(lang.L("NRA settings…"), theme.SettingsIcon(), func() { p.openNRASettings(d) })
	scroll := container.NewVScroll(d.preview)
	scroll.SetMinSize(fyne.NewSize(720, 420))
	top := widget.NewForm(
		widget.NewFormItem(lang.L("Month"), container.NewBorder(nil, nil, nil, d.settings, d.month)),
		widget.NewFormItem(lang.L("Shops"), d.shops))
	body := container.NewBorder(top, d.result, nil, nil, scroll)
	closeBtn := widget.NewButton(lang.L("Close"), nil)
	d.generate = widget.NewButtonWithIcon(lang.L("Generate files…"), theme.DocumentSaveIcon(), func() { p.chooseNRAFiles(d) })
	d.generate.Importance = widget.HighImportance
	d.generate.Disable()
	d.dlg = widgets.NewDialog(lang.L("NRA audit file"), body, p.u.Window(), closeBtn, d.generate)
	closeBtn.OnTapped = d.dlg.Hide
	p.nra = d
	d.dlg.Show()
	p.previewNRA(d)
}

// chosen are the shops ticked, in the screen's order.
func (p *Page) nraChosen(d *nraDialog) []ledger.Shop {
	var out []ledger.Shop
	for _, s := range p.shops {
		if slices.Contains(d.shops.Selected, s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// previewNRA makes each chosen shop's file of the month in the background
// and shows it.
func (p *Page) previewNRA(d *nraDialog) {
	i := d.month.SelectedIndex()
	if i < 0 {
		return
	}
	m := d.months[i]
	shops, b := p.nraChosen(d), p.b
	d.gen++
	gen := d.gen
	d.generate.Disable()
	bridge.Load(p.u.Bridge(), func(context.Context) ([]nraPreview, error) {
		var out []nraPreview
		end := sales.DateDay(m.Year(), m.Month()+1, 1) - 1
		for _, sh := range shops {
			f, sh, err := b.NRAFile(corebooks.NRAQuery{Shop: sh.ID, Year: m.Year(), Month: m.Month()})
			if err != nil {
				return nil, err
			}
			c, err := b.Closing(sh.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, nraPreview{shop: sh, file: f, closed: c.Through >= end})
		}
		return out, nil
	}, func(r []nraPreview, err error) {
		if gen != d.gen {
			return // the choice changed meanwhile
		}
		d.preview.RemoveAll()
		if err != nil {
			d.preview.Add(widgets.ErrorLabel(i18n.UserMessage(err)))
			d.preview.Refresh()
			return
		}
		d.files = r
		if len(r) == 0 {
			d.preview.Add(hintLabel(lang.L("Tick the shops to make the file for.")))
		}
		writable := 0
		for _, pv := range r {
			d.preview.Add(nraPreviewView(pv))
			if len(pv.file.Problems) == 0 {
				writable++
			}
		}
		if writable > 0 {
			d.generate.Enable()
		}
		d.preview.Refresh()
	})
}

// paymName names a payment code as the schema does.
func paymName(c nra.Paym) string {
	switch c {
	case nra.PaymBank:
		return lang.L("1 – bank transfer, no postal money transfer")
	case nra.PaymVPOS:
		return lang.L("2 – virtual POS terminal")
	case nra.PaymCOD:
		return lang.L("3 – cash on delivery, postal money transfer")
	case nra.PaymProvider:
		return lang.L("4 – payment service provider")
	case nra.PaymOther:
		return lang.L("5 – other, no fiscal receipt")
	case nra.PaymReceipt:
		return lang.L("6 – covered by a fiscal receipt")
	}
	return strconv.Itoa(int(c))
}

// refundName names a refund code as the schema does.
func refundName(c nra.RefundPaym) string {
	switch c {
	case nra.RefundAccount:
		return lang.L("1 – to a payment account")
	case nra.RefundCard:
		return lang.L("2 – to the card")
	case nra.RefundCash:
		return lang.L("3 – in cash")
	case nra.RefundOther:
		return lang.L("4 – other")
	}
	return strconv.Itoa(int(c))
}

// nraPreviewView is one shop's preview: what the file holds, or what
// keeps it from being made.
func nraPreviewView(pv nraPreview) fyne.CanvasObject {
	f := pv.file
	box := container.NewVBox()
	line := func(text string) {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	total2, vat, byPaym := f.Totals()
	// What blocks the file comes first: it is what the bookkeeper must do.
	if len(f.Problems) > 0 {
		box.Add(widgets.ErrorLabel(lang.L("No file can be made until this is fixed:")))
		for _, pr := range f.Problems {
			box.Add(widgets.ErrorLabel("• " + i18n.SayMessage(corebooks.Message{Key: pr.Key, Args: pr.Args})))
		}
	}
	line(lang.L("{{.Month}}, in {{.Currency}}: {{.Orders}} orders delivered for {{.Total}} with VAT (VAT {{.VAT}}).",
		map[string]any{"Month": fmt.Sprintf("%d-%02d", f.Year, f.Month), "Currency": f.Currency, "Orders": len(f.Orders),
			"Total": i18n.Money(total2, f.Currency), "VAT": i18n.Money(vat, f.Currency)}))
	codes := make([]nra.Paym, 0, len(byPaym))
	for c := range byPaym {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	per := widget.NewForm()
	for _, c := range codes {
		per.AppendItem(widget.NewFormItem(paymName(c), widget.NewLabel(i18n.Money(byPaym[c], f.Currency))))
	}
	if len(codes) > 0 {
		box.Add(per)
	}
	line(lang.L("Refunds: {{.Refunds}} of {{.Orders}} orders, {{.Total}}.",
		map[string]any{"Refunds": len(f.Refunds), "Orders": f.ROrd, "Total": i18n.Money(f.RTotal, f.Currency)}))
	if co, cr := f.Converted(); co+cr > 0 {
		line(lang.L("Converted at 1 EUR = {{.Rate}} BGN, each figure rounded to the cent: {{.Orders}} orders and {{.Refunds}} refunds.",
			map[string]any{"Rate": nra.RateBGNPerEUR, "Orders": co, "Refunds": cr}))
	}
	if len(f.Skipped) > 0 {
		nums := make([]string, len(f.Skipped))
		for i, s := range f.Skipped {
			nums[i] = s.Number
		}
		l := hintLabel(lang.L("Left out (not delivered in the month, cancelled, or in another currency): {{.Orders}}.",
			map[string]any{"Orders": strings.Join(nums, ", ")}))
		box.Add(l)
	}
	if len(f.NoDocNumber) > 0 {
		box.Add(hintLabel(lang.L("The document number is the order number for: {{.Orders}}.", map[string]any{"Orders": strings.Join(f.NoDocNumber, ", ")})))
	}
	if !pv.closed {
		box.Add(hintLabel(lang.L("The books are not closed through the month's end: a late change can still alter the file.")))
	}
	return widgets.Section(pv.shop.Name, box)
}

// nraFileName is a shop's file name for a month, safe on every system.
func nraFileName(shop string, year int, month time.Month) string {
	safe := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, shop)
	return fmt.Sprintf("%s-%d-%02d.xml", safe, year, month)
}

// nraPathIn names each shop's file in dir.
func nraPathIn(dir string) func(nraPreview) string {
	return func(pv nraPreview) string {
		return filepath.Join(dir, nraFileName(pv.shop.Name, pv.file.Year, pv.file.Month))
	}
}

// chooseNRAFiles asks where to write: a file for one shop, a folder for
// several (one file each, named for the shop and month).
func (p *Page) chooseNRAFiles(d *nraDialog) {
	var ready []nraPreview
	for _, pv := range d.files {
		if len(pv.file.Problems) == 0 {
			ready = append(ready, pv)
		}
	}
	if len(ready) == 0 {
		return
	}
	if len(ready) == 1 {
		pv := ready[0]
		d.file = dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
			if err != nil {
				p.nraDone(d, nil, err)
				return
			}
			if wc == nil {
				return // cancelled
			}
			path := wc.URI().Path()
			wc.Close()
			p.saveNRA(d, ready, func(nraPreview) string { return path })
		}, p.u.Window())
		d.file.SetFileName(nraFileName(pv.shop.Name, pv.file.Year, pv.file.Month))
		d.file.SetFilter(storage.NewExtensionFileFilter([]string{".xml"}))
	} else {
		d.file = dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
			if err != nil {
				p.nraDone(d, nil, err)
				return
			}
			if dir == nil {
				return
			}
			p.saveNRA(d, ready, nraPathIn(dir.Path()))
		}, p.u.Window())
	}
	d.file.SetTitleText(lang.L("NRA audit file"))
	d.file.SetConfirmText(lang.L("Save"))
	d.file.SetDismissText(lang.L("Cancel"))
	d.file.Resize(fyne.NewSize(860, 560))
	d.file.Show()
}

// nraWritten is one file written.
type nraWritten struct {
	shop  string
	path  string
	saved corebooks.NRASaved
}

// saveNRA writes the previewed files in the background.
func (p *Page) saveNRA(d *nraDialog, ready []nraPreview, path func(nraPreview) string) {
	b := p.b
	bridge.Load(p.u.Bridge(), func(context.Context) ([]nraWritten, error) {
		var out []nraWritten
		for _, pv := range ready {
			s, err := b.SaveNRAFile(pv.file, pv.shop, path(pv))
			if err != nil {
				return out, err
			}
			out = append(out, nraWritten{shop: pv.shop.Name, path: path(pv), saved: s})
		}
		return out, nil
	}, func(w []nraWritten, err error) { p.nraDone(d, w, err) })
}

// nraDone says which files were written and what changed since the last
// file of the month, under the preview.
func (p *Page) nraDone(d *nraDialog, written []nraWritten, err error) {
	var lines []string
	for _, w := range written {
		lines = append(lines, lang.L("{{.Shop}}: written to {{.File}}.", map[string]any{"Shop": w.shop, "File": w.path}))
		if !w.saved.FiledBefore {
			continue
		}
		c := w.saved.Changes
		if c.Empty() {
			lines = append(lines, lang.L("The same orders and refunds as the last file made."))
			continue
		}
		var changed []string
		for _, l := range [][]string{c.Added, c.Removed, c.Changed} {
			changed = append(changed, l...)
		}
		slices.Sort(changed)
		lines = append(lines, lang.L("Since the last file made, these orders differ: {{.Orders}}; refunds added {{.Added}}, removed {{.Removed}}, changed {{.Changed}}.",
			map[string]any{"Orders": strings.Join(changed, ", "), "Added": len(c.RefundsAdded), "Removed": len(c.RefundsRemoved), "Changed": len(c.RefundsCh)}))
	}
	d.result.Importance = widget.SuccessImportance
	if err != nil {
		lines = append(lines, lang.L("The file was not written: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(err)}))
		d.result.Importance = widget.DangerImportance
	}
	d.result.SetText(strings.Join(lines, "\n"))
	d.result.Show()
	d.result.Refresh()
}
