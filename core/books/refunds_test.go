package books_test

import (
	"context"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestSyncLearnsTimezone: a shop connected before ShopLedger knew time
// zones (dialect known, no zone) learns its own at the next sync, once;
// a shop being detected learns it with its dialect.
func TestSyncLearnsTimezone(t *testing.T) {
	sofia, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := woosim.Start(woosim.Options{Orders: 20, Seed: 3, SiteTimezone: sofia, VAT: true}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	b := openBooks(t)
	wh, cc := catalog(t, b)
	for _, dialect := range []ledger.Dialect{ledger.DialectWCV3, ""} {
		sh, err := b.AddShop(books.NewShop{Name: "Sim " + string(dialect), URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Warehouse: wh, CostCenter: cc})
		if err != nil {
			t.Fatal(err)
		}
		sh.Dialect = dialect
		if err := b.UpdateShop(sh); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
			t.Fatal(err)
		}
		got, err := b.Shop(sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Timezone != "Europe/Sofia" || got.Location().String() != "Europe/Sofia" {
			t.Errorf("dialect %q: time zone %q after a sync", dialect, got.Timezone)
		}
	}
}
