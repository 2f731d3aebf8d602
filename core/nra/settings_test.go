package nra_test

import (
	"errors"
	"testing"

	"codeberg.org/shopledger/shopledger/core/nra"
)

func TestCheckEIK(t *testing.T) {
	for _, c := range []struct {
		eik string
		ok  bool
	}{
		{"131063188", true},     // НАП's own ЕИК
		{"131063189", false},    // its check digit changed
		{"1310631880005", true}, // a branch: 8·2+0·7+0·3+0·5 = 16, mod 11 = 5
		{"1310631880001", false},
		{"1310631880000", false},
		{"7501020018", true}, // an ЕГН of the standard's example
		{"7501020017", false},
		{"12345", false},
		{"13106318A", false},
	} {
		if err := nra.CheckEIK(c.eik); (err == nil) != c.ok {
			t.Errorf("CheckEIK(%s) = %v, want ok %v", c.eik, err, c.ok)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	s := nra.Settings{EIK: "131063188", EShopNumber: "12345678901", Paym: map[string]nra.Paym{"x": 7}, RefundPaym: map[string]nra.RefundPaym{"x": 5}, DeliveredOn: "shipped"}
	var se *nra.SettingsError
	if err := s.Validate(); !errors.As(err, &se) || len(se.Problems) != 4 {
		t.Fatalf("Validate = %v", err)
	}
	want := []string{
		"The e-shop number 12345678901 is longer than 10 characters.",
		"Payment method x has code 7; the codes are 1 to 6.",
		"Refunds of payment method x have code 5; the codes are 1 to 4.",
		"Orders count as delivered on their completed or paid date, not shipped.",
	}
	for i, p := range se.Problems {
		if p.String() != want[i] {
			t.Errorf("problem %d: %q, want %q", i, p.String(), want[i])
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, c := range []struct {
		method string
		paym   nra.Paym
		refund nra.RefundPaym
	}{
		{"cod", nra.PaymCOD, nra.RefundAccount},
		{"bacs", nra.PaymBank, nra.RefundAccount},
		{"stripe", nra.PaymProvider, nra.RefundCard},
		{"paypal", nra.PaymProvider, nra.RefundOther},
		{"borica_vpos", nra.PaymVPOS, nra.RefundCard},
	} {
		p, ok := nra.DefaultPaym(c.method)
		r, rok := nra.DefaultRefundPaym(c.method)
		if !ok || !rok || p != c.paym || r != c.refund {
			t.Errorf("%s: %d %d, want %d %d", c.method, p, r, c.paym, c.refund)
		}
	}
	if _, ok := nra.DefaultPaym("cheque"); ok {
		t.Error("cheque has a default")
	}
}
