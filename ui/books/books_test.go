package books

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	corebooks "codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// shell stands in for the window: it hosts the screen and hands it the
// shops, warehouses and cost centers as the window's reload does.
type shell struct {
	t    testing.TB
	win  fyne.Window
	br   *bridge.Bridge
	b    *corebooks.Books
	page *Page
}

func (s *shell) Window() fyne.Window    { return s.win }
func (s *shell) Bridge() *bridge.Bridge { return s.br }
func (s *shell) Now() time.Time         { return uitest.Now }

// reload is the window's reload: the snapshot, then the screen's Show.
func (s *shell) reload() {
	shops, err := s.b.Shops()
	if err != nil {
		s.t.Fatal(err)
	}
	whs, err := s.b.Warehouses()
	if err != nil {
		s.t.Fatal(err)
	}
	ccs, err := s.b.CostCenters()
	if err != nil {
		s.t.Fatal(err)
	}
	s.page.Show(shops, whs, ccs)
}

var sofia = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		panic(err)
	}
	return loc
}()

// vatShop is a Bulgarian VAT shop on loopback whose orders, from November
// 2025 to the test's today, switch from BGN to EUR on 2026-01-01, synced
// into b through the core.
func vatShop(t *testing.T, b *corebooks.Books) (ledger.Shop, *woosim.Server) {
	t.Helper()
	return vatShopWith(t, b, nil)
}

// vatShopWith is vatShop with before run on the shop before the sync.
func vatShopWith(t *testing.T, b *corebooks.Books, before func(*woosim.Server)) (ledger.Shop, *woosim.Server) {
	t.Helper()
	srv, err := woosim.Start(woosim.Options{
		Orders: 260, Seed: 11, VAT: true, SiteTimezone: sofia,
		From: time.Date(2025, 11, 1, 0, 0, 0, 0, sofia), To: uitest.Now,
		CurrencyChange: &woosim.CurrencyChange{At: time.Date(2026, 1, 1, 0, 0, 0, 0, sofia), Before: "BGN", After: "EUR"},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if before != nil {
		before(srv)
	}
	sh := uitest.AddShop(t, b, "Магазин", srv)
	sh.Timezone = "Europe/Sofia"
	if err := b.UpdateShop(sh); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	return sh, srv
}

// openPage shows the screen over b in a window of its own, in English;
// its background work runs when the test drains j.
func openPage(t *testing.T, b *corebooks.Books) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	return openPageIn(t, b, "en")
}

// openPageIn is openPage in a language: "en" or "bg".
func openPageIn(t *testing.T, b *corebooks.Books, language string) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	uitest.English(t)
	i18n.SetLanguage(language)
	j := &uitest.Jobs{}
	ctx, cancel := context.WithCancel(context.Background())
	s := &shell{t: t, win: test.NewWindow(nil), br: bridge.New(ctx, j.Run), b: b}
	s.page = New(s, b)
	s.win.SetContent(s.page.Content())
	s.win.Resize(fyne.NewSize(1100, 800))
	t.Cleanup(func() {
		cancel()
		j.Drain(t)
		s.br.Stop()
		s.win.Close()
	})
	s.reload()
	j.Drain(t)
	return s.page, s, j
}

// checkFigures compares what the screen shows for each group with the
// core's summary of q, label by label.
func checkFigures(t *testing.T, p *Page, b *corebooks.Books, q corebooks.SummaryQuery) {
	t.Helper()
	want, err := b.Summary(q)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.groups) != len(want.Groups) {
		t.Fatalf("the screen shows %d groups, the summary has %d", len(p.groups), len(want.Groups))
	}
	for i := range want.Groups {
		g := &want.Groups[i]
		v := p.group(g.Shop, g.Currency)
		if v == nil {
			t.Fatalf("no group for %s", g.Currency)
		}
		money := func(a ledger.Amount) string { return i18n.Money(a, g.Currency) }
		for fig, text := range map[string]string{
			figOrders: strconv.FormatInt(g.TotalOrders(), 10), figItems: strconv.FormatInt(g.TotalItems(), 10),
			figSales: money(g.TotalSales()), figNet: money(g.NetSales()), figTax: money(g.TotalTax()),
			figShipping: money(g.TotalShipping()), figShippingTax: money(g.TotalShippingTax()),
			figRefunds: money(g.TotalRefunds()), figDiscount: money(g.TotalDiscount()), figFees: money(g.TotalFees()),
		} {
			if got := v.figures[fig].Text; got != text {
				t.Errorf("%s %s: the screen shows %q, the summary %q", g.Currency, fig, got, text)
			}
		}
		if len(v.rates) != len(g.Taxes) || len(v.methods) != len(g.Methods) {
			t.Errorf("%s: %d rates and %d methods shown, want %d and %d", g.Currency, len(v.rates), len(v.methods), len(g.Taxes), len(g.Methods))
		}
		for k, r := range g.Taxes {
			if got := v.rates[k][1].Text + " / " + v.rates[k][3].Text; got != money(r.Tax)+" / "+money(r.RefundedTax) {
				t.Errorf("%s rate %s shows %s", g.Currency, r.Label, got)
			}
		}
		for k, m := range g.Methods {
			if got := v.methods[k][1].Text + " / " + v.methods[k][2].Text; got != money(m.Sales)+" / "+money(m.Refunds) {
				t.Errorf("%s method %s shows %s", g.Currency, m.Method, got)
			}
		}
		if v.chart == nil || len(v.chart.sales) != len(g.Periods) || len(v.chart.refunds) != len(g.Periods) {
			t.Errorf("%s: the chart has no bar pair per period (%d)", g.Currency, len(g.Periods))
		}
	}
}

