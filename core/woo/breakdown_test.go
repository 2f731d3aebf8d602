package woo

import (
	"reflect"
	"testing"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// TestBreakdownOfSamples: the order detail's figures (ledger.Breakdown) of
// orders captured from a real WooCommerce 7.9 shop, in both dialects, add
// up to the shop's total without rounding left over. The expected figures
// are read off the payloads by hand.
func TestBreakdownOfSamples(t *testing.T) {
	a := ledger.MustAmount
	for _, tc := range []struct {
		sample string
		decode func([]byte) (ledger.Order, error)
		want   ledger.Breakdown
	}{
		{"wc-v3-order-vat-partial-refund.json", DecodeOrder, ledger.Breakdown{
			// 63.00 + 9.50 + 38.00 + 19.00; the coupon fix5; one 20 % rate on
			// the cart (25.46) and the shipping (1.38); one refund of 24.48.
			Subtotal: a("129.50"), Discount: a("4.16"), Shipping: a("6.90"), Fees: a("2.00"),
			Taxes: []ledger.RateTax{{Label: "ДДС 20%", Percent: a("20"), Tax: a("26.84")}},
			Total: a("161.08"), Refunded: a("24.48"), NetPayment: a("136.60"),
		}},
		{"legacy-v3-order-vat-partial-refund.json", DecodeLegacyOrder, ledger.Breakdown{
			// The same order; the legacy API lists no refunds in the order
			// and gives a rate's label but not its percent.
			Subtotal: a("129.50"), Discount: a("4.16"), Shipping: a("6.90"), Fees: a("2.00"),
			Taxes: []ledger.RateTax{{Label: "ДДС 20%", Tax: a("26.84")}},
			Total: a("161.08"), NetPayment: a("161.08"),
		}},
		{"wc-v3-order-fully-refunded.json", DecodeOrder, ledger.Breakdown{
			// Two rates; refunded in full, so nothing is kept.
			Subtotal: a("96.30"), Discount: a("9.62"), Shipping: a("5.00"), Fees: a("2.00"),
			Taxes: []ledger.RateTax{{Label: "ДДС 9%", Percent: a("9"), Tax: a("4.15")}, {Label: "ДДС 20%", Percent: a("20"), Tax: a("9.50")}},
			Total: a("107.33"), Refunded: a("107.33"),
		}},
		{"wc-v3-order-single-25.json", DecodeOrder, ledger.Breakdown{
			// No tax, no shipping: the lines are the total.
			Subtotal: a("75.60"), Total: a("75.60"), NetPayment: a("75.60"),
		}},
	} {
		t.Run(tc.sample, func(t *testing.T) {
			o, err := tc.decode(readSample(t, tc.sample))
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Breakdown(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("breakdown\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestBreakdownRounding: a total that its parts do not add up to shows
// the difference instead of hiding it, and tax without tax lines is one
// entry without a label.
func TestBreakdownRounding(t *testing.T) {
	a := ledger.MustAmount
	o := ledger.Order{
		Lines:         []ledger.LineItem{{Subtotal: a("10.00"), Total: a("10.00")}},
		ShippingTotal: a("2.00"), TotalTax: a("2.40"), Total: a("14.41"),
		Refunds: []ledger.Refund{{Amount: a("1.00")}, {Amount: a("0.50")}},
	}
	want := ledger.Breakdown{Subtotal: a("10.00"), Shipping: a("2.00"), Taxes: []ledger.RateTax{{Tax: a("2.40")}},
		Total: a("14.41"), Refunded: a("1.50"), NetPayment: a("12.91"), Rounding: a("0.01")}
	if got := o.Breakdown(); !reflect.DeepEqual(got, want) {
		t.Errorf("breakdown\n got %+v\nwant %+v", got, want)
	}
}
