package store

import (
	"errors"
	"testing"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// TestShopAddedOnce: a second shop with the same address, however it is
// written, is refused on create and on edit, naming the shop that has it.
func TestShopAddedOnce(t *testing.T) {
	s := openTest(t)
	first := mustShop(t, s, ledger.Shop{Name: "First", URL: "https://Shop.example:443/store/"})
	other := mustShop(t, s, ledger.Shop{Name: "Other", URL: "https://other.example"})
	for _, c := range []struct {
		url  string
		same bool
	}{
		{"https://shop.example/store", true},
		{"https://SHOP.EXAMPLE/store/", true},
		{"https://shop.example:443/store", true},
		{"shop.example/store", true}, // as typed without a scheme: https
		{" https://shop.example/store// ", true},
		{"https://shop.example/store?x=1#top", true},
		{"https://shop.example/Store", false}, // paths are case-sensitive
		{"https://shop.example", false},
		{"https://shop.example/store/sub", false},
		{"http://shop.example/store", false},
		{"https://shop.example:8443/store", false},
		{"https://www.shop.example/store", false},
	} {
		t.Run(c.url, func(t *testing.T) {
			_, err := s.CreateShop(ledger.Shop{Name: "Second", URL: c.url})
			var dup *DuplicateError
			if got := errors.As(err, &dup); got != c.same {
				t.Fatalf("create: %v, want duplicate %v", err, c.same)
			}
			if c.same {
				if !dup.URL || dup.Other != "First" || !errors.Is(err, ErrDuplicate) {
					t.Errorf("duplicate %+v", *dup)
				}
				if err := s.CheckShop(ledger.Shop{URL: c.url}, 0); !errors.As(err, &dup) {
					t.Errorf("CheckShop: %v", err)
				}
				if err := s.CheckShop(ledger.Shop{URL: c.url}, first.ID); err != nil {
					t.Errorf("CheckShop of the shop itself: %v", err)
				}
				ed := other
				ed.URL = c.url
				if err := s.UpdateShop(ed); !errors.As(err, &dup) || dup.Other != "First" {
					t.Errorf("edit to the same address: %v", err)
				}
				return
			}
			sh, _ := s.ShopByName("Second")
			if err := s.DeleteShop(sh.ID, false); err != nil {
				t.Fatal(err)
			}
		})
	}
	// Its own address, written differently, is no conflict when editing.
	first.URL = "https://shop.example/store"
	if err := s.UpdateShop(first); err != nil {
		t.Errorf("edit of its own address: %v", err)
	}
	// A name is caught on its own, before an address is entered.
	var dup *DuplicateError
	if err := s.CheckShop(ledger.Shop{Name: " first "}, 0); !errors.As(err, &dup) || dup.URL || dup.Other != "First" {
		t.Errorf("CheckShop(name): %v", err)
	}
	if err := s.CheckShop(ledger.Shop{Name: "Third", URL: "https://third.example"}, 0); err != nil {
		t.Errorf("CheckShop(new): %v", err)
	}
}
