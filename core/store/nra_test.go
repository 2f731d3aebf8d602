package store

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
)

// TestNRASettingsRoundTrip: settings survive closing and reopening the
// file; bad ones and unknown shops are refused; a shop without any says so.
func TestNRASettingsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopledger.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sh := mustShop(t, s, ledger.Shop{Name: "A", URL: "https://a.example"})
	if _, set, err := s.NRASettings(sh.ID); err != nil || set {
		t.Fatalf("before any: set %v, %v", set, err)
	}
	want := nra.Settings{
		EIK: "131063188", EShopNumber: "RF0000123", Domain: "a.example", Platform: true,
		Paym:          map[string]nra.Paym{"cod": nra.PaymCOD, "mypos": nra.PaymVPOS},
		RefundPaym:    map[string]nra.RefundPaym{"cod": nra.RefundCash},
		DocNumberMeta: "_invoice_number", DeliveredOn: nra.DeliveredPaid,
	}
	if err := s.SetNRASettings(sh.ID, want); err != nil {
		t.Fatal(err)
	}
	bad := want
	bad.EIK = "131063189"
	var se *nra.SettingsError
	if err := s.SetNRASettings(sh.ID, bad); !errors.As(err, &se) {
		t.Errorf("a wrong check digit: %v", err)
	}
	if err := s.SetNRASettings(999, want); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown shop: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, set, err := s.NRASettings(sh.ID)
	if err != nil || !set || !reflect.DeepEqual(got, want) {
		t.Errorf("after reopening: %+v set %v %v", got, set, err)
	}
}

func TestLastNRAFile(t *testing.T) {
	s := openTest(t)
	if _, ok, err := s.LastNRAFile(1, 2026, time.October); err != nil || ok {
		t.Fatalf("before any: %v %v", ok, err)
	}
	rec := nra.Record{Made: time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC), Orders: map[string]string{"1": "a"}, Refunds: map[string]string{}}
	if err := s.PutNRAFile(1, 2026, time.October, rec); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.LastNRAFile(1, 2026, time.October)
	if err != nil || !ok || !got.Made.Equal(rec.Made) || got.Orders["1"] != "a" {
		t.Errorf("got %+v %v %v", got, ok, err)
	}
	if _, ok, _ := s.LastNRAFile(1, 2026, time.November); ok {
		t.Error("another month has the record")
	}
}
