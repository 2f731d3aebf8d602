package syncer_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// idleHTTP are the goroutines of kept-alive loopback connections, which
// outlive a pass by design.
var idleHTTP = []goleak.Option{
	goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
	goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
	goleak.IgnoreAnyFunction("net/http.(*conn).serve"),
}

// failingCommits is the real store whose commits fail from the nth on.
type failingCommits struct {
	*store.Store
	n       int
	commits atomic.Int32
}

var errDiskFull = errors.New("disk full")

func (s *failingCommits) ApplyPrepared(pages []*store.Prepared, src ledger.Source, cursor time.Time) ([]store.ApplyResult, error) {
	if int(s.commits.Add(1)) >= s.n {
		return nil, errDiskFull
	}
	time.Sleep(150 * time.Millisecond) // pages pile up behind the commit
	return s.Store.ApplyPrepared(pages, src, cursor)
}

// TestStagesStop: whatever ends a pass — the end of the list, a failed
// commit with pages waiting behind it, a failed request, or a cancel from
// the progress callback — Pass returns with every stage stopped (no
// goroutine left), keeps the pages committed before, and returns the
// error of its class.
func TestStagesStop(t *testing.T) {
	cases := []struct {
		name string
		run  func(f *fixture) (syncer.Result, error)
		want func(error) bool
	}{
		{"completed", func(f *fixture) (syncer.Result, error) {
			return syncer.Pass(context.Background(), f.st, f.shop, f.client, syncer.Options{PerPage: 20})
		}, func(err error) bool { return err == nil }},
		{"commit fails", func(f *fixture) (syncer.Result, error) {
			st := &failingCommits{Store: f.st, n: 2}
			return syncer.Pass(context.Background(), st, f.shop, f.client, syncer.Options{PerPage: 20, Concurrency: 3})
		}, func(err error) bool { return errors.Is(err, errDiskFull) }},
		{"request fails", func(f *fixture) (syncer.Result, error) {
			src := &failAfter{inner: f.client, n: 4}
			return syncer.Pass(context.Background(), f.st, f.shop, src, syncer.Options{PerPage: 20})
		}, func(err error) bool { return woo.KindOf(err) == woo.KindServer }},
		{"cancelled", func(f *fixture) (syncer.Result, error) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			return syncer.Pass(ctx, f.st, f.shop, f.client, syncer.Options{PerPage: 20,
				Progress: func(syncer.Progress) { cancel() }})
		}, func(err error) bool { return errors.Is(err, context.Canceled) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, 300)
			before := goleak.IgnoreCurrent()
			res, err := c.run(f)
			if !c.want(err) {
				t.Fatalf("Pass = %v", err)
			}
			goleak.VerifyNone(t, append(idleHTTP, before)...)
			n, cerr := f.st.CountOrders(store.OrderFilter{Shop: f.shop.ID})
			if cerr != nil {
				t.Fatal(cerr)
			}
			if n != res.New || (c.name != "completed" && n == 0) {
				t.Errorf("the store holds %d orders; the pass reports %d committed", n, res.New)
			}
			if st, _ := f.st.SyncState(f.shop.ID); !st.Cursor.Equal(res.Cursor) {
				t.Errorf("cursor %v, pass reports %v", st.Cursor, res.Cursor)
			}
			f.pass(t, nil)
			f.assertMirrors(t)
		})
	}
}
