package orders

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// Page is the screen: filters and a search over the virtualized list, and
// the detail of the order picked beside or under it (pane.go).
type Page struct {
	u     UI
	b     Backend
	prefs exportPrefs
	list  *list

	// Search is the search field; the shell focuses it on Ctrl+F.
	Search   *widget.Entry
	shop     *widget.Select
	statuses *statusFilter
	period   *widget.Select // the date shortcuts
	from, to *widgets.DateField
	clear    *widget.Button
	export   *widget.Button
	count    *widget.Label
	matches  int             // orders the list shows, for the Export dialog
	exporter *orderExport    // the last Export dialog, for tests
	footer   *fyne.Container // lays the count out again when it changes
	totals   *listTotals     // in the footer: what the list adds up to
	detail   *orderDetail    // the open detail, nil when closed
	body     *fyne.Container
	split    *container.Split
	offsets  splitOffsets // where the divider was, beside the list and under it
	content  fyne.CanvasObject

	// What the last Show read: the shop filter's choices (after "All
	// shops"), and the names the list and the detail show.
	shops       []ledger.Shop
	warehouses  []ledger.Warehouse
	costCenters []ledger.CostCenter
	names       catalogNames

	sort     sorting     // as the headings were last tapped
	gen      int         // bumped by every query; older answers are dropped
	building bool        // building the filters: their callbacks wait
	answer   answerState // what the list shows
	shown    Query       // the query whose answer it shows
}

// answerState is what the list shows.
type answerState uint8

const (
	answerNone    answerState = iota // no answer yet
	answerWaiting                    // a search that waits for the index to be read
	answerOrders                     // the orders of the query shown
)

// New builds the screen over b; it shows nothing until Show. prefs keep
// the Export dialog's choices; pageSize is how many orders the list reads
// at once (0: PageSize).
func New(u UI, b Backend, prefs fyne.Preferences, pageSize int) *Page {
	p := &Page{u: u, b: b, prefs: exportPrefs{prefs}, building: true,
		offsets: splitOffsets{beside: besideSplit, below: belowSplit}}
	p.list = newList(b, u.Bridge(), pageSize, u.ShowError)
	p.list.onSelect = p.open
	p.list.onSort = p.sortBy
	p.list.table.onEscape = p.CloseDetail

	p.Search = widget.NewEntry()
	p.Search.SetPlaceHolder(lang.L("Search number, customer, email or SKU"))
	p.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
	p.Search.OnChanged = func(string) { p.query() }

	p.shop = widget.NewSelect(nil, func(string) { p.query() })
	p.statuses = newStatusFilter(p.query)
	p.period = widget.NewSelect(periodNames(), func(string) { p.periodChosen() })
	p.period.PlaceHolder = lang.L("Period")
	p.from = widgets.NewDateField(lang.L("From")+" ("+i18n.DateHint()+")", func(*time.Time) { p.datesTyped() })
	p.to = widgets.NewDateField(lang.L("To")+" ("+i18n.DateHint()+")", func(*time.Time) { p.datesTyped() })
	p.clear = widget.NewButtonWithIcon(lang.L("Clear filters"), theme.ContentClearIcon(), p.clearFilters)
	p.setShops(nil)
	p.count = widget.NewLabel("")
	p.export = widget.NewButtonWithIcon(lang.L("Export…"), theme.DownloadIcon(), p.openExport)
	p.export.Disable() // until the list has orders

	// The search and the date shortcuts take the first row; the filters
	// the second, so both fit whatever the language makes of their labels.
	h := p.shop.MinSize().Height
	filters := container.NewVBox(
		container.NewBorder(nil, nil, nil,
			container.NewHBox(container.NewGridWrap(fyne.NewSize(180, h), p.period), p.clear), p.Search),
		container.NewHBox(
			container.NewGridWrap(fyne.NewSize(180, h), p.shop),
			container.NewGridWrap(fyne.NewSize(180, h), p.statuses.button),
			container.NewGridWrap(fyne.NewSize(230, h), p.from.Content),
			container.NewGridWrap(fyne.NewSize(230, h), p.to.Content),
		))
	p.body = container.New(paneLayout{p}, p.list.content)
	p.totals = newListTotals(u, b)
	p.footer = container.NewBorder(nil, nil, p.count, container.NewVBox(container.NewPadded(p.export)), p.totals.content)
	p.content = container.NewBorder(container.NewPadded(filters), p.footer, nil, nil, p.body)
	p.totals.resized = p.content.Refresh
	p.building = false
	return p
}

