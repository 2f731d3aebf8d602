// Package orderindex keeps a compact in-memory index of every order in the
// books, so that the order list can filter and search 100,000 orders while
// the bookkeeper types. The store answers "the newest page" with a cursor
// seek, but a search by customer name, email or SKU would have to decode
// every order; the index holds just what a search looks at:
//
//   - per order a fixed 40-byte row: key (shop, id), creation time, status,
//     deleted flag, warehouse, cost center, and where its text is;
//   - the text, lowercased, in one arena: number, billing name, company,
//     email and the lines' SKUs, separated by a byte no query contains;
//   - a 4-byte entry per order that finds its row by key, for updates.
//
// Rows are kept in the store's list order (newest first: creation time,
// then shop, then id, all descending), so a search returns keys in the
// order the list shows them and the list fetches only the rows on screen,
// by key, from the store.
//
// The index is filled from the store in the background (Refresh), kept up
// to date by the caller after a change it knows of (Upsert, RemoveShop), and
// read by any goroutine (Search). It never imports fyne.
package orderindex

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Source is where the index reads orders from: the store's compact search
// records. *store.Store satisfies it, and so does anything that embeds one
// (*books.Books).
type Source interface {
	EachSearchRecord(fn func(*store.SearchRecord) error) error
}

// Query selects orders. Zero fields select everything.
type Query struct {
	// Text is what the bookkeeper typed: every word of it must occur, in
	// any case, in the order's number, billing name, company, email or one
	// of its SKUs. A leading '#' of a word is ignored ("#1042").
	Text string
	Shop ledger.ShopID
	// Status and Statuses match the order's WooCommerce status as
	// store.OrderFilter's do: Status or any of Statuses, both empty any
	// (an order the shop deleted keeps its last status).
	Status   ledger.Status
	Statuses []ledger.Status
	// From and To bound the creation time: From inclusive, To exclusive.
	From, To time.Time
}

// Index is the in-memory order index. The zero value is not usable; call
// New. Its methods are safe for concurrent use.
type Index struct {
	mu   sync.RWMutex
	data *table
	// refreshing counts Refresh calls in flight; while one runs, changes
	// are also kept in replay and applied again to the table it builds,
	// which may have read the store before they were made.
	refreshing int
	replay     []change
}

// change is an Upsert or a RemoveShop, kept for replay.
type change struct {
	entry      *entry
	removeShop ledger.ShopID
}

// New returns an empty index.
func New() *Index { return &Index{data: newTable()} }

// Build reads every order of src into a new index.
func Build(ctx context.Context, src Source) (*Index, error) {
	ix := New()
	if err := ix.Refresh(ctx, src); err != nil {
		return nil, err
	}
	return ix, nil
}

// Refresh reads every order of src again and replaces the index's contents
// with what it read. Searches meanwhile see the previous contents; changes
// made meanwhile through Upsert and RemoveShop are kept.
func (ix *Index) Refresh(ctx context.Context, src Source) error {
	ix.mu.Lock()
	ix.refreshing++
	ix.mu.Unlock()

	fresh, err := read(ctx, src)

	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.refreshing--
	if err == nil {
		for _, c := range ix.replay {
			fresh.apply(c)
		}
		fresh.finish()
		ix.data = fresh
	}
	if ix.refreshing == 0 {
		ix.replay = nil
	}
	if err != nil {
		return fmt.Errorf("index orders: %w", err)
	}
	return nil
}

// read builds a table from src. Search records come by key, not in the
// table's order, so the rows are sorted once at the end.
func read(ctx context.Context, src Source) (*table, error) {
	t := newTable()
	err := src.EachSearchRecord(func(r *store.SearchRecord) error {
		if len(t.rows)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		e, err := recordEntry(r)
		if err != nil {
			return err
		}
		return t.add(&e)
	})
	if err != nil {
		return nil, err
	}
	t.finish()
	// Appending grew the slices by doubling: give the spare room back.
	t.rows, t.text = trim(t.rows), trim(t.text)
	return t, nil
}

// trim returns s with little spare capacity, copying it if it has much.
func trim[T any](s []T) []T {
	if cap(s)-len(s) > len(s)/16 {
		return slices.Clone(s)
	}
	return s
}

