package ui

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
)

// openShell builds the shell over the books in dataDir as Main does and
// starts it, with the tests' sync in place of the engine: the windows'
// work runs on j, the shell's (opening, restoring) on js, so a restore can
// wait for the window's work as it does in the app.
func openShell(t *testing.T, dataDir string, sec secrets.Store) (*shell, *jobs, *jobs) {
	t.Helper()
	open := func(progress func(store.OpenProgress)) (session, error) {
		b, err := books.OpenWithProgress(dataDir, sec, progress)
		if err != nil {
			return session{}, err
		}
		bus := events.NewBus()
		return session{books: b, sync: newBooksSync(b, bus), bus: bus,
			backups: b.NewBackups(dataDir, backup.Options{}),
			close:   func() error { bus.Close(); return b.Close() }}, nil
	}
	return openShellWith(t, dataDir, func(fyne.App) opener { return open })
}

// openShellWith is openShell with the opener made by open (Main's, with
// an engine, in TestRestoreWithTheEngine).
func openShellWith(t *testing.T, dataDir string, open func(fyne.App) opener) (*shell, *jobs, *jobs) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	a := test.NewTempApp(t)
	setLanguage("en")
	t.Cleanup(func() { setLanguage("") })
	j, js := &jobs{}, &jobs{}
	s := newShell(a, dataDir, open(a), options{run: j.run, now: func() time.Time { return testNow }}, js.run)
	t.Cleanup(func() {
		if s.w != nil {
			s.w.cancel()
		}
		drainAll(t, j, js)
		s.stop()
		if err := s.close(); err != nil {
			t.Error(err)
		}
		s.win.Close()
	})
	s.start()
	drainAll(t, j, js)
	if s.w == nil {
		t.Fatalf("no window after start: %v", s.failure)
	}
	return s, j, js
}

// drainAll runs the windows' and the shell's work until none is left.
func drainAll(t *testing.T, j, js *jobs) {
	t.Helper()
	for j.pending()+js.pending() > 0 {
		j.drain(t)
		js.drain(t)
	}
}

