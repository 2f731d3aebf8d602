package orderindex

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// openStore opens a store in a temp dir with the given number of shops.
func openStore(tb testing.TB, shops int) *store.Store {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "books.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	for i := range shops {
		if _, err := s.CreateShop(ledger.Shop{Name: fmt.Sprint("Shop ", i+1), URL: fmt.Sprintf("https://shop%d.example", i+1)}); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// importAll stores orders page by page, as a sync would.
func importAll(tb testing.TB, s *store.Store, orders []ledger.Order) {
	tb.Helper()
	byShop := map[ledger.ShopID][]ledger.Order{}
	for _, o := range orders {
		byShop[o.Shop] = append(byShop[o.Shop], o)
	}
	for shop, list := range byShop {
		for len(list) > 0 {
			n := min(len(list), 500)
			if _, err := s.ApplyOrders(shop, list[:n], ledger.SourcePoll, time.Time{}); err != nil {
				tb.Fatal(err)
			}
			list = list[n:]
		}
	}
}

// hay is what a search should look in, built the slow way.
func hay(o *ledger.Order) string {
	h := strings.ToLower(strings.Join([]string{o.Number, o.Billing.FirstName + " " + o.Billing.LastName, o.Billing.Company, o.Billing.Email}, "|"))
	for _, l := range o.Lines {
		h += "|" + strings.ToLower(l.SKU)
	}
	return h
}

// want filters orders the slow way and lists their keys newest first.
func want(orders []ledger.Order, q Query) []ledger.OrderKey {
	var sel []ledger.Order
	for _, o := range orders {
		byStatus := q.Status != "" || len(q.Statuses) > 0
		if q.Shop != 0 && o.Shop != q.Shop || byStatus && o.Status != q.Status && !slices.Contains(q.Statuses, o.Status) ||
			!q.From.IsZero() && o.Created.Before(q.From) || !q.To.IsZero() && !o.Created.Before(q.To) {
			continue
		}
		hay := hay(&o)
		ok := true
		for _, w := range strings.Fields(strings.ToLower(q.Text)) {
			ok = ok && strings.Contains(hay, strings.TrimLeft(w, "#"))
		}
		if ok {
			sel = append(sel, o)
		}
	}
	slices.SortFunc(sel, func(a, b ledger.Order) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		if a.Shop != b.Shop {
			return int(b.Shop) - int(a.Shop)
		}
		return int(b.ID - a.ID)
	})
	keys := make([]ledger.OrderKey, len(sel))
	for i, o := range sel {
		keys[i] = o.Key()
	}
	return keys
}

// queries draws queries from the orders themselves: words of names,
// emails, SKUs and numbers, with and without the other filters.
func queries(orders []ledger.Order, n int) []Query {
	r := rand.New(rand.NewPCG(3, 4))
	qs := []Query{{}, {Text: "nobody-at-all"}, {Status: "no-such-status"}, {Shop: 99},
		{Statuses: []ledger.Status{"no-such-status", "nor-this"}},
		{Statuses: []ledger.Status{ledger.StatusCompleted, ledger.StatusProcessing}},
		{Status: ledger.StatusPending, Statuses: []ledger.Status{"no-such-status", ledger.StatusCompleted}}}
	for range n {
		o := orders[r.IntN(len(orders))]
		var q Query
		switch r.IntN(7) {
		case 0:
			q.Text = "#" + o.Number
		case 1:
			q.Text = strings.ToUpper(o.Billing.LastName)
		case 2:
			q.Text = o.Billing.FirstName + " " + o.Billing.LastName
		case 3:
			q.Text = o.Billing.Email[:1+r.IntN(len(o.Billing.Email))]
		case 4:
			q.Text = o.Lines[0].SKU
		case 5:
			q.Text = strings.ToLower(o.Lines[0].SKU[:3])
		}
		if r.IntN(3) == 0 {
			q.Shop = o.Shop
		}
		switch r.IntN(4) {
		case 0:
			q.Status = o.Status
		case 1:
			q.Statuses = []ledger.Status{ledger.KnownStatuses[r.IntN(len(ledger.KnownStatuses))], o.Status}
		}
		if r.IntN(3) == 0 {
			q.From = o.Created.Add(-time.Duration(r.IntN(500)) * time.Minute)
			q.To = o.Created.Add(time.Duration(r.IntN(500)) * time.Minute)
		}
		qs = append(qs, q)
	}
	return qs
}

