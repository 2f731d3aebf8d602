package books_test

import (
	"context"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestOrdersLeftOut: what a first import from a day leaves out, counted
// before the shop is added, and what that import then brings, add up to
// every order of the shop, in both dialects (issue 12, 16).
func TestOrdersLeftOut(t *testing.T) {
	for _, c := range []struct {
		name    string
		version string
		dialect ledger.Dialect
	}{
		{"wc/v3", "", ledger.DialectWCV3},
		{"legacy", "3.4.0", ledger.DialectLegacyV3}, // before wc/v3 existed
	} {
		t.Run(c.name, func(t *testing.T) {
			const orders = 60
			srv, err := woosim.Start(woosim.Options{Orders: orders, Seed: 9, WCVersion: c.version,
				From: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}, false)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			b := openBooks(t)
			wh, cc := catalog(t, b)
			ctx := context.Background()
			n := books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret,
				Warehouse: wh, CostCenter: cc, ImportFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("EET", 2*60*60))}
			d := b.Probe(ctx, n.URL, n.Key, n.Secret, "")
			if !d.OK() || d.Dialect != c.dialect {
				t.Fatalf("probe: %s, %+v", d.Dialect, d.Problems)
			}
			all := n
			all.ImportFrom = time.Time{}
			if none, err := b.OrdersLeftOut(ctx, all, d); err != nil || none != 0 {
				t.Errorf("an import of everything leaves out %d (%v)", none, err)
			}
			left, err := b.OrdersLeftOut(ctx, n, d)
			if err != nil {
				t.Fatal(err)
			}

			sh, err := b.AddShop(n)
			if err != nil {
				t.Fatal(err)
			}
			res, err := b.Sync(ctx, sh.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			if left == 0 || res.New == 0 || left+res.New != orders {
				t.Errorf("%d orders left out and %d imported from %s, want %d in all", left, res.New, n.ImportFrom.Format(time.DateOnly), orders)
			}
			t.Logf("%s: %d left out, %d imported", c.name, left, res.New)
		})
	}
}
