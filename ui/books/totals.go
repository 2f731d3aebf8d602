package books

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// The figures of the totals table, by the names WooCommerce's report
// gives them; tests read the table by these.
const (
	figOrders      = "total_orders"
	figItems       = "total_items"
	figSales       = "total_sales"
	figNet         = "net_sales"
	figTax         = "total_tax"
	figShipping    = "total_shipping"
	figShippingTax = "total_shipping_tax"
	figRefunds     = "total_refunds"
	figDiscount    = "total_discount"
	figFees        = "total_fees"
)

// groupView shows one shop's totals in one currency.
type groupView struct {
	g       *sales.Group
	figures map[string]*widget.Label // the totals' values, by figure
	rates   [][]*widget.Label        // VAT per rate: rate, tax, shipping tax, refunded tax
	methods [][]*widget.Label        // payment method, sales, refunds
	chart   *barChart
	content fyne.CanvasObject
}

func newGroupView(g *sales.Group, shop string) *groupView {
	v := &groupView{g: g, figures: map[string]*widget.Label{}}
	money := func(a ledger.Amount) string { return i18n.Money(a, g.Currency) }
	figures := []struct {
		key, title, value string
	}{
		{figOrders, lang.L("Orders"), strconv.FormatInt(g.TotalOrders(), 10)},
		{figItems, lang.L("Items"), strconv.FormatInt(g.TotalItems(), 10)},
		{figSales, lang.L("Gross sales"), money(g.TotalSales())},
		{figNet, lang.L("Net sales"), money(g.NetSales())},
		{figTax, lang.L("VAT"), money(g.TotalTax())},
		{figShipping, lang.L("Shipping"), money(g.TotalShipping())},
		{figShippingTax, lang.L("VAT on shipping"), money(g.TotalShippingTax())},
		{figRefunds, lang.L("Refunds"), money(g.TotalRefunds())},
		{figDiscount, lang.L("Discounts"), money(g.TotalDiscount())},
		{figFees, lang.L("Fees"), money(g.TotalFees())},
	}
	totals := container.NewGridWithColumns(4)
	for _, f := range figures {
		l := valueLabel(f.value)
		v.figures[f.key] = l
		totals.Add(widget.NewLabel(f.title))
		totals.Add(l)
	}

	rates := container.NewGridWithColumns(4, headLabel(lang.L("Rate")), headValue(lang.L("VAT")),
		headValue(lang.L("VAT on shipping")), headValue(lang.L("Refunded VAT")))
	for _, r := range g.Taxes {
		row := []*widget.Label{widget.NewLabel(rateName(&r)), valueLabel(money(r.Tax)),
			valueLabel(money(r.ShippingTax)), valueLabel(money(r.RefundedTax))}
		v.rates = append(v.rates, row)
		for _, l := range row {
			rates.Add(l)
		}
	}
	methods := container.NewGridWithColumns(3, headLabel(lang.L("Payment method")), headValue(lang.L("Sales")),
		headValue(lang.L("Refunds")))
	for _, m := range g.Methods {
		row := []*widget.Label{widget.NewLabel(methodName(&m)), valueLabel(money(m.Sales)), valueLabel(money(m.Refunds))}
		v.methods = append(v.methods, row)
		for _, l := range row {
			methods.Add(l)
		}
	}

	head := widget.NewLabelWithStyle(lang.L("{{.Shop}} — {{.Currency}}", map[string]any{"Shop": shop, "Currency": g.Currency}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameSubHeadingText
	parts := container.NewVBox(head, totals)
	if len(g.Taxes) > 0 {
		parts.Add(widget.NewSeparator())
		parts.Add(rates)
	}
	if len(g.Methods) > 0 {
		parts.Add(widget.NewSeparator())
		parts.Add(methods)
	}
	if len(g.Periods) > 0 {
		v.chart = newBarChart(g.Periods, g.Currency)
		parts.Add(widget.NewSeparator())
		parts.Add(v.chart.content)
	}
	parts.Add(widget.NewSeparator())
	v.content = parts
	return v
}

// rateName is the rate as the shop labels it, or its percent.
func rateName(r *sales.RateTotals) string {
	switch {
	case r.Label != "":
		return r.Label
	case r.ID == 0:
		return lang.L("Without VAT")
	}
	return i18n.Number(r.Percent) + " %"
}

// methodName is the payment method's title, or its id.
func methodName(m *sales.MethodTotals) string {
	switch {
	case m.Title != "":
		return m.Title
	case m.Method != "":
		return m.Method
	}
	return lang.L("No payment method")
}

func valueLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
}

func headLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func headValue(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}
