package autosync_test

import (
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestScheduledVerification: a scheduled poll runs the daily verification
// when it is due (here: none for two days, so whatever the hour), which
// corrects an order changed without a new date_modified; the next poll
// does not verify again.
func TestScheduledVerification(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 20}, nil)
	e.serve(e.options())
	e.expect(1, "started:start", "finished:20 new")
	if err := e.sim.SilentlyChange(1, func(o *woosim.Silent) { o.TransactionID = "txn-found-later" }); err != nil {
		t.Fatal(err)
	}
	t0 := e.clk.Now()
	if err := e.b.UpdateSyncState(e.shop.ID, func(s *ledger.SyncState) { s.LastVerified = t0.Add(-49 * time.Hour) }); err != nil {
		t.Fatal(err)
	}
	key := ledger.OrderKey{Shop: e.shop.ID, ID: 1}
	e.step(t0.Add(time.Hour), 1, "started:schedule", "finished:0 new")
	if o, err := e.b.Order(key); err != nil || o.TransactionID != "txn-found-later" {
		t.Fatalf("after the scheduled pass: transaction %q (%v)", o.TransactionID, err)
	}
	if st := e.state(); !st.LastVerified.Equal(t0.Add(time.Hour)) {
		t.Fatalf("LastVerified = %s, want %s", st.LastVerified, t0.Add(time.Hour))
	}
	if err := e.sim.SilentlyChange(1, func(o *woosim.Silent) { o.TransactionID = "txn-next-day" }); err != nil {
		t.Fatal(err)
	}
	e.step(t0.Add(2*time.Hour), 1, "started:schedule", "finished:0 new")
	if o, _ := e.b.Order(key); o.TransactionID != "txn-found-later" {
		t.Fatalf("a second verification ran within the day: transaction %q", o.TransactionID)
	}
}

// TestVerificationAtStartAfterRestore: a shop asked to be verified (after
// a restore) is verified after the pass at start, whatever the hour.
func TestVerificationAtStartAfterRestore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 20}, nil)
	if err := e.b.UpdateSyncState(e.shop.ID, func(s *ledger.SyncState) { s.VerifyDue = true }); err != nil {
		t.Fatal(err)
	}
	e.serve(e.options())
	e.expect(1, "started:start", "finished:20 new")
	st := e.state()
	if st.VerifyDue || !st.LastVerified.Equal(e.clk.Now()) {
		t.Fatalf("after the start: VerifyDue %v, LastVerified %s", st.VerifyDue, st.LastVerified)
	}
}
