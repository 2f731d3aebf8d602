package nra_test

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
)

// march is a completed cash-on-delivery order of March 2026 with one line
// at 20 %.
func march(id int64) ledger.Order {
	return ledger.Order{
		Shop: 1, ID: id, Number: "7", Status: ledger.StatusCompleted, Currency: "EUR", PaymentMethod: "cod",
		Created: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Completed: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC),
		Total: ledger.MustAmount("12.00"), TotalTax: ledger.MustAmount("2.00"),
		Lines: []ledger.LineItem{{Name: "Чаша", Quantity: 10000, Subtotal: ledger.MustAmount("10"), SubtotalTax: ledger.MustAmount("2"),
			Total: ledger.MustAmount("10"), TotalTax: ledger.MustAmount("2"), Taxes: []ledger.LineTax{{RateID: 1, Total: 20000, Subtotal: 20000}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, RatePercent: ledger.MustAmount("20"), TaxTotal: 20000}},
	}
}

// TestSchemaLimits: what dec_audit.xsd cannot carry is a problem that
// keeps the file from being written, and each is a real limit — the file
// written regardless is refused by xmllint against the published schema.
// A name longer than art_name's 200 characters is cut, and the file is
// valid.
func TestSchemaLimits(t *testing.T) {
	for _, c := range []struct {
		name    string
		change  func(o *ledger.Order)
		problem string
	}{
		{"doc_n not an integer", func(o *ledger.Order) { o.Number = "WC-7" }, nra.ProblemDocNotInt},
		{"a VAT rate of 9.5 %", func(o *ledger.Order) { o.TaxLines[0].RatePercent = ledger.MustAmount("9.5") }, nra.ProblemRateNotInt},
		{"a quantity of 1.125", func(o *ledger.Order) { o.Lines[0].Quantity = ledger.MustAmount("1.125") }, nra.ProblemQuantFrac},
		{"a transaction id of 201 characters", func(o *ledger.Order) { o.TransactionID = strings.Repeat("x", 201) }, nra.ProblemFieldTooLong},
		{"no order delivered", func(o *ledger.Order) {
			o.Completed = time.Date(2026, 2, 27, 9, 0, 0, 0, time.UTC)
			o.Refunds = []ledger.Refund{{ID: 9, Amount: ledger.MustAmount("12"), Detailed: true, Created: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}}
		}, nra.ProblemNoOrders},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := march(7)
			c.change(&o)
			f := build(nra.Input{Settings: settings(), Location: time.UTC, Year: 2026, Month: time.March}, []ledger.Order{o})
			if len(f.Problems) != 1 || f.Problems[0].Key != c.problem {
				t.Fatalf("problems %v, want %q", f.Problems, c.problem)
			}
			t.Log(f.Problems[0])
			f.Problems = nil
			err := validate(t, write(t, f))
			if err == nil {
				t.Fatal("xmllint accepts the file the check refuses")
			}
			t.Log(err)
		})
	}
	// The year: god is from 2020.
	f := build(nra.Input{Settings: settings(), Location: time.UTC, Year: 2019, Month: time.March}, []ledger.Order{march(7)})
	if len(f.Problems) != 2 || f.Problems[0].Key != nra.ProblemYear { // and no order in March 2019
		t.Fatalf("2019: %v", f.Problems)
	}
	o := march(7)
	o.Completed = o.Completed.AddDate(-7, 0, 0)
	f = build(nra.Input{Settings: settings(), Location: time.UTC, Year: 2019, Month: time.March}, []ledger.Order{o})
	f.Problems = nil
	if err := validate(t, write(t, f)); err == nil {
		t.Error("xmllint accepts god 2019")
	}

	o = march(7)
	o.Lines[0].Name = strings.Repeat("Ж", 250)
	f = build(nra.Input{Settings: settings(), Location: time.UTC, Year: 2026, Month: time.March}, []ledger.Order{o})
	if len(f.Problems) > 0 {
		t.Fatal(f.Problems)
	}
	data := write(t, f)
	mustValidate(t, data)
	if got := child(find(parse(t, data), "artenum")[0], "art_name"); got != strings.Repeat("Ж", 200) {
		t.Errorf("art_name of %d characters", len([]rune(got)))
	}
}
