package verify_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/verify"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

var dialects = []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3}

// fixture is a real store in a temp dir, a shop in it, and a woosim
// serving that shop over loopback HTTP behind a request counter.
type fixture struct {
	st     *store.Store
	shop   ledger.Shop
	sim    *woosim.Sim
	client *woo.Client

	mu   sync.Mutex
	reqs []string // "GET /wp-json/wc/v3/orders?..." in order

	round int // BenchmarkVerify's passes so far
}

func newFixture(t testing.TB, d ledger.Dialect, orders int, metaKeys ...string) *fixture {
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
	f := &fixture{st: st, sim: woosim.New(woosim.Options{Orders: orders, Seed: 11})}
	h := f.sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Method+" "+r.URL.RequestURI())
		f.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.shop, err = st.CreateShop(ledger.Shop{Name: "Sim", URL: srv.URL, Warehouse: wh.ID, CostCenter: cc.ID,
		Dialect: d, MetaKeys: metaKeys})
	if err != nil {
		t.Fatal(err)
	}
	f.client, err = woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: d,
		Retry: woo.Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// requests returns the requests made since the last call.
func (f *fixture) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.reqs
	f.reqs = nil
	return r
}

func (f *fixture) sync(t testing.TB) syncer.Result {
	t.Helper()
	res, err := syncer.Pass(context.Background(), f.st, f.shop, f.client, syncer.Options{})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func (f *fixture) verify(t *testing.T, opt verify.Options) verify.Report {
	t.Helper()
	rep, err := verify.Run(context.Background(), f.st, f.shop, f.client, opt)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

func (f *fixture) order(t *testing.T, id int64) ledger.Order {
	t.Helper()
	o, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// completedOrder finds an order the shop completed, as the silent change
// of its completed date happens on such orders.
func (f *fixture) completedOrder(t *testing.T, skip ...int64) int64 {
	t.Helper()
	for _, s := range f.sim.Snapshot() {
		if s.Status == "completed" && !slices.Contains(skip, s.ID) {
			return s.ID
		}
	}
	t.Fatal("no completed order")
	return 0
}

func TestSilentChangeFoundByVerification(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, 230)
			f.sync(t)
			a := f.completedOrder(t)
			b := f.completedOrder(t, a)
			done := time.Date(2026, 12, 5, 10, 11, 12, 0, time.UTC)
			if err := f.sim.SilentlyChange(a, func(o *woosim.Silent) { o.Completed = done }); err != nil {
				t.Fatal(err)
			}
			if err := f.sim.SilentlyChange(b, func(o *woosim.Silent) { o.Status = "refunded" }); err != nil {
				t.Fatal(err)
			}

			// The incremental sync does not see either change.
			f.sync(t)
			if got := f.order(t, a).Completed; got.Equal(done) {
				t.Fatal("the sync saw the silent change; the test proves nothing")
			}
			if got := f.order(t, b).Status; got == ledger.StatusRefunded {
				t.Fatal("the sync saw the silent status change; the test proves nothing")
			}

			bus := events.NewBus()
			sub := bus.Subscribe()
			rep := f.verify(t, verify.Options{Bus: bus})
			if rep.Differed != 2 || rep.Updated != 2 || rep.New != 0 || len(rep.Gone) != 0 || rep.Compared != 230 {
				t.Fatalf("report %+v", rep)
			}
			if rep.String() != "2 orders differed and were updated" {
				t.Fatalf("report says %q", rep.String())
			}
			if got := f.order(t, a).Completed; !got.Equal(done) {
				t.Fatalf("order %d completed %s after verification, want %s", a, got, done)
			}
			if got := f.order(t, b).Status; got != ledger.StatusRefunded {
				t.Fatalf("order %d status %s after verification", b, got)
			}
			histA, _ := f.st.History(ledger.OrderKey{Shop: f.shop.ID, ID: a})
			last := histA[len(histA)-1]
			if last.Source != ledger.SourceVerification || last.From != last.To || !slices.Contains(last.Changed, verify.FieldCompleted) {
				t.Fatalf("order %d's history ends %+v", a, last)
			}
			histB, _ := f.st.History(ledger.OrderKey{Shop: f.shop.ID, ID: b})
			last = histB[len(histB)-1]
			if last.Source != ledger.SourceVerification || last.From != ledger.StatusCompleted || last.To != ledger.StatusRefunded ||
				!slices.Contains(last.Changed, verify.FieldStatus) {
				t.Fatalf("order %d's history ends %+v", b, last)
			}
			st, _ := f.st.SyncState(f.shop.ID)
			if st.VerifyAfter != 0 || st.VerifyPage != 0 || st.LastVerified.IsZero() {
				t.Fatalf("sync state after a finished pass: %+v", st)
			}
			var finished *events.VerifyFinished
			for finished == nil {
				select {
				case e := <-sub.C:
					if v, ok := e.(events.VerifyFinished); ok {
						finished = &v
					}
				case <-time.After(5 * time.Second):
					t.Fatal("no VerifyFinished event")
				}
			}
			if finished.Updated != 2 || finished.Summary != rep.String() {
				t.Fatalf("VerifyFinished %+v", finished)
			}

			// A second pass finds nothing.
			if rep := f.verify(t, verify.Options{}); rep.Differed != 0 || rep.Updated != 0 {
				t.Fatalf("second pass %+v", rep)
			}
		})
	}
}

