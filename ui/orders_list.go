package ui

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
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

// shop names an order's shop; a removed shop's orders stay in the books.
func (n *catalogNames) shop(id ledger.ShopID) string {
	if name, ok := n.shops[id]; ok {
		return name
	}
	return lang.L("(removed shop)")
}

// orderColumn is one column of the list.
type orderColumn struct {
	title  string
	sample string // a typically wide value, to size the column
	align  fyne.TextAlign
	value  func(*ledger.Order, *catalogNames) string
	badge  func(*ledger.Order) color.Color // the status column's colour
}

// customerCol takes the width the other columns leave.
const customerCol = 2

func orderColumns() []orderColumn {
	return []orderColumn{
		{title: lang.L("Number"), sample: "00000000", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return o.Number }},
		{title: lang.L("Date"), sample: "2026-11-27 14:02", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return i18n.DateTime(o.Created) }},
		{title: lang.L("Customer"), sample: "Margaret Hamilton-Smith", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return o.CustomerName() }},
		{title: lang.L("Total"), sample: "10,000.00 USD", align: fyne.TextAlignTrailing,
			value: func(o *ledger.Order, _ *catalogNames) string { return i18n.Money(o.Total, o.Currency) }},
		{title: lang.L("Status"), sample: "Pending payment", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return i18n.OrderStatusName(o) },
			badge: StatusColor},
		{title: lang.L("Shop"), sample: "Demo shop long", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, n *catalogNames) string { return n.shop(o.Shop) }},
		{title: lang.L("Warehouse"), sample: "MAIN", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, n *catalogNames) string { return n.warehouses[o.Warehouse] }},
		{title: lang.L("Cost center"), sample: "WEB", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, n *catalogNames) string { return n.costCenters[o.CostCenter] }},
	}
}

// ordersTable is the list's table; Escape on it closes the detail pane,
// which it would otherwise swallow while it has the keyboard focus.
type ordersTable struct {
	widget.Table
	onEscape func()
}

func (t *ordersTable) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyEscape && t.onEscape != nil {
		t.onEscape()
		return
	}
	t.Table.TypedKey(e)
}

// ordersList is the virtualized order table, newest first. The table asks
// for the rows on screen only; rows whose page is not held show blank
// until the page arrives.
type ordersList struct {
	backend orderReader
	br      *bridge.Bridge
	filter  store.OrderFilter // of the store's list; a search's is in its keys
	model   *orderPages
	names   catalogNames
	cols    []orderColumn

	table   *ordersTable
	content fyne.CanvasObject
	// onError reports a failed page read; the list then stops asking until
	// the next reset.
	onError func(error)
	// onSelect is called with the order of a row the bookkeeper picked.
	onSelect func(ledger.Order)
}

func newOrdersList(b orderReader, br *bridge.Bridge, pageSize int, onError func(error)) *ordersList {
	if pageSize <= 0 {
		pageSize = listPageSize
	}
	l := &ordersList{
		backend: b, br: br, onError: onError,
		model: newOrderPages(pageSize, keepPages),
		cols:  orderColumns(),
	}
	l.table = &ordersTable{}
	l.table.Length, l.table.CreateCell, l.table.UpdateCell = l.length, l.createCell, l.updateCell
	l.table.ShowHeaderRow = true
	l.table.CreateHeader = l.createHeader
	l.table.UpdateHeader = l.updateHeader
	l.table.OnSelected = l.selected
	l.table.ExtendBaseWidget(l.table)
	fixed, gaps := float32(0), theme.Padding()*float32(len(l.cols)-1)
	for i, c := range l.cols {
		w := columnWidth(c)
		l.table.SetColumnWidth(i, w)
		if i != customerCol {
			fixed += w
		}
	}
	fill := &fillColumn{table: &l.table.Table, col: customerCol, fixed: fixed + gaps,
		min: columnWidth(orderColumn{title: l.cols[customerCol].title, sample: "Margaret H."})}
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

// reset shows the store's list under filter f: the count and first page
// read by the caller in the same background job as the names, so the first
// rows appear with a single redraw.
// A fresh list (another query) starts at the top with nothing selected.
func (l *ordersList) reset(names catalogNames, f store.OrderFilter, count int, first []ledger.Order, next []byte, fresh bool) {
	l.names, l.filter = names, f
	l.model.reset(count, first, next)
	l.redraw(fresh)
}

// resetKeys shows a search's result: its keys and their first page.
func (l *ordersList) resetKeys(names catalogNames, keys []ledger.OrderKey, first []ledger.Order, fresh bool) {
	l.names = names
	l.model.resetKeys(keys, first)
	l.redraw(fresh)
}

func (l *ordersList) redraw(fresh bool) {
	if fresh {
		l.table.UnselectAll()
		l.table.ScrollToTop()
	}
	l.table.Refresh()
}

// rows returns how many rows the list has.
func (l *ordersList) rows() int { return l.model.count }

// update shows a newer copy of an order, if a row shows it.
func (l *ordersList) update(o ledger.Order) {
	if l.model.update(o) {
		l.table.Refresh()
	}
}

func (l *ordersList) length() (int, int) { return l.model.count, len(l.cols) }

func (l *ordersList) createCell() fyne.CanvasObject { return newTextCell() }

func (l *ordersList) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	cell := obj.(*textCell)
	col := l.cols[id.Col]
	o, missing := l.model.order(id.Row)
	if o == nil || o.Number == "" && o.Created.IsZero() { // not held, or gone from the books
		text := ""
		if missing >= 0 {
			l.want(missing)
			if id.Col == 0 {
				text = "…" // on its way
			}
		}
		cell.set(text, col.align, nil)
		return
	}
	var badge color.Color
	if col.badge != nil {
		badge = col.badge(o)
	}
	cell.set(col.value(o, &l.names), col.align, badge)
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

// selected opens the order of the row picked.
func (l *ordersList) selected(id widget.TableCellID) {
	o, _ := l.model.order(id.Row)
	if o == nil || o.Number == "" && o.Created.IsZero() || l.onSelect == nil {
		return
	}
	l.onSelect(*o)
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
	bridge.Load(l.br, func(ctx context.Context) (pageRun, error) {
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
