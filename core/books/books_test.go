package books_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

func openBooks(t *testing.T) *books.Books {
	t.Helper()
	b, err := books.Open(t.TempDir(), secrets.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func catalog(t *testing.T, b *books.Books) (ledger.WarehouseID, ledger.CostCenterID) {
	t.Helper()
	w, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	return w.ID, c.ID
}

func TestAddShopValidates(t *testing.T) {
	b := openBooks(t)
	_, err := b.AddShop(books.NewShop{URL: "ftp://x"})
	var ie *books.InputError
	if !errors.As(err, &ie) || len(ie.Problems) != 5 {
		t.Fatalf("AddShop(empty) = %v, want five problems (name, url, keys, warehouse, cost center)", err)
	}
}

// TestAddShopKeepsNothingWithoutKeyring: when the keyring refuses the keys,
// the shop must not be left behind without credentials.
func TestAddShopKeepsNothingWithoutKeyring(t *testing.T) {
	b := openBooks(t)
	wh, cc := catalog(t, b)
	b.Secrets.(*secrets.Memory).Fail(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	_, err := b.AddShop(books.NewShop{Name: "S", URL: "https://s.example", Key: "ck", Secret: "cs", Warehouse: wh, CostCenter: cc})
	var ue *secrets.UnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want keyring unavailable", err)
	}
	if msg := books.UserMessage(err); !strings.Contains(msg, "keyring") {
		t.Errorf("user message %q does not mention the keyring", msg)
	}
	shops, _ := b.Shops()
	if len(shops) != 0 {
		t.Fatalf("a shop without credentials was kept: %+v", shops)
	}
}

// TestSyncJoinsRunningPass starts several syncs of one shop at once: one
// pass runs, the others wait for it and get its result.
func TestSyncJoinsRunningPass(t *testing.T) {
	b := openBooks(t)
	wh, cc := catalog(t, b)
	srv, err := woosim.Start(woosim.Options{Orders: 300, Seed: 5}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	firstPage := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	results := make([]syncer.Result, 3)
	errs := make([]error, 3)
	wg.Add(1)
	go func() {
		defer wg.Done()
		results[0], errs[0] = b.Sync(context.Background(), sh.ID, func(syncer.Progress) {
			once.Do(func() { close(firstPage); <-release })
		})
	}()
	<-firstPage // the first pass is running
	for i := 1; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], errs[i] = b.Sync(context.Background(), sh.ID, nil) }()
	}
	close(release)
	wg.Wait()
	for i := range 3 {
		if errs[i] != nil || results[i].New != 300 {
			t.Errorf("sync %d: %+v, %v; want the one pass's 300 new orders", i, results[i].ApplyResult, errs[i])
		}
	}
	n, _ := b.CountOrders(store.OrderFilter{Shop: sh.ID})
	if n != 300 {
		t.Errorf("store holds %d orders", n)
	}
}

// TestSyncJoinerLeaves: a caller joining a running pass stops waiting
// when its own ctx ends; the pass goes on for the first caller.
func TestSyncJoinerLeaves(t *testing.T) {
	b := openBooks(t)
	wh, cc := catalog(t, b)
	srv, err := woosim.Start(woosim.Options{Orders: 150, Seed: 5}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	firstPage := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	type outcome struct {
		res syncer.Result
		err error
	}
	first := make(chan outcome, 1)
	go func() {
		res, err := b.Sync(context.Background(), sh.ID, func(syncer.Progress) {
			once.Do(func() { close(firstPage); <-release })
		})
		first <- outcome{res, err}
	}()
	<-firstPage
	ctx, cancel := context.WithCancel(context.Background())
	joined := make(chan error, 1)
	go func() {
		_, err := b.Sync(ctx, sh.ID, nil)
		joined <- err
	}()
	cancel()
	select {
	case err := <-joined:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("joiner after its cancel: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the joiner kept waiting after its ctx ended")
	}
	close(release)
	if o := <-first; o.err != nil || o.res.New != 150 {
		t.Errorf("first caller: %+v, %v; want 150 new", o.res.ApplyResult, o.err)
	}
}

func TestSyncReportsMissingKeys(t *testing.T) {
	b := openBooks(t)
	wh, cc := catalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "S", URL: "https://s.example", Key: "ck", Secret: "cs", Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	secrets.DeleteShop(b.Secrets, sh.ID)
	_, err = b.Sync(context.Background(), sh.ID, nil)
	if !errors.Is(err, secrets.ErrNotFound) || !strings.Contains(books.UserMessage(err), "missing from the keyring") {
		t.Fatalf("sync without keys: %v / %q", err, books.UserMessage(err))
	}
	st, _ := b.SyncState(sh.ID)
	if st.LastError == "" {
		t.Error("the missing keys are not recorded for the UI")
	}
}

func TestRemoveShopDeletesCredentials(t *testing.T) {
	b := openBooks(t)
	wh, cc := catalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "S", URL: "https://s.example", Key: "ck", Secret: "cs", Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.RemoveShop(sh.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.LoadShop(b.Secrets, sh.ID); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("credentials survive the shop: %v", err)
	}
}

// TestCheckShop is what the wizard asks step by step: a taken name before
// any address, then a taken address, each naming the shop that has it.
func TestCheckShop(t *testing.T) {
	b := openBooks(t)
	wh, cc := catalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "Alpha", URL: "alpha.example/shop", Key: "ck", Secret: "cs", Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	var dup *store.DuplicateError
	for _, c := range []struct {
		id        ledger.ShopID
		name, url string
		dup, url2 bool
	}{
		{0, "ALPHA", "", true, false},
		{0, "Beta", "", false, false},
		{0, "Beta", "https://ALPHA.example:443/shop/", true, true},
		{0, "Beta", "https://alpha.example/other", false, false},
		{sh.ID, "alpha", "https://alpha.example/shop", false, false}, // editing itself
	} {
		err := b.CheckShop(c.id, c.name, c.url)
		if errors.As(err, &dup) != c.dup || (c.dup && (dup.URL != c.url2 || dup.Other != "Alpha")) {
			t.Errorf("CheckShop(%d, %q, %q) = %v", c.id, c.name, c.url, err)
		}
	}
	if err := b.CheckShop(0, "Beta", "ftp://x"); books.UserMessage(err) != "Check the shop's address: the address must start with https:// or http://." {
		t.Errorf("CheckShop with a bad address: %v", err)
	}
}
