package books

import (
	"cmp"
	"context"
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
	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// accountRow is one account of the mapping: its code and name.
type accountRow struct {
	label      string
	code, name *widget.Entry
	// required: the journal cannot do without a code.
	required bool
}

func newAccountRow(label string, required bool) *accountRow {
	r := &accountRow{label: label, code: widget.NewEntry(), name: widget.NewEntry(), required: required}
	r.code.SetPlaceHolder(lang.L("Code"))
	r.name.SetPlaceHolder(lang.L("Name"))
	return r
}

func (r *accountRow) set(a journal.Account) {
	r.code.SetText(a.Code)
	r.name.SetText(a.Name)
}

func (r *accountRow) account() journal.Account {
	return journal.Account{Code: strings.TrimSpace(r.code.Text), Name: strings.TrimSpace(r.name.Text)}
}

func (r *accountRow) item() *widget.FormItem {
	code := container.NewGridWrap(fyne.NewSize(100, r.code.MinSize().Height), r.code)
	return widget.NewFormItem(r.label, container.NewBorder(nil, nil, code, nil, r.name))
}

// rateKey is a tax rate found in a shop's orders.
type rateKey struct {
	id    int64
	label string
}

// accountsDialog is "Accounts…": one shop's account mapping, which the
// journal books on.
type accountsDialog struct {
	shop   *widget.Select
	preset *widget.Select
	reset  *widget.Button
	apart  *widget.Check
	main   map[string]*accountRow // by the names of journal.Accounts.Validate
	// The overrides of the rates and methods the shop's orders use; an
	// empty code books on the main account.
	salesByRate, vatByRate map[int64]*accountRow
	byMethod               map[string]*accountRow
	form                   *fyne.Container
	problem                *widget.Label
	save                   *widget.Button
	dlg                    *dialog.CustomDialog

	shopID ledger.ShopID
	loaded journal.Accounts // as read, so overrides not shown are kept
	rates  []rateKey
	titles map[string]string // payment method → its title
}

// accountsLoad is what the dialog reads for a shop.
type accountsLoad struct {
	acc     journal.Accounts
	summary corebooks.Summary
}

func presetNames() []string {
	return []string{lang.L("Bulgarian (НСС)"), lang.L("English (neutral)")}
}

func (p *Page) openAccounts() {
	if len(p.shops) == 0 {
		return
	}
	d := &accountsDialog{}
	names := make([]string, len(p.shops))
	for i, s := range p.shops {
		names[i] = s.Name
	}
	d.preset = widget.NewSelect(presetNames(), nil)
	d.reset = widget.NewButtonWithIcon(lang.L("Reset to preset"), theme.ContentUndoIcon(), func() {
		d.fill(journal.Defaults(journal.Presets[max(0, d.preset.SelectedIndex())]))
	})
	d.apart = widget.NewCheck(lang.L("Book discounts apart (sales before discounts)"), nil)
	d.main = map[string]*accountRow{
		"sales": newAccountRow(lang.L("Sales"), true), "shipping": newAccountRow(lang.L("Shipping"), true),
		"fees": newAccountRow(lang.L("Fees"), true), "discounts": newAccountRow(lang.L("Discounts"), false),
		"vat": newAccountRow(lang.L("VAT"), true), "clearing": newAccountRow(lang.L("Clearing"), true),
		"refunds": newAccountRow(lang.L("Refunds"), false), "rounding": newAccountRow(lang.L("Rounding"), true),
	}
	d.main["refunds"].code.SetPlaceHolder(lang.L("Reverse"))
	d.form = container.NewVBox()
	d.problem = widgets.ErrorLabel("")
	d.problem.Hide()
	d.shop = widget.NewSelect(names, func(string) { p.loadAccounts(d) })
	scroll := container.NewVScroll(d.form)
	scroll.SetMinSize(fyne.NewSize(640, 460))
	top := container.NewVBox(widget.NewForm(widget.NewFormItem(lang.L("Shop"), d.shop),
		widget.NewFormItem(lang.L("Chart of accounts"), container.NewBorder(nil, nil, nil, d.reset, d.preset))))
	body := container.NewBorder(top, d.problem, nil, nil, scroll)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	d.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() { p.saveAccounts(d) })
	d.save.Importance = widget.HighImportance
	d.save.Disable()
	d.dlg = widgets.NewDialog(lang.L("Accounts"), body, p.u.Window(), cancel, d.save)
	cancel.OnTapped = d.dlg.Hide
	p.accounts = d
	d.dlg.Show()
	d.shop.SetSelectedIndex(max(0, p.shop.SelectedIndex()-1))
}

