package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

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

// keyRecordFormat in the meta bucket is the format byte (codec.go) of
// every compressed value in the file. The migration to schema version 5
// writes it into a file that has no such values yet; a file with values
// written before lacks it until a compaction has rewritten them, which
// Open then does whatever the file's size: on the first open by a version
// that writes formatZstdV2. Not on Windows (see compactIfGrown), where older
// values stay as they are and are read as before.
var keyRecordFormat = []byte("record_format")

// markRecordFormat is migration 4: values may now be formatZstdV2, which
// older versions cannot read (they refuse the newer schema instead).
func markRecordFormat(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketOrders, bucketRaw, bucketDeliveryBodies} {
		if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
			return nil // values from before: the compaction rewrites them
		}
	}
	return tx.Bucket(bucketMeta).Put(keyRecordFormat, []byte{formatZstdV2})
}

// codecOf is the codec of the values of a top-level bucket, nil for a
// bucket whose values are not compressed.
func codecOf(bucket []byte) *dictCodec {
	switch {
	case bytes.Equal(bucket, bucketOrders):
		return orderCodec
	case bytes.Equal(bucket, bucketRaw), bytes.Equal(bucket, bucketDeliveryBodies):
		return rawCodec
	}
	return nil
}

// copyRecoded is bbolt.Compact (every bucket's keys in order into dst, its
// pages filled, committing every txMaxSize bytes) with each compressed
// value rewritten in the format the store writes (recodeAll). c counts
// the keys copied, of every bucket's.
func copyRecoded(dst, src *bbolt.DB, txMaxSize int64, c *counter) error {
	tx, err := dst.Begin(true)
	if err != nil {
		return err
	}
	defer func() { tx.Rollback() }()
	var size int64
	// put writes k/v into the bucket at path in dst, committing first if the
	// transaction is full.
	put := func(path [][]byte, k, v []byte, seq uint64) error {
		if len(path) > 0 {
			c.add(1)
		}
		if size += int64(len(k) + len(v)); size > txMaxSize {
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = dst.Begin(true); err != nil {
				return err
			}
			size = int64(len(k) + len(v))
		}
		if len(path) == 0 {
			b, err := tx.CreateBucket(k)
			if err != nil {
				return err
			}
			return b.SetSequence(seq)
		}
		b := tx.Bucket(path[0])
		for _, name := range path[1:] {
			b = b.Bucket(name)
		}
		b.FillPercent = 1.0
		if v == nil {
			nb, err := b.CreateBucket(k)
			if err != nil {
				return err
			}
			return nb.SetSequence(seq)
		}
		return b.Put(k, v)
	}
	// The values of a compressed bucket are recoded a batch at a time on
	// every core, then written in key order: rewriting 100,000 orders
	// takes about 9 s of CPU, once, before the window opens.
	var batch [][2][]byte // key, value: memory of the read transaction
	flush := func(path [][]byte, c *dictCodec) error {
		recodeAll(batch, c)
		for _, kv := range batch {
			if err := put(path, kv[0], kv[1], 0); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	var walk func(path [][]byte, b *bbolt.Bucket, c *dictCodec) error
	walk = func(path [][]byte, b *bbolt.Bucket, c *dictCodec) error {
		err := b.ForEach(func(k, v []byte) error {
			if v == nil {
				nb := b.Bucket(k)
				if err := put(path, k, nil, nb.Sequence()); err != nil {
					return err
				}
				return walk(append(path[:len(path):len(path)], k), nb, nil)
			}
			if c == nil {
				return put(path, k, v, 0)
			}
			if batch = append(batch, [2][]byte{k, v}); len(batch) == recodeBatch {
				return flush(path, c)
			}
			return nil
		})
		if err != nil || c == nil {
			return err
		}
		return flush(path, c)
	}
	err = src.View(func(stx *bbolt.Tx) error {
		if c.report != nil {
			stx.ForEach(func(_ []byte, b *bbolt.Bucket) error {
				c.total += int64(b.Stats().KeyN)
				return nil
			})
		}
		return stx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			if err := put(nil, name, nil, b.Sequence()); err != nil {
				return err
			}
			return walk([][]byte{name}, b, codecOf(name))
		})
	})
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	c.end()
	return nil
}

// recodeBatch is how many values copyRecoded recodes at a time.
const recodeBatch = 1024

// recodeAll replaces each value of batch by its recoded form, spread over
// the cores. A value that does not decode is left as it is: the copy is no
// place to lose it.
func recodeAll(batch [][2][]byte, c *dictCodec) {
	workers := min(runtime.GOMAXPROCS(0), (len(batch)+63)/64)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(batch); i += workers {
				if nv, ok, err := c.recode(batch[i][1]); err == nil && ok {
					batch[i][1] = nv
				}
			}
		})
	}
	wg.Wait()
}

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
func (s *Store) compactIfGrown(path string, progress func(OpenProgress)) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	// Sizes are the pages in use up to the last (the high-water mark), not
	// the file, which bbolt grows in steps.
	var size, last int64
	var rewrite bool // the file may hold values in an older format
	err := s.db.View(func(tx *bbolt.Tx) error {
		size = tx.Size()
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyCompactedSize); len(v) == 8 {
			last = int64(binary.BigEndian.Uint64(v))
		}
		rewrite = !bytes.Equal(meta.Get(keyRecordFormat), []byte{formatZstdV2})
		return nil
	})
	if err != nil || (!rewrite && (size < compactMinSize || (last > 0 && float64(size) < compactGrowth*float64(last)))) {
		return nil
	}

	tmp := path + compactSuffix
	if err := compactTo(s.db, tmp, progress); err != nil {
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
// the copy's meta bucket, telling progress (nil: nothing) how far it is.
func compactTo(db *bbolt.DB, path string, progress func(OpenProgress)) error {
	dst, err := bbolt.Open(path, 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return err
	}
	c := &counter{step: StepCompact, report: progress}
	if err := copyRecoded(dst, db, compactTxSize, c); err != nil {
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
		if err := meta.Put(keyRecordFormat, []byte{formatZstdV2}); err != nil {
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
