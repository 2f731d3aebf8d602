package woo_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// summaryConformance checks, in the suite's dialect and authentication,
// that order summaries say what the full orders say, and that a batch
// fetch by id returns exactly the orders asked for that exist.
func summaryConformance(t *testing.T, c *woo.Client, sim *woosim.Sim) {
	ctx := context.Background()
	t.Run("summaries agree with full orders", func(t *testing.T) {
		if sim != nil {
			// One order with meta the shop was configured to read.
			if err := sim.SilentlyChange(2, func(o *woosim.Silent) { o.Meta["receipt_no"] = "R-2" }); err != nil {
				t.Fatal(err)
			}
		}
		var sums []woo.OrderSummary
		total := 0
		for page := 1; ; page++ {
			p, err := c.ListSummaries(ctx, woo.SummaryOptions{Page: page, PerPage: 7, Meta: true})
			if err != nil {
				t.Fatal(err)
			}
			total = p.Total
			sums = append(sums, p.Summaries...)
			if page >= p.TotalPages || len(p.Summaries) == 0 {
				break
			}
		}
		if len(sums) != total || total == 0 {
			t.Fatalf("%d summaries, the shop says %d", len(sums), total)
		}
		if !slices.IsSortedFunc(sums, func(a, b woo.OrderSummary) int { return int(a.ID - b.ID) }) {
			t.Fatal("summaries not in id order")
		}
		ids := make([]int64, 0, 5)
		for _, s := range sums[:min(5, len(sums))] {
			ids = append(ids, s.ID)
		}
		orders, err := c.OrdersByID(ctx, append(slices.Clone(ids), 987654321), true)
		if err != nil {
			t.Fatal(err)
		}
		if len(orders) != len(ids) {
			t.Fatalf("OrdersByID(%v + a missing id) returned %d orders", ids, len(orders))
		}
		fields := c.SummaryFields()
		for i := range orders {
			o, s := &orders[i], &sums[i]
			if o.ID != s.ID || o.Status != s.Status || o.Total != s.Total || o.Currency != s.Currency ||
				!o.Modified.Equal(s.Modified) || !o.Completed.Equal(s.Completed) {
				t.Errorf("order %d: full %v %s %s %s %s, summary %+v", o.ID, o.Status, o.Total, o.Currency, o.Modified, o.Completed, *s)
			}
			if fields.Paid && !o.Paid.Equal(s.Paid) {
				t.Errorf("order %d: paid %s, summary %s", o.ID, o.Paid, s.Paid)
			}
			if fields.TransactionID && o.TransactionID != s.TransactionID {
				t.Errorf("order %d: transaction %q, summary %q", o.ID, o.TransactionID, s.TransactionID)
			}
			var refunds []int64
			for _, r := range o.Refunds {
				refunds = append(refunds, r.ID)
			}
			if fields.Refunds && !slices.Equal(refunds, s.RefundIDs) {
				t.Errorf("order %d: refunds %v, summary %v", o.ID, refunds, s.RefundIDs)
			}
			meta := woo.PayloadMeta(c.Dialect(), o.Raw)
			if len(meta)+len(s.Meta) > 0 && !maps.EqualFunc(meta, s.Meta, func(a, b json.RawMessage) bool { return string(a) == string(b) }) {
				t.Errorf("order %d: meta %s, summary %s", o.ID, meta, s.Meta)
			}
		}
		if sim != nil && string(sums[1].Meta["receipt_no"]) != `"R-2"` {
			t.Errorf("order 2's summary meta %s", sums[1].Meta)
		}
	})
}
