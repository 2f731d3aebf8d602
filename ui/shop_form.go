package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
)

// checkTimeout bounds the connection check: a shop that has not answered
// by then is reported, and the bookkeeper can try again.
const checkTimeout = 45 * time.Second

// shopFormWidth is wide enough for a shop URL and the hints to read well.
const shopFormWidth = 560

// shopForm is the "Add shop" dialog. Saving validates what was typed, asks
// the shop for one order with the keys, and only then stores the shop; on
// any failure the dialog stays open with the reason and everything typed.
type shopForm struct {
	backend Backend
	br      *bridge
	win     fyne.Window

	name, url, key, secret *widget.Entry
	warehouse, costCenter  *codedPicker

	body     *fyne.Container
	problems *widget.Label
	checking *fyne.Container
	spinner  *widget.Activity
	save     *widget.Button
	dlg      *dialog.CustomDialog

	// onAdded runs on the UI goroutine after the shop is stored.
	onAdded func(ledger.Shop)
}

func newShopForm(b Backend, br *bridge, win fyne.Window, whs []ledger.Warehouse, ccs []ledger.CostCenter, onAdded func(ledger.Shop)) *shopForm {
	f := &shopForm{
		backend: b, br: br, win: win, onAdded: onAdded,
		name: widget.NewEntry(), url: widget.NewEntry(),
		key: widget.NewPasswordEntry(), secret: widget.NewPasswordEntry(),
	}
	f.name.SetPlaceHolder(lang.L("e.g. My shop"))
	f.url.SetPlaceHolder("https://myshop.example")
	f.key.SetPlaceHolder("ck_…")
	f.secret.SetPlaceHolder("cs_…")
	f.warehouse = newCodedPicker(codedKind{
		title: lang.L("New warehouse"), placeholder: lang.L("e.g. MAIN"),
		create: func(code, name string) (coded, error) {
			w, err := b.CreateWarehouse(ledger.Warehouse{Code: code, Name: name})
			return coded{uint64(w.ID), w.Code, w.Name}, err
		},
	}, warehouseItems(whs), br, win)
	f.costCenter = newCodedPicker(codedKind{
		title: lang.L("New cost center"), placeholder: lang.L("e.g. WEB"),
		create: func(code, name string) (coded, error) {
			c, err := b.CreateCostCenter(ledger.CostCenter{Code: code, Name: name})
			return coded{uint64(c.ID), c.Code, c.Name}, err
		},
	}, costCenterItems(ccs), br, win)

	keysHint := lang.L("From WooCommerce → Settings → Advanced → REST API")
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), f.name),
		&widget.FormItem{Text: lang.L("Shop URL"), Widget: f.url, HintText: lang.L("The address of the shop's home page")},
		widget.NewFormItem(lang.L("Consumer key"), f.key),
		&widget.FormItem{Text: lang.L("Consumer secret"), Widget: f.secret, HintText: keysHint},
		&widget.FormItem{Text: lang.L("Warehouse"), Widget: f.warehouse.content, HintText: lang.L("Where this shop's goods are booked out of")},
		&widget.FormItem{Text: lang.L("Cost center"), Widget: f.costCenter.content, HintText: lang.L("The unit this shop's sales are booked under")},
	)

	f.problems = widget.NewLabel("")
	f.problems.Importance = widget.DangerImportance
	f.problems.Wrapping = fyne.TextWrapWord
	f.problems.Hide()
	f.spinner = widget.NewActivity()
	f.checking = container.NewHBox(f.spinner, widget.NewLabel(lang.L("Checking connection…")))
	f.checking.Hide()

	cancel := widget.NewButton(lang.L("Cancel"), nil)
	f.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.body = container.NewVBox(form, f.checking, f.problems)
	f.dlg = dialog.NewCustomWithoutButtons(lang.L("Add shop"), f.body, win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.save})
	cancel.OnTapped = f.dlg.Hide
	f.fit()
	return f
}

func warehouseItems(whs []ledger.Warehouse) []coded {
	out := make([]coded, len(whs))
	for i, w := range whs {
		out[i] = coded{uint64(w.ID), w.Code, w.Name}
	}
	return out
}

func costCenterItems(ccs []ledger.CostCenter) []coded {
	out := make([]coded, len(ccs))
	for i, c := range ccs {
		out[i] = coded{uint64(c.ID), c.Code, c.Name}
	}
	return out
}

func (f *shopForm) show() {
	f.dlg.Show()
	f.win.Canvas().Focus(f.name)
}

// fit lays the form out again and sizes the dialog to it, after a note
// or the problems appeared or went.
func (f *shopForm) fit() {
	f.body.Refresh()
	f.dlg.Resize(fyne.NewSize(shopFormWidth, f.dlg.MinSize().Height))
}

// submit validates, checks the connection and stores the shop, all but the
// validation off the UI goroutine.
func (f *shopForm) submit() {
	n := books.NewShop{
		Name: f.name.Text, URL: f.url.Text, Key: f.key.Text, Secret: f.secret.Text,
		Warehouse:  ledger.WarehouseID(f.warehouse.selected()),
		CostCenter: ledger.CostCenterID(f.costCenter.selected()),
	}
	if err := n.Validate(); err != nil {
		f.showProblems(err)
		return
	}
	f.setChecking(true)
	load(f.br, func(ctx context.Context) (ledger.Shop, error) {
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		if err := f.backend.CheckConnection(cctx, n.URL, n.Key, n.Secret); err != nil {
			return ledger.Shop{}, err
		}
		return f.backend.AddShop(n)
	}, func(sh ledger.Shop, err error) {
		f.setChecking(false)
		if err != nil {
			f.showProblems(err)
			return
		}
		f.dlg.Hide()
		f.onAdded(sh)
	})
}

func (f *shopForm) setChecking(on bool) {
	if on {
		f.problems.Hide()
		f.save.Disable()
		f.checking.Show()
		f.spinner.Start()
	} else {
		f.save.Enable()
		f.spinner.Stop()
		f.checking.Hide()
	}
	f.fit()
}

// showProblems lists what is wrong, one problem a line, in plain words.
func (f *shopForm) showProblems(err error) {
	var ie *books.InputError
	if errors.As(err, &ie) && len(ie.Problems) > 1 {
		lines := make([]string, len(ie.Problems))
		for i, p := range ie.Problems {
			lines[i] = "• " + sentence(p)
		}
		f.problems.SetText(strings.Join(lines, "\n"))
	} else {
		f.problems.SetText(sentence(books.UserMessage(err)))
	}
	f.problems.Show()
	f.fit()
}

// sentence capitalizes and ends a message from the core, which writes its
// input problems in lower case to fit into a longer error.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}