// loadAccounts reads the chosen shop's mapping and, from its orders of
// every date, the tax rates and payment methods it may override.
func (p *Page) loadAccounts(d *accountsDialog) {
	i := d.shop.SelectedIndex()
	if i < 0 {
		return
	}
	sh, b := p.shops[i], p.b
	y := p.u.Now().Year()
	q := corebooks.SummaryQuery{From: sales.DateDay(1990, 1, 1), To: sales.DateDay(y+1, 12, 31), Shop: sh.ID}
	d.save.Disable()
	bridge.Load(p.u.Bridge(), func(context.Context) (accountsLoad, error) {
		var r accountsLoad
		var err error
		if r.acc, _, err = b.Accounts(sh.ID); err != nil {
			return r, err
		}
		r.summary, err = b.Summary(q)
		return r, err
	}, func(r accountsLoad, err error) {
		if d.shop.SelectedIndex() != i {
			return // another shop was chosen meanwhile
		}
		if err != nil {
			d.showProblem(i18n.UserMessage(err))
			return
		}
		d.problem.Hide()
		d.shopID, d.loaded = sh.ID, r.acc
		d.found(r.summary)
		d.fill(r.acc)
		d.save.Enable()
	})
}

// found lays out the form for the rates and methods of a shop's orders.
func (d *accountsDialog) found(s corebooks.Summary) {
	d.rates, d.titles = nil, map[string]string{}
	seen := map[int64]bool{}
	for _, g := range s.Groups {
		for _, t := range g.Taxes {
			if !seen[t.ID] {
				seen[t.ID] = true
				// WooCommerce's labels usually carry the percent ("ДДС 20%").
				label := t.Label
				if label == "" {
					label = i18n.Number(t.Percent) + " %"
				}
				d.rates = append(d.rates, rateKey{t.ID, label})
			}
		}
		for _, m := range g.Methods {
			if m.Method != "" {
				d.titles[m.Method] = m.Title
			}
		}
	}
	slices.SortFunc(d.rates, func(a, b rateKey) int { return cmp.Compare(a.id, b.id) })
	d.salesByRate, d.vatByRate, d.byMethod = map[int64]*accountRow{}, map[int64]*accountRow{}, map[string]*accountRow{}

	main := widget.NewForm()
	for _, k := range []string{"sales", "shipping", "fees"} {
		main.AppendItem(d.main[k].item())
	}
	main.AppendItem(widget.NewFormItem("", d.apart))
	main.AppendItem(d.main["discounts"].item())
	for _, k := range []string{"vat", "clearing", "refunds", "rounding"} {
		main.AppendItem(d.main[k].item())
	}
	refundsHint := hintLabel(lang.L("Refunds without a code reverse the sales accounts (сторно)."))
	d.form.RemoveAll()
	d.form.Add(widgets.Section(lang.L("Main accounts"), container.NewVBox(main, refundsHint)))

	overrides := widget.NewForm()
	for _, r := range d.rates {
		d.salesByRate[r.id] = newAccountRow(lang.L("Sales, {{.Rate}}", map[string]any{"Rate": r.label}), false)
		d.vatByRate[r.id] = newAccountRow(lang.L("VAT, {{.Rate}}", map[string]any{"Rate": r.label}), false)
		overrides.AppendItem(d.salesByRate[r.id].item())
		overrides.AppendItem(d.vatByRate[r.id].item())
	}
	for _, m := range slices.Sorted(maps.Keys(d.titles)) {
		name := m
		if t := d.titles[m]; t != "" && t != m {
			name = t + " (" + m + ")"
		}
		d.byMethod[m] = newAccountRow(lang.L("Clearing, {{.Method}}", map[string]any{"Method": name}), false)
		overrides.AppendItem(d.byMethod[m].item())
	}
	hint := hintLabel(lang.L("For the tax rates and payment methods of this shop's orders. An empty code books on the main account."))
	d.form.Add(widgets.Section(lang.L("Per tax rate and payment method"), container.NewVBox(hint, overrides)))
	d.form.Refresh()
}

