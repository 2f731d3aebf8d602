// Package shops is the Shops screen: each connected shop with how it syncs
// and how its last sync went, and the ways to add one (the Add shop
// wizard), change it (Edit shop, with Replace keys), verify its orders with
// the shop and remove it.
package shops

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/verify"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// UI is what the screen needs from the window's shell.
type UI interface {
	Window() fyne.Window
	Bridge() *bridge.Bridge
	// Now is the window's clock, which a shop's next sync and the first
	// day to import count from.
	Now() time.Time
	// Reload reads the books again and shows them on every screen.
	Reload()
	// StatusBusy and StatusDone put a sentence in the window's status
	// line: one with the spinner running, and one that says what happened
	// (failed shows it as a problem).
	StatusBusy(text string)
	StatusDone(text string, failed bool)
	// ShopAdded is told of a shop the wizard stored: the shell shows it
	// and runs its first sync at once.
	ShopAdded(ledger.Shop)
	// ShopRemoved is told of a removed shop: the shell forgets what it
	// remembers of it, and its orders in the search index unless they were
	// kept. The screen reloads afterwards.
	ShopRemoved(id ledger.ShopID, keptOrders bool)
	// OrdersCorrected is told when a verification changed or added
	// orders: the shell reads the list and the search index again.
	OrdersCorrected()
}

// Backend connects, changes and removes shops; *books.Books has it all.
type Backend interface {
	widgets.CatalogBackend // the wizard and Edit shop pick and create these
	Shops() ([]ledger.Shop, error)
	SyncState(ledger.ShopID) (ledger.SyncState, error)
	// CheckShop says early whether another shop than id has this name or
	// address (a *store.DuplicateError).
	CheckShop(id ledger.ShopID, name, url string) error
	// Probe is "Test connection": what stands between ShopLedger and the
	// shop's orders, with the certificate to trust when that is it.
	Probe(ctx context.Context, url, key, secret, certSHA256 string) *woo.Diagnosis
	// OrdersLeftOut counts the orders a first import from n.ImportFrom
	// leaves out, reached as the connection test via found the shop.
	OrdersLeftOut(ctx context.Context, n books.NewShop, via *woo.Diagnosis) (int, error)
	AddShop(books.NewShop) (ledger.Shop, error)
	UpdateShop(ledger.Shop) error
	RemoveShop(id ledger.ShopID, keepOrders bool) error
	// ReplaceKeys gives a shop new API keys once the shop accepts them.
	ReplaceKeys(ctx context.Context, id ledger.ShopID, key, secret string) (*woo.Diagnosis, error)
	// Verify is "Verify with shop": the shop's orders compared with the
	// books, and what differs fetched again.
	Verify(ctx context.Context, id ledger.ShopID, opt verify.Options) (verify.Report, error)
}

var _ Backend = (*books.Books)(nil)

// Scheduler is the engine's automatic sync, which says when each shop
// syncs next and follows the shops after a change.
type Scheduler interface {
	Status(ledger.ShopID) (autosync.Status, error)
	Refresh() error
}

// Snapshot is what the screen shows, from the shell's last reading of the
// books.
type Snapshot struct {
	Shops  []ledger.Shop
	States map[ledger.ShopID]ledger.SyncState
	// SyncErrs are this session's sync failures, which say more than the
	// stored text of the last one.
	SyncErrs map[ledger.ShopID]error
	// Warehouses and CostCenters are what the wizard and Edit shop offer.
	Warehouses  []ledger.Warehouse
	CostCenters []ledger.CostCenter
}

// Page is the screen.
type Page struct {
	u     UI
	b     Backend
	sched Scheduler // nil without an engine: no next runs shown

	gen     int // counts Show calls, so a late schedule read is dropped
	add     *widget.Button
	cards   []*Card
	list    *fyne.Container
	none    *widget.Label
	content fyne.CanvasObject

	warehouses  []ledger.Warehouse
	costCenters []ledger.CostCenter

	wizard  *Wizard     // the open Add shop wizard
	editor  *shopEditor // the open Edit dialog, for tests
	removal *Removal    // the open Remove dialog
}

// New builds the screen over b; sched is the automatic sync, or nil.
func New(u UI, b Backend, sched Scheduler) *Page {
	p := &Page{u: u, b: b, sched: sched}
	p.add = widget.NewButtonWithIcon(lang.L("Add shop"), theme.ContentAddIcon(), p.OpenWizard)
	p.add.Importance = widget.HighImportance
	p.none = widget.NewLabel(lang.L("No shops yet. Add your WooCommerce shop to import its orders."))
	p.none.Wrapping = fyne.TextWrapWord
	p.list = container.NewVBox()
	title := widget.NewLabelWithStyle(lang.L("Shops"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	top := container.NewBorder(nil, nil, nil, p.add, title)
	p.content = container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(p.none, p.list))))
	return p
}

