package nra_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/woo"
)

const sampleDir = "../woo/testdata/books-2026-10"

// rawOrder is what the test reads of the shop's own payload, apart from
// core/woo: the local dates and totals WooCommerce rendered.
type rawOrder struct {
	ID            int64  `json:"id"`
	Number        string `json:"number"`
	Status        string `json:"status"`
	DateCompleted string `json:"date_completed"`
	Total         string `json:"total"`
	TotalTax      string `json:"total_tax"`
	PaymentMethod string `json:"payment_method"`
}

type rawRefund struct {
	ID          int64  `json:"id"`
	DateCreated string `json:"date_created"`
	Amount      string `json:"amount"`
}

// sample is the real shop's October 2026 (see
// ../sales/testdata/books-2026-10/README.md): the orders decoded by
// core/woo with their refunds' detail, and the raw payloads.
func sample(t testing.TB) ([]ledger.Order, []rawOrder, map[string][]rawRefund) {
	t.Helper()
	var bodies []json.RawMessage
	var refunds map[string]json.RawMessage
	for name, v := range map[string]any{"wc-v3-orders.json": &bodies, "wc-v3-refunds-by-order.json": &refunds} {
		raw, err := os.ReadFile(filepath.Join(sampleDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	var orders []ledger.Order
	var raws []rawOrder
	rawRefunds := map[string][]rawRefund{}
	for _, b := range bodies {
		o, err := woo.DecodeOrder(b)
		if err != nil {
			t.Fatal(err)
		}
		o.Shop = 1
		var r rawOrder
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(o.ID, 10)
		if raw, ok := refunds[id]; ok {
			if o.Refunds, err = woo.DecodeRefunds(raw); err != nil {
				t.Fatal(err)
			}
			var rr []rawRefund
			if err := json.Unmarshal(raw, &rr); err != nil {
				t.Fatal(err)
			}
			rawRefunds[id] = rr
		}
		orders = append(orders, o)
		raws = append(raws, r)
	}
	return orders, raws, rawRefunds
}

func sofia(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func settings() nra.Settings {
	return nra.Settings{EIK: "131063188", EShopNumber: "RF0000123", Domain: "shop.example.bg"}
}

func build(in nra.Input, orders []ledger.Order) *nra.File {
	b := nra.NewBuilder(in)
	for i := range orders {
		b.Add(&orders[i])
	}
	return b.File()
}

func write(t *testing.T, f *nra.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.WriteXML(&buf, "Real"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRealMonth makes October 2026 of the real shop and checks the file
// against the shop's own figures, read from its payloads apart from
// core/woo: the orders whose local completed date is in October, Σ
// ord_total2 = Σ their totals, each ord_vat its total_tax, and r_total
// the refunds dated in October (147.95, the shop's total_refunds).
func TestRealMonth(t *testing.T) {
	orders, raws, rawRefunds := sample(t)
	created := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	f := build(nra.Input{Settings: settings(), Location: sofia(t), Year: 2026, Month: time.October, CreationDate: created}, orders)
	if len(f.Problems) > 0 {
		t.Fatalf("problems: %v", f.Problems)
	}
	if f.Currency != "EUR" {
		t.Errorf("currency %s", f.Currency)
	}

	want := map[string]rawOrder{}
	var wantTotal ledger.Amount
	for _, r := range raws {
		if strings.HasPrefix(r.DateCompleted, "2026-10") {
			want[r.Number] = r
			wantTotal += ledger.MustAmount(r.Total)
		}
	}
	var wantRefunds ledger.Amount
	wantRefundCount := 0
	refundedOrders := map[string]bool{}
	for id, rr := range rawRefunds {
		for _, r := range rr {
			if strings.HasPrefix(r.DateCreated, "2026-10") {
				wantRefunds += ledger.MustAmount(r.Amount)
				wantRefundCount++
				refundedOrders[id] = true
			}
		}
	}
	if wantRefunds != ledger.MustAmount("147.95") || len(want) != 9 {
		t.Fatalf("the sample: %d orders, refunds %s", len(want), wantRefunds)
	}

	data := write(t, f)
	mustValidate(t, data)
	root := parse(t, data)
	if child(root, "mon") != "10" || child(root, "god") != "2026" || child(root, "creation_date") != "2026-11-10" {
		t.Errorf("header mon %s god %s creation_date %s", child(root, "mon"), child(root, "god"), child(root, "creation_date"))
	}
	enums := find(root, "orderenum")
	if len(enums) != len(want) {
		t.Fatalf("%d orderenum, want %d", len(enums), len(want))
	}
	var total2 ledger.Amount
	for _, e := range enums {
		n := child(e, "ord_n")
		r, ok := want[n]
		if !ok {
			t.Errorf("order %s is not completed in October", n)
			continue
		}
		t2, vat := ledger.MustAmount(child(e, "ord_total2")), ledger.MustAmount(child(e, "ord_vat"))
		total2 += t2
		if t2 != ledger.MustAmount(r.Total) || vat != ledger.MustAmount(r.TotalTax) {
			t.Errorf("order %s: ord_total2 %s ord_vat %s, the shop's total %s total_tax %s", n, t2, vat, r.Total, r.TotalTax)
		}
		// The file's own arithmetic, as the schema names the figures:
		// ord_total1 (without VAT) = Σ (art_sum − art_vat), ord_total1 −
		// ord_disc + ord_vat = ord_total2; each art_sum = its price ×
		// quantity + VAT to within the cent the price is rounded to.
		var net ledger.Amount
		for _, a := range find(e, "artenum") {
			s := ledger.MustAmount(child(a, "art_sum"))
			q, p, v := ledger.MustAmount(child(a, "art_quant")), ledger.MustAmount(child(a, "art_price")), ledger.MustAmount(child(a, "art_vat"))
			net += s - v
			if d := int64(q)*int64(p)/10000 + int64(v) - int64(s); d > 50*int64(q)/10000 || -d > 50*int64(q)/10000 {
				t.Errorf("order %s %s: %s × %s + %s ≠ %s", n, child(a, "art_name"), q, p, v, s)
			}
		}
		t1, disc := ledger.MustAmount(child(e, "ord_total1")), ledger.MustAmount(child(e, "ord_disc"))
		if net != t1 || t1-disc+vat != t2 {
			t.Errorf("order %s: Σ net %s, ord_total1 %s, ord_disc %s, ord_vat %s, ord_total2 %s", n, net, t1, disc, vat, t2)
		}
		wantPaym := map[string]string{"cod": "3", "bacs": "1", "stripe": "4"}[r.PaymentMethod]
		if child(e, "paym") != wantPaym || child(e, "trans_n") == "" {
			t.Errorf("order %s (%s): paym %s trans_n %q", n, r.PaymentMethod, child(e, "paym"), child(e, "trans_n"))
		}
	}
	if total2 != wantTotal {
		t.Errorf("Σ ord_total2 %s, the shop's %s", total2, wantTotal)
	}
	if child(root, "r_ord") != strconv.Itoa(len(refundedOrders)) {
		t.Errorf("r_ord %s, refunded orders %d", child(root, "r_ord"), len(refundedOrders))
	}
	if got := ledger.MustAmount(child(root, "r_total")); got != wantRefunds || len(find(root, "rorderenum")) != wantRefundCount {
		t.Errorf("r_total %s in %d rorderenum, want %s in %d", got, len(find(root, "rorderenum")), wantRefunds, wantRefundCount)
	}
	for i := range f.Orders {
		if o := &f.Orders[i]; o.DiscRounding != 0 {
			t.Logf("order %s: %s of rounding carried in ord_disc", o.Number, o.DiscRounding)
		}
	}
	t.Logf("October 2026: %d orders, Σ ord_total2 %s, %d refunds, r_total %s, %d skipped", len(f.Orders), total2, len(f.Refunds), f.RTotal, len(f.Skipped))

	// A closed month's file is the same bytes every time.
	if again := write(t, build(nra.Input{Settings: settings(), Location: sofia(t), Year: 2026, Month: time.October, CreationDate: created}, orders)); !bytes.Equal(again, write(t, f)) {
		t.Error("the same month's file differs between two runs")
	}
}

// TestSkippedAndPaidBasis: an order paid in the month but not completed is
// listed as skipped (not delivered) on the completed basis and is in the
// file on the paid basis.
func TestSkippedAndPaidBasis(t *testing.T) {
	orders, _, _ := sample(t)
	in := nra.Input{Settings: settings(), Location: sofia(t), Year: 2026, Month: time.October}
	f := build(in, orders)
	skipped := map[string]string{}
	for _, s := range f.Skipped {
		skipped[s.Number] = s.Why
	}
	for _, n := range []string{"1136", "1292", "1392", "1445"} { // processing, paid in October
		if !strings.Contains(skipped[n], "not completed") {
			t.Errorf("order %s: skipped %q", n, skipped[n])
		}
	}
	in.Settings.DeliveredOn = nra.DeliveredPaid
	f = build(in, orders)
	has := map[string]bool{}
	for _, o := range f.Orders {
		has[o.Number] = true
	}
	if !has["1136"] || !has["1292"] || has["1126"] {
		t.Errorf("on the paid basis: %v", has)
	}
}

// TestRefusals: without settings, or with a method nobody mapped, there
// is no file, and the reasons say what to do.
func TestRefusals(t *testing.T) {
	orders, _, _ := sample(t)
	f := build(nra.Input{Location: sofia(t), Year: 2026, Month: time.October}, orders)
	err := f.WriteXML(&bytes.Buffer{}, "Real")
	if err == nil || !strings.Contains(err.Error(), "EIK (ЕИК) is missing") || !strings.Contains(err.Error(), "e-shop's unique number") {
		t.Fatalf("no settings: %v", err)
	}
	orders[len(orders)-1].PaymentMethod = "my_custom_gateway"
	orders[len(orders)-1].Completed = time.Date(2026, 10, 12, 10, 0, 0, 0, time.UTC)
	f = build(nra.Input{Settings: settings(), Location: sofia(t), Year: 2026, Month: time.October}, orders)
	if err := f.WriteXML(&bytes.Buffer{}, "Real"); err == nil || !strings.Contains(err.Error(), "Payment method my_custom_gateway (order 1573) has no NRA payment code") {
		t.Fatalf("unmapped method: %v", err)
	}
	s := settings()
	s.Paym = map[string]nra.Paym{"my_custom_gateway": nra.PaymOther}
	s.RefundPaym = map[string]nra.RefundPaym{"my_custom_gateway": nra.RefundOther}
	f = build(nra.Input{Settings: s, Location: sofia(t), Year: 2026, Month: time.October}, orders)
	if len(f.Problems) > 0 {
		t.Fatalf("mapped: %v", f.Problems)
	}
}

// TestNamesOutsideWindows1251 round-trip as character references.
func TestNamesOutsideWindows1251(t *testing.T) {
	o := ledger.Order{
		Shop: 1, ID: 7, Number: "7", Status: ledger.StatusCompleted, Currency: "EUR", PaymentMethod: "cod",
		Created: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Completed: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC),
		Total: ledger.MustAmount("12.00"), TotalTax: ledger.MustAmount("2.00"),
		Lines: []ledger.LineItem{{Name: "Müller & Zoë <€> чаша", Quantity: 10000, Subtotal: ledger.MustAmount("10"), SubtotalTax: ledger.MustAmount("2"),
			Total: ledger.MustAmount("10"), TotalTax: ledger.MustAmount("2"), Taxes: []ledger.LineTax{{RateID: 1, Total: 20000, Subtotal: 20000}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, RatePercent: ledger.MustAmount("20"), TaxTotal: 20000}},
	}
	f := build(nra.Input{Settings: settings(), Location: time.UTC, Year: 2026, Month: time.March}, []ledger.Order{o})
	data := write(t, f)
	if bytes.Contains(data, []byte("?")) && !bytes.HasPrefix(data, []byte("<?")) || bytes.Count(data, []byte("?")) != 2 {
		t.Errorf("a character was replaced by ?: %s", data)
	}
	mustValidate(t, data)
	root := parse(t, data)
	if got := child(find(root, "artenum")[0], "art_name"); got != "Müller & Zoë <€> чаша" {
		t.Errorf("art_name %q", got)
	}
	if got := child(find(root, "artenum")[0], "art_vat_rate"); got != "20" {
		t.Errorf("art_vat_rate %q", got)
	}
}

// TestEuroChangeover: a BGN order delivered in January 2026 is filed in
// EUR at 1.95583, each figure rounded to the cent; a December 2025 file is
// in BGN; a USD order is left out with why, never added in.
func TestEuroChangeover(t *testing.T) {
	mk := func(id int64, cur string, completed time.Time, refunded time.Time) ledger.Order {
		o := ledger.Order{
			Shop: 1, ID: id, Number: strconv.FormatInt(id, 10), Status: ledger.StatusCompleted, Currency: cur, PaymentMethod: "cod",
			Created: completed.AddDate(0, 0, -3), Completed: completed,
			Total: ledger.MustAmount("100.00"), TotalTax: ledger.MustAmount("16.67"),
			Lines: []ledger.LineItem{{Name: "Чаша", Quantity: 30000, Subtotal: ledger.MustAmount("83.33"), SubtotalTax: ledger.MustAmount("16.67"),
				Total: ledger.MustAmount("83.33"), TotalTax: ledger.MustAmount("16.67"), Taxes: []ledger.LineTax{{RateID: 1, Total: 166700, Subtotal: 166700}}}},
			TaxLines: []ledger.TaxLine{{RateID: 1, RatePercent: ledger.MustAmount("20")}},
		}
		if !refunded.IsZero() {
			o.Refunds = []ledger.Refund{{ID: id + 1, Amount: ledger.MustAmount("10.00"), Detailed: true, Created: refunded}}
		}
		return o
	}
	loc := sofia(t)
	dec := time.Date(2025, 12, 30, 12, 0, 0, 0, loc)
	jan := time.Date(2026, 1, 5, 12, 0, 0, 0, loc)
	orders := []ledger.Order{
		mk(1, "BGN", dec, jan), // delivered in December in BGN, refunded in January
		mk(2, "BGN", jan, time.Time{}),
		mk(3, "EUR", jan, time.Time{}),
		mk(4, "USD", jan, time.Time{}),
	}
	f := build(nra.Input{Settings: settings(), Location: loc, Year: 2026, Month: time.January}, orders)
	if f.Currency != "EUR" || len(f.Orders) != 2 || len(f.Refunds) != 1 || len(f.Skipped) != 1 || !strings.Contains(f.Skipped[0].Why, "USD") {
		t.Fatalf("January: %s, %d orders, %d refunds, skipped %+v", f.Currency, len(f.Orders), len(f.Refunds), f.Skipped)
	}
	// 100.00 BGN / 1.95583 = 51.129 → 51.13; 16.67 → 8.523 → 8.52;
	// 83.33 → 42.606 → 42.61; the line's sum 42.61 + 8.52 = 51.13.
	o := f.Orders[0]
	if o.Number != "2" || !o.Converted || o.Total2 != ledger.MustAmount("51.13") || o.VAT != ledger.MustAmount("8.52") ||
		o.Total1 != ledger.MustAmount("42.61") || o.Disc != 0 || o.Items[0].Price != ledger.MustAmount("14.20") {
		t.Errorf("the BGN order in EUR: %+v", o)
	}
	if f.Orders[1].Converted || f.Orders[1].Total2 != ledger.MustAmount("100") {
		t.Errorf("the EUR order: %+v", f.Orders[1])
	}
	if r := f.Refunds[0]; !r.Converted || r.Amount != ledger.MustAmount("5.11") || f.RTotal != r.Amount {
		t.Errorf("the BGN refund in EUR: %+v, r_total %s", r, f.RTotal)
	}
	data := write(t, f)
	mustValidate(t, data)
	if root := parse(t, data); child(root, "r_ord") != "1" || child(root, "r_total") != "5.11" {
		t.Errorf("January: r_ord %s r_total %s", child(root, "r_ord"), child(root, "r_total"))
	}
	f = build(nra.Input{Settings: settings(), Location: loc, Year: 2025, Month: time.December}, orders)
	if f.Currency != "BGN" || len(f.Orders) != 1 || f.Orders[0].Total2 != ledger.MustAmount("100") || f.Orders[0].Converted {
		t.Errorf("December 2025: %s %+v", f.Currency, f.Orders)
	}
	mustValidate(t, write(t, f))
	eur := mk(5, "EUR", dec, time.Time{})
	f = build(nra.Input{Settings: settings(), Location: loc, Year: 2025, Month: time.December}, []ledger.Order{eur})
	if o := f.Orders[0]; !o.Converted || o.Total2 != ledger.MustAmount("195.58") {
		t.Errorf("a EUR order in a BGN month: %+v", o)
	}
}

// TestIDsFromMeta: doc_n, pos_n, trans_n and proc_id come from the order
// meta keys the settings name.
func TestIDsFromMeta(t *testing.T) {
	orders, _, _ := sample(t)
	s := settings()
	s.DocNumberMeta, s.POSMeta, s.TransMeta, s.ProcMeta = "_receipt_no", "_vpos", "_txn", "_proc"
	meta := map[string]string{"_receipt_no": "0000000042", "_vpos": "V123", "_txn": "T-9", "_proc": "P-1"}
	f := build(nra.Input{Settings: s, Location: sofia(t), Year: 2026, Month: time.October,
		Meta: func(o *ledger.Order, key string) string {
			if o.Number == "1173" {
				return meta[key]
			}
			return ""
		}}, orders)
	data := write(t, f)
	mustValidate(t, data)
	root := parse(t, data)
	for _, e := range find(root, "orderenum") {
		if child(e, "ord_n") != "1173" {
			continue
		}
		if child(e, "doc_n") != "0000000042" || child(e, "pos_n") != "V123" || child(e, "trans_n") != "T-9" || child(e, "proc_id") != "P-1" {
			t.Errorf("order 1173: doc_n %s pos_n %s trans_n %s proc_id %s", child(e, "doc_n"), child(e, "pos_n"), child(e, "trans_n"), child(e, "proc_id"))
		}
	}
	if len(f.NoDocNumber) != 8 {
		t.Errorf("orders without the meta: %v", f.NoDocNumber)
	}
}

// TestRecordDiff: a month filed again names the orders and refunds that
// differ from the last file made, and nothing when none does.
func TestRecordDiff(t *testing.T) {
	orders, _, _ := sample(t)
	in := nra.Input{Settings: settings(), Location: sofia(t), Year: 2026, Month: time.October}
	made := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	last := build(in, orders).Record(made)
	if c := last.Diff(build(in, orders)); !c.Empty() || !c.Since.Equal(made) {
		t.Errorf("unchanged: %+v", c)
	}
	for i := range orders {
		switch orders[i].Number {
		case "1173": // a late edit of its total
			orders[i].Total += ledger.MustAmount("1")
		case "1573": // reopened: no longer completed
			orders[i].Completed = time.Time{}
		case "1552": // its November refund dated in October after all
			orders[i].Refunds[0].Created = time.Date(2026, 10, 30, 10, 0, 0, 0, time.UTC)
		}
	}
	c := last.Diff(build(in, orders))
	if strings.Join(c.Changed, ",") != "1173" || strings.Join(c.Removed, ",") != "1573" || len(c.Added) != 0 ||
		strings.Join(c.RefundsAdded, ",") != "refund 1553 of order 1552" || len(c.RefundsRemoved)+len(c.RefundsCh) != 0 {
		t.Errorf("changes: %+v", c)
	}
}
