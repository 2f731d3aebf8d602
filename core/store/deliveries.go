package store

// Webhook deliveries.
//
// A delivery is kept as it arrived so that it can be shown, applied again
// and audited:
//
//	deliveries       shop|seq -> the Delivery without its body (JSON)
//	delivery_bodies  shop|seq -> the body, compressed like raw payloads
//	delivery_seen    shop|sha256(body)|delivery id -> seq
//
// seq comes from the deliveries bucket's sequence: one counter for all
// shops, so seq order is arrival order.
//
// Repeats. X-WC-Webhook-Delivery-ID is wp_hash(webhook id . time()): it is
// the same for every delivery one webhook sends within a second, whatever
// the order, so it cannot identify a delivery on its own. A delivery is a
// repeat only when the same shop sent the same Delivery-ID with the same
// body (by SHA-256); delivery_seen indexes exactly that.
//
// The body lives apart from the record so that listing deliveries and
// changing their status never reads or rewrites it.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// DefaultDeliveryLimit is the page size Deliveries uses when asked for
// limit <= 0.
const DefaultDeliveryLimit = 100

// maxSeenID bounds the Delivery-ID part of a delivery_seen key; WooCommerce
// sends 32 hex digits.
const maxSeenID = 128

// deliveryRecord is a delivery as stored in the deliveries bucket.
type deliveryRecord struct {
	ledger.Delivery
	// NoBody hides Delivery.Body (a shallower field of the same JSON name
	// wins): the body is in delivery_bodies.
	NoBody *struct{} `json:"body,omitempty"`
	// BodySHA256 is the body's hash, which delivery_seen keys carry.
	BodySHA256 []byte `json:"body_sha256"`
}

func deliveryKey(shop ledger.ShopID, seq uint64) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(shop))
	binary.BigEndian.PutUint64(b[8:], seq)
	return b
}

func seenKey(shop ledger.ShopID, sum []byte, deliveryID string) []byte {
	if len(deliveryID) > maxSeenID {
		deliveryID = deliveryID[:maxSeenID]
	}
	b := make([]byte, 0, 8+len(sum)+len(deliveryID))
	b = binary.BigEndian.AppendUint64(b, uint64(shop))
	b = append(b, sum...)
	return append(b, deliveryID...)
}

func describeDelivery(shop ledger.ShopID, seq uint64) string {
	return fmt.Sprintf("delivery %d of shop %d", seq, shop)
}

// deliveryBuckets holds a transaction's delivery buckets.
type deliveryBuckets struct {
	records, bodies, seen *bbolt.Bucket
}

func newDeliveryBuckets(tx *bbolt.Tx) deliveryBuckets {
	b := deliveryBuckets{
		records: tx.Bucket(bucketDeliveries),
		bodies:  tx.Bucket(bucketDeliveryBodies),
		seen:    tx.Bucket(bucketDeliverySeen),
	}
	if tx.Writable() {
		b.records.FillPercent = appendFill
		b.bodies.FillPercent = appendFill
	}
	return b
}

// get decodes the record of shop|seq, without the body.
func (b deliveryBuckets) get(shop ledger.ShopID, seq uint64) (deliveryRecord, error) {
	var rec deliveryRecord
	data := b.records.Get(deliveryKey(shop, seq))
	if data == nil {
		return rec, fmt.Errorf("%s: %w", describeDelivery(shop, seq), ErrNotFound)
	}
	if err := decodeJSON(data, &rec); err != nil {
		return rec, fmt.Errorf("%s: decode: %w", describeDelivery(shop, seq), err)
	}
	return rec, nil
}

func (b deliveryBuckets) put(rec *deliveryRecord) error {
	rec.Body, rec.NoBody = nil, nil
	data, err := encodeJSON(rec)
	if err != nil {
		return err
	}
	return b.records.Put(deliveryKey(rec.Shop, rec.Seq), data)
}