// restorableBooks makes books in a data directory of their own with a
// shop of 30 synced orders, backs them up, then removes the shop with its
// orders and adds a warehouse, and closes them.
func restorableBooks(t *testing.T) (dataDir, backupPath string, sec secrets.Store) {
	t.Helper()
	dataDir, sec = t.TempDir(), keepingKeys{secrets.NewMemory()}
	b, err := books.Open(dataDir, sec)
	if err != nil {
		t.Fatal(err)
	}
	sh := addShopDirectly(t, b, "Alpha", startShop(t, 30))
	if _, err := b.SyncAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	backupPath = filepath.Join(t.TempDir(), "friday.db")
	if err := b.BackupFile(backupPath); err != nil {
		t.Fatal(err)
	}
	if err := b.RemoveShop(sh.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CreateWarehouse(ledger.Warehouse{Code: "LATER", Name: "Added after the backup"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	return dataDir, backupPath, sec
}

// keepingKeys is a keyring that keeps a removed shop's API keys, so the
// shop restored from a backup syncs without entering them again.
type keepingKeys struct{ secrets.Store }

func (keepingKeys) Delete(string) error { return nil }

// overlayText is the texts of the window's top dialog.
func overlayText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var lines []string
	for _, o := range test.LaidOutObjects(top) {
		switch o := o.(type) {
		case *widget.Label:
			lines = append(lines, strings.ReplaceAll(o.Text, "\n", " "))
		case *widget.Button:
			lines = append(lines, o.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// tapDialog taps the button labelled text in the window's top dialog.
func tapDialog(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	if top := w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Text == text {
				test.Tap(b)
				return
			}
		}
	}
	t.Fatalf("no %q button in the dialog %q", text, overlayText(w))
}

// TestRestoreReplacesTheBooks: Settings → Restore… of a backup stops the
// window's work, closes the books, restores, opens them again and builds
// the window over them: the restored shop and its 30 orders show, the
// warehouse added after the backup is gone, the books before are kept
// beside them, and the window says so.
func TestRestoreReplacesTheBooks(t *testing.T) {
	dataDir, backupPath, sec := restorableBooks(t)
	s, j, js := openShell(t, dataDir, sec)
	old := s.w
	if len(old.shops) != 0 || !old.empty.content.Visible() {
		t.Fatalf("before: %d shops", len(old.shops))
	}
	old.tabs.SelectIndex(tabSettings)
	old.prefs.RestoreFrom(backupPath)
	drainAll(t, j, js)
	if got := overlayText(s.win); !strings.Contains(got, "The backup friday.db is sound: shops 1, orders 30.") {
		t.Fatalf("the question: %q", got)
	}
	tapDialog(t, s.win, "Restore")
	if !s.restoring || !strings.Contains(overlayText(s.win), "Restoring the books from friday.db…") {
		t.Fatalf("while restoring: %v, %q", s.restoring, overlayText(s.win))
	}
	drainAll(t, j, js)

	w := s.w
	if w == old || s.restoring {
		t.Fatal("the window was not built again")
	}
	if len(w.shops) != 1 || w.shops[0].Name != "Alpha" || w.orders.Count() != "30 orders" {
		t.Fatalf("after the restore: shops %v, %q", w.shops, w.orders.Count())
	}
	for _, wh := range w.warehouses {
		if wh.Code == "LATER" {
			t.Error("the warehouse added after the backup is still there")
		}
	}
	if w.tabs.SelectedIndex() != tabSettings {
		t.Errorf("tab %d after the restore, want the settings", w.tabs.SelectedIndex())
	}
	got := overlayText(s.win)
	for _, want := range []string{"The books were restored",
		"The books are now those of friday.db: shops 1, orders 30. The books as they were are kept as shopledger.db.before-restore in " + dataDir + "."} {
		if !strings.Contains(got, want) {
			t.Errorf("the window says %q, want %q", got, want)
		}
	}
	if strings.Contains(got, "Restoring the books") {
		t.Error("the restoring dialog stayed")
	}
	before, err := store.CheckFile(filepath.Join(dataDir, books.DBFile+store.BeforeRestoreSuffix))
	if err != nil || before.Shops != 0 || before.Orders != 0 {
		t.Errorf("the books before: %+v, %v", before, err)
	}
	// The new window works on the restored books: a sync of the shop.
	w.syncNow()
	drainAll(t, j, js)
	if !strings.HasPrefix(w.status.text(), "Alpha is up to date") {
		t.Errorf("status after a sync: %q", w.status.text())
	}
}

// TestRestoreWithTheEngine: the restore as the app runs it, with Main's
// opener: the engine over the books stops and a new one starts over the
// restored books, with its daily backup in the folder the Settings screen
// chose, and the window shows the restored shop and its orders.
func TestRestoreWithTheEngine(t *testing.T) {
	dataDir, backupPath, sec := restorableBooks(t)
	chosen := filepath.Join(t.TempDir(), "offsite")
	s, j, js := openShellWith(t, dataDir, func(a fyne.App) opener {
		newPrefs(a).SetBackupDir(chosen)
		return openWithEngine(a, dataDir, slog.New(slog.DiscardHandler), sec)
	})
	old := s.w
	if old.eng == nil || old.Backups() != old.eng.Backups || old.Backups().Dir() != chosen {
		t.Fatalf("the window's backups: %+v", old.Backups())
	}
	old.prefs.RestoreFrom(backupPath)
	drainAll(t, j, js)
	tapDialog(t, s.win, "Restore")
	deadline := time.Now().Add(60 * time.Second)
	for s.restoring || s.w.orders.Count() != "30 orders" {
		drainAll(t, j, js)
		s.w.br.Pump()
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for the restored books: restoring %v, %q", s.restoring, s.w.orders.Count())
		}
		time.Sleep(10 * time.Millisecond)
	}
	w := s.w
	if w == old || w.eng == nil || w.eng == old.eng || len(w.shops) != 1 || w.shops[0].Name != "Alpha" {
		t.Fatalf("after the restore: engine %p (was %p), shops %v", w.eng, old.eng, w.shops)
	}
	if w.Backups() != w.eng.Backups || w.Backups().Dir() != chosen {
		t.Errorf("the new engine backs up to %q, want %q", w.Backups().Dir(), chosen)
	}
	if n, err := w.eng.Books.CountOrders(store.OrderFilter{}); err != nil || n != 30 {
		t.Errorf("the new engine's books hold %d orders (%v)", n, err)
	}
	if _, err := old.eng.Books.CountOrders(store.OrderFilter{}); err == nil {
		t.Error("the old books are still open")
	}
}

// TestRestoreRefusesABadFile: a file that is not a ShopLedger database is
// refused in a sentence before anything stops, and the books, the window
// and the folder stay as they were.
func TestRestoreRefusesABadFile(t *testing.T) {
	dataDir, backupPath, sec := restorableBooks(t)
	s, j, js := openShell(t, dataDir, sec)
	// The books open with the backup's shop, so they differ from nothing.
	s.w.prefs.RestoreFrom(backupPath)
	drainAll(t, j, js)
	tapDialog(t, s.win, "Restore")
	drainAll(t, j, js)
	tapDialog(t, s.win, "OK")
	w, b := s.w, s.sess.books
	os.Remove(filepath.Join(dataDir, books.DBFile+store.BeforeRestoreSuffix))

	junk := filepath.Join(t.TempDir(), "shopledger-2026-12-04-030000.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("WooCommerce orders ", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	w.prefs.RestoreFrom(junk)
	drainAll(t, j, js)
	got := overlayText(s.win)
	if !strings.Contains(got, "This file is not a ShopLedger database. Choose a backup that ShopLedger made (shopledger-….db). Nothing was changed.") {
		t.Fatalf("refused with %q", got)
	}
	tapDialog(t, s.win, "OK")
	drainAll(t, j, js)
	if s.w != w || s.sess.books != b || s.restoring {
		t.Fatal("the books or the window were replaced")
	}
	if n, err := b.CountOrders(store.OrderFilter{}); err != nil || n != 30 || w.orders.Count() != "30 orders" {
		t.Errorf("after the refusal: %d orders (%v), list %q", n, err, w.orders.Count())
	}
	if _, err := os.Stat(filepath.Join(dataDir, books.DBFile+store.BeforeRestoreSuffix)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused file left a copy of the books: %v", err)
	}
}

// TestOpenShowing: "Preparing your books…" shows only when opening the
// books takes longer than the delay, and goes once the window is up.
func TestOpenShowing(t *testing.T) {
	t.Run("slow", func(t *testing.T) {
		br := bridge.New(context.Background(), nil) // real goroutines and timers
		defer br.Stop()
		shown, hidden, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		open := func() (int, error) {
			select { // as slow as it takes for the notice to show
			case <-shown:
				return 42, nil
			case <-time.After(30 * time.Second):
				return 0, errors.New("the notice never showed")
			}
		}
		openShowing(br, time.Millisecond, open, func() func() {
			close(shown)
			return func() { close(hidden) }
		}, func(v int, err error) {
			select {
			case <-hidden:
				err = errors.New("the notice went before the window came")
			default:
			}
			if err == nil && v != 42 {
				err = errors.New("wrong outcome")
			}
			done <- err
		})
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		select {
		case <-hidden:
		case <-time.After(30 * time.Second):
			t.Fatal("the notice stayed")
		}
	})
	t.Run("fast", func(t *testing.T) {
		br := bridge.New(context.Background(), nil)
		var shows int
		done := make(chan int, 1)
		openShowing(br, time.Hour, func() (int, error) { return 7, nil },
			func() func() { shows++; return func() {} },
			func(v int, err error) { done <- v })
		if v := <-done; v != 7 {
			t.Fatalf("outcome %d", v)
		}
		br.Stop() // drops the notice's timer
		if shows != 0 {
			t.Errorf("the notice showed %d times for a quick open", shows)
		}
	})
}

// TestPreparingNotice: while the books open, the notice says the step the
// core reports and how far it is, and it goes once the window is up. (The
// tests' bridge runs the notice's timer at once; TestOpenShowing times it.)
func TestPreparingNotice(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	a := test.NewTempApp(t)
	setLanguage("en")
	t.Cleanup(func() { setLanguage("") })
	dataDir := t.TempDir()
	j, js := &jobs{}, &jobs{}
	var s *shell
	var during []string
	open := func(progress func(store.OpenProgress)) (session, error) {
		for _, p := range []store.OpenProgress{
			{Step: store.StepSales, Done: 2048, Total: 5000},
			{Step: store.StepCompact, Done: 30000, Total: 40000},
		} {
			progress(p)
			n := s.notice
			if n == nil || !n.bar.Visible() || n.wait.Visible() {
				return session{}, errors.New("no notice with a progress bar while the books open")
			}
			during = append(during, n.step.Text+" "+strconv.Itoa(int(n.bar.Value*100))+" %")
		}
		b, err := books.Open(dataDir, secrets.NewMemory())
		if err != nil {
			return session{}, err
		}
		bus := events.NewBus()
		return session{books: b, sync: newBooksSync(b, bus), bus: bus,
			close: func() error { bus.Close(); return b.Close() }}, nil
	}
	s = newShell(a, dataDir, open, options{run: j.run, now: func() time.Time { return testNow }}, js.run)
	t.Cleanup(func() {
		drainAll(t, j, js)
		s.stop()
		if err := s.close(); err != nil {
			t.Error(err)
		}
		s.win.Close()
	})
	s.start()
	drainAll(t, j, js)
	if s.failure != nil || s.w == nil {
		t.Fatalf("start: %v", s.failure)
	}
	want := []string{"Adding up the sales of 5000 orders… 40 %", "Compacting the books… 75 %"}
	if strings.Join(during, "\n") != strings.Join(want, "\n") {
		t.Errorf("the notice said %q, want %q", during, want)
	}
	if s.notice != nil {
		t.Error("the notice stayed after the window came")
	}
	for _, w := range a.Driver().AllWindows() {
		if w.Content() != nil && strings.Contains(fmtTexts(w.Content()), "Preparing your books") {
			t.Error("the notice window is still open")
		}
	}
}

// fmtTexts is the labels' texts under o.
func fmtTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, c := range test.LaidOutObjects(o) {
		if l, ok := c.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}
