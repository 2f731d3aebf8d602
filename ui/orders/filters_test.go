package orders

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// datedShop syncs a simulated shop whose 150 orders were placed over the
// fourteen months before the tests' today (2026-11-27), into fresh books.
func datedShop(t *testing.T) *books.Books {
	t.Helper()
	b := uitest.OpenBooks(t)
	srv, err := woosim.Start(woosim.Options{Orders: 150, Seed: 4, From: uitest.Now.AddDate(-1, -2, 0), To: uitest.Now}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sh := uitest.AddShop(t, b, "Demo shop", srv)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	return b
}

// openDated shows the screen over b in a language, read and indexed.
func openDated(t *testing.T, b *books.Books, language string) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	p, s, j := openPageIn(t, b, 0, language)
	s.reload()
	s.refreshIndex()
	j.Drain(t)
	return p, s, j
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.Local) }

// TestMultiStatusFilter ticks two statuses, completed and processing: the
// list holds the orders of either, as the books do, with and without a
// search, and the button says how many are ticked. "All statuses" lifts it.
func TestMultiStatusFilter(t *testing.T) {
	b, p, _, j := twoShops(t)
	all := storeOrders(t, b, store.OrderFilter{})
	either := func(o *ledger.Order) bool {
		return o.Status == ledger.StatusCompleted || o.Status == ledger.StatusProcessing
	}
	var want []ledger.OrderKey
	for i := range all {
		if either(&all[i]) {
			want = append(want, all[i].Key())
		}
	}
	if len(want) == 0 || len(want) == len(all) {
		t.Fatalf("%d of %d orders are completed or processing: not a test of the filter", len(want), len(all))
	}

	test.Tap(p.statuses.button)
	p.statuses.check.SetSelected([]string{i18n.StatusName(ledger.StatusCompleted), i18n.StatusName(ledger.StatusProcessing)})
	j.Drain(t)
	if got := listed(t, p, j); !slices.Equal(got, want) {
		t.Fatalf("Completed + Processing lists %d orders, want %d", len(got), len(want))
	}
	if p.statuses.button.Text != "2 statuses" || p.Count() != fmt.Sprint(len(want))+" matching orders" {
		t.Errorf("the button reads %q, the count %q", p.statuses.button.Text, p.Count())
	}
	test.Tap(p.export)
	if got, wantText := p.exporter.summary(), fmt.Sprintf("%d orders will be exported: all shops, status Processing or Completed.", len(want)); got != wantText {
		t.Errorf("the Export dialog says %q, want %q", got, wantText)
	}
	p.exporter.dlg.Hide()

	// With a search: the matches of either status, in the search's order.
	o := all[len(all)-1]
	uitest.TypeInto(p.Search, o.Billing.Email[:3])
	j.Drain(t)
	var found []ledger.OrderKey
	for _, k := range listed(t, p, j) {
		x, err := b.Order(k)
		if err != nil {
			t.Fatal(err)
		}
		if !either(&x) {
			t.Fatalf("the search under the filter lists order %s, %s", x.Number, x.Status)
		}
		found = append(found, k)
	}
	test.Tap(p.statuses.all)
	j.Drain(t)
	var unfiltered []ledger.OrderKey
	for _, k := range listed(t, p, j) {
		x, _ := b.Order(k)
		if either(&x) {
			unfiltered = append(unfiltered, k)
		}
	}
	if !slices.Equal(found, unfiltered) || p.statuses.button.Text != "All statuses" {
		t.Errorf("the search under the filter found %d orders, without it %d of those statuses; button %q",
			len(found), len(unfiltered), p.statuses.button.Text)
	}
}

// TestDateShortcuts picks each shortcut on 2026-11-27: it fills the dates
// and lists the orders of that period; typing a date makes it no shortcut,
// and "All dates" lifts the dates.
func TestDateShortcuts(t *testing.T) {
	b := datedShop(t)
	p, _, j := openDated(t, b, "en")
	for _, c := range []struct {
		period   int
		from, to time.Time
	}{
		{periodThisMonth, day(2026, 11, 1), day(2026, 11, 30)},
		{periodLastMonth, day(2026, 10, 1), day(2026, 10, 31)},
		{periodThisQuarter, day(2026, 10, 1), day(2026, 12, 31)},
		{periodThisYear, day(2026, 1, 1), day(2026, 12, 31)},
	} {
		p.period.SetSelectedIndex(c.period)
		j.Drain(t)
		name := periodNames()[c.period]
		if p.from.Entry.Text != i18n.DateOnly(c.from) || p.to.Entry.Text != i18n.DateOnly(c.to) {
			t.Errorf("%s fills %s to %s", name, p.from.Entry.Text, p.to.Entry.Text)
		}
		want := keysOf(storeOrders(t, b, store.OrderFilter{From: c.from, To: c.to.AddDate(0, 0, 1)}))
		if got := listed(t, p, j); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s lists %d orders, want %d", name, len(got), len(want))
		}
	}
	p.from.Entry.SetText(i18n.DateOnly(day(2026, 2, 1)))
	j.Drain(t)
	if p.period.SelectedIndex() != -1 {
		t.Errorf("after typing a date the shortcut is still %q", p.period.Selected)
	}
	p.period.SetSelectedIndex(periodAll)
	j.Drain(t)
	if p.from.Entry.Text != "" || p.to.Entry.Text != "" || p.Rows() != 150 {
		t.Errorf("All dates leaves %q to %q, %d rows", p.from.Entry.Text, p.to.Entry.Text, p.Rows())
	}
}

