package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Refunds with their detail come from a request of their own (GET
// orders/<id>/refunds), not with the order. An order payload lists only
// its refunds' ids and totals (wc/v3) or none at all (legacy), so applying
// it must not throw away the detail already stored:
//   - a payload that lists the same refunds as the stored order (ids,
//     amounts, reasons) keeps the stored ones, detail and all;
//   - a payload that lists none (RefundsUnlisted) keeps the stored refunds
//     and, when the order is new or newer, marks them RefundsStale.

// keepRefunds completes o, about to replace prev, with the stored refunds.
func keepRefunds(o *ledger.Order, prev *orderHead) {
	if o.RefundsUnlisted {
		o.Refunds = prev.Refunds
		o.RefundsStale = prev.RefundsStale || o.Modified.After(prev.Modified)
		return
	}
	for i := range o.Refunds {
		if o.Refunds[i].Detailed {
			return // fetched: newer than anything stored
		}
	}
	if len(o.Refunds) > 0 && ledger.SameRefunds(o.Refunds, prev.Refunds) {
		o.Refunds = prev.Refunds
	}
}

// StoredRefunds is what the sync compares an incoming order's refunds with.
type StoredRefunds struct {
	Status   ledger.Status
	Modified time.Time
	Refunds  []ledger.Refund
	Stale    bool // RefundsStale
}

// NeedsDetail is ledger.Order.NeedsRefundDetail of the stored order.
func (r *StoredRefunds) NeedsDetail() bool {
	o := ledger.Order{Status: r.Status, Refunds: r.Refunds, RefundsStale: r.Stale}
	return o.NeedsRefundDetail()
}

// RefundsOf returns the stored refunds of those of shop's orders ids that
// are stored.
func (s *Store) RefundsOf(shop ledger.ShopID, ids []int64) (map[int64]StoredRefunds, error) {
	out := make(map[int64]StoredRefunds, len(ids))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketOrders)
		for _, id := range ids {
			v := b.Get(orderKey(ledger.OrderKey{Shop: shop, ID: id}))
			if v == nil {
				continue
			}
			h, _, err := decodeOrderHead(v)
			if err != nil {
				return fmt.Errorf("%s: %w", describe(ledger.OrderKey{Shop: shop, ID: id}), err)
			}
			out[id] = StoredRefunds{Status: h.Status, Modified: h.Modified, Refunds: h.Refunds, Stale: h.RefundsStale}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read stored refunds of shop %d: %w", shop, err)
	}
	return out, nil
}

// SetRefunds stores refunds, fetched with their detail, as the refunds of
// the order key, provided the stored order is still the version they were
// fetched for (its Modified is modified): a newer version may list other
// refunds, and then the next fetch decides. It clears RefundsStale and
// reports whether it stored them. Nothing else of the order changes.
func (s *Store) SetRefunds(key ledger.OrderKey, modified time.Time, refunds []ledger.Refund) (bool, error) {
	stored := false
	err := s.update(func(tx *bbolt.Tx) error {
		o, err := getOrder(tx, key)
		if err != nil {
			return err
		}
		if !o.Modified.Equal(modified) {
			return errNoChange
		}
		before, err := encodeJSON(&o)
		if err != nil {
			return err
		}
		o.Refunds, o.RefundsStale = refunds, false
		plain, err := encodeJSON(&o)
		if err != nil {
			return err
		}
		stored = true
		if bytes.Equal(before, plain) {
			return errNoChange
		}
		k := orderKey(key)
		if err := tx.Bucket(bucketOrders).Put(k, orderCodec.encode(plain)); err != nil {
			return err
		}
		if err := putSales(tx, &o, time.Now()); err != nil {
			return err
		}
		return putSearch(tx.Bucket(bucketSearch), k, &o)
	})
	if err != nil {
		return false, fmt.Errorf("store refunds of %s: %w", describe(key), err)
	}
	return stored, nil
}

// OrdersNeedingRefunds walks shop's orders by id after the id after and
// returns, of the next scan orders at most, the ids of those whose refunds
// must be fetched (ledger.Order.NeedsRefundDetail; with everyCounted, also
// every order in a status refunds are made in, for a legacy shop whose
// orders were stored before ShopLedger read refunds at all). next is the
// last id scanned, 0 when the walk is done.
func (s *Store) OrdersNeedingRefunds(shop ledger.ShopID, after int64, scan int, everyCounted bool) (ids []int64, next int64, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketOrders).Cursor()
		prefix := u64(uint64(shop))
		n := 0
		for k, v := c.Seek(orderKey(ledger.OrderKey{Shop: shop, ID: after + 1})); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if n == scan {
				return nil
			}
			n++
			id := int64(binary.BigEndian.Uint64(k[8:]))
			next = id
			h, _, err := decodeOrderHead(v)
			if err != nil {
				return fmt.Errorf("%s: %w", describe(ledger.OrderKey{Shop: shop, ID: id}), err)
			}
			r := StoredRefunds{Status: h.Status, Refunds: h.Refunds, Stale: h.RefundsStale}
			if h.Deleted {
				continue
			}
			if r.NeedsDetail() || everyCounted && h.Status.MayHaveRefunds() {
				ids = append(ids, id)
			}
		}
		next = 0 // the end of the shop's orders
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find orders needing refunds in shop %d: %w", shop, err)
	}
	return ids, next, nil
}

// markRefundBackfill is migration 4: it asks for a refund backfill of
// every shop. It writes one sync state per shop and no order: the backfill
// itself runs later, against the shops, with progress.
// A legacy shop's orders never listed refunds, so there every order in a
// status money was taken in is fetched (RefundBackfillAll).
func markRefundBackfill(tx *bbolt.Tx) error {
	return tx.Bucket(bucketShops).ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return nil
		}
		var sh ledger.Shop
		if err := decodeJSON(v, &sh); err != nil {
			return fmt.Errorf("shop %d: %w", binary.BigEndian.Uint64(k), err)
		}
		_, err := updateSyncState(tx, sh.ID, func(st *ledger.SyncState) {
			st.RefundBackfill, st.RefundBackfillAfter = true, 0
			st.RefundBackfillAll = sh.Dialect == ledger.DialectLegacyV3
		})
		return err
	})
}
