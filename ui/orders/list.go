package orders

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
)

// Page sizes of the order list: a page is one read of the store; the model
// keeps keepPages of them, enough for the rows on screen and a scroll back.
const (
	PageSize  = 100
	keepPages = 20
)

// table is the list's table; Escape on it closes the detail pane,
// which it would otherwise swallow while it has the keyboard focus.
type table struct {
	widget.Table
	onEscape func()
}

func (t *table) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyEscape && t.onEscape != nil {
		t.onEscape()
		return
	}
	t.Table.TypedKey(e)
}

// list is the virtualized order table, newest first. The table asks
// for the rows on screen only; rows whose page is not held show blank
// until the page arrives.
type list struct {
	backend Backend
	br      *bridge.Bridge
	filter  store.OrderFilter // of the store's list; a search's is in its keys
	model   *orderPages
	names   catalogNames
	cols    []orderColumn

	table   *table
	fill    *fillColumn
	content fyne.CanvasObject
	// onError reports a failed page read; the list then stops asking until
	// the next reset.
	onError func(error)
	// onSelect is called with the order of a row the bookkeeper picked.
	onSelect func(ledger.Order)
	// sort is how the rows are sorted, which the headings show; onSort
	// is called with the column whose heading was tapped.
	sort   sorting
	onSort func(col int)
}

func newList(b Backend, br *bridge.Bridge, pageSize int, onError func(error)) *list {
	if pageSize <= 0 {
		pageSize = PageSize
	}
	l := &list{
		backend: b, br: br, onError: onError,
		model: newOrderPages(pageSize, keepPages),
		cols:  orderColumns(),
	}
	l.table = &table{}
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
	l.fill = &fillColumn{table: &l.table.Table, col: customerCol, fixed: fixed + gaps,
		min: columnWidth(orderColumn{title: l.cols[customerCol].title, sortable: true, sample: "Margaret H."})}
	l.content = container.New(l.fill, l.table)
	return l
}

// reset shows the store's list under filter f: the count and first page
// read by the caller in the same background job as the names, so the first
// rows appear with a single redraw.
// A fresh list (another query) starts at the top with nothing selected.
func (l *list) reset(names catalogNames, f store.OrderFilter, count int, first []ledger.Order, next []byte, fresh bool) {
	l.names, l.filter = names, f
	l.model.reset(count, first, next)
	l.redraw(fresh)
}

// resetKeys shows a search's result: its keys and their first page.
func (l *list) resetKeys(names catalogNames, keys []ledger.OrderKey, first []ledger.Order, fresh bool) {
	l.names = names
	l.model.resetKeys(keys, first)
	l.redraw(fresh)
}

func (l *list) redraw(fresh bool) {
	if fresh {
		l.table.UnselectAll()
		l.table.ScrollToTop()
	}
	l.table.Refresh()
}

// rows returns how many rows the list has.
func (l *list) rows() int { return l.model.count }

// update shows a newer copy of an order, if a row shows it.
func (l *list) update(o ledger.Order) {
	if l.model.update(o) {
		l.table.Refresh()
	}
}

func (l *list) length() (int, int) { return l.model.count, len(l.cols) }

func (l *list) createCell() fyne.CanvasObject { return newTextCell() }

func (l *list) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
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

func (l *list) createHeader() fyne.CanvasObject { return newHeader() }

func (l *list) updateHeader(id widget.TableCellID, obj fyne.CanvasObject) {
	h := obj.(*header)
	if id.Col < 0 || id.Col >= len(l.cols) {
		h.set("", fyne.TextAlignLeading, 0, nil)
		return
	}
	col := id.Col
	var onTap func()
	if _, ok := sortKeys[col]; ok && l.onSort != nil {
		onTap = func() { l.onSort(col) }
	}
	h.set(l.cols[col].title, l.cols[col].align, l.sort.shows(col), onTap)
}

// selected opens the order of the row picked.
func (l *list) selected(id widget.TableCellID) {
	o, _ := l.model.order(id.Row)
	if o == nil || o.Number == "" && o.Created.IsZero() || l.onSelect == nil {
		return
	}
	l.onSelect(*o)
}

// want loads page p in the background. It is called while the table draws
// a row it lacks; when the page arrives the table redraws, and rows still
// missing then ask for their page in turn.
func (l *list) want(p int) {
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

// naturalWidth is the narrowest the list shows every column in.
func (l *list) naturalWidth() float32 { return l.fill.min + l.fill.fixed + theme.Padding() }

func (f *fillColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}
