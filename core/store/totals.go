package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// CurrencyTotals is what a list of orders adds up to in one currency.
// Currencies are never added together: a list in euros and leva has one
// CurrencyTotals each. The amounts are the orders' own, as the shop sent
// them, so Net + Tax + Shipping + Fees = Total.
type CurrencyTotals struct {
	Currency string
	Orders   int
	// Net is the line items after discounts, without tax: the order
	// totals less their tax, shipping and fees.
	Net      ledger.Amount
	Tax      ledger.Amount // cart, fee and shipping tax
	Shipping ledger.Amount // without its tax
	Fees     ledger.Amount // without their tax
	Total    ledger.Amount
	// Refunded is the orders' refunds, whenever they were made.
	Refunded ledger.Amount
}

// Payment is what the orders brought in: their totals less their refunds.
func (t *CurrencyTotals) Payment() ledger.Amount { return t.Total - t.Refunded }

// add counts one order's sales record.
func (t *CurrencyTotals) add(r *sales.Record) {
	t.Orders++
	tax := r.CartTax + r.ShippingTax
	t.Tax += tax
	t.Shipping += r.Shipping
	t.Fees += r.Fees
	t.Total += r.Total
	t.Net += r.Total - tax - r.Shipping - r.Fees
	for i := range r.Refunds {
		t.Refunded += r.Refunds[i].Amount
	}
}

// totaller adds sales records up per currency.
type totaller struct {
	dec  sales.Decoder
	rec  sales.Record
	byCu map[string]*CurrencyTotals
	last *CurrencyTotals // most lists are in one currency: skip the map
}

// add counts the order with key k; gone (when not nil) says whether an
// order without a sales record is one no longer stored, to be skipped.
func (t *totaller) add(sb *bbolt.Bucket, k ledger.OrderKey, gone func([]byte) bool) error {
	key := orderKey(k)
	v := sb.Get(key)
	if v == nil {
		if gone != nil && gone(key) {
			return nil
		}
		return fmt.Errorf("%s has no sales record", describe(k))
	}
	if err := t.dec.Decode(k.Shop, k.ID, v, &t.rec); err != nil {
		return fmt.Errorf("%s: %w", describe(k), err)
	}
	t.count()
	return nil
}

// count adds the record just decoded to its currency's totals.
func (t *totaller) count() {
	ct := t.last
	if ct == nil || ct.Currency != t.rec.Currency {
		if t.byCu == nil {
			t.byCu = map[string]*CurrencyTotals{}
		}
		if ct = t.byCu[t.rec.Currency]; ct == nil {
			ct = &CurrencyTotals{Currency: t.rec.Currency}
			t.byCu[t.rec.Currency] = ct
		}
		t.last = ct
	}
	ct.add(&t.rec)
}

// result is the totals by currency code.
func (t *totaller) result() []CurrencyTotals {
	out := make([]CurrencyTotals, 0, len(t.byCu))
	for _, ct := range t.byCu {
		out = append(out, *ct)
	}
	slices.SortFunc(out, func(a, b CurrencyTotals) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// OrderTotals adds up the orders matching f — the orders Orders and
// CountOrders list — per currency, sorted by currency code; none for an
// empty list.
//
// It reads each order's sales record (about 100 bytes; see sales.go), never
// the order: at 100,000 orders that is a few megabytes of pages instead of
// every compressed order decoded (2.1 s; see docs/PERFORMANCE.md). Without
// dates the records are read in their own key order, filtered on the shop
// and status they hold; with dates the index finds the orders, as for
// Orders, and their records are looked up by key — a lookup costs more
// than a step of a cursor, but a period is usually a small part of the
// books.
func (s *Store) OrderTotals(f OrderFilter) ([]CurrencyTotals, error) {
	var t totaller
	err := s.db.View(func(tx *bbolt.Tx) error {
		sb := tx.Bucket(bucketSales)
		if f.From.IsZero() && f.To.IsZero() {
			return t.addAll(sb, f)
		}
		return scan(tx, f, nil, func(p pos) (bool, error) {
			return true, t.add(sb, ledger.OrderKey{Shop: ledger.ShopID(p.shop), ID: int64(p.id)}, nil)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("add up orders: %w", err)
	}
	return t.result(), nil
}

// addAll counts every record of f's shop (of every shop when 0) in the
// statuses f selects.
func (t *totaller) addAll(sb *bbolt.Bucket, f OrderFilter) error {
	shop := f.Shop
	c := sb.Cursor()
	k, v := c.First()
	var prefix []byte
	if shop != 0 {
		prefix = u64(uint64(shop))
		k, v = c.Seek(prefix)
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 16 {
			continue
		}
		key := ledger.OrderKey{Shop: ledger.ShopID(binary.BigEndian.Uint64(k)), ID: int64(binary.BigEndian.Uint64(k[8:]))}
		if err := t.dec.Decode(key.Shop, key.ID, v, &t.rec); err != nil {
			return fmt.Errorf("%s: %w", describe(key), err)
		}
		if f.selectsStatus(t.rec.Status) {
			t.count()
		}
	}
	return nil
}

// OrderTotalsOf adds up the orders with the given keys per currency, as
// OrderTotals does: the totals of a search's matches. A key of an order
// that is no longer stored (removed with its shop since the search) is
// skipped.
func (s *Store) OrderTotalsOf(keys []ledger.OrderKey) ([]CurrencyTotals, error) {
	var t totaller
	err := s.db.View(func(tx *bbolt.Tx) error {
		sb, ob := tx.Bucket(bucketSales), tx.Bucket(bucketOrders)
		gone := func(key []byte) bool { return ob.Get(key) == nil }
		for _, k := range keys {
			if err := t.add(sb, k, gone); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("add up orders: %w", err)
	}
	return t.result(), nil
}
