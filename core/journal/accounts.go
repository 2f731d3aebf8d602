// Package journal turns sales records into a summary journal a
// bookkeeper's accounting package takes: per shop, currency and day (or
// period), every entry balanced to the cent, every line carrying the
// warehouse and cost center. Which accounts the lines go to is a shop's
// Accounts, with defaults from the Bulgarian national chart of accounts
// (Национален сметкоплан) or a neutral English set.
package journal

import (
	"fmt"
	"strings"
)

// Account is an account of the bookkeeper's chart.
type Account struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (a Account) String() string {
	if a.Name == "" {
		return a.Code
	}
	return a.Code + " " + a.Name
}

// Accounts maps what a shop's orders book to accounts. Maps keyed by tax
// rate id or payment method override the account beside them.
type Accounts struct {
	// Preset is the set the defaults came from: "bg" or "en".
	Preset string `json:"preset"`

	Sales       Account           `json:"sales"`
	SalesByRate map[int64]Account `json:"sales_by_rate,omitempty"`
	Shipping    Account           `json:"shipping"`
	Fees        Account           `json:"fees"`
	// DiscountsApart books sales before discounts and the discounts on
	// Discounts; otherwise sales are booked net of discounts.
	DiscountsApart bool    `json:"discounts_apart,omitempty"`
	Discounts      Account `json:"discounts"`

	VAT       Account           `json:"vat"`
	VATByRate map[int64]Account `json:"vat_by_rate,omitempty"`

	Clearing         Account            `json:"clearing"`
	ClearingByMethod map[string]Account `json:"clearing_by_method,omitempty"`

	// Refunds, when it has a code, takes the refunded goods' net amount;
	// without one a refund reverses the sales accounts (сторно).
	Refunds  Account `json:"refunds"`
	Rounding Account `json:"rounding"`
}

// Presets are the names Defaults knows.
var Presets = []string{"bg", "en"}

// Defaults is the default mapping of a preset ("bg" when unknown).
//
// The Bulgarian set follows the national chart of accounts (НСС):
//   - 702 Приходи от продажби на стоки: a web shop resells goods; 701 is for
//     own production, and a shop that makes its goods changes it.
//   - 703 Приходи от продажби на услуги for shipping and fees: delivery and a
//     cash-on-delivery fee are services charged to the customer, not goods.
//   - 4532 Начислен ДДС за продажбите for VAT on sales, every rate; the
//     journal keeps one line per rate, so the VAT return's 20 % and 9 % bases
//     come apart even on one account.
//   - 411 Клиенти as the clearing account: an order is a receivable until the
//     money arrives (bank transfer, cash on delivery paid out by the courier),
//     and the bank statement clears it. Card and wallet processors (Stripe,
//     PayPal, WooCommerce Payments) pay out in batches, so their orders go to
//     498 Други дебитори, one analytic per processor, cleared by the payout.
//     Cash taken by the shop itself goes to 501 Каса в лева.
//   - Refunds reverse the sales accounts (сторно), as returns are booked.
//   - 709 Други приходи takes the rounding cent: it is income or, debited, a
//     reduction of it, too small for 609.
//
// The English set uses neutral numbers in the same roles.
func Defaults(preset string) Accounts {
	if strings.EqualFold(preset, "en") {
		processor := Account{"1150", "Payment processor clearing"}
		return Accounts{
			Preset:    "en",
			Sales:     Account{"4000", "Sales of goods"},
			Shipping:  Account{"4100", "Shipping income"},
			Fees:      Account{"4200", "Fee income"},
			Discounts: Account{"4500", "Sales discounts"},
			VAT:       Account{"2200", "VAT payable"},
			Clearing:  Account{"1100", "Accounts receivable"},
			ClearingByMethod: map[string]Account{
				"stripe": processor, "paypal": processor, "ppcp-gateway": processor, "woocommerce_payments": processor,
				"cash": {"1000", "Cash"},
			},
			Rounding: Account{"4900", "Rounding differences"},
		}
	}
	processor := Account{"498", "Други дебитори"}
	return Accounts{
		Preset:    "bg",
		Sales:     Account{"702", "Приходи от продажби на стоки"},
		Shipping:  Account{"703", "Приходи от продажби на услуги"},
		Fees:      Account{"703", "Приходи от продажби на услуги"},
		Discounts: Account{"702", "Отстъпки от продажби на стоки"},
		VAT:       Account{"4532", "Начислен ДДС за продажбите"},
		Clearing:  Account{"411", "Клиенти"},
		ClearingByMethod: map[string]Account{
			"stripe": processor, "paypal": processor, "ppcp-gateway": processor, "woocommerce_payments": processor,
			"cash": {"501", "Каса в лева"},
		},
		Rounding: Account{"709", "Други приходи"},
	}
}

// SalesFor is the sales account of a tax rate.
func (a *Accounts) SalesFor(rate int64) Account {
	if acc, ok := a.SalesByRate[rate]; ok {
		return acc
	}
	return a.Sales
}

// VATFor is the VAT account of a tax rate.
func (a *Accounts) VATFor(rate int64) Account {
	if acc, ok := a.VATByRate[rate]; ok {
		return acc
	}
	return a.VAT
}

// ClearingFor is the clearing account of a payment method.
func (a *Accounts) ClearingFor(method string) Account {
	if acc, ok := a.ClearingByMethod[method]; ok {
		return acc
	}
	return a.Clearing
}

// Validate says what is missing: every account the journal may need.
func (a *Accounts) Validate() error {
	var missing []string
	for name, acc := range map[string]Account{
		"sales": a.Sales, "shipping": a.Shipping, "fees": a.Fees, "vat": a.VAT, "clearing": a.Clearing, "rounding": a.Rounding,
	} {
		if strings.TrimSpace(acc.Code) == "" {
			missing = append(missing, name)
		}
	}
	if a.DiscountsApart && strings.TrimSpace(a.Discounts.Code) == "" {
		missing = append(missing, "discounts")
	}
	if len(missing) > 0 {
		return fmt.Errorf("the account mapping has no %s account", strings.Join(sortedStrings(missing), ", "))
	}
	return nil
}
