package nra

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Item is one artenum: a product line, a shipping line or a fee.
type Item struct {
	Name    string
	Quant   ledger.Amount
	Price   ledger.Amount // unit price before discount, without VAT
	VATRate ledger.Amount // percent, whole
	VAT     ledger.Amount // the line's VAT before discount
	Sum     ledger.Amount // the line before discount with VAT
	Net     ledger.Amount // the line before discount without VAT: Sum − VAT
}

// Order is one orderenum, its figures in the file's currency.
type Order struct {
	Key       ledger.OrderKey
	Number    string
	Date      time.Time // ord_d, local date
	DocNumber string
	DocDate   time.Time
	Items     []Item
	Total1    ledger.Amount // the items before discount without VAT: Σ (art_sum − art_vat)
	Disc      ledger.Amount // Total1 + VAT − Total2: the discount without VAT
	VAT       ledger.Amount // the order's VAT after discount (WooCommerce's total_tax)
	Total2    ledger.Amount // what the customer paid (WooCommerce's total)
	Paym      Paym
	POSNumber string
	TransID   string
	ProcID    string
	// Currency is the order's own; Converted says its figures were
	// converted at the fixed rate.
	Currency  string
	Converted bool
	// DiscRounding is Disc minus WooCommerce's discount_total (and
	// negative fees), both without VAT: the cents that rounding or
	// converting the lines carried into the discount, zero nearly always.
	DiscRounding ledger.Amount
}

// Refund is one rorderenum.
type Refund struct {
	Key       ledger.OrderKey
	RefundID  int64
	Number    string // r_ord_n: the order's number
	Amount    ledger.Amount
	Date      time.Time
	Paym      RefundPaym
	Currency  string
	Converted bool
}

// Skip is an order left out of the file, with why (a phrase).
type Skip struct {
	Key    ledger.OrderKey
	Number string
	Why    string
}

// File is the month's audit file, ready to write and to preview.
type File struct {
	Settings     Settings
	Year         int
	Month        time.Month
	CreationDate time.Time
	Currency     string // of every figure in the file
	Orders       []Order
	Refunds      []Refund
	RTotal       ledger.Amount
	// ROrd is r_ord: how many orders were refunded, wholly or in part.
	ROrd int
	// Skipped are orders left out (not delivered, another currency…);
	// Problems keep the file from being written at all (missing
	// settings, an unmapped payment method…).
	Skipped  []Skip
	Problems []Problem
	// NoDocNumber are the orders whose document-number meta key was
	// empty: their doc_n is the order number.
	NoDocNumber []string
}

// Totals sums ord_total2 and ord_vat per payment code, for the preview.
func (f *File) Totals() (total2, vat ledger.Amount, byPaym map[Paym]ledger.Amount) {
	byPaym = map[Paym]ledger.Amount{}
	for i := range f.Orders {
		o := &f.Orders[i]
		total2 += o.Total2
		vat += o.VAT
		byPaym[o.Paym] += o.Total2
	}
	return total2, vat, byPaym
}

// Converted counts the orders and refunds converted at the fixed rate.
func (f *File) Converted() (orders, refunds int) {
	for i := range f.Orders {
		if f.Orders[i].Converted {
			orders++
		}
	}
	for i := range f.Refunds {
		if f.Refunds[i].Converted {
			refunds++
		}
	}
	return orders, refunds
}

// Input is what Build reads.
type Input struct {
	Settings Settings
	Location *time.Location // the shop's time zone
	Year     int
	Month    time.Month
	// CreationDate is creation_date; a fixed one makes a closed month's
	// file reproducible byte for byte.
	CreationDate time.Time
	// Meta reads an order meta key (nil: no order meta is known).
	Meta func(o *ledger.Order, key string) string
}

// Builder collects a month's orders into a File; Add every order of the
// shop (any status and date), then File.
type Builder struct {
	in       Input
	from, to time.Time
	f        File
}

