package export_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/export"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// sheetSums reads a sheet back: the sums of the named columns per currency
// over its order or line rows, and its totals rows by currency, in the
// order they come. parse reads an amount as the file writes it.
type sheetSums struct {
	rows   map[string][]ledger.Amount
	orders map[string]map[string]bool // order numbers per currency
	totals [][]string
}

func readSums(t *testing.T, rows [][]string, cols []string, parse func(string) (ledger.Amount, error)) sheetSums {
	t.Helper()
	header := rows[0]
	cur, num := slices.Index(header, "Currency"), slices.Index(header, "Order number")
	idx := make([]int, len(cols))
	for i, c := range cols {
		if idx[i] = slices.Index(header, c); idx[i] < 0 {
			t.Fatalf("no column %s in %v", c, header)
		}
	}
	s := sheetSums{rows: map[string][]ledger.Amount{}, orders: map[string]map[string]bool{}}
	for _, r := range rows[1:] {
		if len(r) == 0 {
			continue
		}
		if r[0] == "Total" {
			s.totals = append(s.totals, r)
			continue
		}
		if len(s.totals) > 0 {
			t.Fatalf("a row after the totals: %v", r)
		}
		c := r[cur]
		if s.rows[c] == nil {
			s.rows[c], s.orders[c] = make([]ledger.Amount, len(cols)), map[string]bool{}
		}
		s.orders[c][r[num]] = true
		for i, j := range idx {
			a, err := parse(r[j])
			if err != nil {
				t.Fatalf("%s %q: %v", cols[i], r[j], err)
			}
			s.rows[c][i] += a
		}
	}
	return s
}

// check compares the totals rows with the sums of the rows above them,
// one row per currency in code order, and returns them by currency.
func (s sheetSums) check(t *testing.T, header []string, cols []string, parse func(string) (ledger.Amount, error)) map[string][]ledger.Amount {
	t.Helper()
	cur, num := slices.Index(header, "Currency"), slices.Index(header, "Order number")
	var currencies []string
	for c := range s.rows {
		currencies = append(currencies, c)
	}
	slices.Sort(currencies)
	if len(currencies) < 2 {
		t.Fatalf("the export has orders in %v, want several currencies", currencies)
	}
	if len(s.totals) != len(currencies) {
		t.Fatalf("%d totals rows for the currencies %v", len(s.totals), currencies)
	}
	got := map[string][]ledger.Amount{}
	for i, r := range s.totals {
		c := currencies[i]
		if r[cur] != c {
			t.Fatalf("totals row %d is in %q, want %s (by code)", i, r[cur], c)
		}
		if want := strconv.Itoa(len(s.orders[c])) + " orders"; r[num] != want {
			t.Errorf("%s: %q, want %q", c, r[num], want)
		}
		for k, col := range cols {
			a, err := parse(r[slices.Index(header, col)])
			if err != nil {
				t.Fatalf("%s total %s: %v", c, col, err)
			}
			if a != s.rows[c][k] {
				t.Errorf("%s: %s totals %s, its rows add up to %s", c, col, a, s.rows[c][k])
			}
			got[c] = append(got[c], a)
		}
	}
	return got
}

func commaAmount(s string) (ledger.Amount, error) {
	return ledger.ParseAmount(strings.Replace(s, ",", ".", 1))
}

// footer is the order list's totals, by currency.
func footer(t *testing.T, st *store.Store, f store.OrderFilter) map[string]store.CurrencyTotals {
	t.Helper()
	list, err := st.OrderTotals(f)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]store.CurrencyTotals{}
	for _, ct := range list {
		m[ct.Currency] = ct
	}
	return m
}

var (
	orderSummed = []string{"Items", "Discount", "Shipping", "Fees", "Tax", "Total", "Refunded"}
	lineSummed  = []string{"Net", "Tax", "Gross"}
)

