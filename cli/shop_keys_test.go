package cli

import (
	"strings"
	"testing"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestShopKeys replaces a shop's keys after the keyring lost them: keys
// the shop refuses are not stored, keys it accepts are, and the shop syncs.
func TestShopKeys(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 9, Seed: 6, ReadOnlyKey: "ck_ro", ReadOnlySecret: "cs_ro"}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	if r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Sim", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"); r.code != 0 {
		t.Fatalf("shop add: %+v", r)
	}
	id := ledger.ShopID(1)
	if err := secrets.DeleteShop(keysFor(dir), id); err != nil {
		t.Fatal(err)
	}
	if r := cmd(t, dir, nil, "", "sync"); r.code != 1 || !strings.Contains(r.stderr, "missing from the keyring") ||
		!strings.Contains(r.stderr, "New keys: `shopledger shop keys --shop \"Sim\"`") {
		t.Fatalf("sync without keys: %+v", r)
	}

	wrong := map[string]string{"SHOPLEDGER_CONSUMER_KEY": woosim.DefaultKey, "SHOPLEDGER_CONSUMER_SECRET": "cs_wrong"}
	r := cmd(t, dir, wrong, "", "shop", "keys", "--shop", "sim")
	if r.code != 1 || !strings.Contains(r.stderr, "consumer secret does not match") || strings.Contains(r.stdout+r.stderr, "cs_wrong") {
		t.Fatalf("shop keys with a wrong secret: %+v", r)
	}
	if _, err := secrets.LoadShop(keysFor(dir), id); err == nil {
		t.Fatal("keys the shop refused were stored")
	}
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"shop", "keys"}, 2, "missing --shop"},
		{[]string{"shop", "keys", "--shop", "Nope"}, 1, "no shop named"},
	} {
		if r := cmd(t, dir, creds(), "", c.args...); r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
			t.Errorf("%v: %+v", c.args, r)
		}
	}

	// From standard input, as shop add reads them.
	r = cmd(t, dir, nil, woosim.DefaultKey+"\n"+woosim.DefaultSecret+"\n", "shop", "keys", "--shop", "Sim")
	if r.code != 0 || !strings.Contains(r.stdout, `replaced the API keys of shop "Sim"`) || strings.Contains(r.stdout+r.stderr, woosim.DefaultSecret) {
		t.Fatalf("shop keys: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "sync"); r.code != 0 || !strings.Contains(r.stdout, "9 new") {
		t.Fatalf("sync with the new keys: %+v", r)
	}
	// A read-only key is taken, with what it cannot do.
	ro := map[string]string{"SHOPLEDGER_CONSUMER_KEY": "ck_ro", "SHOPLEDGER_CONSUMER_SECRET": "cs_ro"}
	if r := cmd(t, dir, ro, "", "shop", "keys", "--shop", "Sim"); r.code != 0 || !strings.Contains(r.stdout, "The key can only read") {
		t.Fatalf("shop keys read-only: %+v", r)
	}
	if c, _ := secrets.LoadShop(keysFor(dir), id); c.Key != "ck_ro" {
		t.Errorf("stored key %v", c)
	}
}

// TestShopTestURL tests a shop that is not in the books, with keys from
// the environment or standard input, and needs no data directory.
func TestShopTestURL(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 3, Seed: 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	r := cmd(t, dir, creds(), "", "shop", "test", "--url", srv.URL)
	if r.code != 1 || !strings.Contains(r.stdout, "--trust-cert "+srv.CertSHA256) {
		t.Fatalf("shop test of a self-signed shop: %+v", r)
	}
	r = cmd(t, dir, nil, woosim.DefaultKey+"\n"+woosim.DefaultSecret+"\n", "shop", "test", "--url", srv.URL, "--trust-cert", srv.CertSHA256)
	if r.code != 0 || !strings.Contains(r.stdout, "ShopLedger can sync this shop") {
		t.Fatalf("shop test --url --trust-cert: %+v", r)
	}
	wrong := map[string]string{"SHOPLEDGER_CONSUMER_KEY": woosim.DefaultKey, "SHOPLEDGER_CONSUMER_SECRET": "cs_wrong"}
	r = cmd(t, dir, wrong, "", "shop", "test", "--url", srv.URL, "--trust-cert", srv.CertSHA256)
	if r.code != 1 || !strings.Contains(r.stdout, "consumer secret does not match") {
		t.Fatalf("shop test with a wrong secret: %+v", r)
	}
	for _, c := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"shop", "test"}, "give --shop NAME or --url URL"},
		{[]string{"shop", "test", "--shop", "S", "--url", srv.URL}, "give --shop NAME or --url URL"},
	} {
		if r := cmd(t, dir, creds(), "", c.args...); r.code != 2 || !strings.Contains(r.stderr, c.stderr) {
			t.Errorf("%v: %+v", c.args, r)
		}
	}
	if r := cmd(t, dir, nil, "", "shop", "list"); !strings.Contains(r.stdout, "no shops yet") {
		t.Errorf("shop test --url stored something: %s", r.stdout)
	}
}
