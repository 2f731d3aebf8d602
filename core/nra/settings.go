// Package nra makes the standardized audit file a Bulgarian e-shop under
// the alternative regime for remote payments files with НАП every month
// (Наредба Н-18, чл. 52о and Приложение № 38; the schema dec_audit.xsd).
//
// The file follows НАП's published schema, dec_audit.xsd, kept unedited
// in testdata/ (README.md there says where it came from); the tests
// validate every file they make against it with xmllint. The builder
// refuses, as Problems, what the schema cannot carry (a document number
// that is not an integer, a fractional VAT rate, a month without orders…)
// so that a file it writes is valid. НАП's service page (nra.bg,
// "Подаване на стандартизиран одиторски файл") says who files what and
// when.
package nra

import (
	"sort"
	"strings"
)

// Paym is the schema's payment code of an order.
type Paym int

// The payment codes of Приложение № 38.
const (
	PaymBank     Paym = 1 // bank transfer, without a postal money transfer
	PaymVPOS     Paym = 2 // virtual POS terminal
	PaymCOD      Paym = 3 // cash on delivery with a postal money transfer
	PaymProvider Paym = 4 // payment service provider
	PaymOther    Paym = 5 // other, without a fiscal receipt
	PaymReceipt  Paym = 6 // covered by a fiscal receipt
)

// RefundPaym is the schema's code for how a refund was paid back.
type RefundPaym int

// The refund codes of Приложение № 38.
const (
	RefundAccount RefundPaym = 1
	RefundCard    RefundPaym = 2
	RefundCash    RefundPaym = 3
	RefundOther   RefundPaym = 4
)

// The dates an order may count as delivered on.
const (
	DeliveredCompleted = "completed"
	DeliveredPaid      = "paid"
)

// Settings are one shop's figures for the file. None is secret.
type Settings struct {
	EIK         string `json:"eik"`
	EShopNumber string `json:"e_shop_n"`
	Domain      string `json:"domain,omitempty"`
	// Platform: the shop runs on a platform's domain (e_shop_type 2), not
	// its own (1).
	Platform bool `json:"platform,omitempty"`
	// Paym and RefundPaym map a WooCommerce payment method id (cod, bacs,
	// stripe…) to its code; methods missing fall back to the defaults.
	Paym       map[string]Paym       `json:"paym,omitempty"`
	RefundPaym map[string]RefundPaym `json:"refund_paym,omitempty"`
	// DocNumberMeta is the order meta key a receipt plugin writes the
	// document number to; empty: the order number.
	DocNumberMeta string `json:"doc_number_meta,omitempty"`
	// TransMeta, POSMeta and ProcMeta are order meta keys holding the
	// transaction id (empty: WooCommerce's transaction_id), the virtual
	// POS terminal number and the payment provider's id (empty: none).
	TransMeta string `json:"trans_meta,omitempty"`
	POSMeta   string `json:"pos_meta,omitempty"`
	ProcMeta  string `json:"proc_meta,omitempty"`
	// DeliveredOn is DeliveredCompleted (empty) or DeliveredPaid.
	DeliveredOn string `json:"delivered_on,omitempty"`
}

// DefaultPaym is the code a payment method gets until the bookkeeper says
// otherwise. Cash on delivery is paid by postal money transfer (3) and
// bacs is a plain bank transfer (1). PayPal, Stripe and the other hosted
// gateways are payment service providers (4): the money reaches the
// trader through the provider, not a bank's virtual POS terminal. Only the
// Bulgarian banks' own card gateways (BORICA, DSK, UBB, Fibank, myPOS's
// vPOS are the common ones) are virtual POS terminals (2). ok is false for
// a method nothing is known of: the file needs the bookkeeper's choice.
func DefaultPaym(method string) (Paym, bool) {
	m := strings.ToLower(method)
	switch {
	case m == "cod":
		return PaymCOD, true
	case m == "bacs":
		return PaymBank, true
	case containsAny(m, "borica", "dsk", "ubb", "fibank", "vpos", "postbank", "cpay"):
		return PaymVPOS, true
	case containsAny(m, "stripe", "paypal", "ppcp", "mypos", "revolut", "epay", "easypay", "square", "mollie", "braintree", "woocommerce_payments", "card"):
		return PaymProvider, true
	}
	return 0, false
}

