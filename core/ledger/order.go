package ledger

import (
	"encoding/json"
	"strings"
	"time"
)

// Status is a WooCommerce order status without the "wc-" prefix. Plugins
// add their own, so unknown values are kept as they are.
type Status string

// The statuses WooCommerce core knows.
const (
	StatusPending       Status = "pending"
	StatusProcessing    Status = "processing"
	StatusOnHold        Status = "on-hold"
	StatusCompleted     Status = "completed"
	StatusCancelled     Status = "cancelled"
	StatusRefunded      Status = "refunded"
	StatusFailed        Status = "failed"
	StatusTrash         Status = "trash"
	StatusCheckoutDraft Status = "checkout-draft"
)

// KnownStatuses lists the core statuses in the order WooCommerce shows them.
var KnownStatuses = []Status{
	StatusPending, StatusProcessing, StatusOnHold, StatusCompleted,
	StatusCancelled, StatusRefunded, StatusFailed, StatusTrash, StatusCheckoutDraft,
}

// NormalizeStatus strips the "wc-" prefix some endpoints and plugins leave on.
func NormalizeStatus(s string) Status {
	return Status(strings.TrimPrefix(strings.TrimSpace(s), "wc-"))
}

// OrderKey identifies an order: a WooCommerce id is unique only within its shop.
type OrderKey struct {
	Shop ShopID
	ID   int64
}

// Order is one WooCommerce order as ShopLedger keeps it. All times are UTC;
// a zero time means the shop did not set it (not paid, not completed).
type Order struct {
	Shop     ShopID `json:"shop"`
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id,omitempty"`
	Number   string `json:"number"`
	Status   Status `json:"status"`
	Currency string `json:"currency"`

	PricesIncludeTax bool   `json:"prices_include_tax,omitempty"`
	DiscountTotal    Amount `json:"discount_total"`
	DiscountTax      Amount `json:"discount_tax"`
	ShippingTotal    Amount `json:"shipping_total"`
	ShippingTax      Amount `json:"shipping_tax"`
	CartTax          Amount `json:"cart_tax"`
	TotalTax         Amount `json:"total_tax"`
	Total            Amount `json:"total"`

	Created   time.Time `json:"date_created_gmt"`
	Modified  time.Time `json:"date_modified_gmt"`
	Paid      time.Time `json:"date_paid_gmt,omitzero"`
	Completed time.Time `json:"date_completed_gmt,omitzero"`

	CustomerID   int64   `json:"customer_id,omitempty"`
	CustomerNote string  `json:"customer_note,omitempty"`
	Billing      Address `json:"billing"`
	Shipping     Address `json:"shipping"`

	PaymentMethod      string `json:"payment_method,omitempty"`
	PaymentMethodTitle string `json:"payment_method_title,omitempty"`
	TransactionID      string `json:"transaction_id,omitempty"`

	Lines         []LineItem     `json:"line_items"`
	TaxLines      []TaxLine      `json:"tax_lines,omitempty"`
	ShippingLines []ShippingLine `json:"shipping_lines,omitempty"`
	FeeLines      []FeeLine      `json:"fee_lines,omitempty"`
	CouponLines   []CouponLine   `json:"coupon_lines,omitempty"`
	Refunds       []Refund       `json:"refunds,omitempty"`

	// Stamped by ShopLedger at import; the bookkeeper may reassign them.
	Warehouse  WarehouseID  `json:"warehouse,omitempty"`
	CostCenter CostCenterID `json:"cost_center,omitempty"`

	// Deleted is set when the shop deleted the order; the books keep it.
	Deleted bool `json:"deleted,omitempty"`

	// RefundsUnlisted marks an order decoded from a payload that does not
	// list its refunds (the legacy API never does): storing it keeps the
	// refunds already stored instead of clearing them. Never stored.
	RefundsUnlisted bool `json:"-"`
	// RefundsStale marks a stored order that arrived without its refunds
	// listed, new or modified since they were last fetched: it may have
	// refunds ShopLedger has not seen (see NeedsRefundDetail).
	RefundsStale bool `json:"refunds_stale,omitempty"`

	// Raw is the payload exactly as the shop sent it, for the detail view
	// and for re-decoding after a bug fix.
	Raw json.RawMessage `json:"-"`
}

// Key returns the order's identity.
func (o *Order) Key() OrderKey { return OrderKey{Shop: o.Shop, ID: o.ID} }

// CustomerName is the billing name, falling back to the company or email.
func (o *Order) CustomerName() string {
	name := strings.TrimSpace(o.Billing.FirstName + " " + o.Billing.LastName)
	switch {
	case name != "":
		return name
	case o.Billing.Company != "":
		return o.Billing.Company
	}
	return o.Billing.Email
}

