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
	body        *fyne.Container
	dlg         *dialog.CustomDialog
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
	keys := widget.NewForm(
		widget.NewFormItem(lang.L("Consumer key"), e.key),
		&widget.FormItem{Text: lang.L("Consumer secret"), Widget: e.secret, HintText: lang.L("From WooCommerce → Settings → Advanced → REST API")},
	)
	keysHint := widget.NewLabel(lang.L("New API keys are tested with the shop first; the old ones stay until the shop accepts the new ones."))
	keysHint.Wrapping, keysHint.Importance = fyne.TextWrapWord, widget.LowImportance
	e.body = container.NewVBox(form, hint, e.problem, widget.NewSeparator(),
		widgets.BoldLabel(lang.L("API keys")), keysHint, keys, container.NewHBox(e.replace), e.keysNote)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	e.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() { e.submit(p, onSaved) })
	e.save.Importance = widget.HighImportance
	e.dlg = widgets.NewDialog(lang.L("Edit shop"), e.body, p.u.Window(), cancel, e.save)
	e.dlg.Resize(fyne.NewSize(wizardWidth, e.dlg.MinSize().Height))
	cancel.OnTapped = e.dlg.Hide
	return e
}

func (e *shopEditor) fail(text string) {
	e.problem.SetText(text)
	e.problem.Show()
	e.body.Refresh()
	e.dlg.Resize(fyne.NewSize(wizardWidth, e.dlg.MinSize().Height))
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
	e.dlg.Resize(fyne.NewSize(wizardWidth, e.dlg.MinSize().Height))
	bridge.Load(p.u.Bridge(), func(ctx context.Context) (struct{}, error) {
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		_, err := b.ReplaceKeys(ctx, id, key, secret)
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		e.replace.Enable()
		if err != nil {
			e.keysNote.Importance = widget.DangerImportance
			e.keysNote.SetText(i18n.UserMessage(err))
		} else {
			e.key.SetText("")
			e.secret.SetText("")
			e.keysNote.Importance = widget.SuccessImportance
			e.keysNote.SetText(lang.L("The shop accepted the new keys; ShopLedger uses them from now on."))
		}
		e.keysNote.Refresh()
		e.dlg.Resize(fyne.NewSize(wizardWidth, e.dlg.MinSize().Height))
	})
}
