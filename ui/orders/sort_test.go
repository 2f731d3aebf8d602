package orders

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// tapHeading taps the heading of a column, as a click does: the count
// says the list is being sorted until it is.
func tapHeading(t *testing.T, p *Page, j *uitest.Jobs, col int) {
	t.Helper()
	title := p.ColumnTitle(col)
	for _, o := range test.LaidOutObjects(p.list.table) {
		if h, ok := o.(*header); ok && h.label.Text == title {
			test.Tap(h)
			if p.Count() != "Sorting…" {
				t.Errorf("while sorting by %s the count reads %q", title, p.Count())
			}
			j.Drain(t)
			return
		}
	}
	t.Fatalf("no heading %q is drawn", title)
}

// arrow tells which way a column's heading points: 1 up, -1 down, 0 none.
func arrow(t *testing.T, p *Page, col int) int {
	t.Helper()
	for _, o := range test.LaidOutObjects(p.list.table) {
		if h, ok := o.(*header); ok && h.label.Text == p.ColumnTitle(col) {
			switch {
			case !h.arrow.Visible():
				return 0
			case h.arrow.Resource == nil:
				t.Fatal("an arrow without an icon")
			case h.arrow.Resource.Name() == theme.MoveUpIcon().Name():
				return 1
			}
			return -1
		}
	}
	t.Fatalf("no heading for column %d", col)
	return 0
}

// listedOrders are the orders the list shows, in order.
func listedOrders(t *testing.T, b *books.Books, p *Page, j *uitest.Jobs) []ledger.Order {
	t.Helper()
	var out []ledger.Order
	for _, k := range listed(t, p, j) {
		o, err := b.Order(k)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

// inOrder checks that every two neighbours of orders compare as want
// (-1: the first before, 0 either); equal ones keep newest first.
func inOrder(t *testing.T, what string, orders []ledger.Order, compare func(a, b *ledger.Order) int, up bool) {
	t.Helper()
	for i := 1; i < len(orders); i++ {
		a, b := &orders[i-1], &orders[i]
		c := compare(a, b)
		if !up {
			c = -c
		}
		if c > 0 || c == 0 && a.Created.Before(b.Created) {
			t.Fatalf("sorted by %s (up %v), order %s (%s) comes before %s (%s)", what, up,
				a.Number, a.Created, b.Number, b.Created)
		}
	}
}

// TestSortColumns taps the headings of the number, customer, total,
// status and date: each sorts the whole list by that column, ascending,
// and a second tap descending, the heading pointing the way; amounts are
// sorted within their currency. A filter and a search sort the same way,
// and the export follows the list's order.
func TestSortColumns(t *testing.T) {
	b, p, s, j := twoShops(t)
	all := storeOrders(t, b, store.OrderFilter{})
	coll := collate.New(language.Und)
	number := func(o *ledger.Order) int64 { n, _ := strconv.ParseInt(o.Number, 10, 64); return n }
	cases := []struct {
		col     int
		compare func(a, b *ledger.Order) int
	}{
		{ColNumber, func(a, b *ledger.Order) int { return cmp.Compare(number(a), number(b)) }},
		{ColCustomer, func(a, b *ledger.Order) int { return coll.CompareString(a.CustomerName(), b.CustomerName()) }},
		{ColTotal, func(a, b *ledger.Order) int {
			return cmp.Or(cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.Total, b.Total))
		}},
		{ColStatus, func(a, b *ledger.Order) int { return cmp.Compare(statusRank(a), statusRank(b)) }},
	}
	for _, c := range cases {
		name := p.ColumnTitle(c.col)
		for _, up := range []bool{true, false} {
			tapHeading(t, p, j, c.col)
			got := listedOrders(t, b, p, j)
			if len(got) != len(all) {
				t.Fatalf("sorted by %s the list has %d orders, want %d", name, len(got), len(all))
			}
			inOrder(t, name, got, c.compare, up)
			want := map[bool]int{true: 1, false: -1}[up]
			if arrow(t, p, c.col) != want || arrow(t, p, ColDate) != 0 {
				t.Errorf("sorted by %s (up %v) the headings point %d, date %d", name, up, arrow(t, p, c.col), arrow(t, p, ColDate))
			}
		}
	}
	if !slices.ContainsFunc(all, func(o ledger.Order) bool { return o.Currency != all[0].Currency }) {
		t.Log("every order is in one currency: the total's currencies were not put apart")
	}

	// The date: newest first, then oldest first.
	tapHeading(t, p, j, ColDate)
	if got := listed(t, p, j); !slices.Equal(got, keysOf(all)) || arrow(t, p, ColDate) != -1 {
		t.Fatal("sorted by date the list is not newest first")
	}
	tapHeading(t, p, j, ColDate)
	oldest := slices.Clone(keysOf(all))
	slices.Reverse(oldest)
	if got := listed(t, p, j); !slices.Equal(got, oldest) || arrow(t, p, ColDate) != 1 {
		t.Fatal("sorted by date, ascending, the list is not oldest first")
	}

	// Under a filter and a search: only their matches, sorted.
	tapHeading(t, p, j, ColTotal)
	p.statuses.check.SetSelected([]string{i18n.StatusName(ledger.StatusCompleted), i18n.StatusName(ledger.StatusProcessing)})
	j.Drain(t)
	filtered := listedOrders(t, b, p, j)
	want := storeOrders(t, b, store.OrderFilter{Statuses: []ledger.Status{ledger.StatusCompleted, ledger.StatusProcessing}})
	if len(filtered) != len(want) {
		t.Fatalf("sorted under the filter the list has %d orders, want %d", len(filtered), len(want))
	}
	inOrder(t, "total under a filter", filtered, cases[2].compare, true)
	test.Tap(p.statuses.all)
	uitest.TypeInto(p.Search, all[0].Billing.Email[:2])
	j.Drain(t)
	searched := listedOrders(t, b, p, j)
	if len(searched) == 0 || len(searched) == len(all) {
		t.Fatalf("the search lists %d of %d orders: not a test of sorting a search", len(searched), len(all))
	}
	inOrder(t, "total under a search", searched, cases[2].compare, true)

	// The export writes the rows as the list shows them.
	dir := t.TempDir()
	x := exportThroughDialogs(t, p, s, j, dir, func(x *orderExport) {
		x.format.SetSelected(formatChoices()[1])
		x.delimiter.SetSelected(delimiterChoices()[0])
		x.totals.SetChecked(false) // the rows alone
	})
	if !x.resultOK {
		t.Fatalf("export said %q", x.result)
	}
	data, err := os.ReadFile(filepath.Join(dir, "orders-2026-11-27.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var exported, shown []string
	for _, row := range rows[1:] {
		exported = append(exported, row[3])
	}
	for _, o := range searched {
		shown = append(shown, o.Number)
	}
	if !slices.Equal(exported, shown) {
		t.Errorf("the export holds orders %v, the list shows %v", exported, shown)
	}
}

// BenchmarkSortByTotal100k measures a tap on the Total heading of a
// 100,000-order list: every order read, sorted, and the first page read.
func BenchmarkSortByTotal100k(b *testing.B) {
	bk := uitest.OpenBooks(b)
	uitest.SeedOrders(b, bk, 100_000)
	q := Query{sort: sorting{by: byTotal, up: true}}
	b.ResetTimer()
	for b.Loop() {
		r, err := Read(bk, nil, false, q, PageSize)
		if err != nil || r.count != 100_000 {
			b.Fatal(r.count, err)
		}
	}
}