// Content is what the navigation shows for the screen.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// Show lists the shops with their sync state.
func (p *Page) Show(s Snapshot) {
	p.warehouses, p.costCenters = s.Warehouses, s.CostCenters
	// Details a card shows stay open across a reload.
	open := map[ledger.ShopID]bool{}
	for _, c := range p.cards {
		open[c.shop.ID] = c.Detail.Visible()
	}
	p.cards = p.cards[:0]
	p.list.RemoveAll()
	for _, sh := range s.Shops {
		c := newCard(p, sh, s.States[sh.ID], s.SyncErrs[sh.ID])
		if open[sh.ID] {
			c.toggleDetails()
		}
		p.cards = append(p.cards, c)
		p.list.Add(c.content)
	}
	if len(s.Shops) == 0 {
		p.none.Show()
	} else {
		p.none.Hide()
	}
	p.list.Refresh()
	p.gen++
	p.loadSchedules()
}

// loadSchedules reads when each shop syncs next from the automatic sync,
// and shows it on its card.
func (p *Page) loadSchedules() {
	r := p.sched
	if r == nil || len(p.cards) == 0 {
		return
	}
	gen := p.gen
	ids := make([]ledger.ShopID, len(p.cards))
	for i, c := range p.cards {
		ids[i] = c.shop.ID
	}
	bridge.Load(p.u.Bridge(), func(context.Context) (map[ledger.ShopID]autosync.Status, error) {
		out := make(map[ledger.ShopID]autosync.Status, len(ids))
		for _, id := range ids {
			if st, err := r.Status(id); err == nil {
				out[id] = st
			} // a shop not served yet shows no next run
		}
		return out, nil
	}, func(sts map[ledger.ShopID]autosync.Status, _ error) {
		if gen != p.gen {
			return // the cards were made again meanwhile
		}
		for _, c := range p.cards {
			if st, ok := sts[c.shop.ID]; ok {
				c.showSchedule(st, p.u.Now())
			}
		}
	})
}

// shopsChanged tells the automatic sync that a shop was edited or
// removed, so it follows the new schedule or stops.
func (p *Page) shopsChanged() {
	r := p.sched
	if r == nil {
		return
	}
	bridge.Load(p.u.Bridge(), func(context.Context) (struct{}, error) {
		return struct{}{}, r.Refresh()
	}, func(_ struct{}, err error) {
		if err != nil {
			p.u.StatusDone(i18n.UserMessage(err), true)
		}
	})
}

// Card returns the card of the shop named name, or nil.
func (p *Page) Card(name string) *Card {
	for _, c := range p.cards {
		if c.shop.Name == name {
			return c
		}
	}
	return nil
}

// OpenWizard shows the Add shop wizard; a shop it adds goes to the shell
// (UI.ShopAdded). The Add shop button, the welcome screen and the shell's
// Ctrl+N open it; while one is open, it is the one.
func (p *Page) OpenWizard() {
	if p.wizard != nil {
		return
	}
	z := newWizard(p, p.u.ShopAdded)
	z.dlg.SetOnClosed(func() {
		if p.wizard == z {
			p.wizard = nil
		}
	})
	p.wizard = z
	z.open()
}

// Wizard is the open Add shop wizard, or nil.
func (p *Page) Wizard() *Wizard { return p.wizard }

func (p *Page) openEditor(sh ledger.Shop) {
	p.editor = newShopEditor(p, sh, func() {
		p.editor = nil
		p.shopsChanged()
		p.u.Reload()
	})
	p.editor.dlg.Show()
}

// Remove asks whether to keep the orders of sh, keep checked or not at
// first, and removes the shop; then removed runs with the choice made.
// Each card's Remove asks with keep checked and tells the shell
// (UI.ShopRemoved); the shell's demo banner asks for the demo shop with
// keep unchecked, and cleans up after it itself.
func (p *Page) Remove(sh ledger.Shop, keep bool, removed func(keep bool)) {
	p.removal = newRemoval(p, sh, func(keep bool) {
		p.removal = nil
		removed(keep)
	})
	p.removal.Keep.SetChecked(keep)
	p.removal.dlg.Show()
}

// Removal is the open Remove shop dialog, or nil.
func (p *Page) Removal() *Removal { return p.removal }

// removed is what a card's Remove does once the shop is gone.
func (p *Page) removed(sh ledger.Shop) func(keep bool) {
	return func(keep bool) {
		p.u.ShopRemoved(sh.ID, keep)
		p.shopsChanged()
		p.u.Reload()
	}
}
