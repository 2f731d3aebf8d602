package ui

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
)

// shopEditor is the Edit shop dialog: name, address, warehouse and cost
// center (for orders imported from now on), and the sync mode.
type shopEditor struct {
	shop                  ledger.Shop
	name, url             *widget.Entry
	warehouse, costCenter *codedPicker
	mode                  *widget.RadioGroup
	problem               *widget.Label
	save                  *widget.Button
	body                  *fyne.Container
	dlg                   *dialog.CustomDialog
}

func newShopEditor(w *mainWindow, sh ledger.Shop, onSaved func()) *shopEditor {
	e := &shopEditor{shop: sh, name: widget.NewEntry(), url: widget.NewEntry()}
	e.name.SetText(sh.Name)
	e.url.SetText(sh.URL)
	e.warehouse = newCodedPicker(warehouseKind(w.backend), warehouseItems(w.warehouses), w.br, w.win)
	e.costCenter = newCodedPicker(costCenterKind(w.backend), costCenterItems(w.costCenters), w.br, w.win)
	e.warehouse.choose(uint64(sh.Warehouse))
	e.costCenter.choose(uint64(sh.CostCenter))
	e.mode = widget.NewRadioGroup([]string{syncModeName(ledger.SyncPoll), syncModeName(ledger.SyncWebhook)}, nil)
	e.mode.Required = true
	e.mode.SetSelected(syncModeName(sh.SyncMode))
	e.problem = errorLabel("")
	e.problem.Hide()
	hint := widget.NewLabel(lang.L("A new warehouse or cost center applies to orders imported from now on; orders already in the books keep theirs."))
	hint.Wrapping, hint.Importance = fyne.TextWrapWord, widget.LowImportance
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), e.name),
		&widget.FormItem{Text: lang.L("Shop URL"), Widget: e.url, HintText: lang.L("The address of the shop's home page")},
		widget.NewFormItem(lang.L("Warehouse"), e.warehouse.content),
		widget.NewFormItem(lang.L("Cost center"), e.costCenter.content),
		widget.NewFormItem(lang.L("Sync"), e.mode),
	)
	e.body = container.NewVBox(form, hint, e.problem)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	e.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() { e.submit(w, onSaved) })
	e.save.Importance = widget.HighImportance
	e.dlg = newDialog(lang.L("Edit shop"), e.body, w.win, cancel, e.save)
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
func (e *shopEditor) submit(w *mainWindow, onSaved func()) {
	sh := e.shop
	sh.Name = strings.TrimSpace(e.name.Text)
	if sh.Name == "" {
		e.fail(tr(sentence("the shop needs a name")))
		return
	}
	u, err := woo.ParseShopURL(e.url.Text)
	if err != nil {
		e.fail(userMessage(err))
		return
	}
	if u.String() != e.shop.URL {
		sh.URL = u.String()
		sh.Dialect, sh.Auth, sh.ModifiedAfterIgnored = "", "", false
		if old, err := url.Parse(e.shop.URL); err != nil || old.Host != u.Host {
			sh.CertSHA256 = ""
		}
	}
	sh.Warehouse = ledger.WarehouseID(e.warehouse.selected())
	sh.CostCenter = ledger.CostCenterID(e.costCenter.selected())
	sh.SyncMode = ledger.SyncPoll
	if e.mode.Selected == syncModeName(ledger.SyncWebhook) {
		sh.SyncMode = ledger.SyncWebhook
	}
	b := w.backend
	e.save.Disable()
	load(w.br, func(context.Context) (struct{}, error) {
		return struct{}{}, b.UpdateShop(sh)
	}, func(_ struct{}, err error) {
		e.save.Enable()
		if err != nil {
			e.fail(userMessage(err))
			return
		}
		e.dlg.Hide()
		onSaved()
	})
}
