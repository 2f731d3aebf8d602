package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/verify"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// shopsPage is the Shops tab: each connected shop with how it syncs and how
// its last sync went, and the buttons to add, edit and remove shops.
type shopsPage struct {
	w       *mainWindow
	gen     int // counts show calls, so a late schedule read is dropped
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
	// Details a card shows stay open across a reload.
	open := map[ledger.ShopID]bool{}
	for _, c := range p.cards {
		open[c.shop.ID] = c.detail.Visible()
	}
	p.cards = p.cards[:0]
	p.list.RemoveAll()
	for _, sh := range shops {
		c := newShopCard(p, sh, states[sh.ID], errs[sh.ID])
		if open[sh.ID] {
			c.toggleDetails()
		}
		p.cards = append(p.cards, c)
		p.list.Add(c.content)
	}
	if len(shops) == 0 {
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
func (p *shopsPage) loadSchedules() {
	r := p.w.scheduler()
	if r == nil || len(p.cards) == 0 {
		return
	}
	gen := p.gen
	ids := make([]ledger.ShopID, len(p.cards))
	for i, c := range p.cards {
		ids[i] = c.shop.ID
	}
	bridge.Load(p.w.br, func(context.Context) (map[ledger.ShopID]autosync.Status, error) {
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
				c.showSchedule(st, p.w.now())
			}
		}
	})
}

// scheduler reads shops' schedules: the engine's automatic sync, or nil.
type scheduler interface {
	Status(ledger.ShopID) (autosync.Status, error)
	// Refresh makes the automatic sync follow the shops after a change.
	Refresh() error
}

func (w *mainWindow) scheduler() scheduler {
	if w.eng == nil || w.eng.Sync == nil {
		return nil
	}
	return w.eng.Sync
}

// shopsChanged tells the automatic sync that a shop was edited or
// removed, so it follows the new schedule or stops.
func (w *mainWindow) shopsChanged() {
	r := w.scheduler()
	if r == nil {
		return
	}
	bridge.Load(w.br, func(context.Context) (struct{}, error) {
		return struct{}{}, r.Refresh()
	}, func(_ struct{}, err error) {
		if err != nil {
			w.status.done(i18n.UserMessage(err), true)
		}
	})
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
	shop                   ledger.Shop
	name, mode, sync, next *widget.Label
	url, detail            *widgets.Hint
	problem                *widget.Label
	details                *widget.Button // shows or hides detail
	verify, edit, remove   *widget.Button
	content                fyne.CanvasObject
}

func newShopCard(p *shopsPage, sh ledger.Shop, st ledger.SyncState, sessionErr error) *shopCard {
	c := &shopCard{shop: sh}
	c.name = widgets.BoldLabel(sh.Name)
	c.url = widgets.NewHint(sh.URL)
	c.url.Wrapping, c.url.Truncation = fyne.TextWrapOff, fyne.TextTruncateEllipsis
	c.mode = widget.NewLabel(lang.L("Sync: {{.Mode}}", map[string]any{"Mode": scheduleName(sh, st)}))
	c.mode.Wrapping = fyne.TextWrapWord
	c.next = widget.NewLabel("")
	c.next.Hide()
	if st.LastSuccess.IsZero() {
		c.sync = widget.NewLabel(lang.L("Not synced yet"))
	} else {
		c.sync = widget.NewLabel(lang.L("Last successful sync: {{.Date}}", map[string]any{"Date": i18n.DateTime(st.LastSuccess)}))
	}
	c.problem, c.detail = widget.NewLabel(""), widgets.NewHint("")
	c.problem.Importance, c.problem.Wrapping = widget.DangerImportance, fyne.TextWrapWord
	c.problem.Hide()
	c.detail.Hide()
	// The problem in plain words; its technical text behind Details.
	var details []string
	switch {
	case sessionErr != nil:
		c.problem.SetText(lang.L("Last sync failed: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(sessionErr)}))
		c.problem.Show()
		details = append(details, sessionErr.Error())
	case st.LastError != "":
		when := i18n.DateTime(st.LastAttempt)
		if when == "" {
			c.problem.SetText(lang.L("The last sync failed. Press Sync now to try again."))
		} else {
			c.problem.SetText(lang.L("The sync of {{.Date}} failed. Press Sync now to try again.", map[string]any{"Date": when}))
		}
		c.problem.Show()
		details = append(details, st.LastError)
	}
	if st.Fallback != "" && sh.SyncMode == ledger.SyncWebhook {
		details = append(details, st.Fallback)
	}
	c.detail.SetText(strings.Join(details, "\n"))
	c.details = widget.NewButton(lang.L("Details"), c.toggleDetails)
	c.details.Importance = widget.LowImportance
	if len(details) == 0 {
		c.details.Hide()
	}
	c.edit = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { p.openEditor(sh) })
	c.remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() { p.openRemoval(sh) })
	c.verify = widget.NewButtonWithIcon(lang.L("Verify with shop"), theme.ViewRefreshIcon(), nil)
	c.verify.OnTapped = func() { p.verifyShop(sh, c.verify) }
	buttons := container.NewHBox(c.verify, c.edit, c.remove)
	// The problem with its Details button; the row is hidden with nothing
	// in it, so that a shop without trouble takes no room for it.
	problemRow := container.NewBorder(nil, nil, nil, container.NewVBox(c.details), c.problem)
	if !c.problem.Visible() && len(details) == 0 {
		problemRow.Hide()
	}
	info := container.NewVBox(c.name, c.url, c.mode, c.sync, c.next, problemRow, c.detail)
	c.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewVBox(buttons, layout.NewSpacer()), info),
		widget.NewSeparator())
	return c
}

