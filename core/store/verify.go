package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// What a verification pass (core/verify) needs of the store: the stored
// fields it compares with the shop's summaries, read in id order, and an
// upsert that records what it found in the order's history.

// Verified is what the verification compares of a stored order. The tags
// are ledger.Order's, so only these fields are decoded.
type Verified struct {
	ID        int64         `json:"id"`
	Status    ledger.Status `json:"status"`
	Total     ledger.Amount `json:"total"`
	Currency  string        `json:"currency"`
	Modified  time.Time     `json:"date_modified_gmt"`
	Paid      time.Time     `json:"date_paid_gmt"`
	Completed time.Time     `json:"date_completed_gmt"`
	Refunds   []struct {
		ID int64 `json:"id"`
	} `json:"refunds"`
	TransactionID string `json:"transaction_id"`
	Deleted       bool   `json:"deleted"`
	// Raw is the stored payload, read only when asked for.
	Raw []byte `json:"-"`
}

// EachVerified calls fn, in id order, for each stored order of shop whose
// id is above after and at most through (0: no upper bound), with its
// payload when withRaw. It reads in one transaction; fn must not write.
func (s *Store) EachVerified(shop ledger.ShopID, after, through int64, withRaw bool, fn func(*Verified) error) error {
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketOrders).Cursor()
		raw := tx.Bucket(bucketRaw)
		prefix := u64(uint64(shop))
		buf := []byte(nil)
		for k, v := c.Seek(orderKey(ledger.OrderKey{Shop: shop, ID: after + 1})); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			id := int64(binary.BigEndian.Uint64(k[8:]))
			if through > 0 && id > through {
				break
			}
			plain, err := orderCodec.decode(buf[:0], v)
			if err != nil {
				return fmt.Errorf("order %d: %w", id, err)
			}
			buf = plain
			var o Verified
			if err := decodeJSON(plain, &o); err != nil {
				return fmt.Errorf("order %d: %w", id, err)
			}
			o.ID = id
			if withRaw {
				if rv := raw.Get(k); rv != nil {
					if o.Raw, err = decodeRaw(rv); err != nil {
						return fmt.Errorf("order %d: %w", id, err)
					}
				}
			}
			if err := fn(&o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read orders of shop %d: %w", shop, err)
	}
	return nil
}

// ApplyVerified upserts orders a verification found different from the
// shop, in one transaction, as ApplyOrders does with source verification
// and without moving the sync cursor. Each updated order's history gets
// an entry naming what differed (changed[id]): the status change's entry
// when the status changed, else one with From == To. A payload that
// differs while the order does not (meta, which only the payload holds;
// a legacy order now fetched with its meta) is stored too, with such an
// entry and counted as updated when something differed, so the next pass
// finds it equal.
func (s *Store) ApplyVerified(shop ledger.ShopID, orders []ledger.Order, changed map[int64][]string) (ApplyResult, error) {
	var res ApplyResult
	err := s.update(func(tx *bbolt.Tx) error {
		res = ApplyResult{}
		sh, err := getRecord[ledger.Shop](tx, bucketShops, uint64(shop), KindShop)
		if err != nil {
			return err
		}
		w := newOrderWriter(tx)
		now := time.Now().UTC()
		wrote := false
		for i := range orders {
			o := orders[i]
			before := res
			if err := w.apply(&sh, &o, ledger.SourceVerification, now, &res); err != nil {
				return fmt.Errorf("order %d: %w", o.ID, err)
			}
			k := ledger.OrderKey{Shop: shop, ID: o.ID}
			switch {
			case res.Updated > before.Updated:
				wrote = true
				if err := w.noteVerified(k, &o, res.StatusChanged > before.StatusChanged, changed[o.ID], now); err != nil {
					return fmt.Errorf("order %d: %w", o.ID, err)
				}
			case res.New > before.New:
				wrote = true
			case res.Unchanged > before.Unchanged && len(orders[i].Raw) > 0:
				enc := encodeRaw(orders[i].Raw)
				if bytes.Equal(w.raw.Get(orderKey(k)), enc) {
					break
				}
				if err := w.raw.Put(orderKey(k), enc); err != nil {
					return err
				}
				wrote = true
				if fs := changed[o.ID]; len(fs) > 0 {
					// What differed is only in the payload (meta): the
					// order was updated all the same.
					res.Unchanged--
					res.Updated++
					if err := w.noteVerified(k, &o, false, fs, now); err != nil {
						return fmt.Errorf("order %d: %w", o.ID, err)
					}
				}
			}
		}
		if !wrote {
			return errNoChange
		}
		return nil
	})
	if err != nil {
		return ApplyResult{}, fmt.Errorf("apply verified orders for shop %d: %w", shop, err)
	}
	return res, nil
}

// noteVerified records what a verification found on an updated order: on
// the status change's entry apply just appended, or in an entry of its own.
func (w *orderWriter) noteVerified(k ledger.OrderKey, o *ledger.Order, statusChanged bool, changed []string, now time.Time) error {
	if !statusChanged {
		return w.appendHistory(k, ledger.StatusChange{
			From: o.Status, To: o.Status, At: now, ShopTime: o.Modified.UTC(), Source: ledger.SourceVerification, Changed: changed,
		})
	}
	if len(changed) == 0 {
		return nil
	}
	key := historyKey(k, w.history.Sequence())
	var ch ledger.StatusChange
	if err := decodeJSON(w.history.Get(key), &ch); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	ch.Changed = changed
	data, err := encodeJSON(&ch)
	if err != nil {
		return err
	}
	return w.history.Put(key, data)
}
