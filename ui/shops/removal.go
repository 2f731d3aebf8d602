package shops

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// Removal asks whether to keep a shop's orders before removing it. Its
// check and button are exported for the window's tests.
type Removal struct {
	// Keep keeps the shop's orders in the books, under the removed shop.
	Keep    *widget.Check
	Remove  *widget.Button
	problem *widget.Label
	dlg     *dialog.CustomDialog
}

func newRemoval(p *Page, sh ledger.Shop, onRemoved func(keep bool)) *Removal {
	r := &Removal{}
	text := widget.NewLabel(lang.L("Remove {{.Shop}}? ShopLedger stops syncing it and deletes its API keys from the keyring.", map[string]any{"Shop": sh.Name}))
	text.Wrapping = fyne.TextWrapWord
	r.Keep = widget.NewCheck(lang.L("Keep this shop's orders in the books"), nil)
	r.Keep.SetChecked(true)
	hint := widget.NewLabel(lang.L("Kept orders stay in the list and in exports, under the removed shop."))
	hint.Wrapping, hint.Importance = fyne.TextWrapWord, widget.LowImportance
	r.problem = widgets.ErrorLabel("")
	r.problem.Hide()
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	r.Remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), nil)
	r.Remove.Importance = widget.DangerImportance
	body := container.NewVBox(text, r.Keep, hint, r.problem)
	r.dlg = widgets.NewDialog(lang.L("Remove shop"), body, p.u.Window(), cancel, r.Remove)
	cancel.OnTapped = r.dlg.Hide
	r.Remove.OnTapped = func() {
		keep := r.Keep.Checked
		b := p.b
		r.Remove.Disable()
		bridge.Load(p.u.Bridge(), func(context.Context) (struct{}, error) {
			return struct{}{}, b.RemoveShop(sh.ID, keep)
		}, func(_ struct{}, err error) {
			r.Remove.Enable()
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
