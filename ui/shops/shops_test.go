package shops

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// shell stands in for the window: it hosts the screen, hands it the books
// as the window's reload does, and notes what the screen tells it.
type shell struct {
	t    testing.TB
	win  fyne.Window
	br   *bridge.Bridge
	b    *books.Books
	page *Page

	syncErrs map[ledger.ShopID]error // as the window keeps this session's
	status   string                  // the status line's last sentence
	failed   bool                    // whether it was shown as a problem
	added    []ledger.Shop           // ShopAdded
	removed  map[ledger.ShopID]bool  // ShopRemoved: whether the orders were kept
	// corrected counts OrdersCorrected.
	corrected int
}

func (s *shell) Window() fyne.Window    { return s.win }
func (s *shell) Bridge() *bridge.Bridge { return s.br }
func (s *shell) Now() time.Time         { return uitest.Now }
func (s *shell) StatusBusy(text string) { s.status, s.failed = text, false }
func (s *shell) StatusDone(text string, failed bool) {
	s.status, s.failed = text, failed
}
func (s *shell) ShopAdded(sh ledger.Shop) { s.added = append(s.added, sh); s.Reload() }
func (s *shell) ShopRemoved(id ledger.ShopID, kept bool) {
	s.removed[id] = kept
}
func (s *shell) OrdersCorrected() { s.corrected++ }

// Reload is the window's reload: the snapshot, then the screen's Show.
func (s *shell) Reload() {
	s.t.Helper()
	snap := Snapshot{States: map[ledger.ShopID]ledger.SyncState{}, SyncErrs: s.syncErrs}
	var err error
	if snap.Shops, err = s.b.Shops(); err != nil {
		s.t.Fatal(err)
	}
	for _, sh := range snap.Shops {
		if snap.States[sh.ID], err = s.b.SyncState(sh.ID); err != nil {
			s.t.Fatal(err)
		}
	}
	if snap.Warehouses, err = s.b.Warehouses(); err != nil {
		s.t.Fatal(err)
	}
	if snap.CostCenters, err = s.b.CostCenters(); err != nil {
		s.t.Fatal(err)
	}
	s.page.Show(snap)
}

// syncAll syncs every shop, as the engine's pass would, and keeps the
// failures as the window does.
func (s *shell) syncAll() {
	s.t.Helper()
	results, err := s.b.SyncAll(context.Background(), nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			s.syncErrs[r.Shop.ID] = r.Err
		}
	}
	s.Reload()
}

// openPage shows the screen over b in a window of its own, in English, as
// the window has it after its first reload; its background work runs when
// the test drains j.
func openPage(t *testing.T, b *books.Books) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	uitest.English(t)
	j := &uitest.Jobs{}
	ctx, cancel := context.WithCancel(context.Background())
	s := &shell{t: t, win: test.NewWindow(nil), br: bridge.New(ctx, j.Run), b: b,
		syncErrs: map[ledger.ShopID]error{}, removed: map[ledger.ShopID]bool{}}
	s.page = New(s, b, nil)
	s.win.SetContent(s.page.Content())
	s.win.Resize(fyne.NewSize(1180, 720))
	t.Cleanup(func() {
		cancel()
		j.Drain(t)
		s.br.Stop()
		s.win.Close()
	})
	s.Reload()
	return s.page, s, j
}

