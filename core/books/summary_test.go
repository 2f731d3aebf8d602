package books_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

var amt = ledger.MustAmount

// vatOrder is a VAT 20 % order of 100 net, created on created (UTC).
func vatOrder(id int64, status ledger.Status, created time.Time) ledger.Order {
	return ledger.Order{
		ID: id, Status: status, Currency: "EUR", Created: created, Modified: created, Paid: created,
		Total: amt("120"), CartTax: amt("20"), TotalTax: amt("20"), PaymentMethod: "cod", PaymentMethodTitle: "Cash on delivery",
		Lines:    []ledger.LineItem{{ID: 1, Quantity: amt("1"), Subtotal: amt("100"), Total: amt("100"), TotalTax: amt("20"), Taxes: []ledger.LineTax{{RateID: 1, Total: amt("20")}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, Label: "ДДС 20%", TaxTotal: amt("20"), RatePercent: amt("20")}},
	}
}

func booksShop(t *testing.T, b *books.Books) ledger.Shop {
	t.Helper()
	wh, cc := catalog(t, b)
	sh, err := b.Store.CreateShop(ledger.Shop{Name: "Магазин", Warehouse: wh, CostCenter: cc, Timezone: "Europe/Sofia"})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func apply(t *testing.T, b *books.Books, shop ledger.ShopID, orders ...ledger.Order) {
	t.Helper()
	if _, err := b.ApplyOrders(shop, orders, ledger.SourceWebhook, time.Time{}); err != nil {
		t.Fatal(err)
	}
}

func journalCSV(t *testing.T, b *books.Books, q books.JournalQuery) string {
	t.Helper()
	var buf bytes.Buffer
	if err := b.ExportJournal(&buf, q, "csv", journal.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestSummaryPerShopAndCurrency(t *testing.T) {
	b := openBooks(t)
	sh := booksShop(t, b)
	bgn := vatOrder(1, ledger.StatusCompleted, time.Date(2025, 12, 20, 10, 0, 0, 0, time.UTC))
	bgn.Currency = "BGN"
	apply(t, b, sh.ID, bgn, vatOrder(2, ledger.StatusCompleted, time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)),
		vatOrder(3, ledger.StatusCancelled, time.Date(2026, 1, 6, 10, 0, 0, 0, time.UTC)))
	s, err := b.Summary(books.SummaryQuery{From: sales.DateDay(2025, 12, 1), To: sales.DateDay(2026, 1, 31), By: sales.ByMonth})
	if err != nil {
		t.Fatal(err)
	}
	if s.Basis != "created" || len(s.Groups) != 2 || s.Groups[0].Currency != "BGN" || s.Groups[1].Currency != "EUR" ||
		s.Groups[1].TotalOrders() != 1 || s.Shops[sh.ID].Name != "Магазин" || len(s.Notes) == 0 {
		t.Fatalf("summary %+v", s)
	}
	if _, err := b.Summary(books.SummaryQuery{From: 10, To: 9}); err == nil {
		t.Fatal("a period ending before it starts was accepted")
	}
}

// A closed month's journal never changes: an order of it cancelled after
// the closing is kept as a change after closing and booked as an
// adjustment on the first open day; the two months together book what the
// orders say now. Reopening books the month as it is.
func TestClosedMonthJournalNeverChanges(t *testing.T) {
	b := openBooks(t)
	sh := booksShop(t, b)
	oct := vatOrder(1, ledger.StatusCompleted, time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC))
	apply(t, b, sh.ID, oct, vatOrder(2, ledger.StatusProcessing, time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)))
	octQ := books.JournalQuery{From: sales.DateDay(2026, 10, 1), To: sales.DateDay(2026, 10, 31), Shop: sh.ID}
	novQ := books.JournalQuery{From: sales.DateDay(2026, 11, 1), To: sales.DateDay(2026, 11, 30), Shop: sh.ID}
	closedOctober := journalCSV(t, b, octQ)

	c, err := b.CloseBooks(sh.ID, sales.DateDay(2026, 10, 31), "maria")
	if err != nil || c.Through != sales.DateDay(2026, 10, 31) {
		t.Fatalf("close: %+v %v", c, err)
	}
	oct.Status, oct.Modified = ledger.StatusCancelled, time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	apply(t, b, sh.ID, oct)
	// A refund dated in the closed month of the other order, too.
	o2 := vatOrder(2, ledger.StatusProcessing, time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC))
	o2.Modified = time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC)
	o2.Refunds = []ledger.Refund{{ID: 9, Amount: amt("12"), Detailed: true, Created: time.Date(2026, 10, 30, 10, 0, 0, 0, time.UTC),
		Lines:    []ledger.LineItem{{Quantity: amt("-1"), Total: amt("-10"), TotalTax: amt("-2"), Taxes: []ledger.LineTax{{RateID: 1, Total: amt("-2")}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, TaxTotal: amt("-2")}}}}
	apply(t, b, sh.ID, o2)

	if got := journalCSV(t, b, octQ); got != closedOctober {
		t.Fatalf("the closed October changed:\n%s\nwas\n%s", got, closedOctober)
	}
	changes, err := b.ClosedChanges(sh.ID)
	if err != nil || len(changes) != 2 || changes[0].Order != 1 || changes[1].Order != 2 {
		t.Fatalf("changes: %+v %v", changes, err)
	}
	nov, err := b.Journal(novQ)
	if err != nil {
		t.Fatal(err)
	}
	if len(nov) != 1 || nov[0].From != sales.DateDay(2026, 11, 1) {
		t.Fatalf("november: %+v", nov)
	}
	var adjVAT ledger.Amount
	for _, l := range nov[0].Lines {
		if l.Kind != journal.KindAdjustment {
			t.Fatalf("november line %+v is no adjustment", l)
		}
		if l.What == journal.WhatVAT {
			adjVAT += l.Debit - l.Credit
		}
	}
	if adjVAT.String() != "22.00" { // the cancelled order's 20 and the refund's 2 taken back
		t.Fatalf("adjusted VAT %s", adjVAT)
	}
	if d, c := nov[0].Totals(); d != c {
		t.Fatalf("adjustment unbalanced: %s / %s", d, c)
	}

	// October and November together book the orders as they are now.
	both, err := b.Journal(books.JournalQuery{From: octQ.From, To: novQ.To, Shop: sh.ID, Per: journal.PerPeriod})
	if err != nil {
		t.Fatal(err)
	}
	var vat ledger.Amount
	for _, l := range both[0].Lines {
		if l.What == journal.WhatVAT {
			vat += l.Credit - l.Debit
		}
	}
	s, err := b.Summary(books.SummaryQuery{From: octQ.From, To: novQ.To, Shop: sh.ID})
	if err != nil {
		t.Fatal(err)
	}
	if vat != s.Groups[0].TotalTax() || vat.String() != "18.00" {
		t.Fatalf("VAT over both months %s, summary %s", vat, s.Groups[0].TotalTax())
	}

	// Reopened, October is booked as the orders are, and November has no
	// adjustment left.
	c, err = b.ReopenBooks(sh.ID, 0, "ivan")
	if err != nil || c.Through != 0 || len(c.History) != 2 {
		t.Fatalf("reopen: %+v %v", c, err)
	}
	if got := journalCSV(t, b, octQ); got == closedOctober {
		t.Fatal("the reopened October still books the cancelled order")
	}
	nov2, err := b.Journal(novQ)
	if err != nil || len(nov2) != 0 {
		t.Fatalf("november after reopening: %+v %v", nov2, err)
	}
	// Over both months each account nets as before: the adjustments only
	// moved amounts to the day they were learned of.
	again, err := b.Journal(books.JournalQuery{From: octQ.From, To: novQ.To, Shop: sh.ID, Per: journal.PerPeriod})
	if err != nil || !reflect.DeepEqual(netByAccount(again), netByAccount(both)) {
		t.Fatalf("the two months differ after reopening:\n%+v\n%+v", netByAccount(again), netByAccount(both))
	}
}

func netByAccount(entries []journal.Entry) map[string]ledger.Amount {
	m := map[string]ledger.Amount{}
	for _, e := range entries {
		for _, l := range e.Lines {
			m[l.Account.Code+" "+l.What] += l.Debit - l.Credit
		}
	}
	return m
}
