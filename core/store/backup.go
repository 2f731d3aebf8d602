package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Backups. A backup is the database file as one read transaction sees it
// (bbolt's Tx.WriteTo): consistent however much the app writes meanwhile,
// and itself a database that Open, Check and Restore read.

// Backup writes a consistent copy of the database to w.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up the database: %w", err)
	}
	return n, nil
}

// BackupFile writes a consistent copy of the database to path: to a
// temporary file beside it first, synced, then renamed, so that path holds
// either a whole backup or what it held before.
func (s *Store) BackupFile(path string) error {
	return writeFileAtomic(path, func(f *os.File) error {
		_, err := s.Backup(f)
		return err
	})
}

// writeFileAtomic writes path through a temporary file in its directory.
func writeFileAtomic(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	err = write(f)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// CheckFile opens a database file that no ShopLedger has open, read-only,
// and checks it (see Check). A file that is not a ShopLedger database gives
// an error matching ErrNotDatabase.
func CheckFile(path string) (Summary, error) {
	if _, err := os.Stat(path); err != nil {
		return Summary{}, fmt.Errorf("check %s: %w", path, err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return Summary{}, alreadyRunningError{cause: err}
	case err != nil:
		return Summary{}, fmt.Errorf("check %s: %w (%v)", path, ErrNotDatabase, err)
	}
	defer db.Close()
	var sum Summary
	err = db.View(func(tx *bbolt.Tx) error {
		var err error
		sum, err = check(tx)
		return err
	})
	if err != nil {
		return sum, fmt.Errorf("check %s: %w", path, err)
	}
	return sum, nil
}

// OpenReadOnly opens the database at path for reading only, as a backup
// does: nothing is migrated or compacted, and other readers may share it,
// but not a ShopLedger that has it open (ErrAlreadyRunning).
func OpenReadOnly(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, alreadyRunningError{cause: err}
	case err != nil:
		return nil, fmt.Errorf("open database %s: %w (%v)", path, ErrNotDatabase, err)
	}
	s := &Store{db: db}
	v, _ := s.SchemaVersion()
	switch {
	case v == 0:
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, ErrNotDatabase)
	case v > len(migrations):
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, &NewerSchemaError{Version: v, Supported: len(migrations)})
	}
	return s, nil
}

// BeforeRestoreSuffix names the copy Restore keeps of the database it
// replaces, beside it.
const BeforeRestoreSuffix = ".before-restore"

// Restore replaces the database at path with the backup at from, after
// checking a copy of it (see Check); the database it replaces is kept at
// path+BeforeRestoreSuffix. It refuses with an error matching
// ErrAlreadyRunning while any Store, in this process or another, has the
// database open. The restored file is migrated to the latest schema when
// it is next opened.
func Restore(path, from string) (Summary, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Summary{}, fmt.Errorf("restore: %w", err)
	}
	// Holding the lock keeps every other ShopLedger out until the new
	// file is in place; one that waited for it then opens the new file
	// (see openLocked).
	cur, err := openLocked(path)
	if err != nil {
		return Summary{}, fmt.Errorf("restore: %w", err)
	}
	defer func() {
		if cur != nil {
			cur.Close()
		}
	}()
	tmp := path + ".restore"
	defer os.Remove(tmp)
	if err := copyFile(tmp, from); err != nil {
		return Summary{}, fmt.Errorf("restore from %s: %w", from, err)
	}
	sum, err := CheckFile(tmp)
	if err != nil {
		return sum, fmt.Errorf("restore from %s: %w", from, err)
	}
	err = writeFileAtomic(path+BeforeRestoreSuffix, func(f *os.File) error {
		return cur.View(func(tx *bbolt.Tx) error { _, err := tx.WriteTo(f); return err })
	})
	if err != nil {
		return sum, fmt.Errorf("restore: keep the current database: %w", err)
	}
	if runtime.GOOS == "windows" {
		// An open file cannot be renamed over there.
		cur.Close()
		cur = nil
	}
	if err := os.Rename(tmp, path); err != nil {
		return sum, fmt.Errorf("restore from %s: %w", from, err)
	}
	syncDir(filepath.Dir(path))
	return sum, nil
}

// copyFile copies from to a new file at path, synced.
func copyFile(path, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	return err
}
