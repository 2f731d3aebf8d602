package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Format is the kind of file an export writes.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ProgressEvery is how many orders pass between two progress reports.
const ProgressEvery = 250

// FileOptions choose what ToFile writes, beyond Options.
type FileOptions struct {
	Options
	Format Format
	// Sheet is the CSV file's rows (XLSX always has both sheets).
	Sheet Sheet
	// Progress, if set, is told how many orders are written so far, every
	// ProgressEvery orders, on the exporting goroutine.
	Progress func(orders int)
}

// ToFile exports src to the file at path. It writes under a temporary name
// in the same directory and renames it into place only once the whole
// file is written, so a failed or cancelled export never leaves half a
// file where the accounting package would pick it up. ctx cancels between
// two orders.
func ToFile(ctx context.Context, path string, src Source, opt FileOptions) (Stats, error) {
	if opt.Format != CSV && opt.Format != XLSX {
		return Stats{}, fmt.Errorf("export format %q: use csv or xlsx", opt.Format)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return Stats{}, fmt.Errorf("export to %s: %w", path, err)
	}
	st, err := write(tmp, &watched{Source: src, ctx: ctx, progress: opt.Progress}, opt)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return st, fmt.Errorf("export to %s: %w", path, err)
	}
	return st, nil
}

func write(w io.Writer, src Source, opt FileOptions) (Stats, error) {
	if opt.Format == XLSX {
		return WriteXLSX(w, src, opt.Options)
	}
	return WriteCSV(w, src, opt.Sheet, opt.Options)
}

// watched is a Source that stops when ctx ends and reports its progress.
type watched struct {
	Source
	ctx      context.Context
	progress func(int)
}

func (s *watched) EachOrder(f store.OrderFilter, fn func(*ledger.Order) error) error {
	n := 0
	return s.Source.EachOrder(f, func(o *ledger.Order) error {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
		n++
		if s.progress != nil && n%ProgressEvery == 0 {
			s.progress(n)
		}
		return nil
	})
}

// OrderReader reads one order by its key; *store.Store satisfies it.
type OrderReader interface {
	Order(ledger.OrderKey) (ledger.Order, error)
}

// Only is a Source that exports exactly the orders of keys, in their
// order, whatever the filter: what a search in the window found. Orders
// gone from the books since the search are skipped.
func Only(src Source, r OrderReader, keys []ledger.OrderKey) Source {
	return &only{Source: src, r: r, keys: keys}
}

type only struct {
	Source
	r    OrderReader
	keys []ledger.OrderKey
}

func (s *only) EachOrder(_ store.OrderFilter, fn func(*ledger.Order) error) error {
	for _, k := range s.keys {
		o, err := s.r.Order(k)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(&o); err != nil {
			return err
		}
	}
	return nil
}
