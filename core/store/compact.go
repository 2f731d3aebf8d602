package store

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"go.etcd.io/bbolt"
)

// Compaction at open. A first import writes orders in modification order,
// so their keys land inside pages already written and split them: the
// B-tree's pages end up two-thirds full, and bbolt never gives a file's
// space back. A copy made with bbolt.Compact fills every page and keeps
// each bucket's pages together: 100,000 orders take 207 MB instead of
// 293 MB, and reading the search records maps 17 MB of the file instead of
// 162 MB (docs/PERFORMANCE.md). Open makes that copy when the file has
// grown enough since the last one, and renames it over the file while it
// still holds the old file's lock; openLocked makes a process that was
// waiting for that lock open the new file instead.
var (
	// compactMinSize is the smallest file worth compacting.
	compactMinSize int64 = 32 << 20
	// compactGrowth is how much a file must have grown since it was last
	// compacted to be compacted again.
	compactGrowth = 1.5
)

// keyCompactedSize in the meta bucket is the size of the file's pages when
// it was last compacted.
var keyCompactedSize = []byte("compacted_size")

// compactSuffix names the compacted copy beside the file until it replaces
// it.
const compactSuffix = ".compact"

// compactTxSize is how much Compact copies per transaction.
const compactTxSize = 64 << 20

// compactIfGrown replaces the open file with a compacted copy if it has
// grown enough, and opens the copy. A failure before the copy replaces the
// file leaves everything as it was: compaction only saves space. Not on
// Windows, where an open file cannot be renamed over.
func (s *Store) compactIfGrown(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	// Sizes are the pages in use up to the last (the high-water mark), not
	// the file, which bbolt grows in steps.
	var size, last int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		size = tx.Size()
		if v := tx.Bucket(bucketMeta).Get(keyCompactedSize); len(v) == 8 {
			last = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	if err != nil || size < compactMinSize || (last > 0 && float64(size) < compactGrowth*float64(last)) {
		return nil
	}

	tmp := path + compactSuffix
	if err := compactTo(s.db, tmp); err != nil {
		os.Remove(tmp)
		return nil
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil
	}
	syncDir(filepath.Dir(path))
	old := s.db
	db, err := openLocked(path)
	if err != nil {
		old.Close()
		return err
	}
	s.db = db
	if err := old.Close(); err != nil {
		return fmt.Errorf("close the database before compaction: %w", err)
	}
	return nil
}

// compactTo writes a compacted copy of db to path and records its size in
// the copy's meta bucket.
func compactTo(db *bbolt.DB, path string) error {
	dst, err := bbolt.Open(path, 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return err
	}
	if err := bbolt.Compact(dst, db, compactTxSize); err != nil {
		dst.Close()
		return err
	}
	used := func() (n int64) {
		dst.View(func(tx *bbolt.Tx) error { n = tx.Size(); return nil })
		return n
	}
	err = dst.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		return meta.Put(keyCompactedSize, u64(uint64(used())))
	})
	size := used()
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// bbolt grows a file in steps of 16 MB: give back the part of the last
	// step that no page uses. bbolt grows it again when it needs to.
	if fi, err := os.Stat(path); err == nil && size > 0 && fi.Size() > size {
		if err := os.Truncate(path, size); err != nil {
			return err
		}
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
