package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// shopsPage is the Shops tab: each connected shop with how it syncs and how
// its last sync went, and the buttons to add, edit and remove shops.
type shopsPage struct {
	w       *mainWindow
	add     *widget.Button
	cards   []*shopCard
	list    *fyne.Container
	none    *widget.Label
	editor  *shopEditor  // the open Edit dialog, for tests
	removal *shopRemoval // the open Remove dialog, for tests
	content fyne.CanvasObject
}

func newShopsPage(w *mainWindow) *shopsPage {
	p := &shopsPage{w: w}
	p.add = widget.NewButtonWithIcon(lang.L("Add shop"), theme.ContentAddIcon(), w.openWizard)
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

// show lists the shops with their sync state. errs are this session's
// sync failures, which say more than the stored text of the last one.
func (p *shopsPage) show(shops []ledger.Shop, states map[ledger.ShopID]ledger.SyncState, errs map[ledger.ShopID]error) {
	p.cards = p.cards[:0]
	p.list.RemoveAll()
	for _, sh := range shops {
		c := newShopCard(p, sh, states[sh.ID], errs[sh.ID])
		p.cards = append(p.cards, c)
		p.list.Add(c.content)
	}
	if len(shops) == 0 {
		p.none.Show()
	} else {
		p.none.Hide()
	}
	p.list.Refresh()
}

// card returns the card of the shop named name, for tests.
func (p *shopsPage) card(name string) *shopCard {
	for _, c := range p.cards {
		if c.shop.Name == name {
			return c
		}
	}
	return nil
}

// shopCard is one shop on the Shops page.
type shopCard struct {
	shop                  ledger.Shop
	name, url, mode, sync *widget.Label
	problem, detail       *widget.Label
	edit, remove          *widget.Button
	content               fyne.CanvasObject
}

func newShopCard(p *shopsPage, sh ledger.Shop, st ledger.SyncState, sessionErr error) *shopCard {
	c := &shopCard{shop: sh}
	c.name = bold(sh.Name)
	c.url = widget.NewLabel(sh.URL)
	c.url.Importance = widget.LowImportance
	c.url.Truncation = fyne.TextTruncateEllipsis
	c.mode = widget.NewLabel(lang.L("Sync: {{.Mode}}", map[string]any{"Mode": syncModeName(sh.SyncMode)}))
	if st.LastSuccess.IsZero() {
		c.sync = widget.NewLabel(lang.L("Not synced yet"))
	} else {
		c.sync = widget.NewLabel(lang.L("Last successful sync: {{.Date}}", map[string]any{"Date": dateTime(st.LastSuccess)}))
	}
	c.problem, c.detail = widget.NewLabel(""), widget.NewLabel("")
	c.problem.Importance, c.problem.Wrapping = widget.DangerImportance, fyne.TextWrapWord
	c.detail.Importance, c.detail.Wrapping = widget.LowImportance, fyne.TextWrapWord
	c.problem.Hide()
	c.detail.Hide()
	switch {
	case sessionErr != nil:
		c.problem.SetText(lang.L("Last sync failed: {{.Reason}}", map[string]any{"Reason": userMessage(sessionErr)}))
		c.problem.Show()
	case st.LastError != "":
		when := dateTime(st.LastAttempt)
		if when == "" {
			c.problem.SetText(lang.L("The last sync failed. Press Sync now to try again."))
		} else {
			c.problem.SetText(lang.L("The sync of {{.Date}} failed. Press Sync now to try again.", map[string]any{"Date": when}))
		}
		c.detail.SetText(st.LastError)
		c.problem.Show()
		c.detail.Show()
	}
	c.edit = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { p.openEditor(sh) })
	c.remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() { p.openRemoval(sh) })
	buttons := container.NewHBox(c.edit, c.remove)
	info := container.NewVBox(c.name, c.url, c.mode, c.sync, c.problem, c.detail)
	c.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewVBox(buttons, layout.NewSpacer()), info),
		widget.NewSeparator())
	return c
}

func (p *shopsPage) openEditor(sh ledger.Shop) {
	p.editor = newShopEditor(p.w, sh, func() {
		p.editor = nil
		p.w.reload(nil)
	})
	p.editor.dlg.Show()
}

func (p *shopsPage) openRemoval(sh ledger.Shop) {
	p.removal = newShopRemoval(p.w, sh, func(keep bool) {
		p.removal = nil
		if !keep {
			p.w.index.RemoveShop(sh.ID)
		}
		p.w.forgetShop(sh.ID)
		p.w.reload(nil)
	})
	p.removal.dlg.Show()
}

// shopRemoval asks whether to keep a shop's orders before removing it; by
// default they stay in the books.
type shopRemoval struct {
	keep    *widget.Check
	problem *widget.Label
	remove  *widget.Button
	dlg     *dialog.CustomDialog
}

func newShopRemoval(w *mainWindow, sh ledger.Shop, onRemoved func(keep bool)) *shopRemoval {
	r := &shopRemoval{}
	text := widget.NewLabel(lang.L("Remove {{.Shop}}? ShopLedger stops syncing it and deletes its API keys from the keyring.", map[string]any{"Shop": sh.Name}))
	text.Wrapping = fyne.TextWrapWord
	r.keep = widget.NewCheck(lang.L("Keep this shop's orders in the books"), nil)
	r.keep.SetChecked(true)
	hint := widget.NewLabel(lang.L("Kept orders stay in the list and in exports, under the removed shop."))
	hint.Wrapping, hint.Importance = fyne.TextWrapWord, widget.LowImportance
	r.problem = errorLabel("")
	r.problem.Hide()
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	r.remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), nil)
	r.remove.Importance = widget.DangerImportance
	body := container.NewVBox(text, r.keep, hint, r.problem)
	r.dlg = newDialog(lang.L("Remove shop"), body, w.win, cancel, r.remove)
	cancel.OnTapped = r.dlg.Hide
	r.remove.OnTapped = func() {
		keep := r.keep.Checked
		b := w.backend
		r.remove.Disable()
		load(w.br, func(context.Context) (struct{}, error) {
			return struct{}{}, b.RemoveShop(sh.ID, keep)
		}, func(_ struct{}, err error) {
			r.remove.Enable()
			if err != nil {
				r.problem.SetText(userMessage(err))
				r.problem.Show()
				return
			}
			r.dlg.Hide()
			onRemoved(keep)
		})
	}
	return r
}
