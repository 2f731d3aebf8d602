// Package store keeps ShopLedger's data in a single bbolt file: shops,
// warehouses, cost centers, orders with their raw payloads and status
// history, and each shop's sync state.
//
// Layout (one bucket per kind of record, big-endian integer keys so that a
// cursor walks them in numeric order):
//
//	meta          "schema_version" -> uint64, "compacted_size" -> uint64,
//	              "record_format" -> the format byte of every compressed value
//	shops         shop id -> Shop (JSON)
//	warehouses    warehouse id -> Warehouse (JSON)
//	cost_centers  cost center id -> CostCenter (JSON)
//	orders        shop|id -> Order without Raw (JSON, compressed)
//	raw           shop|id -> the payload as the shop sent it (compressed)
//	history       shop|id|seq -> StatusChange (JSON)
//	by_created    created|shop|id -> status
//	by_shop       shop|created|id -> status
//	sync          shop id -> SyncState (JSON)
//	deliveries    shop|seq -> webhook Delivery without its body (JSON)
//	delivery_bodies  shop|seq -> the delivery's body as it arrived (compressed)
//	delivery_seen shop|sha256(body)|delivery id -> seq: repeats (see deliveries.go)
//
// created is the order's creation time in Unix nanoseconds (negative clamped
// to zero); every integer is 8 bytes big-endian; seq comes from the history
// bucket's sequence, so an order's entries sort oldest first.
//
// The two index buckets make the newest page of the order list a cursor
// seek: by_created for all shops, by_shop when the list is filtered by shop
// (without it, a shop with few orders among 100,000 would be a scan). Both
// carry the order's status as their value, so a status filter and
// CountOrders never decode an order.
//
// The raw payload lives apart from the order record so that listing orders
// never reads it. Order records and payloads are compressed against preset
// dictionaries (see codec.go): with the indexes and history, a typical
// order with a 3.5 KB payload takes about 1.5 KB of pages.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrAlreadyRunning is returned by Open when another ShopLedger holds the
// database file. Its text is shown to the user as it is.
var ErrAlreadyRunning = errors.New("ShopLedger is already running")

// ErrNotFound is returned, wrapped with what was looked for, when a shop,
// warehouse, cost center or order does not exist.
var ErrNotFound = errors.New("not found")

// ErrDuplicate is returned, wrapped, when a shop name or a warehouse or cost
// center code is already used by another record. The error is a
// *DuplicateError.
var ErrDuplicate = errors.New("already used")

// Kind is a kind of record the bookkeeper names: errors about one carry it
// so that a front end can say which, in its own language.
type Kind int

const (
	KindShop Kind = iota + 1
	KindWarehouse
	KindCostCenter
)

var kindNouns = map[Kind]string{KindShop: "shop", KindWarehouse: "warehouse", KindCostCenter: "cost center"}

// String is the English noun: "cost center".
func (k Kind) String() string { return kindNouns[k] }

// NotFoundError is a shop, warehouse or cost center that is not in the
// books; it matches ErrNotFound. Name is the name or code it was looked up
// by, ID the ID when it was looked up by ID.
type NotFoundError struct {
	Kind Kind
	ID   uint64
	Name string
}

func (e *NotFoundError) Error() string {
	if e.Name != "" {
		return fmt.Sprintf("%s %q: %s", e.Kind, e.Name, ErrNotFound)
	}
	return fmt.Sprintf("%s %d: %s", e.Kind, e.ID, ErrNotFound)
}

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// DuplicateError is a shop name or address, or a warehouse or cost center
// code, that another record already uses; it matches ErrDuplicate. Other
// is that record's name.
type DuplicateError struct {
	Kind  Kind
	URL   bool   // a shop's address, not its name
	Value string // the name, address or code entered
	Other string
}

func (e *DuplicateError) Error() string {
	field := "code"
	switch {
	case e.URL:
		field = "URL"
	case e.Kind == KindShop:
		field = "name"
	}
	return fmt.Sprintf("%s %s %q %s", e.Kind, field, e.Value, ErrDuplicate)
}

func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

// InUseError is returned when a warehouse or cost center cannot be deleted
// because shops still book into it.
type InUseError struct {
	Kind  Kind     // KindWarehouse or KindCostCenter
	Code  string   // its code, e.g. "MAIN"
	Shops []string // names of the shops that use it
}

