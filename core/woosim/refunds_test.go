package woosim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// booksSample reads a capture of the real 7.9 shop with VAT and refunds
// (shared/woocommerce/samples, copied to testdata/books).
func booksSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "books", name))
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	return b
}

var refundShapeAlternatives = map[string][]string{
	"[].line_items[].sku":         {"null"},
	"[].line_items[].parent_name": {"string", "null"},
	"[].line_items[].image.id":    {"string", "number"},
}

// rfOrder is what the refund tests read of a wc/v3 order.
type rfOrder struct {
	ID        int64  `json:"id"`
	Status    string `json:"status"`
	Total     string `json:"total"`
	Created   string `json:"date_created_gmt"`
	Modified  string `json:"date_modified_gmt"`
	LineItems []struct {
		ID       int64  `json:"id"`
		Quantity int64  `json:"quantity"`
		Total    string `json:"total"`
		TotalTax string `json:"total_tax"`
	} `json:"line_items"`
	ShippingLines []struct {
		ID       int64  `json:"id"`
		Total    string `json:"total"`
		TotalTax string `json:"total_tax"`
	} `json:"shipping_lines"`
	FeeLines []struct {
		ID       int64  `json:"id"`
		Total    string `json:"total"`
		TotalTax string `json:"total_tax"`
	} `json:"fee_lines"`
	TaxLines []struct {
		RateID int64 `json:"rate_id"`
	} `json:"tax_lines"`
	Refunds []struct {
		ID     int64  `json:"id"`
		Reason string `json:"reason"`
		Total  string `json:"total"`
	} `json:"refunds"`
}

// wcRefund is a refund as GET …/refunds gives it.
type wcRefund struct {
	ID         int64  `json:"id"`
	Created    string `json:"date_created"`
	CreatedGMT string `json:"date_created_gmt"`
	Amount     string `json:"amount"`
	Reason     string `json:"reason"`
	LineItems  []refundItemJSON
	Shipping   []refundItemJSON `json:"shipping_lines"`
	Fees       []refundItemJSON `json:"fee_lines"`
	TaxLines   []struct {
		RateID   int64  `json:"rate_id"`
		Tax      string `json:"tax_total"`
		Shipping string `json:"shipping_tax_total"`
	} `json:"tax_lines"`
}

type refundItemJSON struct {
	ID       int64  `json:"id"`
	Quantity int64  `json:"quantity"`
	Total    string `json:"total"`
	TotalTax string `json:"total_tax"`
	Taxes    []struct {
		ID    int64  `json:"id"`
		Total string `json:"total"`
	} `json:"taxes"`
	Meta []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"meta_data"`
}

func (r *wcRefund) UnmarshalJSON(b []byte) error {
	type plain wcRefund
	var v struct {
		plain
		LineItems []refundItemJSON `json:"line_items"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = wcRefund(v.plain)
	r.LineItems = v.LineItems
	return nil
}

func cents(t *testing.T, s string) int64 {
	t.Helper()
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	m, err := parseMoney(s)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	if neg {
		return -int64(m)
	}
	return int64(m)
}

func (s *shop) order(id int64) rfOrder {
	s.t.Helper()
	r := s.get("/wp-json/wc/v3/orders/" + strconv.FormatInt(id, 10))
	if r.status != 200 {
		s.t.Fatalf("order %d: %d %s", id, r.status, r.body)
	}
	var o rfOrder
	r.json(s.t, &o)
	return o
}

func (s *shop) refunds(id int64) ([]wcRefund, reply) {
	s.t.Helper()
	r := s.get("/wp-json/wc/v3/orders/" + strconv.FormatInt(id, 10) + "/refunds?per_page=100")
	if r.status != 200 {
		s.t.Fatalf("refunds of %d: %d %s", id, r.status, r.body)
	}
	var out []wcRefund
	r.json(s.t, &out)
	return out, r
}

