package store

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// dump is every order-related entry of the store, with history times
// blanked (they are the time of the write).
func dump(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketOrders, bucketRaw, bucketHistory, bucketByCreated, bucketByShop, bucketSync, bucketSearch} {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				val := string(v)
				switch string(name) {
				case string(bucketOrders):
					var o ledger.Order
					if err := decodeOrder(v, &o); err != nil {
						return err
					}
					val = fmt.Sprintf("%+v", o)
				case string(bucketRaw):
					raw, err := decodeRaw(v)
					if err != nil {
						return err
					}
					val = string(raw)
				case string(bucketHistory):
					var ch ledger.StatusChange
					if err := decodeJSON(v, &ch); err != nil {
						return err
					}
					ch.At = time.Time{}
					val = fmt.Sprintf("%+v", ch)
				}
				out[string(name)+"/"+fmt.Sprintf("%x", k)] = val
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPrepareMatchesApplyOrders applies the same pages to two stores, one
// with ApplyOrders and one with Prepare and ApplyPrepared, with the store
// changing between Prepare and ApplyPrepared (pages that overlap, prepared
// before the page they overlap is written; a reassigned order; a changed
// shop stamp): the counts and the stored entries must be the same.
func TestPrepareMatchesApplyOrders(t *testing.T) {
	a, b := openTest(t), openTest(t)
	var shops [2]ledger.Shop
	for i, s := range []*Store{a, b} {
		wh := mustWarehouse(t, s, "W1")
		mustWarehouse(t, s, "W2")
		cc := mustCostCenter(t, s, "C1")
		shops[i] = mustShop(t, s, ledger.Shop{Name: "Demo", Warehouse: wh.ID, CostCenter: cc.ID})
	}
	g := newOrderGen(11)
	base := g.orders(shops[0].ID, 1, 250, t0, time.Minute)
	bump := func(os []ledger.Order, d time.Duration, status ledger.Status) []ledger.Order {
		out := append([]ledger.Order(nil), os...)
		for i := range out {
			out[i].Modified = out[i].Modified.Add(d)
			if status != "" {
				out[i].Status = status
			}
		}
		return out
	}
	noRaw := bump(base[40:60], 2*time.Hour, "")
	for i := range noRaw {
		noRaw[i].Raw = nil
	}
	// Each step is a batch of pages committed together; the pages of a
	// batch are prepared before the batch before it is written.
	steps := []struct {
		pages  [][]ledger.Order
		before func(s *Store, sh ledger.Shop) // runs after Prepare, before the write
	}{
		{pages: [][]ledger.Order{base[:100], base[90:200]}},
		{pages: [][]ledger.Order{base[150:250]}},
		{pages: [][]ledger.Order{base[:100]}}, // all unchanged
		{pages: [][]ledger.Order{bump(base[:30], time.Hour, ledger.StatusCompleted), bump(base[:10], -time.Hour, "")}}, // updated, then stale
		{pages: [][]ledger.Order{bump(base[30:40], 0, ledger.StatusCancelled)}},                                        // same time, other content
		{pages: [][]ledger.Order{noRaw}},
		{pages: [][]ledger.Order{bump(base[60:80], time.Hour, "")}, before: func(s *Store, sh ledger.Shop) {
			if err := s.Reassign(ledger.OrderKey{Shop: sh.ID, ID: 65}, sh.Warehouse+1, 0); err != nil {
				t.Fatal(err)
			}
			if err := s.MarkDeleted(ledger.OrderKey{Shop: sh.ID, ID: 70}, ledger.SourceManual, t0); err != nil {
				t.Fatal(err)
			}
		}},
		{pages: [][]ledger.Order{g.orders(shops[0].ID, 251, 20, t0.Add(300*time.Minute), time.Minute)}, before: func(s *Store, sh ledger.Shop) {
			sh.Warehouse++
			if err := s.UpdateShop(sh); err != nil {
				t.Fatal(err)
			}
		}},
	}
	var prepared []*Prepared
	prepare := func(pages [][]ledger.Order) []*Prepared {
		var out []*Prepared
		for _, p := range pages {
			pp, err := b.Prepare(shops[1].ID, p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, pp)
		}
		return out
	}
	prepared = prepare(steps[0].pages)
	for n, step := range steps {
		cursor := t0.Add(time.Duration(n) * time.Hour)
		var want []ApplyResult
		if step.before != nil {
			step.before(a, shops[0])
		}
		for _, p := range step.pages {
			r, err := a.ApplyOrders(shops[0].ID, p, ledger.SourcePoll, cursor)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, r)
		}
		if step.before != nil {
			step.before(b, shops[1])
		}
		next := []*Prepared(nil)
		if n+1 < len(steps) && steps[n+1].before == nil {
			next = prepare(steps[n+1].pages) // before this step is written
		}
		got, err := b.ApplyPrepared(prepared, ledger.SourcePoll, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("step %d: ApplyPrepared %v, ApplyOrders %v", n, got, want)
		}
		if next == nil && n+1 < len(steps) {
			next = prepare(steps[n+1].pages)
		}
		prepared = next
	}
	da, db := dump(t, a), dump(t, b)
	if len(da) != len(db) {
		t.Fatalf("%d entries after ApplyOrders, %d after ApplyPrepared", len(da), len(db))
	}
	for k, v := range da {
		if db[k] != v {
			t.Fatalf("%s differs:\nApplyOrders   %s\nApplyPrepared %s", k, v, db[k])
		}
	}
}

func TestApplyPreparedChecks(t *testing.T) {
	s := openTest(t)
	sh1 := mustShop(t, s, ledger.Shop{Name: "One"})
	sh2 := mustShop(t, s, ledger.Shop{Name: "Two"})
	if _, err := s.Prepare(sh1.ID, []ledger.Order{{ID: 0}}); err == nil {
		t.Error("Prepare accepted an order without an id")
	}
	if _, err := s.Prepare(999, []ledger.Order{{ID: 1}}); err == nil {
		t.Error("Prepare accepted an unknown shop")
	}
	p1, _ := s.Prepare(sh1.ID, []ledger.Order{{ID: 1, Modified: t0}})
	p2, _ := s.Prepare(sh2.ID, []ledger.Order{{ID: 1, Modified: t0}})
	if _, err := s.ApplyPrepared([]*Prepared{p1, p2}, ledger.SourcePoll, time.Time{}); err == nil {
		t.Error("ApplyPrepared accepted pages of two shops")
	}
	before := txID(t, s)
	res, err := s.ApplyPrepared([]*Prepared{p1, p1}, ledger.SourcePoll, t0)
	if err != nil || res[0].New != 1 || res[1].Unchanged != 1 {
		t.Fatalf("ApplyPrepared = %v, %v; want one new, then unchanged", res, err)
	}
	if st, _ := s.SyncState(sh1.ID); !st.Cursor.Equal(t0) {
		t.Errorf("cursor %v, want %v", st.Cursor, t0)
	}
	if _, err := s.ApplyPrepared([]*Prepared{p1}, ledger.SourcePoll, t0); err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before+1 {
		t.Error("applying an unchanged page again committed a transaction")
	}
	if raw, err := s.Order(ledger.OrderKey{Shop: sh1.ID, ID: 1}); err != nil || !bytes.Equal(raw.Raw, nil) {
		t.Errorf("order without payload: %v %q", err, raw.Raw)
	}
}