// TestBooksScreenShowsTheSummary: last month's figures on the screen are
// the core's summary of that month, to the label; switching to the
// quarter reloads by months; a custom range across the BGN→EUR switch
// shows one group per currency, never a sum of the two.
func TestBooksScreenShowsTheSummary(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh, _ := vatShop(t, b)
	p, _, j := openPage(t, b)

	nov := corebooks.SummaryQuery{From: sales.DateDay(2026, 11, 1), To: sales.DateDay(2026, 11, 30), By: sales.ByDay}
	checkFigures(t, p, b, nov)

	p.period.SetSelectedIndex(presetLastMonth)
	j.Drain(t)
	if p.from.Entry.Text != "2026-10-01" || p.to.Entry.Text != "2026-10-31" {
		t.Fatalf("last month is %s – %s", p.from.Entry.Text, p.to.Entry.Text)
	}
	oct := corebooks.SummaryQuery{From: sales.DateDay(2026, 10, 1), To: sales.DateDay(2026, 10, 31), By: sales.ByDay}
	checkFigures(t, p, b, oct)
	g := p.group(sh.ID, "EUR")
	if g == nil || g.g.TotalOrders() == 0 || len(g.g.Taxes) == 0 || g.g.TotalTax() == 0 {
		t.Fatalf("October shows no taxed sales: %+v", g)
	}
	if !hasText(p.body, "Sales are counted on the date the order was created, as in WooCommerce's report; refunds on their own dates.") {
		t.Error("the screen does not say which date sales are counted on")
	}
	if len(g.chart.sales) != 31 {
		t.Errorf("October's chart has %d days", len(g.chart.sales))
	}

	p.period.SetSelectedIndex(presetThisQuarter)
	j.Drain(t)
	if p.by.SelectedIndex() != 1 || p.to.Entry.Text != "2026-12-31" {
		t.Fatalf("the quarter is %s – %s by %q", p.from.Entry.Text, p.to.Entry.Text, p.by.Selected)
	}
	checkFigures(t, p, b, corebooks.SummaryQuery{From: sales.DateDay(2026, 10, 1), To: sales.DateDay(2026, 12, 31), By: sales.ByMonth})
	if n := len(p.group(sh.ID, "EUR").chart.sales); n != 3 {
		t.Errorf("the quarter's chart has %d months", n)
	}

	uitest.TypeInto(p.from.Entry, "2025-12-01")
	uitest.TypeInto(p.to.Entry, "2026-01-31")
	j.Drain(t)
	if p.period.SelectedIndex() != presetCustom {
		t.Errorf("typed dates leave the period at %q", p.period.Selected)
	}
	checkFigures(t, p, b, corebooks.SummaryQuery{From: sales.DateDay(2025, 12, 1), To: sales.DateDay(2026, 1, 31), By: sales.ByMonth})
	if p.group(sh.ID, "BGN") == nil || p.group(sh.ID, "EUR") == nil || len(p.groups) != 2 {
		t.Fatalf("December to January shows %d groups, want BGN and EUR", len(p.groups))
	}

	// A period that ends before it starts is refused where it is typed.
	uitest.TypeInto(p.to.Entry, "2025-11-30")
	j.Drain(t)
	if !p.problem.Visible() || p.problem.Text != "The period ends before it starts: choose a To date on or after the From date." {
		t.Errorf("a backwards period says %q", p.problem.Text)
	}
	uitest.TypeInto(p.to.Entry, "2026-01-31")
	j.Drain(t)
	if p.problem.Visible() || len(p.groups) != 2 {
		t.Errorf("the period mended still shows %q and %d groups", p.problem.Text, len(p.groups))
	}

	// The warehouse filter: an unknown warehouse's sales are none.
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "EAST", Name: "East"})
	if err != nil {
		t.Fatal(err)
	}
	p.Show(p.shops, append(p.warehouses, wh), p.costCenters)
	j.Drain(t)
	p.warehouse.SetSelected("EAST")
	j.Drain(t)
	if len(p.groups) != 0 || !hasText(p.body, "No sales or refunds in this period.") {
		t.Errorf("the EAST warehouse shows %d groups", len(p.groups))
	}
}

