package books

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// shopName is a shop's name, from the shell's list.
func (p *Page) shopName(id ledger.ShopID) string {
	for _, s := range p.shops {
		if s.ID == id {
			return s.Name
		}
	}
	return lang.L("(removed shop)")
}

// closingSection says, per shop shown, how far its books are closed, who
// closed them and when, with Reopen.
func (p *Page) closingSection() fyne.CanvasObject {
	rows := container.NewVBox()
	for _, c := range p.closings {
		rows.Add(p.closingRow(c))
	}
	return widgets.Section(lang.L("Closed periods"), rows)
}

func (p *Page) closingRow(c sales.Closing) fyne.CanvasObject {
	name := p.shopName(c.Shop)
	if c.Through == 0 {
		l := widget.NewLabel(lang.L("“{{.Shop}}”: no period closed.", map[string]any{"Shop": name}))
		return l
	}
	text := lang.L("“{{.Shop}}”: closed through {{.Through}}", map[string]any{"Shop": name, "Through": i18n.DateOnly(c.Through.Date())})
	if n := len(c.History); n > 0 {
		last := c.History[n-1]
		text += " " + lang.L("({{.By}}, {{.At}})", map[string]any{"By": byName(last.By), "At": i18n.DateTime(last.At)})
	}
	reopen := widget.NewButtonWithIcon(lang.L("Reopen…"), theme.ContentUndoIcon(), func() { p.askReopen(c.Shop, name) })
	reopen.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, reopen, widget.NewLabel(text))
}

func byName(by string) string {
	if by == "" {
		return lang.L("unknown user")
	}
	return by
}

// changesSection lists the orders that changed, after their books were
// closed, in what they book on closed days.
func (p *Page) changesSection() fyne.CanvasObject {
	if len(p.changes) == 0 {
		none := widgets.NewHint(lang.L("No order changed in a closed period."))
		return widgets.Section(lang.L("Changes after closing"), none)
	}
	hint := widgets.NewHint(lang.L("These orders changed after their period was closed. The closed period stays as it was; the difference is booked in the journal on the first open day."))
	grid := container.NewGridWithColumns(6, headLabel(lang.L("Shop")), headLabel(lang.L("Order")),
		headLabel(lang.L("Before")), headLabel(lang.L("After")), headLabel(lang.L("Arrived")), headLabel(lang.L("Booked on")))
	for _, c := range p.changes {
		before := lang.L("not in the books")
		if c.Before != nil {
			before = recordText(c.Before)
		}
		for _, s := range []string{p.shopName(c.Shop), "#" + strconv.FormatInt(c.Order, 10), before, recordText(&c.After),
			i18n.DateTime(c.Arrived), i18n.DateOnly(c.BookOn.Date())} {
			l := widget.NewLabel(s)
			l.Truncation = fyne.TextTruncateEllipsis
			grid.Add(l)
		}
	}
	return widgets.Section(lang.L("Changes after closing"), container.NewVBox(hint, grid))
}

// recordText is an order's status and total as a change shows them.
func recordText(r *sales.Record) string {
	status := i18n.StatusName(r.Status)
	if r.Deleted {
		status = lang.L("deleted")
	}
	return status + " · " + i18n.Money(r.Total, r.Currency)
}

// closeDialog is "Close period…": a shop and the last day to close.
type closeDialog struct {
	shop    *widget.Select
	through *widgets.DateField
	problem *widget.Label
	ok      *widget.Button
	dlg     *dialog.CustomDialog
}

func (p *Page) openClose() {
	if len(p.shops) == 0 {
		return
	}
	d := &closeDialog{}
	names := make([]string, len(p.shops))
	for i, s := range p.shops {
		names[i] = s.Name
	}
	d.shop = widget.NewSelect(names, nil)
	d.shop.SetSelectedIndex(max(0, p.shop.SelectedIndex()-1))
	d.through = widgets.NewDateField(i18n.DateHint(), nil)
	// The last month is what is usually closed.
	y, m, _ := p.u.Now().Local().Date()
	d.through.Set(fieldDate(sales.DateDay(y, m, 1) - 1))
	d.problem = widgets.ErrorLabel("")
	d.problem.Hide()
	hint := widget.NewLabel(lang.L("Orders of closed days that change afterwards are not booked into the closed period: they are listed as changes after closing and booked on the first open day."))
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(hint,
		widget.NewForm(widget.NewFormItem(lang.L("Shop"), d.shop), widget.NewFormItem(lang.L("Close through"), d.through.Content)),
		d.problem)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	d.ok = widget.NewButtonWithIcon(lang.L("Close the period"), theme.ConfirmIcon(), func() { p.closeChosen(d) })
	d.ok.Importance = widget.HighImportance
	d.dlg = widgets.NewDialog(lang.L("Close period"), body, p.u.Window(), cancel, d.ok)
	cancel.OnTapped = d.dlg.Hide
	p.closeDlg = d
	d.dlg.Show()
}

func (d *closeDialog) showProblem(text string) {
	d.problem.SetText(text)
	d.problem.Show()
}

// closeChosen asks to confirm, then closes the books in the background.
func (p *Page) closeChosen(d *closeDialog) {
	i := d.shop.SelectedIndex()
	if i < 0 || d.through.Date == nil {
		d.showProblem(lang.L("Choose a shop and the last day to close, as {{.Hint}}.", map[string]any{"Hint": i18n.DateHint()}))
		return
	}
	sh, through := p.shops[i], dayOf(*d.through.Date)
	c := dialog.NewConfirm(lang.L("Close period"),
		lang.L("Close the books of “{{.Shop}}” through {{.Through}}?", map[string]any{"Shop": sh.Name, "Through": i18n.DateOnly(through.Date())}),
		func(ok bool) {
			if !ok {
				return
			}
			p.change(func() (sales.Closing, error) { return p.b.CloseBooks(sh.ID, through, currentUser()) }, func(err error) {
				if err != nil {
					d.showProblem(i18n.UserMessage(err))
					return
				}
				d.dlg.Hide()
			})
		}, p.u.Window())
	c.SetConfirmText(lang.L("Close the period"))
	p.confirm = c
	c.Show()
}

// askReopen asks to confirm, then reopens every closed day of the shop.
func (p *Page) askReopen(shop ledger.ShopID, name string) {
	c := dialog.NewConfirm(lang.L("Reopen"),
		lang.L("Reopen the closed books of “{{.Shop}}”? The reopened days are booked as the orders are now; the reopening is kept in the history.", map[string]any{"Shop": name}),
		func(ok bool) {
			if !ok {
				return
			}
			p.change(func() (sales.Closing, error) { return p.b.ReopenBooks(shop, 0, currentUser()) }, func(err error) {
				if err != nil {
					p.setProblem(i18n.UserMessage(err))
				}
			})
		}, p.u.Window())
	c.SetConfirmText(lang.L("Reopen"))
	c.SetConfirmImportance(widget.DangerImportance)
	p.confirm = c
	c.Show()
}

// change closes or reopens in the background, then loads again.
func (p *Page) change(do func() (sales.Closing, error), done func(error)) {
	bridge.Load(p.u.Bridge(), func(context.Context) (sales.Closing, error) {
		return do()
	}, func(_ sales.Closing, err error) {
		done(err)
		if err == nil {
			p.Reload()
		}
	})
}
