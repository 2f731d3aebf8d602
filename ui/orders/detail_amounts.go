package orders

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// amountRow is one line of the detail's Amounts section.
type amountRow struct {
	label, value string
	bold         bool
}

// amountRows is how the order's total is made up (ledger.Breakdown), top
// to bottom as on an invoice: subtotal, discount, shipping, fees, the tax
// of each rate, the total, what was refunded and the net payment. Every
// row shows, zero or not, so orders read alike; a difference between the
// shop's total and its parts shows as rounding.
func amountRows(o *ledger.Order) []amountRow {
	b := o.Breakdown()
	money := func(a ledger.Amount) string { return i18n.Money(a, o.Currency) }
	minus := func(a ledger.Amount) string {
		if a == 0 {
			return money(0)
		}
		return "−" + money(a)
	}
	rows := []amountRow{
		{label: lang.L("Subtotal"), value: money(b.Subtotal)},
		{label: lang.L("Discount"), value: minus(b.Discount)},
		{label: lang.L("Shipping"), value: money(b.Shipping)},
		{label: lang.L("Fees"), value: money(b.Fees)},
	}
	for _, t := range b.Taxes {
		label := lang.L("Tax")
		if name := rateName(t); name != "" {
			label = lang.L("Tax: {{.Label}}", map[string]any{"Label": name})
		}
		rows = append(rows, amountRow{label: label, value: money(t.Tax)})
	}
	if len(b.Taxes) == 0 {
		rows = append(rows, amountRow{label: lang.L("Tax"), value: money(0)})
	}
	if b.Rounding != 0 {
		rows = append(rows, amountRow{label: lang.L("Rounding"), value: money(b.Rounding)})
	}
	return append(rows,
		amountRow{label: lang.L("Total"), value: money(b.Total), bold: true},
		amountRow{label: lang.L("Refunded"), value: minus(b.Refunded)},
		amountRow{label: lang.L("Net payment"), value: money(b.NetPayment), bold: true},
	)
}

// rateName is a tax rate as the shop names it, with its percent when the
// shop gave one that the label does not show: "ДДС 20%" as it is, "ДДС
// (20%)", "20%" for a rate without a label.
func rateName(t ledger.RateTax) string {
	if t.Percent == 0 {
		return t.Label
	}
	p := i18n.Quantity(t.Percent) + "%"
	switch {
	case t.Label == "":
		return p
	case strings.Contains(strings.ReplaceAll(t.Label, " ", ""), strings.ReplaceAll(p, " ", "")):
		return t.Label
	}
	return t.Label + " (" + p + ")"
}

// amountsGrid is the detail's Amounts section: the rows of amountRows, each
// label beside its amount, the amounts lined up on the right.
func (d *orderDetail) amountsGrid() *fyne.Container {
	grid := container.New(widgets.WeightedColumns{Weights: []float32{2, 1.4}})
	for _, r := range amountRows(&d.order) {
		label, value := widget.NewLabel(r.label), widget.NewLabel(r.value)
		label.TextStyle.Bold, value.TextStyle.Bold = r.bold, r.bold
		label.Truncation = fyne.TextTruncateEllipsis
		value.Alignment = fyne.TextAlignTrailing
		grid.Add(label)
		grid.Add(value)
	}
	return grid
}
