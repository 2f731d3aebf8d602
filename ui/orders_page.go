package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// orderQuery is what the filters ask for. Without text the store lists the
// orders page by page (its indexes filter by shop, status and date); with
// text the order index finds them.
type orderQuery struct {
	filter store.OrderFilter
	text   string
}

func (q orderQuery) search() bool { return strings.TrimSpace(q.text) != "" }

// orderResult is a query's answer: how many orders match and the first
// page of them, plus what the list needs to read the rest.
type orderResult struct {
	count int
	first []ledger.Order
	next  []byte            // the store's token after the first page
	keys  []ledger.OrderKey // a search's matches, newest first
	// waiting: the query needs the index, which is still being read.
	waiting bool
}

// readOrders answers q, off the UI goroutine. ready says whether the index
// has been filled.
func readOrders(b orderReader, ix *orderindex.Index, ready bool, q orderQuery, size int) (r orderResult, err error) {
	if !q.search() {
		if r.count, err = b.CountOrders(q.filter); err != nil {
			return r, err
		}
		r.first, r.next, err = b.Orders(q.filter, nil, size)
		return r, err
	}
	if !ready {
		return orderResult{waiting: true, keys: []ledger.OrderKey{}}, nil
	}
	f := q.filter
	r.keys = ix.Search(orderindex.Query{Text: q.text, Shop: f.Shop, Status: f.Status, From: f.From, To: f.To})
	r.count = len(r.keys)
	r.first, err = orderindex.Fetch(b, r.keys[:min(len(r.keys), size)])
	return r, err
}

// ordersPage is the Orders tab: filters and a search over the virtualized
// list, and the detail of the order picked beside it.
type ordersPage struct {
	w    *mainWindow
	list *ordersList

	search         *widget.Entry
	shop, status   *widget.Select
	from, to       *widgets.DateField
	clear          *widget.Button
	export         *widget.Button
	count          *widget.Label
	matches        int             // orders the list shows, for the Export dialog
	exporter       *orderExport    // the last Export dialog, for tests
	footer         *fyne.Container // lays the count out again when it changes
	detail         *orderDetail    // the open detail, nil when closed
	body           *fyne.Container
	split          *container.Split
	shops          []ledger.Shop // the shop filter's choices, after "All shops"
	gen            int           // bumped by every query; older answers are dropped
	building       bool          // building the filters: their callbacks wait
	lastWasWaiting bool          // the last answer waited for the index
	shown          *orderQuery   // the query the list shows
	content        fyne.CanvasObject
}

func newOrdersPage(w *mainWindow, pageSize int) *ordersPage {
	p := &ordersPage{w: w, building: true}
	p.list = newOrdersList(w.backend, w.br, pageSize, func(err error) { w.status.done(i18n.UserMessage(err), true) })
	p.list.onSelect = p.open
	p.list.table.onEscape = p.closeDetail

	p.search = widget.NewEntry()
	p.search.SetPlaceHolder(lang.L("Search number, customer, email or SKU"))
	p.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	p.search.OnChanged = func(string) { p.query() }

	p.shop = widget.NewSelect(nil, func(string) { p.query() })
	p.status = widget.NewSelect(statusOptions(), func(string) { p.query() })
	p.status.SetSelectedIndex(0)
	p.from = widgets.NewDateField(lang.L("From")+" ("+i18n.DateHint()+")", func(*time.Time) { p.query() })
	p.to = widgets.NewDateField(lang.L("To")+" ("+i18n.DateHint()+")", func(*time.Time) { p.query() })
	p.clear = widget.NewButtonWithIcon(lang.L("Clear filters"), theme.ContentClearIcon(), p.clearFilters)
	p.setShops(nil)
	p.count = widget.NewLabel("")
	p.export = widget.NewButtonWithIcon(lang.L("Export…"), theme.DownloadIcon(), p.openExport)
	p.export.Disable() // until the list has orders

	// The search takes the first row; the filters the second, so both fit
	// whatever the language makes of their labels.
	h := p.shop.MinSize().Height
	filters := container.NewVBox(
		container.NewBorder(nil, nil, nil, p.clear, p.search),
		container.NewHBox(
			container.NewGridWrap(fyne.NewSize(180, h), p.shop),
			container.NewGridWrap(fyne.NewSize(180, h), p.status),
			container.NewGridWrap(fyne.NewSize(230, h), p.from.Content),
			container.NewGridWrap(fyne.NewSize(230, h), p.to.Content),
		))
	p.body = container.NewStack(p.list.content)
	p.footer = container.NewBorder(nil, nil, p.count, container.NewPadded(p.export))
	p.content = container.NewBorder(container.NewPadded(filters), p.footer, nil, nil, p.body)
	p.building = false
	return p
}

// statusOptions are the status filter's choices: all, then WooCommerce's.
func statusOptions() []string {
	opts := []string{lang.L("All statuses")}
	for _, s := range ledger.KnownStatuses {
		opts = append(opts, i18n.StatusName(s))
	}
	return opts
}

