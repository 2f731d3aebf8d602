package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// getRecord decodes the record under id in bucket; what names it in the
// error ("shop 3: not found").
func getRecord[T any](tx *bbolt.Tx, bucket []byte, id uint64, what Kind) (T, error) {
	var v T
	data := tx.Bucket(bucket).Get(u64(id))
	if data == nil {
		return v, &NotFoundError{Kind: what, ID: id}
	}
	if err := decodeJSON(data, &v); err != nil {
		return v, fmt.Errorf("%s %d: decode: %w", what, id, err)
	}
	return v, nil
}

func putRecord(tx *bbolt.Tx, bucket []byte, id uint64, v any) error {
	data, err := encodeJSON(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put(u64(id), data)
}

// listRecords decodes every record of bucket, in id order.
func listRecords[T any](tx *bbolt.Tx, bucket []byte) ([]T, error) {
	var out []T
	err := tx.Bucket(bucket).ForEach(func(k, data []byte) error {
		var v T
		if err := decodeJSON(data, &v); err != nil {
			return fmt.Errorf("%s %d: decode: %w", bucket, binary.BigEndian.Uint64(k), err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// Shops.

// CreateShop stores a new shop and returns it with its ID (and Created, if
// it was zero). The name is required and must differ, ignoring case, from
// every other shop's; a warehouse or cost center it names must exist.
func (s *Store) CreateShop(sh ledger.Shop) (ledger.Shop, error) {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := checkShop(tx, &sh, 0); err != nil {
			return err
		}
		id, err := tx.Bucket(bucketShops).NextSequence()
		if err != nil {
			return err
		}
		sh.ID = ledger.ShopID(id)
		if sh.Created.IsZero() {
			sh.Created = time.Now().UTC()
		}
		return putRecord(tx, bucketShops, id, &sh)
	})
	if err != nil {
		return ledger.Shop{}, fmt.Errorf("create shop: %w", err)
	}
	return sh, nil
}

// UpdateShop replaces the stored shop with the same ID. A zero Created keeps
// the stored one, and so does an empty WebhookToken: a form loaded before
// the token was made must not take the shop's webhook URL away. Orders
// already imported keep their warehouse and cost center; the shop's choice
// applies to new imports.
func (s *Store) UpdateShop(sh ledger.Shop) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		old, err := getRecord[ledger.Shop](tx, bucketShops, uint64(sh.ID), KindShop)
		if err != nil {
			return err
		}
		if err := checkShop(tx, &sh, sh.ID); err != nil {
			return err
		}
		if sh.Created.IsZero() {
			sh.Created = old.Created
		}
		if sh.WebhookToken == "" {
			sh.WebhookToken = old.WebhookToken
		}
		return putRecord(tx, bucketShops, uint64(sh.ID), &sh)
	})
	if err != nil {
		return fmt.Errorf("update shop: %w", err)
	}
	return nil
}

// checkShop trims and validates sh; self is its own ID when updating.
func checkShop(tx *bbolt.Tx, sh *ledger.Shop, self ledger.ShopID) error {
	sh.Name = strings.TrimSpace(sh.Name)
	sh.URL = strings.TrimSpace(sh.URL)
	if sh.Name == "" {
		return fmt.Errorf("shop name is required")
	}
	if err := shopConflict(tx, *sh, self); err != nil {
		return err
	}
	if sh.Warehouse != 0 {
		if _, err := getRecord[ledger.Warehouse](tx, bucketWarehouses, uint64(sh.Warehouse), KindWarehouse); err != nil {
			return err
		}
	}
	if sh.CostCenter != 0 {
		if _, err := getRecord[ledger.CostCenter](tx, bucketCostCenters, uint64(sh.CostCenter), KindCostCenter); err != nil {
			return err
		}
	}
	return nil
}

// shopConflict returns a *DuplicateError when another shop than self has
// sh's name (ignoring case and surrounding space) or its address (see
// shopURLKey): a shop added twice would have every order twice.
func shopConflict(tx *bbolt.Tx, sh ledger.Shop, self ledger.ShopID) error {
	shops, err := listRecords[ledger.Shop](tx, bucketShops)
	if err != nil {
		return err
	}
	name, key := strings.TrimSpace(sh.Name), shopURLKey(sh.URL)
	for _, o := range shops {
		switch {
		case o.ID == self:
		case name != "" && strings.EqualFold(strings.TrimSpace(o.Name), name):
			return &DuplicateError{Kind: KindShop, Value: name, Other: o.Name}
		case key != "" && shopURLKey(o.URL) == key:
			return &DuplicateError{Kind: KindShop, URL: true, Value: strings.TrimSpace(sh.URL), Other: o.Name}
		}
	}
	return nil
}

// CheckShop tells whether sh could be stored beside the other shops: a
// *DuplicateError when another shop has its name or address. An empty name
// or address is not checked, so that a form can check each as it is
// entered; self is the shop's own ID when editing it, else 0.
func (s *Store) CheckShop(sh ledger.Shop, self ledger.ShopID) error {
	return s.db.View(func(tx *bbolt.Tx) error { return shopConflict(tx, sh, self) })
}

// DeleteShop removes the shop, its sync state and its webhook deliveries.
// With keepOrders its orders, their history and raw payloads stay in the
// books (under the old shop ID, which is never reused); without, they are
// erased too.
func (s *Store) DeleteShop(id ledger.ShopID, keepOrders bool) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		shops := tx.Bucket(bucketShops)
		if shops.Get(u64(uint64(id))) == nil {
			return fmt.Errorf("shop %d: %w", id, ErrNotFound)
		}
		if err := shops.Delete(u64(uint64(id))); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSync).Delete(u64(uint64(id))); err != nil {
			return err
		}
		prefix := u64(uint64(id))
		for _, name := range [][]byte{bucketDeliveries, bucketDeliveryBodies, bucketDeliverySeen} {
			if err := deletePrefix(tx.Bucket(name), prefix); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		if keepOrders {
			return nil
		}
		// by_created keys are found through by_shop, before it goes.
		var byCreated [][]byte
		c := tx.Bucket(bucketByShop).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			byCreated = append(byCreated, posFromShopKey(k).createdKey())
		}
		if err := deleteKeys(tx.Bucket(bucketByCreated), byCreated); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketByShop, bucketOrders, bucketRaw, bucketHistory, bucketSearch, bucketSales} {
			if err := deletePrefix(tx.Bucket(name), prefix); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete shop: %w", err)
	}
	return nil
}

