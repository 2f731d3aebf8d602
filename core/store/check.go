package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// ErrNotDatabase means a file is not a ShopLedger database: not a bbolt
// file, or one without ShopLedger's schema version.
var ErrNotDatabase = errors.New("not a ShopLedger database")

// NewerSchemaError is a database written by a newer ShopLedger than this
// one, which cannot know what its newer records mean.
type NewerSchemaError struct{ Version, Supported int }

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("schema version %d is newer than this ShopLedger supports (%d)", e.Version, e.Supported)
}

// DamagedError lists what Check found wrong with a database.
type DamagedError struct{ Problems []string }

func (e *DamagedError) Error() string {
	return "damaged database: " + strings.Join(e.Problems, "; ")
}

// maxProblems bounds what a DamagedError lists: a damaged index would
// otherwise list every order.
const maxProblems = 20

// Summary is what a consistent database holds.
type Summary struct {
	SchemaVersion int
	Shops, Orders int
}

// Check reads the whole database in one read transaction and returns a
// *DamagedError when its records do not agree: bbolt's own page check,
// the buckets of its schema, every order with its by_created, by_shop and
// search entries (and no index entry without its order), payloads and
// history of stored orders only, and shops whose warehouse, cost center
// and sync state exist.
func (s *Store) Check() (Summary, error) {
	var sum Summary
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		sum, err = check(tx)
		return err
	})
	return sum, err
}

func check(tx *bbolt.Tx) (Summary, error) {
	sum := Summary{SchemaVersion: schemaVersion(tx)}
	switch {
	case sum.SchemaVersion == 0:
		return sum, ErrNotDatabase
	case sum.SchemaVersion > len(migrations):
		return sum, &NewerSchemaError{Version: sum.SchemaVersion, Supported: len(migrations)}
	}
	c := checker{}
	for err := range tx.Check() {
		c.add("%v", err)
	}
	if len(c.problems) > 0 {
		return sum, c.err()
	}
	buckets := [][]byte{
		bucketMeta, bucketShops, bucketWarehouses, bucketCostCenters, bucketOrders,
		bucketRaw, bucketHistory, bucketByCreated, bucketByShop, bucketSync,
	}
	if sum.SchemaVersion >= 2 {
		buckets = append(buckets, bucketDeliveries, bucketDeliveryBodies, bucketDeliverySeen)
	}
	if sum.SchemaVersion >= 3 {
		buckets = append(buckets, bucketSearch)
	}
	for _, name := range buckets {
		if tx.Bucket(name) == nil {
			c.add("bucket %s is missing", name)
		}
	}
	if len(c.problems) > 0 {
		return sum, c.err()
	}
	c.catalog(tx, &sum)
	c.orders(tx, &sum)
	return sum, c.err()
}

type checker struct{ problems []string }

func (c *checker) add(format string, args ...any) {
	if len(c.problems) < maxProblems {
		c.problems = append(c.problems, fmt.Sprintf(format, args...))
	}
}

func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &DamagedError{Problems: c.problems}
}

// catalog checks shops against warehouses, cost centers and sync states.
func (c *checker) catalog(tx *bbolt.Tx, sum *Summary) {
	shops, err := listRecords[ledger.Shop](tx, bucketShops)
	if err != nil {
		c.add("shops: %v", err)
		return
	}
	sum.Shops = len(shops)
	ids := map[uint64]bool{}
	for _, sh := range shops {
		ids[uint64(sh.ID)] = true
		if sh.Warehouse != 0 && tx.Bucket(bucketWarehouses).Get(u64(uint64(sh.Warehouse))) == nil {
			c.add("shop %d books into missing warehouse %d", sh.ID, sh.Warehouse)
		}
		if sh.CostCenter != 0 && tx.Bucket(bucketCostCenters).Get(u64(uint64(sh.CostCenter))) == nil {
			c.add("shop %d books into missing cost center %d", sh.ID, sh.CostCenter)
		}
	}
	tx.Bucket(bucketSync).ForEach(func(k, _ []byte) error {
		if len(k) != 8 || !ids[binary.BigEndian.Uint64(k)] {
			c.add("sync state %x has no shop", k)
		}
		return nil
	})
}

// orders checks every order against its indexes, and the indexes, the
// payloads and the history against the orders.
func (c *checker) orders(tx *bbolt.Tx, sum *Summary) {
	orders, byCreated, byShop := tx.Bucket(bucketOrders), tx.Bucket(bucketByCreated), tx.Bucket(bucketByShop)
	search := tx.Bucket(bucketSearch) // nil before schema 3
	var o ledger.Order
	orders.ForEach(func(k, v []byte) error {
		sum.Orders++
		if len(k) != 16 {
			c.add("order key %x is not shop|id", k)
			return nil
		}
		o = ledger.Order{}
		if err := decodeOrder(v, &o); err != nil {
			c.add("order %x: %v", k, err)
			return nil
		}
		if !bytes.Equal(orderKey(o.Key()), k) {
			c.add("order %x holds order %d of shop %d", k, o.ID, o.Shop)
			return nil
		}
		p := orderPos(&o)
		if got := byCreated.Get(p.createdKey()); got == nil || string(got) != string(o.Status) {
			c.add("%s: by_created has %q, want %q", describe(o.Key()), got, o.Status)
		}
		if got := byShop.Get(p.shopKey()); got == nil || string(got) != string(o.Status) {
			c.add("%s: by_shop has %q, want %q", describe(o.Key()), got, o.Status)
		}
		if search != nil && search.Get(k) == nil {
			c.add("%s has no search record", describe(o.Key()))
		}
		return nil
	})
	count := func(b *bbolt.Bucket) int { return b.Stats().KeyN }
	if n := count(byCreated); n != sum.Orders {
		c.add("by_created has %d entries for %d orders", n, sum.Orders)
	}
	if n := count(byShop); n != sum.Orders {
		c.add("by_shop has %d entries for %d orders", n, sum.Orders)
	}
	if search != nil {
		if n := count(search); n != sum.Orders {
			c.add("search has %d records for %d orders", n, sum.Orders)
		}
	}
	// Payloads and history belong to stored orders.
	tx.Bucket(bucketRaw).ForEach(func(k, _ []byte) error {
		if orders.Get(k) == nil {
			c.add("payload %x has no order", k)
		}
		return nil
	})
	var last []byte
	tx.Bucket(bucketHistory).ForEach(func(k, _ []byte) error {
		if len(k) != 24 {
			c.add("history key %x is not shop|id|seq", k)
			return nil
		}
		if bytes.Equal(k[:16], last) {
			return nil
		}
		last = append(last[:0], k[:16]...)
		if orders.Get(k[:16]) == nil {
			c.add("history %x has no order", k[:16])
		}
		return nil
	})
}
