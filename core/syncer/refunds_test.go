package syncer_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// monthShop serves a real shop's October (core/woo/testdata/books-2026-10:
// 22 orders, 7 of them refunded, captured in both dialects) over loopback
// HTTP, with the order list filters a pass uses and the refunds endpoints,
// until woosim speaks refunds. Orders can gain refunds and change; it
// counts refund requests per order.
type monthShop struct {
	mu      sync.Mutex
	dialect ledger.Dialect
	orders  []map[string]any // in the dialect's form
	refunds map[int64][]map[string]any
	asked   map[int64]int // refund requests per order
}

const monthDir = "../woo/testdata/books-2026-10"

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(monthDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func newMonthShop(t *testing.T, d ledger.Dialect) (*monthShop, *httptest.Server) {
	s := &monthShop{dialect: d, refunds: map[int64][]map[string]any{}, asked: map[int64]int{}}
	if d == ledger.DialectLegacyV3 {
		readJSON(t, "legacy-v3-orders.json", &s.orders)
		var byOrder map[string]struct {
			Refunds []map[string]any `json:"order_refunds"`
		}
		readJSON(t, "legacy-v3-refunds-by-order.json", &byOrder)
		for id, r := range byOrder {
			n, _ := strconv.ParseInt(id, 10, 64)
			s.refunds[n] = r.Refunds
		}
	} else {
		readJSON(t, "wc-v3-orders.json", &s.orders)
		var byOrder map[string][]map[string]any
		readJSON(t, "wc-v3-refunds-by-order.json", &byOrder)
		for id, r := range byOrder {
			n, _ := strconv.ParseInt(id, 10, 64)
			s.refunds[n] = r
		}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *monthShop) legacy() bool { return s.dialect == ledger.DialectLegacyV3 }

func (s *monthShop) modifiedKey() string {
	if s.legacy() {
		return "updated_at"
	}
	return "date_modified_gmt"
}

func orderID(o map[string]any) int64 { return int64(o["id"].(float64)) }

func (s *monthShop) modified(o map[string]any) time.Time {
	v := strings.TrimSuffix(o[s.modifiedKey()].(string), "Z")
	t, _ := time.Parse("2006-01-02T15:04:05", v)
	return t
}

func (s *monthShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	root := "/wp-json/wc/v3/"
	if s.legacy() {
		root = "/wc-api/v3/"
	}
	path, ok := strings.CutPrefix(r.URL.Path, root)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if id, ok := strings.CutSuffix(strings.TrimPrefix(path, "orders/"), "/refunds"); ok && strings.HasPrefix(path, "orders/") {
		n, _ := strconv.ParseInt(id, 10, 64)
		s.asked[n]++
		list := s.refunds[n]
		if list == nil {
			list = []map[string]any{}
		}
		var body any = list
		if s.legacy() {
			body = map[string]any{"order_refunds": list}
		}
		json.NewEncoder(w).Encode(body)
		return
	}
	if path != "orders" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	var after time.Time
	per, _ := strconv.Atoi(q.Get("per_page"))
	page, _ := strconv.Atoi(q.Get("page"))
	if v := q.Get("modified_after"); v != "" {
		after, _ = time.Parse("2006-01-02T15:04:05", v)
	}
	if s.legacy() {
		per, _ = strconv.Atoi(q.Get("filter[limit]"))
		if v := q.Get("filter[updated_at_min]"); v != "" {
			after, _ = time.Parse(time.RFC3339, v)
			after = after.Add(-time.Second) // inclusive there
		}
	}
	var list []map[string]any
	for _, o := range s.orders {
		if after.IsZero() || s.modified(o).After(after) {
			list = append(list, o)
		}
	}
	slices.SortStableFunc(list, func(a, b map[string]any) int {
		if c := s.modified(a).Compare(s.modified(b)); c != 0 {
			return c
		}
		return int(orderID(a) - orderID(b))
	})
	total := len(list)
	start := min((page-1)*per, total)
	list = list[start:min(start+per, total)]
	pages := strconv.Itoa((total + per - 1) / per)
	var body any = list
	if s.legacy() {
		w.Header().Set("X-WC-Total", strconv.Itoa(total))
		w.Header().Set("X-WC-TotalPages", pages)
		body = map[string]any{"orders": list}
	} else {
		w.Header().Set("X-WP-Total", strconv.Itoa(total))
		w.Header().Set("X-WP-TotalPages", pages)
	}
	json.NewEncoder(w).Encode(body)
}

func (s *monthShop) order(id int64) map[string]any {
	for _, o := range s.orders {
		if orderID(o) == id {
			return o
		}
	}
	panic("no order " + strconv.FormatInt(id, 10))
}

// change moves an order's modification time on, sets its status, and,
// with refund set, gives it one more refund of amount (one line of the
// order's first item, taxed at its first rate, as WooCommerce writes it).
func (s *monthShop) change(id int64, at time.Time, status string, refundID int64, amount string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.order(id)
	o["status"] = status
	if s.legacy() {
		o["updated_at"] = at.UTC().Format("2006-01-02T15:04:05Z")
	} else {
		o["date_modified_gmt"] = at.UTC().Format("2006-01-02T15:04:05")
	}
	if refundID == 0 {
		return
	}
	a, _ := ledger.ParseAmount(amount)
	net, tax := (a * 5 / 6).String(), (a - a*5/6).String()
	line := map[string]any{"id": refundID + 1, "name": "Returned", "product_id": 12, "quantity": -1,
		"subtotal": "-" + net, "subtotal_tax": "-" + tax, "total": "-" + net, "total_tax": "-" + tax, "tax_class": ""}
	var r map[string]any
	if s.legacy() {
		r = map[string]any{"id": refundID, "created_at": at.UTC().Format("2006-01-02T15:04:05Z"), "amount": amount,
			"reason": "returned", "line_items": []any{line}}
	} else {
		line["taxes"] = []any{map[string]any{"id": 1, "total": "-" + tax, "subtotal": "-" + tax}}
		r = map[string]any{"id": refundID, "date_created_gmt": at.UTC().Format("2006-01-02T15:04:05"), "amount": amount,
			"reason": "returned", "refunded_payment": false, "line_items": []any{line}, "shipping_lines": []any{}, "fee_lines": []any{},
			"tax_lines": []any{map[string]any{"id": refundID + 2, "rate_code": "BG-ДДС 20%-1", "rate_id": 1, "label": "ДДС 20%",
				"tax_total": "-" + tax, "shipping_tax_total": "0.00", "rate_percent": 20}}}
		listed, _ := o["refunds"].([]any)
		o["refunds"] = append([]any{map[string]any{"id": refundID, "reason": "returned", "total": "-" + amount}}, listed...)
	}
	s.refunds[id] = append([]map[string]any{r}, s.refunds[id]...)
}

// takeAsked returns the refund requests per order since the last call.
func (s *monthShop) takeAsked() map[int64]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.asked
	s.asked = map[int64]int{}
	return a
}

// wantRefunds decodes the shop's refunds of order id as the client does.
func (s *monthShop) wantRefunds(t *testing.T, st *store.Store, key ledger.OrderKey) []ledger.Refund {
	t.Helper()
	s.mu.Lock()
	list := s.refunds[key.ID]
	s.mu.Unlock()
	var body any = list
	if s.legacy() {
		body = map[string]any{"order_refunds": list}
	}
	b, _ := json.Marshal(body)
	if !s.legacy() {
		rs, err := woo.DecodeRefunds(b)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	rs, err := woo.DecodeLegacyRefunds(b)
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.Order(key)
	if err != nil {
		t.Fatal(err)
	}
	o.Refunds = rs
	woo.DeriveRefundTaxes(&o)
	return o.Refunds
}

func TestPassFetchesChangedRefundsOnly(t *testing.T) {
	for _, d := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		t.Run(string(d), func(t *testing.T) {
			shop, srv := newMonthShop(t, d)
			st, err := store.Open(filepath.Join(t.TempDir(), "books.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			sh, err := st.CreateShop(ledger.Shop{Name: "October", URL: srv.URL, Dialect: d})
			if err != nil {
				t.Fatal(err)
			}
			c, err := woo.New(woo.Config{URL: srv.URL, Key: "ck", Secret: "cs", Dialect: d})
			if err != nil {
				t.Fatal(err)
			}
			pass := func() syncer.Result {
				t.Helper()
				res, err := syncer.Pass(context.Background(), st, sh, c, syncer.Options{PerPage: 5})
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			checkStored := func(id int64) {
				t.Helper()
				key := ledger.OrderKey{Shop: sh.ID, ID: id}
				o, err := st.Order(key)
				if err != nil {
					t.Fatal(err)
				}
				want := shop.wantRefunds(t, st, key)
				if o.NeedsRefundDetail() || !reflect.DeepEqual(o.Refunds, want) {
					t.Errorf("order %d: stored refunds %+v, want %+v", id, o.Refunds, want)
				}
			}

			// The import asks for no refunds: it leaves them to the
			// backfill after it, which asks wc/v3 for those of the 7 orders
			// that list some, and legacy, which lists none, for those of
			// every order in a status money was taken in.
			if res := pass(); res.New != 22 {
				t.Fatalf("%+v, want 22 new orders", res)
			}
			if asked := shop.takeAsked(); len(asked) != 0 {
				t.Fatalf("the import asked for refunds %v", asked)
			}
			if s, _ := st.SyncState(sh.ID); !s.RefundBackfill {
				t.Fatal("the import did not ask for the backfill")
			}
			if _, err := syncer.BackfillRefunds(context.Background(), c, st, sh, nil); err != nil {
				t.Fatal(err)
			}
			asked := shop.takeAsked()
			want := 7
			if d == ledger.DialectLegacyV3 {
				want = 0
				for _, o := range shop.orders {
					if ledger.NormalizeStatus(o["status"].(string)).MayHaveRefunds() {
						want++
					}
				}
			}
			if len(asked) != want {
				t.Fatalf("refunds of %d orders asked for, want %d", len(asked), want)
			}
			for id, n := range asked {
				if n != 1 {
					t.Errorf("refunds of order %d asked for %d times", id, n)
				}
			}
			for id := range shop.refunds {
				checkStored(id)
			}

			// Nothing changed: not one refund request (the pass re-reads
			// its overlap).
			pass()
			if asked := shop.takeAsked(); len(asked) != 0 {
				t.Fatalf("an unchanged shop: refunds asked for %v", asked)
			}

			// An order gains a partial refund, then a full one.
			var id int64
			for _, o := range shop.orders {
				if o["status"] == "completed" && shop.refunds[orderID(o)] == nil {
					id = orderID(o)
					break
				}
			}
			at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC) // after every captured modification
			shop.change(id, at, "completed", 9001, "12.00")
			pass()
			if asked := shop.takeAsked(); !reflect.DeepEqual(asked, map[int64]int{id: 1}) {
				t.Fatalf("after a partial refund of order %d: refunds asked for %v", id, asked)
			}
			checkStored(id)
			total := shop.order(id)["total"].(string)
			shop.change(id, at.Add(time.Hour), "refunded", 9011, total)
			pass()
			if asked := shop.takeAsked(); !reflect.DeepEqual(asked, map[int64]int{id: 1}) {
				t.Fatalf("after a full refund of order %d: refunds asked for %v", id, asked)
			}
			checkStored(id)
			if o, _ := st.Order(ledger.OrderKey{Shop: sh.ID, ID: id}); len(o.Refunds) != 2 || o.Status != ledger.StatusRefunded {
				t.Fatalf("order %d: %d refunds, status %s", id, len(o.Refunds), o.Status)
			}

			// Another order changes without a refund: wc/v3 sees its refunds
			// are the same; legacy cannot tell, and asks once.
			var other int64
			for _, o := range shop.orders {
				if o["status"] == "processing" {
					other = orderID(o)
					break
				}
			}
			shop.change(other, at.Add(2*time.Hour), "completed", 0, "")
			pass()
			wantAsked := map[int64]int{}
			if d == ledger.DialectLegacyV3 {
				wantAsked[other] = 1
			}
			if asked := shop.takeAsked(); !reflect.DeepEqual(asked, wantAsked) {
				t.Fatalf("a status change of order %d: refunds asked for %v, want %v", other, asked, wantAsked)
			}
			for id := range shop.refunds {
				checkStored(id)
			}
		})
	}
}

// cancelAfter is a RefundSource that cancels ctx after n requests, as a
// kill would stop a backfill midway.
type cancelAfter struct {
	src    syncer.RefundSource
	n      int
	calls  int
	cancel context.CancelFunc
}

func (c *cancelAfter) Refunds(ctx context.Context, id int64) ([]ledger.Refund, error) {
	c.calls++
	if c.calls == c.n {
		defer c.cancel()
	}
	return c.src.Refunds(ctx, id)
}

// TestBackfillRefundsResumes: books stored before refunds were fetched
// (orders with their refunds in brief, or none listed) are brought up to
// date by the backfill; stopped midway, it goes on where it stopped and
// loses nothing.
func TestBackfillRefundsResumes(t *testing.T) {
	for _, d := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		t.Run(string(d), func(t *testing.T) {
			shop, srv := newMonthShop(t, d)
			st, err := store.Open(filepath.Join(t.TempDir(), "books.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			sh, err := st.CreateShop(ledger.Shop{Name: "October", URL: srv.URL, Dialect: d})
			if err != nil {
				t.Fatal(err)
			}
			c, err := woo.New(woo.Config{URL: srv.URL, Key: "ck", Secret: "cs", Dialect: d})
			if err != nil {
				t.Fatal(err)
			}
			// The books as an older ShopLedger left them: every order, no
			// refund detail, and (legacy) no refunds at all.
			page, err := c.ListOrders(context.Background(), woo.ListOptions{PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			for i := range page.Orders {
				page.Orders[i].RefundsUnlisted = false
			}
			if _, err := st.ApplyOrders(sh.ID, page.Orders, ledger.SourcePoll, time.Time{}); err != nil {
				t.Fatal(err)
			}
			if err := st.UpdateSyncState(sh.ID, func(s *ledger.SyncState) {
				s.RefundBackfill, s.RefundBackfillAll = true, d == ledger.DialectLegacyV3 // as the migration asks
			}); err != nil {
				t.Fatal(err)
			}
			candidates := 7
			if d == ledger.DialectLegacyV3 {
				candidates = 0
				for _, o := range page.Orders {
					if o.Status.MayHaveRefunds() {
						candidates++
					}
				}
			}

			ctx, cancel := context.WithCancel(context.Background())
			killed := &cancelAfter{src: c, n: 3, cancel: cancel}
			if _, err := syncer.BackfillRefunds(ctx, killed, st, sh, nil); err == nil {
				t.Fatal("a stopped backfill reported success")
			}
			if s, _ := st.SyncState(sh.ID); !s.RefundBackfill {
				t.Fatal("a stopped backfill no longer asks to be run")
			}
			first := shop.takeAsked()

			var last syncer.BackfillProgress
			p, err := syncer.BackfillRefunds(context.Background(), c, st, sh, func(p syncer.BackfillProgress) { last = p })
			if err != nil {
				t.Fatal(err)
			}
			second := shop.takeAsked()
			if !p.Done || !last.Done || last.Total != 22 || last.Scanned != 22 {
				t.Errorf("progress %+v, last heard %+v", p, last)
			}
			if s, _ := st.SyncState(sh.ID); s.RefundBackfill || s.RefundBackfillAfter != 0 {
				t.Errorf("sync state after the backfill: %+v", s)
			}
			// Every order fetched at least once, none more than twice (a
			// stop costs at most the fetches since the last saved point).
			for id := range second {
				first[id] += second[id]
			}
			if len(first) != candidates {
				t.Errorf("refunds of %d orders fetched, want %d", len(first), candidates)
			}
			for id, n := range first {
				if n > 2 {
					t.Errorf("order %d fetched %d times", id, n)
				}
			}
			for id := range shop.refunds {
				key := ledger.OrderKey{Shop: sh.ID, ID: id}
				o, err := st.Order(key)
				if err != nil {
					t.Fatal(err)
				}
				if want := shop.wantRefunds(t, st, key); o.NeedsRefundDetail() || !reflect.DeepEqual(o.Refunds, want) {
					t.Errorf("order %d: refunds %+v, want %+v", id, o.Refunds, want)
				}
			}
			// Done is done: a second run asks for nothing.
			if _, err := syncer.BackfillRefunds(context.Background(), c, st, sh, nil); err != nil {
				t.Fatal(err)
			}
			if asked := shop.takeAsked(); len(asked) != 0 {
				t.Errorf("a finished backfill ran again: %v", asked)
			}
		})
	}
}
