// Package books is the Books screen: a period's totals per shop and
// currency as WooCommerce's sales report defines them, VAT per rate,
// payment methods, a chart of sales and refunds, the notes that say where
// a figure differs from the shop's report, the journal's export, closing
// a period and the changes that arrived after closing, and the NRA audit
// file of a month (Наредба Н-18) with each shop's settings for it.
package books

import (
	"context"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	corebooks "codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// UI is what the screen needs from the window's shell.
type UI interface {
	Window() fyne.Window
	Bridge() *bridge.Bridge
	// Now is the window's clock, which "this month" and the rest count from.
	Now() time.Time
}

// Backend is what the screen asks of the core; *books.Books has it all.
type Backend interface {
	Summary(corebooks.SummaryQuery) (corebooks.Summary, error)
	ExportJournal(w io.Writer, q corebooks.JournalQuery, format string, opt journal.CSVOptions) error
	CloseBooks(shop ledger.ShopID, through sales.Day, by string) (sales.Closing, error)
	ReopenBooks(shop ledger.ShopID, through sales.Day, by string) (sales.Closing, error)
	Closing(shop ledger.ShopID) (sales.Closing, error)
	ClosedChanges(shop ledger.ShopID) ([]sales.Change, error)
	Accounts(shop ledger.ShopID) (journal.Accounts, bool, error)
	SetAccounts(shop ledger.ShopID, acc journal.Accounts) error
	// The NRA audit file (Наредба Н-18).
	NRAFile(corebooks.NRAQuery) (*nra.File, ledger.Shop, error)
	SaveNRAFile(f *nra.File, sh ledger.Shop, path string) (corebooks.NRASaved, error)
	NRASettings(shop ledger.ShopID) (nra.Settings, bool, error)
	SetNRASettings(shop ledger.ShopID, st nra.Settings) error
	PaymentMethods(shop ledger.ShopID) (map[string]string, error)
}

var _ Backend = (*corebooks.Books)(nil)

// Page is the screen.
type Page struct {
	u UI
	b Backend

	// The choices: the period and how it is cut, the filters.
	period      *widget.Select
	from, to    *widgets.DateField
	by          *widget.Select
	shop        *widget.Select
	warehouse   *widget.Select
	costCenter  *widget.Select
	exportBtn   *widget.Button
	closeBtn    *widget.Button
	accountsBtn *widget.Button
	nraBtn      *widget.Button

	// What the filters offer, from the shell's snapshot.
	shops       []ledger.Shop
	warehouses  []ledger.Warehouse
	costCenters []ledger.CostCenter

	problem *widget.Label // why the last load or action failed
	result  *widget.Label // how the last export ended
	groups  []*groupView
	body    *fyne.Container
	content fyne.CanvasObject

	closings []sales.Closing // of the shops shown, after the last load
	changes  []sales.Change
	closeDlg *closeDialog    // the open Close period dialog, for tests
	exporter *exportDialog   // the open Export journal dialog, for tests
	accounts *accountsDialog // the open Accounts dialog, for tests
	nra      *nraDialog      // the open NRA audit file dialog, for tests
	confirm  interface{ Confirm() }

	// gen counts loads, so an older load that ends late is not shown.
	gen int
	// stale is set when the books changed while the screen was hidden.
	stale bool
}

// New builds the screen over b; it shows nothing until Show or Reload.
func New(u UI, b Backend) *Page {
	p := &Page{u: u, b: b}
	p.period = widget.NewSelect(periodNames(), nil)
	p.from = widgets.NewDateField(i18n.DateHint(), func(*time.Time) { p.typedDates() })
	p.to = widgets.NewDateField(i18n.DateHint(), func(*time.Time) { p.typedDates() })
	p.by = widget.NewSelect(byNames(), func(string) { p.Reload() })
	p.shop = widget.NewSelect(nil, func(string) { p.Reload() })
	p.warehouse = widget.NewSelect(nil, func(string) { p.Reload() })
	p.costCenter = widget.NewSelect(nil, func(string) { p.Reload() })
	p.exportBtn = widget.NewButtonWithIcon(lang.L("Export journal…"), theme.DocumentSaveIcon(), p.openExport)
	p.closeBtn = widget.NewButtonWithIcon(lang.L("Close period…"), theme.ConfirmIcon(), p.openClose)
	p.accountsBtn = widget.NewButtonWithIcon(lang.L("Accounts…"), theme.ListIcon(), p.openAccounts)
	p.nraBtn = widget.NewButtonWithIcon(lang.L("NRA audit file…"), theme.FileIcon(), p.openNRA)
	p.problem = widgets.ErrorLabel("")
	p.problem.Hide()
	p.result = widget.NewLabel("")
	p.result.Wrapping = fyne.TextWrapWord
	p.result.Hide()
	p.setFilterOptions()

	p.period.SetSelectedIndex(presetThisMonth)
	p.fillPreset()
	p.period.OnChanged = func(string) { p.presetChosen() }

	row1 := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Period")), nil,
		container.NewGridWithColumns(4, p.period, p.from.Content, p.to.Content, p.by))
	// The filters take a row of their own: Bulgarian names them at length.
	row2 := container.NewGridWithColumns(3, p.shop, p.warehouse, p.costCenter)
	row3 := container.NewBorder(nil, nil, nil, container.NewHBox(p.accountsBtn, p.nraBtn, p.exportBtn, p.closeBtn), p.result)
	top := container.NewVBox(row1, row2, row3, p.problem, widget.NewSeparator())
	p.body = container.NewVBox()
	p.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewVScroll(p.body)))
	return p
}

