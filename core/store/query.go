package store

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// OrderFilter selects orders for Orders, EachOrder and CountOrders. Zero
// fields select everything.
type OrderFilter struct {
	Shop ledger.ShopID
	// Status and Statuses select by WooCommerce status: an order matches
	// when its status is Status or one of Statuses; both empty, any status
	// does. Status is the one-status form (the CLI's --status), Statuses
	// the window's filter, where several can be ticked.
	Status   ledger.Status
	Statuses []ledger.Status
	// From and To bound the creation time: From inclusive, To exclusive.
	From, To time.Time
}

// DefaultPageSize is the page size Orders uses when asked for limit <= 0.
const DefaultPageSize = 100

// Orders returns up to limit orders matching f, newest first (by Created,
// then shop, then ID, all descending), starting after the page token after
// (nil for the first page). next is the token for the following page, nil
// when there is none. Raw is not loaded.
//
// Only the index is read to find and filter the orders: by_shop when f has a
// shop, by_created otherwise; the status is in the index entry. So a page
// costs a cursor seek and about limit record reads, however large the list.
func (s *Store) Orders(f OrderFilter, after []byte, limit int) (orders []ledger.Order, next []byte, err error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	var start *pos
	if after != nil {
		p, err := decodeToken(after)
		if err != nil {
			return nil, nil, fmt.Errorf("list orders: %w", err)
		}
		start = &p
	}
	err = s.db.View(func(tx *bbolt.Tx) error {
		orders, next = make([]ledger.Order, 0, min(limit, 1000)), nil
		ob := tx.Bucket(bucketOrders)
		var last pos
		return scan(tx, f, start, func(p pos) (bool, error) {
			if len(orders) == limit {
				next = encodeToken(last)
				return false, nil
			}
			k := ledger.OrderKey{Shop: ledger.ShopID(p.shop), ID: int64(p.id)}
			data := ob.Get(orderKey(k))
			if data == nil {
				return false, fmt.Errorf("%s is indexed but missing", describe(k))
			}
			orders = append(orders, ledger.Order{})
			if err := decodeOrder(data, &orders[len(orders)-1]); err != nil {
				return false, fmt.Errorf("%s: decode: %w", describe(k), err)
			}
			last = p
			return true, nil
		})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list orders: %w", err)
	}
	return orders, next, nil
}

// eachBatch is how many orders EachOrder reads per read transaction.
const eachBatch = 500

// EachOrder calls fn for every order matching f, newest first, without Raw.
// The *Order is only valid during the call. It stops at fn's first error and
// returns it as it is.
//
// Orders are read in batches, each in its own short read transaction, and fn
// runs outside any transaction: a slow fn (an export writing a file) neither
// holds up the sync's writes nor deadlocks if it calls the Store. An order
// created or changed while EachOrder runs may or may not be seen.
func (s *Store) EachOrder(f OrderFilter, fn func(*ledger.Order) error) error {
	var after []byte
	for {
		batch, next, err := s.Orders(f, after, eachBatch)
		if err != nil {
			return err
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		if next == nil {
			return nil
		}
		after = next
	}
}

// CountOrders counts the orders matching f, reading only the index.
func (s *Store) CountOrders(f OrderFilter) (int, error) {
	n := 0
	err := s.db.View(func(tx *bbolt.Tx) error {
		return scan(tx, f, nil, func(pos) (bool, error) {
			n++
			return true, nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("count orders: %w", err)
	}
	return n, nil
}

// scan calls fn with the position of each order matching f, newest first,
// starting strictly after `after` (nil: from the newest), until fn returns
// false or an error.
func scan(tx *bbolt.Tx, f OrderFilter, after *pos, fn func(pos) (bool, error)) error {
	// hi is the exclusive upper bound in list order.
	hi := pos{math.MaxUint64, math.MaxUint64, math.MaxUint64}
	if after != nil {
		hi = *after
	}
	if !f.To.IsZero() {
		if to := (pos{created: nanos(f.To)}); to.less(hi) {
			hi = to
		}
	}
	lo := nanos(f.From)
	statuses := f.statusValues()

	var (
		c      *bbolt.Cursor
		seek   []byte
		prefix []byte
		decode func([]byte) pos
	)
	if f.Shop == 0 {
		c, seek, decode = tx.Bucket(bucketByCreated).Cursor(), hi.createdKey(), posFromCreatedKey
	} else {
		// In by_shop the shop comes first; translate hi into that order.
		shop := uint64(f.Shop)
		b := pos{shop: shop, created: hi.created}
		switch {
		case hi.shop > shop: // every id at hi.created is before hi
			b.id = math.MaxUint64
		case hi.shop == shop:
			b.id = hi.id
		}
		c, seek, decode = tx.Bucket(bucketByShop).Cursor(), b.shopKey(), posFromShopKey
		prefix = u64(shop)
	}
	for k, v := seekBefore(c, seek); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		p := decode(k)
		if p.created < lo {
			return nil
		}
		if statuses != nil && !slices.ContainsFunc(statuses, func(s []byte) bool { return bytes.Equal(v, s) }) {
			continue
		}
		if more, err := fn(p); err != nil || !more {
			return err
		}
	}
	return nil
}

// statusValues are the index values of the statuses f selects, nil for
// any status.
func (f OrderFilter) statusValues() [][]byte {
	var out [][]byte
	if f.Status != "" {
		out = append(out, []byte(f.Status))
	}
	for _, s := range f.Statuses {
		out = append(out, []byte(s))
	}
	return out
}

// selectsStatus tells whether f selects orders of status s.
func (f OrderFilter) selectsStatus(s ledger.Status) bool {
	if f.Status == "" && len(f.Statuses) == 0 {
		return true
	}
	return f.Status != "" && s == f.Status || slices.Contains(f.Statuses, s)
}

// seekBefore moves c to the last key strictly below k.
func seekBefore(c *bbolt.Cursor, k []byte) (key, value []byte) {
	if key, _ := c.Seek(k); key == nil {
		return c.Last()
	}
	return c.Prev()
}
