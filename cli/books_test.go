package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
)

const booksSamples = "../core/woo/testdata/books-2026-10"

// sampleOrders are the real shop's October 2026 orders with their
// refunds' detail, decoded by core/woo.
func sampleOrders(t *testing.T) []ledger.Order {
	t.Helper()
	var bodies []json.RawMessage
	var refunds map[string]json.RawMessage
	for name, v := range map[string]any{"wc-v3-orders.json": &bodies, "wc-v3-refunds-by-order.json": &refunds} {
		raw, err := os.ReadFile(filepath.Join(booksSamples, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	var out []ledger.Order
	for _, b := range bodies {
		o, err := woo.DecodeOrder(b)
		if err != nil {
			t.Fatal(err)
		}
		if raw, ok := refunds[strconv.FormatInt(o.ID, 10)]; ok {
			if o.Refunds, err = woo.DecodeRefunds(raw); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, o)
	}
	return out
}

// booksWithSample makes a data directory with the shop "Real" (Europe/Sofia)
// holding the sample month; edit, when set, runs on the open books after.
func booksWithSample(t *testing.T, dir string, edit func(*books.Books, ledger.Shop)) {
	t.Helper()
	b, err := books.Open(dir, keysFor(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sh, err := b.ShopByName("Real")
	if err != nil {
		w, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
		if err != nil {
			t.Fatal(err)
		}
		if sh, err = b.CreateShop(ledger.Shop{Name: "Real", Warehouse: w.ID, CostCenter: c.ID, Timezone: "Europe/Sofia"}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ApplyOrders(sh.ID, sampleOrders(t), ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(b, sh)
	}
}

func TestBooksSummaryJSONIsTheShopsReport(t *testing.T) {
	dir := t.TempDir()
	booksWithSample(t, dir, nil)
	r := cmd(t, dir, nil, "", "books", "summary", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out["from"] != "2026-10-01" || out["to"] != "2026-10-31" || out["basis"] != "created" {
		t.Fatalf("head: %v", out)
	}
	groups := out["groups"].([]any)
	if len(groups) != 1 {
		t.Fatalf("groups: %v", groups)
	}
	g := groups[0].(map[string]any)
	want := map[string]any{
		"shop": "Real", "currency": "EUR", "total_orders": 16.0, "total_items": 92.0, "total_sales": "1890.72",
		"net_sales": "1544.12", "total_tax": "293.30", "total_shipping": "53.30", "total_refunds": "147.95",
		"total_discount": "35.36",
	}
	for k, v := range want {
		if g[k] != v {
			t.Errorf("%s = %v, want %v", k, g[k], v)
		}
	}
	for _, k := range []string{"total_shipping_tax", "total_fees"} {
		if _, ok := g[k].(string); !ok {
			t.Errorf("%s is %v, want a decimal string", k, g[k])
		}
	}
	tax := g["taxes"].([]any)[0].(map[string]any)
	for _, k := range []string{"rate_id", "label", "rate", "tax", "shipping_tax", "refunded_tax"} {
		if _, ok := tax[k]; !ok {
			t.Errorf("taxes lack %s: %v", k, tax)
		}
	}
	pm := g["payment_methods"].([]any)
	if len(pm) != 3 || pm[0].(map[string]any)["method"] != "bacs" || pm[0].(map[string]any)["title"] == "" {
		t.Errorf("payment_methods: %v", pm)
	}
	periods := g["periods"].([]any)
	if len(periods) != 31 || periods[7].(map[string]any)["period"] != "2026-10-08" || periods[7].(map[string]any)["total_sales"] != "50.65" {
		t.Errorf("periods: %d, %v", len(periods), periods[7])
	}
	if notes := out["notes"].([]any); len(notes) == 0 || !strings.Contains(notes[0].(string), "total_discount") {
		t.Errorf("notes: %v", notes)
	}

	r = cmd(t, dir, nil, "", "books", "summary", "--from", "2026-10-01", "--to", "2026-10-31", "--shop", "Real")
	if r.code != 0 || !strings.Contains(r.stdout, "1890.72") || !strings.Contains(r.stdout, "ДДС 20%") ||
		!strings.Contains(r.stdout, "Note: total_discount") || !strings.Contains(r.stdout, "MAIN") {
		t.Fatalf("table: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "summary", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || r.code != 0 || len(rows) != 1+12+1 || rows[10][2] != "2026-10" || rows[13][2] != "total" {
		t.Fatalf("csv by month: %v %+v", err, r)
	}
	if r := cmd(t, dir, nil, "", "books", "summary", "--from", "2026-10-01"); r.code != 2 {
		t.Fatalf("without --to: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "books", "summary", "--from", "1.10.2026", "--to", "2026-10-31"); r.code != 1 || !strings.Contains(r.stderr, "YYYY-MM-DD") {
		t.Fatalf("a bad date: %+v", r)
	}
}

func TestBooksJournalCloseChangesAccounts(t *testing.T) {
	dir := t.TempDir()
	booksWithSample(t, dir, nil)
	csvFile, xlsxFile := filepath.Join(dir, "oct.csv"), filepath.Join(dir, "oct.xlsx")
	r := cmd(t, dir, nil, "", "books", "journal", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv", "-o", csvFile)
	if r.code != 0 || !strings.Contains(r.stdout, "balanced entries") {
		t.Fatalf("journal csv: %+v", r)
	}
	before, err := os.ReadFile(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(before))).ReadAll()
	if err != nil || len(rows) < 10 || rows[1][5] != "4532" || rows[1][14] != "MAIN" || rows[1][15] != "WEB" {
		t.Fatalf("journal rows: %v %q", err, rows[:2])
	}
	r = cmd(t, dir, nil, "", "books", "journal", "--from", "2026-10-01", "--to", "2026-10-31", "--per", "period", "-o", xlsxFile)
	if r.code != 0 {
		t.Fatalf("journal xlsx: %+v", r)
	}
	f, err := excelize.OpenFile(xlsxFile)
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := f.GetRows("Journal")
	f.Close()
	if err != nil || len(xrows) < 5 || xrows[1][1] != "2026-10-01" || xrows[1][2] != "2026-10-31" {
		t.Fatalf("xlsx rows: %v %v", err, xrows)
	}

	r = cmd(t, dir, nil, "", "books", "close", "--shop", "Real", "--through", "2026-10-31", "--by", "maria")
	if r.code != 0 || !strings.Contains(r.stdout, "closed through 2026-10-31") || !strings.Contains(r.stdout, "by maria") {
		t.Fatalf("close: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "books", "changes"); r.code != 0 || !strings.Contains(r.stdout, "no changes") {
		t.Fatalf("changes before: %+v", r)
	}
	// The shop cancels a completed October order after the closing.
	booksWithSample(t, dir, func(b *books.Books, sh ledger.Shop) {
		o, err := b.Order(ledger.OrderKey{Shop: sh.ID, ID: 1573})
		if err != nil {
			t.Fatal(err)
		}
		o.Status, o.Modified, o.Raw = ledger.StatusCancelled, o.Modified.Add(time.Hour), nil
		if _, err := b.ApplyOrders(sh.ID, []ledger.Order{o}, ledger.SourceWebhook, time.Time{}); err != nil {
			t.Fatal(err)
		}
	})
	if r := cmd(t, dir, nil, "", "books", "basis", "--shop", "Real", "--on", "paid"); r.code != 1 || !strings.Contains(r.stderr, "reopen them first") {
		t.Fatalf("basis while closed: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "changes", "--shop", "Real")
	if r.code != 0 || !strings.Contains(r.stdout, "closed through 2026-10-31") || !strings.Contains(r.stdout, "by maria") || !strings.Contains(r.stdout, "1573") || !strings.Contains(r.stdout, "completed 50.65 EUR") ||
		!strings.Contains(r.stdout, "cancelled 50.65 EUR") || !strings.Contains(r.stdout, "2026-11-01") {
		t.Fatalf("changes: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "journal", "--from", "2026-10-01", "--to", "2026-10-31", "-o", csvFile)
	after, err := os.ReadFile(csvFile)
	if err != nil || r.code != 0 || string(after) != string(before) {
		t.Fatalf("the closed October's journal changed: %v %+v", err, r)
	}
	r = cmd(t, dir, nil, "", "books", "journal", "--from", "2026-11-01", "--to", "2026-11-30", "-o", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "2026-11-01,2026-11-01,Real,EUR,498,Други дебитори,,50.65,adjustment,clearing") || !strings.Contains(r.stdout, ",adjustment,") {
		t.Fatalf("november adjustment: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "books", "close", "--shop", "Real", "--through", "2026-09-30"); r.code != 1 ||
		!strings.Contains(r.stderr, "already closed through 2026-10-31") {
		t.Fatalf("closing back: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "reopen", "--shop", "Real", "--by", "ivan")
	if r.code != 0 || !strings.Contains(r.stdout, "are open") || !strings.Contains(r.stdout, "reopen") || !strings.Contains(r.stdout, "by ivan") {
		t.Fatalf("reopen: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "basis", "--shop", "Real", "--on", "completed")
	if r.code != 0 || !strings.Contains(r.stdout, "completed date") {
		t.Fatalf("basis: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "summary", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"basis": "completed"`) {
		t.Fatalf("summary on completed: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "books", "basis", "--shop", "Real", "--on", "shipped"); r.code != 1 {
		t.Fatalf("an unknown basis: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "books", "basis", "--shop", "Real", "--on", "created"); r.code != 0 {
		t.Fatalf("basis back: %+v", r)
	}

	r = cmd(t, dir, nil, "", "accounts", "show", "--shop", "Real")
	if r.code != 0 || !strings.Contains(r.stdout, "4532") || !strings.Contains(r.stdout, "Клиенти") || !strings.Contains(r.stdout, "not set yet") {
		t.Fatalf("accounts show: %+v", r)
	}
	r = cmd(t, dir, nil, "", "accounts", "set", "--shop", "Real", "--preset", "en", "--sales-rate", "2=4010:Sales, reduced rate",
		"--clearing-method", "cod=1160:Courier", "--refunds", "4600:Returns")
	if r.code != 0 {
		t.Fatalf("accounts set: %+v", r)
	}
	r = cmd(t, dir, nil, "", "accounts", "show", "--shop", "Real", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"4010"`) || !strings.Contains(r.stdout, `"1160"`) || !strings.Contains(r.stdout, `"preset": "en"`) {
		t.Fatalf("accounts json: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "journal", "--from", "2026-10-01", "--to", "2026-10-31", "-o", "-")
	if r.code != 0 || !strings.Contains(r.stdout, ",4010,") || !strings.Contains(r.stdout, ",1160,") || !strings.Contains(r.stdout, ",4600,") {
		t.Fatalf("journal on the new accounts: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "journal", "--from", "2026-10-01", "--to", "2026-10-31", "--delimiter", ";", "--bom", "-o", "-")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "\uFEFFentry;date;") || !regexp.MustCompile(`;EUR;4000;[^;]*;;[0-9]+,[0-9]{2};sale;sales;`).MatchString(r.stdout) {
		t.Fatalf("journal for Excel in Bulgaria: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "accounts", "set", "--shop", "Real", "--vat", ""); r.code != 1 || !strings.Contains(r.stderr, "vat") {
		t.Fatalf("a mapping without VAT: %+v", r)
	}
}
