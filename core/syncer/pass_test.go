package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// fixture is a real store in a temp dir, a shop in it, and a woosim serving
// that shop over loopback HTTP.
type fixture struct {
	st     *store.Store
	shop   ledger.Shop
	srv    *woosim.Server
	client *woo.Client
}

func newFixture(t *testing.T, orders int) *fixture {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "books.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wh, err := st.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := st.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := woosim.Start(woosim.Options{Orders: orders, Seed: 7}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	shop, err := st.CreateShop(ledger.Shop{Name: "Sim", URL: srv.URL, Warehouse: wh.ID, CostCenter: cc.ID})
	if err != nil {
		t.Fatal(err)
	}
	c, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{st: st, shop: shop, srv: srv, client: c}
}

func (f *fixture) pass(t *testing.T, src syncer.Source) syncer.Result {
	t.Helper()
	if src == nil {
		src = f.client
	}
	res, err := syncer.Pass(context.Background(), f.st, f.shop, src, syncer.Options{})
	if err != nil {
		t.Fatalf("pass: %v", err)
	}
	return res
}

// assertMirrors checks that the store holds exactly the simulator's orders.
func (f *fixture) assertMirrors(t *testing.T) {
	t.Helper()
	want := f.srv.Sim.Snapshot()
	n, err := f.st.CountOrders(store.OrderFilter{Shop: f.shop.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Fatalf("store holds %d orders, shop has %d", n, len(want))
	}
	for _, w := range want {
		o, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: w.ID})
		if err != nil {
			t.Fatalf("order %d: %v", w.ID, err)
		}
		if string(o.Status) != w.Status || o.Total.String() != w.Total || o.Number != w.Number || o.Currency != w.Currency {
			t.Fatalf("order %d = %s %s %s, shop has %s %s %s", w.ID, o.Status, o.Total, o.Currency, w.Status, w.Total, w.Currency)
		}
		if o.Warehouse != f.shop.Warehouse || o.CostCenter != f.shop.CostCenter {
			t.Fatalf("order %d stamped %d/%d, want %d/%d", w.ID, o.Warehouse, o.CostCenter, f.shop.Warehouse, f.shop.CostCenter)
		}
	}
}