func hintLabel(text string) *widgets.Hint { return widgets.NewHint(text) }

// fill shows a mapping in the form.
func (d *accountsDialog) fill(acc journal.Accounts) {
	d.preset.SetSelectedIndex(max(0, slices.Index(journal.Presets, acc.Preset)))
	for k, a := range map[string]journal.Account{
		"sales": acc.Sales, "shipping": acc.Shipping, "fees": acc.Fees, "discounts": acc.Discounts,
		"vat": acc.VAT, "clearing": acc.Clearing, "refunds": acc.Refunds, "rounding": acc.Rounding,
	} {
		d.main[k].set(a)
	}
	d.apart.SetChecked(acc.DiscountsApart)
	for id, r := range d.salesByRate {
		r.set(acc.SalesByRate[id])
	}
	for id, r := range d.vatByRate {
		r.set(acc.VATByRate[id])
	}
	for m, r := range d.byMethod {
		r.set(acc.ClearingByMethod[m])
	}
}

// mapping is the form's mapping; overrides of rates and methods the form
// does not show are kept as they were read.
func (d *accountsDialog) mapping() journal.Accounts {
	acc := d.loaded
	acc.Preset = journal.Presets[max(0, d.preset.SelectedIndex())]
	acc.Sales, acc.Shipping, acc.Fees = d.main["sales"].account(), d.main["shipping"].account(), d.main["fees"].account()
	acc.Discounts, acc.DiscountsApart = d.main["discounts"].account(), d.apart.Checked
	acc.VAT, acc.Clearing = d.main["vat"].account(), d.main["clearing"].account()
	acc.Refunds, acc.Rounding = d.main["refunds"].account(), d.main["rounding"].account()
	if acc.Refunds.Code == "" {
		acc.Refunds = journal.Account{}
	}
	acc.SalesByRate = overrides(d.loaded.SalesByRate, d.salesByRate)
	acc.VATByRate = overrides(d.loaded.VATByRate, d.vatByRate)
	acc.ClearingByMethod = overrides(d.loaded.ClearingByMethod, d.byMethod)
	return acc
}

// overrides is was with the rows shown applied: a code sets, none removes.
func overrides[K comparable](was map[K]journal.Account, rows map[K]*accountRow) map[K]journal.Account {
	out := maps.Clone(was)
	if out == nil {
		out = map[K]journal.Account{}
	}
	for k, r := range rows {
		if a := r.account(); a.Code != "" {
			out[k] = a
		} else {
			delete(out, k)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// missing names the accounts the journal needs that have no code.
func (d *accountsDialog) missing() []string {
	var out []string
	for _, k := range []string{"sales", "shipping", "fees", "discounts", "vat", "clearing", "rounding"} {
		r := d.main[k]
		need := r.required || (k == "discounts" && d.apart.Checked)
		if need && strings.TrimSpace(r.code.Text) == "" {
			out = append(out, r.label)
		}
	}
	return out
}

func (d *accountsDialog) showProblem(text string) {
	d.problem.SetText(text)
	d.problem.Show()
}

// saveAccounts checks the form and stores the mapping in the background.
func (p *Page) saveAccounts(d *accountsDialog) {
	if m := d.missing(); len(m) > 0 {
		d.showProblem(lang.L("Enter an account code for: {{.Accounts}}.", map[string]any{"Accounts": strings.Join(m, ", ")}))
		return
	}
	acc, shop, b := d.mapping(), d.shopID, p.b
	name := d.shop.Selected
	d.save.Disable()
	bridge.Load(p.u.Bridge(), func(context.Context) (struct{}, error) {
		return struct{}{}, b.SetAccounts(shop, acc)
	}, func(_ struct{}, err error) {
		d.save.Enable()
		if err != nil {
			d.showProblem(i18n.UserMessage(err))
			return
		}
		d.dlg.Hide()
		p.result.SetText(lang.L("The accounts of “{{.Shop}}” were saved; the journal books on them.", map[string]any{"Shop": name}))
		p.result.Importance = widget.SuccessImportance
		p.result.Show()
		p.result.Refresh()
	})
}
