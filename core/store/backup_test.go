package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// seeded is a store with two shops, 60 orders (one with a status change)
// and a webhook-less catalog: every bucket Check reads has records.
func seeded(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	wh := mustWarehouse(t, s, "MAIN")
	cc, err := s.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	g := newOrderGen(7)
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i, name := range []string{"Alpha", "Beta"} {
		sh := mustShop(t, s, ledger.Shop{Name: name, URL: "https://" + name + ".example", Warehouse: wh.ID, CostCenter: cc.ID})
		orders := g.orders(sh.ID, 100, 30, start.Add(time.Duration(i)*time.Minute), time.Hour)
		mustApply(t, s, sh.ID, ledger.SourcePoll, orders...)
		changed := orders[3]
		changed.Status, changed.Modified = "refunded", changed.Modified.Add(time.Hour)
		mustApply(t, s, sh.ID, ledger.SourcePoll, changed)
	}
	return s
}

func TestCheckFindsDamage(t *testing.T) {
	for _, c := range []struct {
		name   string
		damage func(tx *bbolt.Tx) error
		want   string
	}{
		{"an order without by_created", func(tx *bbolt.Tx) error {
			k, _ := tx.Bucket(bucketByCreated).Cursor().Last()
			return tx.Bucket(bucketByCreated).Delete(k)
		}, "by_created has"},
		{"a stale by_shop status", func(tx *bbolt.Tx) error {
			k, _ := tx.Bucket(bucketByShop).Cursor().First()
			return tx.Bucket(bucketByShop).Put(k, []byte("cancelled"))
		}, "by_shop has \"cancelled\""},
		{"an index entry without its order", func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketByCreated).Put(pos{created: 1, shop: 1, id: 999}.createdKey(), []byte("completed"))
		}, "by_created has 61 entries for 60 orders"},
		{"an order without its search record", func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketSearch).Delete(orderKey(ledger.OrderKey{Shop: 2, ID: 105}))
		}, "order 105 of shop 2 has no search record"},
		{"a payload without its order", func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketRaw).Put(orderKey(ledger.OrderKey{Shop: 9, ID: 1}), []byte("x"))
		}, "has no order"},
		{"a shop whose warehouse is gone", func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketWarehouses).Delete(u64(1))
		}, "shop 1 books into missing warehouse 1"},
		{"a missing bucket", func(tx *bbolt.Tx) error { return tx.DeleteBucket(bucketHistory) }, "bucket history is missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := seeded(t, filepath.Join(t.TempDir(), "db"))
			sum, err := s.Check()
			if err != nil || sum.Orders != 60 || sum.Shops != 2 || sum.SchemaVersion != LatestSchemaVersion() {
				t.Fatalf("Check of sound books: %+v, %v", sum, err)
			}
			if err := s.db.Update(c.damage); err != nil {
				t.Fatal(err)
			}
			_, err = s.Check()
			var d *DamagedError
			if !errors.As(err, &d) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Check after damage: %v, want %q", err, c.want)
			}
		})
	}
}

// TestBackupAndRestore: a backup is a checked database; Restore refuses
// while the books are open, keeps what it replaces, and brings back the
// backup's records.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shopledger.db")
	s := seeded(t, path)
	bak := filepath.Join(dir, "backups", "b.db")
	if err := os.MkdirAll(filepath.Dir(bak), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupFile(bak); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(bak); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v", fi, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "backups", ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if sum, err := CheckFile(bak); err != nil || sum.Orders != 60 || sum.Shops != 2 {
		t.Fatalf("CheckFile(backup) = %+v, %v", sum, err)
	}
	// Changes after the backup.
	if err := s.DeleteShop(1, false); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(path, bak); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("Restore while open: %v", err)
	}
	s.Close()
	sum, err := Restore(path, bak)
	if err != nil || sum.Orders != 60 {
		t.Fatalf("Restore: %+v, %v", sum, err)
	}
	if sum, err := CheckFile(path + BeforeRestoreSuffix); err != nil || sum.Orders != 30 || sum.Shops != 1 {
		t.Errorf("the replaced books kept: %+v, %v", sum, err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, err := s2.CountOrders(OrderFilter{}); err != nil || n != 60 {
		t.Errorf("restored books count %d orders, %v", n, err)
	}
	if _, err := s2.Shop(1); err != nil {
		t.Errorf("restored shop 1: %v", err)
	}
	if _, err := os.Stat(path + ".restore"); !os.IsNotExist(err) {
		t.Errorf("the restore's copy stayed: %v", err)
	}
}

func TestRestoreRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shopledger.db")
	s := seeded(t, path)
	s.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	text := filepath.Join(dir, "note.txt")
	os.WriteFile(text, []byte("not a database, just a note to self"), 0o600)
	foreign := filepath.Join(dir, "foreign.db") // a bbolt file of another program
	newer := filepath.Join(dir, "newer.db")
	for file, version := range map[string]uint64{foreign: 0, newer: 999} {
		db, err := bbolt.Open(file, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bbolt.Tx) error {
			b, err := tx.CreateBucket([]byte("meta"))
			if err != nil || version == 0 {
				return err
			}
			return b.Put(keySchemaVersion, u64(version))
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	var newerErr *NewerSchemaError
	for _, c := range []struct {
		file string
		is   func(error) bool
	}{
		{text, func(err error) bool { return errors.Is(err, ErrNotDatabase) }},
		{foreign, func(err error) bool { return errors.Is(err, ErrNotDatabase) }},
		{newer, func(err error) bool { return errors.As(err, &newerErr) && newerErr.Version == 999 }},
		{filepath.Join(dir, "missing.db"), func(err error) bool { return errors.Is(err, os.ErrNotExist) }},
	} {
		if _, err := Restore(path, c.file); !c.is(err) {
			t.Errorf("Restore from %s: %v", filepath.Base(c.file), err)
		}
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Error("a refused restore changed the books")
	}
}