// Content is what the navigation shows for the screen.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// setShops offers the shops in the shop filter, keeping the choice if that
// shop is still there.
func (p *Page) setShops(shops []ledger.Shop) {
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

func (p *Page) selectedShop() ledger.ShopID {
	if i := p.shop.SelectedIndex(); i > 0 && i <= len(p.shops) {
		return p.shops[i-1].ID
	}
	return 0
}

// currentQuery reads the filters.
func (p *Page) currentQuery() Query {
	q := Query{Text: p.Search.Text, sort: p.sort}
	q.Filter.Shop = p.selectedShop()
	q.Filter.Statuses = p.statuses.statuses()
	if p.from.Date != nil {
		q.Filter.From = *p.from.Date
	}
	if p.to.Date != nil {
		q.Filter.To = p.to.Date.AddDate(0, 0, 1) // the whole last day
	}
	return q
}

func (p *Page) clearFilters() {
	p.quietly(func() {
		p.Search.SetText("")
		p.shop.SetSelectedIndex(0)
		p.statuses.set(nil)
		p.period.ClearSelected()
		p.from.Set(nil)
		p.to.Set(nil)
	})
	p.query()
}

// KeepFilters takes over the filters of old, the screen this one replaces
// (the window builds its screens again in another language): the search,
// the shop, the statuses, the dates and their shortcut; and the open
// order's detail, with its dividers where they were dragged.
func (p *Page) KeepFilters(old *Page) {
	p.offsets = old.offsets
	if old.split != nil {
		*p.offsets.at(old.split.Horizontal) = old.split.Offset
	}
	if old.detail != nil {
		defer p.open(old.detail.order)
	}
	p.quietly(func() {
		p.Search.SetText(old.Search.Text)
		p.setShops(old.shops)
		p.shop.SetSelectedIndex(old.shop.SelectedIndex())
		p.statuses.set(old.statuses.statuses())
		if i := old.period.SelectedIndex(); i >= 0 {
			p.period.SetSelectedIndex(i)
		}
		p.from.Set(old.from.Date)
		p.to.Set(old.to.Date)
	})
	p.sort = old.sort
}

// sortBy sorts the list by a column, or the other way when it already is.
func (p *Page) sortBy(col int) {
	if s, ok := p.sort.tapped(col); ok {
		p.sort = s
		p.query()
		// Sorting 100,000 orders reads them all (seconds): say so meanwhile.
		p.count.SetText(lang.L("Sorting…"))
	}
}

// Prepare plans a read of the list as the filters ask, for the shell to
// run with its snapshot; it overtakes any query under way.
func (p *Page) Prepare() Reading {
	p.gen++
	ix, ready := p.u.SearchIndex()
	return Reading{page: p, gen: p.gen, q: p.currentQuery(), b: p.b, ix: ix, ready: ready, size: p.list.model.size}
}

// query lists what the filters ask for, in the background.
func (p *Page) query() {
	if p.building {
		return
	}
	r := p.Prepare()
	bridge.Load(p.u.Bridge(), func(context.Context) (Result, error) {
		return r.Read()
	}, func(res Result, err error) {
		if r.gen != p.gen {
			return // a later query is on its way
		}
		if err != nil {
			p.u.ShowError(err)
			return
		}
		p.show(res, r.q)
	})
}

// Show takes the shops, warehouses and cost centers the books hold (the
// shop filter's choices and the names the list shows) and, unless a later
// query overtook it, the answer of r read with them.
func (p *Page) Show(shops []ledger.Shop, whs []ledger.Warehouse, ccs []ledger.CostCenter, r Reading, res Result) {
	p.warehouses, p.costCenters = whs, ccs
	p.names = newCatalogNames(shops, whs, ccs)
	p.setShops(shops)
	if r.page == p && r.gen == p.gen {
		p.show(res, r.q)
	}
}

// show puts a query's answer in the list and the count under it.
func (p *Page) show(r Result, q Query) {
	// A new query starts at the top; the same one read again (a reload
	// while a sync imports) keeps the place in the list.
	fresh := p.answer == answerNone || !q.same(p.shown)
	p.shown = q
	p.list.sort = q.sort
	if r.keys != nil {
		p.list.resetKeys(p.names, r.keys, r.first, fresh)
	} else {
		p.list.reset(p.names, q.Filter, r.count, r.first, r.next, fresh)
	}
	p.answer = answerOrders
	if r.waiting {
		p.answer = answerWaiting
	}
	p.matches = r.count
	if r.waiting || r.count == 0 {
		p.export.Disable()
	} else {
		p.export.Enable()
	}
	p.count.Importance = widget.MediumImportance
	switch {
	case r.waiting:
		p.count.SetText(lang.L("Preparing the search…"))
	case q.reversed():
		// The store finds nothing between them: say why, not "0 orders".
		p.count.Importance = widget.DangerImportance
		p.count.SetText(lang.L("“To” ({{.To}}) is before “From” ({{.From}}). Change one of the dates.",
			map[string]any{"From": i18n.DateOnly(q.Filter.From), "To": i18n.DateOnly(q.Filter.To.AddDate(0, 0, -1))}))
	case q.search() || q.filtered():
		p.count.SetText(lang.N("{{.Count}} matching order", r.count, map[string]any{"Count": r.count}))
	default:
		p.count.SetText(lang.N("{{.Count}} order", r.count, map[string]any{"Count": r.count}))
	}
	switch {
	case r.waiting:
		p.totals.clear()
	case q.search():
		p.totals.request(store.OrderFilter{}, r.keys)
	default: // the filter's orders, in whatever order the list sorts them
		p.totals.request(q.Filter, nil)
	}
	p.footer.Refresh()
	if p.detail != nil {
		// The open order may be among what changed: the detail shows
		// what the list shows.
		p.detail.reload()
	}
}

// IndexReady is called once the search index has been read: a search
// that waited for it runs now.
func (p *Page) IndexReady() {
	if p.answer == answerWaiting || p.currentQuery().search() {
		p.query()
	}
}

// FocusSearch puts the cursor in the search field (Ctrl+F).
func (p *Page) FocusSearch() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.Search); c != nil {
		c.Focus(p.Search)
	}
}

