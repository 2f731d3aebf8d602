package verify

import (
	"bytes"
	"slices"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// The names of what can differ, as the report and the history give them.
const (
	FieldNew           = "new" // the shop has an order the books lack
	FieldStatus        = "status"
	FieldTotal         = "total"
	FieldCurrency      = "currency"
	FieldModified      = "date_modified"
	FieldPaid          = "date_paid"
	FieldCompleted     = "date_completed"
	FieldRefunds       = "refunds"
	FieldTransactionID = "transaction_id"
	// FieldMetaPrefix precedes a meta key: "meta:_receipt_no".
	FieldMetaPrefix = "meta:"
)

// comparer compares a shop's summaries with the stored orders.
type comparer struct {
	fields   woo.SummaryFields
	dialect  ledger.Dialect
	metaKeys []string
}

// diff names the fields in which the shop's summary s and the stored order
// differ; nil when they agree. A stored order modified after the summary
// was read (a webhook, meanwhile) is newer than s and agrees by definition.
func (c *comparer) diff(s *woo.OrderSummary, o *store.Verified) []string {
	if s.Modified.Before(o.Modified) {
		return nil
	}
	var out []string
	add := func(ok bool, name string) {
		if !ok {
			out = append(out, name)
		}
	}
	add(s.Status == o.Status, FieldStatus)
	add(s.Total == o.Total, FieldTotal)
	add(s.Currency == o.Currency, FieldCurrency)
	add(s.Modified.Equal(o.Modified), FieldModified)
	if c.fields.Paid {
		add(sameTime(s.Paid, o.Paid), FieldPaid)
	}
	add(sameTime(s.Completed, o.Completed), FieldCompleted)
	if c.fields.Refunds {
		ids := make([]int64, len(o.Refunds))
		for i, r := range o.Refunds {
			ids[i] = r.ID
		}
		add(slices.Equal(sortedIDs(s.RefundIDs), sortedIDs(ids)), FieldRefunds)
	}
	if c.fields.TransactionID {
		add(s.TransactionID == o.TransactionID, FieldTransactionID)
	}
	if len(c.metaKeys) > 0 {
		stored := woo.PayloadMeta(c.dialect, o.Raw)
		for _, k := range c.metaKeys {
			a, aok := s.Meta[k]
			b, bok := stored[k]
			add(aok == bok && bytes.Equal(a, b), FieldMetaPrefix+k)
		}
	}
	return out
}

// summaryOf is what a full order fetched from the shop says in summary
// form, for an order the list did not show (shifted by a deletion).
func summaryOf(o *ledger.Order, d ledger.Dialect, meta bool) woo.OrderSummary {
	s := woo.OrderSummary{
		ID: o.ID, Status: o.Status, Total: o.Total, Currency: o.Currency, Modified: o.Modified,
		Paid: o.Paid, Completed: o.Completed, TransactionID: o.TransactionID,
	}
	for _, r := range o.Refunds {
		s.RefundIDs = append(s.RefundIDs, r.ID)
	}
	if meta {
		s.Meta = woo.PayloadMeta(d, o.Raw)
	}
	return s
}

func sameTime(a, b time.Time) bool { return a.Equal(b) }

func sortedIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
