package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func delivery(shop ledger.ShopID, id, body string, at time.Time) ledger.Delivery {
	return ledger.Delivery{
		Shop: shop, DeliveryID: id, WebhookID: 3, Topic: "order.created", Body: []byte(body), Received: at,
		Headers: map[string]string{"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Delivery-ID": id},
	}
}

func mustAddDelivery(t *testing.T, s *Store, d ledger.Delivery) (ledger.Delivery, bool) {
	t.Helper()
	got, dup, err := s.AddDelivery(d)
	if err != nil {
		t.Fatal(err)
	}
	return got, dup
}

func seqs(ds []ledger.Delivery) []uint64 {
	out := make([]uint64, len(ds))
	for i, d := range ds {
		out[i] = d.Seq
	}
	return out
}

func bucketLen(t *testing.T, s *Store, name []byte) int {
	t.Helper()
	n := 0
	if err := s.db.View(func(tx *bbolt.Tx) error { n = tx.Bucket(name).Stats().KeyN; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAddDeliveryStoresAndDedupes(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	other := mustShop(t, s, ledger.Shop{Name: "Other"})
	at := time.Date(2026, 11, 27, 11, 18, 31, 0, time.FixedZone("CET", 3600))

	d, dup := mustAddDelivery(t, s, delivery(sh.ID, "06bd67eb", `{"id":395}`, at))
	if dup || d.Seq == 0 || d.Status != ledger.DeliveryReceived || !d.Received.Equal(at) || d.Received.Location() != time.UTC {
		t.Fatalf("first add: %+v dup %v", d, dup)
	}
	got, err := s.Delivery(sh.ID, d.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != `{"id":395}` || got.Headers["X-WC-Webhook-Delivery-ID"] != "06bd67eb" || got.WebhookID != 3 ||
		got.Topic != "order.created" || !got.Received.Equal(at) {
		t.Errorf("stored %+v", got)
	}
	if st, _ := s.SyncState(sh.ID); !st.LastDelivery.Equal(at) {
		t.Errorf("LastDelivery = %v, want %v", st.LastDelivery, at)
	}

	// The same Delivery-ID and body again: a repeat, and nothing is written.
	before := txID(t, s)
	again, dup := mustAddDelivery(t, s, delivery(sh.ID, "06bd67eb", `{"id":395}`, at.Add(time.Second)))
	if !dup || again.Seq != d.Seq || string(again.Body) != `{"id":395}` {
		t.Errorf("repeat: %+v dup %v", again, dup)
	}
	if txID(t, s) != before {
		t.Error("a repeat committed a transaction")
	}

	// WooCommerce reuses a Delivery-ID within a second for other orders; a
	// body seen under another Delivery-ID, or the same pair for another
	// shop, is new too.
	for _, c := range []ledger.Delivery{
		delivery(sh.ID, "06bd67eb", `{"id":396}`, at),
		delivery(sh.ID, "ffffffff", `{"id":395}`, at),
		delivery(other.ID, "06bd67eb", `{"id":395}`, at),
		delivery(sh.ID, strings.Repeat("x", 500), `{"id":395}`, at), // a long header is cut in the index only
	} {
		if n, dup := mustAddDelivery(t, s, c); dup || n.Seq <= d.Seq {
			t.Errorf("%s %s of shop %d: dup %v seq %d", c.DeliveryID[:8], c.Body, c.Shop, dup, n.Seq)
		}
	}
	if n := bucketLen(t, s, bucketDeliveries); n != 5 {
		t.Errorf("%d deliveries stored, want 5", n)
	}

	if _, _, err := s.AddDelivery(delivery(99, "x", "{}", at)); !errors.Is(err, ErrNotFound) {
		t.Errorf("delivery for a missing shop: %v", err)
	}
	if _, err := s.Delivery(sh.ID, 12345); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing delivery: %v", err)
	}
}

func TestAddDeliveriesOneCommit(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	before := txID(t, s)
	res, err := s.AddDeliveries([]ledger.Delivery{
		delivery(sh.ID, "a", `{"id":1}`, at),
		delivery(sh.ID, "a", `{"id":2}`, at.Add(2*time.Second)),
		delivery(sh.ID, "a", `{"id":1}`, at.Add(time.Second)), // a repeat of the first, within the batch
		delivery(77, "a", `{"id":1}`, at),
		{Shop: sh.ID, DeliveryID: "b", Body: []byte("x")}, // no time: now
	})
	if err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before+1 {
		t.Errorf("%d transactions, want 1", txID(t, s)-before)
	}
	if res[0].Duplicate || res[1].Duplicate || !res[2].Duplicate || res[2].Delivery.Seq != res[0].Delivery.Seq ||
		!errors.Is(res[3].Err, ErrNotFound) || res[4].Err != nil || res[4].Delivery.Received.IsZero() {
		t.Errorf("results %+v", res)
	}
	if res[1].Delivery.Seq != res[0].Delivery.Seq+1 || res[4].Delivery.Seq != res[1].Delivery.Seq+1 {
		t.Errorf("seqs %d %d %d, want consecutive", res[0].Delivery.Seq, res[1].Delivery.Seq, res[4].Delivery.Seq)
	}
	if st, _ := s.SyncState(sh.ID); !st.LastDelivery.Equal(res[4].Delivery.Received) {
		t.Errorf("LastDelivery = %v, want the latest %v", st.LastDelivery, res[4].Delivery.Received)
	}

	// Only failures and repeats: nothing to commit.
	before = txID(t, s)
	res, err = s.AddDeliveries([]ledger.Delivery{delivery(sh.ID, "a", `{"id":1}`, at), delivery(77, "a", "", at)})
	if err != nil || !res[0].Duplicate || res[1].Err == nil {
		t.Fatalf("%+v, %v", res, err)
	}
	if txID(t, s) != before {
		t.Error("a batch of repeats committed")
	}
}

func TestDeliveriesNewestFirst(t *testing.T) {
	s := openTest(t)
	a := mustShop(t, s, ledger.Shop{Name: "A"})
	b := mustShop(t, s, ledger.Shop{Name: "B"})
	c := mustShop(t, s, ledger.Shop{Name: "C"})
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var all []uint64
	for i := range 7 {
		d, _ := mustAddDelivery(t, s, delivery(b.ID, "id", fmt.Sprintf(`{"id":%d}`, i), at))
		all = append(all, d.Seq)
		mustAddDelivery(t, s, delivery(a.ID, "id", fmt.Sprintf(`{"id":%d}`, i), at))
		mustAddDelivery(t, s, delivery(c.ID, "id", fmt.Sprintf(`{"id":%d}`, i), at))
	}
	slices.Reverse(all)
	for i, seq := range all {
		if i%3 == 0 {
			if err := s.UpdateDelivery(b.ID, seq, func(d *ledger.Delivery) { d.Status = ledger.DeliveryFailed }); err != nil {
				t.Fatal(err)
			}
		}
	}

	got, err := s.Deliveries(b.ID, "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seqs(got), all) {
		t.Errorf("all: %v, want %v", seqs(got), all)
	}
	for _, d := range got {
		if d.Shop != b.ID || d.Body != nil {
			t.Errorf("listed %+v", d)
		}
	}
	got, _ = s.Deliveries(b.ID, "", 3, 0)
	next, _ := s.Deliveries(b.ID, "", 3, got[2].Seq)
	last, _ := s.Deliveries(b.ID, "", 3, next[2].Seq)
	if pages := slices.Concat(seqs(got), seqs(next), seqs(last)); !slices.Equal(pages, all) {
		t.Errorf("paged: %v, want %v", pages, all)
	}
	failed, _ := s.Deliveries(b.ID, ledger.DeliveryFailed, 0, 0)
	if want := []uint64{all[0], all[3], all[6]}; !slices.Equal(seqs(failed), want) {
		t.Errorf("failed: %v, want %v", seqs(failed), want)
	}
	if got, _ := s.Deliveries(99, "", 0, 0); len(got) != 0 {
		t.Errorf("a shop without deliveries lists %v", seqs(got))
	}
	if got, _ := s.Deliveries(c.ID, "", 1, 0); len(got) != 1 || got[0].Shop != c.ID {
		t.Errorf("the last shop's newest: %+v", got)
	}
}

func TestUpdateDelivery(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	d, _ := mustAddDelivery(t, s, delivery(sh.ID, "abc", `{"id":1}`, time.Now()))
	applied := time.Date(2026, 11, 27, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	err := s.UpdateDelivery(sh.ID, d.Seq, func(x *ledger.Delivery) {
		if x.Body != nil {
			t.Error("fn sees the body")
		}
		x.Status, x.Error, x.Applied, x.OrderID = ledger.DeliveryFailed, "boom", applied, 1
		x.Seq, x.Shop, x.DeliveryID, x.Body = 9, 9, "changed", []byte("changed")
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Delivery(sh.ID, d.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != ledger.DeliveryFailed || got.Error != "boom" || !got.Applied.Equal(applied) || got.OrderID != 1 ||
		got.Seq != d.Seq || got.Shop != sh.ID || got.DeliveryID != "abc" || string(got.Body) != `{"id":1}` {
		t.Errorf("after update %+v", got)
	}
	before := txID(t, s)
	if err := s.UpdateDelivery(sh.ID, d.Seq, func(x *ledger.Delivery) {}); err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before {
		t.Error("an update that changed nothing committed")
	}
	if err := s.UpdateDelivery(sh.ID, 999, func(*ledger.Delivery) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing delivery: %v", err)
	}
}

func TestApplyDeliveries(t *testing.T) {
	s := openTest(t)
	w := mustWarehouse(t, s, "MAIN")
	cc := mustCostCenter(t, s, "WEB")
	sh := mustShop(t, s, ledger.Shop{Name: "Demo", Warehouse: w.ID, CostCenter: cc.ID})
	gen := newOrderGen(3)
	known := gen.order(sh.ID, 10, t0)
	known.Status = ledger.StatusProcessing
	cursor := t0.Add(-time.Hour)
	if _, err := s.ApplyOrders(sh.ID, []ledger.Order{known}, ledger.SourcePoll, cursor); err != nil {
		t.Fatal(err)
	}

	add := func(id string) uint64 {
		d, _ := mustAddDelivery(t, s, delivery(sh.ID, id, id, time.Now()))
		return d.Seq
	}
	fresh := gen.order(sh.ID, 11, t0)
	newer := known
	newer.Status, newer.Modified = ledger.StatusCompleted, known.Modified.Add(time.Minute)
	older := known
	older.Status, older.Modified = ledger.StatusCancelled, known.Modified.Add(-time.Minute)
	bad := gen.order(sh.ID, 0, t0)

	items := []DeliveryApply{
		{Shop: sh.ID, Seq: add("new"), Order: &fresh},
		{Shop: sh.ID, Seq: add("newer"), Order: &newer},
		{Shop: sh.ID, Seq: add("older"), Order: &older},
		{Shop: sh.ID, Seq: add("bad"), Order: &bad},
		{Shop: sh.ID, Seq: add("delete"), Delete: known.ID},
		{Shop: sh.ID, Seq: add("delete-unknown"), Delete: 404},
		{Shop: sh.ID, Seq: add("product"), Ignore: "product.updated is not about orders"},
		{Shop: sh.ID, Seq: add("junk"), Fail: "decode order: not JSON"},
		{Shop: sh.ID, Seq: 9999, Order: &fresh},
	}
	before := txID(t, s)
	out, err := s.ApplyDeliveries(items)
	if err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before+1 {
		t.Errorf("%d transactions, want 1", txID(t, s)-before)
	}
	type want struct {
		status ledger.DeliveryStatus
		errHas string
		order  int64
		res    ApplyResult
	}
	for i, w := range []want{
		{ledger.DeliveryApplied, "", 11, ApplyResult{New: 1}},
		{ledger.DeliveryApplied, "", 10, ApplyResult{Updated: 1, StatusChanged: 1}},
		{ledger.DeliveryApplied, "", 10, ApplyResult{Stale: 1}},
		{ledger.DeliveryFailed, "invalid order id", 0, ApplyResult{}},
		{ledger.DeliveryApplied, "", 10, ApplyResult{}},
		{ledger.DeliveryIgnored, "not in the books", 404, ApplyResult{}},
		{ledger.DeliveryIgnored, "not about orders", 0, ApplyResult{}},
		{ledger.DeliveryFailed, "not JSON", 0, ApplyResult{}},
	} {
		o := out[i]
		stored, err := s.Delivery(sh.ID, items[i].Seq)
		if err != nil {
			t.Fatal(err)
		}
		if o.Err != nil || o.Skipped || o.Delivery.Status != w.status || !strings.Contains(o.Delivery.Error, w.errHas) ||
			(w.errHas == "" && o.Delivery.Error != "") || o.Delivery.OrderID != w.order || o.Result != w.res ||
			o.Delivery.Applied.IsZero() || stored.Status != w.status || stored.Error != o.Delivery.Error {
			t.Errorf("item %d (%s): %+v, stored %s %q", i, stored.Body, o, stored.Status, stored.Error)
		}
	}
	if !errors.Is(out[8].Err, ErrNotFound) {
		t.Errorf("missing delivery: %+v", out[8])
	}

	// The orders: stamped, webhook history, deleted; the cursor untouched.
	got := mustOrder(t, s, fresh.Key())
	if got.Warehouse != w.ID || got.CostCenter != cc.ID || got.Total != fresh.Total {
		t.Errorf("new order %+v", got)
	}
	if h := mustHistory(t, s, fresh.Key()); len(h) != 1 || h[0].Source != ledger.SourceWebhook {
		t.Errorf("new order history %+v", h)
	}
	got = mustOrder(t, s, known.Key())
	if !got.Deleted || got.Status != ledger.StatusCompleted {
		t.Errorf("known order deleted %v status %s", got.Deleted, got.Status)
	}
	h := mustHistory(t, s, known.Key())
	if len(h) != 3 || h[1].To != ledger.StatusCompleted || h[1].Source != ledger.SourceWebhook ||
		h[2].To != "deleted" || h[2].Source != ledger.SourceWebhook {
		t.Errorf("known order history %+v", h)
	}
	if st, _ := s.SyncState(sh.ID); !st.Cursor.Equal(cursor) {
		t.Errorf("cursor moved to %v", st.Cursor)
	}

	// Applying again skips, without a commit; Again re-applies.
	before = txID(t, s)
	out, err = s.ApplyDeliveries(items[:2])
	if err != nil || !out[0].Skipped || !out[1].Skipped {
		t.Fatalf("second apply %+v, %v", out, err)
	}
	if txID(t, s) != before {
		t.Error("skipping committed")
	}
	again := items[0]
	again.Again = true
	out, err = s.ApplyDeliveries([]DeliveryApply{again})
	if err != nil || out[0].Skipped || out[0].Result != (ApplyResult{Unchanged: 1}) || out[0].Delivery.Status != ledger.DeliveryApplied {
		t.Errorf("retry %+v, %v", out, err)
	}
	// A retry of the failed one, with its cause fixed.
	fixed := gen.order(sh.ID, 12, t0)
	out, err = s.ApplyDeliveries([]DeliveryApply{{Shop: sh.ID, Seq: items[3].Seq, Order: &fixed, Again: true}})
	if err != nil || out[0].Delivery.Status != ledger.DeliveryApplied || out[0].Delivery.Error != "" || out[0].Result.New != 1 {
		t.Errorf("retry of a failed delivery %+v, %v", out, err)
	}
}

func TestPruneDeliveries(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	old := time.Now().Add(-40 * 24 * time.Hour)
	applied, _ := mustAddDelivery(t, s, delivery(sh.ID, "a", "applied", old))
	pending, _ := mustAddDelivery(t, s, delivery(sh.ID, "a", "pending", old))
	failed, _ := mustAddDelivery(t, s, delivery(sh.ID, "a", "failed", old))
	recent, _ := mustAddDelivery(t, s, delivery(sh.ID, "a", "recent", time.Now()))
	if _, err := s.ApplyDeliveries([]DeliveryApply{
		{Shop: sh.ID, Seq: applied.Seq, Ignore: "x"},
		{Shop: sh.ID, Seq: failed.Seq, Fail: "x"},
		{Shop: sh.ID, Seq: recent.Seq, Ignore: "x"},
	}); err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneDeliveries(time.Now().Add(-30 * 24 * time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("PruneDeliveries = %d, %v; want 2", n, err)
	}
	left, _ := s.Deliveries(sh.ID, "", 0, 0)
	if want := []uint64{recent.Seq, pending.Seq}; !slices.Equal(seqs(left), want) {
		t.Errorf("left %v, want %v", seqs(left), want)
	}
	for name, want := range map[string]int{"deliveries": 2, "delivery_bodies": 2, "delivery_seen": 2} {
		if got := bucketLen(t, s, []byte(name)); got != want {
			t.Errorf("%s has %d entries, want %d", name, got, want)
		}
	}
	// Once pruned, the same delivery is new again (and harmless to apply).
	if _, dup := mustAddDelivery(t, s, delivery(sh.ID, "a", "applied", time.Now())); dup {
		t.Error("a pruned delivery still counts as seen")
	}
	if n, err := s.PruneDeliveries(time.Now().Add(-30 * 24 * time.Hour)); n != 0 || err != nil {
		t.Errorf("second prune = %d, %v", n, err)
	}
}

func TestDeleteShopDropsDeliveries(t *testing.T) {
	for _, keep := range []bool{true, false} {
		s := openTest(t)
		a := mustShop(t, s, ledger.Shop{Name: "A"})
		b := mustShop(t, s, ledger.Shop{Name: "B"})
		mustAddDelivery(t, s, delivery(a.ID, "x", "1", time.Now()))
		mustAddDelivery(t, s, delivery(b.ID, "x", "1", time.Now()))
		if err := s.DeleteShop(a.ID, keep); err != nil {
			t.Fatal(err)
		}
		for _, name := range [][]byte{bucketDeliveries, bucketDeliveryBodies, bucketDeliverySeen} {
			if n := bucketLen(t, s, name); n != 1 {
				t.Errorf("keepOrders %v: %s has %d entries, want shop B's 1", keep, name, n)
			}
		}
	}
}

func TestWebhookToken(t *testing.T) {
	s := openTest(t)
	a := mustShop(t, s, ledger.Shop{Name: "A"})
	b := mustShop(t, s, ledger.Shop{Name: "B"})
	if _, err := s.ShopByWebhookToken(""); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty token: %v", err)
	}
	tok, err := s.EnsureWebhookToken(a.ID, "aaaa")
	if err != nil || tok != "aaaa" {
		t.Fatalf("EnsureWebhookToken = %q, %v", tok, err)
	}
	// A second call keeps the first token.
	if tok, err := s.EnsureWebhookToken(a.ID, "bbbb"); err != nil || tok != "aaaa" {
		t.Errorf("second EnsureWebhookToken = %q, %v", tok, err)
	}
	if _, err := s.EnsureWebhookToken(b.ID, "bbbb"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureWebhookToken(99, "cccc"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing shop: %v", err)
	}
	for tok, want := range map[string]ledger.ShopID{"aaaa": a.ID, "bbbb": b.ID} {
		if sh, err := s.ShopByWebhookToken(tok); err != nil || sh.ID != want || sh.Name == "" {
			t.Errorf("ShopByWebhookToken(%q) = %+v, %v", tok, sh, err)
		}
	}
	for _, tok := range []string{"aaa", "AAAA", "aaaab", "cccc"} {
		if _, err := s.ShopByWebhookToken(tok); !errors.Is(err, ErrNotFound) {
			t.Errorf("ShopByWebhookToken(%q): %v", tok, err)
		}
	}
	// A form that loaded the shop before the token was made keeps it.
	a.Name = "A renamed"
	if err := s.UpdateShop(a); err != nil {
		t.Fatal(err)
	}
	if sh, _ := s.Shop(a.ID); sh.WebhookToken != "aaaa" || sh.Name != "A renamed" {
		t.Errorf("after UpdateShop without a token: %+v", sh)
	}
	a.WebhookToken = "dddd" // a new token replaces it
	if err := s.UpdateShop(a); err != nil {
		t.Fatal(err)
	}
	if sh, _ := s.ShopByWebhookToken("dddd"); sh.ID != a.ID {
		t.Error("a new token did not replace the old one")
	}
}

// TestMigrateToDeliveries opens a file made by schema version 1 and checks
// that the delivery buckets come and the data stays.
func TestMigrateToDeliveries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	saved := migrations
	migrations = saved[:1]
	s, err := Open(path)
	if err != nil {
		migrations = saved
		t.Fatal(err)
	}
	sh := mustShop(t, s, ledger.Shop{Name: "Old"})
	s.Close()
	migrations = saved

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(); v != LatestSchemaVersion() || v < 2 {
		t.Errorf("schema version %d", v)
	}
	if _, err := s.Shop(sh.ID); err != nil {
		t.Fatal(err)
	}
	if _, dup, err := s.AddDelivery(delivery(sh.ID, "x", "{}", time.Now())); err != nil || dup {
		t.Fatalf("AddDelivery after migration: %v", err)
	}
}

// TestCommitDeliveries: the webhook writer's transaction applies what was
// stored before and stores what is new, in one commit.
func TestCommitDeliveries(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	first, _ := mustAddDelivery(t, s, delivery(sh.ID, "a", "first", time.Now()))
	o := newOrderGen(5).order(sh.ID, 1, t0)
	before := txID(t, s)
	added, applied, err := s.CommitDeliveries(
		[]ledger.Delivery{delivery(sh.ID, "b", "second", time.Now()), delivery(sh.ID, "a", "first", time.Now())},
		[]DeliveryApply{{Shop: sh.ID, Seq: first.Seq, Order: &o}})
	if err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before+1 {
		t.Errorf("%d transactions, want 1", txID(t, s)-before)
	}
	if added[0].Duplicate || added[0].Delivery.Seq <= first.Seq || !added[1].Duplicate || added[1].Delivery.Seq != first.Seq {
		t.Errorf("added %+v", added)
	}
	if applied[0].Delivery.Status != ledger.DeliveryApplied || applied[0].Result.New != 1 {
		t.Errorf("applied %+v", applied)
	}
	if _, err := s.Order(o.Key()); err != nil {
		t.Error(err)
	}
	// Nothing to do: no commit.
	before = txID(t, s)
	if _, _, err := s.CommitDeliveries(nil, []DeliveryApply{{Shop: sh.ID, Seq: first.Seq, Order: &o}}); err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before {
		t.Error("skipping an applied delivery committed")
	}
}

// TestCommitDeliveriesAppliesWhatItStores: an apply item with Added
// applies a delivery stored by the same commit, after the items without
// Added; a delivery that turns out a repeat is skipped, not applied again.
func TestCommitDeliveriesAppliesWhatItStores(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	first, _ := mustAddDelivery(t, s, delivery(sh.ID, "a", "first", time.Now()))
	gen := newOrderGen(7)
	older := gen.order(sh.ID, 1, t0)
	newer := older
	newer.Status = ledger.StatusCompleted
	newer.Modified = older.Modified.Add(time.Minute)
	other := gen.order(sh.ID, 2, t0)

	before := txID(t, s)
	added, applied, err := s.CommitDeliveries(
		[]ledger.Delivery{delivery(sh.ID, "b", "second", time.Now()), delivery(sh.ID, "a", "first", time.Now()),
			delivery(sh.ID, "c", "third", time.Now())},
		[]DeliveryApply{
			{Shop: sh.ID, Added: 1, Order: &newer},
			{Shop: sh.ID, Seq: first.Seq, Order: &older},
			{Shop: sh.ID, Added: 2, Order: &other}, // a repeat of "a"
			{Shop: sh.ID, Added: 3, Fail: "not an order"},
		})
	if err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before+1 {
		t.Errorf("%d transactions, want 1", txID(t, s)-before)
	}
	if added[0].Duplicate || !added[1].Duplicate || added[2].Duplicate {
		t.Fatalf("added %+v", added)
	}
	if a := applied[0]; a.Skipped || a.Err != nil || a.Delivery.Seq != added[0].Delivery.Seq ||
		a.Delivery.Status != ledger.DeliveryApplied || a.Result.Updated != 1 {
		t.Errorf("fresh apply %+v: want delivery %d applied, updating the order the stored one created",
			a, added[0].Delivery.Seq)
	}
	if a := applied[1]; a.Delivery.Status != ledger.DeliveryApplied || a.Result.New != 1 {
		t.Errorf("stored apply %+v", a)
	}
	if a := applied[2]; !a.Skipped || a.Delivery.Seq != first.Seq {
		t.Errorf("apply of a repeat %+v: want skipped", a)
	}
	if a := applied[3]; a.Delivery.Status != ledger.DeliveryFailed || a.Delivery.Error != "not an order" {
		t.Errorf("failing fresh apply %+v", a)
	}
	if o, err := s.Order(older.Key()); err != nil || o.Status != ledger.StatusCompleted {
		t.Errorf("order 1: %v, status %s; want completed (the newer delivery applied last)", err, o.Status)
	}
	if _, err := s.Order(other.Key()); !errors.Is(err, ErrNotFound) {
		t.Errorf("order 2 (the repeat's) is in the books: %v", err)
	}
	for i, a := range added {
		if a.Duplicate {
			continue
		}
		d, err := s.Delivery(sh.ID, a.Delivery.Seq)
		if err != nil || d.Status == ledger.DeliveryReceived {
			t.Errorf("delivery %d: %v, status %s; want applied or failed", i, err, d.Status)
		}
	}
	if _, _, err := s.CommitDeliveries(nil, []DeliveryApply{{Shop: sh.ID, Added: 1}}); err == nil {
		t.Error("Added beyond the adds was accepted")
	}
}

// TestCommitDeliveriesPrepared: an order prepared outside the transaction
// (DeliveryApply.Prepared) is written as the order itself would be, and
// decided again when the books changed after it was prepared.
func TestCommitDeliveriesPrepared(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	gen := newOrderGen(9)
	o := gen.order(sh.ID, 1, t0)
	p, err := s.Prepare(sh.ID, []ledger.Order{o})
	if err != nil {
		t.Fatal(err)
	}
	// Meanwhile a newer version of the order arrives by poll.
	newer := o
	newer.Status, newer.Modified = ledger.StatusCompleted, o.Modified.Add(time.Minute)
	if _, err := s.ApplyOrders(sh.ID, []ledger.Order{newer}, ledger.SourcePoll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, applied, err := s.CommitDeliveries([]ledger.Delivery{delivery(sh.ID, "a", "first", time.Now())},
		[]DeliveryApply{{Shop: sh.ID, Added: 1, Order: &o, Prepared: p}})
	if err != nil {
		t.Fatal(err)
	}
	if a := applied[0]; a.Delivery.Status != ledger.DeliveryApplied || a.Result.Stale != 1 {
		t.Errorf("prepared apply of an order that became stale: %+v, want applied and counted stale", a)
	}
	if got, _ := s.Order(o.Key()); got.Status != ledger.StatusCompleted {
		t.Errorf("order status %s: the stale prepared version overwrote the newer one", got.Status)
	}

	// Unchanged books: the prepared order is written as prepared.
	o2 := gen.order(sh.ID, 2, t0)
	p2, err := s.Prepare(sh.ID, []ledger.Order{o2})
	if err != nil {
		t.Fatal(err)
	}
	_, applied, err = s.CommitDeliveries([]ledger.Delivery{delivery(sh.ID, "b", "second", time.Now())},
		[]DeliveryApply{{Shop: sh.ID, Added: 1, Order: &o2, Prepared: p2}})
	if err != nil {
		t.Fatal(err)
	}
	if a := applied[0]; a.Delivery.Status != ledger.DeliveryApplied || a.Result.New != 1 || a.Delivery.OrderID != 2 {
		t.Errorf("prepared apply: %+v", a)
	}
	got, err := s.Order(o2.Key())
	if err != nil || got.Total != o2.Total || got.Status != o2.Status {
		t.Errorf("order 2: %v, %+v", err, got)
	}
	if h, _ := s.History(o2.Key()); len(h) != 1 || h[0].Source != ledger.SourceWebhook {
		t.Errorf("order 2 history %+v, want one webhook entry", h)
	}
}
