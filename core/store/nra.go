package store

import (
	"fmt"

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