func TestSearchAgreesWithBruteForce(t *testing.T) {
	orders := genOrders(1, 3, 1500)
	ix := New()
	if err := ix.Upsert(orders...); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != len(orders) {
		t.Fatalf("Len = %d, want %d", ix.Len(), len(orders))
	}
	for _, q := range queries(orders, 150) {
		got, exp := ix.Search(q), want(orders, q)
		if !slices.Equal(got, exp) {
			t.Fatalf("Search(%+v): %d keys, want %d\n got %v\nwant %v", q, len(got), len(exp), head(got), head(exp))
		}
	}
}

func head(k []ledger.OrderKey) []ledger.OrderKey { return k[:min(len(k), 5)] }

// TestBuildFollowsTheStore builds the index from a real store and checks
// that it lists what store.Orders lists, in the same order, with the same
// filters — the list switches between the two.
func TestBuildFollowsTheStore(t *testing.T) {
	s := openStore(t, 3)
	orders := genOrders(2, 3, 1200)
	// Some orders share a creation time, so the tie-breaks count.
	for i := 100; i < 200; i++ {
		orders[i].Created = orders[99].Created
	}
	importAll(t, s, orders)
	ix, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	from := genStart.Add(300 * time.Minute)
	for _, f := range []store.OrderFilter{
		{}, {Shop: 2}, {Status: ledger.StatusProcessing}, {Shop: 3, Status: ledger.StatusCompleted},
		{Statuses: []ledger.Status{ledger.StatusCompleted, ledger.StatusProcessing}},
		{From: from}, {To: from}, {From: from, To: from.Add(90 * time.Minute)},
		{Shop: 1, From: from, To: from.Add(24 * time.Hour), Status: ledger.StatusOnHold},
	} {
		var exp []ledger.OrderKey
		if err := s.EachOrder(f, func(o *ledger.Order) error { exp = append(exp, o.Key()); return nil }); err != nil {
			t.Fatal(err)
		}
		got := ix.Search(Query{Shop: f.Shop, Status: f.Status, Statuses: f.Statuses, From: f.From, To: f.To})
		if !slices.Equal(got, exp) {
			t.Errorf("filter %+v: index lists %d orders, the store %d\n got %v\nwant %v", f, len(got), len(exp), head(got), head(exp))
		}
	}

	// The first page of a search, fetched by key, is what the list shows.
	keys := ix.Search(Query{Text: orders[7].Billing.Email})
	page, err := Fetch(s, keys[:min(len(keys), 100)])
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range page {
		if o.Key() != keys[i] || o.Billing.Email != orders[7].Billing.Email || o.Raw != nil {
			t.Fatalf("page[%d] = order %v with email %q, want %v with %q and no payload", i, o.Key(), o.Billing.Email, keys[i], orders[7].Billing.Email)
		}
	}
}

func TestUpsertChangesAndAdds(t *testing.T) {
	orders := genOrders(3, 2, 500)
	ix := New()
	if err := ix.Upsert(orders...); err != nil {
		t.Fatal(err)
	}
	// Change a status, an email, a creation time (the order moves to the
	// top) and a warehouse; add two orders, one of them twice in one batch.
	changed := slices.Clone(orders[10:14])
	changed[0].Status = "shipped-custom"
	changed[1].Billing.Email = "renamed@example.org"
	changed[2].Created = genStart.Add(100_000 * time.Minute)
	changed[3].Warehouse = 9
	fresh := genOrders(4, 2, 2)
	for i := range fresh {
		fresh[i].ID += 10_000
	}
	again := fresh[1]
	again.Status = ledger.StatusCancelled
	batch := append(append(changed, fresh...), again)
	if err := ix.Upsert(batch...); err != nil {
		t.Fatal(err)
	}

	all := slices.Clone(orders)
	copy(all[10:14], changed)
	all = append(all, fresh[0], again)
	if ix.Len() != len(all) {
		t.Fatalf("Len = %d, want %d", ix.Len(), len(all))
	}
	for _, q := range append(queries(all, 60),
		Query{Status: "shipped-custom"}, Query{Text: "renamed@"}, Query{Text: orders[11].Billing.Email},
		Query{Status: ledger.StatusCancelled}, Query{}) {
		if got, exp := ix.Search(q), want(all, q); !slices.Equal(got, exp) {
			t.Fatalf("after the upsert, Search(%+v) = %v, want %v", q, head(got), head(exp))
		}
	}
	if top := ix.Search(Query{})[0]; top != changed[2].Key() {
		t.Errorf("the order created latest should lead, got %v", top)
	}

	// Many rewrites of the same text leave mostly dead arena: it is compacted.
	for round := range 200 {
		for i := range orders[:300] {
			orders[i].Billing.Email = fmt.Sprintf("round%d-%d@example.com", round, i)
		}
		if err := ix.Upsert(orders[:300]...); err != nil {
			t.Fatal(err)
		}
	}
	if st := ix.Stats(); st.TextBytes > 200_000 {
		t.Errorf("the text arena holds %d bytes after rewrites; compaction did not run", st.TextBytes)
	}
	if got := ix.Search(Query{Text: "round199-42@"}); len(got) != 1 || got[0] != orders[42].Key() {
		t.Errorf("after compaction the new email finds %v", got)
	}
}