// Upsert adds the orders to the index or updates them. Call it after
// changing orders in the store (a reassignment, an import).
func (ix *Index) Upsert(orders ...ledger.Order) error {
	entries := make([]entry, len(orders))
	for i := range orders {
		e, err := newEntry(&orders[i])
		if err != nil {
			return err
		}
		entries[i] = e
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	defer ix.data.finish()
	for i := range entries {
		c := change{entry: &entries[i]}
		if err := ix.data.apply(c); err != nil {
			return err
		}
		if ix.refreshing > 0 {
			ix.replay = append(ix.replay, c)
		}
	}
	return nil
}

// RemoveShop drops every order of a shop, as when a shop is removed
// together with its orders.
func (ix *Index) RemoveShop(shop ledger.ShopID) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := change{removeShop: shop}
	ix.data.apply(c)
	if ix.refreshing > 0 {
		ix.replay = append(ix.replay, c)
	}
	ix.data.finish()
}

// Len returns how many orders the index holds.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.data.rows)
}

// Stats describes the index's memory, for benchmarks and the log.
type Stats struct {
	Orders    int
	RowBytes  int // fixed part: rows and the key lookup
	TextBytes int // the text arena, including text no row refers to any more
}

// Stats returns the index's size.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	t := ix.data
	return Stats{Orders: len(t.rows), RowBytes: cap(t.rows)*rowSize + cap(t.byKey)*4, TextBytes: cap(t.text)}
}

// Search returns the keys of the orders q selects, newest first.
func (ix *Index) Search(q Query) []ledger.OrderKey {
	terms := Terms(q.Text)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	t := ix.data
	lo, hi := t.span(q.From, q.To)
	statuses, byStatus := t.statusCodes(q)
	if byStatus && statuses == ([256]bool{}) {
		return nil // only statuses no order has
	}
	shop, ok := narrow(uint64(q.Shop))
	if !ok {
		return nil
	}
	size := hi - lo // exact when nothing but dates filters
	if len(terms) > 0 || shop != 0 || byStatus {
		size = min(size, 1024)
	}
	out := make([]ledger.OrderKey, 0, size)
	for i := lo; i < hi; i++ {
		r := &t.rows[i]
		if (shop != 0 && r.shop != shop) || (byStatus && !statuses[r.status]) {
			continue
		}
		if len(terms) > 0 {
			text := t.text[r.off : r.off+uint32(r.n)]
			if !containsAll(text, terms) {
				continue
			}
		}
		out = append(out, ledger.OrderKey{Shop: ledger.ShopID(r.shop), ID: r.id})
	}
	return out
}

// Terms splits a query into the lowercased words every match must contain.
func Terms(text string) [][]byte {
	var terms [][]byte
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.TrimLeft(w, "#")
		if w != "" {
			terms = append(terms, []byte(w))
		}
	}
	return terms
}

func containsAll(text []byte, terms [][]byte) bool {
	for _, term := range terms {
		if !bytes.Contains(text, term) {
			return false
		}
	}
	return true
}

// sep separates the fields of an order's text, so a word never matches
// across two of them; Terms never yields it.
const sep = ledger.SearchSep

// maxText caps one order's text (a row keeps its length in 16 bits).
const maxText = ledger.MaxSearchText

// entry is what the index keeps of an order before it becomes a row.
type entry struct {
	key        ledger.OrderKey
	created    int64
	status     ledger.Status
	deleted    bool
	warehouse  uint32
	costCenter uint32
	text       []byte
}

// ErrIDRange is returned for a shop, warehouse or cost center ID above
// 2³²-1; the store assigns them from 1 upwards, one per record.
var ErrIDRange = errors.New("id out of the index's range")

func newEntry(o *ledger.Order) (entry, error) {
	shop, ok1 := narrow(uint64(o.Shop))
	wh, ok2 := narrow(uint64(o.Warehouse))
	cc, ok3 := narrow(uint64(o.CostCenter))
	if !ok1 || !ok2 || !ok3 || shop == 0 {
		return entry{}, fmt.Errorf("order %d of shop %d: %w", o.ID, o.Shop, ErrIDRange)
	}
	return entry{
		key:     o.Key(),
		created: nanos(o.Created),
		status:  o.Status, deleted: o.Deleted,
		warehouse: wh, costCenter: cc,
		text: ledger.SearchText(o),
	}, nil
}

