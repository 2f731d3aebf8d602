package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/export"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// synced returns a store holding a simulated shop's orders.
func synced(t testing.TB, orders int) (*store.Store, []woosim.OrderSummary) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "books.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wh, _ := st.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	cc, _ := st.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	srv, err := woosim.Start(woosim.Options{Orders: orders, Seed: 5}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sh, _ := st.CreateShop(ledger.Shop{Name: "Магазин", URL: srv.URL, Warehouse: wh.ID, CostCenter: cc.ID})
	c, _ := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	if _, err := syncer.Pass(context.Background(), st, sh, c, syncer.Options{}); err != nil {
		t.Fatal(err)
	}
	return st, srv.Sim.Snapshot()
}

func TestXLSXHasBothSheets(t *testing.T) {
	st, snap := synced(t, 150)
	var buf bytes.Buffer
	stats, err := export.WriteXLSX(&buf, st, export.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Orders != 150 || stats.Lines < 150 {
		t.Fatalf("stats %+v", stats)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Orders" || got[1] != "Lines" {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("Orders")
	if len(rows) != 151 || rows[0][0] != "Shop" || rows[1][0] != "Магазин" || rows[1][1] != "MAIN" || rows[1][2] != "WEB" {
		t.Fatalf("orders sheet: %d rows, first %v / %v", len(rows), rows[0], rows[1])
	}
	// The newest order comes first; its total is a number cell equal to the shop's.
	newest := snap[len(snap)-1]
	if rows[1][3] != newest.Number {
		t.Fatalf("first row is order %s, want the newest %s", rows[1][3], newest.Number)
	}
	raw, _ := f.GetCellValue("Orders", "T2", excelize.Options{RawCellValue: true})
	if raw != strings.TrimRight(strings.TrimRight(newest.Total, "0"), ".") && raw != newest.Total {
		t.Errorf("total cell %q, want %s", raw, newest.Total)
	}
	lines, _ := f.GetRows("Lines")
	if len(lines)-1 != stats.Lines {
		t.Errorf("lines sheet has %d rows, stats say %d", len(lines)-1, stats.Lines)
	}
}

func TestCSVForExcel(t *testing.T) {
	st, snap := synced(t, 60)
	var buf bytes.Buffer
	if _, err := export.WriteCSV(&buf, st, export.OrdersSheet, export.Options{Delimiter: ';', BOM: true, Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 61 {
		t.Fatalf("%d rows", len(rows))
	}
	newest := snap[len(snap)-1]
	if got, want := rows[1][19], strings.Replace(newest.Total, ".", ",", 1); got != want {
		t.Errorf("total %q, want %q (decimal comma with ';')", got, want)
	}

	buf.Reset()
	if _, err := export.WriteCSV(&buf, st, export.LinesSheet, export.Options{}); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil || lines[0][8] != "SKU" || len(lines) < 61 {
		t.Fatalf("lines csv: %v, %d rows", err, len(lines))
	}
	if _, err := export.WriteCSV(&buf, st, export.OrdersSheet, export.Options{Delimiter: '\t'}); err == nil {
		t.Error("a tab delimiter was accepted")
	}
}

func TestExportFilter(t *testing.T) {
	st, snap := synced(t, 80)
	status := ledger.Status(snap[0].Status)
	want := 0
	for _, o := range snap {
		if ledger.Status(o.Status) == status {
			want++
		}
	}
	var buf bytes.Buffer
	stats, err := export.WriteCSV(&buf, st, export.OrdersSheet, export.Options{Filter: store.OrderFilter{Status: status}})
	if err != nil || stats.Orders != want {
		t.Fatalf("filtered export: %+v, %v; want %d orders", stats, err, want)
	}
}

// BenchmarkXLSX100k exports 100,000 orders (make bench prints it); memory
// stays bounded because rows are streamed.
func BenchmarkXLSX(b *testing.B) {
	st, _ := synced(b, benchOrders)
	for b.Loop() {
		var n countingWriter
		if _, err := export.WriteXLSX(&n, st, export.Options{}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "bytes")
	}
}

const benchOrders = 10000

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
