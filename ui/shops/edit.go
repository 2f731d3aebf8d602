package shops

import (
	"context"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// shopEditor is the Edit shop dialog: name, address, warehouse and cost
// center (for orders imported from now on), and the sync mode.
type shopEditor struct {
	shop                  ledger.Shop
	name, url             *widget.Entry
	warehouse, costCenter *widgets.CodedPicker
	mode                  *widget.RadioGroup
	problem               *widget.Label
	save                  *widget.Button
	// Replace keys: new API keys, tested against the shop before they
	// are kept.
	key, secret *widget.Entry
	replace     *widget.Button
	keysNote    *widget.Label
	// keysWarn is what the test of accepted keys warns of, as the
	// wizard shows it (e.g. a read-only key cannot register webhooks).
	keysWarn *widget.Label
	body     *fyne.Container
	scroll   *container.Scroll // the body, scrolled when the window is too low for it
	win      fyne.Window
	dlg      *dialog.CustomDialog
}

// dialogChrome is the height a dialog adds around its content: the title,
// the buttons and the padding between.
const dialogChrome = 140

// fit sizes the dialog to its content, but no taller than the window: the
// body scrolls then (a shop's keys with a warning under them need more
// than 720 pixels).
func (e *shopEditor) fit() {
	h := e.body.MinSize().Height
	if room := e.win.Canvas().Size().Height - dialogChrome; room > 0 && h > room {
		h = room
	}
	e.scroll.SetMinSize(fyne.NewSize(0, h))
	e.dlg.Resize(fyne.NewSize(wizardWidth, e.dlg.MinSize().Height))
}

func newShopEditor(p *Page, sh ledger.Shop, onSaved func()) *shopEditor {
	e := &shopEditor{shop: sh, name: widget.NewEntry(), url: widget.NewEntry()}
	e.name.SetText(sh.Name)
	e.url.SetText(sh.URL)
	e.warehouse = widgets.NewCodedPicker(widgets.WarehouseKind(p.b), widgets.WarehouseItems(p.warehouses), p.u.Bridge(), p.u.Window())
	e.costCenter = widgets.NewCodedPicker(widgets.CostCenterKind(p.b), widgets.CostCenterItems(p.costCenters), p.u.Bridge(), p.u.Window())
	e.warehouse.Choose(uint64(sh.Warehouse))
	e.costCenter.Choose(uint64(sh.CostCenter))
	e.mode = widget.NewRadioGroup([]string{i18n.SyncModeName(ledger.SyncPoll), i18n.SyncModeName(ledger.SyncWebhook)}, nil)
	e.mode.Required = true
	e.mode.SetSelected(i18n.SyncModeName(sh.SyncMode))
	e.problem = widgets.ErrorLabel("")
	e.problem.Hide()
	hint := widget.NewLabel(lang.L("A new warehouse or cost center applies to orders imported from now on; orders already in the books keep theirs."))
	hint.Wrapping, hint.Importance = fyne.TextWrapWord, widget.LowImportance
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), e.name),
		&widget.FormItem{Text: lang.L("Shop URL"), Widget: e.url, HintText: lang.L("The address of the shop's home page")},
		widget.NewFormItem(lang.L("Warehouse"), e.warehouse.Content),
		widget.NewFormItem(lang.L("Cost center"), e.costCenter.Content),
		widget.NewFormItem(lang.L("Sync"), e.mode),
	)
	e.key, e.secret = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	e.key.SetPlaceHolder("ck_…")
	e.secret.SetPlaceHolder("cs_…")
	e.replace = widget.NewButtonWithIcon(lang.L("Replace keys"), theme.LoginIcon(), func() { e.replaceKeys(p) })
	e.keysNote = widget.NewLabel("")
	e.keysNote.Wrapping = fyne.TextWrapWord
	e.keysNote.Hide()
	e.keysWarn = widget.NewLabel("")
	e.keysWarn.Wrapping, e.keysWarn.Importance = fyne.TextWrapWord, widget.WarningImportance
	e.keysWarn.Hide()
	keys := widget.NewForm(
		widget.NewFormItem(lang.L("Consumer key"), e.key),
		&widget.FormItem{Text: lang.L("Consumer secret"), Widget: e.secret, HintText: lang.L("From WooCommerce → Settings → Advanced → REST API")},
	)
	keysHint := widget.NewLabel(lang.L("New API keys are tested with the shop first; the old ones stay until the shop accepts the new ones."))
	keysHint.Wrapping, keysHint.Importance = fyne.TextWrapWord, widget.LowImportance
	e.body = container.NewVBox(form, hint, e.problem, widget.NewSeparator(),
		widgets.BoldLabel(lang.L("API keys")), keysHint, keys, container.NewHBox(e.replace), e.keysNote, e.keysWarn)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	e.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() { e.submit(p, onSaved) })
	e.save.Importance = widget.HighImportance
	e.scroll = container.NewVScroll(e.body)
	e.win = p.u.Window()
	e.dlg = widgets.NewDialog(lang.L("Edit shop"), e.scroll, e.win, cancel, e.save)
	e.fit()
	cancel.OnTapped = e.dlg.Hide
	return e
}