// TestToBeforeFrom types a To date before the From date: the screen says
// so, in red, where the count goes, instead of an empty list without a
// word; putting the dates right lists the orders again.
func TestToBeforeFrom(t *testing.T) {
	b := datedShop(t)
	p, _, j := openDated(t, b, "en")
	p.from.Entry.SetText("2026-11-20")
	p.to.Entry.SetText("2026-11-10")
	j.Drain(t)
	if want := "“To” (2026-11-10) is before “From” (2026-11-20). Change one of the dates."; p.Count() != want || p.count.Importance != widget.DangerImportance {
		t.Errorf("reversed dates say %q (importance %d), want %q", p.Count(), p.count.Importance, want)
	}
	if p.Rows() != 0 || !p.export.Disabled() {
		t.Errorf("reversed dates list %d rows, export enabled %v", p.Rows(), !p.export.Disabled())
	}
	p.to.Entry.SetText("2026-11-27")
	j.Drain(t)
	want := storeOrders(t, b, store.OrderFilter{From: day(2026, 11, 20), To: day(2026, 11, 28)})
	if p.Rows() != len(want) || p.Count() != fmt.Sprint(len(want))+" matching orders" || p.count.Importance != widget.MediumImportance {
		t.Errorf("after the fix: %d rows, %q; want %d", p.Rows(), p.Count(), len(want))
	}
}

// TestDatesTypedTheLanguagesWay types dates as people write them: in
// Bulgarian with one-digit days and months, a trailing "г." and slashes,
// in English also the dotted form; each is taken, and filters.
func TestDatesTypedTheLanguagesWay(t *testing.T) {
	b := datedShop(t)
	october := keysOf(storeOrders(t, b, store.OrderFilter{From: day(2026, 10, 1), To: day(2026, 11, 1)}))
	if len(october) == 0 {
		t.Fatal("no orders in October")
	}
	for _, c := range []struct {
		language, from, to string
	}{
		{"bg", "1.10.2026", "31.10.2026 г."},
		{"bg", "01/10/2026", "2026-10-31"},
		{"en", "1.10.2026", "2026-10-31"},
	} {
		t.Run(c.language+" "+c.from, func(t *testing.T) {
			p, _, j := openDated(t, b, c.language)
			p.from.Entry.SetText(c.from)
			p.to.Entry.SetText(c.to)
			j.Drain(t)
			if p.from.Date == nil || p.to.Date == nil {
				t.Fatalf("%q or %q was not taken as a date", c.from, c.to)
			}
			if got := listed(t, p, j); !slices.Equal(got, october) {
				t.Errorf("%s to %s lists %d orders, October has %d", c.from, c.to, len(got), len(october))
			}
		})
	}
}

// TestKeepFilters builds the screen again, as a language switch does,
// over one with every filter set: the new one, in Bulgarian, shows the
// same filters and lists the same orders.
func TestKeepFilters(t *testing.T) {
	b := datedShop(t)
	p, s, j := openDated(t, b, "en")
	shop := p.shops[0]
	p.shop.SetSelected(shop.Name)
	p.statuses.check.SetSelected([]string{i18n.StatusName(ledger.StatusCompleted), i18n.StatusName(ledger.StatusProcessing), i18n.StatusName(ledger.StatusOnHold)})
	p.period.SetSelectedIndex(periodThisYear)
	uitest.TypeInto(p.Search, "@")
	j.Drain(t)
	before := listed(t, p, j)
	if len(before) == 0 {
		t.Fatal("the filters leave nothing: not a test of keeping them")
	}

	i18n.SetLanguage("bg")
	again := New(s, b, p.prefs.p, 0)
	again.KeepFilters(p)
	s.page = again
	s.win.SetContent(again.Content())
	s.reload()
	j.Drain(t)
	if got := listed(t, again, j); !slices.Equal(got, before) {
		t.Errorf("after the rebuild %d orders are listed, before %d", len(got), len(before))
	}
	if again.Search.Text != "@" || again.shop.Selected != shop.Name || again.statuses.button.Text != "3 състояния" ||
		again.period.Selected != "Тази година" || again.from.Entry.Text != "01.01.2026" || again.to.Entry.Text != "31.12.2026" {
		t.Errorf("the rebuilt filters read %q, %q, %q, %q, %q–%q", again.Search.Text, again.shop.Selected,
			again.statuses.button.Text, again.period.Selected, again.from.Entry.Text, again.to.Entry.Text)
	}
}
