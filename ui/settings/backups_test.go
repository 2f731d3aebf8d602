package settings

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// backupShell is the screen over real books with 12 synced orders and
// their backup service, not served: Back up now is its Now, on a clock
// the test moves (backups are named to the second).
func backupShell(t *testing.T) (*shell, *books.Books) {
	s, b, _ := backupShellClock(t)
	return s, b
}

func backupShellClock(t *testing.T) (*shell, *books.Books, *clock.Fake) {
	t.Helper()
	s := newShell(t)
	b := uitest.OpenBooks(t)
	uitest.AddShop(t, b, "Alpha", uitest.StartShop(t, 12))
	if _, err := b.SyncAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	s.dbPath = b.Path()
	clk := clock.NewFake(uitest.Now)
	s.backups = b.NewBackups(filepath.Dir(b.Path()), backup.Options{Clock: clk})
	s.build()
	s.jobs.Drain(t)
	return s, b, clk
}

// TestBackUpNow: Back up now writes a backup the store's check accepts,
// in the data directory's backups folder, and says where; the last
// backup's line follows.
func TestBackUpNow(t *testing.T) {
	s, b, clk := backupShellClock(t)
	p := s.page.backups
	want := books.BackupsDir(filepath.Dir(b.Path()))
	if p.folder.Text != want || p.original.Visible() {
		t.Errorf("folder %q (default shown %v), want the default %q", p.folder.Text, p.original.Visible(), want)
	}
	if got := p.last.Text; got != "No backup in this folder yet; the first is taken within the hour." {
		t.Errorf("last backup before any: %q", got)
	}

	test.Tap(p.now)
	if !p.now.Disabled() || p.outcome.Text != "Backing up the books…" {
		t.Fatalf("while backing up: disabled %v, %q", p.now.Disabled(), p.outcome.Text)
	}
	s.jobs.Drain(t)
	files, err := backup.List(want)
	if err != nil || len(files) != 1 {
		t.Fatalf("backups %+v, %v; want one", files, err)
	}
	if p.now.Disabled() || p.outcome.Text != "Backed up to "+files[0].Path+"." || p.outcome.Importance == widget.DangerImportance {
		t.Errorf("after: disabled %v, %q", p.now.Disabled(), p.outcome.Text)
	}
	sum, err := store.CheckFile(files[0].Path)
	if err != nil || sum.Shops != 1 || sum.Orders != 12 {
		t.Fatalf("the backup checks as %+v, %v; want 1 shop, 12 orders", sum, err)
	}
	if got := p.last.Text; !strings.HasPrefix(got, "Last backup: ") || !strings.HasSuffix(got, ", "+filepath.Base(files[0].Path)) {
		t.Errorf("last backup: %q", got)
	}

	// A backup the daily service takes shows when the screen is opened.
	clk.Advance(time.Hour)
	daily, err := p.svc.Now()
	if err != nil {
		t.Fatal(err)
	}
	s.page.Opened()
	s.jobs.Drain(t)
	if got := p.last.Text; !strings.HasSuffix(got, ", "+filepath.Base(daily.Path)) {
		t.Errorf("last backup after the daily one: %q", got)
	}

	// A folder that cannot be made is said plainly, and nothing is kept.
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	p.setFolder(filepath.Join(blocker, "backups"))
	s.jobs.Drain(t)
	test.Tap(p.now)
	s.jobs.Drain(t)
	if !strings.HasPrefix(p.outcome.Text, "The books were not backed up: ") || p.outcome.Importance != widget.DangerImportance {
		t.Errorf("backup into a file's folder: %q", p.outcome.Text)
	}
}

