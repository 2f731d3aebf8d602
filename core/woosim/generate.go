package woosim

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// genParams are the inputs the generator rebuilds an order from. Together
// with the seed they determine the order completely, so the simulator can
// throw an orderDoc away after rendering and rebuild it when needed.
type genParams struct {
	seed         int64
	id           int64
	created      int64 // Unix seconds, UTC
	now          int64 // clamps the generated history (state only, never the doc)
	fresh        bool  // a brand-new order (AddOrders): no history yet
	itemBase     int64 // next woocommerce_order_items id
	itemMetaBase int64 // next woocommerce_order_itemmeta id
	postMetaBase int64 // next postmeta id
	shop         *genShop
}

// genShop is what the shop's options make of every order (nil: the older
// generator's defaults).
type genShop struct {
	vat      *vatConfig // nil: no VAT shop
	change   *CurrencyChange
	changeAt int64
	fixed    string // every order's currency, when there is no change
}

// currency is the store currency at t, when the shop has one for every
// order (a VAT shop, or one that changed currency).
func (g *genShop) currency(t int64) (string, bool) {
	if g == nil {
		return "", false
	}
	if g.change == nil {
		return g.fixed, g.fixed != ""
	}
	if t < g.changeAt {
		return g.change.Before, true
	}
	return g.change.After, true
}

// genResult is a generated order: its doc, its initial state and how many
// ids of each sequence it used.
type genResult struct {
	doc       orderDoc
	status    string
	modified  int64
	paid      int64
	completed int64
	refunds   []refund // amounts and reasons; ids are assigned by the caller

	items, itemMetas, postMetas int64
}

// weighted is a choice and its weight.
type weighted[T any] struct {
	v T
	w int
}

// Status mix of a shop's history, in percent (sums to 100).
var historyStatuses = []weighted[string]{
	{string(ledger.StatusCompleted), 55},
	{string(ledger.StatusProcessing), 11},
	{string(ledger.StatusOnHold), 5},
	{string(ledger.StatusPending), 6},
	{string(ledger.StatusCancelled), 8},
	{string(ledger.StatusRefunded), 6},
	{string(ledger.StatusFailed), 7},
	{string(ledger.StatusCheckoutDraft), 2},
}

// Status mix of orders placed just now.
var freshStatuses = []weighted[string]{
	{string(ledger.StatusProcessing), 45},
	{string(ledger.StatusPending), 30},
	{string(ledger.StatusOnHold), 20},
	{string(ledger.StatusCheckoutDraft), 5},
}

const (
	minute = 60
	hour   = 60 * minute
	day    = 24 * hour
)

// rng returns the order's own random stream: orders do not depend on each
// other's draws, only on (seed, id).
func rng(seed, id int64, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(id)*0x9E3779B97F4A7C15^salt))
}

var (
	createdVias   = []weighted[string]{{"checkout", 80}, {"admin", 15}, {"rest-api", 5}}
	gatewaysBG    = []weighted[gateway]{{gwCOD, 50}, {gwBACS, 20}, {gwStripe, 20}, {gwPayPal, 10}}
	gatewaysWorld = []weighted[gateway]{{gwStripe, 45}, {gwPayPal, 25}, {gwBACS, 20}, {gwCOD, 10}}
	lineCounts    = []weighted[int]{{1, 40}, {2, 30}, {3, 18}, {4, 8}, {5, 4}}
	quantities    = []weighted[int64]{{1, 60}, {2, 25}, {3, 10}, {4, 5}}
	countryPicks  []weighted[*country]
	productPicks  []weighted[*product]
)

func init() {
	for i := range countries {
		countryPicks = append(countryPicks, weighted[*country]{&countries[i], countryWeights[i]})
	}
	for i := range catalog {
		w := 10
		if catalog[i].Deleted {
			w = 1
		}
		productPicks = append(productPicks, weighted[*product]{&catalog[i], w})
	}
}

func pickWeighted[T any](r *rand.Rand, items []weighted[T]) T {
	total := 0
	for _, it := range items {
		total += it.w
	}
	n := r.IntN(total)
	for _, it := range items {
		n -= it.w
		if n < 0 {
			return it.v
		}
	}
	return items[len(items)-1].v
}

