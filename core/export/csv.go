package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Sheet picks what a CSV file holds: one row per order, or per line.
type Sheet int

const (
	OrdersSheet Sheet = iota
	LinesSheet
)

// WriteCSV writes one sheet as CSV.
func WriteCSV(w io.Writer, src Source, sheet Sheet, opt Options) (Stats, error) {
	var st Stats
	opt = opt.withDefaults()
	if opt.Delimiter != ',' && opt.Delimiter != ';' {
		return st, fmt.Errorf("csv delimiter %q: use ',' or ';'", opt.Delimiter)
	}
	n, err := loadNames(src)
	if err != nil {
		return st, err
	}
	if opt.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return st, err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = opt.Delimiter
	header, totals := orderHeader, orderTotals()
	if sheet == LinesSheet {
		header, totals = lineHeader, lineTotals()
	}
	if err := cw.Write(header); err != nil {
		return st, err
	}
	record := make([]string, 0, len(header))
	write := func(cells []cell) error {
		record = record[:0]
		for _, c := range cells {
			record = append(record, csvText(c, opt.Delimiter))
		}
		return cw.Write(record)
	}
	err = src.EachOrder(opt.Filter, func(o *ledger.Order) error {
		st.Orders++
		totals.order(o)
		if sheet == OrdersSheet {
			r := n.orderRow(o, opt.Location)
			totals.row(r)
			return write(r)
		}
		for _, r := range n.lineRows(o, opt.Location) {
			st.Lines++
			totals.row(r)
			if err := write(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("export orders as csv: %w", err)
	}
	if opt.Totals {
		// An empty line, which CSV readers skip, sets the totals apart.
		if err := cw.Write(nil); err != nil {
			return st, err
		}
		for _, r := range totals.rows() {
			if err := write(r); err != nil {
				return st, err
			}
		}
	}
	cw.Flush()
	return st, cw.Error()
}

// csvText formats a cell. With ';' between fields the file is meant for a
// spreadsheet that reads "12,50" as a number, so amounts get a decimal comma.
func csvText(c cell, delim rune) string {
	switch v := c.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case ledger.Amount:
		s := v.String()
		if delim == ';' {
			s = commaDecimal(s)
		}
		return s
	case time.Time:
		return v.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprint(c)
}

func commaDecimal(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '.' {
			b[i] = ','
		}
	}
	return string(b)
}

func (o Options) withDefaults() Options {
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Delimiter == 0 {
		o.Delimiter = ','
	}
	return o
}