// TestBackupFolderAndKeep: a chosen folder and count are kept in the
// preferences and used by the backup service; a count that is not one is
// refused in words and changes nothing.
func TestBackupFolderAndKeep(t *testing.T) {
	s, b, clk := backupShellClock(t)
	p := s.page.backups
	other := filepath.Join(t.TempDir(), "offsite")
	p.setFolder(other)
	s.jobs.Drain(t)
	if s.backupDir != other || p.svc.Dir() != other || p.folder.Text != other || !p.original.Visible() {
		t.Fatalf("chosen folder: pref %q, service %q, shown %q", s.backupDir, p.svc.Dir(), p.folder.Text)
	}
	for _, bad := range []string{"0", "abc", "366", ""} {
		p.keep.SetText(bad)
		if !p.keepErr.Visible() || p.keepErr.Text != "Enter how many backups to keep, from 1 to 365. Until then the newest 7 are kept." {
			t.Errorf("keep %q: problem shown %v, %q", bad, p.keepErr.Visible(), p.keepErr.Text)
		}
		if p.svc.Keep() != backup.DefaultKeep || s.BackupKeep() != backup.DefaultKeep {
			t.Errorf("keep %q changed the count to %d", bad, p.svc.Keep())
		}
	}
	uitest.TypeInto(p.keep, "2")
	if p.keepErr.Visible() || p.svc.Keep() != 2 || s.BackupKeep() != 2 {
		t.Fatalf("keep 2: problem %v, service %d, pref %d", p.keepErr.Visible(), p.svc.Keep(), s.BackupKeep())
	}
	for range 3 {
		test.Tap(p.now)
		s.jobs.Drain(t)
		clk.Advance(time.Second)
	}
	if files, err := backup.List(other); err != nil || len(files) != 2 {
		t.Errorf("the chosen folder keeps %d backups (%v), want 2", len(files), err)
	}

	// The screen built again (a language switch) shows the same choices.
	s.build()
	s.jobs.Drain(t)
	if s.page.backups.folder.Text != other || s.page.backups.keep.Text != "2" {
		t.Errorf("rebuilt: folder %q, keep %q", s.page.backups.folder.Text, s.page.backups.keep.Text)
	}
	test.Tap(s.page.backups.original)
	s.jobs.Drain(t)
	if want := books.BackupsDir(filepath.Dir(b.Path())); s.backupDir != "" || p.svc.Dir() != want || s.page.backups.original.Visible() {
		t.Errorf("default again: pref %q, service %q", s.backupDir, p.svc.Dir())
	}
}

// TestRestoreChecksFirst: Restore… refuses a file that is not a
// ShopLedger database, one of a newer schema, and the open books' own
// file, in a sentence,
// without asking the shell to restore; a sound backup is described
// (shops, orders, what is replaced and kept) and restored only on
// Restore.
func TestRestoreChecksFirst(t *testing.T) {
	s, b := backupShell(t)
	p := s.page.backups
	junk := filepath.Join(t.TempDir(), "orders.db")
	os.WriteFile(junk, []byte(strings.Repeat("not a database ", 500)), 0o600)
	// A backup of these books as a newer ShopLedger would have written it.
	newer := filepath.Join(t.TempDir(), "newer.db")
	if err := b.BackupFile(newer); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, uint64(store.LatestSchemaVersion()+1)))
	})
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	for _, c := range []struct{ path, says string }{
		{junk, "This file is not a ShopLedger database. Choose a backup that ShopLedger made (shopledger-….db). Nothing was changed."},
		{newer, "These books were written by a newer ShopLedger. Update ShopLedger, then open them again. Nothing was changed."},
		{b.Path(), "This is the file of the books ShopLedger has open. Choose a backup of them. Nothing was changed."},
	} {
		s.page.RestoreFrom(c.path)
		s.jobs.Drain(t)
		if p.refusal == nil || s.win.Canvas().Overlays().Top() == nil {
			t.Fatalf("%s: not refused", c.path)
		}
		if got := texts(s.win.Canvas().Overlays().Top()); !strings.Contains(got, c.says) {
			t.Errorf("%s: refused with %q, want %q", c.path, got, c.says)
		}
		test.Tap(button(t, s.win.Canvas().Overlays().Top(), "OK"))
		p.refusal = nil
	}

	if _, err := p.svc.Now(); err != nil {
		t.Fatal(err)
	}
	files, _ := backup.List(p.svc.Dir())
	s.page.RestoreFrom(files[0].Path)
	s.jobs.Drain(t)
	if p.confirm == nil || s.win.Canvas().Overlays().Top() == nil {
		t.Fatal("a sound backup is not offered for restore")
	}
	got := texts(s.win.Canvas().Overlays().Top())
	for _, want := range []string{
		"The backup " + filepath.Base(files[0].Path) + " is sound: shops 1, orders 12.",
		"The books as they are now are kept as shopledger.db.before-restore in " + filepath.Dir(b.Path()) + ".",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the question %q does not say %q", got, want)
		}
	}
	test.Tap(button(t, s.win.Canvas().Overlays().Top(), "Cancel"))
	if len(s.restored) != 0 {
		t.Fatalf("Cancel restored %q", s.restored)
	}
	s.page.RestoreFrom(files[0].Path)
	s.jobs.Drain(t)
	test.Tap(button(t, s.win.Canvas().Overlays().Top(), "Restore"))
	if len(s.restored) != 1 || s.restored[0] != files[0].Path {
		t.Errorf("Restore asked the shell for %q", s.restored)
	}
}

// texts is every label's and button's text under o, one per line.
func texts(o fyne.CanvasObject) string {
	var lines []string
	for _, c := range test.LaidOutObjects(o) {
		switch c := c.(type) {
		case *widget.Label:
			lines = append(lines, strings.ReplaceAll(c.Text, "\n", " "))
		case *widget.Button:
			lines = append(lines, c.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// button finds the button labelled text under o.
func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, c := range test.LaidOutObjects(o) {
		if b, ok := c.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in %q", text, texts(o))
	return nil
}