// TestClosePeriodAndChangesAfterClosing closes October through the
// dialog, then cancels an October order at the shop: after the sync the
// change is listed with its before and after, and reopening is recorded.
func TestClosePeriodAndChangesAfterClosing(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh, srv := vatShop(t, b)
	p, s, j := openPage(t, b)

	test.Tap(p.closeBtn)
	d := p.closeDlg
	if d == nil || d.through.Entry.Text != "2026-10-31" || d.shop.Selected != "Магазин" {
		t.Fatalf("the Close period dialog starts at %q for %q", d.through.Entry.Text, d.shop.Selected)
	}
	test.Tap(d.ok)
	p.confirm.Confirm()
	j.Drain(t)
	c, err := b.Closing(sh.ID)
	if err != nil || c.Through != sales.DateDay(2026, 10, 31) || len(c.History) != 1 || c.History[0].Action != sales.ActionClose {
		t.Fatalf("closing %+v, %v", c, err)
	}
	if !hasText(p.body, "“Магазин”: closed through 2026-10-31 ("+byName(currentUser())+", "+i18n.DateTime(c.History[0].At)+")") {
		t.Error("the screen does not say how far the books are closed")
	}
	if !hasText(p.body, "No order changed in a closed period.") {
		t.Error("changes are listed before any")
	}

	// Cancel a completed October order at the shop and sync.
	var id int64
	octFrom, octTo := sales.DateDay(2026, 10, 1), sales.DateDay(2026, 10, 31)
	err = b.EachSalesRecord(sh.ID, func(r *sales.Record) error {
		if d := sales.DayOf(r.Created, sofia); id == 0 && r.Status == ledger.StatusCompleted && len(r.Refunds) == 0 && d >= octFrom && d <= octTo {
			id = r.ID
		}
		return nil
	})
	if err != nil || id == 0 {
		t.Fatalf("no completed October order: %v", err)
	}
	if err := srv.Sim.SetStatus(id, "cancelled"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	s.reload() // as the window does when a sync brings orders
	j.Drain(t)
	if len(p.changes) != 1 || p.changes[0].Order != id {
		t.Fatalf("changes after closing: %+v", p.changes)
	}
	ch := p.changes[0]
	for _, want := range []string{"#" + strconv.FormatInt(id, 10), "Completed · " + i18n.Money(ch.Before.Total, ch.Before.Currency),
		"Cancelled · " + i18n.Money(ch.After.Total, ch.After.Currency), i18n.DateTime(ch.Arrived), "2026-11-01"} {
		if !hasText(p.body, want) {
			t.Errorf("the changes list lacks %q", want)
		}
	}
	if ch.BookOn != sales.DateDay(2026, 11, 1) {
		t.Errorf("the change is booked on %s", ch.BookOn)
	}

	// Reopen: recorded with who and when; nothing stays closed.
	reopen := findButton(p.body, "Reopen…")
	if reopen == nil {
		t.Fatal("no Reopen button")
	}
	test.Tap(reopen)
	p.confirm.Confirm()
	j.Drain(t)
	if c, _ := b.Closing(sh.ID); c.Through != 0 || len(c.History) != 2 || c.History[1].Action != sales.ActionReopen {
		t.Fatalf("after reopening: %+v", c)
	}
	if !hasText(p.body, "“Магазин”: no period closed.") {
		t.Error("the screen still shows the books closed")
	}
}

// TestExportJournal: the dialog offers the save dialog; the journal
// written as CSV balances per entry to the cent and its VAT equals the
// summary's; as XLSX it is a workbook.
func TestExportJournal(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh, _ := vatShop(t, b)
	p, _, j := openPage(t, b)
	p.period.SetSelectedIndex(presetLastMonth)
	j.Drain(t)

	test.Tap(p.exportBtn)
	x := p.exporter
	x.per.SetSelected(perChoices()[0])
	x.semicolon.SetChecked(false)
	x.bom.SetChecked(false)
	test.Tap(x.choose)
	if x.file == nil {
		t.Fatal("Choose file… does not open the save dialog")
	}
	x.file.Hide()

	q, _ := p.query()
	dir := t.TempDir()
	path := filepath.Join(dir, "october.csv")
	p.exportTo(path, x.journalQuery(q), journal.CSVOptions{})
	j.Drain(t)
	if p.result.Text != "The journal was exported to "+path+"." {
		t.Fatalf("export says %q", p.result.Text)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	debit, credit := map[string]ledger.Amount{}, map[string]ledger.Amount{}
	var vat ledger.Amount
	days := map[string]bool{}
	for _, r := range rows[1:] {
		amt := func(name string) ledger.Amount {
			if r[col[name]] == "" {
				return 0
			}
			a, err := ledger.ParseAmount(r[col[name]])
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		e := r[col["entry"]]
		debit[e] += amt("debit")
		credit[e] += amt("credit")
		days[r[col["date"]]] = true
		if r[col["what"]] == journal.WhatVAT {
			vat += amt("credit") - amt("debit")
		}
	}
	if len(debit) < 5 || len(days) != len(debit) {
		t.Fatalf("October's journal per day has %d entries on %d days", len(debit), len(days))
	}
	for e := range debit {
		if debit[e] != credit[e] {
			t.Errorf("entry %s does not balance: %s / %s", e, debit[e], credit[e])
		}
	}
	if g := p.group(sh.ID, "EUR"); vat != g.g.TotalTax() {
		t.Errorf("the journal's VAT %s, the summary's %s", vat, g.g.TotalTax())
	}

	xlsx := filepath.Join(dir, "october.xlsx")
	p.exportTo(xlsx, x.journalQuery(q), journal.CSVOptions{})
	j.Drain(t)
	if data, err := os.ReadFile(xlsx); err != nil || !bytes.HasPrefix(data, []byte("PK")) {
		t.Fatalf("the .xlsx file is no workbook: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// hasText reports whether a label under o shows text.
func hasText(o fyne.CanvasObject, text string) bool {
	found := false
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == text {
			found = true
		}
	})
	return found
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var b *widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Button); ok && x.Text == text && b == nil {
			b = x
		}
	})
	return b
}

func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			walk(x, f)
		}
	}
	if w, ok := o.(*container.Scroll); ok {
		walk(w.Content, f)
	}
}

