package cli

import (
	"errors"
	"strings"
	"testing"

	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestShopAddTwiceRefused: the same shop under another name and another
// spelling of its address is refused before the shop is even asked.
func TestShopAddTwiceRefused(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 3, Seed: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Shop", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C")
	if r.code != 0 {
		t.Fatalf("shop add: %+v", r)
	}
	srv.Close() // the refusal must not need the shop
	again := strings.Replace(srv.URL, "http://", "HTTP://", 1) + "/"
	for _, c := range []struct{ name, url, want string }{
		{"Shop again", again, "Shop “Shop” already has this address."},
		{" shop ", "http://127.0.0.1:1", "There is already a shop named “Shop”."},
	} {
		r = cmd(t, dir, creds(), "", "shop", "add", "--name", c.name, "--url", c.url, "--warehouse", "W2", "--cost-center", "C2")
		if r.code != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("second add of %q %q: exit %d, %q; want %q", c.name, c.url, r.code, r.stderr, c.want)
		}
		if r := cmd(t, dir, nil, "", "warehouse", "list"); strings.Contains(r.stdout, "W2") {
			t.Errorf("a refused add created its warehouse: %s", r.stdout)
		}
	}
}

// TestShopAddWithoutKeyringLeavesNothing: when the keyring refuses the
// keys, neither the shop nor the warehouse and cost center the command
// created for it stay behind (issue 12, item 9).
func TestShopAddWithoutKeyringLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	if r := cmd(t, dir, nil, "", "warehouse", "add", "--code", "OLD"); r.code != 0 {
		t.Fatalf("warehouse add: %+v", r)
	}
	keysFor(dir).Fail(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	r := cmd(t, dir, creds(), "", "shop", "add", "--skip-check", "--name", "S", "--url", "https://s.example",
		"--warehouse", "OLD", "--cost-center", "NEWCC")
	if r.code != 1 || !strings.Contains(r.stderr, "keyring is not available") {
		t.Fatalf("shop add without keyring: %+v", r)
	}
	keysFor(dir).Fail(nil)
	if r := cmd(t, dir, nil, "", "cost-center", "list"); strings.Contains(r.stdout, "NEWCC") {
		t.Errorf("the cost center created for the shop stayed: %s", r.stdout)
	}
	if r := cmd(t, dir, nil, "", "warehouse", "list"); !strings.Contains(r.stdout, "OLD") {
		t.Errorf("the warehouse that was there before went: %s", r.stdout)
	}
	if r := cmd(t, dir, nil, "", "shop", "list"); !strings.Contains(r.stdout, "no shops yet") {
		t.Errorf("a shop stayed: %s", r.stdout)
	}
}
