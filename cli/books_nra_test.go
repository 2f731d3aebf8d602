package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBooksNRA: the real shop's October 2026 through the commands. Without
// settings the file is refused with the reasons (exit 1, nothing
// written); with them it is written, summarized, and the same bytes again
// for a fixed creation date.
func TestBooksNRA(t *testing.T) {
	dir := t.TempDir()
	booksWithSample(t, dir, nil)
	out := filepath.Join(t.TempDir(), "real-2026-10.xml")

	r := cmd(t, dir, nil, "", "books", "nra", "--shop", "Real", "--month", "2026-10", "-o", out)
	if r.code != 1 || !strings.Contains(r.stderr, "The NRA audit file of “Real” cannot be made: The trader's EIK (ЕИК) is missing. The e-shop's unique number from NRA is missing.") {
		t.Fatalf("without settings: %+v", r)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a refused file was written: %v", err)
	}

	r = cmd(t, dir, nil, "", "books", "nra-settings", "--shop", "Real", "--eik", "131063189", "--eshop-number", "RF0000123")
	if r.code != 1 || !strings.Contains(r.stderr, "wrong check digit") {
		t.Fatalf("a wrong EIK: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "nra-settings", "--shop", "Real", "--eik", "131063188", "--eshop-number", "RF0000123",
		"--domain", "real.example.bg", "--paym", "stripe=2", "--refund-paym", "cod=3", "--doc-number-meta", "_receipt_no")
	if r.code != 0 {
		t.Fatalf("settings: %+v", r)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = strings.Join(f, " ")
		}
	}
	for method, want := range map[string]string{
		"bacs":   "1 bank transfer, no postal money transfer (default) 1 to an account (default)",
		"cod":    "3 cash on delivery, postal money transfer (default) 3 in cash (set)",
		"stripe": "2 virtual POS terminal (set) 2 to the card (default)",
	} {
		if !strings.HasSuffix(rows[method], want) {
			t.Errorf("%s: %q, want … %q", method, rows[method], want)
		}
	}
	for _, want := range []string{"131063188", "RF0000123", "order meta _receipt_no"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("settings lack %q:\n%s", want, r.stdout)
		}
	}
	if r2 := cmd(t, dir, nil, "", "books", "nra-settings", "--shop", "Real"); r2.code != 0 || r2.stdout != r.stdout {
		t.Errorf("shown again: %+v", r2)
	}
	r = cmd(t, dir, nil, "", "books", "nra", "--shop", "Real", "--month", "2026-10", "-o", out, "--creation-date", "2026-11-10")
	if r.code != 0 {
		t.Fatalf("nra: %+v", r)
	}
	for _, want := range []string{"Real, 2026-10, in EUR", "orders delivered: 9, ord_total2 1336.77", "refunds: 4, r_total 147.95, of 4 order(s) (r_ord)",
		"skipped order 1136: paid in the month but not completed", "are not closed through the month's end",
		"no order meta _receipt_no, doc_n is the order number: 1159, 1173, 1227"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(first, []byte(`<?xml version="1.0" encoding="WINDOWS-1251"?>`)) || !bytes.Contains(first, []byte("<paym>2</paym>")) {
		t.Errorf("the file: %.300s", first)
	}
	// ord_disc is WooCommerce's discount_total to the cent: no cent of
	// rounding to carry in a month without conversion.
	if strings.Contains(r.stdout, "ord_disc carries") {
		t.Errorf("rounding carried: %s", r.stdout)
	}
	// The file is valid against НАП's published schema (xmllint from
	// Debian's libxml2-utils, installed by scripts/setup.sh test).
	lint := exec.Command("xmllint", "--noout", "--schema", filepath.Join("..", "core", "nra", "testdata", "dec_audit.xsd"), out)
	if msg, err := lint.CombinedOutput(); err != nil {
		t.Errorf("the file is not valid against dec_audit.xsd: %v\n%s", err, msg)
	}
	if r := cmd(t, dir, nil, "", "books", "close", "--shop", "Real", "--through", "2026-10-31", "--by", "test"); r.code != 0 {
		t.Fatalf("close: %+v", r)
	}
	outDir := t.TempDir()
	r = cmd(t, dir, nil, "", "books", "nra", "--all-shops", "--month", "2026-10", "--dir", outDir, "--creation-date", "2026-11-10")
	if r.code != 0 || !strings.Contains(r.stdout, "1 file(s) written") || strings.Contains(r.stdout, "not closed") {
		t.Fatalf("all shops: %+v", r)
	}
	again, err := os.ReadFile(filepath.Join(outDir, "Real-2026-10.xml"))
	if err != nil || !bytes.Equal(again, first) {
		t.Errorf("the same month's file differs (%v)", err)
	}
	if !strings.Contains(r.stdout, "the same orders and refunds as the last file made") {
		t.Errorf("a month filed again unchanged: %s", r.stdout)
	}

	// A late change: the bookkeeper codes bank transfers 5; the month
	// filed again names the four bacs orders it changes.
	r = cmd(t, dir, nil, "", "books", "nra-settings", "--shop", "Real", "--paym", "bacs=5")
	if r.code != 0 {
		t.Fatalf("settings: %+v", r)
	}
	r = cmd(t, dir, nil, "", "books", "nra", "--shop", "Real", "--month", "2026-10", "-o", out, "--creation-date", "2026-11-10")
	if r.code != 0 || !strings.Contains(r.stdout, "orders changed: 1173, 1227, 1261, 1517") || strings.Contains(r.stdout, "orders added") {
		t.Errorf("a month filed again after a change: %+v", r)
	}
}