// recordEntry is newEntry for a stored search record; the entry keeps a
// copy of its text, which the record lends only for the call.
func recordEntry(r *store.SearchRecord) (entry, error) {
	shop, ok1 := narrow(uint64(r.Key.Shop))
	wh, ok2 := narrow(uint64(r.Warehouse))
	cc, ok3 := narrow(uint64(r.CostCenter))
	if !ok1 || !ok2 || !ok3 || shop == 0 {
		return entry{}, fmt.Errorf("order %d of shop %d: %w", r.Key.ID, r.Key.Shop, ErrIDRange)
	}
	text := r.Text
	if len(text) > maxText {
		text = text[:maxText]
	}
	return entry{
		key: r.Key, created: r.Created,
		status: r.Status, deleted: r.Deleted,
		warehouse: wh, costCenter: cc,
		text: text,
	}, nil
}

// nanos is the store's sort key for a creation time: Unix nanoseconds,
// negative clamped to zero.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return max(t.UnixNano(), 0)
}

func narrow(v uint64) (uint32, bool) {
	return uint32(v), v <= math.MaxUint32
}

// row is one order in the index: 40 bytes with padding.
type row struct {
	created    int64
	id         int64
	shop       uint32
	warehouse  uint32
	costCenter uint32
	off        uint32 // of the text in the arena
	n          uint16 // the text's length
	status     uint8  // index into table.statuses; 0 is never used
	deleted    bool
}

const rowSize = 40

// table is the index's contents; Index guards it.
type table struct {
	rows  []row   // newest first
	byKey []int32 // positions of rows, by (shop, id)
	text  []byte
	dead  int // arena bytes no row refers to

	statuses []ledger.Status // statuses[0] is unused: 0 means "any"
	codes    map[ledger.Status]uint8

	// unsorted is set when rows may be out of order; keyed is cleared when
	// rows moved, so byKey points at the wrong ones. finish puts both right.
	unsorted bool
	keyed    bool
	// added maps the rows appended since the last finish, which byKey does
	// not cover yet, to their position.
	added map[ledger.OrderKey]int32
}

func newTable() *table {
	return &table{statuses: []ledger.Status{""}, codes: map[ledger.Status]uint8{}, keyed: true}
}

// less orders rows newest first, as store.Orders lists them.
func less(a, b *row) bool {
	if a.created != b.created {
		return a.created > b.created
	}
	if a.shop != b.shop {
		return a.shop > b.shop
	}
	return a.id > b.id
}

// statusCodes returns the codes of the statuses q selects, and whether it
// selects by status at all; a status no order has has no code.
func (t *table) statusCodes(q Query) (codes [256]bool, byStatus bool) {
	for _, s := range append([]ledger.Status{q.Status}, q.Statuses...) {
		if s == "" {
			continue
		}
		byStatus = true
		if c, ok := t.codes[s]; ok {
			codes[c] = true
		}
	}
	return codes, byStatus
}

// intern returns the code of a status, adding it if new.
func (t *table) intern(s ledger.Status) (uint8, error) {
	if c, ok := t.codes[s]; ok {
		return c, nil
	}
	if len(t.statuses) > math.MaxUint8 {
		return 0, fmt.Errorf("index orders: more than %d different statuses", math.MaxUint8)
	}
	c := uint8(len(t.statuses))
	t.statuses = append(t.statuses, s)
	t.codes[s] = c
	return c, nil
}

// add appends a new order's row.
func (t *table) add(e *entry) error {
	status, err := t.intern(e.status)
	if err != nil {
		return err
	}
	if len(t.text) > math.MaxUint32-maxText {
		return fmt.Errorf("index orders: text arena full")
	}
	r := row{
		created: e.created, id: e.key.ID, shop: uint32(e.key.Shop),
		warehouse: e.warehouse, costCenter: e.costCenter,
		off: uint32(len(t.text)), n: uint16(len(e.text)),
		status: status, deleted: e.deleted,
	}
	t.text = append(t.text, e.text...)
	if n := len(t.rows); n > 0 && !less(&t.rows[n-1], &r) {
		t.unsorted = true
	}
	t.rows = append(t.rows, r)
	return nil
}

