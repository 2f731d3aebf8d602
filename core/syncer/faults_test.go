package syncer_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestFaults runs a first import against a misbehaving shop. Each fault
// must end in a completed sync (retried or read through) or in a typed
// error with a plain sentence; either way nothing half-done is kept: a
// later sync without the fault leaves the books equal to the shop.
func TestFaults(t *testing.T) {
	cases := []struct {
		name     string
		faults   woosim.FaultConfig
		dialects []ledger.Dialect
		fails    woo.Kind // 0: the sync completes
		sentence string
	}{
		{name: "server errors", faults: woosim.FaultConfig{ServerErrorRate: 0.3}},
		{name: "rate limited", faults: woosim.FaultConfig{RateLimitEvery: 3, RetryAfter: 2}},
		{name: "connection resets", faults: woosim.FaultConfig{ResetRate: 0.25}},
		{name: "truncated bodies", faults: woosim.FaultConfig{TruncateRate: 0.25}},
		{name: "latency", faults: woosim.FaultConfig{Latency: 20 * time.Millisecond, LatencyJitter: 20 * time.Millisecond}},
		{name: "php notices", faults: woosim.FaultConfig{PHPNoticeRate: 1}},
		{name: "byte order marks", faults: woosim.FaultConfig{BOMRate: 1}},
		{name: "html page with 200", faults: woosim.FaultConfig{HTMLPageRate: 0.2}, fails: woo.KindBadPayload,
			sentence: "the shop answered with a web page instead of data"},
		{name: "always overloaded", faults: woosim.FaultConfig{ServerErrorRate: 1}, fails: woo.KindServer,
			sentence: "The shop had an internal error"},
	}
	for _, c := range cases {
		for _, dialect := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
			t.Run(c.name+" "+string(dialect), func(t *testing.T) {
				f := newFixture(t, 300)
				c.faults.Seed = 3
				if err := f.srv.Sim.Faults().Set(c.faults); err != nil {
					t.Fatal(err)
				}
				var mu sync.Mutex
				var waits []time.Duration
				client, err := woo.New(woo.Config{URL: f.srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: dialect,
					Retry: woo.Retry{Attempts: 6, Base: time.Millisecond, Max: 4 * time.Millisecond,
						Sleep: func(ctx context.Context, d time.Duration) error {
							mu.Lock()
							waits = append(waits, d)
							mu.Unlock()
							return nil
						}}})
				if err != nil {
					t.Fatal(err)
				}
				before := committedCursor(t, f)
				res, err := syncer.Pass(context.Background(), f.st, f.shop, client, syncer.Options{PerPage: 40})
				outcome := "completed"
				if err != nil {
					outcome = "stopped: " + books.UserMessage(err)
				}
				// The figures docs/RELIABILITY.md quotes.
				t.Logf("%s, %s: %s; %d page requests, %d retries, %d orders committed", c.name, dialect, outcome,
					res.Requests, len(waits), res.New)
				switch {
				case c.fails == 0 && err != nil:
					t.Fatalf("sync failed: %v", err)
				case c.fails == 0:
					f.assertMirrors(t)
				case woo.KindOf(err) != c.fails:
					t.Fatalf("err = %v, want a %s error", err, c.fails)
				case !strings.Contains(books.UserMessage(err), c.sentence):
					t.Fatalf("sentence %q lacks %q", books.UserMessage(err), c.sentence)
				}
				if c.faults.RateLimitEvery > 0 && !contains(waits, 2*time.Second) {
					t.Errorf("Retry-After: 2 was not honoured; waits %v", waits)
				}
				if after := committedCursor(t, f); after.Before(before) {
					t.Fatalf("cursor went back from %s to %s", before, after)
				}
				f.srv.Sim.Faults().Set(woosim.FaultConfig{})
				f.pass(t, client)
				f.assertMirrors(t)
			})
		}
	}
}

func committedCursor(t *testing.T, f *fixture) time.Time {
	t.Helper()
	st, err := f.st.SyncState(f.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	return st.Cursor
}

func contains(ds []time.Duration, d time.Duration) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}