// findOrder returns the first order with a fee, shipping, taxes, two or
// more lines and no refund yet, in a status that can be refunded.
func findRefundable(t *testing.T, s *shop) rfOrder {
	t.Helper()
	for id := int64(1); id <= int64(s.srv.Sim.Count()); id++ {
		o := s.order(id)
		if len(o.FeeLines) > 0 && len(o.ShippingLines) > 0 && len(o.TaxLines) > 0 && len(o.LineItems) > 1 &&
			len(o.Refunds) == 0 && o.Status == "completed" && cents(t, o.ShippingLines[0].Total) > 0 {
			for _, li := range o.LineItems {
				if li.Quantity > 1 {
					return o
				}
			}
		}
	}
	t.Fatal("no order to refund")
	return rfOrder{}
}

// checkRefund checks a refund adds up: its items' totals and taxes make
// its amount, its tax lines are its items' taxes per rate, and every item
// names the order item it refunds.
func checkRefund(t *testing.T, rf wcRefund) {
	t.Helper()
	var sum int64
	taxes := map[int64][2]int64{}
	for g, group := range [][]refundItemJSON{rf.LineItems, rf.Fees, rf.Shipping} {
		for _, it := range group {
			sum += cents(t, it.Total) + cents(t, it.TotalTax)
			var itemTax int64
			for _, tx := range it.Taxes {
				c := cents(t, tx.Total)
				itemTax += c
				v := taxes[tx.ID]
				if g == 2 {
					v[1] += c
				} else {
					v[0] += c
				}
				taxes[tx.ID] = v
			}
			if itemTax != cents(t, it.TotalTax) {
				t.Errorf("refund %d item %d: taxes %d, total_tax %s", rf.ID, it.ID, itemTax, it.TotalTax)
			}
			if len(it.Meta) != 1 || it.Meta[0].Key != "_refunded_item_id" || it.Meta[0].Value == "" {
				t.Errorf("refund %d item %d meta %+v", rf.ID, it.ID, it.Meta)
			}
		}
	}
	if len(rf.LineItems)+len(rf.Fees)+len(rf.Shipping) > 0 && -sum != cents(t, rf.Amount) {
		t.Errorf("refund %d: items add up to %d, amount %s", rf.ID, -sum, rf.Amount)
	}
	if len(rf.TaxLines) != len(taxes) {
		t.Errorf("refund %d: %d tax lines for %d rates", rf.ID, len(rf.TaxLines), len(taxes))
	}
	for _, tl := range rf.TaxLines {
		if v := taxes[tl.RateID]; v[0] != cents(t, tl.Tax) || v[1] != cents(t, tl.Shipping) {
			t.Errorf("refund %d rate %d: tax %s shipping %s, items %v", rf.ID, tl.RateID, tl.Tax, tl.Shipping, v)
		}
	}
}