// DefaultRefundPaym is how a method's refunds are usually paid back: a
// card payment to the card (2), a bank transfer or cash on delivery to the
// customer's account (1: couriers do not take money back), a provider
// through the provider (4).
func DefaultRefundPaym(method string) (RefundPaym, bool) {
	p, ok := DefaultPaym(method)
	if !ok {
		return 0, false
	}
	switch p {
	case PaymBank, PaymCOD:
		return RefundAccount, true
	case PaymVPOS:
		return RefundCard, true
	}
	if strings.Contains(strings.ToLower(method), "stripe") || strings.Contains(strings.ToLower(method), "card") {
		return RefundCard, true
	}
	return RefundOther, true
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// PaymFor is the code of method: the bookkeeper's, else the default.
func (s *Settings) PaymFor(method string) (Paym, bool) {
	if p, ok := s.Paym[method]; ok {
		return p, true
	}
	return DefaultPaym(method)
}

// RefundPaymFor is the refund code of method: the bookkeeper's, else the
// default.
func (s *Settings) RefundPaymFor(method string) (RefundPaym, bool) {
	if p, ok := s.RefundPaym[method]; ok {
		return p, true
	}
	return DefaultRefundPaym(method)
}

// EShopType is e_shop_type: 1 own domain, 2 a platform.
func (s *Settings) EShopType() int {
	if s.Platform {
		return 2
	}
	return 1
}

// Methods lists the methods the settings name, sorted.
func (s *Settings) Methods() []string {
	seen := map[string]bool{}
	for m := range s.Paym {
		seen[m] = true
	}
	for m := range s.RefundPaym {
		seen[m] = true
	}
	out := make([]string, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// SettingsError lists what keeps the settings from making a file.
type SettingsError struct {
	Problems []Problem
}

func (e *SettingsError) Error() string {
	return "nra settings: " + problemsText(e.Problems)
}

// Validate checks the settings; the error is a *SettingsError.
func (s *Settings) Validate() error {
	var p []Problem
	switch {
	case s.EIK == "":
		p = append(p, Problem{Key: ProblemNoEIK})
	default:
		if pr, ok := checkEIK(s.EIK); !ok {
			p = append(p, pr)
		}
	}
	switch n := len([]rune(s.EShopNumber)); {
	case n == 0:
		p = append(p, Problem{Key: ProblemNoEShop})
	case n > 10:
		p = append(p, Problem{Key: ProblemEShopLong, Args: map[string]any{"Number": s.EShopNumber}})
	}
	if len(s.Domain) > 200 {
		p = append(p, Problem{Key: ProblemDomainLong})
	}
	for _, m := range sortedKeys(s.Paym) {
		c := s.Paym[m]
		if c < PaymBank || c > PaymReceipt {
			p = append(p, Problem{Key: ProblemPaymCode, Args: map[string]any{"Method": m, "Code": int(c)}})
		}
	}
	for _, m := range sortedKeys(s.RefundPaym) {
		c := s.RefundPaym[m]
		if c < RefundAccount || c > RefundOther {
			p = append(p, Problem{Key: ProblemRefundCode, Args: map[string]any{"Method": m, "Code": int(c)}})
		}
	}
	if s.DeliveredOn != "" && s.DeliveredOn != DeliveredCompleted && s.DeliveredOn != DeliveredPaid {
		p = append(p, Problem{Key: ProblemDeliveredOn, Args: map[string]any{"Basis": s.DeliveredOn}})
	}
	if len(p) > 0 {
		return &SettingsError{Problems: p}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
