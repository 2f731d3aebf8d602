package books_test

import (
	"context"
	"errors"
	"testing"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestReplaceKeys: keys the keyring lost are entered again and the shop
// syncs; keys the shop refuses, or a keyring that refuses them, leave the
// stored keys as they were.
func TestReplaceKeys(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 7, Seed: 2, ReadOnlyKey: "ck_ro", ReadOnlySecret: "cs_ro"}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	b := openBooks(t)
	wh, cc := catalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := secrets.DeleteShop(b.Secrets, sh.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sync(ctx, sh.ID, nil); !books.NeedsUser(err) {
		t.Fatalf("sync without keys: %v", err)
	}

	// Refused by the shop: nothing is stored.
	d, err := b.ReplaceKeys(ctx, sh.ID, woosim.DefaultKey, "cs_wrong")
	var ce *books.ConnectionError
	if !errors.As(err, &ce) || d == nil || !d.Has(woo.ProblemBadSecret) {
		t.Fatalf("wrong secret: %v", err)
	}
	if _, err := secrets.LoadShop(b.Secrets, sh.ID); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("refused keys were stored: %v", err)
	}
	if _, err := b.ReplaceKeys(ctx, sh.ID, " ", "cs"); books.UserMessage(err) != "Enter the consumer key and the consumer secret from WooCommerce → Settings → Advanced → REST API." {
		t.Errorf("empty key: %v", err)
	}

	// Accepted: the shop syncs again.
	if _, err := b.ReplaceKeys(ctx, sh.ID, " "+woosim.DefaultKey+" ", woosim.DefaultSecret); err != nil {
		t.Fatalf("replace keys: %v", err)
	}
	if res, err := b.Sync(ctx, sh.ID, nil); err != nil || res.New != 7 {
		t.Fatalf("sync with the new keys: %+v, %v", res.ApplyResult, err)
	}

	// The keyring refuses: the keys stay as they were.
	b.Secrets.(*secrets.Memory).Fail(errors.New("locked"))
	if _, err := b.ReplaceKeys(ctx, sh.ID, "ck_ro", "cs_ro"); !errors.As(err, new(*secrets.UnavailableError)) {
		t.Fatalf("replace with the keyring locked: %v", err)
	}
	b.Secrets.(*secrets.Memory).Fail(nil)
	if c, err := secrets.LoadShop(b.Secrets, sh.ID); err != nil || c.Key != woosim.DefaultKey || c.Secret != woosim.DefaultSecret {
		t.Fatalf("after a refused save the keys are %v, %v", c, err)
	}

	// A read-only key works, with its warning.
	d, err = b.ReplaceKeys(ctx, sh.ID, "ck_ro", "cs_ro")
	if err != nil || !d.Has(woo.ProblemReadOnly) {
		t.Fatalf("read-only key: %v, %+v", err, d)
	}
	if c, _ := secrets.LoadShop(b.Secrets, sh.ID); c.Key != "ck_ro" {
		t.Errorf("stored key %v", c)
	}
	if _, err := b.ReplaceKeys(ctx, 99, "ck", "cs"); books.UserMessage(err) != "This shop is not in the books any more; it may have been removed meanwhile." {
		t.Errorf("unknown shop: %v", err)
	}
}
