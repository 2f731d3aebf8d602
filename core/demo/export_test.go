package demo

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/export"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// TestDemoExportsToXLSX: the demo shop, imported by automatic sync and
// then kept current by its webhooks, exports to an XLSX file that opens
// with an Orders sheet (one row per order in the books, stamped with the
// demo's warehouse and cost center) and a Lines sheet (one row per
// product, shipping and fee line).
func TestDemoExportsToXLSX(t *testing.T) {
	e := newEnv(t, true)
	d := e.start(Options{Interval: -1})
	shop := d.Shop()
	e.awaitFinished(shop)
	placed := d.PlaceOrder() // arrives by webhook
	e.arrived(shop, placed, snapshotStatus(d, placed))

	var want []ledger.Order // newest first, as the export writes them
	if err := e.b.Store.EachOrder(store.OrderFilter{Shop: shop}, func(o *ledger.Order) error {
		want = append(want, *o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != DefaultOrders+1 {
		t.Fatalf("%d orders in the books, want %d", len(want), DefaultOrders+1)
	}
	wantLines := 0
	for _, o := range want {
		wantLines += len(o.Lines) + len(o.ShippingLines) + len(o.FeeLines)
	}

	path := filepath.Join(t.TempDir(), "demo.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := export.WriteXLSX(out, e.b.Store, export.Options{Filter: store.OrderFilter{Shop: shop}, Location: time.UTC})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if stats.Orders != len(want) || stats.Lines != wantLines {
		t.Fatalf("export wrote %+v, want %d orders and %d lines", stats, len(want), wantLines)
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Orders" || got[1] != "Lines" {
		t.Fatalf("sheets %v, want [Orders Lines]", got)
	}

	rows, err := f.GetRows("Orders")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("Orders sheet: %d rows, want a header and %d orders", len(rows), len(want))
	}
	if rows[0][0] != "Shop" || rows[0][3] != "Order number" || rows[0][19] != "Total" {
		t.Errorf("Orders header %v", rows[0])
	}
	for i, o := range want {
		r := rows[i+1]
		if r[0] != DefaultName || r[1] != Code || r[2] != Code || r[3] != o.Number ||
			r[4] != strconv.FormatInt(o.ID, 10) || r[5] != string(o.Status) || r[13] != o.Currency {
			t.Fatalf("Orders row %d: %v; want order %d (%s, %s, %s) of %q stamped %s/%s",
				i+2, r, o.ID, o.Number, o.Status, o.Currency, DefaultName, Code, Code)
		}
		raw, err := f.GetCellValue("Orders", "T"+strconv.Itoa(i+2), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ledger.ParseAmount(raw); err != nil || got != o.Total {
			t.Fatalf("Orders row %d total %q (%v), want %s", i+2, raw, err, o.Total)
		}
	}
	if rows[1][4] != strconv.FormatInt(placed, 10) {
		t.Errorf("first row is order %s; want the order placed last, %d", rows[1][4], placed)
	}

	lines, err := f.GetRows("Lines")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != wantLines+1 || lines[0][8] != "SKU" {
		t.Fatalf("Lines sheet: %d rows (header %v), want a header and %d lines", len(lines), lines[0], wantLines)
	}
	first := want[0]
	if r := lines[1]; r[3] != first.Number || r[7] != "product" || r[8] != first.Lines[0].SKU {
		t.Errorf("first line %v, want order %s's product %s", r, first.Number, first.Lines[0].SKU)
	}
}
