//go:build !race

package store

import (
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// TestBytesPerOrder keeps the disk budget: at most 2 KB per typical order
// (a 3.5 KB payload), all buckets included. It is left out of -race runs:
// the race detector has nothing to find in it and makes it slow.
func TestBytesPerOrder(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	const n = 2000
	g := newOrderGen(77)
	var rawBytes int
	for first := 1; first <= n; first += 100 {
		page := g.orders(sh.ID, int64(first), 100, t0.Add(time.Duration(first)*time.Minute), time.Minute)
		for _, o := range page {
			rawBytes += len(o.Raw)
		}
		if _, err := s.ApplyOrders(sh.ID, page, ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	u := diskUsage(t, s)
	perOrder := u.used / n
	t.Logf("%d orders, payload %d B/order: file %d B/order, used %d B/order, by bucket %v",
		n, rawBytes/n, u.file/n, perOrder, u.buckets)
	if perOrder > 2048 {
		t.Errorf("%d bytes per order, budget 2048", perOrder)
	}
}