// AddedDelivery is what AddDeliveries did with one delivery.
type AddedDelivery struct {
	// Delivery is the delivery as stored, with its Seq and body; for a
	// repeat, the one stored first.
	Delivery ledger.Delivery
	// Duplicate is set for a repeat: nothing was written.
	Duplicate bool
	// Err is set when this delivery could not be stored (its shop does not
	// exist); nothing of it was written.
	Err error
}

// AddDelivery stores a delivery that arrived, before anything is done with
// it, and returns it with its Seq. See AddDeliveries.
func (s *Store) AddDelivery(d ledger.Delivery) (ledger.Delivery, bool, error) {
	res, err := s.AddDeliveries([]ledger.Delivery{d})
	if err != nil {
		return ledger.Delivery{}, false, err
	}
	if res[0].Err != nil {
		return ledger.Delivery{}, false, fmt.Errorf("add delivery: %w", res[0].Err)
	}
	return res[0].Delivery, res[0].Duplicate, nil
}

// AddDeliveries stores deliveries in one transaction (one commit for many
// concurrent requests) and returns what happened to each, in order.
//
// Each delivery gets the next Seq; a zero Received becomes now and an empty
// Status DeliveryReceived. The shop's SyncState.LastDelivery moves to the
// latest Received. A repeat — the same shop, Delivery-ID and body as a
// stored delivery, or as one earlier in ds — is not stored again: its
// result is the stored delivery with Duplicate set. A delivery whose shop
// does not exist gets its own Err. The error is for the transaction as a
// whole; then nothing was stored.
func (s *Store) AddDeliveries(ds []ledger.Delivery) ([]AddedDelivery, error) {
	added, _, err := s.commitDeliveries(ds, nil)
	if err != nil {
		return nil, fmt.Errorf("add deliveries: %w", err)
	}
	return added, nil
}

// preparedBody is what AddDeliveries computes of a body before it takes
// the write lock, which holds every other writer back while it is held.
type preparedBody struct {
	sum    [sha256.Size]byte
	stored []byte
}

func prepareBodies(ds []ledger.Delivery) []preparedBody {
	out := make([]preparedBody, len(ds))
	for i := range ds {
		out[i] = preparedBody{sum: sha256.Sum256(ds[i].Body), stored: encodeRaw(ds[i].Body)}
	}
	return out
}

// addDeliveries is AddDeliveries inside a write transaction; it reports
// whether it wrote anything.
func addDeliveries(tx *bbolt.Tx, ds []ledger.Delivery, prep []preparedBody, now time.Time, res []AddedDelivery) (bool, error) {
	b := newDeliveryBuckets(tx)
	shops := tx.Bucket(bucketShops)
	latest := map[ledger.ShopID]time.Time{}
	for i, d := range ds {
		if shops.Get(u64(uint64(d.Shop))) == nil {
			res[i].Err = fmt.Errorf("shop %d: %w", d.Shop, ErrNotFound)
			continue
		}
		sk := seenKey(d.Shop, prep[i].sum[:], d.DeliveryID)
		if v := b.seen.Get(sk); len(v) == 8 {
			rec, err := b.get(d.Shop, binary.BigEndian.Uint64(v))
			if err != nil {
				return false, err
			}
			rec.Body = d.Body
			res[i] = AddedDelivery{Delivery: rec.Delivery, Duplicate: true}
			continue
		}
		seq, err := b.records.NextSequence()
		if err != nil {
			return false, err
		}
		d.Seq = seq
		if d.Received.IsZero() {
			d.Received = now
		}
		d.Received = d.Received.UTC()
		if d.Status == "" {
			d.Status = ledger.DeliveryReceived
		}
		rec := deliveryRecord{Delivery: d, BodySHA256: prep[i].sum[:]}
		if err := b.put(&rec); err != nil {
			return false, err
		}
		if err := b.bodies.Put(deliveryKey(d.Shop, seq), prep[i].stored); err != nil {
			return false, err
		}
		if err := b.seen.Put(sk, u64(seq)); err != nil {
			return false, err
		}
		if d.Received.After(latest[d.Shop]) {
			latest[d.Shop] = d.Received
		}
		res[i] = AddedDelivery{Delivery: d}
	}
	for shop, at := range latest {
		_, err := updateSyncState(tx, shop, func(st *ledger.SyncState) {
			if at.After(st.LastDelivery) {
				st.LastDelivery = at
			}
		})
		if err != nil {
			return false, err
		}
	}
	return len(latest) > 0, nil
}

