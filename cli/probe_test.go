package cli

import (
	"strings"
	"testing"

	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestSelfSignedShopNeedsConfirmedFingerprint walks the pinning flow: the
// first add is refused with the certificate's fingerprint, an add with
// that fingerprint trusts exactly it, and a test and a sync then work.
func TestSelfSignedShopNeedsConfirmedFingerprint(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 30, Seed: 4}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	add := []string{"shop", "add", "--name", "Secure", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"}

	r := cmd(t, dir, creds(), "", add...)
	if r.code != 1 || !strings.Contains(r.stderr, "--trust-cert "+srv.CertSHA256) {
		t.Fatalf("untrusted add: %+v", r)
	}
	r = cmd(t, dir, creds(), "", append(add, "--trust-cert", strings.Repeat("ab", 32))...)
	if r.code != 1 {
		t.Fatalf("add with a wrong fingerprint succeeded: %+v", r)
	}
	r = cmd(t, dir, creds(), "", append(add, "--trust-cert", srv.CertSHA256)...)
	if r.code != 0 {
		t.Fatalf("add with the fingerprint: %+v", r)
	}
	r = cmd(t, dir, nil, "", "shop", "test", "--shop", "Secure")
	if r.code != 0 || !strings.Contains(r.stdout, "wc/v3 (authentication: basic)") || !strings.Contains(r.stdout, "ShopLedger can sync this shop") {
		t.Fatalf("shop test: %+v", r)
	}
	r = cmd(t, dir, nil, "", "sync")
	if r.code != 0 || !strings.Contains(r.stdout, "30 new") {
		t.Fatalf("sync: %+v", r)
	}
}

func TestShopTestLegacyShop(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 40, Seed: 4, WCVersion: "3.4.0"}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Old", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C")
	if r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	r = cmd(t, dir, nil, "", "shop", "test", "--shop", "Old")
	if r.code != 0 || !strings.Contains(r.stdout, "WooCommerce:    yes 3.4.0") || !strings.Contains(r.stdout, "legacy/v3 (authentication: oauth1)") {
		t.Fatalf("shop test: %+v", r)
	}
	r = cmd(t, dir, nil, "", "sync")
	if r.code != 0 || !strings.Contains(r.stdout, "40 new") {
		t.Fatalf("legacy sync: %+v", r)
	}
}