func TestRemoveShop(t *testing.T) {
	orders := genOrders(5, 3, 300)
	ix := New()
	if err := ix.Upsert(orders...); err != nil {
		t.Fatal(err)
	}
	ix.RemoveShop(2)
	var kept []ledger.Order
	for _, o := range orders {
		if o.Shop != 2 {
			kept = append(kept, o)
		}
	}
	if got, exp := ix.Search(Query{}), want(kept, Query{}); !slices.Equal(got, exp) {
		t.Fatalf("after removing shop 2: %d orders, want %d", len(got), len(exp))
	}
	// An order of a kept shop is still found by key.
	o := kept[5]
	o.Status = "after-removal"
	if err := ix.Upsert(o); err != nil {
		t.Fatal(err)
	}
	if got := ix.Search(Query{Status: "after-removal"}); len(got) != 1 || got[0] != o.Key() || ix.Len() != len(kept) {
		t.Errorf("upsert after RemoveShop: %v, Len %d", got, ix.Len())
	}
}

// hookSource runs a hook in the middle of a read, to change the index while
// a Refresh is under way.
type hookSource struct {
	Source
	at   int
	hook func()
}

func (h hookSource) EachSearchRecord(fn func(*store.SearchRecord) error) error {
	n := 0
	return h.Source.EachSearchRecord(func(r *store.SearchRecord) error {
		if n++; n == h.at {
			h.hook()
		}
		return fn(r)
	})
}

// TestRefreshKeepsChangesMadeMeanwhile reassigns an order while a refresh
// reads the store: the refresh may have read the order before the change,
// so the change is applied again to what it read.
func TestRefreshKeepsChangesMadeMeanwhile(t *testing.T) {
	s := openStore(t, 1)
	orders := genOrders(6, 1, 700)
	importAll(t, s, orders)
	ix, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	target := orders[len(orders)-1] // the newest: read first
	src := hookSource{Source: s, at: 400, hook: func() {
		o, err := s.Order(target.Key())
		if err != nil {
			t.Error(err)
			return
		}
		o.Status = "reassigned-meanwhile"
		if err := ix.Upsert(o); err != nil {
			t.Error(err)
		}
		// And a search during the refresh sees the index as it was, plus the change.
		if n := len(ix.Search(Query{})); n != len(orders) {
			t.Errorf("a search during the refresh found %d orders", n)
		}
	}}
	if err := ix.Refresh(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if got := ix.Search(Query{Status: "reassigned-meanwhile"}); len(got) != 1 || got[0] != target.Key() {
		t.Errorf("the change made during the refresh was lost: %v", got)
	}

	// A cancelled refresh keeps the old contents.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Refresh(ctx, s); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled refresh: %v", err)
	}
	if ix.Len() != len(orders) {
		t.Errorf("after a failed refresh the index has %d orders", ix.Len())
	}
}

func TestFetchMissingOrder(t *testing.T) {
	s := openStore(t, 1)
	orders := genOrders(7, 1, 3)
	importAll(t, s, orders)
	keys := []ledger.OrderKey{orders[2].Key(), {Shop: 1, ID: 999}, orders[0].Key()}
	got, err := Fetch(s, keys)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Number != orders[2].Number || got[1].Key() != keys[1] || got[1].Number != "" || got[2].Number != orders[0].Number {
		t.Errorf("Fetch = %v / %v / %v", got[0].Number, got[1], got[2].Number)
	}
}

func TestTerms(t *testing.T) {
	got := Terms("  #1042  Иван   PETROV ")
	var words []string
	for _, w := range got {
		words = append(words, string(w))
	}
	if strings.Join(words, ",") != "1042,иван,petrov" {
		t.Errorf("Terms = %q", words)
	}
}
