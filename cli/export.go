package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/export"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

func runExport(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "export")
	format := fs.String("format", "", "csv or xlsx (default: from the -o file's extension)")
	out := fs.String("o", "", "file to write (required; - for standard output with csv)")
	shopRef := fs.String("shop", "", "only this shop (name or id)")
	status := fs.String("status", "", "only this status")
	from := fs.String("from", "", "only orders created on or after this date (YYYY-MM-DD, local time)")
	to := fs.String("to", "", "only orders created on or before this date (YYYY-MM-DD, local time)")
	sheet := fs.String("sheet", "orders", "csv only: orders (a row per order) or lines (a row per product, shipping or fee line)")
	delim := fs.String("delimiter", ",", `csv only: "," or ";" (";" also writes amounts with a decimal comma, as Excel in Bulgaria expects)`)
	bom := fs.Bool("bom", false, "csv only: start with a UTF-8 byte order mark, so Excel on Windows shows Cyrillic right")
	totals := fs.Bool("totals", true, "end each sheet with a totals row per currency (--totals=false for a file an accounting package imports row by row)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(env.Stderr, "shopledger export: missing -o FILE")
		return errUsage
	}
	if *format == "" {
		*format = map[string]string{".csv": "csv", ".xlsx": "xlsx"}[filepath.Ext(*out)]
	}
	if *format != "csv" && *format != "xlsx" {
		fmt.Fprintf(env.Stderr, "shopledger export: --format must be csv or xlsx\n")
		return errUsage
	}
	if *format == "xlsx" && *out == "-" {
		fmt.Fprintln(env.Stderr, "shopledger export: an xlsx file cannot go to standard output; name a file with -o")
		return errUsage
	}
	if *sheet != "orders" && *sheet != "lines" || *delim != "," && *delim != ";" {
		fmt.Fprintln(env.Stderr, `shopledger export: --sheet is orders or lines, --delimiter is "," or ";"`)
		return errUsage
	}
	opt := export.Options{Filter: store.OrderFilter{Status: ledger.NormalizeStatus(*status)}, Delimiter: rune((*delim)[0]), BOM: *bom, Totals: *totals}
	var err error
	if opt.Filter.From, err = parseDay(*from, 0); err != nil {
		return err
	}
	if opt.Filter.To, err = parseDay(*to, 1); err != nil {
		return err
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	if *shopRef != "" {
		sh, err := findShop(b, *shopRef)
		if err != nil {
			return err
		}
		opt.Filter.Shop = sh.ID
	}

	w, commit, err := output(env, *out)
	if err != nil {
		return err
	}
	start := time.Now()
	var stats export.Stats
	if *format == "xlsx" {
		stats, err = export.WriteXLSX(w, b.Store, opt)
	} else {
		which := export.OrdersSheet
		if *sheet == "lines" {
			which = export.LinesSheet
		}
		stats, err = export.WriteCSV(w, b.Store, which, opt)
	}
	if err = commit(err); err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(env.Stdout, "exported %d orders (%d lines) to %s in %s\n", stats.Orders, stats.Lines, *out, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// parseDay reads YYYY-MM-DD as local midnight, plus days.
func parseDay(s string, days int) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, &books.InputError{Problems: []string{fmt.Sprintf("%q is not a date; write it as YYYY-MM-DD", s)}}
	}
	return d.AddDate(0, 0, days), nil
}

// output opens the destination. A file is written under a temporary name
// and renamed at the end, so a failed export never leaves half a file
// where the accounting package would pick it up.
func output(env *Env, path string) (io.Writer, func(error) error, error) {
	if path == "-" {
		return env.Stdout, func(err error) error { return err }, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, nil, fmt.Errorf("create %s: %w", path, err)
	}
	return tmp, func(werr error) error {
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), path)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("export to %s: %w", path, werr)
		}
		return nil
	}, nil
}