// Content is what the navigation shows for the screen.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// Show takes the shops, warehouses and cost centers the books hold (for
// the filters) and reads the totals again: the shell calls it whenever
// the books change, a sync's orders included. While another screen is
// shown the totals are read when this one opens instead.
func (p *Page) Show(shops []ledger.Shop, whs []ledger.Warehouse, ccs []ledger.CostCenter) {
	p.shops, p.warehouses, p.costCenters = shops, whs, ccs
	p.setFilterOptions()
	if p.content.Visible() {
		p.Reload()
	} else {
		p.stale = true
	}
}

// Opened reads the totals again if the books changed while the screen
// was hidden; the navigation calls it when the screen is selected.
func (p *Page) Opened() {
	if p.stale {
		p.Reload()
	}
}

// setFilterOptions lists the choices of the filters, keeping what is
// chosen while it still exists.
func (p *Page) setFilterOptions() {
	shops := []string{lang.L("All shops")}
	for _, s := range p.shops {
		shops = append(shops, s.Name)
	}
	whs := []string{lang.L("All warehouses")}
	for _, w := range widgets.WarehouseItems(p.warehouses) {
		whs = append(whs, w.Label())
	}
	ccs := []string{lang.L("All cost centers")}
	for _, c := range widgets.CostCenterItems(p.costCenters) {
		ccs = append(ccs, c.Label())
	}
	keep(p.shop, shops)
	keep(p.warehouse, whs)
	keep(p.costCenter, ccs)
}

// keep sets a select's options without calling its OnChanged; the choice
// stays if it is still offered, else it is the first option.
func keep(s *widget.Select, options []string) {
	f := s.OnChanged
	s.OnChanged = nil
	defer func() { s.OnChanged = f }()
	old := s.Selected
	s.SetOptions(options)
	for i, o := range options {
		if o == old {
			s.SetSelectedIndex(i)
			return
		}
	}
	s.SetSelectedIndex(0)
}

// query is what the choices ask for; ok is false while the dates are
// incomplete.
func (p *Page) query() (corebooks.SummaryQuery, bool) {
	if p.from.Date == nil || p.to.Date == nil {
		return corebooks.SummaryQuery{}, false
	}
	q := corebooks.SummaryQuery{From: dayOf(*p.from.Date), To: dayOf(*p.to.Date), By: sales.ByDay}
	if p.by.SelectedIndex() == 1 {
		q.By = sales.ByMonth
	}
	if i := p.shop.SelectedIndex(); i > 0 {
		q.Shop = p.shops[i-1].ID
	}
	if i := p.warehouse.SelectedIndex(); i > 0 {
		q.Warehouse = ledger.WarehouseID(widgets.WarehouseItems(p.warehouses)[i-1].ID)
	}
	if i := p.costCenter.SelectedIndex(); i > 0 {
		q.CostCenter = ledger.CostCenterID(widgets.CostCenterItems(p.costCenters)[i-1].ID)
	}
	return q, true
}