// find returns the row of key, or -1.
func (t *table) find(key ledger.OrderKey) int {
	if i, ok := t.added[key]; ok {
		return int(i)
	}
	if !t.keyed {
		t.rekey()
	}
	shop, id := uint32(key.Shop), key.ID
	i, ok := slices.BinarySearchFunc(t.byKey, key, func(p int32, k ledger.OrderKey) int {
		r := &t.rows[p]
		return cmp.Or(cmp.Compare(r.shop, shop), cmp.Compare(r.id, id))
	})
	if !ok {
		return -1
	}
	return int(t.byKey[i])
}

// apply makes one change. Rows may end up out of order; finish sorts them.
func (t *table) apply(c change) error {
	if c.entry == nil {
		t.removeShop(uint32(c.removeShop))
		return nil
	}
	e := c.entry
	i := t.find(e.key)
	if i < 0 {
		if t.added == nil {
			t.added = map[ledger.OrderKey]int32{}
		}
		if err := t.add(e); err != nil {
			return err
		}
		t.added[e.key] = int32(len(t.rows) - 1)
		return nil
	}
	status, err := t.intern(e.status)
	if err != nil {
		return err
	}
	r := &t.rows[i]
	if r.created != e.created {
		r.created, t.unsorted = e.created, true
	}
	r.status, r.deleted, r.warehouse, r.costCenter = status, e.deleted, e.warehouse, e.costCenter
	if !bytes.Equal(t.text[r.off:r.off+uint32(r.n)], e.text) {
		t.dead += int(r.n)
		r.off, r.n = uint32(len(t.text)), uint16(len(e.text))
		t.text = append(t.text, e.text...)
	}
	return nil
}

func (t *table) removeShop(shop uint32) {
	kept := t.rows[:0]
	for _, r := range t.rows {
		if r.shop == shop {
			t.dead += int(r.n)
		} else {
			kept = append(kept, r)
		}
	}
	if len(kept) != len(t.rows) {
		t.rows, t.keyed = kept, false
		t.added = nil
	}
}

// finish sorts the rows, rebuilds the key lookup and compacts the arena
// when most of it is dead.
func (t *table) finish() {
	t.added = nil
	if t.unsorted {
		slices.SortFunc(t.rows, func(a, b row) int {
			switch {
			case less(&a, &b):
				return -1
			case less(&b, &a):
				return 1
			}
			return 0
		})
		t.unsorted, t.keyed = false, false
	}
	if t.dead > len(t.text)/2 && t.dead > 1<<16 {
		t.compact()
	}
	if !t.keyed || len(t.byKey) != len(t.rows) {
		t.rekey()
	}
}

func (t *table) rekey() {
	t.byKey = slices.Grow(t.byKey[:0], len(t.rows))[:len(t.rows)]
	for i := range t.byKey {
		t.byKey[i] = int32(i)
	}
	slices.SortFunc(t.byKey, func(a, b int32) int {
		ra, rb := &t.rows[a], &t.rows[b]
		return cmp.Or(cmp.Compare(ra.shop, rb.shop), cmp.Compare(ra.id, rb.id))
	})
	t.keyed = true
}

// compact copies the live text into a new arena.
func (t *table) compact() {
	text := make([]byte, 0, len(t.text)-t.dead)
	for i := range t.rows {
		r := &t.rows[i]
		off := len(text)
		text = append(text, t.text[r.off:r.off+uint32(r.n)]...)
		r.off = uint32(off)
	}
	t.text, t.dead = text, 0
}

// span returns the rows created in [from, to): rows run newest first, so
// the range is a binary search at each end.
func (t *table) span(from, to time.Time) (lo, hi int) {
	hi = len(t.rows)
	if !to.IsZero() {
		limit := nanos(to)
		lo, _ = slices.BinarySearchFunc(t.rows, limit, func(r row, limit int64) int {
			if r.created >= limit {
				return -1 // newer than the range: before it
			}
			return 1
		})
	}
	if !from.IsZero() {
		limit := nanos(from)
		hi, _ = slices.BinarySearchFunc(t.rows, limit, func(r row, limit int64) int {
			if r.created >= limit {
				return -1
			}
			return 1
		})
	}
	return lo, max(lo, hi)
}
