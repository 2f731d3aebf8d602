package store

import (
	"bytes"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// appendFill is the FillPercent of buckets whose keys mostly grow at the end
// (orders and raw by shop|id, by_created by time, by_shop and history per
// shop): pages are split nearly full instead of half full.
const appendFill = 0.9

// ApplyResult counts what ApplyOrders did with a page of orders.
type ApplyResult struct {
	New, Updated, Unchanged, Stale int
	// StatusChanged counts updated orders whose status changed.
	StatusChanged int
}

// Add adds r2's counts to r, for totals over several pages.
func (r *ApplyResult) Add(r2 ApplyResult) {
	r.New += r2.New
	r.Updated += r2.Updated
	r.Unchanged += r2.Unchanged
	r.Stale += r2.Stale
	r.StatusChanged += r2.StatusChanged
}

func describe(k ledger.OrderKey) string {
	return fmt.Sprintf("order %d of shop %d", k.ID, k.Shop)
}

// ApplyOrders upserts a page of one shop's orders in one transaction and, in
// the same transaction, moves the shop's sync cursor to cursor if that is
// later than the stored one (a zero cursor leaves it).
//
// An order is identified by (shop, ID); its Shop field is set to shop.
//   - New: stored, stamped with the shop's warehouse and cost center, with a
//     first history entry (From "").
//   - Modified before the stored one: Stale, nothing written.
//   - Same Modified and the same content: Unchanged, nothing written. The
//     content compared leaves out Raw, Warehouse, CostCenter and Deleted.
//   - Otherwise Updated: replaced, keeping the stored warehouse and cost
//     center (the bookkeeper may have reassigned them). Deleted is cleared
//     only when the payload is newer than the stored one. A different status
//     appends a history entry and counts in StatusChanged.
//
// The orders in the slice are not modified. On error nothing is written.
func (s *Store) ApplyOrders(shop ledger.ShopID, orders []ledger.Order, src ledger.Source, cursor time.Time) (ApplyResult, error) {
	var res ApplyResult
	err := s.update(func(tx *bbolt.Tx) error {
		res = ApplyResult{}
		sh, err := getRecord[ledger.Shop](tx, bucketShops, uint64(shop), KindShop)
		if err != nil {
			return err
		}
		w := newOrderWriter(tx)
		now := time.Now().UTC()
		for i := range orders {
			o := orders[i] // a copy: the caller's order stays as it was
			if err := w.apply(&sh, &o, src, now, &res); err != nil {
				return fmt.Errorf("order %d: %w", o.ID, err)
			}
		}
		moved := false
		if !cursor.IsZero() {
			moved, err = updateSyncState(tx, shop, func(st *ledger.SyncState) {
				if cursor.After(st.Cursor) {
					st.Cursor = cursor.UTC()
				}
			})
			if err != nil {
				return err
			}
		}
		if res.New+res.Updated == 0 && !moved {
			return errNoChange
		}
		return nil
	})
	if err != nil {
		return ApplyResult{}, fmt.Errorf("apply orders for shop %d: %w", shop, err)
	}
	return res, nil
}

// orderWriter holds a write transaction's order buckets.
type orderWriter struct {
	orders, raw, history, byCreated, byShop, search *bbolt.Bucket
}

func newOrderWriter(tx *bbolt.Tx) *orderWriter {
	w := &orderWriter{
		orders:    tx.Bucket(bucketOrders),
		raw:       tx.Bucket(bucketRaw),
		history:   tx.Bucket(bucketHistory),
		byCreated: tx.Bucket(bucketByCreated),
		byShop:    tx.Bucket(bucketByShop),
		search:    tx.Bucket(bucketSearch),
	}
	for _, b := range []*bbolt.Bucket{w.orders, w.raw, w.history, w.byCreated, w.byShop, w.search} {
		b.FillPercent = appendFill
	}
	return w
}

// apply upserts o (which it changes: Shop set, Raw cleared, times in UTC,
// warehouse and cost center stamped) as ApplyOrders describes.
func (w *orderWriter) apply(sh *ledger.Shop, o *ledger.Order, src ledger.Source, now time.Time, res *ApplyResult) error {
	if o.ID <= 0 {
		return fmt.Errorf("invalid order id")
	}
	o.Shop = sh.ID
	p := orderPlan{raw: o.Raw}
	o.Raw = nil
	utc(o)
	key := orderKey(o.Key())
	if err := p.decide(sh.Warehouse, sh.CostCenter, o, key, w.orders.Get(key)); err != nil {
		return err
	}
	return w.execute(&p, src, now, res)
}

// utc puts o's times in UTC, so that equal instants encode equally.
func utc(o *ledger.Order) {
	for _, t := range []*time.Time{&o.Created, &o.Modified, &o.Paid, &o.Completed} {
		if !t.IsZero() {
			*t = t.UTC()
		}
	}
}

// index keeps by_created and by_shop in step with o; prev and prevStatus
// are the stored version's, prev nil for a new order.
func (w *orderWriter) index(prev *pos, prevStatus ledger.Status, o *ledger.Order) error {
	p := orderPos(o)
	if prev != nil {
		if *prev == p && prevStatus == o.Status {
			return nil
		}
		if *prev != p {
			if err := w.byCreated.Delete(prev.createdKey()); err != nil {
				return err
			}
			if err := w.byShop.Delete(prev.shopKey()); err != nil {
				return err
			}
		}
	}
	status := []byte(o.Status)
	if err := w.byCreated.Put(p.createdKey(), status); err != nil {
		return err
	}
	return w.byShop.Put(p.shopKey(), status)
}

func (w *orderWriter) appendHistory(k ledger.OrderKey, ch ledger.StatusChange) error {
	seq, err := w.history.NextSequence()
	if err != nil {
		return err
	}
	data, err := encodeJSON(&ch)
	if err != nil {
		return err
	}
	return w.history.Put(historyKey(k, seq), data)
}

// getOrder decodes the stored order (without Raw).
func getOrder(tx *bbolt.Tx, k ledger.OrderKey) (ledger.Order, error) {
	var o ledger.Order
	data := tx.Bucket(bucketOrders).Get(orderKey(k))
	if data == nil {
		return o, fmt.Errorf("%s: %w", describe(k), ErrNotFound)
	}
	if err := decodeOrder(data, &o); err != nil {
		return o, fmt.Errorf("%s: decode: %w", describe(k), err)
	}
	return o, nil
}

// MarkDeleted records that the shop deleted the order: the order stays, with
// Deleted set, and its history gets an entry {From: status, To: "deleted",
// At: at (now if zero), ShopTime: the order's Modified}. Marking an order
// that is already marked does nothing.
func (s *Store) MarkDeleted(key ledger.OrderKey, src ledger.Source, at time.Time) error {
	err := s.update(func(tx *bbolt.Tx) error {
		return markDeleted(tx, key, src, at)
	})
	if err != nil {
		return fmt.Errorf("mark deleted: %w", err)
	}
	return nil
}

// markDeleted is MarkDeleted inside a write transaction; it returns
// errNoChange for an order that is already marked.
func markDeleted(tx *bbolt.Tx, key ledger.OrderKey, src ledger.Source, at time.Time) error {
	o, err := getOrder(tx, key)
	if err != nil {
		return err
	}
	if o.Deleted {
		return errNoChange
	}
	o.Deleted = true
	w := newOrderWriter(tx)
	data, err := encodeOrder(&o)
	if err != nil {
		return err
	}
	if err := w.orders.Put(orderKey(key), data); err != nil {
		return err
	}
	if err := putSearch(w.search, orderKey(key), &o); err != nil {
		return err
	}
	if at.IsZero() {
		at = time.Now()
	}
	if err := putSales(tx, &o, at); err != nil {
		return err
	}
	return w.appendHistory(key, ledger.StatusChange{
		From: o.Status, To: "deleted", At: at.UTC(), ShopTime: o.Modified, Source: src,
	})
}

// Reassign books the order under another warehouse and cost center; zero
// clears one. Later updates from the shop keep the choice.
func (s *Store) Reassign(key ledger.OrderKey, wh ledger.WarehouseID, cc ledger.CostCenterID) error {
	err := s.update(func(tx *bbolt.Tx) error {
		o, err := getOrder(tx, key)
		if err != nil {
			return err
		}
		if wh != 0 {
			if _, err := getRecord[ledger.Warehouse](tx, bucketWarehouses, uint64(wh), KindWarehouse); err != nil {
				return err
			}
		}
		if cc != 0 {
			if _, err := getRecord[ledger.CostCenter](tx, bucketCostCenters, uint64(cc), KindCostCenter); err != nil {
				return err
			}
		}
		if o.Warehouse == wh && o.CostCenter == cc {
			return errNoChange
		}
		o.Warehouse, o.CostCenter = wh, cc
		data, err := encodeOrder(&o)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketOrders).Put(orderKey(key), data); err != nil {
			return err
		}
		if err := putSales(tx, &o, time.Now()); err != nil {
			return err
		}
		return putSearch(tx.Bucket(bucketSearch), orderKey(key), &o)
	})
	if err != nil {
		return fmt.Errorf("reassign: %w", err)
	}
	return nil
}

