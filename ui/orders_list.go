package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Page sizes of the order list: a page is one read of the store; the model
// keeps keepPages of them, enough for the rows on screen and a scroll back.
const (
	listPageSize = 100
	keepPages    = 20
)

// catalogNames are what the list shows in place of internal ids.
type catalogNames struct {
	shops       map[ledger.ShopID]string
	warehouses  map[ledger.WarehouseID]string  // by code
	costCenters map[ledger.CostCenterID]string // by code
}

func newCatalogNames(shops []ledger.Shop, whs []ledger.Warehouse, ccs []ledger.CostCenter) catalogNames {
	n := catalogNames{
		shops:       make(map[ledger.ShopID]string, len(shops)),
		warehouses:  make(map[ledger.WarehouseID]string, len(whs)),
		costCenters: make(map[ledger.CostCenterID]string, len(ccs)),
	}
	for _, s := range shops {
		n.shops[s.ID] = s.Name
	}
	for _, w := range whs {
		n.warehouses[w.ID] = w.Code
	}
	for _, c := range ccs {
		n.costCenters[c.ID] = c.Code
	}
	return n
}

// orderColumn is one column of the list.
type orderColumn struct {
	title  string
	sample string // a typically wide value, to size the column
	align  fyne.TextAlign
	value  func(*ledger.Order, *catalogNames) string
}

// customerCol takes the width the other columns leave.
const customerCol = 2

func orderColumns() []orderColumn {
	return []orderColumn{
		{lang.L("Number"), "00000000", fyne.TextAlignLeading,
			func(o *ledger.Order, _ *catalogNames) string { return o.Number }},
		{lang.L("Date"), "2026-11-27 14:02", fyne.TextAlignLeading,
			func(o *ledger.Order, _ *catalogNames) string { return o.Created.Local().Format(dateLayout) }},
		{lang.L("Customer"), "Margaret Hamilton-Smith", fyne.TextAlignLeading,
			func(o *ledger.Order, _ *catalogNames) string { return o.CustomerName() }},
		{lang.L("Total"), "10000.00 USD", fyne.TextAlignTrailing,
			func(o *ledger.Order, _ *catalogNames) string { return money(o.Total, o.Currency) }},
		{lang.L("Status"), "Pending payment", fyne.TextAlignLeading,
			func(o *ledger.Order, _ *catalogNames) string {
				if o.Deleted {
					return lang.L("Deleted in shop")
				}
				return statusName(o.Status)
			}},
		{lang.L("Shop"), "Demo shop long", fyne.TextAlignLeading,
			func(o *ledger.Order, n *catalogNames) string { return n.shops[o.Shop] }},
		{lang.L("Warehouse"), "MAIN", fyne.TextAlignLeading,
			func(o *ledger.Order, n *catalogNames) string { return n.warehouses[o.Warehouse] }},
		{lang.L("Cost center"), "WEB", fyne.TextAlignLeading,
			func(o *ledger.Order, n *catalogNames) string { return n.costCenters[o.CostCenter] }},
	}
}

// ordersList is the virtualized order table, newest first. The table asks
// for the rows on screen only; rows whose page is not held show blank
// until the page arrives.
type ordersList struct {
	backend Backend
	br      *bridge
	filter  store.OrderFilter
	model   *orderPages
	names   catalogNames
	cols    []orderColumn

	table   *widget.Table
	content fyne.CanvasObject
	// onError reports a failed page read; the list then stops asking until
	// the next reset.
	onError func(error)
}

