package books

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	corebooks "codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// nraMethodRow is one payment method's codes in the settings: the code
// shown is the bookkeeper's, else the default, else none (to choose).
type nraMethodRow struct {
	method string
	paym   *widget.Select
	refund *widget.Select
	source *widget.Label // "default", "set" or "to choose"
}

// nraSettingsDialog edits one shop's settings for the audit file.
type nraSettingsDialog struct {
	shop        *widget.Select
	eik, eshop  *widget.Entry
	domain      *widget.Entry
	platform    *widget.Check
	deliveredOn *widget.Select
	docMeta     *widget.Entry
	transMeta   *widget.Entry
	posMeta     *widget.Entry
	procMeta    *widget.Entry
	methods     *fyne.Container
	content     *fyne.Container // the scrolled form, laid out again as methods change
	scroll      *container.Scroll
	rows        []*nraMethodRow
	problem     *widget.Label
	save        *widget.Button
	dlg         *dialog.CustomDialog

	shopID ledger.ShopID
	loaded nra.Settings
}

// nraSettingsLoad is what the dialog reads for a shop.
type nraSettingsLoad struct {
	st      nra.Settings
	methods map[string]string // method → the title the shop shows
}

func paymChoices() []string {
	out := make([]string, 0, 6)
	for c := nra.PaymBank; c <= nra.PaymReceipt; c++ {
		out = append(out, paymName(c))
	}
	return out
}

func refundChoices() []string {
	out := make([]string, 0, 4)
	for c := nra.RefundAccount; c <= nra.RefundOther; c++ {
		out = append(out, refundName(c))
	}
	return out
}

func deliveredChoices() []string {
	return []string{lang.L("Completed date"), lang.L("Paid date")}
}

// openNRASettings opens the settings of the first shop ticked (or the
// first shop); saving them previews the file again.
func (p *Page) openNRASettings(d *nraDialog) {
	names := make([]string, len(p.shops))
	for i, s := range p.shops {
		names[i] = s.Name
	}
	e := &nraSettingsDialog{}
	e.eik, e.eshop, e.domain = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	e.eik.SetPlaceHolder(lang.L("9 or 13 digits"))
	e.eshop.SetPlaceHolder(lang.L("as NRA issued it, up to 10 characters"))
	e.platform = widget.NewCheck(lang.L("Sold on a platform's domain, not the shop's own (e_shop_type 2)"), nil)
	e.deliveredOn = widget.NewSelect(deliveredChoices(), nil)
	e.docMeta, e.transMeta, e.posMeta, e.procMeta = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	e.docMeta.SetPlaceHolder(lang.L("empty: the order number"))
	e.transMeta.SetPlaceHolder(lang.L("empty: WooCommerce's transaction id"))
	e.posMeta.SetPlaceHolder(lang.L("order meta key (optional)"))
	e.procMeta.SetPlaceHolder(lang.L("order meta key (optional)"))
	e.methods = container.NewVBox()
	e.problem = widgets.ErrorLabel("")
	e.problem.Hide()
	e.shop = widget.NewSelect(names, func(string) { p.loadNRASettings(e) })
	who := widget.NewForm(
		widget.NewFormItem(lang.L("Shop"), e.shop),
		widget.NewFormItem(lang.L("Trader's EIK (ЕИК)"), e.eik),
		widget.NewFormItem(lang.L("E-shop number from NRA"), e.eshop),
		widget.NewFormItem(lang.L("Domain"), e.domain),
		widget.NewFormItem("", e.platform),
	)
	sources := widget.NewForm(
		widget.NewFormItem(lang.L("Delivered on"), e.deliveredOn),
		widget.NewFormItem(lang.L("Document number from meta"), e.docMeta),
		widget.NewFormItem(lang.L("Transaction id from meta"), e.transMeta),
		widget.NewFormItem(lang.L("Virtual POS number from meta"), e.posMeta),
		widget.NewFormItem(lang.L("Provider's id from meta"), e.procMeta),
	)
	hint := hintLabel(lang.L("The codes of each payment method of this shop's orders: confirm the defaults or choose; refunds are paid back as the second column says."))
	// The methods' codes come before the sources: they are what the
	// bookkeeper must confirm.
	e.content = container.NewVBox(who,
		widgets.Section(lang.L("Payment methods"), container.NewVBox(hint, e.methods)),
		widgets.Section(lang.L("Where the file's dates and numbers come from"), sources))
	e.scroll = container.NewVScroll(e.content)
	e.scroll.SetMinSize(fyne.NewSize(900, 480))
	body := container.NewBorder(nil, e.problem, nil, nil, e.scroll)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	e.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() { p.saveNRASettings(e, d) })
	e.save.Importance = widget.HighImportance
	e.save.Disable()
	e.dlg = widgets.NewDialog(lang.L("NRA settings"), body, p.u.Window(), cancel, e.save)
	cancel.OnTapped = e.dlg.Hide
	if d != nil {
		d.edit = e
	}
	e.dlg.Show()
	first := 0
	if chosen := p.nraChosen(d); len(chosen) > 0 {
		first = slices.IndexFunc(p.shops, func(s ledger.Shop) bool { return s.ID == chosen[0].ID })
	}
	e.shop.SetSelectedIndex(max(0, first))
}