// TestCSVTotals: a CSV export with Totals ends with a row per currency
// whose amounts are the sums of the rows above it, and agree with the
// order list's footer; without Totals there is none.
func TestCSVTotals(t *testing.T) {
	st, _ := synced(t, 200)
	f := store.OrderFilter{Status: ledger.StatusCompleted}
	list := footer(t, st, f)

	var buf bytes.Buffer
	if _, err := export.WriteCSV(&buf, st, export.OrdersSheet, export.Options{Filter: f, Delimiter: ';', BOM: true, Totals: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\n\nTotal;")) {
		t.Error("no empty line before the totals")
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sums := readSums(t, rows, orderSummed, commaAmount)
	got := sums.check(t, rows[0], orderSummed, commaAmount)
	for c, a := range got {
		ct := list[c]
		if len(sums.orders[c]) != ct.Orders || a[2] != ct.Shipping || a[3] != ct.Fees || a[4] != ct.Tax || a[5] != ct.Total || a[6] != ct.Refunded {
			t.Errorf("%s: the export's totals %v (%d orders), the list's footer %+v", c, a, len(sums.orders[c]), ct)
		}
	}

	buf.Reset()
	if _, err := export.WriteCSV(&buf, st, export.LinesSheet, export.Options{Filter: f, Totals: true}); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got = readSums(t, lines, lineSummed, ledger.ParseAmount).check(t, lines[0], lineSummed, ledger.ParseAmount)
	for c, a := range got {
		// The lines add up to the orders' totals before refunds.
		if a[2] != list[c].Total || a[1] != list[c].Tax {
			t.Errorf("%s: lines' gross %s and tax %s, the orders' total %s and tax %s", c, a[2], a[1], list[c].Total, list[c].Tax)
		}
	}

	buf.Reset()
	if _, err := export.WriteCSV(&buf, st, export.OrdersSheet, export.Options{Filter: f}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "\nTotal,") {
		t.Error("totals without Options.Totals")
	}
}

// TestXLSXTotals: both sheets of an XLSX export with Totals end, after an
// empty row, with a row per currency whose amounts are number cells in the
// money format, equal to the sums of the rows above.
func TestXLSXTotals(t *testing.T) {
	st, _ := synced(t, 150)
	var buf bytes.Buffer
	stats, err := export.WriteXLSX(&buf, st, export.Options{Location: time.UTC, Totals: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list := footer(t, st, store.OrderFilter{})
	for _, sh := range []struct {
		name string
		cols []string
		rows int // data rows
	}{{"Orders", orderSummed, stats.Orders}, {"Lines", lineSummed, stats.Lines}} {
		rows, err := f.GetRows(sh.name)
		if err != nil {
			t.Fatal(err)
		}
		// Raw values: the numbers as stored, not as formatted.
		raw, err := f.GetRows(sh.name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1+sh.rows+1+len(list) || len(rows[1+sh.rows]) != 0 {
			t.Fatalf("%s: %d rows, want a header, %d rows, an empty row and %d totals", sh.name, len(rows), sh.rows, len(list))
		}
		got := readSums(t, raw, sh.cols, ledger.ParseAmount).check(t, raw[0], sh.cols, ledger.ParseAmount)
		if sh.name == "Orders" {
			for c, a := range got {
				if ct := list[c]; a[5] != ct.Total || a[6] != ct.Refunded || a[4] != ct.Tax {
					t.Errorf("%s: the export's totals %v, the list's footer %+v", c, a, ct)
				}
			}
		}
		// Each total is a number cell styled as the amounts above it.
		for i := 2 + sh.rows; i < len(rows); i++ {
			for _, name := range sh.cols {
				col, _ := excelize.ColumnNumberToName(slices.Index(rows[0], name) + 1)
				cell, above := col+strconv.Itoa(i+1), col+"2"
				typ, err := f.GetCellType(sh.name, cell)
				if err != nil || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
					t.Fatalf("%s!%s is of type %v (%v), want a number", sh.name, cell, typ, err)
				}
				style, _ := f.GetCellStyle(sh.name, cell)
				want, _ := f.GetCellStyle(sh.name, above)
				if style != want || style == 0 {
					t.Errorf("%s!%s has style %d, the amounts above %d", sh.name, cell, style, want)
				}
			}
		}
	}
}