// deletePrefix deletes every key of b that starts with prefix. Keys are
// collected first: deleting under a moving cursor can skip entries.
func deletePrefix(b *bbolt.Bucket, prefix []byte) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	return deleteKeys(b, keys)
}

func deleteKeys(b *bbolt.Bucket, keys [][]byte) error {
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Shop returns the shop with the given ID.
func (s *Store) Shop(id ledger.ShopID) (ledger.Shop, error) {
	var sh ledger.Shop
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		sh, err = getRecord[ledger.Shop](tx, bucketShops, uint64(id), KindShop)
		return err
	})
	return sh, err
}

// ShopByName returns the shop with the given name, ignoring case and
// surrounding space.
func (s *Store) ShopByName(name string) (ledger.Shop, error) {
	shops, err := s.Shops()
	if err != nil {
		return ledger.Shop{}, err
	}
	for _, sh := range shops {
		if strings.EqualFold(strings.TrimSpace(sh.Name), strings.TrimSpace(name)) {
			return sh, nil
		}
	}
	return ledger.Shop{}, &NotFoundError{Kind: KindShop, Name: name}
}

// Shops returns every shop, by ID.
func (s *Store) Shops() ([]ledger.Shop, error) {
	var shops []ledger.Shop
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		shops, err = listRecords[ledger.Shop](tx, bucketShops)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list shops: %w", err)
	}
	return shops, nil
}

// Warehouses and cost centers share their rules; codedKind describes one of
// the two to the generic code below.
type codedKind[T any] struct {
	kind   Kind
	bucket []byte
	id     func(*T) *uint64
	code   func(*T) *string
	name   func(*T) *string
	usedBy func(*ledger.Shop) uint64 // the shop's reference to this kind
}

var warehouses = codedKind[ledger.Warehouse]{
	kind:   KindWarehouse,
	bucket: bucketWarehouses,
	id:     func(w *ledger.Warehouse) *uint64 { return (*uint64)(&w.ID) },
	code:   func(w *ledger.Warehouse) *string { return &w.Code },
	name:   func(w *ledger.Warehouse) *string { return &w.Name },
	usedBy: func(sh *ledger.Shop) uint64 { return uint64(sh.Warehouse) },
}

var costCenters = codedKind[ledger.CostCenter]{
	kind:   KindCostCenter,
	bucket: bucketCostCenters,
	id:     func(c *ledger.CostCenter) *uint64 { return (*uint64)(&c.ID) },
	code:   func(c *ledger.CostCenter) *string { return &c.Code },
	name:   func(c *ledger.CostCenter) *string { return &c.Name },
	usedBy: func(sh *ledger.Shop) uint64 { return uint64(sh.CostCenter) },
}

// check trims and validates v; self is its own ID when updating.
func (k codedKind[T]) check(tx *bbolt.Tx, v *T, self uint64) error {
	code, name := k.code(v), k.name(v)
	*code, *name = strings.TrimSpace(*code), strings.TrimSpace(*name)
	switch {
	case *code == "":
		return fmt.Errorf("%s code is required", k.kind)
	case *name == "":
		return fmt.Errorf("%s name is required", k.kind)
	}
	all, err := listRecords[T](tx, k.bucket)
	if err != nil {
		return err
	}
	for i := range all {
		if *k.id(&all[i]) != self && strings.EqualFold(strings.TrimSpace(*k.code(&all[i])), *code) {
			return &DuplicateError{Kind: k.kind, Value: *code, Other: *k.name(&all[i])}
		}
	}
	return nil
}