// CommitDeliveries applies stored deliveries (as ApplyDeliveries) and
// stores new ones (as AddDeliveries) in one transaction: the webhook
// receiver's writer pays one commit for both. An apply item whose Added
// is set applies a delivery of add right after it is stored, in the same
// transaction, so that delivery costs one commit instead of two; the items
// run in this order: those without Added, then the adds, then those with
// Added. The error is for the transaction as a whole; then nothing was
// written.
func (s *Store) CommitDeliveries(add []ledger.Delivery, apply []DeliveryApply) ([]AddedDelivery, []DeliveryOutcome, error) {
	added, applied, err := s.commitDeliveries(add, apply)
	if err != nil {
		return nil, nil, fmt.Errorf("commit deliveries: %w", err)
	}
	return added, applied, nil
}

func (s *Store) commitDeliveries(add []ledger.Delivery, apply []DeliveryApply) ([]AddedDelivery, []DeliveryOutcome, error) {
	added := make([]AddedDelivery, len(add))
	applied := make([]DeliveryOutcome, len(apply))
	prep := prepareBodies(add)
	err := s.update(func(tx *bbolt.Tx) error {
		clear(added)
		clear(applied)
		now := time.Now().UTC()
		var stored, fresh []int // indexes in apply of items without and with Added
		for i := range apply {
			if apply[i].Added > 0 {
				fresh = append(fresh, i)
			} else {
				stored = append(stored, i)
			}
		}
		wroteApplies, err := applySome(tx, apply, stored, now, applied)
		if err != nil {
			return err
		}
		wroteAdds, err := addDeliveries(tx, add, prep, now, added)
		if err != nil {
			return err
		}
		for _, i := range fresh {
			it := &apply[i]
			if it.Added > len(add) {
				return fmt.Errorf("apply item %d: Added %d, but %d deliveries added", i, it.Added, len(add))
			}
			switch a := added[it.Added-1]; {
			case a.Err != nil:
				applied[i].Err = a.Err
			case a.Duplicate:
				// Stored before: applied by whoever stored it.
				applied[i] = DeliveryOutcome{Delivery: a.Delivery, Skipped: true}
			default:
				it.Shop, it.Seq = a.Delivery.Shop, a.Delivery.Seq
			}
		}
		kept := fresh[:0]
		for _, i := range fresh {
			if applied[i].Err == nil && !applied[i].Skipped {
				kept = append(kept, i)
			}
		}
		wroteFresh, err := applySome(tx, apply, kept, now, applied)
		if err != nil {
			return err
		}
		if !wroteApplies && !wroteAdds && !wroteFresh {
			return errNoChange
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return added, applied, nil
}

// Delivery returns the stored delivery with its body.
func (s *Store) Delivery(shop ledger.ShopID, seq uint64) (ledger.Delivery, error) {
	var d ledger.Delivery
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := newDeliveryBuckets(tx)
		rec, err := b.get(shop, seq)
		if err != nil {
			return err
		}
		d = rec.Delivery
		if v := b.bodies.Get(deliveryKey(shop, seq)); v != nil {
			if d.Body, err = decodeRaw(v); err != nil {
				return fmt.Errorf("%s: body: %w", describeDelivery(shop, seq), err)
			}
		}
		return nil
	})
	if err != nil {
		return ledger.Delivery{}, err
	}
	return d, nil
}

// Deliveries returns up to limit of the shop's deliveries with the given
// status (any status if empty), newest first, starting below seq before
// (0: from the newest). Bodies are not loaded: Delivery has them.
func (s *Store) Deliveries(shop ledger.ShopID, status ledger.DeliveryStatus, limit int, before uint64) ([]ledger.Delivery, error) {
	if limit <= 0 {
		limit = DefaultDeliveryLimit
	}
	var out []ledger.Delivery
	err := s.db.View(func(tx *bbolt.Tx) error {
		out = nil
		prefix := u64(uint64(shop))
		c := tx.Bucket(bucketDeliveries).Cursor()
		// Seek to the first key past the range, then step back.
		var end []byte
		switch {
		case before != 0:
			end = deliveryKey(shop, before)
		case shop != ledger.ShopID(^uint64(0)):
			end = u64(uint64(shop) + 1)
		}
		var k, v []byte
		if end != nil {
			k, v = c.Seek(end)
		}
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, v = c.Prev() {
			var rec deliveryRecord
			if err := decodeJSON(v, &rec); err != nil {
				return fmt.Errorf("%s: decode: %w", describeDelivery(shop, binary.BigEndian.Uint64(k[8:])), err)
			}
			if status == "" || rec.Status == status {
				out = append(out, rec.Delivery)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list deliveries of shop %d: %w", shop, err)
	}
	return out, nil
}

// UpdateDelivery reads the delivery, lets fn change it and writes it back,
// in one transaction. fn sees the delivery without its body; its Shop, Seq,
// DeliveryID and Body cannot be changed. Nothing is written if fn changed
// nothing.
func (s *Store) UpdateDelivery(shop ledger.ShopID, seq uint64, fn func(*ledger.Delivery)) error {
	err := s.update(func(tx *bbolt.Tx) error {
		b := newDeliveryBuckets(tx)
		rec, err := b.get(shop, seq)
		if err != nil {
			return err
		}
		before, err := encodeJSON(&rec)
		if err != nil {
			return err
		}
		id := rec.DeliveryID
		fn(&rec.Delivery)
		rec.Shop, rec.Seq, rec.DeliveryID, rec.Body = shop, seq, id, nil
		if rec.Received.IsZero() {
			rec.Received = time.Now()
		}
		rec.Received, rec.Applied = rec.Received.UTC(), rec.Applied.UTC()
		after, err := encodeJSON(&rec)
		if err != nil {
			return err
		}
		if bytes.Equal(before, after) {
			return errNoChange
		}
		return b.records.Put(deliveryKey(shop, seq), after)
	})
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	return nil
}

// PruneDeliveries deletes the deliveries received before olderThan, with
// their bodies and repeat index entries, and returns how many went. A
// delivery still waiting to be applied (DeliveryReceived) is kept whatever
// its age.
func (s *Store) PruneDeliveries(olderThan time.Time) (int, error) {
	type victim struct {
		key, seen []byte
	}
	var victims []victim
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketDeliveries).ForEach(func(k, v []byte) error {
			var rec deliveryRecord
			if err := decodeJSON(v, &rec); err != nil {
				return fmt.Errorf("%s: decode: %w", describeDelivery(ledger.ShopID(binary.BigEndian.Uint64(k)),
					binary.BigEndian.Uint64(k[8:])), err)
			}
			if rec.Status != ledger.DeliveryReceived && rec.Received.Before(olderThan) {
				victims = append(victims, victim{
					key:  bytes.Clone(k),
					seen: seenKey(rec.Shop, rec.BodySHA256, rec.DeliveryID),
				})
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	if len(victims) == 0 {
		return 0, nil
	}
	err = s.update(func(tx *bbolt.Tx) error {
		b := newDeliveryBuckets(tx)
		for _, v := range victims {
			if err := b.records.Delete(v.key); err != nil {
				return err
			}
			if err := b.bodies.Delete(v.key); err != nil {
				return err
			}
			// The index entry goes only if it still points at this
			// delivery.
			if cur := b.seen.Get(v.seen); cur != nil && bytes.Equal(cur, v.key[8:]) {
				if err := b.seen.Delete(v.seen); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	return len(victims), nil
}

// DeliveryApply is what a stored delivery asks of the books. The webhook
// receiver decodes the body; the store applies the outcome and records it
// on the delivery in the same transaction. Set one of Order, Delete, Ignore
// and Fail.
type DeliveryApply struct {
	Shop ledger.ShopID
	Seq  uint64
	// Order is upserted as ApplyOrders upserts it with ledger.SourceWebhook
	// and a zero cursor: a webhook never moves the polling cursor.
	Order *ledger.Order
	// Prepared, if set, is Order made ready by Prepare (a page of one), so
	// that the transaction only writes it: comparing, encoding and
	// compressing happen before, outside the write lock.
	Prepared *Prepared
	// Delete is the id of an order the shop deleted: it is marked as
	// MarkDeleted marks it. An order not in the books makes the delivery
	// ignored.
	Delete int64
	// Ignore says why the delivery is not acted on (a topic ShopLedger
	// does not use); the delivery becomes DeliveryIgnored.
	Ignore string
	// Fail says why the delivery cannot be applied (a body that is not an
	// order); the delivery becomes DeliveryFailed.
	Fail string
	// Again applies a delivery whatever its status (a retry). Without it
	// a delivery that is no longer DeliveryReceived is skipped, so applying
	// one twice is harmless.
	Again bool
	// Added, for CommitDeliveries only: 1 + the index in its add of the
	// delivery to apply, stored by the same transaction (Shop and Seq are
	// taken from it). A delivery that turns out a duplicate is skipped.
	Added int
}

// DeliveryOutcome is what ApplyDeliveries did with one DeliveryApply.
type DeliveryOutcome struct {
	// Delivery is the delivery as stored afterwards, without its body.
	Delivery ledger.Delivery
	// Result counts what happened to the order (for DeliveryApply.Order).
	Result ApplyResult
	// Skipped is set when the delivery had been applied already.
	Skipped bool
	// Err is set when the delivery does not exist; nothing was done.
	Err error
}

// errDeliveryMissing marks an outcome whose delivery is gone.
var errDeliveryMissing = errors.New("delivery missing")

// ApplyDeliveries applies stored deliveries in one transaction, in order,
// and records on each its new status: applied, ignored or failed with the
// reason in Error, Applied set to now and OrderID to the order it is about.
// A delivery whose order cannot be applied (an invalid id, a stored order
// that does not decode) fails alone. The error is for the transaction as a
// whole; then nothing was written and the caller may apply the items one
// at a time.
func (s *Store) ApplyDeliveries(items []DeliveryApply) ([]DeliveryOutcome, error) {
	_, out, err := s.commitDeliveries(nil, items)
	if err != nil {
		return nil, fmt.Errorf("apply deliveries: %w", err)
	}
	return out, nil
}

// applySome applies the items at idx (indexes in items, in that order),
// each outcome to the same index of out.
func applySome(tx *bbolt.Tx, items []DeliveryApply, idx []int, now time.Time, out []DeliveryOutcome) (bool, error) {
	if len(idx) == len(items) {
		return applyDeliveries(tx, items, now, out)
	}
	if len(idx) == 0 {
		return false, nil
	}
	some := make([]DeliveryApply, len(idx))
	res := make([]DeliveryOutcome, len(idx))
	for k, i := range idx {
		some[k] = items[i]
	}
	wrote, err := applyDeliveries(tx, some, now, res)
	for k, i := range idx {
		out[i] = res[k]
	}
	return wrote, err
}

// applyDeliveries is ApplyDeliveries inside a write transaction; it
// reports whether it wrote anything.
func applyDeliveries(tx *bbolt.Tx, items []DeliveryApply, now time.Time, out []DeliveryOutcome) (bool, error) {
	if len(items) == 0 {
		return false, nil
	}
	b := newDeliveryBuckets(tx)
	w := newOrderWriter(tx)
	shops := map[ledger.ShopID]*ledger.Shop{}
	wrote := false
	for i := range items {
		it := &items[i]
		rec, err := b.get(it.Shop, it.Seq)
		if errors.Is(err, ErrNotFound) {
			out[i].Err = err
			continue
		}
		if err != nil {
			return false, err
		}
		if rec.Status != ledger.DeliveryReceived && !it.Again {
			out[i] = DeliveryOutcome{Delivery: rec.Delivery, Skipped: true}
			continue
		}
		status, reason := ledger.DeliveryApplied, ""
		switch {
		case it.Fail != "":
			status, reason = ledger.DeliveryFailed, it.Fail
		case it.Ignore != "":
			status, reason = ledger.DeliveryIgnored, it.Ignore
		case it.Order != nil:
			rec.OrderID = it.Order.ID
			sh := shops[it.Shop]
			if sh == nil {
				v, err := getRecord[ledger.Shop](tx, bucketShops, uint64(it.Shop), KindShop)
				if err != nil {
					status, reason = ledger.DeliveryFailed, err.Error()
					break
				}
				sh = &v
				shops[it.Shop] = sh
			}
			var err error
			if p := it.Prepared; p != nil && p.shop == it.Shop && len(p.plans) == 1 && p.plans[0].o.ID == it.Order.ID {
				err = w.applyPlan(sh, p, 0, ledger.SourceWebhook, now, &out[i].Result)
			} else {
				o := *it.Order // a copy: the caller's order stays as it was
				err = w.apply(sh, &o, ledger.SourceWebhook, now, &out[i].Result)
			}
			if err != nil {
				status, reason = ledger.DeliveryFailed, fmt.Sprintf("order %d: %v", it.Order.ID, err)
			}
		case it.Delete > 0:
			rec.OrderID = it.Delete
			err := markDeleted(tx, ledger.OrderKey{Shop: it.Shop, ID: it.Delete}, ledger.SourceWebhook, now)
			switch {
			case errors.Is(err, ErrNotFound):
				status, reason = ledger.DeliveryIgnored,
					fmt.Sprintf("order %d is not in the books: nothing to mark deleted", it.Delete)
			case err != nil && err != errNoChange:
				status, reason = ledger.DeliveryFailed, fmt.Sprintf("order %d: %v", it.Delete, err)
			}
		default:
			status, reason = ledger.DeliveryFailed, "nothing to apply"
		}
		rec.Status, rec.Error, rec.Applied = status, reason, now
		if err := b.put(&rec); err != nil {
			return false, err
		}
		wrote = true
		out[i].Delivery = rec.Delivery
	}
	return wrote, nil
}

// ShopByWebhookToken returns the shop whose webhook URL ends in token.
func (s *Store) ShopByWebhookToken(token string) (ledger.Shop, error) {
	if token == "" {
		return ledger.Shop{}, fmt.Errorf("shop with an empty webhook token: %w", ErrNotFound)
	}
	var found ledger.Shop
	err := s.db.View(func(tx *bbolt.Tx) error {
		// A shop is a short record and there are few: decoding only the
		// token of each is cheaper than an index to keep in step.
		var head struct {
			WebhookToken string `json:"webhook_token"`
		}
		c := tx.Bucket(bucketShops).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			head.WebhookToken = ""
			if err := decodeJSON(v, &head); err != nil {
				return fmt.Errorf("shop %d: decode: %w", binary.BigEndian.Uint64(k), err)
			}
			if head.WebhookToken == token {
				return decodeJSON(v, &found)
			}
		}
		return fmt.Errorf("shop with that webhook token: %w", ErrNotFound)
	})
	if err != nil {
		return ledger.Shop{}, err
	}
	return found, nil
}

// EnsureWebhookToken gives the shop token as its webhook token unless it
// has one, and returns the shop's token, in one transaction: two callers
// racing end up with the same URL.
func (s *Store) EnsureWebhookToken(id ledger.ShopID, token string) (string, error) {
	var got string
	err := s.update(func(tx *bbolt.Tx) error {
		sh, err := getRecord[ledger.Shop](tx, bucketShops, uint64(id), KindShop)
		if err != nil {
			return err
		}
		if sh.WebhookToken != "" {
			got = sh.WebhookToken
			return errNoChange
		}
		if token == "" {
			return fmt.Errorf("empty webhook token")
		}
		sh.WebhookToken, got = token, token
		return putRecord(tx, bucketShops, uint64(id), &sh)
	})
	if err != nil {
		return "", fmt.Errorf("webhook token of shop %d: %w", id, err)
	}
	return got, nil
}