func TestAddRefundPartialThenFull(t *testing.T) {
	s := startShop(t, Options{Orders: 200, Seed: 5}, true)
	o := findRefundable(t, s)
	var line int64
	for _, li := range o.LineItems {
		if li.Quantity > 1 {
			line = li.ID
			break
		}
	}
	at := s.clock.Now().Add(-time.Hour).Truncate(time.Second)
	if created, _ := time.Parse(wcDate, o.Created); at.Before(created) {
		at = created.Add(time.Minute)
	}
	s.clock.Add(time.Minute)
	id1, err := s.srv.Sim.AddRefund(o.ID, RefundRequest{At: at, Reason: "Повреден артикул", Items: []RefundItem{{ID: line, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	after := s.order(o.ID)
	if after.Status != "completed" || len(after.Refunds) != 1 || after.Refunds[0].ID != id1 || after.Refunds[0].Reason != "Повреден артикул" {
		t.Fatalf("order after a partial refund: %s %+v", after.Status, after.Refunds)
	}
	if after.Modified != s.clock.Now().UTC().Format(wcDate) {
		t.Errorf("date_modified_gmt %s, want now %s", after.Modified, s.clock.Now().UTC())
	}
	rfs, _ := s.refunds(o.ID)
	if len(rfs) != 1 || rfs[0].CreatedGMT != at.UTC().Format(wcDate) || len(rfs[0].LineItems) != 1 || rfs[0].LineItems[0].Quantity != -1 {
		t.Fatalf("refunds: %+v", rfs)
	}
	if "-"+rfs[0].Amount != after.Refunds[0].Total {
		t.Errorf("refund amount %s, order lists %s", rfs[0].Amount, after.Refunds[0].Total)
	}
	checkRefund(t, rfs[0])

	// Refunding the rest: everything left, the order becomes refunded and
	// the refunds add up to its total.
	s.clock.Add(time.Hour)
	id2, err := s.srv.Sim.AddRefund(o.ID, RefundRequest{Reason: "Върната пратка", All: true})
	if err != nil {
		t.Fatal(err)
	}
	after = s.order(o.ID)
	if after.Status != "refunded" || len(after.Refunds) != 2 || after.Refunds[0].ID != id2 {
		t.Fatalf("order after the full refund: %s %+v", after.Status, after.Refunds)
	}
	rfs, _ = s.refunds(o.ID)
	var refunded int64
	for _, rf := range rfs {
		checkRefund(t, rf)
		refunded += cents(t, rf.Amount)
	}
	if refunded != cents(t, o.Total) {
		t.Errorf("refunds add up to %d, order total %s", refunded, o.Total)
	}
	if len(rfs[0].Shipping) != 1 || len(rfs[0].Fees) != len(o.FeeLines) {
		t.Errorf("full refund's shipping %d, fees %d", len(rfs[0].Shipping), len(rfs[0].Fees))
	}
	if _, err := s.srv.Sim.AddRefund(o.ID, RefundRequest{Amount: "0.01"}); !errors.Is(err, ErrBadRefund) {
		t.Errorf("refund beyond the total: %v", err)
	}
}

func TestAddRefundRefusals(t *testing.T) {
	s := startShop(t, Options{Orders: 200, Seed: 5}, true)
	o := findRefundable(t, s)
	created, _ := time.Parse(wcDate, o.Created)
	for name, req := range map[string]RefundRequest{
		"before created": {At: created.Add(-time.Second), Amount: "1.00"},
		"too much":       {Amount: "100000.00"},
		"bad amount":     {Amount: "1.005"},
		"no such item":   {Items: []RefundItem{{ID: 999_999_999}}},
		"too many":       {Items: []RefundItem{{ID: o.LineItems[0].ID, Quantity: o.LineItems[0].Quantity + 1}}},
	} {
		if _, err := s.srv.Sim.AddRefund(o.ID, req); !errors.Is(err, ErrBadRefund) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.srv.Sim.AddRefund(1_000_000_000, RefundRequest{Amount: "1"}); !errors.Is(err, ErrNoOrder) {
		t.Errorf("no such order: %v", err)
	}
}

// The refunds endpoints of both dialects have the keys, key order and
// types of the real shop's.
func TestRefundShapesMatchCaptures(t *testing.T) {
	s := startShop(t, Options{Orders: 200, Seed: 5}, true)
	o := findRefundable(t, s)
	s.clock.Add(time.Minute)
	if _, err := s.srv.Sim.AddRefund(o.ID, RefundRequest{Items: []RefundItem{{ID: o.LineItems[0].ID, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	s.clock.Add(time.Minute)
	if _, err := s.srv.Sim.AddRefund(o.ID, RefundRequest{All: true, Reason: "x"}); err != nil {
		t.Fatal(err)
	}
	_, r := s.refunds(o.ID)
	for _, name := range []string{"wc-v3-order-refunds-full.json", "wc-v3-order-refunds-partial.json"} {
		sameShape(t, "", parseJSON(t, r.body), parseJSON(t, booksSample(t, name)), refundShapeAlternatives)
	}
	if r.header.Get("X-WP-Total") != "2" || r.header.Get("X-WP-TotalPages") != "1" {
		t.Errorf("paging headers %v", r.header)
	}

	lr := s.get(fmt.Sprintf("/wc-api/v3/orders/%d/refunds", o.ID))
	if lr.status != 200 {
		t.Fatalf("legacy refunds: %d %s", lr.status, lr.body)
	}
	sameShape(t, "", parseJSON(t, lr.body), parseJSON(t, booksSample(t, "legacy-v3-order-refunds-full.json")),
		map[string][]string{".order_refunds[].line_items[].sku": {"null"}})
	var legacy struct {
		Refunds []struct {
			ID      int64  `json:"id"`
			Created string `json:"created_at"`
			Amount  string `json:"amount"`
		} `json:"order_refunds"`
	}
	lr.json(t, &legacy)
	rfs, _ := s.refunds(o.ID)
	if len(legacy.Refunds) != len(rfs) {
		t.Fatalf("legacy lists %d refunds, wc/v3 %d", len(legacy.Refunds), len(rfs))
	}
	for i, rf := range rfs {
		l := legacy.Refunds[i]
		if l.ID != rf.ID || l.Amount != rf.Amount || l.Created != rf.CreatedGMT+"Z" {
			t.Errorf("refund %d: legacy %+v, wc/v3 %s %s", rf.ID, l, rf.CreatedGMT, rf.Amount)
		}
	}
	one := s.get(fmt.Sprintf("/wp-json/wc/v3/orders/%d/refunds/%d", o.ID, rfs[1].ID))
	var single wcRefund
	one.json(t, &single)
	if one.status != 200 || single.ID != rfs[1].ID || single.Amount != rfs[1].Amount || len(single.LineItems) != len(rfs[1].LineItems) {
		t.Errorf("single refund: %d %s", one.status, one.body)
	}
	if r := s.get(fmt.Sprintf("/wp-json/wc/v3/orders/%d/refunds/%d", o.ID+1, rfs[1].ID)); r.status != 404 {
		t.Errorf("refund of another order: %d", r.status)
	}
	var lone struct {
		Refund struct {
			ID     int64  `json:"id"`
			Amount string `json:"amount"`
		} `json:"order_refund"`
	}
	s.get(fmt.Sprintf("/wc-api/v3/orders/%d/refunds/%d", o.ID, rfs[1].ID)).json(t, &lone)
	if lone.Refund.ID != rfs[1].ID || lone.Refund.Amount != rfs[1].Amount {
		t.Errorf("legacy single refund %+v", lone)
	}
	if r := s.get(fmt.Sprintf("/wc-api/v3/orders/%d/refunds/1", o.ID)); r.status != 404 {
		t.Errorf("legacy refund 1: %d", r.status)
	}
	if r := s.get("/wp-json/wc/v3/orders/999999/refunds"); r.status != 404 {
		t.Errorf("refunds of no order: %d", r.status)
	}
	if r := s.get("/wc-api/v3/orders/999999/refunds"); r.status != 404 {
		t.Errorf("legacy refunds of no order: %d", r.status)
	}
}

// Generated refunds have a date after the order's creation, and line
// refunds add up.
func TestGeneratedRefunds(t *testing.T) {
	s := startShop(t, Options{Orders: 400, Seed: 9}, true)
	seen := map[string]int{}
	for id := int64(1); id <= 400; id++ {
		o := s.order(id)
		if len(o.Refunds) == 0 {
			continue
		}
		rfs, _ := s.refunds(id)
		created, _ := time.Parse(wcDate, o.Created)
		modified, _ := time.Parse(wcDate, o.Modified)
		for _, rf := range rfs {
			at, _ := time.Parse(wcDate, rf.CreatedGMT)
			if at.Before(created) || at.After(modified) {
				t.Errorf("order %d refund %d at %v: created %v, modified %v", id, rf.ID, at, created, modified)
			}
			checkRefund(t, rf)
			if len(rf.LineItems) > 0 {
				seen["line"]++
			} else {
				seen["amount"]++
			}
		}
	}
	if seen["line"] == 0 || seen["amount"] == 0 {
		t.Errorf("refunds seen: %v", seen)
	}
}

// A refund added through the admin endpoint fires order.updated with the
// order as it now is, and the admin lists the refund.
func TestRefundFiresWebhookAndAdmin(t *testing.T) {
	rc := newReceiver(t, nil)
	s := startShop(t, Options{Orders: 200, Seed: 5}, true)
	w, err := s.srv.Sim.CreateWebhook(WebhookSpec{Topic: "order.updated", DeliveryURL: rc.url(), Secret: "sec"})
	if err != nil {
		t.Fatal(err)
	}
	o := findRefundable(t, s)
	at := s.clock.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	body := fmt.Sprintf(`{"at":%q,"reason":"Повреден артикул","items":[{"id":%d,"quantity":1}]}`, at, o.LineItems[0].ID)
	r := s.send("POST", fmt.Sprintf("/__woosim/orders/%d/refunds", o.ID), "application/json", body, "", "")
	if r.status != 200 {
		t.Fatalf("admin refund: %d %s", r.status, r.body)
	}
	var created struct{ ID int64 }
	r.json(t, &created)
	waitIdle(t, s.srv.Sim)
	got := rc.got(false)
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1", len(got))
	}
	payload := checkDelivery(t, got[0], s.srv.URL, "sec", "order.updated", w.ID)
	if want := s.get(fmt.Sprintf("/wp-json/wc/v3/orders/%d", o.ID)).body; string(payload) != string(want) ||
		!strings.Contains(string(payload), fmt.Sprintf(`"refunds":[{"id":%d,`, created.ID)) {
		t.Errorf("delivery %s", payload)
	}
	var listed []RefundSummary
	s.send("GET", fmt.Sprintf("/__woosim/orders/%d/refunds", o.ID), "", "", "", "").json(t, &listed)
	if len(listed) != 1 || listed[0].ID != created.ID || listed[0].Created.Format(time.RFC3339) != at || !listed[0].Detailed {
		t.Errorf("admin lists %+v", listed)
	}
	if r := s.send("POST", fmt.Sprintf("/__woosim/orders/%d/refunds", o.ID), "application/json", `{"amount":"999999"}`, "", ""); r.status != 400 {
		t.Errorf("refund beyond the total: %d %s", r.status, r.body)
	}
}

// Refunds added while orders, refunds and reports are being read: no race,
// and every refund lands.
func TestRefundsWhileReading(t *testing.T) {
	s := startShop(t, vatOptions(t, 300), true)
	var ids []int64
	for _, o := range s.srv.Sim.Snapshot() {
		if o.Status == "completed" || o.Status == "processing" {
			ids = append(ids, o.ID)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, id := range ids[:40] {
			if _, err := s.srv.Sim.AddRefund(id, RefundRequest{Amount: "0.01"}); err != nil {
				t.Errorf("refund %d: %v", id, err)
			}
		}
	}()
	for i := 0; ; i++ {
		select {
		case <-done:
			for _, id := range ids[:40] {
				rfs, err := s.srv.Sim.Refunds(id)
				if err != nil || len(rfs) == 0 || rfs[0].Amount != "0.01" {
					t.Errorf("order %d refunds %+v %v", id, rfs, err)
				}
			}
			return
		default:
		}
		id := ids[i%40]
		s.get(fmt.Sprintf("/wp-json/wc/v3/orders/%d/refunds", id))
		s.get(fmt.Sprintf("/wc-api/v3/orders/%d", id))
		if i%10 == 0 {
			s.get("/wp-json/wc/v3/reports/sales?date_min=2026-01-01&date_max=2026-11-30")
		}
	}
}
