package woosim

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// keysOf returns an object's keys in the order the JSON has them.
func keysOf(t *testing.T, obj []byte) []string {
	t.Helper()
	var keys []string
	eachMember(obj, func(k string, _, _ []byte) { keys = append(keys, k) })
	return keys
}

func TestSilentlyChangeKeepsDateModified(t *testing.T) {
	s := startShop(t, Options{Orders: 30, Seed: 5}, true)
	before := s.srv.Sim.Snapshot()[11]
	done := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	err := s.srv.Sim.SilentlyChange(12, func(o *Silent) {
		o.Completed, o.TransactionID = done, "txn-silent"
		o.PaymentMethod, o.PaymentMethodTitle = "cheque", "Check payments"
		o.Meta["_receipt_no"] = "R-000123"
	})
	if err != nil {
		t.Fatal(err)
	}
	var o map[string]any
	s.get("/wp-json/wc/v3/orders/12").json(t, &o)
	if o["payment_method"] != "cheque" || o["payment_method_title"] != "Check payments" {
		t.Fatalf("wc/v3 order 12's method after the silent change: %v %v", o["payment_method"], o["payment_method_title"])
	}
	if o["date_completed_gmt"] != "2026-12-01T09:30:00" || o["transaction_id"] != "txn-silent" {
		t.Fatalf("wc/v3 order 12 after the silent change: completed %v, transaction %v", o["date_completed_gmt"], o["transaction_id"])
	}
	if o["date_modified_gmt"] != before.Modified.Format("2006-01-02T15:04:05") {
		t.Fatalf("date_modified_gmt %v, want it unchanged at %s", o["date_modified_gmt"], before.Modified)
	}
	meta, _ := o["meta_data"].([]any)
	if !slices.ContainsFunc(meta, func(m any) bool {
		mm, _ := m.(map[string]any)
		return mm["key"] == "_receipt_no" && mm["value"] == "R-000123"
	}) {
		t.Fatalf("meta_data %v lacks _receipt_no", meta)
	}
	// The incremental query since the order's old modification misses it.
	list, _ := s.getOrders("/wp-json/wc/v3/orders?dates_are_gmt=true&modified_after=" + before.Modified.Format("2006-01-02T15:04:05"))
	if slices.Contains(ids(list), 12) {
		t.Fatal("modified_after returned the silently changed order")
	}
	if err := s.srv.Sim.SilentlyChange(999, func(*Silent) {}); err == nil {
		t.Fatal("changing a missing order succeeded")
	}
}

func TestFieldsFilter(t *testing.T) {
	s := startShop(t, Options{Orders: 12, Seed: 5}, true)
	r := s.get("/wp-json/wc/v3/orders?per_page=5&orderby=id&order=asc&_fields=id,status,total,date_paid_gmt,nope")
	list := splitList(t, r.body)
	if len(list) != 5 {
		t.Fatalf("%d orders, want 5: %s", len(list), r.body)
	}
	for _, o := range list {
		if got := keysOf(t, o); !slices.Equal(got, []string{"id", "status", "total", "date_paid_gmt"}) {
			t.Fatalf("keys %v", got)
		}
	}
	// A sub-field of an object keeps only that member.
	r = s.get("/wp-json/wc/v3/orders/3?_fields=id,billing.email")
	if !bytes.HasPrefix(r.body, []byte(`{"id":3,"billing":{"email":`)) || bytes.Count(r.body, []byte(":")) != 3 {
		t.Fatalf("billing.email: %s", r.body)
	}
	// An empty list stays one, with its total (counting what an import
	// leaves out asks for one id before a date).
	if r = s.get("/wp-json/wc/v3/orders?per_page=1&_fields=id&dates_are_gmt=true&before=2000-01-01T00:00:00"); r.status != 200 || string(r.body) != "[]" || r.header.Get("X-WP-Total") != "0" {
		t.Fatalf("an empty list with _fields: %d %s (total %q)", r.status, r.body, r.header.Get("X-WP-Total"))
	}
	// Errors are not filtered.
	if r = s.get("/wp-json/wc/v3/orders/999?_fields=id"); r.status != 404 || !bytes.Contains(r.body, []byte(`"code"`)) {
		t.Fatalf("missing order: %d %s", r.status, r.body)
	}

	// The legacy API: fields= with one sub-field, order_meta with filter[meta].
	if err := s.srv.Sim.SilentlyChange(2, func(o *Silent) { o.Meta["receipt_no"] = "R-7"; o.Meta["_hidden"] = "x" }); err != nil {
		t.Fatal(err)
	}
	r = s.get("/wc-api/v3/orders?filter[limit]=3&filter[orderby]=ID&filter[order]=ASC&filter[meta]=true&fields=id,updated_at,payment_details.paid,order_meta")
	var body struct {
		Orders []map[string]any `json:"orders"`
	}
	r.json(t, &body)
	if len(body.Orders) != 3 {
		t.Fatalf("legacy: %s", r.body)
	}
	second := body.Orders[1]
	if len(second) != 4 || second["order_meta"].(map[string]any)["receipt_no"] != "R-7" {
		t.Fatalf("legacy order 2: %v", second)
	}
	if _, hidden := second["order_meta"].(map[string]any)["_hidden"]; hidden {
		t.Fatalf("legacy order_meta shows a protected key: %v", second)
	}
	if pd := second["payment_details"].(map[string]any); len(pd) != 1 {
		t.Fatalf("payment_details %v, want only paid", pd)
	}
}

// splitList splits a JSON array body into its elements.
func splitList(t *testing.T, body []byte) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("not a list: %v: %s", err, body)
	}
	return out
}
