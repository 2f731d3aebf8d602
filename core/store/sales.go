package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// The books' buckets (see core/sales):
//
//	sales            shop|id -> sales.Record (binary, ~100 bytes)
//	closings         shop -> sales.Closing (JSON)
//	closed_changes   shop|seq -> sales.Change (JSON)
//	accounts         shop -> journal.Accounts (JSON; see accounts.go)
//
// A sales record is written in the same transaction as its order, by
// putSales, from every place that puts an order. The records are derived
// data: Open rebuilds them all when meta's sales_version differs from
// sales.Version (or the bucket is missing), so their layout can change
// without a migration. A year's totals read these records only: at
// 100,000 orders that is a few megabytes instead of every order.
var (
	bucketSales         = []byte("sales")
	bucketClosings      = []byte("closings")
	bucketClosedChanges = []byte("closed_changes")

	keySalesVersion = []byte("sales_version")
)

// ensureSales builds the sales records of every order if they are missing
// or of another layout, and creates the closing buckets.
func (s *Store) ensureSales(progress func(OpenProgress)) error {
	err := s.update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		current := tx.Bucket(bucketSales) != nil && bytes.Equal(meta.Get(keySalesVersion), u64(sales.Version))
		if current && tx.Bucket(bucketClosings) != nil && tx.Bucket(bucketClosedChanges) != nil && tx.Bucket(bucketAccounts) != nil {
			return errNoChange
		}
		for _, name := range [][]byte{bucketClosings, bucketClosedChanges, bucketAccounts} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		if current {
			return nil
		}
		if tx.Bucket(bucketSales) != nil {
			if err := tx.DeleteBucket(bucketSales); err != nil {
				return err
			}
		}
		b, err := tx.CreateBucket(bucketSales)
		if err != nil {
			return fmt.Errorf("create bucket %s: %w", bucketSales, err)
		}
		b.FillPercent = appendFill // keys come in order
		orders := tx.Bucket(bucketOrders)
		c := counter{step: StepSales, report: progress}
		if progress != nil {
			c.total = int64(orders.Stats().KeyN)
		}
		var o ledger.Order
		err = orders.ForEach(func(k, v []byte) error {
			if err := decodeOrder(v, &o); err != nil {
				return fmt.Errorf("order %x: %w", k, err)
			}
			r := sales.FromOrder(&o)
			c.add(1)
			return b.Put(k, r.Append(nil)) // bbolt keeps the value until commit: no reuse
		})
		if err != nil {
			return err
		}
		c.end()
		return meta.Put(keySalesVersion, u64(sales.Version))
	})
	if err != nil {
		return fmt.Errorf("build the books' sales records: %w", err)
	}
	return nil
}

// putSales writes the sales record of o, an order just put in tx. When
// the record changed what it books on a day its shop's books have closed,
// the change is kept in closed_changes with the record before and after
// (see sales.Change), in the same transaction.
func putSales(tx *bbolt.Tx, o *ledger.Order, now time.Time) error {
	b := tx.Bucket(bucketSales)
	key := orderKey(o.Key())
	r := sales.FromOrder(o)
	data := r.Append(nil)
	old := b.Get(key)
	if bytes.Equal(old, data) {
		return nil
	}
	if err := closedChange(tx, o.Shop, old, &r, now); err != nil {
		return fmt.Errorf("%s: %w", describe(o.Key()), err)
	}
	if err := b.Put(key, data); err != nil {
		return fmt.Errorf("%s: sales record: %w", describe(o.Key()), err)
	}
	return nil
}

// closedChange records after as a change after closing if its shop's
// books are closed and what it books on a closed day differs from old's.
func closedChange(tx *bbolt.Tx, shop ledger.ShopID, old []byte, after *sales.Record, now time.Time) error {
	closing, ok, err := getClosing(tx, shop)
	if err != nil || !ok || closing.Through == 0 {
		return err
	}
	basis, loc, err := shopBooks(tx, shop)
	if err != nil {
		return err
	}
	var before *sales.Record
	if old != nil {
		before = new(sales.Record)
		var dec sales.Decoder
		if err := dec.Decode(shop, after.ID, old, before); err != nil {
			// A record of another layout is being rebuilt: nothing to compare.
			before = nil
		}
	}
	if !sales.ClosedPartChanged(before, after, basis, loc, closing.Through) {
		return nil
	}
	changes := tx.Bucket(bucketClosedChanges)
	seq, err := changes.NextSequence()
	if err != nil {
		return err
	}
	ch := sales.Change{
		Seq: seq, Shop: shop, Order: after.ID, Arrived: now.UTC(),
		ClosedThrough: closing.Through, BookOn: closing.Through + 1, Before: before, After: *after,
	}
	data, err := encodeJSON(&ch)
	if err != nil {
		return err
	}
	return changes.Put(binary.BigEndian.AppendUint64(u64(uint64(shop)), seq), data)
}

// shopCache keeps each shop's parsed basis and time zone with the record
// they were read from: putSales runs for every order written, and neither
// decoding the shop nor loading its time zone should.
var shopCache sync.Map // ShopID -> *shopBooksEntry

type shopBooksEntry struct {
	raw   []byte
	basis ledger.BooksBasis
	loc   *time.Location
}

// shopBooks is the shop's books basis and time zone.
func shopBooks(tx *bbolt.Tx, shop ledger.ShopID) (ledger.BooksBasis, *time.Location, error) {
	raw := tx.Bucket(bucketShops).Get(u64(uint64(shop)))
	if raw == nil { // a removed shop whose orders were kept
		return ledger.BasisCreated, time.UTC, nil
	}
	if e, ok := shopCache.Load(shop); ok && bytes.Equal(e.(*shopBooksEntry).raw, raw) {
		e := e.(*shopBooksEntry)
		return e.basis, e.loc, nil
	}
	var sh ledger.Shop
	if err := decodeJSON(raw, &sh); err != nil {
		return "", nil, fmt.Errorf("shop %d: decode: %w", shop, err)
	}
	e := &shopBooksEntry{raw: bytes.Clone(raw), basis: sales.Basis(sh.BooksBasis), loc: sh.Location()}
	shopCache.Store(shop, e)
	return e.basis, e.loc, nil
}

// EachSalesRecord calls fn with the sales record of every order of shop
// (of every shop when shop is 0), in key order, in one read transaction.
// r is reused: fn must not keep it.
func (s *Store) EachSalesRecord(shop ledger.ShopID, fn func(r *sales.Record) error) error {
	err := s.db.View(func(tx *bbolt.Tx) error {
		var dec sales.Decoder
		var r sales.Record
		c := tx.Bucket(bucketSales).Cursor()
		var prefix []byte
		k, v := c.First()
		if shop != 0 {
			prefix = u64(uint64(shop))
			k, v = c.Seek(prefix)
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != 16 {
				continue
			}
			sh, id := ledger.ShopID(binary.BigEndian.Uint64(k)), int64(binary.BigEndian.Uint64(k[8:]))
			if err := dec.Decode(sh, id, v, &r); err != nil {
				return fmt.Errorf("%s: %w", describe(ledger.OrderKey{Shop: sh, ID: id}), err)
			}
			if err := fn(&r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read sales records: %w", err)
	}
	return nil
}