// loadNRASettings reads the chosen shop's settings and the payment
// methods of its orders.
func (p *Page) loadNRASettings(e *nraSettingsDialog) {
	i := e.shop.SelectedIndex()
	if i < 0 {
		return
	}
	sh, b := p.shops[i], p.b
	e.save.Disable()
	bridge.Load(p.u.Bridge(), func(context.Context) (nraSettingsLoad, error) {
		var r nraSettingsLoad
		var err error
		if r.st, _, err = b.NRASettings(sh.ID); err != nil {
			return r, err
		}
		r.methods, err = b.PaymentMethods(sh.ID)
		return r, err
	}, func(r nraSettingsLoad, err error) {
		if e.shop.SelectedIndex() != i {
			return
		}
		if err != nil {
			e.showProblem(i18n.UserMessage(err))
			return
		}
		e.problem.Hide()
		e.shopID, e.loaded = sh.ID, r.st
		e.fill(r.st, r.methods)
		e.save.Enable()
	})
}

// fill shows a shop's settings and one row per payment method.
func (e *nraSettingsDialog) fill(st nra.Settings, titles map[string]string) {
	e.eik.SetText(st.EIK)
	e.eshop.SetText(st.EShopNumber)
	e.domain.SetText(st.Domain)
	e.platform.SetChecked(st.Platform)
	e.deliveredOn.SetSelectedIndex(0)
	if st.DeliveredOn == nra.DeliveredPaid {
		e.deliveredOn.SetSelectedIndex(1)
	}
	e.docMeta.SetText(st.DocNumberMeta)
	e.transMeta.SetText(st.TransMeta)
	e.posMeta.SetText(st.POSMeta)
	e.procMeta.SetText(st.ProcMeta)

	all := maps.Clone(titles)
	if all == nil {
		all = map[string]string{}
	}
	for _, m := range st.Methods() {
		if _, ok := all[m]; !ok {
			all[m] = ""
		}
	}
	e.rows = nil
	form := widget.NewForm()
	for _, m := range slices.Sorted(maps.Keys(all)) {
		r := &nraMethodRow{method: m, paym: widget.NewSelect(paymChoices(), nil), refund: widget.NewSelect(refundChoices(), nil)}
		r.paym.PlaceHolder = lang.L("(choose a code)")
		r.refund.PlaceHolder = lang.L("(choose a code)")
		r.source = widget.NewLabel("")
		r.source.Importance = widget.LowImportance
		_, set := st.Paym[m]
		if c, ok := st.PaymFor(m); ok {
			r.paym.SetSelectedIndex(int(c) - 1)
		}
		if c, ok := st.RefundPaymFor(m); ok {
			r.refund.SetSelectedIndex(int(c) - 1)
		}
		_, defOK := nra.DefaultPaym(m)
		switch {
		case set:
			r.source.SetText(lang.L("set"))
		case defOK:
			r.source.SetText(lang.L("default"))
		default:
			r.source.SetText(lang.L("to choose"))
			r.source.Importance = widget.WarningImportance
		}
		name := m
		if t := all[m]; t != "" && t != m {
			name = t + " (" + m + ")"
		}
		codes := container.NewGridWithColumns(2, r.paym, r.refund)
		form.AppendItem(widget.NewFormItem(name, container.NewBorder(nil, nil, nil, r.source, codes)))
		e.rows = append(e.rows, r)
	}
	e.methods.RemoveAll()
	if len(e.rows) == 0 {
		e.methods.Add(hintLabel(lang.L("The shop's orders name no payment method yet.")))
	}
	e.methods.Add(form)
	e.content.Refresh()
	e.scroll.Refresh()
}

