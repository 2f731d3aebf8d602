package orders

import (
	"context"
	"strconv"

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

// listTotals shows in the footer what the orders the list shows add up
// to: a row per currency with the orders, net, tax, shipping, fees, total
// and refunded, never a sum of two currencies. They are read off the UI
// goroutine (from the books' sales records: store.OrderTotals) after each
// answer the list shows, so they follow a filter, a search and a reload
// during a sync.
type listTotals struct {
	u       UI
	b       Backend
	grid    *fyne.Container
	scroll  *container.Scroll
	content *fyne.Container
	shown   []store.CurrencyTotals // what the grid shows, for tests
	// resized is called when the grid gained or lost rows, for the page
	// to give the footer the height they take.
	resized func()

	// One read at a time: a request made while one runs waits for it and
	// replaces any other waiting, so a burst of reloads (a sync importing
	// page after page, a search typed) reads twice, not once per reload.
	gen     int            // bumped by each request and clear; older answers are dropped
	running bool           // a read is under way
	waiting *totalsRequest // the request to read once it ends
	held    bool           // out of sight (an order is open): requests wait
}

// totalsRequest asks for the totals of the orders a filter lists, or of a
// search's matches.
type totalsRequest struct {
	gen    int
	filter store.OrderFilter
	keys   []ledger.OrderKey // nil: the filter's orders
}

// totalsColumns is the grid's columns: currency, orders, six amounts.
const totalsColumns = 8

func newListTotals(u UI, b Backend) *listTotals {
	t := &listTotals{u: u, b: b, grid: container.New(&fitColumns{cols: totalsColumns})}
	// No amount is ever cut short: a window too narrow for them all
	// scrolls the totals sideways. The stack keeps their place in the
	// footer while they come and go, and lays them out again.
	t.scroll = container.NewHScroll(t.grid)
	t.content = container.NewStack(t.scroll)
	t.scroll.Hide() // until there are orders to add up
	return t
}

// request reads the totals of the orders f lists (keys nil) or of keys.
func (t *listTotals) request(f store.OrderFilter, keys []ledger.OrderKey) {
	t.gen++
	r := totalsRequest{gen: t.gen, filter: f, keys: keys}
	if t.running || t.held {
		t.waiting = &r
		return
	}
	t.start(r)
}

// hold hides the totals; what the list asks meanwhile is read only when
// they show again, so the 2 s reloads of an import read nothing unseen.
func (t *listTotals) hold() {
	t.held = true
	t.content.Hide()
}

// resume shows the totals again and reads the last request held.
func (t *listTotals) resume() {
	t.held = false
	t.content.Show()
	if next := t.waiting; next != nil && !t.running {
		t.waiting = nil
		t.start(*next)
	}
}

// clear shows no totals (a search that waits for the index) and drops the
// answer of any read under way.
func (t *listTotals) clear() {
	t.gen++
	t.waiting = nil
	t.show(nil)
}

func (t *listTotals) start(r totalsRequest) {
	t.running = true
	b := t.b
	bridge.Load(t.u.Bridge(), func(context.Context) ([]store.CurrencyTotals, error) {
		if r.keys != nil {
			return b.OrderTotalsOf(r.keys)
		}
		return b.OrderTotals(r.filter)
	}, func(totals []store.CurrencyTotals, err error) {
		t.running = false
		if next := t.waiting; next != nil && !t.held {
			t.waiting = nil
			t.start(*next)
			return
		}
		if r.gen != t.gen {
			return
		}
		if err != nil {
			t.u.ShowError(err)
			return
		}
		t.show(totals)
	})
}

// show lays out a header and a row per currency; nothing without orders.
func (t *listTotals) show(totals []store.CurrencyTotals) {
	rows := len(t.shown)
	t.shown = totals
	defer func() {
		t.content.Refresh()
		if len(totals) != rows && t.resized != nil {
			t.resized()
		}
	}()
	if len(totals) == 0 {
		t.grid.Objects = nil
		t.scroll.Hide()
		return
	}
	cells := make([]fyne.CanvasObject, 0, totalsColumns*(1+len(totals)))
	add := func(text string, bold bool, col int) {
		l := widget.NewLabel(text)
		if bold {
			l.TextStyle.Bold = true
		}
		if col > 0 {
			l.Alignment = fyne.TextAlignTrailing // amounts line up, as in a ledger
		}
		cells = append(cells, l)
	}
	for i, h := range totalsHeader() {
		add(h, true, i)
	}
	for _, ct := range totals {
		for i, v := range totalsRow(&ct) {
			add(v, false, i)
		}
	}
	t.grid.Objects = cells
	t.scroll.Show()
}

// totalsHeader names the grid's columns.
func totalsHeader() []string {
	return []string{lang.L("Currency"), lang.L("Orders"), lang.L("Net"), lang.L("Tax"), lang.L("Shipping"),
		lang.L("Fees"), lang.L("Total"), lang.L("Refunded")}
}

// totalsRow is one currency's row as the grid shows it.
func totalsRow(ct *store.CurrencyTotals) []string {
	return []string{ct.Currency, strconv.Itoa(ct.Orders), i18n.Number(ct.Net), i18n.Number(ct.Tax), i18n.Number(ct.Shipping),
		i18n.Number(ct.Fees), i18n.Number(ct.Total), i18n.Number(ct.Refunded)}
}

// fitColumns lays cells out in rows of cols, each column as wide as its
// widest cell, so no figure is cut short; width to spare goes to the
// columns after the first, where the amounts are, spreading them out.
type fitColumns struct{ cols int }

func (l *fitColumns) sizes(objs []fyne.CanvasObject) (widths, heights []float32) {
	widths = make([]float32, l.cols)
	for i, o := range objs {
		m := o.MinSize()
		widths[i%l.cols] = max(widths[i%l.cols], m.Width)
		if i%l.cols == 0 {
			heights = append(heights, 0)
		}
		heights[len(heights)-1] = max(heights[len(heights)-1], m.Height)
	}
	return widths, heights
}

func (l *fitColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	widths, heights := l.sizes(objs)
	pad := theme.Padding()
	var s fyne.Size
	for _, w := range widths {
		s.Width += w
	}
	for _, h := range heights {
		s.Height += h
	}
	s.Width += pad * float32(len(widths)-1)
	if len(heights) > 0 {
		s.Height += pad * float32(len(heights)-1)
	}
	return s
}

func (l *fitColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	widths, heights := l.sizes(objs)
	if spare := size.Width - l.MinSize(objs).Width; spare > 0 && l.cols > 1 {
		for c := 1; c < l.cols; c++ {
			widths[c] += spare / float32(l.cols-1)
		}
	}
	pad := theme.Padding()
	var y float32
	for r, h := range heights {
		var x float32
		for c := 0; c < l.cols && r*l.cols+c < len(objs); c++ {
			o := objs[r*l.cols+c]
			o.Move(fyne.NewPos(x, y))
			o.Resize(fyne.NewSize(widths[c], h))
			x += widths[c] + pad
		}
		y += h + pad
	}
}