func (e *InUseError) Error() string {
	quoted := make([]string, len(e.Shops))
	for i, s := range e.Shops {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	noun := "shops"
	if len(e.Shops) == 1 {
		noun = "shop"
	}
	return fmt.Sprintf("%s %q is used by %s %s", e.Kind, e.Code, noun, strings.Join(quoted, ", "))
}

// alreadyRunningError reads as ErrAlreadyRunning and still unwraps to the
// bbolt lock timeout behind it.
type alreadyRunningError struct{ cause error }

func (e alreadyRunningError) Error() string   { return ErrAlreadyRunning.Error() }
func (e alreadyRunningError) Unwrap() []error { return []error{ErrAlreadyRunning, e.cause} }

// Bucket names.
var (
	bucketMeta        = []byte("meta")
	bucketShops       = []byte("shops")
	bucketWarehouses  = []byte("warehouses")
	bucketCostCenters = []byte("cost_centers")
	bucketOrders      = []byte("orders")
	bucketRaw         = []byte("raw")
	bucketHistory     = []byte("history")
	bucketByCreated   = []byte("by_created")
	bucketByShop      = []byte("by_shop")
	bucketSync        = []byte("sync")

	// Since schema version 2.
	bucketDeliveries     = []byte("deliveries")
	bucketDeliveryBodies = []byte("delivery_bodies")
	bucketDeliverySeen   = []byte("delivery_seen")

	// Since schema version 3.
	bucketSearch = []byte("search")

	keySchemaVersion = []byte("schema_version")
)

// migrations bring the schema from version i to i+1 (migrations[0] creates
// version 1). Append only: a released migration is never edited.
var migrations = []func(tx *bbolt.Tx) error{
	// 1: the buckets.
	func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{
			bucketMeta, bucketShops, bucketWarehouses, bucketCostCenters, bucketOrders,
			bucketRaw, bucketHistory, bucketByCreated, bucketByShop, bucketSync,
		} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	},
	// 2: webhook deliveries.
	func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketDeliveries, bucketDeliveryBodies, bucketDeliverySeen} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	},
	// 3: a search record beside every order (search.go).
	backfillSearch,
	// 4: refunds with their detail (refunds.go): every shop's orders so far
	// were stored without it, so each shop gets a refund backfill.
	markRefundBackfill,
	// 5: compressed values may be formatZstdV2 (codec.go); see
	// keyRecordFormat in compact.go.
	markRecordFormat,
}

// LatestSchemaVersion is the schema version Open migrates to.
func LatestSchemaVersion() int { return len(migrations) }

// Store is ShopLedger's database. Its methods are safe for concurrent use.
type Store struct {
	db *bbolt.DB
}

// Open opens (creating if needed) the database at path, creating its
// directory with mode 0700, and migrates it to the latest schema. If another
// process, or another Store in this process, has the file open, Open gives up
// after about a second with an error that matches ErrAlreadyRunning.
func Open(path string) (*Store, error) { return open(path, nil) }

func open(path string, progress func(OpenProgress)) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := openLocked(path)
	if err != nil {
		return nil, err
	}
	// A compaction killed midway leaves its copy; only the lock holder
	// compacts, and that is now this process.
	os.Remove(path + compactSuffix)
	s := &Store{db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := s.ensureSales(progress); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := s.compactIfGrown(path, progress); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

// openLocked opens the file at path with bbolt, which locks it, and makes
// sure that the file it locked is still the one at path: another process
// compacting the books renames a copy over the file before it lets go of
// the old file's lock, and a process that was waiting for that lock must
// not go on with the old file.
func openLocked(path string) (*bbolt.DB, error) {
	for range 5 {
		var file *os.File
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{
			Timeout:      time.Second,
			FreelistType: bbolt.FreelistMapType,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				f, err := os.OpenFile(name, flag, perm)
				file = f
				return f, err
			},
		})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, alreadyRunningError{cause: err}
		}
		if err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		if file == nil || sameFile(path, file) {
			return db, nil
		}
		db.Close() // replaced while we waited: open the new one
	}
	return nil, fmt.Errorf("open database %s: the file keeps being replaced", path)
}

// sameFile reports whether path names the open file f.
func sameFile(path string, f *os.File) bool {
	a, err := os.Stat(path)
	if err != nil {
		return false
	}
	b, err := f.Stat()
	return err == nil && os.SameFile(a, b)
}

// Close closes the database file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.db.Path() }

// SchemaVersion returns the schema version recorded in the file.
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.db.View(func(tx *bbolt.Tx) error {
		v = schemaVersion(tx)
		return nil
	})
	return v, err
}

func schemaVersion(tx *bbolt.Tx) int {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0
	}
	v := b.Get(keySchemaVersion)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// migrate runs, each in its own transaction, the migrations above the
// file's schema version.
func (s *Store) migrate() error {
	current, err := s.SchemaVersion()
	if err != nil {
		return err
	}
	if current > len(migrations) {
		return &NewerSchemaError{Version: current, Supported: len(migrations)}
	}
	for v := current + 1; v <= len(migrations); v++ {
		err := s.db.Update(func(tx *bbolt.Tx) error {
			if err := migrations[v-1](tx); err != nil {
				return err
			}
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			return meta.Put(keySchemaVersion, u64(uint64(v)))
		})
		if err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", v, err)
		}
	}
	return nil
}

// errNoChange, returned by an update function, rolls its transaction back
// and counts as success: with nothing to write, nothing is written (no
// commit, no fsync). ApplyOrders on a page already imported is such a case.
var errNoChange = errors.New("no change")

// update runs fn in a write transaction; see errNoChange.
func (s *Store) update(fn func(tx *bbolt.Tx) error) error {
	err := s.db.Update(fn)
	if err == errNoChange {
		return nil
	}
	return err
}

// u64 encodes v as 8 bytes big-endian.
func u64(v uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), v)
}