// NewBuilder starts a file; a settings problem is reported by File.
func NewBuilder(in Input) *Builder {
	if in.Location == nil {
		in.Location = time.UTC
	}
	from := time.Date(in.Year, in.Month, 1, 0, 0, 0, 0, in.Location)
	b := &Builder{in: in, from: from, to: from.AddDate(0, 1, 0)}
	b.f = File{
		Settings: in.Settings, Year: in.Year, Month: in.Month,
		CreationDate: in.CreationDate, Currency: FileCurrency(in.Year, in.Month),
	}
	if err := in.Settings.Validate(); err != nil {
		b.f.Problems = append(b.f.Problems, err.(*SettingsError).Problems...)
	}
	if in.Year < 2020 || in.Year > 9999 { // god: from 2020, four digits
		b.f.Problems = append(b.f.Problems, Problem{Key: ProblemYear, Args: map[string]any{"Year": in.Year}})
	}
	return b
}

func (b *Builder) inMonth(t time.Time) bool {
	return !t.IsZero() && !t.Before(b.from) && t.Before(b.to)
}

// Add takes one order: its delivery if it falls in the month, its refunds
// dated in the month.
func (b *Builder) Add(o *ledger.Order) {
	b.addRefunds(o)
	delivered := o.Completed
	if b.in.Settings.DeliveredOn == DeliveredPaid {
		delivered = o.Paid
	}
	if !b.inMonth(delivered) {
		if delivered.IsZero() && b.in.Settings.DeliveredOn != DeliveredPaid && b.inMonth(o.Paid) && o.Status.MayHaveRefunds() {
			b.skip(o, "paid in the month but not completed: not delivered yet")
		}
		return
	}
	switch o.Status {
	case ledger.StatusCancelled, ledger.StatusFailed, ledger.StatusTrash, ledger.StatusPending, ledger.StatusCheckoutDraft:
		b.skip(o, fmt.Sprintf("its status is %s", o.Status))
		return
	}
	if _, ok := convert(0, o.Currency, b.f.Currency); !ok {
		b.skip(o, fmt.Sprintf("it is in %s and the file is in %s: enter it by hand", o.Currency, b.f.Currency))
		return
	}
	if len(o.Lines)+len(o.ShippingLines)+len(o.FeeLines) == 0 {
		b.skip(o, "it has no items: enter it by hand")
		return
	}
	paym, ok := b.in.Settings.PaymFor(o.PaymentMethod)
	if !ok {
		b.problem(Problem{Key: ProblemUnmappedPaym, Args: map[string]any{"Method": o.PaymentMethod, "Order": o.Number}})
		return
	}
	ord := b.order(o, delivered, paym)
	b.checkSchema(&ord)
	b.f.Orders = append(b.f.Orders, ord)
}

// The limits of dec_audit.xsd on an order's fields, in characters.
const (
	maxOrdN = 300 // ord_n, r_ord_n
	maxID   = 200 // pos_n, trans_n, proc_id
	maxName = 200 // art_name
)

// checkSchema notes what of the order the schema cannot carry: doc_n is
// an xs:integer, art_vat_rate a whole percent from 0 to 100, art_quant
// has at most 2 decimals, and the texts have their maximum lengths.
// (art_name is cut to its length instead: it only names the item.)
func (b *Builder) checkSchema(o *Order) {
	if !isInteger(o.DocNumber) {
		b.f.Problems = append(b.f.Problems, Problem{Key: ProblemDocNotInt, Args: map[string]any{"DocN": o.DocNumber, "Order": o.Number}})
	}
	for i := range o.Items {
		it := &o.Items[i]
		if it.VATRate%10000 != 0 || it.VATRate < 0 || it.VATRate > 100*10000 {
			b.f.Problems = append(b.f.Problems, Problem{Key: ProblemRateNotInt, Args: map[string]any{"Order": o.Number, "Rate": it.VATRate.String()}})
		}
		if it.Quant%100 != 0 {
			b.f.Problems = append(b.f.Problems, Problem{Key: ProblemQuantFrac, Args: map[string]any{"Order": o.Number, "Quant": quantity(it.Quant)}})
		}
		if r := []rune(it.Name); len(r) > maxName {
			it.Name = string(r[:maxName])
		}
	}
	for _, f := range []struct {
		name, text string
		max        int
	}{{"ord_n", o.Number, maxOrdN}, {"pos_n", o.POSNumber, maxID}, {"trans_n", o.TransID, maxID}, {"proc_id", o.ProcID, maxID}} {
		if utf8.RuneCountInString(f.text) > f.max {
			b.f.Problems = append(b.f.Problems, Problem{Key: ProblemFieldTooLong, Args: map[string]any{"Field": f.name, "Order": o.Number, "Max": f.max}})
		}
	}
}

