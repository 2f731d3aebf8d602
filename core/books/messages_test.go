package books_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// simShop adds a shop on a fresh woosim server whose dialect is already
// known, so that a sync goes straight to the orders and its failure is
// the shop's answer rather than a probe's diagnosis.
func simShop(t *testing.T, b *books.Books, useTLS bool, edit func(srv *woosim.Server, n *books.NewShop)) ledger.Shop {
	t.Helper()
	srv, err := woosim.Start(woosim.Options{Orders: 3, Seed: 1}, useTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	wh, cc := catalog(t, b)
	n := books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Warehouse: wh, CostCenter: cc}
	if edit != nil {
		edit(srv, &n)
	}
	sh, err := b.AddShop(n)
	if err != nil {
		t.Fatal(err)
	}
	sh.Dialect = ledger.DialectWCV3
	if err := b.UpdateShop(sh); err != nil {
		t.Fatal(err)
	}
	return sh
}

func syncErr(t *testing.T, b *books.Books, sh ledger.Shop, timeout time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, err := b.Sync(ctx, sh.ID, nil)
	if err == nil {
		t.Fatal("sync succeeded")
	}
	return err
}

// TestExplain turns a real error of each class into its sentence: the one
// mapping that the command line, the window and the notifications share.
func TestExplain(t *testing.T) {
	for _, c := range []struct {
		name      string
		err       func(t *testing.T, b *books.Books) error
		want      string
		needsUser bool
	}{
		{
			name: "auth refused",
			err: func(t *testing.T, b *books.Books) error {
				sh := simShop(t, b, false, func(_ *woosim.Server, n *books.NewShop) { n.Secret = "cs_wrong" })
				return syncErr(t, b, sh, 10*time.Second)
			},
			want:      "The shop refused the API keys. Check the consumer key and secret in WooCommerce → Settings → Advanced → REST API.",
			needsUser: true,
		},
		{
			name: "probe finds a wrong secret",
			err: func(t *testing.T, b *books.Books) error {
				srv, err := woosim.Start(woosim.Options{Orders: 1}, false)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(srv.Close)
				return b.CheckConnection(context.Background(), srv.URL, woosim.DefaultKey, "cs_wrong")
			},
			want:      books.ProblemSentence(woo.Problem{Code: woo.ProblemBadSecret}),
			needsUser: true,
		},
		{
			name: "REST API not found",
			err: func(t *testing.T, b *books.Books) error {
				sh := simShop(t, b, false, func(srv *woosim.Server, n *books.NewShop) { n.URL = srv.URL + "/no/shop/here" })
				return syncErr(t, b, sh, 10*time.Second)
			},
			want: "The shop's REST API was not found at this address. Check the URL and that WordPress permalinks are not set to \"Plain\".",
		},
		{
			name: "self-signed certificate",
			err: func(t *testing.T, b *books.Books) error {
				return syncErr(t, b, simShop(t, b, true, nil), 10*time.Second)
			},
			want: "The shop's security certificate was not accepted. Check the address, or ask the shop's host to renew the certificate.",
		},
		{
			name: "certificate pin mismatch",
			err: func(t *testing.T, b *books.Books) error {
				sh := simShop(t, b, true, func(_ *woosim.Server, n *books.NewShop) { n.CertSHA256 = strings.Repeat("ab", 32) })
				return syncErr(t, b, sh, 10*time.Second)
			},
			want: "The shop's security certificate has changed since you trusted it. Do not connect unless the shop's host confirms that it renewed the certificate; then remove the shop and add it again to trust the new one.",
		},
		{
			name: "timeout",
			err: func(t *testing.T, b *books.Books) error {
				var srv *woosim.Server
				sh := simShop(t, b, false, func(s *woosim.Server, _ *books.NewShop) { srv = s })
				if err := srv.Sim.Faults().Set(woosim.FaultConfig{Latency: 5 * time.Second}); err != nil {
					t.Fatal(err)
				}
				return syncErr(t, b, sh, 200*time.Millisecond)
			},
			want: "The shop took too long to answer; ShopLedger will try again.",
		},
		{
			name: "keyring unavailable",
			err: func(t *testing.T, b *books.Books) error {
				wh, cc := catalog(t, b)
				b.Secrets.(*secrets.Memory).Fail(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
				_, err := b.AddShop(books.NewShop{Name: "S", URL: "https://s.example", Key: "ck", Secret: "cs", Warehouse: wh, CostCenter: cc})
				return err
			},
			want: "The system keyring is not available. Install and unlock a Secret Service keyring (GNOME Keyring or KWallet), e.g. with `sudo apt install gnome-keyring`, then log in again.",
		},
		{
			name: "keys missing from the keyring",
			err: func(t *testing.T, b *books.Books) error {
				sh := simShop(t, b, false, nil)
				if err := secrets.DeleteShop(b.Secrets, sh.ID); err != nil {
					t.Fatal(err)
				}
				return syncErr(t, b, sh, 10*time.Second)
			},
			want:      "The shop's API keys are missing from the keyring. Edit the shop and enter them again.",
			needsUser: true,
		},
		{
			name: "warehouse in use by one shop",
			err: func(t *testing.T, b *books.Books) error {
				sh := simShop(t, b, false, nil)
				return b.DeleteWarehouse(sh.Warehouse)
			},
			want: "Warehouse MAIN cannot be removed: shop “Sim” books into it. Choose another warehouse for it first.",
		},
		{
			name: "cost center in use by two shops",
			err: func(t *testing.T, b *books.Books) error {
				wh, cc := catalog(t, b)
				for _, name := range []string{"Alpha", "Beta"} {
					if _, err := b.CreateShop(ledger.Shop{Name: name, URL: "https://" + name + ".example", Warehouse: wh, CostCenter: cc}); err != nil {
						t.Fatal(err)
					}
				}
				return b.DeleteCostCenter(cc)
			},
			want: "Cost center WEB cannot be removed: shops “Alpha”, “Beta” book into it. Choose another cost center for them first.",
		},
		{
			name: "duplicate shop name",
			err: func(t *testing.T, b *books.Books) error {
				if _, err := b.CreateShop(ledger.Shop{Name: "Alpha"}); err != nil {
					t.Fatal(err)
				}
				_, err := b.CreateShop(ledger.Shop{Name: " alpha "})
				return err
			},
			want: "There is already a shop named “Alpha”. Choose another name.",
		},
		{
			name: "the same shop twice",
			err: func(t *testing.T, b *books.Books) error {
				sh := simShop(t, b, false, nil)
				_, err := b.AddShop(books.NewShop{Name: "Again", URL: strings.Replace(sh.URL, "http://", "HTTP://", 1) + "/",
					Key: "ck", Secret: "cs", Warehouse: sh.Warehouse, CostCenter: sh.CostCenter})
				return err
			},
			want: "Shop “Sim” already has this address. A shop is added only once, or its orders would be counted twice.",
		},
		{
			name: "duplicate warehouse code",
			err: func(t *testing.T, b *books.Books) error {
				catalog(t, b)
				_, err := b.CreateWarehouse(ledger.Warehouse{Code: "main", Name: "Other"})
				return err
			},
			want: "Warehouse “Main” already has the code main. Choose another code.",
		},
		{
			name: "no shop by that name",
			err: func(t *testing.T, b *books.Books) error {
				_, err := b.ShopByName("Gamma")
				return err
			},
			want: "There is no shop named “Gamma”.",
		},
		{
			name: "no cost center with that code",
			err: func(t *testing.T, b *books.Books) error {
				_, err := b.CostCenterByCode("NONE")
				return err
			},
			want: "There is no cost center with the code NONE.",
		},
		{
			name: "shop removed meanwhile",
			err: func(t *testing.T, b *books.Books) error {
				_, err := b.Sync(context.Background(), 42, nil)
				return err
			},
			want: "This shop is not in the books any more; it may have been removed meanwhile.",
		},
		{
			name: "input errors",
			err: func(t *testing.T, b *books.Books) error {
				_, err := b.AddShop(books.NewShop{URL: "ftp://x"})
				return err
			},
			want: "The shop needs a name. Check the shop's address: the address must start with https:// or http://. " +
				"Enter the consumer key and the consumer secret from WooCommerce → Settings → Advanced → REST API. " +
				"Choose a warehouse. Choose a cost center.",
		},
		{
			name: "books open elsewhere",
			err: func(t *testing.T, b *books.Books) error {
				_, err := books.Open(b.Path()[:len(b.Path())-len(books.DBFile)], secrets.NewMemory())
				return err
			},
			want: "ShopLedger is already running",
		},
		{
			name: "deadline of something else",
			err: func(*testing.T, *books.Books) error {
				return fmt.Errorf("export orders: %w", context.DeadlineExceeded)
			},
			want: "This took too long and was stopped. Try again.",
		},
		{
			name: "unknown error keeps its text",
			err:  func(*testing.T, *books.Books) error { return errors.New("disk on fire") },
			want: "disk on fire",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := openBooks(t)
			err := c.err(t, b)
			if got := books.Explain(err).String(); got != c.want {
				t.Errorf("Explain(%v)\n got %q\nwant %q", err, got, c.want)
			}
			if got := books.UserMessage(err); got != c.want {
				t.Errorf("UserMessage = %q", got)
			}
			if got := books.NeedsUser(err); got != c.needsUser {
				t.Errorf("NeedsUser(%v) = %v", err, got)
			}
		})
	}
}

// TestMessageKeys: a message with arguments keeps them apart from its key,
// which is what the window's message files translate.
func TestMessageKeys(t *testing.T) {
	m := books.Explain(&store.InUseError{Kind: store.KindWarehouse, Code: "MAIN", Shops: []string{"A {{.x}}"}})
	if m.Key != "Warehouse {{.What}} cannot be removed: shop {{.Shops}} books into it. Choose another warehouse for it first." ||
		m.Count != 1 || m.Args["What"] != "MAIN" || m.Args["Shops"] != "“A {{.x}}”" {
		t.Errorf("in-use message %+v", m)
	}
	// A shop's own words are never run as a template.
	if got := m.String(); got != "Warehouse MAIN cannot be removed: shop “A {{.x}}” books into it. Choose another warehouse for it first." {
		t.Errorf("String = %q", got)
	}
	if got := (books.Message{Key: "sync {{.Shop}}: bad"}).String(); got != "sync {{.Shop}}: bad" {
		t.Errorf("a key without args = %q", got)
	}
	if m := books.Explain(nil); m.String() != "" {
		t.Errorf("Explain(nil) = %+v", m)
	}
}