// TestBooksScreenInBulgarian: the screen speaks Bulgarian with its
// accounting terms, and its amounts are written with a decimal comma.
func TestBooksScreenInBulgarian(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh, _ := vatShop(t, b)
	p, _, j := openPageIn(t, b, "bg")
	p.period.SetSelectedIndex(presetLastMonth)
	j.Drain(t)
	if p.from.Entry.Text != "01.10.2026" || p.period.Selected != "Миналия месец" {
		t.Fatalf("last month in Bulgarian is %q from %q", p.period.Selected, p.from.Entry.Text)
	}
	g := p.group(sh.ID, "EUR")
	if g == nil {
		t.Fatal("no EUR group")
	}
	if want := i18n.Money(g.g.TotalTax(), "EUR"); g.figures[figTax].Text != want || !strings.Contains(want, ",") {
		t.Errorf("VAT shows %q, want %q with a decimal comma", g.figures[figTax].Text, want)
	}
	for _, text := range []string{"ДДС", "Оборот (с ДДС)", "Сторнирано ДДС", "Приключени периоди", "Промени след приключване"} {
		if !hasText(p.body, text) {
			t.Errorf("the screen lacks %q", text)
		}
	}
	if p.exportBtn.Text != "Експорт на дневника…" || p.closeBtn.Text != "Приключване на период…" {
		t.Errorf("buttons %q, %q", p.exportBtn.Text, p.closeBtn.Text)
	}

	// The Accounts dialog refuses a missing code in Bulgarian.
	if p.accountsBtn.Text != "Сметки…" {
		t.Errorf("the Accounts button says %q", p.accountsBtn.Text)
	}
	test.Tap(p.accountsBtn)
	j.Drain(t)
	d := p.accounts
	if d.main["vat"].label != "ДДС" || d.preset.Selected != "Български (НСС)" {
		t.Errorf("the dialog shows %q on the %q chart", d.main["vat"].label, d.preset.Selected)
	}
	uitest.TypeInto(d.main["clearing"].code, "")
	test.Tap(d.save)
	if d.problem.Text != "Въведете код на сметка за: Разчети (клиенти)." {
		t.Errorf("an empty clearing code says %q", d.problem.Text)
	}
}
