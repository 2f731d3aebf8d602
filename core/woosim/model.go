package woosim

import (
	"strconv"
	"sync/atomic"
)

// Money is an amount in cents (every simulated currency has two decimals).
type money int64

// String formats m the way wc_format_decimal($x, 2) does: "43.00", "-5.00".
func (m money) String() string { return string(appendMoney(nil, m)) }

func appendMoney(b []byte, m money) []byte {
	v := int64(m)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	b = append(b, '.')
	c := v % 100
	b = append(b, byte('0'+c/10), byte('0'+c%10))
	return b
}

// appendMoneyDP formats m with dp decimals as PHP's number_format() does
// (half away from zero).
func appendMoneyDP(b []byte, m money, dp int) []byte {
	if dp == 2 {
		return appendMoney(b, m)
	}
	v := int64(m)
	neg := v < 0
	if neg {
		v = -v
	}
	switch dp {
	case 0:
		v = (v + 50) / 100
	case 1:
		v = (v + 5) / 10
	}
	if neg && v != 0 {
		b = append(b, '-')
	}
	if dp <= 1 {
		if dp == 0 {
			return strconv.AppendInt(b, v, 10)
		}
		b = strconv.AppendInt(b, v/10, 10)
		return append(b, '.', byte('0'+v%10))
	}
	b = strconv.AppendInt(b, v/100, 10)
	c := v % 100
	b = append(b, '.', byte('0'+c/10), byte('0'+c%10))
	for range dp - 2 {
		b = append(b, '0')
	}
	return b
}

// appendPHPFloatMoney formats m the way wc_format_decimal() formats a PHP
// float without a precision: trailing zeros and a bare dot trimmed ("10",
// "4.5", "1.95", "0"). WooCommerce stores coupon discounts, fee amounts and
// the per-rate taxes of items like that.
func appendPHPFloatMoney(b []byte, m money) []byte {
	v := int64(m)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	c := v % 100
	switch {
	case c == 0:
	case c%10 == 0:
		b = append(b, '.', byte('0'+c/10))
	default:
		b = append(b, '.', byte('0'+c/10), byte('0'+c%10))
	}
	return b
}

// taxOf returns the tax on amount at rate (in hundredths of a percent:
// 1900 is 19%), rounded half away from zero to a cent.
func taxOf(amount money, rateBP int64) money {
	v := int64(amount) * rateBP
	if v < 0 {
		return -money((-v + 5000) / 10000)
	}
	return money((v + 5000) / 10000)
}

// orderDoc is everything the generator decides about an order that does not
// change afterwards: customer, lines and totals. It is dialect-neutral and is
// regenerated from the seed whenever an order is rendered, so the simulator
// keeps only the small mutable state (order) in memory.
type orderDoc struct {
	ID               int64
	ParentID         int64
	OrderKey         string
	Currency         string
	PricesIncludeTax bool
	CustomerID       int64

	Billing  address
	Shipping address

	PaymentMethod      string
	PaymentMethodTitle string
	TransactionID      string
	CustomerIP         string
	CustomerUA         string
	CreatedVia         string
	CustomerNote       string
	CartHash           string

	Meta []metaItem // order-level meta_data

	Lines    []lineItem
	Taxes    []taxLine
	Ships    []shippingLine
	Fees     []feeLine
	Coupons  []couponLine
	NeedsPro bool // needs_processing: some line is not virtual+downloadable

	DiscountTotal money
	DiscountTax   money
	ShippingTotal money
	ShippingTax   money
	CartTax       money
	TotalTax      money
	Total         money
}

type address struct {
	FirstName, LastName, Company, Address1, Address2 string
	City, State, Postcode, Country, Email, Phone     string
}

// metaItem is one meta_data entry. Value is either a string (Str) or a raw
// pre-encoded JSON value (JSON), for meta that WooCommerce stores as arrays.
type metaItem struct {
	ID           int64
	Key, Value   string
	DisplayKey   string
	DisplayValue string
	JSON         []byte // when set, the value (and display value) is this JSON
	// ReducedStock marks a line's "_reduced_stock" entry: WooCommerce adds
	// it when the order reduces stock and deletes it when stock goes back.
	ReducedStock bool
}

