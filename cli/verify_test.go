package cli

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestSyncVerify: an order changed in the shop without a new date_modified
// is wrong after `sync` and right after `sync --verify`, with the change
// in its history, in both dialects.
func TestSyncVerify(t *testing.T) {
	for _, d := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		t.Run(string(d), func(t *testing.T) {
			srv, err := woosim.Start(woosim.Options{Orders: 150, Seed: 3}, false)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			dir := t.TempDir()
			r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Demo shop", "--url", srv.URL, "--warehouse", "MAIN", "--cost-center", "WEB")
			if r.code != 0 {
				t.Fatalf("shop add: %+v", r)
			}
			var key ledger.OrderKey
			withBooks(t, dir, func(b *books.Books) {
				shops, err := b.Shops()
				if err != nil || len(shops) != 1 {
					t.Fatalf("shops %v %v", shops, err)
				}
				shops[0].Dialect = d
				if err := b.UpdateShop(shops[0]); err != nil {
					t.Fatal(err)
				}
				key.Shop = shops[0].ID
			})
			if r = cmd(t, dir, nil, "", "sync"); r.code != 0 || !strings.Contains(r.stdout, "150 new") {
				t.Fatalf("sync: %+v", r)
			}
			for _, s := range srv.Sim.Snapshot() {
				if s.Status == "completed" {
					key.ID = s.ID
					break
				}
			}
			done := time.Date(2026, 12, 4, 16, 5, 0, 0, time.UTC)
			if err := srv.Sim.SilentlyChange(key.ID, func(o *woosim.Silent) { o.Completed = done }); err != nil {
				t.Fatal(err)
			}
			if r = cmd(t, dir, nil, "", "sync"); r.code != 0 || !strings.Contains(r.stdout, "0 new, 0 updated") {
				t.Fatalf("second sync: %+v", r)
			}
			withBooks(t, dir, func(b *books.Books) {
				if o, err := b.Order(key); err != nil || o.Completed.Equal(done) {
					t.Fatalf("after sync: completed %s (%v); the sync should not see the change", o.Completed, err)
				}
			})

			r = cmd(t, dir, nil, "", "sync", "--verify", "--shop", "Demo shop")
			if r.code != 0 || !strings.Contains(r.stdout, "Demo shop: 1 order differed and was updated (150 compared, 3 requests") {
				t.Fatalf("sync --verify: %+v", r)
			}
			if !strings.Contains(r.stderr, "verified page 2 of 2") {
				t.Fatalf("no progress on stderr: %q", r.stderr)
			}
			withBooks(t, dir, func(b *books.Books) {
				o, err := b.Order(key)
				if err != nil || !o.Completed.Equal(done) {
					t.Fatalf("after sync --verify: completed %s (%v), want %s", o.Completed, err, done)
				}
				hist, err := b.History(key)
				if err != nil {
					t.Fatal(err)
				}
				last := hist[len(hist)-1]
				if last.Source != ledger.SourceVerification || len(last.Changed) == 0 || last.Changed[0] != "date_completed" {
					t.Fatalf("history ends %+v", last)
				}
			})
			if r = cmd(t, dir, nil, "", "sync", "--verify", "--quiet"); r.code != 0 || !strings.Contains(r.stdout, "all 150 orders agree with the shop") || r.stderr != "" {
				t.Fatalf("second sync --verify: %+v", r)
			}
		})
	}
}

// withBooks opens the data directory's books while no command runs.
func withBooks(t *testing.T, dir string, fn func(*books.Books)) {
	t.Helper()
	b, err := books.Open(dir, keysFor(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	fn(b)
}

// TestShopMetaKeysVerify: meta keys set with `shop meta-keys` are compared
// by `sync --verify`, which corrects a meta-only change.
func TestShopMetaKeysVerify(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 40, Seed: 3}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	if r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Demo shop", "--url", srv.URL, "--warehouse", "MAIN", "--cost-center", "WEB"); r.code != 0 {
		t.Fatalf("shop add: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "shop", "meta-keys", "--shop", "Demo shop"); r.code != 0 || !strings.Contains(r.stdout, "no meta keys") {
		t.Fatalf("meta-keys: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "shop", "meta-keys", "--shop", "Demo shop", "--set", "receipt_no, fiscal_no,receipt_no"); r.code != 0 || r.stdout != "Demo shop: receipt_no, fiscal_no\n" {
		t.Fatalf("meta-keys --set: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
	if err := srv.Sim.SilentlyChange(4, func(o *woosim.Silent) { o.Meta["fiscal_no"] = "F-0004" }); err != nil {
		t.Fatal(err)
	}
	r := cmd(t, dir, nil, "", "sync", "--verify", "--quiet")
	if r.code != 0 || !strings.Contains(r.stdout, "1 order differed and was updated") {
		t.Fatalf("sync --verify: %+v", r)
	}
	withBooks(t, dir, func(b *books.Books) {
		hist, err := b.History(ledger.OrderKey{Shop: 1, ID: 4})
		if err != nil {
			t.Fatal(err)
		}
		if last := hist[len(hist)-1]; last.Source != ledger.SourceVerification || strings.Join(last.Changed, ",") != "meta:fiscal_no" {
			t.Fatalf("history ends %+v", last)
		}
	})
}
