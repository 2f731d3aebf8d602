package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// SearchRecord is what the order search needs of one order. The store
// keeps one per order in the search bucket (schema version 3), written in
// the same transaction as the order, so the search index reads ~100 bytes
// an order instead of decoding whole orders: at 100,000 orders seconds
// become a fraction of one, and the order records' pages are not brought
// into memory.
type SearchRecord struct {
	Key ledger.OrderKey
	// Created is the creation time in Unix nanoseconds, as the list sorts.
	Created    int64
	Status     ledger.Status
	Deleted    bool
	Warehouse  ledger.WarehouseID
	CostCenter ledger.CostCenterID
	// Text is ledger.SearchText of the order. It is valid only during the
	// callback that receives it.
	Text []byte
}

// searchVersion starts every search record, so its layout can change.
const searchVersion = 1

// encodeSearch is version | uvarint created | uvarint warehouse | uvarint
// cost center | flags | uvarint len(status) | status | text.
func encodeSearch(o *ledger.Order) []byte {
	text := ledger.SearchText(o)
	b := make([]byte, 0, 1+3*binary.MaxVarintLen64+1+binary.MaxVarintLen64+len(o.Status)+len(text))
	b = append(b, searchVersion)
	b = binary.AppendUvarint(b, nanos(o.Created))
	b = binary.AppendUvarint(b, uint64(o.Warehouse))
	b = binary.AppendUvarint(b, uint64(o.CostCenter))
	var flags byte
	if o.Deleted {
		flags |= 1
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(len(o.Status)))
	b = append(b, o.Status...)
	return append(b, text...)
}

var errBadSearchRecord = errors.New("malformed search record")

func decodeSearch(key, v []byte, r *SearchRecord) error {
	if len(key) != 16 || len(v) == 0 || v[0] != searchVersion {
		return errBadSearchRecord
	}
	r.Key = ledger.OrderKey{Shop: ledger.ShopID(binary.BigEndian.Uint64(key)), ID: int64(binary.BigEndian.Uint64(key[8:]))}
	v = v[1:]
	var vals [3]uint64
	for i := range vals {
		x, n := binary.Uvarint(v)
		if n <= 0 {
			return errBadSearchRecord
		}
		vals[i], v = x, v[n:]
	}
	if len(v) < 1 {
		return errBadSearchRecord
	}
	r.Created, r.Warehouse, r.CostCenter = int64(vals[0]), ledger.WarehouseID(vals[1]), ledger.CostCenterID(vals[2])
	r.Deleted = v[0]&1 != 0
	v = v[1:]
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return errBadSearchRecord
	}
	r.Status = ledger.Status(v[k : k+int(n)])
	r.Text = v[k+int(n):]
	return nil
}

// putSearch writes the search record of o, stored under key.
func putSearch(b *bbolt.Bucket, key []byte, o *ledger.Order) error {
	if err := b.Put(key, encodeSearch(o)); err != nil {
		return fmt.Errorf("search record: %w", err)
	}
	return nil
}

// EachSearchRecord calls fn with the search record of every order, in key
// order (shop, then id), in one read transaction; fn must be quick and must
// not keep r.Text.
func (s *Store) EachSearchRecord(fn func(r *SearchRecord) error) error {
	err := s.db.View(func(tx *bbolt.Tx) error {
		var r SearchRecord
		return tx.Bucket(bucketSearch).ForEach(func(k, v []byte) error {
			if err := decodeSearch(k, v, &r); err != nil {
				return fmt.Errorf("order %x: %w", k, err)
			}
			return fn(&r)
		})
	})
	if err != nil {
		return fmt.Errorf("read search records: %w", err)
	}
	return nil
}

// backfillSearch writes the search record of every stored order: schema
// version 3 for books made before it.
func backfillSearch(tx *bbolt.Tx) error {
	search, err := tx.CreateBucketIfNotExists(bucketSearch)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketSearch, err)
	}
	search.FillPercent = appendFill // keys come in order
	var o ledger.Order
	return tx.Bucket(bucketOrders).ForEach(func(k, v []byte) error {
		if err := decodeOrder(v, &o); err != nil {
			return fmt.Errorf("order %x: %w", k, err)
		}
		return putSearch(search, k, &o)
	})
}