// settings is the form's settings. A method's codes are saved as set
// when the bookkeeper confirmed them here, defaults included, so that a
// later change of the defaults does not change a filed shop's codes.
func (e *nraSettingsDialog) settings() nra.Settings {
	st := e.loaded
	st.EIK = strings.TrimSpace(e.eik.Text)
	st.EShopNumber = strings.TrimSpace(e.eshop.Text)
	st.Domain = strings.TrimSpace(e.domain.Text)
	st.Platform = e.platform.Checked
	st.DeliveredOn = ""
	if e.deliveredOn.SelectedIndex() == 1 {
		st.DeliveredOn = nra.DeliveredPaid
	}
	st.DocNumberMeta = strings.TrimSpace(e.docMeta.Text)
	st.TransMeta = strings.TrimSpace(e.transMeta.Text)
	st.POSMeta = strings.TrimSpace(e.posMeta.Text)
	st.ProcMeta = strings.TrimSpace(e.procMeta.Text)
	st.Paym = maps.Clone(st.Paym)
	st.RefundPaym = maps.Clone(st.RefundPaym)
	if st.Paym == nil {
		st.Paym = map[string]nra.Paym{}
	}
	if st.RefundPaym == nil {
		st.RefundPaym = map[string]nra.RefundPaym{}
	}
	for _, r := range e.rows {
		if i := r.paym.SelectedIndex(); i >= 0 {
			st.Paym[r.method] = nra.Paym(i + 1)
		}
		if i := r.refund.SelectedIndex(); i >= 0 {
			st.RefundPaym[r.method] = nra.RefundPaym(i + 1)
		}
	}
	return st
}

func (e *nraSettingsDialog) showProblem(text string) {
	e.problem.SetText(text)
	e.problem.Show()
}

// saveNRASettings checks the settings and stores them in the background;
// the audit file's preview follows.
func (p *Page) saveNRASettings(e *nraSettingsDialog, d *nraDialog) {
	st := e.settings()
	if err := st.Validate(); err != nil {
		var se *nra.SettingsError
		if errors.As(err, &se) {
			lines := make([]string, len(se.Problems))
			for i, pr := range se.Problems {
				lines[i] = i18n.SayMessage(corebooks.Message{Key: pr.Key, Args: pr.Args})
			}
			e.showProblem(strings.Join(lines, "\n"))
			return
		}
	}
	shop, b := e.shopID, p.b
	e.save.Disable()
	bridge.Load(p.u.Bridge(), func(context.Context) (struct{}, error) {
		return struct{}{}, b.SetNRASettings(shop, st)
	}, func(_ struct{}, err error) {
		e.save.Enable()
		if err != nil {
			e.showProblem(i18n.UserMessage(err))
			return
		}
		e.dlg.Hide()
		if d != nil {
			p.previewNRA(d)
		}
	})
}