// loadResult is what one load reads.
type loadResult struct {
	summary  corebooks.Summary
	closings []sales.Closing
	changes  []sales.Change
}

// Reload reads the totals, closings and changes after closing for the
// choices in the background and shows them.
func (p *Page) Reload() {
	q, ok := p.query()
	if !ok {
		return
	}
	if q.To < q.From {
		p.setProblem(lang.L("The period ends before it starts: choose a To date on or after the From date."))
		return
	}
	p.gen++
	p.stale = false
	gen, b := p.gen, p.b
	shops := p.shopsShown(q.Shop)
	bridge.Load(p.u.Bridge(), func(context.Context) (loadResult, error) {
		var r loadResult
		var err error
		if r.summary, err = b.Summary(q); err != nil {
			return r, err
		}
		for _, sh := range shops {
			c, err := b.Closing(sh.ID)
			if err != nil {
				return r, err
			}
			r.closings = append(r.closings, c)
		}
		r.changes, err = b.ClosedChanges(q.Shop)
		return r, err
	}, func(r loadResult, err error) {
		if gen != p.gen {
			return // a later load is under way
		}
		p.showLoad(r, err)
	})
}

// shopsShown are the shop chosen, or every shop.
func (p *Page) shopsShown(id ledger.ShopID) []ledger.Shop {
	if id == 0 {
		return p.shops
	}
	for _, s := range p.shops {
		if s.ID == id {
			return []ledger.Shop{s}
		}
	}
	return nil
}

func (p *Page) setProblem(text string) {
	p.problem.SetText(text)
	if text == "" {
		p.problem.Hide()
	} else {
		p.problem.Show()
	}
}

// showLoad lays out what a load read.
func (p *Page) showLoad(r loadResult, err error) {
	if err != nil {
		p.setProblem(i18n.UserMessage(err))
		return
	}
	p.setProblem("")
	p.closings, p.changes = r.closings, r.changes
	p.groups = p.groups[:0]
	p.body.RemoveAll()
	s := r.summary
	if len(s.Groups) == 0 {
		none := widget.NewLabel(lang.L("No sales or refunds in this period."))
		none.Importance = widget.LowImportance
		p.body.Add(none)
	}
	for i := range s.Groups {
		g := newGroupView(&s.Groups[i], s.Shops[s.Groups[i].Shop].Name)
		p.groups = append(p.groups, g)
		p.body.Add(g.content)
	}
	if len(s.Groups) > 0 {
		notes := container.NewVBox()
		for _, n := range append([]string{basisNote(s.Basis)}, s.Notes...) {
			l := widget.NewLabel(i18n.T(n))
			l.Wrapping, l.Importance = fyne.TextWrapWord, widget.LowImportance
			notes.Add(l)
		}
		p.body.Add(widgets.Section(lang.L("Notes"), notes))
	}
	p.body.Add(p.closingSection())
	p.body.Add(p.changesSection())
	p.body.Refresh()
}

// basisNote says which date the totals count sales on (Shop.BooksBasis).
func basisNote(basis string) string {
	switch ledger.BooksBasis(basis) {
	case ledger.BasisPaid:
		return lang.L("Sales are counted on the date the order was paid.")
	case ledger.BasisCompleted:
		return lang.L("Sales are counted on the date the order was completed.")
	case ledger.BasisCreated:
		return lang.L("Sales are counted on the date the order was created, as in WooCommerce's report; refunds on their own dates.")
	}
	return lang.L("The shops count sales on different dates (created, paid or completed): see each shop's books basis.")
}

// Groups are the totals the screen shows, per shop and currency.
func (p *Page) Groups() []sales.Group {
	out := make([]sales.Group, len(p.groups))
	for i, g := range p.groups {
		out[i] = *g.g
	}
	return out
}

// group returns the view of one shop's currency, for tests.
func (p *Page) group(shop ledger.ShopID, currency string) *groupView {
	for _, g := range p.groups {
		if g.g.Shop == shop && g.g.Currency == currency {
			return g
		}
	}
	return nil
}
