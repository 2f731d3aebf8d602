package journal_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/core/woo"
)

const sampleDir = "../woo/testdata/books-2026-10"

// sampleRecords are the records of the real shop's October 2026 (see
// ../sales/testdata/books-2026-10/README.md), refunds with their detail,
// decoded by core/woo as a sync stores them.
func sampleRecords(t testing.TB) []sales.Record {
	t.Helper()
	var bodies []json.RawMessage
	var refunds map[string]json.RawMessage
	for name, v := range map[string]any{"wc-v3-orders.json": &bodies, "wc-v3-refunds-by-order.json": &refunds} {
		raw, err := os.ReadFile(filepath.Join(sampleDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	var out []sales.Record
	for _, b := range bodies {
		o, err := woo.DecodeOrder(b)
		if err != nil {
			t.Fatal(err)
		}
		o.Shop, o.Warehouse, o.CostCenter = 1, 7, 8
		if raw, ok := refunds[strconv.FormatInt(o.ID, 10)]; ok {
			if o.Refunds, err = woo.DecodeRefunds(raw); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, sales.FromOrder(&o))
	}
	return out
}

func sofia(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func october() (sales.Day, sales.Day) { return sales.DateDay(2026, 10, 1), sales.DateDay(2026, 10, 31) }

func build(t *testing.T, per journal.Per, acc journal.Accounts, recs []sales.Record) []journal.Entry {
	t.Helper()
	from, to := october()
	b := journal.NewBuilder(journal.Query{From: from, To: to, Per: per})
	b.AddShop(&journal.Shop{ID: 1, Location: sofia(t), Accounts: acc})
	for i := range recs {
		b.Add(&recs[i])
	}
	return b.Entries()
}

// sums nets every line by what it books: credit positive.
func sums(entries []journal.Entry) map[string]ledger.Amount {
	m := map[string]ledger.Amount{}
	for _, e := range entries {
		for _, l := range e.Lines {
			m[l.What] += l.Credit - l.Debit
		}
	}
	return m
}

// The real month's journal balances entry by entry and reconciles with
// the shop's own report: VAT with total_tax, the clearing accounts with
// total_sales, goods, fees and rounding with net_sales.
func TestSampleJournalBalancesAndReconciles(t *testing.T) {
	recs := sampleRecords(t)
	from, to := october()
	sum := sales.NewSummer(sales.Query{From: from, To: to})
	for i := range recs {
		sum.Add(&recs[i], ledger.BasisCreated, sofia(t))
	}
	g := sum.Groups()[0]

	for _, per := range []journal.Per{journal.PerDay, journal.PerPeriod} {
		for _, acc := range []journal.Accounts{journal.Defaults("bg"), journal.Defaults("en")} {
			entries := build(t, per, acc, recs)
			if per == journal.PerPeriod && len(entries) != 1 {
				t.Fatalf("%d entries for the period", len(entries))
			}
			for _, e := range entries {
				if d, c := e.Totals(); d != c || d == 0 {
					t.Errorf("%s entry of %s: debit %s, credit %s", per, e.From, d, c)
				}
				for _, l := range e.Lines {
					if l.Warehouse != 7 || l.CostCenter != 8 || l.Account.Code == "" {
						t.Errorf("line without its dimensions or account: %+v", l)
					}
				}
			}
			s := sums(entries)
			if s[journal.WhatVAT] != g.TotalTax() {
				t.Errorf("VAT %s, total_tax %s", s[journal.WhatVAT], g.TotalTax())
			}
			if -s[journal.WhatClearing] != g.TotalSales() {
				t.Errorf("clearing %s, total_sales %s", -s[journal.WhatClearing], g.TotalSales())
			}
			if s[journal.WhatShipping] != g.TotalShipping() {
				t.Errorf("shipping %s, total_shipping %s", s[journal.WhatShipping], g.TotalShipping())
			}
			if net := s[journal.WhatSales] + s[journal.WhatFees] + s[journal.WhatRounding] + s[journal.WhatRefunds]; net != g.NetSales() {
				t.Errorf("goods, fees and rounding %s, net_sales %s", net, g.NetSales())
			}
			if s[journal.WhatFees] != g.TotalFees() {
				t.Errorf("fees %s, total_fees %s", s[journal.WhatFees], g.TotalFees())
			}
		}
	}
}

func TestDiscountsApartAndRefundAccount(t *testing.T) {
	recs := sampleRecords(t)
	acc := journal.Defaults("en")
	acc.DiscountsApart = true
	acc.Refunds = journal.Account{Code: "4600", Name: "Returns"}
	entries := build(t, journal.PerPeriod, acc, recs)
	var discounts, returns ledger.Amount
	for _, l := range entries[0].Lines {
		switch l.Account.Code {
		case "4500":
			discounts += l.Debit - l.Credit
		case "4600":
			returns += l.Debit - l.Credit
		}
	}
	if d, c := entries[0].Totals(); d != c {
		t.Fatalf("debit %s, credit %s", d, c)
	}
	if discounts <= 0 || returns <= 0 {
		t.Fatalf("discounts %s, returns %s", discounts, returns)
	}
}

// A refund of an amount without items has no VAT to take back: it goes
// whole to the goods' account, and the entry still balances.
func TestRefundWithoutDetail(t *testing.T) {
	o := ledger.Order{Shop: 1, ID: 1, Status: ledger.StatusCompleted, Currency: "EUR", Total: ledger.MustAmount("12.00"),
		CartTax: ledger.MustAmount("2.00"), Created: time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC), PaymentMethod: "bacs",
		Lines:    []ledger.LineItem{{Quantity: ledger.MustAmount("1"), Total: ledger.MustAmount("10"), Taxes: []ledger.LineTax{{RateID: 1, Total: ledger.MustAmount("2")}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, TaxTotal: ledger.MustAmount("2"), RatePercent: ledger.MustAmount("20")}},
		Refunds:  []ledger.Refund{{ID: 2, Amount: ledger.MustAmount("3.33"), Created: time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC)}},
	}
	entries := build(t, journal.PerDay, journal.Defaults("bg"), []sales.Record{sales.FromOrder(&o)})
	if len(entries) != 2 {
		t.Fatalf("%d entries", len(entries))
	}
	refund := entries[1]
	if d, c := refund.Totals(); d != c || d.String() != "3.33" {
		t.Fatalf("refund entry %+v", refund)
	}
	if s := sums(entries[1:]); s[journal.WhatRefunds].String() != "-3.33" || s[journal.WhatVAT] != 0 {
		t.Fatalf("refund lines %+v", s)
	}
}

// A shop's tax rounding can leave a cent between the order's total and
// its parts: a rounding line takes it.
func TestRoundingLine(t *testing.T) {
	o := ledger.Order{Shop: 1, ID: 1, Status: ledger.StatusCompleted, Currency: "EUR", Total: ledger.MustAmount("10.01"),
		CartTax: ledger.MustAmount("1.67"), Created: time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC), PaymentMethod: "cod",
		Lines:    []ledger.LineItem{{Quantity: ledger.MustAmount("3"), Total: ledger.MustAmount("8.33"), Taxes: []ledger.LineTax{{RateID: 1, Total: ledger.MustAmount("1.666")}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, TaxTotal: ledger.MustAmount("1.67"), RatePercent: ledger.MustAmount("20")}},
	}
	entries := build(t, journal.PerDay, journal.Defaults("bg"), []sales.Record{sales.FromOrder(&o)})
	s := sums(entries)
	if d, c := entries[0].Totals(); d != c || s[journal.WhatRounding].String() != "0.01" {
		t.Fatalf("entry %+v, lines %+v", entries[0], s)
	}
}

func TestExportCSVAndXLSX(t *testing.T) {
	entries := build(t, journal.PerDay, journal.Defaults("bg"), sampleRecords(t))
	lines := 0
	for _, e := range entries {
		lines += len(e.Lines)
	}
	names := journal.Names{
		Shop:      func(ledger.ShopID) string { return "Магазин" },
		Warehouse: func(ledger.WarehouseID) string { return "MAIN" },
	}
	var buf bytes.Buffer
	if err := journal.WriteCSV(&buf, entries, names, journal.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != lines+1 || rows[1][3] != "Магазин" || rows[1][14] != "MAIN" || rows[1][15] != "8" {
		t.Fatalf("%d rows, want %d; first %q", len(rows), lines+1, rows[1])
	}
	var debit, credit ledger.Amount
	for _, r := range rows[1:] {
		debit += ledger.MustAmount(r[7])
		credit += ledger.MustAmount(r[8])
	}
	if debit != credit {
		t.Fatalf("csv: debit %s, credit %s", debit, credit)
	}

	buf.Reset()
	if err := journal.WriteXLSX(&buf, entries, names); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xrows, err := f.GetRows("Journal")
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != lines+1 || xrows[0][0] != "entry" || xrows[1][5] != rows[1][5] {
		t.Fatalf("%d xlsx rows, want %d; first %q", len(xrows), lines+1, xrows[1])
	}
}

// A legacy refund whose split the shop did not give (shipping and a fee
// taken back with one item) books the undetailed part on the goods'
// account without VAT, not as rounding.
func TestRefundSplitUnknown(t *testing.T) {
	o := ledger.Order{Shop: 1, ID: 1, Status: ledger.StatusCompleted, Currency: "EUR", Total: ledger.MustAmount("30.00"),
		CartTax: ledger.MustAmount("4.00"), ShippingTotal: ledger.MustAmount("5"), ShippingTax: ledger.MustAmount("1"),
		Created: time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC), PaymentMethod: "cod",
		Lines: []ledger.LineItem{{Quantity: ledger.MustAmount("2"), Total: ledger.MustAmount("20"), TotalTax: ledger.MustAmount("4"),
			Taxes: []ledger.LineTax{{RateID: 1, Total: ledger.MustAmount("4")}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, TaxTotal: ledger.MustAmount("4"), ShippingTaxTotal: ledger.MustAmount("1"), RatePercent: ledger.MustAmount("20")}},
		Refunds: []ledger.Refund{{ID: 2, Amount: ledger.MustAmount("18.00"), Detailed: true, TaxSplitUnknown: true,
			Created: time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC),
			Lines:   []ledger.LineItem{{Quantity: ledger.MustAmount("-1"), Total: ledger.MustAmount("-10"), TotalTax: ledger.MustAmount("-2")}}}},
	}
	entries := build(t, journal.PerDay, journal.Defaults("bg"), []sales.Record{sales.FromOrder(&o)})
	s := sums(entries[1:])
	if d, c := entries[1].Totals(); d != c || s[journal.WhatRounding] != 0 || s[journal.WhatRefunds].String() != "-6.00" ||
		s[journal.WhatVAT].String() != "-2.00" || s[journal.WhatSales].String() != "-10.00" {
		t.Fatalf("refund lines %+v", s)
	}
}