type lineItem struct {
	ID          int64
	Name        string
	ProductID   int64
	VariationID int64
	Quantity    int64
	TaxClass    string
	Subtotal    money
	SubtotalTax money
	Total       money
	TotalTax    money
	TaxRateID   int64 // 0: untaxed
	Meta        []metaItem
	SKU         string
	SKUNull     bool // the product was deleted: sku is null
	ImageID     int64
	ImagePath   string // under the site URL, when ImageID != 0
	ImageIDStr  bool   // image.id is "" (simple product without image)
	ParentName  string // "" means null
}

type taxLine struct {
	ID          int64
	RateCode    string
	RateID      int64
	Label       string
	Compound    bool
	TaxTotal    money
	ShippingTax money
	RatePercent string // a PHP float as JSON: "19", "6.25"
}

type shippingLine struct {
	ID          int64
	MethodTitle string
	MethodID    string
	InstanceID  string
	Total       money
	TotalTax    money
	TaxRateID   int64
	Meta        []metaItem
}

type feeLine struct {
	ID        int64
	Name      string
	TaxClass  string
	TaxStatus string
	Total     money
	TotalTax  money
	TaxRateID int64
}

type couponLine struct {
	ID          int64
	Code        string
	Discount    money
	DiscountTax money
	Meta        []metaItem
}

// refund is one of an order's refunds. A refund with Lines refunds those
// order items (WooCommerce's line-item refund); one without is an
// amount-only refund, as wc_order_fully_refunded() and "Refund manually"
// with only an amount create.
type refund struct {
	ID      int64
	Reason  string
	Amount  money // positive; rendered as "-5.00"
	Created int64 // Unix seconds, UTC
	Lines   []refundLine
	// itemBase and metaBase are the first ids of the refund's own order
	// items (lines, fees, shipping, then one per tax rate) and of their
	// _refunded_item_id meta.
	itemBase, metaBase int64
}

// The kinds of order item a refund line refunds.
const (
	itemLine uint8 = iota
	itemFee
	itemShipping
)

// refundLine refunds (part of) one order item: Qty of line item Index of
// the order's Lines, or the whole of a fee or shipping line. Total and Tax
// are positive and fixed when the refund is made, as WooCommerce stores
// them.
type refundLine struct {
	Kind  uint8
	Index int32
	Qty   int64
	Total money
	Tax   money
}

// order is the in-memory state of one order: what the generator needs to
// rebuild its orderDoc, what changes over time, and the rendered caches.
// Times are Unix seconds in UTC; 0 means null.
type order struct {
	id        int64
	created   int64
	modified  int64
	paid      int64
	completed int64
	status    string
	refunds   []refund

	currency   string
	total      money
	customerID int64

	// Generator inputs: the doc is rebuilt from (seed, id, created, fresh)
	// and the id counters as they stood when the order was created.
	fresh        bool // created by AddOrders rather than by New
	itemBase     int64
	itemMetaBase int64
	postMetaBase int64

	// figs are the doc's figures the sales report adds up, kept once
	// computed (the doc never changes).
	figs atomic.Pointer[orderFigures]

	rev   uint64                                // bumped on every modification
	cache [numDialects]atomic.Pointer[rendered] // per-dialect rendered JSON
}

// rendered is an order's JSON in one dialect, valid for one revision. The
// site URL ("https://host:port", JSON-escaped) is spliced in at each offset
// in cuts when served, so one rendering serves every Host.
type rendered struct {
	rev  uint64
	buf  []byte
	cuts []int32
}

// The dialects an order can be rendered in. Only wc/v3 is served today.
const (
	dialectWCV3 = iota
	dialectLegacyV3
	numDialects
)

// size returns the bytes this rendering adds to a response for a site URL
// of length siteLen (already escaped).
func (r *rendered) size(siteLen int) int { return len(r.buf) + len(r.cuts)*siteLen }

// appendTo appends the rendering with site spliced in at every cut.
func (r *rendered) appendTo(b []byte, site []byte) []byte {
	prev := 0
	for _, c := range r.cuts {
		b = append(b, r.buf[prev:c]...)
		b = append(b, site...)
		prev = int(c)
	}
	return append(b, r.buf[prev:]...)
}