// toggleDetails shows or hides the technical text of the card's problem.
func (c *shopCard) toggleDetails() {
	if c.detail.Visible() {
		c.detail.Hide()
		c.details.SetText(lang.L("Details"))
	} else {
		c.detail.Show()
		c.details.SetText(lang.L("Hide details"))
	}
}

// showSchedule shows how the automatic sync keeps the shop current: the
// mode of the moment and when the next pass is due.
func (c *shopCard) showSchedule(st autosync.Status, now time.Time) {
	switch {
	case st.Running:
		c.next.SetText(lang.L("Syncing now…"))
	case st.Next.IsZero() || !st.Next.After(now):
		c.next.SetText(lang.L("Next sync: due now"))
	default:
		c.next.SetText(lang.L("Next sync: {{.Date}}", map[string]any{"Date": i18n.DateTime(st.Next)}))
	}
	c.next.Show()
}

// scheduleName says how a shop is kept current: polled (how often), by
// webhooks with a nightly catch-up (at what time), or polled for now
// because its webhooks are not working.
func scheduleName(sh ledger.Shop, st ledger.SyncState) string {
	switch autosync.ModeOf(sh, st) {
	case autosync.ModeWebhook:
		h, m, _ := autosync.CatchUpAt(sh)
		at := time.Date(2000, 1, 1, h, m, 0, 0, time.Local).Format("15:04")
		return lang.L("Webhooks, with a nightly catch-up at {{.Time}}", map[string]any{"Time": at})
	case autosync.ModeFallback:
		return lang.L("Every hour for now, because the webhooks are not working")
	}
	d, _ := autosync.PollInterval(sh)
	if d == time.Hour {
		return lang.L("Every hour")
	}
	mins := int(d / time.Minute)
	return lang.N("Every {{.Count}} minute", mins, map[string]any{"Count": mins})
}

func (p *shopsPage) openEditor(sh ledger.Shop) {
	p.editor = newShopEditor(p.w, sh, func() {
		p.editor = nil
		p.w.shopsChanged()
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
		p.w.shopsChanged()
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
	hint := widgets.NewHint(lang.L("Kept orders stay in the list and in exports, under the removed shop."))
	r.problem = widgets.ErrorLabel("")
	r.problem.Hide()
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	r.remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), nil)
	r.remove.Importance = widget.DangerImportance
	body := container.NewVBox(text, r.keep, hint, r.problem)
	r.dlg = widgets.NewDialog(lang.L("Remove shop"), body, w.win, cancel, r.remove)
	cancel.OnTapped = r.dlg.Hide
	r.remove.OnTapped = func() {
		keep := r.keep.Checked
		b := w.backend
		r.remove.Disable()
		bridge.Load(w.br, func(context.Context) (struct{}, error) {
			return struct{}{}, b.RemoveShop(sh.ID, keep)
		}, func(_ struct{}, err error) {
			r.remove.Enable()
			if err != nil {
				r.problem.SetText(i18n.UserMessage(err))
				r.problem.Show()
				return
			}
			r.dlg.Hide()
			onRemoved(keep)
		})
	}
	return r
}

// verifyShop is "Verify with shop": every order of the shop is compared
// with the books, what differs is fetched again (changes WooCommerce does
// not announce), and the status line says what was found.
func (p *shopsPage) verifyShop(sh ledger.Shop, btn *widget.Button) {
	w := p.w
	btn.Disable()
	w.status.busy(lang.L("Verifying {{.Shop}} with the shop…", map[string]any{"Shop": sh.Name}))
	bridge.Load(w.br, func(ctx context.Context) (verify.Report, error) {
		return w.backend.Verify(ctx, sh.ID, verify.Options{})
	}, func(r verify.Report, err error) {
		btn.Enable()
		if err != nil {
			w.status.done(lang.L("{{.Shop}} could not be verified: {{.Reason}}",
				map[string]any{"Shop": sh.Name, "Reason": i18n.UserMessage(err)}), true)
			return
		}
		w.status.done(verifiedText(sh.Name, r), false)
		if r.New+r.Updated > 0 {
			w.passEnded(true) // the corrected orders into the list and the index
		}
	})
}

// verifiedText says what a verification found, in the user's language.
func verifiedText(shop string, r verify.Report) string {
	parts := []string{lang.L("Verified {{.Shop}}:", map[string]any{"Shop": shop})}
	if r.Updated+r.New == 0 && len(r.Gone) == 0 {
		parts = append(parts, lang.N("{{.Count}} order agrees with the shop.", r.Compared, map[string]any{"Count": r.Compared}))
	}
	if r.Updated > 0 {
		parts = append(parts, lang.N("{{.Count}} order differed and was updated.", r.Updated, map[string]any{"Count": r.Updated}))
	}
	if r.New > 0 {
		parts = append(parts, lang.N("{{.Count}} order missing from the books was added.", r.New, map[string]any{"Count": r.New}))
	}
	if n := len(r.Gone); n > 0 {
		parts = append(parts, lang.N("{{.Count}} order is no longer in the shop; the books keep it.", n, map[string]any{"Count": n}))
	}
	return strings.Join(parts, " ")
}