func (e *shopEditor) fail(text string) {
	e.problem.SetText(text)
	e.problem.Show()
	e.body.Refresh()
	e.fit()
}

// submit stores the changes. A new address is detected again at the next
// sync, and a trusted certificate of another host is no longer trusted.
func (e *shopEditor) submit(p *Page, onSaved func()) {
	sh := e.shop
	sh.Name = strings.TrimSpace(e.name.Text)
	if sh.Name == "" {
		e.fail(i18n.T(i18n.Sentence("the shop needs a name")))
		return
	}
	u, err := woo.ParseShopURL(e.url.Text)
	if err != nil {
		e.fail(i18n.UserMessage(err))
		return
	}
	if u.String() != e.shop.URL {
		sh.URL = u.String()
		sh.Dialect, sh.Auth, sh.ModifiedAfterIgnored = "", "", false
		if old, err := url.Parse(e.shop.URL); err != nil || old.Host != u.Host {
			sh.CertSHA256 = ""
		}
	}
	sh.Warehouse = ledger.WarehouseID(e.warehouse.Selected())
	sh.CostCenter = ledger.CostCenterID(e.costCenter.Selected())
	sh.SyncMode = ledger.SyncPoll
	if e.mode.Selected == i18n.SyncModeName(ledger.SyncWebhook) {
		sh.SyncMode = ledger.SyncWebhook
	}
	b := p.b
	e.save.Disable()
	bridge.Load(p.u.Bridge(), func(context.Context) (struct{}, error) {
		return struct{}{}, b.UpdateShop(sh)
	}, func(_ struct{}, err error) {
		e.save.Enable()
		if err != nil {
			e.fail(i18n.UserMessage(err))
			return
		}
		e.dlg.Hide()
		onSaved()
	})
}

// replaceKeys tests the keys typed with the shop and keeps them only if it
// accepts them; the rest of the dialog is saved apart, by Save.
func (e *shopEditor) replaceKeys(p *Page) {
	id, key, secret := e.shop.ID, e.key.Text, e.secret.Text
	b := p.b
	e.replace.Disable()
	e.keysNote.Importance = widget.MediumImportance
	e.keysNote.SetText(lang.L("Testing the connection…"))
	e.keysNote.Show()
	e.keysWarn.Hide()
	e.fit()
	bridge.Load(p.u.Bridge(), func(ctx context.Context) (*woo.Diagnosis, error) {
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		return b.ReplaceKeys(ctx, id, key, secret)
	}, func(d *woo.Diagnosis, err error) {
		e.replace.Enable()
		if err != nil {
			e.keysNote.Importance = widget.DangerImportance
			e.keysNote.SetText(i18n.UserMessage(err))
		} else {
			e.key.SetText("")
			e.secret.SetText("")
			e.keysNote.Importance = widget.SuccessImportance
			e.keysNote.SetText(lang.L("The shop accepted the new keys; ShopLedger uses them from now on."))
			if _, warnings := problemTexts(d); len(warnings) > 0 {
				e.keysWarn.SetText(strings.Join(warnings, "\n\n"))
				e.keysWarn.Show()
			}
		}
		e.keysNote.Refresh()
		e.fit()
		e.scroll.ScrollToBottom() // the outcome asked for, in a low window too
	})
}
