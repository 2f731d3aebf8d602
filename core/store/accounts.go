package store

import (
	"fmt"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
)

// bucketAccounts holds each shop's account mapping: shop -> journal.Accounts
// (JSON). A shop without one books to journal.Defaults("bg").
var bucketAccounts = []byte("accounts")

// Accounts returns the shop's account mapping; set is false (and the
// mapping Bulgarian defaults) when the bookkeeper has not set one.
func (s *Store) Accounts(shop ledger.ShopID) (acc journal.Accounts, set bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get(u64(uint64(shop))) == nil {
			return fmt.Errorf("shop %d: %w", shop, ErrNotFound)
		}
		data := tx.Bucket(bucketAccounts).Get(u64(uint64(shop)))
		if data == nil {
			acc = journal.Defaults("bg")
			return nil
		}
		set = true
		return decodeJSON(data, &acc)
	})
	if err != nil {
		return journal.Accounts{}, false, fmt.Errorf("read the account mapping: %w", err)
	}
	return acc, set, nil
}

// SetAccounts stores the shop's account mapping after checking it.
func (s *Store) SetAccounts(shop ledger.ShopID, acc journal.Accounts) error {
	if err := acc.Validate(); err != nil {
		return err
	}
	err := s.update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get(u64(uint64(shop))) == nil {
			return fmt.Errorf("shop %d: %w", shop, ErrNotFound)
		}
		return putRecord(tx, bucketAccounts, uint64(shop), &acc)
	})
	if err != nil {
		return fmt.Errorf("save the account mapping: %w", err)
	}
	return nil
}