func TestSyncEndToEnd(t *testing.T) {
	f := newFixture(t, 1000)

	first := f.pass(t, nil)
	if first.New != 1000 || first.Updated != 0 {
		t.Fatalf("first sync: %+v, want 1000 new", first.ApplyResult)
	}
	f.assertMirrors(t)

	// Change 10 statuses in the shop: the next sync updates exactly those.
	changed := map[int64]string{}
	for i := int64(1); i <= 10; i++ {
		id := i * 97
		before := f.srv.Sim.Snapshot()[id-1].Status
		to := "completed"
		if before == "completed" {
			to = "refunded"
		}
		if err := f.srv.Sim.SetStatus(id, to); err != nil {
			t.Fatal(err)
		}
		changed[id] = before
	}
	second := f.pass(t, nil)
	if second.Updated != 10 || second.New != 0 || second.StatusChanged != 10 {
		t.Fatalf("second sync: %+v, want exactly 10 updated with status changes", second.ApplyResult)
	}
	if second.Requests != 1 {
		t.Errorf("second sync took %d requests, want 1", second.Requests)
	}
	f.assertMirrors(t)
	for id, before := range changed {
		h, err := f.st.History(ledger.OrderKey{Shop: f.shop.ID, ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || string(h[1].From) != before || h[1].Source != ledger.SourcePoll {
			t.Fatalf("order %d history = %+v, want first sighting then %s → new", id, h, before)
		}
	}

	third := f.pass(t, nil)
	if third.New != 0 || third.Updated != 0 || third.StatusChanged != 0 || third.Requests != 1 {
		t.Fatalf("third sync changed something: %+v (%d requests)", third.ApplyResult, third.Requests)
	}
	state, _ := f.st.SyncState(f.shop.ID)
	if state.LastSuccess.IsZero() || state.LastError != "" {
		t.Errorf("sync state after success: %+v", state)
	}
}

// changingSource modifies orders in the shop between page requests, as a
// busy shop does during a long import.
type changingSource struct {
	inner  syncer.Source
	sim    *woosim.Sim
	calls  int
	change func(call int, sim *woosim.Sim)
}

func (c *changingSource) ListOrders(ctx context.Context, opt woo.ListOptions) (*woo.OrderPage, error) {
	c.calls++
	c.change(c.calls, c.sim)
	return c.inner.ListOrders(ctx, opt)
}

// TestPassMissesNothingWhileShopChanges modifies already-read orders during
// the pass; page-number paging would then skip the orders that shift onto
// pages already read.
func TestPassMissesNothingWhileShopChanges(t *testing.T) {
	f := newFixture(t, 1000)
	src := &changingSource{inner: f.client, sim: f.srv.Sim, change: func(call int, sim *woosim.Sim) {
		if call > 1 && call < 8 {
			for i := range int64(3) {
				sim.SetStatus(int64(call)*10+i, "on-hold") // orders on the first pages
			}
			sim.AddOrders(2)
		}
	}}
	f.pass(t, src)
	f.pass(t, nil) // the orders changed during the first pass come in the next
	f.assertMirrors(t)
}

func TestPassResumesAfterFailure(t *testing.T) {
	f := newFixture(t, 450)
	failing := &failAfter{inner: f.client, n: 3}
	if _, err := syncer.Pass(context.Background(), f.st, f.shop, failing, syncer.Options{}); err == nil {
		t.Fatal("pass with a failing source succeeded")
	}
	n, _ := f.st.CountOrders(store.OrderFilter{Shop: f.shop.ID})
	if n < 250 || n >= 450 {
		t.Fatalf("after 3 good pages the store holds %d orders, want those pages committed", n)
	}
	state, _ := f.st.SyncState(f.shop.ID)
	if state.LastError == "" {
		t.Error("the failure is not recorded in the sync state")
	}
	res := f.pass(t, nil)
	if res.New != 450-n {
		t.Errorf("resumed pass: %+v, want the %d missing orders new", res.ApplyResult, 450-n)
	}
	f.assertMirrors(t)
}

type failAfter struct {
	inner syncer.Source
	n     int
}

func (f *failAfter) ListOrders(ctx context.Context, opt woo.ListOptions) (*woo.OrderPage, error) {
	if f.n == 0 {
		return nil, &woo.Error{Op: "list orders", Kind: woo.KindServer, Status: 503}
	}
	f.n--
	return f.inner.ListOrders(ctx, opt)
}

func TestPassCancelled(t *testing.T) {
	f := newFixture(t, 300)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := syncer.Pass(ctx, f.st, f.shop, f.client, syncer.Options{}); err == nil {
		t.Fatal("cancelled pass returned no error")
	}
	state, _ := f.st.SyncState(f.shop.ID)
	if state.LastError != "" {
		t.Errorf("a cancel is recorded as an error: %q", state.LastError)
	}
}

func TestPassImportFrom(t *testing.T) {
	f := newFixture(t, 500)
	f.shop.ImportFrom = time.Now().AddDate(0, -2, 0)
	res := f.pass(t, nil)
	if res.New == 0 || res.New >= 500 {
		t.Fatalf("import from two months ago brought %d of 500 orders", res.New)
	}
	bad := 0
	f.st.EachOrder(store.OrderFilter{Shop: f.shop.ID}, func(o *ledger.Order) error {
		if o.Created.Before(f.shop.ImportFrom) {
			bad++
		}
		return nil
	})
	if bad > 0 {
		t.Errorf("%d orders created before the import date were imported", bad)
	}
}

// TestScanForShopsWithoutModifiedAfter syncs a WooCommerce 5.7 shop, which
// ignores modified_after: the keyset pass notices and stops, and scans
// catch new orders and status changes of recent and (daily) old orders.
func TestScanForShopsWithoutModifiedAfter(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "books.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	wh, _ := st.CreateWarehouse(ledger.Warehouse{Code: "W", Name: "W"})
	cc, _ := st.CreateCostCenter(ledger.CostCenter{Code: "C", Name: "C"})
	srv, err := woosim.Start(woosim.Options{Orders: 400, Seed: 9, WCVersion: "5.7.0", LegacyEnabled: woosim.Off}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	shop, _ := st.CreateShop(ledger.Shop{Name: "Old", URL: srv.URL, Warehouse: wh.ID, CostCenter: cc.ID})
	c, _ := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	f := &fixture{st: st, shop: shop, srv: srv, client: c}

	// A first pass with a cursor sees the filter ignored.
	st.UpdateSyncState(shop.ID, func(s *ledger.SyncState) { s.Cursor = time.Now().Add(-time.Hour) })
	if _, err := syncer.Pass(context.Background(), st, shop, c, syncer.Options{}); !errors.Is(err, syncer.ErrFilterIgnored) {
		t.Fatalf("pass on a 5.7 shop: %v, want ErrFilterIgnored", err)
	}
	f.shop.ModifiedAfterIgnored = true
	now := time.Now()
	opts := syncer.Options{Now: func() time.Time { return now }}
	run := func() syncer.Result {
		t.Helper()
		res, err := syncer.Pass(context.Background(), st, f.shop, c, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := run(); !res.FullScan || res.New != 400 {
		t.Fatalf("first scan: %+v, want a full scan with 400 new", res)
	}
	f.assertMirrors(t)

	srv.Sim.AddOrders(3)
	snap := srv.Sim.Snapshot()
	newest := snap[len(snap)-4].ID // created recently
	srv.Sim.SetStatus(newest, "cancelled")
	srv.Sim.SetStatus(1, "cancelled") // the oldest order
	res := run()
	if res.FullScan || res.New != 3 || res.Updated != 1 || res.Requests >= 5 {
		t.Fatalf("recent scan: %+v (%d requests), want 3 new and 1 updated from a short read", res.ApplyResult, res.Requests)
	}
	now = now.Add(25 * time.Hour)
	if res := run(); !res.FullScan || res.Updated != 1 {
		t.Fatalf("next day's full scan: %+v, want the old order's change", res)
	}
	f.assertMirrors(t)
}

// recordingSource remembers the orders of each page it returned, in order.
type recordingSource struct {
	inner syncer.Source
	mu    sync.Mutex
	pages [][]int64
	fail  int // fail the request after this many pages (0: never)
}

func (r *recordingSource) ListOrders(ctx context.Context, opt woo.ListOptions) (*woo.OrderPage, error) {
	r.mu.Lock()
	n := len(r.pages)
	r.mu.Unlock()
	if r.fail > 0 && n == r.fail {
		return nil, &woo.Error{Op: "list orders", Kind: woo.KindServer, Status: 503}
	}
	p, err := r.inner.ListOrders(ctx, opt)
	if err == nil {
		ids := make([]int64, len(p.Orders))
		for i, o := range p.Orders {
			ids[i] = o.ID
		}
		r.mu.Lock()
		r.pages = append(r.pages, ids)
		r.mu.Unlock()
	}
	return p, err
}

// checkingStore is the real store, slowed down at each commit so that
// pages pile up behind it, and checking what a pass commits: pages in the
// order they were read, and a cursor that never passes an order not yet
// committed.
type checkingStore struct {
	*store.Store
	t         *testing.T
	src       *recordingSource
	delay     time.Duration
	committed []int64 // order ids in commit order
	modified  map[int64]time.Time
	cursor    time.Time
	commits   int
	maxBatch  int
	// pagesCommitted counts the pages of src.pages committed.
	pagesCommitted int
}

func (c *checkingStore) ApplyPrepared(pages []*store.Prepared, src ledger.Source, cursor time.Time) ([]store.ApplyResult, error) {
	time.Sleep(c.delay)
	res, err := c.Store.ApplyPrepared(pages, src, cursor)
	if err != nil {
		return res, err
	}
	c.commits++
	c.maxBatch = max(c.maxBatch, len(pages))
	c.src.mu.Lock()
	read := c.src.pages
	c.src.mu.Unlock()
	for range pages {
		c.committed = append(c.committed, read[c.pagesCommitted]...)
		c.pagesCommitted++
	}
	var newest time.Time
	for _, id := range c.committed {
		o, err := c.Store.Order(ledger.OrderKey{Shop: 1, ID: id})
		if err != nil {
			c.t.Errorf("committed order %d is not in the store: %v", id, err)
			continue
		}
		if o.Modified.After(newest) {
			newest = o.Modified
		}
	}
	if cursor.After(newest) || cursor.Before(c.cursor) {
		c.t.Errorf("cursor moved from %v to %v; newest committed order %v", c.cursor, cursor, newest)
	}
	c.cursor = cursor
	return res, nil
}

// TestPassConcurrency imports a shop that changes during the pass with
// several pages prepared at once and commits slower than fetches: nothing
// is missed, pages commit in the order they were read (several to a
// transaction), and a failure keeps every page read before it.
func TestPassConcurrency(t *testing.T) {
	for _, conc := range []int{1, 2, 4} {
		t.Run(fmt.Sprint("concurrency ", conc), func(t *testing.T) {
			f := newFixture(t, 1500)
			changing := &changingSource{inner: f.client, sim: f.srv.Sim, change: func(call int, sim *woosim.Sim) {
				if call > 1 && call < 10 {
					for i := range int64(3) {
						sim.SetStatus(int64(call)*10+i, "on-hold")
					}
					sim.AddOrders(2)
				}
			}}
			rec := &recordingSource{inner: changing}
			cs := &checkingStore{Store: f.st, t: t, src: rec, delay: 30 * time.Millisecond}
			res, err := syncer.Pass(context.Background(), cs, f.shop, rec, syncer.Options{Concurrency: conc})
			if err != nil {
				t.Fatal(err)
			}
			var read []int64
			for _, p := range rec.pages {
				read = append(read, p...)
			}
			if !slices.Equal(cs.committed, read) {
				t.Fatalf("committed %d orders in another order than the %d read", len(cs.committed), len(read))
			}
			if res.Requests != len(rec.pages) {
				t.Errorf("%d requests reported, %d made", res.Requests, len(rec.pages))
			}
			if cs.maxBatch < 2 {
				t.Errorf("with slow commits, at most %d page per transaction (%d commits)", cs.maxBatch, cs.commits)
			}
			f.pass(t, nil)
			f.assertMirrors(t)
		})
	}
	t.Run("failure", func(t *testing.T) {
		f := newFixture(t, 1500)
		rec := &recordingSource{inner: f.client, fail: 9}
		cs := &checkingStore{Store: f.st, t: t, src: rec, delay: 30 * time.Millisecond}
		if _, err := syncer.Pass(context.Background(), cs, f.shop, rec, syncer.Options{Concurrency: 4}); woo.KindOf(err) != woo.KindServer {
			t.Fatalf("err = %v, want the server error", err)
		}
		seen := map[int64]bool{}
		for _, p := range rec.pages {
			for _, id := range p {
				seen[id] = true
			}
		}
		if n, _ := f.st.CountOrders(store.OrderFilter{Shop: f.shop.ID}); n != len(seen) || len(rec.pages) != 9 {
			t.Fatalf("after %d pages read the store holds %d orders, want the %d read", len(rec.pages), n, len(seen))
		}
		f.pass(t, nil)
		f.assertMirrors(t)
	})
}

// fetchingSource is a changingSource that also fetches pages undecoded, as
// *woo.Client does, so a pass decodes them on its workers.
type fetchingSource struct {
	changingSource
	client *woo.Client
	mu     sync.Mutex
	pages  int
}

func (f *fetchingSource) FetchOrders(ctx context.Context, opt woo.ListOptions) (*woo.FetchedPage, error) {
	f.mu.Lock()
	f.calls++
	f.change(f.calls, f.sim)
	f.pages++
	f.mu.Unlock()
	return f.client.FetchOrders(ctx, opt)
}

// TestPassDecodesOnWorkers imports a changing shop whose pages the pass
// decodes on its workers, with slow commits that gather several pages:
// nothing is missed.
func TestPassDecodesOnWorkers(t *testing.T) {
	f := newFixture(t, 1500)
	src := &fetchingSource{client: f.client, changingSource: changingSource{inner: f.client, sim: f.srv.Sim, change: func(call int, sim *woosim.Sim) {
		if call > 1 && call < 10 {
			for i := range int64(3) {
				sim.SetStatus(int64(call)*10+i, "on-hold")
			}
			sim.AddOrders(2)
		}
	}}}
	slow := &slowStore{Store: f.st, delay: 30 * time.Millisecond}
	res, err := syncer.Pass(context.Background(), slow, f.shop, src, syncer.Options{Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	if src.pages == 0 || res.Requests != src.pages || slow.maxBatch < 2 {
		t.Fatalf("%d pages fetched undecoded, %d requests reported, at most %d pages per commit", src.pages, res.Requests, slow.maxBatch)
	}
	f.pass(t, nil)
	f.assertMirrors(t)
}

// slowStore is the real store with slow commits.
type slowStore struct {
	*store.Store
	delay    time.Duration
	maxBatch int
}

func (s *slowStore) ApplyPrepared(pages []*store.Prepared, src ledger.Source, cursor time.Time) ([]store.ApplyResult, error) {
	time.Sleep(s.delay)
	s.maxBatch = max(s.maxBatch, len(pages))
	return s.Store.ApplyPrepared(pages, src, cursor)
}