// open shows the detail of an order beside or under the list.
func (p *Page) open(o ledger.Order) {
	d := newOrderDetail(p, o, p.CloseDetail, p.reassigned)
	p.detail = d
	if p.split == nil {
		// Beside the list at first; the body's layout puts it under the
		// list when the screen is too narrow for both.
		p.split = container.NewHSplit(p.list.content, d.content)
		p.split.Offset = p.offsets.beside
	} else {
		p.split.Trailing = d.content
		p.split.Refresh()
	}
	p.body.Objects = []fyne.CanvasObject{p.split}
	p.body.Refresh()
	// The totals are the list's; while an order is open its own amounts
	// show in the detail, and the list and detail need the height (at the
	// window's first size the footer left the list two rows).
	p.totals.hold()
	p.content.Refresh()
	d.load()
}

// CloseDetail closes the detail pane (Esc or its close button).
func (p *Page) CloseDetail() {
	if p.detail == nil {
		return
	}
	p.detail = nil
	p.body.Objects = []fyne.CanvasObject{p.list.content}
	p.body.Refresh()
	p.totals.resume()
	p.content.Refresh()
	p.list.table.UnselectAll()
}

// reassigned shows an order whose warehouse or cost center the detail
// changed, and updates the search index.
func (p *Page) reassigned(o ledger.Order) {
	p.list.update(o)
	ix, _ := p.u.SearchIndex()
	br := p.u.Bridge()
	br.Background(func(context.Context) {
		if err := ix.Upsert(o); err != nil {
			br.Do(func() { p.u.ShowError(err) })
		}
	})
}
