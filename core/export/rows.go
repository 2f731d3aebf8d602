package export

import (
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// A cell is a string, an ledger.Amount, an int64 or a time.Time; each
// format writes them its own way (XLSX keeps numbers and dates typed).
type cell = any

var orderHeader = []string{
	"Shop", "Warehouse", "Cost center", "Order number", "Order ID", "Status", "Created", "Paid", "Completed",
	"Customer", "Company", "Email", "Country", "Currency", "Items", "Discount", "Shipping", "Fees", "Tax",
	"Total", "Refunded", "Payment method", "Transaction ID", "Deleted",
}

var lineHeader = []string{
	"Shop", "Warehouse", "Cost center", "Order number", "Created", "Status", "Currency", "Type",
	"SKU", "Description", "Quantity", "Unit price", "Net", "Tax", "Gross", "Tax class",
}

// orderRow is one order as the Orders sheet shows it.
func (n names) orderRow(o *ledger.Order, loc *time.Location) []cell {
	var items, fees ledger.Amount
	for _, l := range o.Lines {
		items += l.Subtotal
	}
	for _, f := range o.FeeLines {
		fees += f.Total
	}
	deleted := ""
	if o.Deleted {
		deleted = "yes"
	}
	return []cell{
		n.shop(o.Shop), n.warehouse(o.Warehouse), n.costCenter(o.CostCenter), o.Number, o.ID, string(o.Status),
		local(o.Created, loc), local(o.Paid, loc), local(o.Completed, loc),
		o.CustomerName(), o.Billing.Company, o.Billing.Email, o.Billing.Country, o.Currency,
		items, o.DiscountTotal, o.ShippingTotal, fees, o.TotalTax, o.Total, o.RefundedTotal(),
		o.PaymentMethodTitle, o.TransactionID, deleted,
	}
}

// lineRows are the order's product, shipping and fee lines, one row each,
// so the Lines sheet adds up to the order's total before refunds.
func (n names) lineRows(o *ledger.Order, loc *time.Location) [][]cell {
	head := []cell{n.shop(o.Shop), n.warehouse(o.Warehouse), n.costCenter(o.CostCenter), o.Number, local(o.Created, loc), string(o.Status), o.Currency}
	row := func(kind, sku, desc string, qty, price, net, tax ledger.Amount, class string) []cell {
		r := append(append([]cell(nil), head...), kind, sku, desc)
		return append(r, qty, price, net, tax, net+tax, class)
	}
	var rows [][]cell
	for _, l := range o.Lines {
		rows = append(rows, row("product", l.SKU, l.Name, l.Quantity, l.Price, l.Total, l.TotalTax, l.TaxClass))
	}
	for _, s := range o.ShippingLines {
		rows = append(rows, row("shipping", "", s.MethodTitle, ledger.MustAmount("1"), s.Total, s.Total, s.TotalTax, ""))
	}
	for _, f := range o.FeeLines {
		rows = append(rows, row("fee", "", f.Name, ledger.MustAmount("1"), f.Total, f.Total, f.TotalTax, f.TaxClass))
	}
	return rows
}

// local is t in loc, or nothing when the shop did not set it.
func local(t time.Time, loc *time.Location) cell {
	if t.IsZero() {
		return ""
	}
	return t.In(loc)
}
