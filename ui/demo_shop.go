package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// demoRunner runs the demo shop, a simulated shop on this computer:
// *engine.Engine has it.
type demoRunner interface {
	// StartDemo adds the demo shop to the books and starts it.
	StartDemo(ctx context.Context, opt demo.Options) (*demo.Demo, error)
	// ResumeDemo starts again the demo shop the books have, if any.
	ResumeDemo(ctx context.Context, opt demo.Options) (*demo.Demo, error)
	// Demo returns the demo shop running, if any.
	Demo() *demo.Demo
	// StopDemo stops the demo shop running, if any.
	StopDemo()
}

// demos is what runs the demo shop; nil without an engine (some tests).
func (w *mainWindow) demos() demoRunner {
	if w.eng == nil {
		return nil
	}
	return w.eng
}

// demoOptions names the demo shop, its warehouse and its cost center in
// the window's language, so that its orders say where they come from
// wherever they are listed.
func demoOptions() demo.Options {
	return demo.Options{
		Name:           lang.L("Demo shop (sample data)"),
		WarehouseName:  lang.L("Demo warehouse (sample data)"),
		CostCenterName: lang.L("Demo cost center (sample data)"),
	}
}

// tryDemo is the welcome screen's "Try with a demo shop": the demo shop
// starts in the background, then the window shows it and syncs it, so its
// few hundred orders arrive in the list.
func (w *mainWindow) tryDemo() {
	r := w.demos()
	if r == nil || w.demo == demoStarting {
		return
	}
	w.demo = demoStarting
	w.empty.starting()
	w.status.busy(lang.L("Starting the demo shop…"))
	opt := demoOptions()
	bridge.Load(w.br, func(ctx context.Context) (struct{}, error) {
		_, err := r.StartDemo(ctx, opt)
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		w.demo = demoIdle
		if err != nil {
			msg := lang.L("The demo shop could not be started: {{.Message}}", map[string]any{"Message": i18n.UserMessage(err)})
			w.empty.started(msg)
			w.status.done(msg, true)
			return
		}
		w.empty.started("")
		w.reload(w.syncNow)
	})
}

// resumeDemo starts again, at the start of the app, the demo shop the
// books have (its simulator lives only as long as the process), then runs
// then. Without a demo shop it runs then at once.
func (w *mainWindow) resumeDemo(then func()) {
	r := w.demos()
	if _, ok := demoShop(w.shops); !ok || r == nil {
		then()
		return
	}
	opt := demoOptions()
	bridge.Load(w.br, func(ctx context.Context) (struct{}, error) {
		_, err := r.ResumeDemo(ctx, opt)
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		if err != nil {
			w.status.done(lang.L("The demo shop could not be started: {{.Message}}", map[string]any{"Message": i18n.UserMessage(err)}), true)
		}
		// The simulator listens on a new port: read the shop again
		// before syncing it.
		w.reload(then)
	})
}

// demoShop returns the demo shop among shops, if there is one.
func demoShop(shops []ledger.Shop) (ledger.Shop, bool) {
	for _, sh := range shops {
		if demo.IsDemo(sh) {
			return sh, true
		}
	}
	return ledger.Shop{}, false
}

// demoBanner tops the order list while a demo shop is in the books, so
// that its orders are never taken for real ones.
type demoBanner struct {
	text    *widget.Label
	remove  *widget.Button
	shop    ledger.Shop
	content *fyne.Container
}

func newDemoBanner(onRemove func(ledger.Shop)) *demoBanner {
	d := &demoBanner{}
	d.text = widget.NewLabel("")
	d.text.Wrapping = fyne.TextWrapWord
	d.remove = widget.NewButtonWithIcon(lang.L("Remove demo shop"), theme.DeleteIcon(), func() { onRemove(d.shop) })
	icon := widget.NewIcon(theme.InfoIcon())
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	bg.CornerRadius = theme.InputRadiusSize()
	row := container.NewBorder(nil, nil, icon, container.NewCenter(d.remove), d.text)
	d.content = container.NewPadded(container.NewStack(bg, container.NewPadded(row)))
	d.content.Hide()
	return d
}

// show shows the banner for the demo shop among shops, or hides it.
func (d *demoBanner) show(shops []ledger.Shop) {
	sh, ok := demoShop(shops)
	if !ok {
		if d.content.Visible() {
			d.content.Hide()
		}
		return
	}
	d.shop = sh
	d.text.SetText(lang.L("Demo data: the orders of “{{.Shop}}” come from a simulated shop on this computer, not from a real one. New orders arrive every 20 seconds or so.",
		map[string]any{"Shop": sh.Name}))
	if !d.content.Visible() {
		d.content.Show()
	}
}

// removeDemo asks before removing the demo shop, with its orders: sample
// orders have no place in the books. Removed with them, the demo's
// warehouse and cost center go too, unless another shop books into them.
func (w *mainWindow) removeDemo(sh ledger.Shop) {
	w.shopsPage.Remove(sh, false, func(keep bool) {
		w.forgetShop(sh.ID)
		if keep {
			w.reload(nil)
			return
		}
		w.index.RemoveShop(sh.ID)
		w.removeDemoCatalog()
	})
}

// demoRemoved has the engine stop the demo shop if id, a shop just
// removed from the books (with Remove demo shop or on the Shops page), is
// its shop: the simulator and its customers stop now rather than at the
// customers' next visit.
func (w *mainWindow) demoRemoved(id ledger.ShopID) {
	r := w.demos()
	if r == nil {
		return
	}
	w.br.Background(func(context.Context) {
		if r.Demo().Owns(id) {
			r.StopDemo()
		}
	})
}

// removeDemoCatalog deletes the DEMO warehouse and cost center, then
// shows the books again. One still in use stays, without a word: the
// bookkeeper chose it for a shop of theirs.
func (w *mainWindow) removeDemoCatalog() {
	var whs []ledger.WarehouseID
	var ccs []ledger.CostCenterID
	for _, wh := range w.warehouses {
		if wh.Code == demo.Code {
			whs = append(whs, wh.ID)
		}
	}
	for _, cc := range w.costCenters {
		if cc.Code == demo.Code {
			ccs = append(ccs, cc.ID)
		}
	}
	b := w.backend
	bridge.Load(w.br, func(context.Context) (struct{}, error) {
		for _, id := range whs {
			if err := b.DeleteWarehouse(id); err != nil && !isInUse(err) {
				return struct{}{}, err
			}
		}
		for _, id := range ccs {
			if err := b.DeleteCostCenter(id); err != nil && !isInUse(err) {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	}, func(_ struct{}, err error) {
		if err != nil {
			w.status.done(i18n.UserMessage(err), true)
		}
		w.reload(nil)
	})
}

func isInUse(err error) bool {
	var iu *store.InUseError
	return errors.As(err, &iu)
}