func pick[T any](r *rand.Rand, items []T) T { return items[r.IntN(len(items))] }

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randString(r *rand.Rand, alphabet string, n int) string {
	var sb strings.Builder
	sb.Grow(n)
	for range n {
		sb.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return sb.String()
}

// generate builds one order. Every random draw comes from the order's own
// stream in a fixed sequence, so the same inputs give the same order.
func generate(p genParams) genResult {
	r := rng(p.seed, p.id, 0x5EED)
	var g genResult
	d := &g.doc
	d.ID = p.id

	// Status first: several fields depend on it.
	if p.fresh {
		g.status = pickWeighted(r, freshStatuses)
	} else {
		g.status = pickWeighted(r, historyStatuses)
	}
	partialRefund := g.status == string(ledger.StatusCompleted) && r.IntN(100) < 8
	wasCompleted := g.status == string(ledger.StatusRefunded) && r.IntN(2) == 0
	paidStatus := g.status == string(ledger.StatusProcessing) || g.status == string(ledger.StatusCompleted) ||
		g.status == string(ledger.StatusRefunded)
	draft := g.status == string(ledger.StatusCheckoutDraft)

	// Customer.
	var vat *vatConfig
	if p.shop != nil {
		vat = p.shop.vat
	}
	picks := countryPicks
	if vat != nil {
		picks = vatCountryPicks
	}
	c := pickWeighted(r, picks)
	d.Currency = c.Currencies[0]
	if len(c.Currencies) > 1 && r.IntN(100) < 15 {
		d.Currency = c.Currencies[1+r.IntN(len(c.Currencies)-1)]
	}
	if cur, ok := p.shop.currency(p.created); ok {
		d.Currency = cur
	}
	who := pick(r, c.People)
	where := pick(r, c.Places)
	company := ""
	if r.IntN(100) < 10 {
		company = pick(r, c.Companies)
	}
	email := who.Email
	if r.IntN(3) == 0 {
		email += strconv.Itoa(r.IntN(100))
	}
	email += "@example.test"
	phone := c.PhonePre + " " + strconv.Itoa(100+r.IntN(900)) + " " + strconv.Itoa(1000+r.IntN(9000))
	d.Billing = address{
		FirstName: who.First, LastName: who.Last, Company: company,
		Address1: where.Address1, Address2: where.Address2, City: where.City, State: where.State,
		Postcode: where.Postcode, Country: c.Code, Email: email, Phone: phone,
	}

	switch {
	case draft:
		d.CreatedVia = "store-api"
	default:
		d.CreatedVia = pickWeighted(r, createdVias)
	}
	web := d.CreatedVia == "checkout" || d.CreatedVia == "store-api"
	if r.IntN(100) < 40 {
		d.CustomerID = 2 + int64(r.IntN(400))
	}

	// Payment.
	var gw gateway
	switch {
	case g.status == string(ledger.StatusOnHold):
		gw = gwBACS
	case g.status == string(ledger.StatusFailed):
		gw = pick(r, []gateway{gwStripe, gwPayPal})
	case c.Code == "BG":
		gw = pickWeighted(r, gatewaysBG)
	default:
		gw = pickWeighted(r, gatewaysWorld)
	}
	if !draft {
		d.PaymentMethod = gw.ID
		d.PaymentMethodTitle = gw.Title
		switch gw.ID {
		case "cod":
			d.PaymentMethodTitle = c.CODTitle
		case "bacs":
			d.PaymentMethodTitle = c.BACSTitle
		}
	}
	if paidStatus {
		switch gw.ID {
		case "stripe":
			d.TransactionID = "pi_3" + randString(r, alnum, 20)
		case "paypal":
			d.TransactionID = randString(r, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 17)
		}
	}
	d.OrderKey = "wc_order_" + randString(r, alnum, 13)
	if web {
		d.CartHash = randString(r, hexDigits, 32)
		switch r.IntN(3) {
		case 0:
			d.CustomerIP = "203.0.113." + strconv.Itoa(1+r.IntN(254))
		case 1:
			d.CustomerIP = "198.51.100." + strconv.Itoa(1+r.IntN(254))
		default:
			d.CustomerIP = "2001:db8::" + strconv.FormatInt(int64(1+r.IntN(0xfffe)), 16)
		}
		d.CustomerUA = pick(r, userAgents)
	}
	if r.IntN(100) < 15 {
		d.CustomerNote = pick(r, c.Notes)
	}

	// Taxes.
	var rateFor func(class string) *taxRate
	if vat != nil {
		d.PricesIncludeTax = vat.inclusive
		rateFor = func(class string) *taxRate { return vat.rateFor(c.Code, class) }
	} else {
		taxed := c.TaxRate != nil && r.IntN(100) < c.TaxedShare
		d.PricesIncludeTax = taxed && c.Code != "US" && r.IntN(2) == 0
		rateFor = func(class string) *taxRate {
			if !taxed {
				return nil
			}
			if class == "reduced-rate" && c.Reduced != nil {
				return c.Reduced
			}
			return c.TaxRate
		}
	}

	// Line items.
	item := p.itemBase
	imeta := p.itemMetaBase
	nextItem := func() int64 { item++; return item - 1 }
	nextIMeta := func() int64 { imeta++; return imeta - 1 }

	nLines := pickWeighted(r, lineCounts)
	products := make([]*product, 0, nLines)
pickLines:
	for range nLines {
		pr := pickWeighted(r, productPicks)
		for _, q := range products {
			if q == pr {
				continue pickLines
			}
		}
		products = append(products, pr)
	}
	allDigital := true
	for _, pr := range products {
		qty := pickWeighted(r, quantities)
		if qty == 4 {
			qty = 4 + int64(r.IntN(7))
		}
		li := lineItem{
			ID: nextItem(), Name: pr.Name, ProductID: pr.ID, VariationID: pr.VariantID, Quantity: qty,
			TaxClass: pr.TaxClass, SKU: pr.SKU, ParentName: pr.ParentName,
		}
		li.Subtotal = priceIn(pr.Price, d.Currency) * money(qty)
		li.Total = li.Subtotal
		if rt := rateFor(pr.TaxClass); rt != nil {
			li.TaxRateID = rt.ID
		}
		for _, a := range pr.Attrs {
			li.Meta = append(li.Meta, metaItem{ID: nextIMeta(), Key: a.Key, Value: a.Value, DisplayKey: a.DisplayKey, DisplayValue: a.DisplayValue})
		}
		switch {
		case pr.Deleted:
			li.SKUNull = true
		case pr.VariantID != 0:
			// Variations answer image id 0, simple products without an image "".
		case pr.ImageID != 0:
			li.ImageID, li.ImagePath = pr.ImageID, pr.ImagePath
		default:
			li.ImageIDStr = true
		}
		if !pr.Digital {
			allDigital = false
		}
		if !pr.Digital && !pr.Deleted {
			d.NeedsPro = true
		}
		d.Lines = append(d.Lines, li)
	}

	// Coupon: discounts come off the lines.
	var cp *coupon
	if r.IntN(100) < 15 {
		cp = pick(r, coupons)
		var sum money
		for _, li := range d.Lines {
			sum += li.Subtotal
		}
		switch cp.Type {
		case "percent":
			for i := range d.Lines {
				d.Lines[i].Total -= money((int64(d.Lines[i].Subtotal)*int64(cp.Amount) + 5000) / 10000)
			}
		default: // fixed_cart, spread over the lines in proportion, the odd cents to the first
			amount := min(cp.Amount, sum)
			var given money
			for i := range d.Lines {
				share := money(int64(amount) * int64(d.Lines[i].Subtotal) / int64(sum))
				d.Lines[i].Total -= share
				given += share
			}
			for i := 0; given < amount; i = (i + 1) % len(d.Lines) {
				if d.Lines[i].Total > 0 {
					d.Lines[i].Total--
					given++
				}
			}
		}
	}
	rates := map[int64]*taxRate{}
	var rateOrder []int64
	useRate := func(rt *taxRate) {
		if rt == nil {
			return
		}
		if rates[rt.ID] == nil {
			rates[rt.ID] = rt
			rateOrder = append(rateOrder, rt.ID)
		}
	}
	for i := range d.Lines {
		li := &d.Lines[i]
		rt := rateFor(li.TaxClass)
		switch {
		case rt == nil:
		case vat != nil && vat.inclusive:
			// Subtotal and Total are gross so far: take the tax out of
			// each, rounded per line (WC_Cart_Totals without "round at
			// subtotal").
			li.SubtotalTax = inclusiveTax(li.Subtotal, rt.BP)
			li.Subtotal -= li.SubtotalTax
			li.TotalTax = inclusiveTax(li.Total, rt.BP)
			li.Total -= li.TotalTax
			useRate(rt)
		default:
			li.SubtotalTax = taxOf(li.Subtotal, rt.BP)
			li.TotalTax = taxOf(li.Total, rt.BP)
			useRate(rt)
		}
	}

	// Fees.
	if vat != nil && gw.ID == "cod" && d.PaymentMethod != "" {
		// The COD fee, net of tax, taxed at the standard rate.
		f := feeLine{ID: nextItem(), Name: c.CODFee, TaxStatus: "taxable", Total: priceIn(200, d.Currency)}
		if rt := rateFor(""); rt != nil {
			f.TaxRateID = rt.ID
			f.TotalTax = taxOf(f.Total, rt.BP)
			useRate(rt)
		}
		d.Fees = append(d.Fees, f)
	} else if r.IntN(100) < 10 {
		f := feeLine{ID: nextItem(), Name: "Gift wrap", TaxStatus: "taxable", Total: priceIn(300, d.Currency)}
		if gw.ID == "cod" && d.PaymentMethod != "" {
			f.Name, f.Total = c.CODFee, priceIn(250, d.Currency)
		}
		if rt := rateFor(""); rt != nil {
			f.TaxRateID = rt.ID
			f.TotalTax = taxOf(f.Total, rt.BP)
			useRate(rt)
		}
		d.Fees = append(d.Fees, f)
	}
	var linesTotal money
	for _, li := range d.Lines {
		linesTotal += li.Total
	}
	if linesTotal > 2000 && r.IntN(100) < 3 {
		// A negative fee used as a discount: not taxable, tax class "0".
		d.Fees = append(d.Fees, feeLine{ID: nextItem(), Name: "Loyalty discount", TaxClass: "0", TaxStatus: "none", Total: -200})
	}

	// Shipping.
	if !allDigital {
		methods := commonShipping
		if len(c.Couriers) > 0 {
			methods = append(append([]shipMethod(nil), c.Couriers...), commonShipping...)
		}
		m := pick(r, methods)
		cost := m.Cost
		if d.Currency == "BGN" && m.Instance == "1" {
			cost = 690
		}
		sl := shippingLine{ID: nextItem(), MethodTitle: m.Title, MethodID: m.ID, InstanceID: m.Instance, Total: cost}
		if d.CreatedVia == "rest-api" {
			sl.InstanceID = ""
		}
		if rt := rateFor(""); rt != nil && cost != 0 {
			sl.TaxRateID = rt.ID
			sl.TotalTax = taxOf(cost, rt.BP)
			useRate(rt)
		}
		if web {
			parts := make([]string, len(d.Lines))
			for i, li := range d.Lines {
				parts[i] = li.Name + " &times; " + strconv.FormatInt(li.Quantity, 10)
			}
			v := strings.Join(parts, ", ")
			sl.Meta = []metaItem{{ID: nextIMeta(), Key: "Items", Value: v, DisplayKey: "Items", DisplayValue: v}}
		}
		d.Ships = append(d.Ships, sl)
	}

	// Tax lines, one per rate used, in the order the rates came up.
	for _, id := range rateOrder {
		rt := rates[id]
		tl := taxLine{ID: nextItem(), RateCode: rt.Code, RateID: rt.ID, Label: rt.Label, RatePercent: rt.RatePercent}
		for _, li := range d.Lines {
			if li.TaxRateID == id {
				tl.TaxTotal += li.TotalTax
			}
		}
		for _, f := range d.Fees {
			if f.TaxRateID == id {
				tl.TaxTotal += f.TotalTax
			}
		}
		for _, s := range d.Ships {
			if s.TaxRateID == id {
				tl.ShippingTax += s.TotalTax
			}
		}
		d.Taxes = append(d.Taxes, tl)
	}

	// Coupon line.
	if cp != nil {
		cl := couponLine{ID: nextItem(), Code: cp.Code}
		for _, li := range d.Lines {
			cl.Discount += li.Subtotal - li.Total
			cl.DiscountTax += li.SubtotalTax - li.TotalTax
		}
		cl.Meta = []metaItem{{ID: nextIMeta(), Key: "coupon_data", DisplayKey: "coupon_data", JSON: cp.JSONMeta}}
		d.Coupons = append(d.Coupons, cl)
	}

	// Stock: WooCommerce notes on each stock-managed line how much it took.
	for i := range d.Lines {
		pr := products[i]
		if pr.Digital || pr.Deleted {
			continue
		}
		q := strconv.FormatInt(d.Lines[i].Quantity, 10)
		d.Lines[i].Meta = append(d.Lines[i].Meta, metaItem{
			ID: nextIMeta(), Key: "_reduced_stock", Value: q, DisplayKey: "_reduced_stock", DisplayValue: q, ReducedStock: true,
		})
	}

	// Totals, as WC_Abstract_Order::calculate_totals() adds them up.
	for _, li := range d.Lines {
		d.DiscountTotal += li.Subtotal - li.Total
		d.DiscountTax += li.SubtotalTax - li.TotalTax
		d.CartTax += li.TotalTax
	}
	var feesTotal money
	for _, f := range d.Fees {
		feesTotal += f.Total
		d.CartTax += f.TotalTax
	}
	for _, s := range d.Ships {
		d.ShippingTotal += s.Total
		d.ShippingTax += s.TotalTax
	}
	d.TotalTax = d.CartTax + d.ShippingTax
	d.Total = linesTotal + feesTotal + d.ShippingTotal + d.TotalTax

	// Order meta.
	pmeta := p.postMetaBase
	if web {
		d.Meta = append(d.Meta, metaItem{ID: pmeta, Key: "is_vat_exempt", Value: "no"})
		pmeta++
	}

	// Shipping address: the billing one, a gift to someone else, or none.
	switch {
	case allDigital:
	case r.IntN(100) < 15:
		to, at := pick(r, c.People), pick(r, c.Places)
		d.Shipping = address{FirstName: to.First, LastName: to.Last, Address1: at.Address1, Address2: at.Address2,
			City: at.City, State: at.State, Postcode: at.Postcode, Country: c.Code}
	default:
		d.Shipping = d.Billing
		d.Shipping.Email, d.Shipping.Phone = "", ""
	}

	// History: when it was paid, completed, refunded, last touched. The
	// whole timeline is drawn first, then cut at now: an order whose next
	// step would come after now has not taken it yet and is still in the
	// state it reached (a recent "completed" order is still processing, a
	// recent bank transfer still on-hold). Clamping such steps to now
	// instead would pile hundreds of orders up at exactly now.
	created := p.created
	now := max(p.now, created)
	draftEdit := created + int64(r.IntN(120))
	failAt := created + 5 + int64(r.IntN(300))
	holdEdit := created + int64(r.IntN(5))
	cancelAt := created + hour + int64(r.IntN(day))
	payDelay := int64(r.IntN(90))
	if gw.ID == "bacs" {
		payDelay = day + int64(r.IntN(3*day)) // the transfer arrives, on-hold becomes processing
	}
	if p.fresh {
		payDelay = 0
	}
	paidEdit := int64(r.IntN(3))
	completeAfter := hour + int64(r.IntN(5*day))
	refundAfter := hour + int64(r.IntN(10*day))
	partialAfter := day + int64(r.IntN(10*day))

	g.modified = created
	switch g.status {
	case string(ledger.StatusCheckoutDraft):
		if draftEdit <= now {
			g.modified = draftEdit
		}
	case string(ledger.StatusFailed):
		if failAt <= now {
			g.modified = failAt
		} else {
			g.status = string(ledger.StatusPending) // the payment attempt is still under way
		}
	case string(ledger.StatusOnHold):
		if holdEdit <= now {
			g.modified = holdEdit
		}
	case string(ledger.StatusCancelled):
		if cancelAt <= now {
			g.modified = cancelAt
		} else {
			g.status = string(ledger.StatusPending) // not given up on yet
		}
	case string(ledger.StatusProcessing), string(ledger.StatusCompleted), string(ledger.StatusRefunded):
		final := g.status
		paid := created + payDelay
		if paid > now {
			g.status = string(ledger.StatusPending)
			if gw.ID == "bacs" {
				g.status = string(ledger.StatusOnHold) // awaiting the transfer
				g.modified = min(holdEdit, now)
			}
			break
		}
		g.paid = paid
		g.modified = paid
		if paid+paidEdit <= now {
			g.modified = paid + paidEdit
		}
		g.status = string(ledger.StatusProcessing)
		if final == string(ledger.StatusCompleted) || wasCompleted {
			if done := g.paid + completeAfter; done <= now {
				g.completed = done
				g.modified = done
				g.status = string(ledger.StatusCompleted)
			} else {
				break
			}
		}
		switch {
		case final == string(ledger.StatusRefunded) && d.Total > 0:
			reason := "Order status set to refunded"
			if r.IntN(2) == 0 {
				reason = pick(r, refundReasons)
			}
			if at := g.modified + refundAfter; at <= now {
				g.modified = at
				g.status = final
				rf := refund{Reason: reason, Amount: d.Total, Created: at}
				if vat != nil && reason != "Order status set to refunded" {
					// Refunded in the admin item by item: everything.
					rf.Lines = wholeOrderRefund(d)
				}
				g.refunds = []refund{rf}
			}
		case final == string(ledger.StatusRefunded):
			g.status = final // nothing to refund
		case partialRefund && d.Total > 0:
			i := r.IntN(len(d.Lines))
			li := &d.Lines[i]
			amount := min(li.Total+li.TotalTax, d.Total)
			wholeLine := amount == li.Total+li.TotalTax
			var part *refundLine
			switch {
			case vat != nil && r.IntN(3) > 0:
				// A VAT shop's refunds mostly take back items: some of
				// a line's quantity, tax in proportion.
				q := 1 + r.Int64N(li.Quantity)
				part = &refundLine{Kind: itemLine, Index: int32(i), Qty: q,
					Total: ratio(li.Total, q, li.Quantity), Tax: ratio(li.TotalTax, q, li.Quantity)}
				amount, wholeLine = part.Total+part.Tax, false
			case r.IntN(2) == 0:
				amount = min(500, d.Total)
				wholeLine = false
			}
			if at := g.modified + partialAfter; at <= now && amount > 0 && amount <= d.Total {
				g.modified = at
				rf := refund{Reason: pick(r, refundReasons), Amount: amount, Created: at}
				if wholeLine {
					// The line refunded in full: quantity, total and tax.
					rf.Lines = []refundLine{{Kind: itemLine, Index: int32(i), Qty: li.Quantity, Total: li.Total, Tax: li.TotalTax}}
				}
				if part != nil {
					rf.Lines = []refundLine{*part}
				}
				g.refunds = []refund{rf}
				if vat != nil && amount == d.Total {
					g.status = string(ledger.StatusRefunded) // wc_create_refund(): fully refunded
				}
			}
		}
	}

	g.items = item - p.itemBase
	g.itemMetas = imeta - p.itemMetaBase
	g.postMetas = pmeta - p.postMetaBase
	return g
}

// stockReduced reports whether an order in status holds stock, which
// decides whether its lines show their _reduced_stock meta: WooCommerce
// reduces stock on processing, completed and on-hold, and gives it back on
// cancelled and pending.
func stockReduced(status string) bool {
	switch ledger.Status(status) {
	case ledger.StatusProcessing, ledger.StatusCompleted, ledger.StatusOnHold, ledger.StatusRefunded:
		return true
	}
	return false
}

// isEditable mirrors WC_Order::is_editable().
func isEditable(status string) bool {
	return status == string(ledger.StatusPending) || status == string(ledger.StatusOnHold) || status == "auto-draft"
}

// needsPayment mirrors WC_Order::needs_payment().
func needsPayment(status string, total money) bool {
	return (status == string(ledger.StatusPending) || status == string(ledger.StatusFailed)) && total > 0
}

// wholeOrderRefund refunds every item of d in full.
func wholeOrderRefund(d *orderDoc) []refundLine {
	var out []refundLine
	for i, li := range d.Lines {
		out = append(out, refundLine{Kind: itemLine, Index: int32(i), Qty: li.Quantity, Total: li.Total, Tax: li.TotalTax})
	}
	for i, f := range d.Fees {
		out = append(out, refundLine{Kind: itemFee, Index: int32(i), Qty: 1, Total: f.Total, Tax: f.TotalTax})
	}
	for i, sl := range d.Ships {
		if sl.Total != 0 || sl.TotalTax != 0 {
			out = append(out, refundLine{Kind: itemShipping, Index: int32(i), Qty: 1, Total: sl.Total, Tax: sl.TotalTax})
		}
	}
	return out
}