// startShopWith serves a simulated shop on loopback, over TLS if asked.
func startShopWith(t testing.TB, o woosim.Options, useTLS bool) *woosim.Server {
	t.Helper()
	srv, err := woosim.Start(o, useTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// seedCatalog makes the MAIN warehouse and WEB cost center.
func seedCatalog(t testing.TB, b *books.Books) (ledger.Warehouse, ledger.CostCenter) {
	t.Helper()
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"})
	if err != nil {
		t.Fatal(err)
	}
	return wh, cc
}

// storeOrders lists what the books hold under a filter, newest first.
func storeOrders(t testing.TB, b *books.Books, f store.OrderFilter) []ledger.Order {
	t.Helper()
	var out []ledger.Order
	if err := b.EachOrder(f, func(o *ledger.Order) error { out = append(out, *o); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

var typeInto = uitest.TypeInto

// TestShopsPageShowsState lists two shops after a sync in which one of
// them failed: the good one shows its mode and when it last synced, the
// other what went wrong, in plain words.
func TestShopsPageShowsState(t *testing.T) {
	b := uitest.OpenBooks(t)
	good := uitest.AddShop(t, b, "Demo shop", uitest.StartShop(t, 5))
	bad := uitest.AddShop(t, b, "Outlet", uitest.StartShop(t, 5))
	if err := secrets.SaveShop(b.Secrets, bad.ID, secrets.Credentials{Key: woosim.DefaultKey, Secret: "cs_changed"}); err != nil {
		t.Fatal(err)
	}
	p, s, _ := openPage(t, b)
	s.syncAll()

	st, _ := b.SyncState(good.ID)
	c := p.Card("Demo shop")
	if c.Mode.Text != "Sync: Every hour" || c.Sync.Text != "Last successful sync: "+i18n.DateTime(st.LastSuccess) || c.Problem.Visible() {
		t.Errorf("Demo shop card: %q / %q / problem %v", c.Mode.Text, c.Sync.Text, c.Problem.Visible())
	}
	c = p.Card("Outlet")
	if c.Sync.Text != "Not synced yet" || !c.Problem.Visible() || !strings.HasPrefix(c.Problem.Text, "Last sync failed: The consumer secret does not match the key.") {
		t.Errorf("Outlet card: %q / %q", c.Sync.Text, c.Problem.Text)
	}

	// In a new session only the stored text of the error is known: the
	// card still says plainly that the sync failed, with the detail under it.
	c = newCard(p, bad, ledger.SyncState{LastAttempt: uitest.Now, LastError: "sync Outlet: list orders: auth"}, nil)
	if c.Problem.Text != "The sync of 2026-11-27 16:02 failed. Press Sync now to try again." || c.Detail.Text != "sync Outlet: list orders: auth" {
		t.Errorf("stored failure reads %q / %q", c.Problem.Text, c.Detail.Text)
	}
}

// TestEditShop renames a shop, books it under another warehouse and
// switches it to webhooks.
func TestEditShop(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh := uitest.AddShop(t, b, "Demo shop", uitest.StartShop(t, 3))
	other, err := b.CreateWarehouse(ledger.Warehouse{Code: "EAST", Name: "East"})
	if err != nil {
		t.Fatal(err)
	}
	p, s, j := openPage(t, b)
	s.syncAll()

	test.Tap(p.Card("Demo shop").Edit)
	e := p.editor
	if e.name.Text != "Demo shop" || e.warehouse.Select.Selected != "MAIN — Main warehouse" || e.mode.Selected != "Every hour" {
		t.Fatalf("the editor starts with %q / %q / %q", e.name.Text, e.warehouse.Select.Selected, e.mode.Selected)
	}
	typeInto(e.name, "")
	test.Tap(e.save)
	if e.problem.Text != "The shop needs a name." || j.Pending() != 0 {
		t.Errorf("saving without a name: %q", e.problem.Text)
	}
	typeInto(e.name, "Demo shop BG")
	e.warehouse.Choose(uint64(other.ID))
	e.mode.SetSelected("Webhooks, with a nightly catch-up")
	test.Tap(e.save)
	j.Drain(t)

	got, err := b.Shop(sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Demo shop BG" || got.Warehouse != other.ID || got.SyncMode != ledger.SyncWebhook || got.URL != sh.URL || got.Dialect == "" {
		t.Errorf("stored shop = %+v", got)
	}
	if p.editor != nil || p.Card("Demo shop BG") == nil {
		t.Error("the page does not show the renamed shop")
	}
	// Orders already imported keep their warehouse.
	if o := storeOrders(t, b, store.OrderFilter{})[0]; o.Warehouse == other.ID {
		t.Error("editing the shop reassigned its imported orders")
	}
}

// TestRemoveShopTellsTheShell: a card's Remove keeps the orders by
// default, removes the shop and its keys, and tells the shell whether the
// orders stayed; the page no longer lists it.
func TestRemoveShopTellsTheShell(t *testing.T) {
	b := uitest.OpenBooks(t)
	keep := uitest.AddShop(t, b, "Demo shop", uitest.StartShop(t, 2))
	drop := uitest.AddShop(t, b, "Outlet", uitest.StartShop(t, 2))
	p, s, j := openPage(t, b)

	test.Tap(p.Card("Demo shop").Remove)
	if r := p.Removal(); r == nil || !r.Keep.Checked {
		t.Fatal("Remove did not ask, or would not keep the orders by default")
	}
	test.Tap(p.Removal().Remove)
	j.Drain(t)
	test.Tap(p.Card("Outlet").Remove)
	test.Tap(p.Removal().Keep)
	test.Tap(p.Removal().Remove)
	j.Drain(t)

	if kept, told := s.removed[keep.ID]; !told || !kept {
		t.Errorf("the shell heard of Demo shop: told %v, kept %v", told, kept)
	}
	if kept, told := s.removed[drop.ID]; !told || kept {
		t.Errorf("the shell heard of Outlet: told %v, kept %v", told, kept)
	}
	if p.Removal() != nil || p.Card("Demo shop") != nil || p.Card("Outlet") != nil || !p.none.Visible() {
		t.Error("the page still lists a removed shop")
	}
	if _, err := secrets.LoadShop(b.Secrets, keep.ID); err == nil {
		t.Error("the shop's keys are still in the keyring")
	}
}

// TestReplaceKeys: Edit shop → Replace keys keeps new keys only once the
// shop accepts them (issue 12, 8): refused keys leave the old ones, with
// the shop's reason; accepted ones replace them.
func TestReplaceKeys(t *testing.T) {
	b := uitest.OpenBooks(t)
	sh := uitest.AddShop(t, b, "Demo shop", uitest.StartShop(t, 2))
	// The keyring lost the right keys: these are what the shop revoked.
	revoked := secrets.Credentials{Key: "ck_revoked", Secret: "cs_revoked"}
	if err := secrets.SaveShop(b.Secrets, sh.ID, revoked); err != nil {
		t.Fatal(err)
	}
	p, s, j := openPage(t, b)
	s.syncAll()
	test.Tap(p.Card("Demo shop").Edit)
	e := p.editor

	typeInto(e.key, "ck_wrong")
	typeInto(e.secret, "cs_wrong")
	test.Tap(e.replace)
	j.Drain(t)
	if e.keysNote.Importance != widget.DangerImportance || !strings.Contains(e.keysNote.Text, "key") {
		t.Errorf("wrong keys: the note says %q", e.keysNote.Text)
	}
	t.Logf("wrong keys: %s", e.keysNote.Text)
	if got, _ := secrets.LoadShop(b.Secrets, sh.ID); got != revoked {
		t.Fatalf("refused keys were kept: %v", got)
	}

	typeInto(e.key, woosim.DefaultKey)
	typeInto(e.secret, woosim.DefaultSecret)
	test.Tap(e.replace)
	j.Drain(t)
	if e.keysNote.Text != "The shop accepted the new keys; ShopLedger uses them from now on." || e.key.Text != "" {
		t.Errorf("good keys: the note says %q, key field %q", e.keysNote.Text, e.key.Text)
	}
	if got, _ := secrets.LoadShop(b.Secrets, sh.ID); got.Key != woosim.DefaultKey || got.Secret != woosim.DefaultSecret {
		t.Fatalf("accepted keys not kept: %v", got)
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Errorf("sync with the new keys: %v", err)
	}
}

// TestScheduleNames: how each mode reads on the Shops page.
func TestScheduleNames(t *testing.T) {
	uitest.English(t)
	poll := ledger.Shop{SyncMode: ledger.SyncPoll}
	hook := ledger.Shop{SyncMode: ledger.SyncWebhook, CatchUpAt: "03:30"}
	ten := ledger.Shop{SyncMode: ledger.SyncPoll, PollInterval: 10 * time.Minute}
	for _, c := range []struct {
		sh   ledger.Shop
		st   ledger.SyncState
		want string
	}{
		{poll, ledger.SyncState{}, "Every hour"},
		{ten, ledger.SyncState{}, "Every 10 minutes"},
		{hook, ledger.SyncState{}, "Webhooks, with a nightly catch-up at 03:30"},
		{hook, ledger.SyncState{Fallback: "silent"}, "Every hour for now, because the webhooks are not working"},
	} {
		if got := scheduleName(c.sh, c.st); got != c.want {
			t.Errorf("scheduleName(%+v, %+v) = %q, want %q", c.sh, c.st, got, c.want)
		}
	}
}

// TestReplaceKeysWarns: keys the shop accepts with a warning are kept, and
// Edit shop says what the test warned of, as the wizard does (issue 12,
// 8): a read-only key syncs but cannot register webhooks.
func TestReplaceKeysWarns(t *testing.T) {
	b := uitest.OpenBooks(t)
	srv := startShopWith(t, woosim.Options{Orders: 2, Seed: 1, ReadOnlyKey: "ck_readonly", ReadOnlySecret: "cs_readonly"}, false)
	sh := uitest.AddShop(t, b, "Demo shop", srv)
	p, _, j := openPage(t, b)
	test.Tap(p.Card("Demo shop").Edit)
	e := p.editor

	typeInto(e.key, "ck_readonly")
	typeInto(e.secret, "cs_readonly")
	test.Tap(e.replace)
	j.Drain(t)
	if e.keysNote.Importance != widget.SuccessImportance {
		t.Fatalf("a read-only key: the note says %q", e.keysNote.Text)
	}
	want := books.ProblemSentence(woo.Problem{Code: woo.ProblemReadOnly})
	if !e.keysWarn.Visible() || e.keysWarn.Text != want || e.keysWarn.Importance != widget.WarningImportance {
		t.Errorf("the warning reads %q (shown %v), want %q", e.keysWarn.Text, e.keysWarn.Visible(), want)
	}
	if got, _ := secrets.LoadShop(b.Secrets, sh.ID); got.Key != "ck_readonly" {
		t.Errorf("the accepted key was not kept: %q", got.Key)
	}

	// Keys without a warning clear it.
	typeInto(e.key, woosim.DefaultKey)
	typeInto(e.secret, woosim.DefaultSecret)
	test.Tap(e.replace)
	j.Drain(t)
	if e.keysWarn.Visible() {
		t.Errorf("the read-only warning stays for a read/write key: %q", e.keysWarn.Text)
	}
}