// setShops offers the shops in the shop filter, keeping the choice if that
// shop is still there.
func (p *ordersPage) setShops(shops []ledger.Shop) {
	keep := p.selectedShop()
	p.shops = shops
	opts := []string{lang.L("All shops")}
	sel := 0
	for i, sh := range shops {
		opts = append(opts, sh.Name)
		if sh.ID == keep {
			sel = i + 1
		}
	}
	was := p.building
	p.building = true // not a new query: the shops were just read with one
	p.shop.SetOptions(opts)
	p.shop.SetSelectedIndex(sel)
	p.building = was
}

func (p *ordersPage) selectedShop() ledger.ShopID {
	if i := p.shop.SelectedIndex(); i > 0 && i <= len(p.shops) {
		return p.shops[i-1].ID
	}
	return 0
}

// currentQuery reads the filters.
func (p *ordersPage) currentQuery() orderQuery {
	q := orderQuery{text: p.search.Text}
	q.filter.Shop = p.selectedShop()
	if i := p.status.SelectedIndex(); i > 0 && i <= len(ledger.KnownStatuses) {
		q.filter.Status = ledger.KnownStatuses[i-1]
	}
	if p.from.Date != nil {
		q.filter.From = *p.from.Date
	}
	if p.to.Date != nil {
		q.filter.To = p.to.Date.AddDate(0, 0, 1) // the whole last day
	}
	return q
}

func (p *ordersPage) clearFilters() {
	p.building = true
	p.search.SetText("")
	p.shop.SetSelectedIndex(0)
	p.status.SetSelectedIndex(0)
	p.from.Set(nil)
	p.to.Set(nil)
	p.building = false
	p.query()
}

// query lists what the filters ask for, in the background.
func (p *ordersPage) query() {
	if p.building {
		return
	}
	p.gen++
	gen, q := p.gen, p.currentQuery()
	ix, ready, size := p.w.index, p.w.indexState.ready(), p.list.model.size
	bridge.Load(p.w.br, func(context.Context) (orderResult, error) {
		return readOrders(p.w.backend, ix, ready, q, size)
	}, func(r orderResult, err error) {
		if gen != p.gen {
			return // a later query is on its way
		}
		if err != nil {
			p.w.status.done(i18n.UserMessage(err), true)
			return
		}
		p.show(r, q)
	})
}

// show puts a query's answer in the list and the count under it.
func (p *ordersPage) show(r orderResult, q orderQuery) {
	names := p.w.names()
	// A new query starts at the top; the same one read again (a reload
	// while a sync imports) keeps the place in the list.
	fresh := p.shown == nil || *p.shown != q
	p.shown = &q
	if r.keys != nil {
		p.list.resetKeys(names, r.keys, r.first, fresh)
	} else {
		p.list.reset(names, q.filter, r.count, r.first, r.next, fresh)
	}
	p.lastWasWaiting = r.waiting
	p.matches = r.count
	if r.waiting || r.count == 0 {
		p.export.Disable()
	} else {
		p.export.Enable()
	}
	switch {
	case r.waiting:
		p.count.SetText(lang.L("Preparing the search…"))
	case q.search() || q.filter != (store.OrderFilter{}):
		p.count.SetText(lang.N("{{.Count}} matching order", r.count, map[string]any{"Count": r.count}))
	default:
		p.count.SetText(lang.N("{{.Count}} order", r.count, map[string]any{"Count": r.count}))
	}
	p.footer.Refresh()
	if p.detail != nil {
		// The open order may be among what changed: the detail shows
		// what the list shows.
		p.detail.reload()
	}
}

// indexReady is called once the order index has been read: a search that
// waited for it runs now.
func (p *ordersPage) indexReady() {
	if p.lastWasWaiting || p.currentQuery().search() {
		p.query()
	}
}

// focusSearch puts the cursor in the search field (Ctrl+F).
func (p *ordersPage) focusSearch() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.search); c != nil {
		c.Focus(p.search)
	}
}

// open shows the detail of an order beside the list.
func (p *ordersPage) open(o ledger.Order) {
	d := newOrderDetail(p.w, o, p.closeDetail, p.reassigned)
	p.detail = d
	if p.split == nil {
		p.split = container.NewHSplit(p.list.content, d.content)
		p.split.Offset = 0.58
	} else {
		p.split.Trailing = d.content
		p.split.Refresh()
	}
	p.body.Objects = []fyne.CanvasObject{p.split}
	p.body.Refresh()
	d.load()
}

// closeDetail closes the detail pane (Esc or its close button).
func (p *ordersPage) closeDetail() {
	if p.detail == nil {
		return
	}
	p.detail = nil
	p.body.Objects = []fyne.CanvasObject{p.list.content}
	p.body.Refresh()
	p.list.table.UnselectAll()
}

// reassigned shows an order whose warehouse or cost center the detail
// changed, and updates the search index.
func (p *ordersPage) reassigned(o ledger.Order) {
	p.list.update(o)
	ix := p.w.index
	p.w.br.Background(func(context.Context) {
		if err := ix.Upsert(o); err != nil {
			p.w.br.Do(func() { p.w.status.done(i18n.UserMessage(err), true) })
		}
	})
}