// Address is a billing or shipping address.
type Address struct {
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Company   string `json:"company,omitempty"`
	Address1  string `json:"address_1,omitempty"`
	Address2  string `json:"address_2,omitempty"`
	City      string `json:"city,omitempty"`
	State     string `json:"state,omitempty"`
	Postcode  string `json:"postcode,omitempty"`
	Country   string `json:"country,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

// LineItem is one product line. ProductID is what was sold: a variation's
// own id for a variation, else the product's, so both API dialects agree.
// ParentID is the variable product a variation belongs to, 0 when there is
// none or the shop did not say (the legacy API never does).
type LineItem struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	ProductID   int64      `json:"product_id,omitempty"`
	ParentID    int64      `json:"parent_product_id,omitempty"`
	SKU         string     `json:"sku"`
	Quantity    Amount     `json:"quantity"`
	Price       Amount     `json:"price"`
	Subtotal    Amount     `json:"subtotal"`
	SubtotalTax Amount     `json:"subtotal_tax"`
	Total       Amount     `json:"total"`
	TotalTax    Amount     `json:"total_tax"`
	TaxClass    string     `json:"tax_class,omitempty"`
	Taxes       []LineTax  `json:"taxes,omitempty"`
	Meta        []MetaItem `json:"meta,omitempty"`
}

// LineTax is a line's share of one tax rate.
type LineTax struct {
	RateID   int64  `json:"id"`
	Total    Amount `json:"total"`
	Subtotal Amount `json:"subtotal"`
}

// MetaItem is a visible attribute of a line, such as a variation's size.
type MetaItem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// TaxLine is an order-level tax summary per rate.
type TaxLine struct {
	ID               int64  `json:"id"`
	RateCode         string `json:"rate_code"`
	RateID           int64  `json:"rate_id"`
	Label            string `json:"label"`
	Compound         bool   `json:"compound,omitempty"`
	TaxTotal         Amount `json:"tax_total"`
	ShippingTaxTotal Amount `json:"shipping_tax_total"`
	RatePercent      Amount `json:"rate_percent,omitempty"`
	// ShippingTaxUnknown: the shop gave one total per rate without its
	// shipping part (the legacy API, for an order with several rates and
	// taxed shipping). TaxTotal then holds the rate's cart, fee and
	// shipping tax together, and ShippingTaxTotal is zero.
	ShippingTaxUnknown bool `json:"shipping_tax_unknown,omitempty"`
}

// ShippingLine is one shipping method charged on the order.
type ShippingLine struct {
	ID          int64     `json:"id"`
	MethodTitle string    `json:"method_title"`
	MethodID    string    `json:"method_id"`
	Total       Amount    `json:"total"`
	TotalTax    Amount    `json:"total_tax"`
	Taxes       []LineTax `json:"taxes,omitempty"`
}

// FeeLine is an extra charge (or a negative fee as a discount).
type FeeLine struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	TaxClass string    `json:"tax_class,omitempty"`
	Total    Amount    `json:"total"`
	TotalTax Amount    `json:"total_tax"`
	Taxes    []LineTax `json:"taxes,omitempty"`
}

// CouponLine is a coupon applied to the order.
type CouponLine struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Discount    Amount `json:"discount"`
	DiscountTax Amount `json:"discount_tax"`
}

// Refund is a refund against the order. WooCommerce lists refunds with a
// negative total; Amount here is positive, as a bookkeeper reads it.
//
// The order's payload lists only ID, Reason and Amount; the rest comes from
// GET orders/<id>/refunds, and Detailed says it has been fetched. Lines keep
// WooCommerce's signs: quantities and amounts are negative. The legacy API
// gives no shipping, fee or tax lines for a refund, nor taxes per rate on
// its line items; woo.DeriveRefundTaxes fills in what the order tells
// exactly and sets TaxSplitUnknown for the rest. An amount-only refund (no
// line items) has no tax lines in either dialect, as in WooCommerce.
type Refund struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason,omitempty"`
	Amount Amount `json:"amount"`

	Detailed        bool           `json:"detailed,omitempty"`
	Created         time.Time      `json:"date_created_gmt,omitzero"`
	RefundedPayment bool           `json:"refunded_payment,omitempty"`
	Lines           []LineItem     `json:"line_items,omitempty"`
	ShippingLines   []ShippingLine `json:"shipping_lines,omitempty"`
	FeeLines        []FeeLine      `json:"fee_lines,omitempty"`
	TaxLines        []TaxLine      `json:"tax_lines,omitempty"`
	// TaxSplitUnknown: the shop did not say how some of the refund splits
	// per tax rate or between shipping and fees (the legacy API, beyond
	// what its line items and the order tell). TaxLines then hold only
	// what could be derived exactly; Amount is always exact.
	TaxSplitUnknown bool `json:"tax_split_unknown,omitempty"`
}

// NeedsRefundDetail reports whether the stored order's refunds must be
// fetched: some lack their detail, or the shop did not list them since the
// order last changed and its status is one money was taken in.
func (o *Order) NeedsRefundDetail() bool {
	for i := range o.Refunds {
		if !o.Refunds[i].Detailed {
			return true
		}
	}
	return o.RefundsStale && o.Status.MayHaveRefunds()
}

// MayHaveRefunds reports whether an order in status s can have been
// refunded: money was taken (or is owed, as on hold) in it.
func (s Status) MayHaveRefunds() bool {
	switch s {
	case StatusProcessing, StatusCompleted, StatusOnHold, StatusRefunded:
		return true
	}
	return false
}

// SameRefunds reports whether a and b list the same refunds: ids,
// amounts and reasons, in the same order.
func SameRefunds(a, b []Refund) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Amount != b[i].Amount || a[i].Reason != b[i].Reason {
			return false
		}
	}
	return true
}

// RefundedTotal sums the order's refunds.
func (o *Order) RefundedTotal() Amount {
	var sum Amount
	for _, r := range o.Refunds {
		sum += r.Amount
	}
	return sum
}

// NewestModified is the latest Modified of orders (zero for none): where a
// page of orders leaves a sync's cursor.
func NewestModified(orders []Order) time.Time {
	var newest time.Time
	for i := range orders {
		if m := orders[i].Modified; m.After(newest) {
			newest = m
		}
	}
	return newest
}