func TestUnchangedShopCostsOneSummaryPagePer100(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, 250)
			f.sync(t)
			f.requests()
			rep := f.verify(t, verify.Options{})
			reqs := f.requests()
			if len(reqs) != 3 || rep.Requests != 3 || rep.Pages != 3 || rep.Fetches != 0 || rep.Differed != 0 {
				t.Fatalf("report %+v, requests %q", rep, reqs)
			}
			param := "_fields="
			if d == ledger.DialectLegacyV3 {
				param = "fields="
			}
			for _, r := range reqs {
				if !strings.Contains(r, param) {
					t.Errorf("request %s does not ask for fields", r)
				}
			}
			if rep.String() != "all 250 orders agree with the shop" {
				t.Fatalf("report says %q", rep.String())
			}
		})
	}
}

func TestVerificationResumesAfterCancel(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, 340)
			f.sync(t)
			early, late := int64(5), int64(320)
			for _, id := range []int64{early, late} {
				if err := f.sim.SilentlyChange(id, func(o *woosim.Silent) { o.Status = "cancelled" }); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := verify.Run(ctx, f.st, f.shop, f.client, verify.Options{Progress: func(p verify.Progress) {
				if p.Page == 2 {
					cancel() // as a kill would, after page 2 was recorded
				}
			}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled pass: %v", err)
			}
			st, _ := f.st.SyncState(f.shop.ID)
			if st.VerifyPage != 2 || st.VerifyAfter != 200 {
				t.Fatalf("progress kept: page %d, after id %d", st.VerifyPage, st.VerifyAfter)
			}
			if f.order(t, early).Status != ledger.StatusCancelled || f.order(t, late).Status == ledger.StatusCancelled {
				t.Fatal("the first pass should have corrected only the early order")
			}
			f.requests()
			rep := f.verify(t, verify.Options{})
			if !rep.Resumed || rep.Pages != 3 || rep.Fetches != 1 || rep.Updated != 1 || rep.Compared != 140 {
				t.Fatalf("resumed pass %+v", rep)
			}
			if !strings.Contains(f.requests()[0], "page=2") {
				t.Fatal("the resumed pass did not start again at page 2")
			}
			if f.order(t, late).Status != ledger.StatusCancelled {
				t.Fatal("the resumed pass did not correct the late order")
			}
		})
	}
}

func TestGoneOrdersReportedNotDeleted(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, 220)
			f.sync(t)
			for _, id := range []int64{10, 219} {
				if err := f.sim.DeleteOrder(id); err != nil {
					t.Fatal(err)
				}
			}
			rep := f.verify(t, verify.Options{Progress: func(p verify.Progress) {
				if p.Page == 1 {
					// Deleted on the shop during the pass: order 102 moves
					// onto page 1, already read; it is not gone.
					if err := f.sim.DeleteOrder(50); err != nil {
						t.Error(err)
					}
				}
			}})
			if !slices.Equal(rep.Gone, []int64{10, 219}) || rep.Updated != 0 {
				t.Fatalf("report %+v", rep)
			}
			if !strings.Contains(rep.String(), "orders 10, 219 are no longer in the shop") {
				t.Fatalf("report says %q", rep.String())
			}
			for _, id := range []int64{10, 219, 102} {
				if o := f.order(t, id); o.Deleted || o.Status == "trash" {
					t.Fatalf("order %d changed: deleted %v, status %s", id, o.Deleted, o.Status)
				}
			}
		})
	}
}

func TestMetaKeysCompared(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, 120, "receipt_no")
			if err := f.sim.SilentlyChange(7, func(o *woosim.Silent) { o.Meta["receipt_no"] = "R-1" }); err != nil {
				t.Fatal(err)
			}
			f.sync(t)
			// The legacy sync's payloads carry no meta: the first pass
			// fetches order 7 once with it.
			f.verify(t, verify.Options{})
			if err := f.sim.SilentlyChange(7, func(o *woosim.Silent) { o.Meta["receipt_no"] = "R-2" }); err != nil {
				t.Fatal(err)
			}
			f.sync(t)
			rep := f.verify(t, verify.Options{})
			if rep.Updated != 1 || rep.Fields["meta:receipt_no"] != 1 || rep.String() != "1 order differed and was updated" {
				t.Fatalf("report %+v", rep)
			}
			if m := woo.PayloadMeta(d, f.order(t, 7).Raw); string(m["receipt_no"]) != `"R-2"` {
				t.Fatalf("stored meta %s", m)
			}
			hist, _ := f.st.History(ledger.OrderKey{Shop: f.shop.ID, ID: 7})
			if last := hist[len(hist)-1]; last.Source != ledger.SourceVerification || !slices.Equal(last.Changed, []string{"meta:receipt_no"}) {
				t.Fatalf("order 7's history ends %+v", last)
			}
			if rep := f.verify(t, verify.Options{}); rep.Differed != 0 {
				t.Fatalf("third pass %+v", rep)
			}
		})
	}
}

// TestRefundsFetchedAsSyncDoes: an order the verification fetches because
// its refunds changed gets them with their detail, as a sync would.
func TestRefundsFetchedAsSyncDoes(t *testing.T) {
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d, 60)
			f.sync(t)
			id := f.completedOrder(t)
			// A refund moves date_modified; the verification runs before
			// any sync has seen it.
			if _, err := f.sim.AddRefund(id, woosim.RefundRequest{Amount: "1.00", Reason: "damaged box"}); err != nil {
				t.Fatal(err)
			}
			rep := f.verify(t, verify.Options{})
			if rep.Updated != 1 || rep.RefundFetches != 1 || rep.Requests != rep.Pages+rep.Fetches+1 {
				t.Fatalf("report %+v", rep)
			}
			o := f.order(t, id)
			if len(o.Refunds) == 0 || !o.Refunds[len(o.Refunds)-1].Detailed || o.Refunds[len(o.Refunds)-1].Reason != "damaged box" {
				t.Fatalf("order %d's refunds after verification: %+v", id, o.Refunds)
			}
		})
	}
}