// isInteger reports whether s is an xs:integer: an optional sign and
// digits.
func isInteger(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (b *Builder) skip(o *ledger.Order, why string) {
	b.f.Skipped = append(b.f.Skipped, Skip{Key: o.Key(), Number: o.Number, Why: why})
}

// problem notes p once per method (or refund): the first order names it.
func (b *Builder) problem(p Problem) {
	if !slices.ContainsFunc(b.f.Problems, func(q Problem) bool {
		return q.Key == p.Key && q.Args["Method"] == p.Args["Method"] && q.Args["Refund"] == p.Args["Refund"]
	}) {
		b.f.Problems = append(b.f.Problems, p)
	}
}

func (b *Builder) meta(o *ledger.Order, key string) string {
	if key == "" || b.in.Meta == nil {
		return ""
	}
	return strings.TrimSpace(b.in.Meta(o, key))
}

// order makes the orderenum. The schema's words fix the figures:
// art_price is the unit price before discount without VAT, art_vat and
// art_sum the line's VAT and its total with VAT (before discount, as the
// price), ord_total1 the order without VAT, ord_vat its VAT, ord_total2
// the order with VAT. Rounding: each line's figures are rounded to the
// cent (converted first when the currencies differ) and ord_total1 is the
// sum of their net amounts; ord_total2 is WooCommerce's order total and
// ord_vat its total_tax, each rounded (converted) once, so the file's
// totals are the shop's to the cent. ord_disc is what makes the order add
// up, ord_total1 − ord_disc + ord_vat = ord_total2: WooCommerce's
// discount_total without VAT, carrying any cent that rounding or the
// conversion leaves (DiscRounding). ord_vat is after the discount, so
// Σ art_vat − ord_vat is the discount's VAT. (The Bulgarisation for
// WooCommerce plugin reports the same four figures.)
func (b *Builder) order(o *ledger.Order, delivered time.Time, paym Paym) Order {
	cur := b.f.Currency
	conv := func(a ledger.Amount) ledger.Amount { v, _ := convert(a, o.Currency, cur); return v }
	rates := map[int64]ledger.Amount{}
	for _, t := range o.TaxLines {
		rates[t.RateID] = t.RatePercent
	}
	rate := func(taxes []ledger.LineTax, base, tax ledger.Amount) ledger.Amount {
		var r ledger.Amount
		known := false
		for _, t := range taxes {
			if p, ok := rates[t.RateID]; ok && p != 0 && (t.Total != 0 || t.Subtotal != 0) {
				r += p
				known = true
			}
		}
		if !known && base != 0 && tax != 0 {
			// No rate percent (the legacy API): the line's own ratio,
			// to the whole percent as rates are set.
			pct := (int64(tax)*200 + int64(base)) / (2 * int64(base))
			r = ledger.Amount(pct * 10000)
		}
		return r
	}
	out := Order{
		Key: o.Key(), Number: o.Number, Currency: o.Currency, Converted: o.Currency != cur,
		Date: o.Created.In(b.in.Location), Paym: paym, DocDate: delivered.In(b.in.Location),
	}
	out.DocNumber = o.Number
	if k := b.in.Settings.DocNumberMeta; k != "" {
		if v := b.meta(o, k); v != "" {
			out.DocNumber = v
		} else {
			b.f.NoDocNumber = append(b.f.NoDocNumber, o.Number)
		}
	}
	out.TransID = o.TransactionID
	if b.in.Settings.TransMeta != "" {
		out.TransID = b.meta(o, b.in.Settings.TransMeta)
	}
	out.POSNumber = b.meta(o, b.in.Settings.POSMeta)
	out.ProcID = b.meta(o, b.in.Settings.ProcMeta)

	var negFees ledger.Amount
	add := func(name string, quant, net, tax, r ledger.Amount) {
		it := Item{Name: name, Quant: quant, VATRate: r, VAT: conv(tax), Net: conv(net)}
		it.Sum = it.Net + it.VAT
		it.Price = it.Net
		if quant != 0 && quant != 10000 {
			it.Price = cents(ledger.Amount(int64(it.Net) * 10000 / int64(quant)))
		}
		out.Items = append(out.Items, it)
		out.Total1 += it.Net
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		name := l.Name
		if strings.TrimSpace(name) == "" { // art_name is required
			name = fmt.Sprintf("Артикул %d", l.ProductID)
		}
		add(name, l.Quantity, l.Subtotal, l.SubtotalTax, rate(l.Taxes, l.Subtotal, l.SubtotalTax))
	}
	for i := range o.ShippingLines {
		s := &o.ShippingLines[i]
		add("Доставка: "+s.MethodTitle, 10000, s.Total, s.TotalTax, rate(s.Taxes, s.Total, s.TotalTax))
	}
	for i := range o.FeeLines {
		fe := &o.FeeLines[i]
		if fe.Total < 0 { // a fee used as a discount
			negFees += -fe.Total
			continue
		}
		add(fe.Name, 10000, fe.Total, fe.TotalTax, rate(fe.Taxes, fe.Total, fe.TotalTax))
	}
	out.Total2 = conv(o.Total)
	out.VAT = conv(o.TotalTax)
	out.Disc = out.Total1 + out.VAT - out.Total2
	out.DiscRounding = out.Disc - conv(o.DiscountTotal+negFees)
	return out
}

func (b *Builder) addRefunds(o *ledger.Order) {
	for i := range o.Refunds {
		r := &o.Refunds[i]
		if !b.inMonth(r.Created) {
			if r.Created.IsZero() && !r.Detailed {
				b.problem(Problem{Key: ProblemRefundNoDate, Args: map[string]any{"Refund": r.ID, "Order": o.Number}})
			}
			continue
		}
		amt, ok := convert(r.Amount, o.Currency, b.f.Currency)
		if !ok {
			b.skip(o, fmt.Sprintf("its refund %d is in %s and the file is in %s: enter it by hand", r.ID, o.Currency, b.f.Currency))
			continue
		}
		if utf8.RuneCountInString(o.Number) > maxOrdN {
			b.f.Problems = append(b.f.Problems, Problem{Key: ProblemFieldTooLong, Args: map[string]any{"Field": "r_ord_n", "Order": o.Number, "Max": maxOrdN}})
		}
		code, ok := b.in.Settings.RefundPaymFor(o.PaymentMethod)
		if !ok {
			b.problem(Problem{Key: ProblemUnmappedRefnd, Args: map[string]any{"Method": o.PaymentMethod, "Order": o.Number}})
			continue
		}
		b.f.Refunds = append(b.f.Refunds, Refund{
			Key: o.Key(), RefundID: r.ID, Number: o.Number, Amount: amt, Date: r.Created.In(b.in.Location),
			Paym: code, Currency: o.Currency, Converted: o.Currency != b.f.Currency,
		})
		b.f.RTotal += amt
	}
}

// File returns the month's file, orders by delivery date then number,
// refunds by date.
func (b *Builder) File() *File {
	f := b.f
	slices.SortFunc(f.Orders, func(x, y Order) int {
		return cmp.Or(x.DocDate.Compare(y.DocDate), cmp.Compare(x.Key.ID, y.Key.ID))
	})
	slices.SortFunc(f.Refunds, func(x, y Refund) int {
		return cmp.Or(x.Date.Compare(y.Date), cmp.Compare(x.RefundID, y.RefundID))
	})
	slices.SortStableFunc(f.Skipped, func(x, y Skip) int { return cmp.Compare(x.Key.ID, y.Key.ID) })
	f.NoDocNumber = slices.Clone(f.NoDocNumber)
	slices.Sort(f.NoDocNumber)
	refunded := map[ledger.OrderKey]bool{}
	for i := range f.Refunds {
		refunded[f.Refunds[i].Key] = true
	}
	f.ROrd = len(refunded)
	if len(f.Orders) == 0 {
		// The schema's order holds one orderenum or more.
		f.Problems = append(slices.Clip(f.Problems), Problem{Key: ProblemNoOrders})
	}
	return &f
}

// number formats an amount for the file: two decimals, a point.
func number(a ledger.Amount) string {
	a = cents(a)
	s := a.String()
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i > 3 {
		s = s[:i+3]
	}
	return s
}

// quantity formats a quantity: as few decimals as it has.
func quantity(a ledger.Amount) string {
	s := a.String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// percent formats a VAT rate as a whole number when it is one.
func percent(a ledger.Amount) string {
	if a%10000 == 0 {
		return strconv.FormatInt(int64(a/10000), 10)
	}
	return number(a)
}