// Order returns the order with its raw payload.
func (s *Store) Order(key ledger.OrderKey) (ledger.Order, error) {
	var o ledger.Order
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		if o, err = getOrder(tx, key); err != nil {
			return err
		}
		if v := tx.Bucket(bucketRaw).Get(orderKey(key)); v != nil {
			if o.Raw, err = decodeRaw(v); err != nil {
				return fmt.Errorf("%s: %w", describe(key), err)
			}
		}
		return nil
	})
	if err != nil {
		return ledger.Order{}, err
	}
	return o, nil
}

// History returns the order's status changes, oldest first.
func (s *Store) History(key ledger.OrderKey) ([]ledger.StatusChange, error) {
	var hist []ledger.StatusChange
	err := s.db.View(func(tx *bbolt.Tx) error {
		prefix := orderKey(key)
		if tx.Bucket(bucketOrders).Get(prefix) == nil {
			return fmt.Errorf("%s: %w", describe(key), ErrNotFound)
		}
		c := tx.Bucket(bucketHistory).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var ch ledger.StatusChange
			if err := decodeJSON(v, &ch); err != nil {
				return fmt.Errorf("%s: history: %w", describe(key), err)
			}
			hist = append(hist, ch)
		}
		return nil
	})
	return hist, err
}

// SyncState returns the shop's sync state; the zero value if it has none.
func (s *Store) SyncState(shop ledger.ShopID) (ledger.SyncState, error) {
	var st ledger.SyncState
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		st, err = getSyncState(tx, shop)
		return err
	})
	return st, err
}