func newOrdersList(b Backend, br *bridge, pageSize int, onError func(error)) *ordersList {
	if pageSize <= 0 {
		pageSize = listPageSize
	}
	l := &ordersList{
		backend: b, br: br, onError: onError,
		model: newOrderPages(pageSize, keepPages),
		cols:  orderColumns(),
	}
	l.table = widget.NewTableWithHeaders(l.length, l.createCell, l.updateCell)
	l.table.ShowHeaderColumn = false
	l.table.CreateHeader = l.createHeader
	l.table.UpdateHeader = l.updateHeader
	fixed, gaps := float32(0), theme.Padding()*float32(len(l.cols)-1)
	for i, c := range l.cols {
		w := columnWidth(c)
		l.table.SetColumnWidth(i, w)
		if i != customerCol {
			fixed += w
		}
	}
	fill := &fillColumn{table: l.table, col: customerCol, fixed: fixed + gaps, min: columnWidth(l.cols[customerCol])}
	l.content = container.New(fill, l.table)
	return l
}

// columnWidth fits the wider of the column's title and sample, plus the
// label's own padding on both sides.
func columnWidth(c orderColumn) float32 {
	size := theme.TextSize()
	w := max(fyne.MeasureText(c.sample, size, fyne.TextStyle{}).Width,
		fyne.MeasureText(c.title, size, fyne.TextStyle{Bold: true}).Width)
	return w + 2*theme.InnerPadding() + theme.Padding()
}

// reset shows a fresh list: the count and first page read by the caller
// in the same background job as the names, so the first rows appear with
// a single redraw.
func (l *ordersList) reset(names catalogNames, count int, first []ledger.Order, next []byte) {
	l.names = names
	l.model.reset(count, first, next)
	l.table.Refresh()
}

// rows returns how many rows the list has.
func (l *ordersList) rows() int { return l.model.count }

func (l *ordersList) length() (int, int) { return l.model.count, len(l.cols) }

func (l *ordersList) createCell() fyne.CanvasObject {
	lbl := widget.NewLabel("")
	lbl.Truncation = fyne.TextTruncateEllipsis
	return lbl
}

func (l *ordersList) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	lbl := obj.(*widget.Label)
	lbl.Alignment = l.cols[id.Col].align
	o, missing := l.model.order(id.Row)
	if o == nil {
		text := ""
		if missing >= 0 {
			l.want(missing)
			if id.Col == 0 {
				text = "…" // on its way
			}
		}
		lbl.SetText(text)
		return
	}
	lbl.SetText(l.cols[id.Col].value(o, &l.names))
}

func (l *ordersList) createHeader() fyne.CanvasObject {
	lbl := widget.NewLabel("")
	lbl.TextStyle.Bold = true
	lbl.Truncation = fyne.TextTruncateEllipsis
	return lbl
}

func (l *ordersList) updateHeader(id widget.TableCellID, obj fyne.CanvasObject) {
	lbl := obj.(*widget.Label)
	if id.Col < 0 || id.Col >= len(l.cols) {
		lbl.SetText("")
		return
	}
	lbl.Alignment = l.cols[id.Col].align
	lbl.SetText(l.cols[id.Col].title)
}

// want loads page p in the background. It is called while the table draws
// a row it lacks; when the page arrives the table redraws, and rows still
// missing then ask for their page in turn.
func (l *ordersList) want(p int) {
	req, ok := l.model.request(p)
	if !ok {
		return
	}
	f := l.filter
	load(l.br, func(ctx context.Context) (pageRun, error) {
		return fetch(ctx, l.backend, f, req)
	}, func(run pageRun, err error) {
		if l.model.apply(run, err) {
			l.table.Refresh()
		} else if err != nil && run.req.gen == l.model.gen && l.onError != nil {
			l.onError(err)
		}
	})
}

// fillColumn lays the table out over the whole area and widens one column
// to take the width the fixed ones leave, so the table never scrolls
// sideways in a normal window and never leaves a blank strip on the right.
type fillColumn struct {
	table      *widget.Table
	col        int
	fixed, min float32
}

func (f *fillColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := max(f.min, size.Width-f.fixed-theme.Padding())
	f.table.SetColumnWidth(f.col, w) // a no-op when unchanged
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (f *fillColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}
