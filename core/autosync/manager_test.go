package autosync_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestManagerFollowsShops: the manager starts a service for a shop added,
// reschedules a shop edited, stops the service of a shop removed, and
// leaves nothing running when cancelled.
func TestManagerFollowsShops(t *testing.T) {
	e := newEnv(t, woosim.Options{Orders: 5}, nil)
	before := autosyncGoroutines()
	m := autosync.NewManager(e.b, e.options())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx) }()
	e.expect(2, "started:start", "finished:5 new")
	t0 := e.clk.Now()

	// The same simulated shop under another host name: one shop is added
	// only once per address.
	sh2, err := e.b.AddShop(books.NewShop{Name: "Second", URL: strings.Replace(e.shop.URL, "127.0.0.1", "localhost", 1), Key: woosim.DefaultKey, Secret: woosim.DefaultSecret,
		Warehouse: e.shop.Warehouse, CostCenter: e.shop.CostCenter, CertSHA256: e.shop.CertSHA256})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Refresh(); err != nil {
		t.Fatal(err)
	}
	e.expect(3, "started:start", "finished:5 new")
	if res, err := m.SyncNow(ctx, sh2.ID); err != nil || res.Requests == 0 {
		t.Fatalf("SyncNow: %+v, %v", res, err)
	}
	e.expect(3, "started:manual", "finished:0 new")
	if all, err := m.SyncAllNow(ctx); err != nil || len(all) != 2 || all[0].Err != nil || all[1].Err != nil {
		t.Fatalf("SyncAllNow: %+v, %v", all, err)
	}
	e.expect(3, "started:manual", "finished:0 new", "started:manual", "finished:0 new")

	// The first shop now polls every 10 minutes; the second keeps its hour.
	sh := e.shop
	sh.PollInterval = 10 * time.Minute
	if err := e.b.UpdateShop(sh); err != nil {
		t.Fatal(err)
	}
	if err := m.Refresh(); err != nil {
		t.Fatal(err)
	}
	e.expect(3)
	e.step(t0.Add(10*time.Minute), 3, "started:schedule", "finished:0 new")
	if st, err := m.Status(sh.ID); err != nil || !st.Next.Equal(t0.Add(20*time.Minute)) {
		t.Errorf("status %+v, %v", st, err)
	}

	if err := e.b.RemoveShop(sh2.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := m.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Service(sh2.ID); ok {
		t.Error("the removed shop still has a service")
	}
	if _, err := m.SyncNow(ctx, sh2.ID); !errors.Is(err, autosync.ErrNotServing) {
		t.Errorf("SyncNow of a removed shop: %v", err)
	}
	e.step(t0.Add(20*time.Minute), 2, "started:schedule", "finished:0 new")

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("Serve did not return")
	}
	if n := leftGoroutines(before); n > 0 {
		t.Errorf("%d goroutines of autosync left running", n)
	}
	if e.clk.Timers() != 0 {
		t.Errorf("%d timers left armed", e.clk.Timers())
	}
}
