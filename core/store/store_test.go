package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// openTest opens a store in a fresh temporary directory and closes it when
// the test ends.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "shopledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// txID is the id of the last committed write transaction.
func txID(t *testing.T, s *Store) int {
	t.Helper()
	var id int
	if err := s.db.View(func(tx *bbolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestOpenEmptyFileMigratesToLatest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config", "ShopLedger")
	path := filepath.Join(dir, "shopledger.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	if fi, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	} else if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode = %o, want 700", perm)
	}
	v, err := s.SchemaVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v != LatestSchemaVersion() || v < 1 {
		t.Errorf("SchemaVersion() = %d, want %d", v, LatestSchemaVersion())
	}
	err = s.db.View(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketShops, bucketWarehouses, bucketCostCenters,
			bucketOrders, bucketRaw, bucketHistory, bucketByCreated, bucketByShop, bucketSync} {
			if tx.Bucket(name) == nil {
				t.Errorf("bucket %s missing", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Data survives a re-open, which runs no migration again.
	sh, err := s.CreateShop(ledger.Shop{Name: "Demo", URL: "https://demo.example.test"})
	if err != nil {
		t.Fatal(err)
	}
	o := newOrderGen(1).order(sh.ID, 25, time.Date(2026, 11, 27, 11, 26, 25, 0, time.UTC))
	if _, err := s.ApplyOrders(sh.ID, []ledger.Order{o}, ledger.SourcePoll, o.Modified); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(); v != LatestSchemaVersion() {
		t.Errorf("after re-open SchemaVersion() = %d", v)
	}
	got, err := s.Order(o.Key())
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != o.Total || string(got.Raw) != string(o.Raw) {
		t.Errorf("after re-open order = %+v", got)
	}
	if st, _ := s.SyncState(sh.ID); !st.Cursor.Equal(o.Modified) {
		t.Errorf("after re-open cursor = %v, want %v", st.Cursor, o.Modified)
	}
}

// TestMigrationsRunInOrder adds two migrations for the length of the test and
// checks that only the ones above the stored version run, each recording its
// version.
func TestMigrationsRunInOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	saved := migrations
	t.Cleanup(func() { migrations = saved })
	var ran []int
	migrations = append(slices.Clip(saved),
		func(tx *bbolt.Tx) error {
			ran = append(ran, schemaVersion(tx))
			_, err := tx.CreateBucket([]byte("extra"))
			return err
		},
		func(tx *bbolt.Tx) error {
			ran = append(ran, schemaVersion(tx))
			return nil
		},
	)
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := len(saved)
	if want := []int{base, base + 1}; !slices.Equal(ran, want) {
		t.Errorf("migrations saw versions %v, want %v", ran, want)
	}
	if v, _ := s.SchemaVersion(); v != base+2 {
		t.Errorf("SchemaVersion() = %d, want %d", v, base+2)
	}
}

func TestMigrationFailureKeepsVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = append(slices.Clip(saved), func(tx *bbolt.Tx) error { return errors.New("boom") })
	if _, err := Open(path); err == nil {
		t.Fatal("Open with a failing migration succeeded")
	}
	migrations = saved
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(); v != len(saved) {
		t.Errorf("SchemaVersion() = %d, want %d (the failed migration must not count)", v, len(saved))
	}
}

func TestOpenNewerSchemaFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keySchemaVersion, u64(999))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
}

func TestOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(path, []byte("this is not a bbolt file, it is a note to self"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open of a text file succeeded")
	}
	if errors.Is(err, ErrAlreadyRunning) {
		t.Errorf("Open of a text file: %v, must not read as already running", err)
	}
}

// TestOpenTwice: bbolt's flock is per open file description, so a second Open
// of the same file in the same process waits like a second process would.
func TestOpenTwice(t *testing.T) {
	s := openTest(t)
	path := s.Path()
	s2, err := Open(path)
	if err == nil {
		s2.Close()
		t.Fatal("second Open succeeded")
	}
	if !errors.Is(err, ErrAlreadyRunning) {
		t.Errorf("second Open: %v, want ErrAlreadyRunning", err)
	}
	if !errors.Is(err, bolterrors.ErrTimeout) {
		t.Errorf("second Open: %v does not unwrap to bbolt's timeout", err)
	}
	if err.Error() != "ShopLedger is already running" {
		t.Errorf("second Open: message %q", err.Error())
	}
	// Once the first closes, the file opens again.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s3, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
}
