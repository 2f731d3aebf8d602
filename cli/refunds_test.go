package cli

import (
	"strconv"
	"strings"
	"testing"

	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestSyncFetchesRefunds: `shopledger sync` imports a VAT shop, then
// fetches the refunds of its refunded orders with their detail; the next
// sync fetches none.
func TestSyncFetchesRefunds(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 80, Seed: 5, VAT: true}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	refunded := 0
	for _, o := range srv.Sim.Snapshot() {
		if rs, _ := srv.Sim.Refunds(o.ID); len(rs) > 0 {
			refunded++
		}
	}
	if refunded == 0 {
		t.Fatal("the shop has no refunds")
	}
	dir := t.TempDir()
	if r := cmd(t, dir, creds(), "", "shop", "add", "--name", "VAT", "--url", srv.URL, "--warehouse", "MAIN", "--cost-center", "WEB"); r.code != 0 {
		t.Fatalf("shop add: %+v", r)
	}
	r := cmd(t, dir, nil, "", "sync")
	want := "the refunds of " + strconv.Itoa(refunded) + " orders fetched"
	if r.code != 0 || !strings.Contains(r.stdout, "80 new") || !strings.Contains(r.stdout, want) {
		t.Fatalf("sync: %+v, want %q", r, want)
	}
	if r = cmd(t, dir, nil, "", "sync"); r.code != 0 || strings.Contains(r.stdout, "refunds of") {
		t.Fatalf("second sync: %+v", r)
	}
}
