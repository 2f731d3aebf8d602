package store

import (
	"bytes"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Applying an order is decided, then executed. Deciding compares the
// incoming order with the stored record and encodes what is to be stored;
// it needs no write transaction, so Prepare does it (with the compression)
// outside one, where a sync pipeline can run it beside the network and the
// commits. ApplyOrders decides inside its transaction as before.

type planKind uint8

const (
	planNew planKind = iota
	planStale
	planUnchanged
	planUpdated
)

// orderPlan is what applying one order does to the stored record it was
// decided against.
type orderPlan struct {
	kind planKind
	o    ledger.Order // as stored: Shop, warehouse, cost center, Deleted set; Raw nil; UTC
	key  []byte
	prev orderHead // the stored head (planUpdated)
	// wh and cc are the shop's stamp the plan assumed (planNew).
	wh ledger.WarehouseID
	cc ledger.CostCenterID
	// record is the stored form of the order (planNew, planUpdated); nil
	// until encoded.
	plain, record []byte
	// search is the order's search record (planNew, planUpdated); nil
	// until encoded.
	search []byte
	// raw is the payload, rawEnc its stored form (nil until compressed).
	raw, rawEnc []byte
}

// decide plans o (Shop set, Raw cleared, times in UTC) against stored, the
// stored record under key or nil, for a shop that stamps wh and cc. It
// leaves o stamped as it would be stored.
func (p *orderPlan) decide(wh ledger.WarehouseID, cc ledger.CostCenterID, o *ledger.Order, key, stored []byte) error {
	p.key, p.wh, p.cc = key, wh, cc
	p.plain, p.record, p.search = nil, nil, nil
	if stored == nil {
		o.Warehouse, o.CostCenter, o.Deleted = wh, cc, false
		o.RefundsStale = o.RefundsUnlisted
		plain, err := encodeJSON(o)
		if err != nil {
			return err
		}
		p.kind, p.o, p.plain = planNew, *o, plain
		return nil
	}
	prev, storedPlain, err := decodeOrderHead(stored)
	if err != nil {
		return fmt.Errorf("decode stored order: %w", err)
	}
	p.prev = prev
	if o.Modified.Before(prev.Modified) {
		p.kind, p.o = planStale, *o
		return nil
	}
	// Warehouse, cost center and (for a payload that is not newer) Deleted
	// come from the stored record, so the comparison leaves them out.
	o.Warehouse, o.CostCenter = prev.Warehouse, prev.CostCenter
	o.Deleted = prev.Deleted && !o.Modified.After(prev.Modified)
	keepRefunds(o, &prev)
	plain, err := encodeJSON(o)
	if err != nil {
		return err
	}
	p.o = *o
	if o.Modified.Equal(prev.Modified) && bytes.Equal(plain, storedPlain) {
		p.kind = planUnchanged
		return nil
	}
	p.kind, p.plain = planUpdated, plain
	return nil
}

// encode compresses what the plan writes.
func (p *orderPlan) encode() {
	if p.kind != planNew && p.kind != planUpdated {
		return
	}
	if p.record == nil {
		p.record = orderCodec.encode(p.plain)
	}
	if p.search == nil {
		p.search = encodeSearch(&p.o)
	}
	if p.rawEnc == nil && len(p.raw) > 0 {
		p.rawEnc = encodeRaw(p.raw)
	}
}

// execute writes what the plan says and counts it in res.
func (w *orderWriter) execute(p *orderPlan, src ledger.Source, now time.Time, res *ApplyResult) error {
	o := &p.o
	switch p.kind {
	case planStale:
		res.Stale++
		return nil
	case planUnchanged:
		res.Unchanged++
		return nil
	}
	p.encode()
	if err := w.orders.Put(p.key, p.record); err != nil {
		return err
	}
	if err := w.search.Put(p.key, p.search); err != nil {
		return fmt.Errorf("search record: %w", err)
	}
	if err := putSales(w.orders.Tx(), o, now); err != nil {
		return err
	}
	// An order without a payload loses the payload of its previous version;
	// a payload equal to the stored one is not written again.
	switch {
	case len(p.raw) == 0:
		if p.kind == planUpdated {
			if err := w.raw.Delete(p.key); err != nil {
				return err
			}
		}
	case p.kind == planNew || !bytes.Equal(w.raw.Get(p.key), p.rawEnc):
		if err := w.raw.Put(p.key, p.rawEnc); err != nil {
			return err
		}
	}
	if p.kind == planNew {
		if err := w.index(nil, "", o); err != nil {
			return err
		}
		res.New++
		return w.appendHistory(o.Key(), ledger.StatusChange{
			To: o.Status, At: now, ShopTime: o.Modified, Source: src,
		})
	}
	prevPos := pos{created: nanos(p.prev.Created), shop: uint64(o.Shop), id: uint64(o.ID)}
	if err := w.index(&prevPos, p.prev.Status, o); err != nil {
		return err
	}
	res.Updated++
	if p.prev.Status == o.Status {
		return nil
	}
	res.StatusChanged++
	return w.appendHistory(o.Key(), ledger.StatusChange{
		From: p.prev.Status, To: o.Status, At: now, ShopTime: o.Modified, Source: src,
	})
}

// Prepared is a page of one shop's orders made ready by Prepare for
// ApplyPrepared.
type Prepared struct {
	shop  ledger.ShopID
	plans []orderPlan
	// seen is the stored record each plan was decided against (nil: none).
	seen [][]byte
}

// Len is the number of orders in the page.
func (p *Prepared) Len() int { return len(p.plans) }

// Prepare does for a page of shop's orders what ApplyOrders does before it
// writes: it compares each order with the stored one and encodes and
// compresses what is to be stored. It reads the store but writes nothing,
// and several Prepares may run at once, beside a write. ApplyPrepared then
// writes the page in a short transaction; whatever changed in between (an
// order stored by an earlier page, a reassigned warehouse) is decided again
// there, so the outcome is ApplyOrders' in every case.
//
// The orders in the slice are not modified; an order with an invalid id
// fails the page as it fails ApplyOrders.
func (s *Store) Prepare(shop ledger.ShopID, orders []ledger.Order) (*Prepared, error) {
	p := &Prepared{shop: shop, plans: make([]orderPlan, len(orders)), seen: make([][]byte, len(orders))}
	var sh ledger.Shop
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		if sh, err = getRecord[ledger.Shop](tx, bucketShops, uint64(shop), KindShop); err != nil {
			return err
		}
		b := tx.Bucket(bucketOrders)
		for i := range orders {
			o := &orders[i]
			if o.ID <= 0 {
				return fmt.Errorf("order %d: invalid order id", o.ID)
			}
			key := orderKey(ledger.OrderKey{Shop: shop, ID: o.ID})
			p.plans[i].key = key
			if v := b.Get(key); v != nil {
				p.seen[i] = bytes.Clone(v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("prepare orders for shop %d: %w", shop, err)
	}
	for i := range orders {
		o := orders[i] // a copy: the caller's order stays as it was
		o.Shop = shop
		pl := &p.plans[i]
		pl.raw = o.Raw
		o.Raw = nil
		utc(&o)
		if err := pl.decide(sh.Warehouse, sh.CostCenter, &o, pl.key, p.seen[i]); err != nil {
			return nil, fmt.Errorf("prepare orders for shop %d: order %d: %w", shop, o.ID, err)
		}
		pl.encode()
	}
	return p, nil
}

// ApplyPrepared writes pages made by Prepare, in order, in one transaction:
// each as ApplyOrders would have applied its orders, with the counts for
// each page in the result. In the same transaction it moves the shop's
// sync cursor to cursor if that is later than the stored one (a zero
// cursor leaves it). All pages must be of one shop. On error nothing is
// written.
func (s *Store) ApplyPrepared(pages []*Prepared, src ledger.Source, cursor time.Time) ([]ApplyResult, error) {
	if len(pages) == 0 {
		return nil, nil
	}
	shop := pages[0].shop
	for _, p := range pages[1:] {
		if p.shop != shop {
			return nil, fmt.Errorf("apply prepared orders: pages of shops %d and %d", shop, p.shop)
		}
	}
	res := make([]ApplyResult, len(pages))
	err := s.update(func(tx *bbolt.Tx) error {
		clear(res)
		sh, err := getRecord[ledger.Shop](tx, bucketShops, uint64(shop), KindShop)
		if err != nil {
			return err
		}
		w := newOrderWriter(tx)
		now := time.Now().UTC()
		wrote := false
		for i, page := range pages {
			for j := range page.plans {
				if err := w.applyPlan(&sh, page, j, src, now, &res[i]); err != nil {
					return err
				}
			}
			wrote = wrote || res[i].New+res[i].Updated > 0
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
		if !wrote && !moved {
			return errNoChange
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("apply orders for shop %d: %w", shop, err)
	}
	return res, nil
}

// applyPlan writes the plan j of page as ApplyOrders would write its
// order, deciding again if what is stored changed since Prepare.
func (w *orderWriter) applyPlan(sh *ledger.Shop, page *Prepared, j int, src ledger.Source, now time.Time, res *ApplyResult) error {
	pl := page.plans[j] // a copy: a plan decided again stays unchanged for a retry
	stored := w.orders.Get(pl.key)
	if (stored == nil) != (page.seen[j] == nil) || !bytes.Equal(stored, page.seen[j]) ||
		(pl.kind == planNew && (pl.wh != sh.Warehouse || pl.cc != sh.CostCenter)) {
		// Changed since Prepare: decide again, keeping the compressed
		// payload, which depends on nothing stored.
		o := pl.o
		if err := pl.decide(sh.Warehouse, sh.CostCenter, &o, pl.key, stored); err != nil {
			return fmt.Errorf("order %d: %w", o.ID, err)
		}
	}
	if err := w.execute(&pl, src, now, res); err != nil {
		return fmt.Errorf("order %d: %w", pl.o.ID, err)
	}
	return nil
}
