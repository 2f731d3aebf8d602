package woosim

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Silent is what SilentlyChange may alter in an order: the fields a PHP
// $order->save() can change while leaving date_modified as it was. Zero
// times are null (not paid, not completed).
type Silent struct {
	Status        string
	Paid          time.Time
	Completed     time.Time
	TransactionID string
	// PaymentMethod and PaymentMethodTitle are the gateway's id and title
	// (a gateway plugin's, such as WooCommerce's own "cheque").
	PaymentMethod      string
	PaymentMethodTitle string
	// Meta holds the order's meta_data values by key; setting a key adds
	// or replaces that entry, deleting one removes it.
	Meta map[string]string
}

// silentState is what SilentlyChange set on an order beyond its mutable
// fields: the generated document is rebuilt from the seed, so overrides
// of its content are kept apart and applied by doc.
type silentState struct {
	transactionID *string
	method        *[2]string        // payment method id and title
	meta          map[string]string // nil: as generated
}

// SilentlyChange changes an order the way WooCommerce does when a plugin
// or PHP code saves only meta (a completed date, a receipt number, a
// transaction id): the change shows in every rendering, but date_modified
// stays as it was, so modified_after never returns the order again and no
// webhook fires. fn gets the order's current values and changes them.
func (s *Sim) SilentlyChange(id int64, fn func(*Silent)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orderLocked(id)
	if o == nil {
		return fmt.Errorf("%w: %d", ErrNoOrder, id)
	}
	d := s.doc(o)
	cur := Silent{Status: o.status, TransactionID: d.TransactionID, PaymentMethod: d.PaymentMethod,
		PaymentMethodTitle: d.PaymentMethodTitle, Meta: map[string]string{}}
	if o.paid != 0 {
		cur.Paid = time.Unix(o.paid, 0).UTC()
	}
	if o.completed != 0 {
		cur.Completed = time.Unix(o.completed, 0).UTC()
	}
	for _, m := range d.Meta {
		cur.Meta[m.Key] = m.Value
	}
	next := cur
	next.Meta = maps.Clone(cur.Meta)
	fn(&next)
	if next.Status != "" && next.Status != o.status {
		if !statusRE.MatchString(next.Status) {
			return fmt.Errorf("woosim: invalid order status %q", next.Status)
		}
		if o.status == "trash" {
			s.trashed--
		}
		if next.Status == "trash" {
			s.trashed++
		}
		o.status = next.Status
	}
	o.paid, o.completed = unixOrZero(next.Paid), unixOrZero(next.Completed)
	if o.silent == nil {
		o.silent = &silentState{}
	}
	if next.TransactionID != cur.TransactionID {
		t := next.TransactionID
		o.silent.transactionID = &t
	}
	if next.PaymentMethod != cur.PaymentMethod || next.PaymentMethodTitle != cur.PaymentMethodTitle {
		o.silent.method = &[2]string{next.PaymentMethod, next.PaymentMethodTitle}
	}
	if !maps.Equal(next.Meta, cur.Meta) {
		o.silent.meta = next.Meta
	}
	o.rev++ // the renderings change; date_modified does not
	return nil
}

// apply puts what SilentlyChange set into a rebuilt document.
func (st *silentState) apply(d *orderDoc) {
	if st == nil {
		return
	}
	if st.transactionID != nil {
		d.TransactionID = *st.transactionID
	}
	if st.method != nil {
		d.PaymentMethod, d.PaymentMethodTitle = st.method[0], st.method[1]
	}
	if st.meta == nil {
		return
	}
	var kept []metaItem
	for _, m := range d.Meta {
		if v, ok := st.meta[m.Key]; ok {
			m.Value = v
			kept = append(kept, m)
		}
	}
	var added []string
	for k := range st.meta {
		if !slices.ContainsFunc(kept, func(m metaItem) bool { return m.Key == k }) {
			added = append(added, k)
		}
	}
	slices.Sort(added)
	for i, k := range added {
		// Ids past any generated one (real ones are postmeta rows).
		kept = append(kept, metaItem{ID: silentMetaIDBase + int64(i), Key: k, Value: st.meta[k]})
	}
	d.Meta = kept
}

const silentMetaIDBase = 1_000_000_000

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
