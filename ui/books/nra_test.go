package books

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	corebooks "codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// chequeShop is the VAT shop with one order completed in October 2026
// paid through WooCommerce's cheque gateway, which has no NRA code until
// the bookkeeper gives it one; it returns that order's number.
func chequeShop(t *testing.T, b *corebooks.Books) (ledger.Shop, string) {
	t.Helper()
	var number string
	sh, _ := vatShopWith(t, b, func(srv *woosim.Server) {
		for _, o := range srv.Sim.Snapshot() {
			c := o.Completed.In(sofia)
			if c.Year() == 2026 && c.Month() == time.October && o.Currency == "EUR" {
				number = o.Number
				if err := srv.Sim.SilentlyChange(o.ID, func(s *woosim.Silent) {
					s.PaymentMethod, s.PaymentMethodTitle = "cheque", "Check payments"
				}); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatal("no order completed in October 2026")
	})
	return sh, number
}

// texts are the texts of every label under o, in order.
func texts(o fyne.CanvasObject) []string {
	var out []string
	switch o := o.(type) {
	case *widget.Label:
		out = append(out, o.Text)
	case *widget.Form:
		for _, it := range o.Items {
			out = append(out, it.Text)
			out = append(out, texts(it.Widget)...)
		}
	case *fyne.Container:
		for _, c := range o.Objects {
			out = append(out, texts(c)...)
		}
	}
	return out
}

func contains(all []string, want string) bool {
	return slices.ContainsFunc(all, func(s string) bool { return strings.Contains(s, want) })
}

// row is the settings' row of a payment method.
func (e *nraSettingsDialog) row(method string) *nraMethodRow {
	for _, r := range e.rows {
		if r.method == method {
			return r
		}
	}
	return nil
}

// TestNRADialog walks the audit file as a bookkeeper does: the preview of
// last month says what blocks the file (no ЕИК, no e-shop number, a
// payment method without a code) and Generate waits; the settings show
// each method's code with the defaults to confirm and refuse a wrong ЕИК;
// once saved, the preview shows the file's figures, which equal the
// core's, and the file written is valid against НАП's published schema.
// Made again, it says nothing changed.
func TestNRADialog(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh, cheque := chequeShop(t, b)
	p, s, j := openPage(t, b)

	test.Tap(p.nraBtn)
	j.Drain(t)
	d := p.nra
	if d == nil || d.month.Selected != "2026-10" || !slices.Equal(d.shops.Selected, []string{"Магазин"}) {
		t.Fatalf("the dialog opens on %q for %v", d.month.Selected, d.shops.Selected)
	}
	shown := texts(d.preview)
	for _, want := range []string{"No file can be made until this is fixed:", "The trader's EIK (ЕИК) is missing.",
		"The e-shop's unique number from NRA is missing.",
		"Payment method cheque (order " + cheque + ") has no NRA payment code: set one in the NRA settings."} {
		if !contains(shown, want) {
			t.Errorf("the preview lacks %q:\n%s", want, strings.Join(shown, "\n"))
		}
	}
	if !d.generate.Disabled() {
		t.Error("Generate files… is enabled for a file that cannot be made")
	}

	test.Tap(d.settings)
	j.Drain(t)
	e := d.edit
	if e == nil || e.shop.Selected != "Магазин" {
		t.Fatal("the settings did not open on the shop")
	}
	for m, want := range map[string]struct {
		paym   int
		source string
	}{"cod": {2, "default"}, "bacs": {0, "default"}, "stripe": {3, "default"}, "cheque": {-1, "to choose"}} {
		r := e.row(m)
		if r == nil || r.paym.SelectedIndex() != want.paym || r.source.Text != want.source {
			t.Errorf("method %s: %+v", m, r)
		}
	}
	if !contains(texts(e.methods), "Check payments (cheque)") {
		t.Errorf("the cheque row is not named by its title: %v", texts(e.methods))
	}
	uitest.TypeInto(e.eik, "131063189")
	uitest.TypeInto(e.eshop, "RF0000123")
	test.Tap(e.save)
	j.Drain(t)
	if !e.problem.Visible() || e.problem.Text != "The EIK 131063189 has a wrong check digit: check it against the trade register." {
		t.Fatalf("a wrong ЕИК says %q", e.problem.Text)
	}
	uitest.TypeInto(e.eik, "131063188")
	uitest.TypeInto(e.domain, "shop.example.bg")
	e.row("cheque").paym.SetSelected(paymName(nra.PaymOther))
	e.row("cheque").refund.SetSelected(refundName(nra.RefundOther))
	test.Tap(e.save)
	j.Drain(t)
	st, set, err := b.NRASettings(sh.ID)
	if err != nil || !set || st.EIK != "131063188" || st.EShopNumber != "RF0000123" || st.Paym["cheque"] != nra.PaymOther ||
		st.Paym["cod"] != nra.PaymCOD || st.RefundPaym["cheque"] != nra.RefundOther {
		t.Fatalf("saved settings %+v (set %v, %v)", st, set, err)
	}

	// The preview follows the settings: the core's file of October.
	want, _, err := b.NRAFile(corebooks.NRAQuery{Shop: sh.ID, Year: 2026, Month: time.October})
	if err != nil || len(want.Problems) > 0 {
		t.Fatalf("the core's file: %v %v", err, want.Problems)
	}
	total2, vat, byPaym := want.Totals()
	shown = texts(d.preview)
	head := "2026-10, in EUR: " + itoa(len(want.Orders)) + " orders delivered for " + money(total2) + " with VAT (VAT " + money(vat) + ")."
	if !contains(shown, head) || contains(shown, "No file can be made") || d.generate.Disabled() {
		t.Fatalf("the preview after saving lacks %q:\n%s", head, strings.Join(shown, "\n"))
	}
	for c, a := range byPaym {
		i := slices.Index(shown, paymName(c))
		if i < 0 || shown[i+1] != money(a) {
			t.Errorf("paym %d: want %s in %v", c, money(a), shown)
		}
	}
	if !contains(shown, "Refunds: "+itoa(len(want.Refunds))+" of "+itoa(want.ROrd)+" orders, "+money(want.RTotal)+".") {
		t.Errorf("the refunds line: %v", shown)
	}
	test.AssertRendersToMarkup(t, "nra_en.xml", s.win.Canvas())
	test.AssertImageMatches(t, "nra_en.png", s.win.Canvas().Capture())

	// Generate files… asks where; the file written is the core's and valid.
	test.Tap(d.generate)
	if d.file == nil {
		t.Fatal("Generate files… showed no save dialog")
	}
	d.file.Hide()
	path := filepath.Join(t.TempDir(), nraFileName(sh.Name, 2026, time.October))
	p.saveNRA(d, d.files, func(nraPreview) string { return path })
	j.Drain(t)
	if d.result.Text != "Магазин: written to "+path+"." {
		t.Fatalf("after writing: %q", d.result.Text)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lint := exec.Command("xmllint", "--noout", "--schema", filepath.Join("..", "..", "core", "nra", "testdata", "dec_audit.xsd"), path)
	if msg, err := lint.CombinedOutput(); err != nil {
		t.Fatalf("the file is not valid against dec_audit.xsd: %v\n%s", err, msg)
	}
	if n := strings.Count(string(data), "<orderenum>"); n != len(want.Orders) {
		t.Errorf("the file holds %d orders, the core's %d", n, len(want.Orders))
	}
	p.saveNRA(d, d.files, func(nraPreview) string { return path })
	j.Drain(t)
	if !strings.Contains(d.result.Text, "The same orders and refunds as the last file made.") {
		t.Errorf("made again: %q", d.result.Text)
	}

	// A late change: bank transfers coded 5 instead of 1; the month made
	// again names the orders that differ from the last file.
	var bacs []string
	for _, o := range want.Orders {
		if o.Paym == nra.PaymBank {
			bacs = append(bacs, o.Number)
		}
	}
	slices.Sort(bacs)
	st.Paym["bacs"] = nra.PaymOther
	if err := b.SetNRASettings(sh.ID, st); err != nil {
		t.Fatal(err)
	}
	p.previewNRA(d)
	j.Drain(t)
	p.saveNRA(d, d.files, func(nraPreview) string { return path })
	j.Drain(t)
	if len(bacs) == 0 || !strings.Contains(d.result.Text, "Since the last file made, these orders differ: "+strings.Join(bacs, ", ")+"; refunds added 0, removed 0, changed") {
		t.Errorf("made again after a change of bacs's code (orders %v): %q", bacs, d.result.Text)
	}
}

// TestNRADialogInBulgarian: the preview says what blocks the file in
// Bulgarian, with the payment codes' Bulgarian names in the settings.
func TestNRADialogInBulgarian(t *testing.T) {
	b := uitest.OpenBooks(t)
	_, cheque := chequeShop(t, b)
	p, s, j := openPageIn(t, b, "bg")
	if p.nraBtn.Text != "Одитен файл за НАП…" {
		t.Errorf("the button says %q", p.nraBtn.Text)
	}
	test.Tap(p.nraBtn)
	j.Drain(t)
	shown := texts(p.nra.preview)
	for _, want := range []string{"Файл не може да бъде създаден, докато това не бъде оправено:", "Липсва ЕИК на търговеца.",
		"Липсва уникалният номер на електронния магазин, издаден от НАП.",
		"Начинът на плащане cheque (поръчка " + cheque + ") няма код на плащане за НАП: задайте го в настройките за НАП."} {
		if !contains(shown, want) {
			t.Errorf("the preview lacks %q:\n%s", want, strings.Join(shown, "\n"))
		}
	}
	test.AssertRendersToMarkup(t, "nra_bg.xml", s.win.Canvas())
	test.AssertImageMatches(t, "nra_bg.png", s.win.Canvas().Capture())
	test.Tap(p.nra.settings)
	j.Drain(t)
	if r := p.nra.edit.row("cod"); r == nil || r.paym.Selected != "3 – наложен платеж с ППП" || r.source.Text != "предложен" {
		t.Errorf("cash on delivery in Bulgarian: %+v", r)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func money(a ledger.Amount) string { return i18n.Money(a, "EUR") }

// TestNRADialogTwoShops: with every shop ticked, a shop without settings
// says so and the other's file is made alone; once both have settings,
// Generate files… writes one valid file per shop into the folder chosen,
// named for the shop and the month.
func TestNRADialogTwoShops(t *testing.T) {
	b := uitest.OpenBooks(t)
	first, _ := vatShop(t, b)
	srv, err := woosim.Start(woosim.Options{Orders: 60, Seed: 4, VAT: true, SiteTimezone: sofia,
		From: time.Date(2026, 9, 1, 0, 0, 0, 0, sofia), To: uitest.Now}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	second := uitest.AddShop(t, b, "Втори/магазин", srv)
	second.Timezone = "Europe/Sofia"
	if err := b.UpdateShop(second); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sync(t.Context(), second.ID, nil); err != nil {
		t.Fatal(err)
	}
	st := nra.Settings{EIK: "131063188", EShopNumber: "RF0000123", Domain: "shop.example.bg"}
	if err := b.SetNRASettings(first.ID, st); err != nil {
		t.Fatal(err)
	}
	p, _, j := openPage(t, b)
	test.Tap(p.nraBtn)
	j.Drain(t)
	d := p.nra
	if len(d.shops.Selected) != 2 || len(d.files) != 2 {
		t.Fatalf("ticked %v, previewed %d", d.shops.Selected, len(d.files))
	}
	if !contains(texts(d.preview), "The trader's EIK (ЕИК) is missing.") || d.generate.Disabled() {
		t.Fatalf("the shop without settings: %v (Generate disabled %v)", texts(d.preview), d.generate.Disabled())
	}
	st.EShopNumber = "RF0000124"
	if err := b.SetNRASettings(second.ID, st); err != nil {
		t.Fatal(err)
	}
	p.previewNRA(d)
	j.Drain(t)
	test.Tap(d.generate)
	if d.file == nil {
		t.Fatal("no folder dialog")
	}
	d.file.Hide()
	dir := t.TempDir()
	p.saveNRA(d, d.files, nraPathIn(dir))
	j.Drain(t)
	for _, name := range []string{"Магазин-2026-10.xml", "Втори_магазин-2026-10.xml"} {
		path := filepath.Join(dir, name)
		lint := exec.Command("xmllint", "--noout", "--schema", filepath.Join("..", "..", "core", "nra", "testdata", "dec_audit.xsd"), path)
		if msg, err := lint.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", name, err, msg)
		}
		if !strings.Contains(d.result.Text, path) {
			t.Errorf("the result does not name %s: %q", path, d.result.Text)
		}
	}
}
