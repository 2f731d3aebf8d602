package store

import (
	"errors"
	"slices"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func mustShop(t *testing.T, s *Store, sh ledger.Shop) ledger.Shop {
	t.Helper()
	sh, err := s.CreateShop(sh)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func mustWarehouse(t *testing.T, s *Store, code string) ledger.Warehouse {
	t.Helper()
	w, err := s.CreateWarehouse(ledger.Warehouse{Code: code, Name: "Warehouse " + code})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustCostCenter(t *testing.T, s *Store, code string) ledger.CostCenter {
	t.Helper()
	c, err := s.CreateCostCenter(ledger.CostCenter{Code: code, Name: "Cost center " + code})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestShops(t *testing.T) {
	s := openTest(t)
	w := mustWarehouse(t, s, "MAIN")
	c := mustCostCenter(t, s, "WEB")

	before := time.Now().UTC()
	a := mustShop(t, s, ledger.Shop{Name: "  Alpha Shop ", URL: "https://alpha.example.test", Warehouse: w.ID, CostCenter: c.ID})
	if a.ID != 1 || a.Name != "Alpha Shop" || a.Created.Before(before) || a.Created.Location() != time.UTC {
		t.Errorf("created %+v", a)
	}
	created := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	b := mustShop(t, s, ledger.Shop{Name: "Beta", Created: created, SyncMode: ledger.SyncWebhook})
	if b.ID != 2 || !b.Created.Equal(created) {
		t.Errorf("created %+v", b)
	}

	for _, tc := range []struct {
		name string
		shop ledger.Shop
		want error
	}{
		{"same name other case", ledger.Shop{Name: "ALPHA shop"}, ErrDuplicate},
		{"same name with spaces", ledger.Shop{Name: " beta "}, ErrDuplicate},
		{"no such warehouse", ledger.Shop{Name: "Gamma", Warehouse: 99}, ErrNotFound},
		{"no such cost center", ledger.Shop{Name: "Gamma", CostCenter: 99}, ErrNotFound},
		{"empty name", ledger.Shop{Name: "  "}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateShop(tc.shop)
			if err == nil {
				t.Fatal("CreateShop succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("CreateShop: %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := s.CreateShop(ledger.Shop{Name: "Alpha"}); err != nil {
		t.Errorf("a name that only starts like another one: %v", err)
	}

	got, err := s.ShopByName("alpha SHOP")
	if err != nil || got.ID != a.ID || got.Warehouse != w.ID || got.CostCenter != c.ID {
		t.Errorf("ShopByName = %+v, %v", got, err)
	}
	if _, err := s.ShopByName("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ShopByName(nope): %v", err)
	}
	if _, err := s.Shop(42); !errors.Is(err, ErrNotFound) {
		t.Errorf("Shop(42): %v", err)
	}

	// Edit: rename to its own name in another case is fine, to another's is not.
	a.Name = "ALPHA SHOP"
	a.Created = time.Time{}
	if err := s.UpdateShop(a); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Shop(a.ID); got.Name != "ALPHA SHOP" || got.Created.IsZero() {
		t.Errorf("after rename %+v (Created must be kept)", got)
	}
	a.Name = "Beta"
	if err := s.UpdateShop(a); !errors.Is(err, ErrDuplicate) {
		t.Errorf("rename to Beta: %v", err)
	}
	if err := s.UpdateShop(ledger.Shop{ID: 77, Name: "Ghost"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing shop: %v", err)
	}

	shops, err := s.Shops()
	if err != nil {
		t.Fatal(err)
	}
	var ids []ledger.ShopID
	for _, sh := range shops {
		ids = append(ids, sh.ID)
	}
	if len(ids) != 3 || ids[0] != 1 || ids[1] != 2 || ids[2] != 3 {
		t.Errorf("Shops() ids = %v", ids)
	}

	if err := s.DeleteShop(b.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Shop(b.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted shop: %v", err)
	}
	if err := s.DeleteShop(b.ID, false); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	// IDs are never reused.
	if d := mustShop(t, s, ledger.Shop{Name: "Beta"}); d.ID != 4 {
		t.Errorf("new shop after a delete got ID %d, want 4", d.ID)
	}
}

// codedAPI lets one test cover warehouses and cost centers.
type codedAPI struct {
	noun   string
	create func(s *Store, code, name string) (uint64, error)
	update func(s *Store, id uint64, code, name string) error
	delete func(s *Store, id uint64) error
	get    func(s *Store, id uint64) (code, name string, err error)
	byCode func(s *Store, code string) (uint64, error)
	list   func(s *Store) ([]string, error)
	assign func(sh *ledger.Shop, id uint64)
}

var codedAPIs = []codedAPI{
	{
		noun: "warehouse",
		create: func(s *Store, code, name string) (uint64, error) {
			w, err := s.CreateWarehouse(ledger.Warehouse{Code: code, Name: name})
			return uint64(w.ID), err
		},
		update: func(s *Store, id uint64, code, name string) error {
			return s.UpdateWarehouse(ledger.Warehouse{ID: ledger.WarehouseID(id), Code: code, Name: name})
		},
		delete: func(s *Store, id uint64) error { return s.DeleteWarehouse(ledger.WarehouseID(id)) },
		get: func(s *Store, id uint64) (string, string, error) {
			w, err := s.Warehouse(ledger.WarehouseID(id))
			return w.Code, w.Name, err
		},
		byCode: func(s *Store, code string) (uint64, error) {
			w, err := s.WarehouseByCode(code)
			return uint64(w.ID), err
		},
		list: func(s *Store) ([]string, error) {
			all, err := s.Warehouses()
			var codes []string
			for _, w := range all {
				codes = append(codes, w.Code)
			}
			return codes, err
		},
		assign: func(sh *ledger.Shop, id uint64) { sh.Warehouse = ledger.WarehouseID(id) },
	},
	{
		noun: "cost center",
		create: func(s *Store, code, name string) (uint64, error) {
			c, err := s.CreateCostCenter(ledger.CostCenter{Code: code, Name: name})
			return uint64(c.ID), err
		},
		update: func(s *Store, id uint64, code, name string) error {
			return s.UpdateCostCenter(ledger.CostCenter{ID: ledger.CostCenterID(id), Code: code, Name: name})
		},
		delete: func(s *Store, id uint64) error { return s.DeleteCostCenter(ledger.CostCenterID(id)) },
		get: func(s *Store, id uint64) (string, string, error) {
			c, err := s.CostCenter(ledger.CostCenterID(id))
			return c.Code, c.Name, err
		},
		byCode: func(s *Store, code string) (uint64, error) {
			c, err := s.CostCenterByCode(code)
			return uint64(c.ID), err
		},
		list: func(s *Store) ([]string, error) {
			all, err := s.CostCenters()
			var codes []string
			for _, c := range all {
				codes = append(codes, c.Code)
			}
			return codes, err
		},
		assign: func(sh *ledger.Shop, id uint64) { sh.CostCenter = ledger.CostCenterID(id) },
	},
}

func TestWarehousesAndCostCenters(t *testing.T) {
	for _, api := range codedAPIs {
		t.Run(api.noun, func(t *testing.T) {
			s := openTest(t)
			main, err := api.create(s, " MAIN ", " Main store ")
			if err != nil {
				t.Fatal(err)
			}
			if code, name, err := api.get(s, main); err != nil || code != "MAIN" || name != "Main store" {
				t.Errorf("get = %q, %q, %v (want trimmed)", code, name, err)
			}
			second, err := api.create(s, "SOF", "Sofia")
			if err != nil {
				t.Fatal(err)
			}
			if main != 1 || second != 2 {
				t.Errorf("ids %d, %d", main, second)
			}

			for _, tc := range []struct {
				name, code, label string
				want              error
			}{
				{"duplicate code other case", "main", "Other", ErrDuplicate},
				{"duplicate code with spaces", " sof ", "Other", ErrDuplicate},
				{"no code", "  ", "Name", nil},
				{"no name", "NEW", " ", nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := api.create(s, tc.code, tc.label)
					if err == nil {
						t.Fatal("create succeeded")
					}
					if tc.want != nil && !errors.Is(err, tc.want) {
						t.Errorf("create: %v, want %v", err, tc.want)
					}
				})
			}
			if _, err := api.create(s, "NEW", " "); err == nil || err.Error() != "create "+api.noun+": "+api.noun+" name is required" {
				t.Errorf("missing name message: %v", err)
			}

			if id, err := api.byCode(s, "sof"); err != nil || id != second {
				t.Errorf("byCode(sof) = %d, %v", id, err)
			}
			var nf *NotFoundError
			if _, err := api.byCode(s, "VAR"); !errors.Is(err, ErrNotFound) || !errors.As(err, &nf) || nf.Name != "VAR" || nf.Kind.String() != api.noun {
				t.Errorf("byCode(VAR): %v", err)
			}
			var dup *DuplicateError
			if _, err := api.create(s, "main", "Other"); !errors.As(err, &dup) || dup.Value != "main" || dup.Other != "Main store" || dup.Kind.String() != api.noun {
				t.Errorf("duplicate: %v", err)
			}

			// Edit.
			if err := api.update(s, second, "sof", "Sofia centre"); err != nil {
				t.Errorf("update keeping own code in other case: %v", err)
			}
			if err := api.update(s, second, "Main", "x"); !errors.Is(err, ErrDuplicate) {
				t.Errorf("update to another's code: %v", err)
			}
			if err := api.update(s, second, "SOF", ""); err == nil {
				t.Error("update to an empty name succeeded")
			}
			if err := api.update(s, 99, "X", "Y"); !errors.Is(err, ErrNotFound) {
				t.Errorf("update of a missing one: %v", err)
			}
			if code, name, _ := api.get(s, second); code != "sof" || name != "Sofia centre" {
				t.Errorf("after update %q %q", code, name)
			}

			// Remove: refused while shops use it, naming them.
			for _, name := range []string{"Alpha", "Beta"} {
				sh := ledger.Shop{Name: name}
				api.assign(&sh, main)
				mustShop(t, s, sh)
			}
			err = api.delete(s, main)
			var inUse *InUseError
			if !errors.As(err, &inUse) {
				t.Fatalf("delete of a used one: %v, want *InUseError", err)
			}
			if inUse.Kind.String() != api.noun || inUse.Code != "MAIN" || !slices.Equal(inUse.Shops, []string{"Alpha", "Beta"}) {
				t.Errorf("in use: %+v", *inUse)
			}
			if want := api.noun + ` "MAIN" is used by shops "Alpha", "Beta"`; err.Error() != want {
				t.Errorf("message %q, want %q", err.Error(), want)
			}
			alpha, _ := s.ShopByName("alpha")
			api.assign(&alpha, second)
			if err := s.UpdateShop(alpha); err != nil {
				t.Fatal(err)
			}
			if err := api.delete(s, main); err == nil || err.Error() != api.noun+` "MAIN" is used by shop "Beta"` {
				t.Errorf("delete used by one shop: %v", err)
			}
			if err := s.DeleteShop(2, true); err != nil {
				t.Fatal(err)
			}
			if err := api.delete(s, main); err != nil {
				t.Fatalf("delete of an unused one: %v", err)
			}
			if _, _, err := api.get(s, main); !errors.Is(err, ErrNotFound) {
				t.Errorf("get after delete: %v", err)
			}
			if err := api.delete(s, main); !errors.Is(err, ErrNotFound) {
				t.Errorf("second delete: %v", err)
			}
			if codes, err := api.list(s); err != nil || len(codes) != 1 || codes[0] != "sof" {
				t.Errorf("list = %v, %v", codes, err)
			}
			// The code is free again.
			if _, err := api.create(s, "MAIN", "Main again"); err != nil {
				t.Errorf("re-create after delete: %v", err)
			}
		})
	}
}

func TestDeleteShopKeepOrDropOrders(t *testing.T) {
	s := openTest(t)
	g := newOrderGen(7)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	keep := mustShop(t, s, ledger.Shop{Name: "Keep"})
	drop := mustShop(t, s, ledger.Shop{Name: "Drop"})
	other := mustShop(t, s, ledger.Shop{Name: "Other"})
	for _, sh := range []ledger.Shop{keep, drop, other} {
		orders := g.orders(sh.ID, 1, 30, start, time.Hour)
		if _, err := s.ApplyOrders(sh.ID, orders, ledger.SourcePoll, start); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkDeleted(ledger.OrderKey{Shop: sh.ID, ID: 3}, ledger.SourceWebhook, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}

	if err := s.DeleteShop(keep.ID, true); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountOrders(OrderFilter{Shop: keep.ID}); n != 30 {
		t.Errorf("kept orders: %d, want 30", n)
	}
	if o, err := s.Order(ledger.OrderKey{Shop: keep.ID, ID: 5}); err != nil || len(o.Raw) == 0 {
		t.Errorf("kept order: %v (raw %d bytes)", err, len(o.Raw))
	}
	if h, err := s.History(ledger.OrderKey{Shop: keep.ID, ID: 3}); err != nil || len(h) != 2 {
		t.Errorf("kept history: %v, %v", h, err)
	}
	if st, _ := s.SyncState(keep.ID); !st.Cursor.IsZero() {
		t.Errorf("sync state of a deleted shop: %+v", st)
	}
	if _, err := s.ApplyOrders(keep.ID, g.orders(keep.ID, 100, 1, start, 0), ledger.SourcePoll, time.Time{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("apply for a deleted shop: %v", err)
	}

	if err := s.DeleteShop(drop.ID, false); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountOrders(OrderFilter{Shop: drop.ID}); n != 0 {
		t.Errorf("dropped shop still lists %d orders", n)
	}
	if n, _ := s.CountOrders(OrderFilter{}); n != 60 {
		t.Errorf("all orders: %d, want 60", n)
	}
	if _, err := s.Order(ledger.OrderKey{Shop: drop.ID, ID: 5}); !errors.Is(err, ErrNotFound) {
		t.Errorf("dropped order: %v", err)
	}
	if _, err := s.History(ledger.OrderKey{Shop: drop.ID, ID: 3}); !errors.Is(err, ErrNotFound) {
		t.Errorf("dropped history: %v", err)
	}
	// Nothing of the dropped shop is left in any bucket.
	if n := countPrefix(t, s, u64(uint64(drop.ID))); n != 0 {
		t.Errorf("%d entries of the dropped shop left", n)
	}
	// The shop after it is untouched.
	if n, _ := s.CountOrders(OrderFilter{Shop: other.ID}); n != 30 {
		t.Errorf("other shop: %d orders, want 30", n)
	}
	if h, err := s.History(ledger.OrderKey{Shop: other.ID, ID: 3}); err != nil || len(h) != 2 {
		t.Errorf("other shop's history: %v, %v", h, err)
	}
	if st, _ := s.SyncState(other.ID); !st.Cursor.Equal(start) {
		t.Errorf("other shop's cursor: %v", st.Cursor)
	}
}
