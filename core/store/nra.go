package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
)

// bucketNRA holds each shop's settings for the NRA audit file: shop ->
// nra.Settings (JSON; none of it is secret). The bucket is made by the
// first save: a shop without settings simply has none.
var bucketNRA = []byte("nra_settings")

// NRASettings returns the shop's audit-file settings; set is false when
// the bookkeeper has not saved any.
func (s *Store) NRASettings(shop ledger.ShopID) (st nra.Settings, set bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get(u64(uint64(shop))) == nil {
			return fmt.Errorf("shop %d: %w", shop, ErrNotFound)
		}
		b := tx.Bucket(bucketNRA)
		if b == nil {
			return nil
		}
		data := b.Get(u64(uint64(shop)))
		if data == nil {
			return nil
		}
		set = true
		return decodeJSON(data, &st)
	})
	if err != nil {
		return nra.Settings{}, false, fmt.Errorf("read the NRA file settings: %w", err)
	}
	return st, set, nil
}

// SetNRASettings stores the shop's audit-file settings after checking them.
func (s *Store) SetNRASettings(shop ledger.ShopID, st nra.Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	err := s.update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get(u64(uint64(shop))) == nil {
			return fmt.Errorf("shop %d: %w", shop, ErrNotFound)
		}
		if _, err := tx.CreateBucketIfNotExists(bucketNRA); err != nil {
			return fmt.Errorf("create bucket %s: %w", bucketNRA, err)
		}
		return putRecord(tx, bucketNRA, uint64(shop), &st)
	})
	if err != nil {
		return fmt.Errorf("save the NRA file settings: %w", err)
	}
	return nil
}

// bucketNRAFiles holds what the last file made for a shop and month said:
// shop|YYYYMM -> nra.Record (JSON), made by the first file written.
var bucketNRAFiles = []byte("nra_files")

func nraFileKey(shop ledger.ShopID, year int, month time.Month) []byte {
	return append(u64(uint64(shop)), u64(uint64(year*100+int(month)))...)
}

// LastNRAFile returns the record of the last audit file made for the
// shop's month; ok is false when none was.
func (s *Store) LastNRAFile(shop ledger.ShopID, year int, month time.Month) (rec nra.Record, ok bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketNRAFiles)
		if b == nil {
			return nil
		}
		data := b.Get(nraFileKey(shop, year, month))
		if data == nil {
			return nil
		}
		ok = true
		return decodeJSON(data, &rec)
	})
	if err != nil {
		return nra.Record{}, false, fmt.Errorf("read the last NRA file of %d-%02d: %w", year, month, err)
	}
	return rec, ok, nil
}

// PutNRAFile keeps the record of the audit file just made.
func (s *Store) PutNRAFile(shop ledger.ShopID, year int, month time.Month, rec nra.Record) error {
	data, err := encodeJSON(&rec)
	if err != nil {
		return err
	}
	err = s.update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketNRAFiles)
		if err != nil {
			return fmt.Errorf("create bucket %s: %w", bucketNRAFiles, err)
		}
		return b.Put(nraFileKey(shop, year, month), data)
	})
	if err != nil {
		return fmt.Errorf("keep the record of the NRA file of %d-%02d: %w", year, month, err)
	}
	return nil
}
