package books

import (
	"bytes"
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	corebooks "codeberg.org/shopledger/shopledger/core/books"

	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// TestAccountsDialog changes the shipping account and one payment
// method's clearing account in the dialog: the core keeps them and the
// exported journal books on them; a missing code is refused, and Reset to
// preset brings the defaults back.
func TestAccountsDialog(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh, _ := vatShop(t, b)
	p, _, j := openPage(t, b)
	p.period.SetSelectedIndex(presetLastMonth)
	j.Drain(t)

	test.Tap(p.accountsBtn)
	j.Drain(t)
	d := p.accounts
	if d == nil || d.shop.Selected != "Магазин" || d.preset.SelectedIndex() != 0 {
		t.Fatalf("the Accounts dialog opens on %q", d.shop.Selected)
	}
	if d.main["shipping"].code.Text != "703" || d.main["clearing"].code.Text != "411" || d.main["refunds"].code.Text != "" {
		t.Fatalf("the defaults shown: shipping %q, clearing %q", d.main["shipping"].code.Text, d.main["clearing"].code.Text)
	}
	if len(d.rates) == 0 || len(d.byMethod) < 2 || len(d.salesByRate) != len(d.rates) {
		t.Fatalf("the shop's orders give %d rates and %d methods", len(d.rates), len(d.byMethod))
	}
	// A method without an override of the preset, so its clearing is 411.
	var method string
	for _, m := range slices.Sorted(maps.Keys(d.byMethod)) {
		if d.byMethod[m].code.Text == "" && method == "" {
			method = m
		}
	}
	if method == "" {
		t.Fatal("every method of the shop has an override already")
	}

	// A main account without a code is refused with the field's name.
	uitest.TypeInto(d.main["rounding"].code, "")
	test.Tap(d.save)
	j.Drain(t)
	if !d.problem.Visible() || d.problem.Text != "Enter an account code for: Rounding." {
		t.Fatalf("an empty rounding code says %q", d.problem.Text)
	}
	uitest.TypeInto(d.main["rounding"].code, "709")
	uitest.TypeInto(d.main["shipping"].code, "704")
	uitest.TypeInto(d.main["shipping"].name, "Приходи от доставки")
	uitest.TypeInto(d.byMethod[method].code, "503")
	uitest.TypeInto(d.byMethod[method].name, "Разплащателна сметка")
	test.Tap(d.save)
	j.Drain(t)
	acc, set, err := b.Accounts(sh.ID)
	if err != nil || !set {
		t.Fatalf("after Save the accounts are set %v: %v", set, err)
	}
	if acc.Shipping != (journal.Account{Code: "704", Name: "Приходи от доставки"}) ||
		acc.ClearingByMethod[method] != (journal.Account{Code: "503", Name: "Разплащателна сметка"}) {
		t.Fatalf("saved shipping %v, %s clearing %v", acc.Shipping, method, acc.ClearingByMethod[method])
	}
	def := journal.Defaults("bg")
	if acc.Sales != def.Sales || acc.ClearingByMethod["stripe"] != def.ClearingByMethod["stripe"] || acc.Rounding != def.Rounding {
		t.Errorf("Save changed accounts it was not asked to: %+v", acc)
	}
	if p.result.Text != "The accounts of “Магазин” were saved; the journal books on them." {
		t.Errorf("Save says %q", p.result.Text)
	}

	// The journal books shipping on 704 and the method's orders on 503.
	q, _ := p.query()
	path := filepath.Join(t.TempDir(), "october.csv")
	p.exportTo(path, corebooks.JournalQuery{From: q.From, To: q.To, Shop: sh.ID, Per: journal.PerPeriod}, journal.CSVOptions{})
	j.Drain(t)
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
	shipping, clearing := 0, 0
	for _, r := range rows[1:] {
		switch {
		case r[col["what"]] == journal.WhatShipping:
			shipping++
			if r[col["account"]] != "704" {
				t.Errorf("shipping booked on %s", r[col["account"]])
			}
		case r[col["what"]] == journal.WhatClearing && r[col["payment_method"]] == method:
			clearing++
			if r[col["account"]] != "503" {
				t.Errorf("%s booked on %s", method, r[col["account"]])
			}
		}
	}
	if shipping == 0 || clearing == 0 {
		t.Fatalf("October's journal has %d shipping and %d %s lines", shipping, clearing, method)
	}

	// Reset to preset shows the defaults again; saved, they are stored.
	test.Tap(p.accountsBtn)
	j.Drain(t)
	d = p.accounts
	if d.main["shipping"].code.Text != "704" || d.byMethod[method].code.Text != "503" {
		t.Fatalf("the dialog reopens on shipping %q and %s %q", d.main["shipping"].code.Text, method, d.byMethod[method].code.Text)
	}
	test.Tap(d.reset)
	if d.main["shipping"].code.Text != "703" || d.byMethod[method].code.Text != "" {
		t.Fatalf("Reset to preset shows shipping %q and %s %q", d.main["shipping"].code.Text, method, d.byMethod[method].code.Text)
	}
	test.Tap(d.save)
	j.Drain(t)
	acc, _, err = b.Accounts(sh.ID)
	if err != nil || acc.Shipping != def.Shipping || acc.ClearingByMethod[method] != (journal.Account{}) {
		t.Errorf("after Reset and Save: shipping %v, %s %v, %v", acc.Shipping, method, acc.ClearingByMethod[method], err)
	}

	// The English set replaces the Bulgarian one.
	test.Tap(p.accountsBtn)
	j.Drain(t)
	d = p.accounts
	d.preset.SetSelectedIndex(1)
	test.Tap(d.reset)
	if d.main["sales"].code.Text != "4000" || d.main["clearing"].code.Text != "1100" {
		t.Errorf("the English set shows sales %q, clearing %q", d.main["sales"].code.Text, d.main["clearing"].code.Text)
	}
}