// UpdateSyncState reads the shop's sync state, lets fn change it and writes
// it back, in one transaction. The shop must exist.
func (s *Store) UpdateSyncState(shop ledger.ShopID, fn func(*ledger.SyncState)) error {
	err := s.update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get(u64(uint64(shop))) == nil {
			return fmt.Errorf("shop %d: %w", shop, ErrNotFound)
		}
		changed, err := updateSyncState(tx, shop, fn)
		if err == nil && !changed {
			return errNoChange
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("update sync state: %w", err)
	}
	return nil
}

func getSyncState(tx *bbolt.Tx, shop ledger.ShopID) (ledger.SyncState, error) {
	var st ledger.SyncState
	data := tx.Bucket(bucketSync).Get(u64(uint64(shop)))
	if data == nil {
		return st, nil
	}
	if err := decodeJSON(data, &st); err != nil {
		return st, fmt.Errorf("sync state of shop %d: %w", shop, err)
	}
	return st, nil
}

// updateSyncState applies fn to the stored sync state and writes it back if
// fn changed it, which it reports.
func updateSyncState(tx *bbolt.Tx, shop ledger.ShopID, fn func(*ledger.SyncState)) (bool, error) {
	st, err := getSyncState(tx, shop)
	if err != nil {
		return false, err
	}
	before := st
	fn(&st)
	if st == before {
		return false, nil
	}
	return true, putRecord(tx, bucketSync, uint64(shop), &st)
}