func (k codedKind[T]) create(s *Store, v T) (T, error) {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := k.check(tx, &v, 0); err != nil {
			return err
		}
		id, err := tx.Bucket(k.bucket).NextSequence()
		if err != nil {
			return err
		}
		*k.id(&v) = id
		return putRecord(tx, k.bucket, id, &v)
	})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("create %s: %w", k.kind, err)
	}
	return v, nil
}

func (k codedKind[T]) update(s *Store, v T) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		id := *k.id(&v)
		if _, err := getRecord[T](tx, k.bucket, id, k.kind); err != nil {
			return err
		}
		if err := k.check(tx, &v, id); err != nil {
			return err
		}
		return putRecord(tx, k.bucket, id, &v)
	})
	if err != nil {
		return fmt.Errorf("update %s: %w", k.kind, err)
	}
	return nil
}

// delete removes the record unless a shop uses it; then the error is a bare
// *InUseError, whose text is meant for the user.
func (k codedKind[T]) delete(s *Store, id uint64) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		v, err := getRecord[T](tx, k.bucket, id, k.kind)
		if err != nil {
			return fmt.Errorf("delete %s: %w", k.kind, err)
		}
		shops, err := listRecords[ledger.Shop](tx, bucketShops)
		if err != nil {
			return fmt.Errorf("delete %s: %w", k.kind, err)
		}
		inUse := &InUseError{Kind: k.kind, Code: *k.code(&v)}
		for i := range shops {
			if k.usedBy(&shops[i]) == id {
				inUse.Shops = append(inUse.Shops, shops[i].Name)
			}
		}
		if len(inUse.Shops) > 0 {
			return inUse
		}
		if err := tx.Bucket(k.bucket).Delete(u64(id)); err != nil {
			return fmt.Errorf("delete %s: %w", k.kind, err)
		}
		return nil
	})
}

func (k codedKind[T]) get(s *Store, id uint64) (T, error) {
	var v T
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		v, err = getRecord[T](tx, k.bucket, id, k.kind)
		return err
	})
	return v, err
}

func (k codedKind[T]) byCode(s *Store, code string) (T, error) {
	all, err := k.list(s)
	if err != nil {
		var zero T
		return zero, err
	}
	for i := range all {
		if strings.EqualFold(strings.TrimSpace(*k.code(&all[i])), strings.TrimSpace(code)) {
			return all[i], nil
		}
	}
	var zero T
	return zero, &NotFoundError{Kind: k.kind, Name: code}
}

func (k codedKind[T]) list(s *Store) ([]T, error) {
	var all []T
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		all, err = listRecords[T](tx, k.bucket)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list %ss: %w", k.kind, err)
	}
	return all, nil
}

// CreateWarehouse stores a new warehouse and returns it with its ID. Code
// and name are required (surrounding space is trimmed) and the code must
// differ, ignoring case, from every other warehouse's.
func (s *Store) CreateWarehouse(w ledger.Warehouse) (ledger.Warehouse, error) {
	return warehouses.create(s, w)
}

// UpdateWarehouse replaces the stored warehouse with the same ID.
func (s *Store) UpdateWarehouse(w ledger.Warehouse) error { return warehouses.update(s, w) }

// DeleteWarehouse removes a warehouse that no shop uses; otherwise it
// returns an *InUseError naming the shops. Orders stamped with it keep the ID.
func (s *Store) DeleteWarehouse(id ledger.WarehouseID) error {
	return warehouses.delete(s, uint64(id))
}

// Warehouse returns the warehouse with the given ID.
func (s *Store) Warehouse(id ledger.WarehouseID) (ledger.Warehouse, error) {
	return warehouses.get(s, uint64(id))
}

// WarehouseByCode returns the warehouse with the given code, ignoring case.
func (s *Store) WarehouseByCode(code string) (ledger.Warehouse, error) {
	return warehouses.byCode(s, code)
}

// Warehouses returns every warehouse, by ID.
func (s *Store) Warehouses() ([]ledger.Warehouse, error) { return warehouses.list(s) }

// CreateCostCenter stores a new cost center and returns it with its ID, with
// the same rules as CreateWarehouse.
func (s *Store) CreateCostCenter(c ledger.CostCenter) (ledger.CostCenter, error) {
	return costCenters.create(s, c)
}

// UpdateCostCenter replaces the stored cost center with the same ID.
func (s *Store) UpdateCostCenter(c ledger.CostCenter) error { return costCenters.update(s, c) }

// DeleteCostCenter removes a cost center that no shop uses; otherwise it
// returns an *InUseError naming the shops.
func (s *Store) DeleteCostCenter(id ledger.CostCenterID) error {
	return costCenters.delete(s, uint64(id))
}

// CostCenter returns the cost center with the given ID.
func (s *Store) CostCenter(id ledger.CostCenterID) (ledger.CostCenter, error) {
	return costCenters.get(s, uint64(id))
}

// CostCenterByCode returns the cost center with the given code, ignoring case.
func (s *Store) CostCenterByCode(code string) (ledger.CostCenter, error) {
	return costCenters.byCode(s, code)
}

// CostCenters returns every cost center, by ID.
func (s *Store) CostCenters() ([]ledger.CostCenter, error) { return costCenters.list(s) }
