package store

import (
	"errors"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

func TestChangesAfterClosing(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo", Timezone: "Europe/Sofia"})
	gen := newOrderGen(1)
	march := gen.order(sh.ID, 1, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	march.Status = ledger.StatusCompleted
	april := gen.order(sh.ID, 2, time.Date(2026, 4, 10, 9, 0, 0, 0, time.UTC))
	april.Status = ledger.StatusCompleted
	mustApply(t, s, sh.ID, ledger.SourcePoll, march, april)

	through := sales.DateDay(2026, 3, 31)
	c, err := s.CloseBooks(sh.ID, through, "maria", time.Date(2026, 4, 2, 8, 0, 0, 0, time.UTC))
	if err != nil || c.Through != through || len(c.History) != 1 || c.History[0].By != "maria" {
		t.Fatalf("close: %+v %v", c, err)
	}
	if _, err := s.CloseBooks(sh.ID, through-1, "maria", time.Now()); !errors.Is(err, ErrClosingOrder) {
		t.Fatalf("closing earlier than the closing: %v", err)
	}

	changes := func() []sales.Change {
		t.Helper()
		ch, err := s.ClosedChanges(sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	// A change in an open month is no change after closing.
	april.Status, april.Modified = ledger.StatusCancelled, april.Modified.Add(time.Hour)
	mustApply(t, s, sh.ID, ledger.SourceWebhook, april)
	// Nor is a refund of a closed month's order dated in the open month.
	march.Refunds = []ledger.Refund{{ID: 50, Amount: march.Lines[0].Total, Detailed: true, Created: time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)}}
	march.Modified = march.Modified.Add(time.Hour)
	mustApply(t, s, sh.ID, ledger.SourceWebhook, march)
	if ch := changes(); len(ch) != 0 {
		t.Fatalf("changes in the open period: %+v", ch)
	}

	// A status leaving the counted set in the closed month is.
	march.Status, march.Modified = ledger.StatusCancelled, march.Modified.Add(time.Hour)
	mustApply(t, s, sh.ID, ledger.SourceWebhook, march)
	ch := changes()
	if len(ch) != 1 || ch[0].Order != 1 || ch[0].Before == nil || ch[0].Before.Status != ledger.StatusCompleted ||
		ch[0].After.Status != ledger.StatusCancelled || ch[0].BookOn != sales.DateDay(2026, 4, 1) || ch[0].ClosedThrough != through {
		t.Fatalf("status change: %+v", ch)
	}
	// A new order dated in the closed month is too, with nothing before.
	late := gen.order(sh.ID, 3, time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC))
	late.Status = ledger.StatusProcessing
	mustApply(t, s, sh.ID, ledger.SourcePoll, late)
	// And so is a refund dated in the closed month.
	march.Status, march.Modified = ledger.StatusCompleted, march.Modified.Add(time.Hour)
	mustApply(t, s, sh.ID, ledger.SourceWebhook, march)
	march.Refunds = append(march.Refunds, ledger.Refund{ID: 51, Amount: ledger.MustAmount("1.00"), Detailed: true, Created: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)})
	march.Modified = march.Modified.Add(time.Hour)
	mustApply(t, s, sh.ID, ledger.SourceWebhook, march)
	if ch := changes(); len(ch) != 4 || ch[1].Order != 3 || ch[1].Before != nil || ch[3].After.Refunds[1].ID != 51 {
		t.Fatalf("changes: %+v", ch)
	}

	// Reopening is recorded; a change after it is no change after closing.
	c, err = s.ReopenBooks(sh.ID, 0, "ivan", time.Now())
	if err != nil || c.Through != 0 || len(c.History) != 2 || c.History[1].Action != sales.ActionReopen || c.History[1].By != "ivan" {
		t.Fatalf("reopen: %+v %v", c, err)
	}
	march.Status, march.Modified = ledger.StatusOnHold, march.Modified.Add(time.Hour)
	mustApply(t, s, sh.ID, ledger.SourceWebhook, march)
	if n := len(changes()); n != 4 {
		t.Fatalf("%d changes after reopening", n)
	}
	if _, err := s.ReopenBooks(sh.ID, through, "ivan", time.Now()); !errors.Is(err, ErrClosingOrder) {
		t.Fatalf("reopening forward: %v", err)
	}
}

func TestAccountsStored(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	acc, set, err := s.Accounts(sh.ID)
	if err != nil || set || acc.Sales.Code != "702" || acc.VAT.Code != "4532" {
		t.Fatalf("defaults: %+v %v %v", acc, set, err)
	}
	acc = journal.Defaults("en")
	acc.SalesByRate = map[int64]journal.Account{2: {Code: "4010", Name: "Sales, reduced rate"}}
	if err := s.SetAccounts(sh.ID, acc); err != nil {
		t.Fatal(err)
	}
	got, set, err := s.Accounts(sh.ID)
	if err != nil || !set || got.SalesFor(2).Code != "4010" || got.SalesFor(1).Code != "4000" {
		t.Fatalf("stored: %+v %v %v", got, set, err)
	}
	acc.VAT.Code = ""
	if err := s.SetAccounts(sh.ID, acc); err == nil {
		t.Fatal("a mapping without a VAT account was stored")
	}
	if _, _, err := s.Accounts(999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no such shop: %v", err)
	}
}
