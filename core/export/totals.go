package export

import (
	"cmp"
	"fmt"
	"slices"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// sheetTotals adds a sheet's amount columns up per currency, for the rows
// that end the sheet when Options.Totals is set: one row per currency,
// never one that adds two currencies together.
type sheetTotals struct {
	width    int   // the sheet's columns
	number   int   // the order number's column, which says how many orders
	currency int   // the column that names the currency
	summed   []int // the columns added up: amounts only
	by       map[string]*currencySums
}

type currencySums struct {
	orders int
	sums   []ledger.Amount // by position in summed
}

// The columns each sheet adds up: every amount of an order; a line's net,
// tax and gross, not its quantity or unit price, which add up to nothing.
func orderTotals() *sheetTotals {
	return newSheetTotals(orderHeader, "Items", "Discount", "Shipping", "Fees", "Tax", "Total", "Refunded")
}

func lineTotals() *sheetTotals { return newSheetTotals(lineHeader, "Net", "Tax", "Gross") }

func newSheetTotals(header []string, summed ...string) *sheetTotals {
	t := &sheetTotals{width: len(header), number: column(header, "Order number"), currency: column(header, "Currency")}
	for _, name := range summed {
		t.summed = append(t.summed, column(header, name))
	}
	return t
}

// column is the index of a header's column; the headers are constants,
// so a missing one is a mistake in this package.
func column(header []string, name string) int {
	i := slices.Index(header, name)
	if i < 0 {
		panic("export: no column " + name)
	}
	return i
}

// sums is the currency's running totals.
func (t *sheetTotals) sums(currency string) *currencySums {
	if t.by == nil {
		t.by = map[string]*currencySums{}
	}
	s := t.by[currency]
	if s == nil {
		s = &currencySums{sums: make([]ledger.Amount, len(t.summed))}
		t.by[currency] = s
	}
	return s
}

// order counts an order of the sheet.
func (t *sheetTotals) order(o *ledger.Order) { t.sums(o.Currency).orders++ }

// row adds a written row's amounts to its currency's totals.
func (t *sheetTotals) row(cells []cell) {
	cur, _ := cells[t.currency].(string)
	s := t.sums(cur)
	for i, col := range t.summed {
		if a, ok := cells[col].(ledger.Amount); ok {
			s.sums[i] += a
		}
	}
}

// rows are the totals rows, by currency code: "Total" in the first column,
// the number of orders as "12 orders" in the order number's column, the
// currency in its own, and each summed column's total as an amount.
func (t *sheetTotals) rows() [][]cell {
	currencies := make([]string, 0, len(t.by))
	for c := range t.by {
		currencies = append(currencies, c)
	}
	slices.SortFunc(currencies, cmp.Compare)
	out := make([][]cell, 0, len(currencies))
	for _, c := range currencies {
		s := t.by[c]
		r := make([]cell, t.width)
		for i := range r {
			r[i] = ""
		}
		r[0], r[t.number], r[t.currency] = "Total", ordersText(s.orders), c
		for i, col := range t.summed {
			r[col] = s.sums[i]
		}
		out = append(out, r)
	}
	return out
}

func ordersText(n int) string {
	if n == 1 {
		return "1 order"
	}
	return fmt.Sprintf("%d orders", n)
}
