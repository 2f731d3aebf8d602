package backup_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

type result struct {
	f   backup.File
	err error
}

// serve runs a service over st on a fake clock and returns what it
// reports; it stops when the test ends.
func serve(t *testing.T, b backup.Backer, dir string, keep int) (*clock.Fake, chan result) {
	clk, done, _ := serveService(t, b, dir, keep)
	return clk, done
}

func serveService(t *testing.T, b backup.Backer, dir string, keep int) (*clock.Fake, chan result, *backup.Service) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 30, 0, 0, time.Local))
	done := make(chan result, 100)
	svc := backup.New(b, backup.Options{Dir: dir, Keep: keep, Clock: clk, Done: func(f backup.File, err error) { done <- result{f, err} }})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- svc.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-stopped; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return clk, done, svc
}

// hours advances the clock an hour at a time, each time after Serve has
// set its timer.
func hours(t *testing.T, clk *clock.Fake, n int) {
	t.Helper()
	for range n {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := clk.WaitTimers(ctx, 1)
		cancel()
		if err != nil {
			t.Fatal("Serve set no timer")
		}
		clk.Advance(time.Hour)
	}
}

func next(t *testing.T, done chan result) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no backup")
	}
	return result{}
}

func none(t *testing.T, done chan result) {
	t.Helper()
	select {
	case r := <-done:
		t.Fatalf("unexpected backup %+v", r)
	default:
	}
}

// TestDailyBackupsKeepTheNewest: a backup at start, then one a day, each
// a database that passes the store's check; the oldest beyond Keep go.
func TestDailyBackupsKeepTheNewest(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "shopledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateShop(ledger.Shop{Name: "Alpha", URL: "https://alpha.example"}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "backups")
	// Not ours: left alone however many backups come and go.
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)

	clk, done := serve(t, st, dir, 3)
	first := next(t, done)
	if first.err != nil || filepath.Base(first.f.Path) != "shopledger-2026-12-01-093000.db" || first.f.Size == 0 {
		t.Fatalf("first backup %+v", first)
	}
	if sum, err := store.CheckFile(first.f.Path); err != nil || sum.Shops != 1 {
		t.Fatalf("the backup does not check: %+v, %v", sum, err)
	}
	hours(t, clk, 23)
	none(t, done)
	for day := 1; day <= 4; day++ {
		hours(t, clk, 1)
		r := next(t, done)
		if r.err != nil || !r.f.Time.Equal(first.f.Time.Add(time.Duration(day)*24*time.Hour)) {
			t.Fatalf("day %d: %+v", day, r)
		}
		hours(t, clk, 23)
		none(t, done)
	}
	files, err := backup.List(dir)
	if err != nil || len(files) != 3 {
		t.Fatalf("List = %+v, %v; want the newest 3", files, err)
	}
	if want := first.f.Time.Add(4 * 24 * time.Hour); !files[0].Time.Equal(want) || !files[2].Time.Equal(want.Add(-48*time.Hour)) {
		t.Errorf("kept %v … %v", files[0].Time, files[2].Time)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("a file of the user's went: %v", err)
	}
}

// TestBackupStartsFromTheNewest: a recent backup in the folder puts the
// next one a day after it, not at start.
func TestBackupStartsFromTheNewest(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "shopledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := t.TempDir()
	// Taken at 03:30 on the day the clock starts (09:30).
	if err := st.BackupFile(filepath.Join(dir, "shopledger-2026-12-01-033000.db")); err != nil {
		t.Fatal(err)
	}
	clk, done := serve(t, st, dir, 0)
	hours(t, clk, 17)
	none(t, done)
	hours(t, clk, 1)
	if r := next(t, done); r.err != nil || r.f.Time.Hour() != 3 || r.f.Time.Day() != 2 {
		t.Fatalf("next backup %+v", r)
	}
}

type failing struct{ n int }

func (f *failing) BackupFile(string) error {
	f.n++
	return errors.New("disk full")
}

// TestBackupFailureTriesAgainLater: a failure is reported, and tried again
// an hour later rather than at once.
func TestBackupFailureTriesAgainLater(t *testing.T) {
	b := &failing{}
	clk, done := serve(t, b, t.TempDir(), 0)
	if r := next(t, done); r.err == nil {
		t.Fatal("no error reported")
	}
	none(t, done)
	hours(t, clk, 1)
	if r := next(t, done); r.err == nil {
		t.Fatal("no second try")
	}
	if b.n != 2 {
		t.Errorf("%d tries, want 2", b.n)
	}
}

// TestSetMovesTheBackups: a folder and count set while the service runs
// (the Settings screen) take the next backup there and keep that many;
// a folder with no backup yet gets one at the service's next look.
func TestSetMovesTheBackups(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "shopledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	first, moved := t.TempDir(), filepath.Join(t.TempDir(), "elsewhere")
	clk, done, svc := serveService(t, st, first, 0)
	if r := next(t, done); r.err != nil || filepath.Dir(r.f.Path) != first {
		t.Fatalf("first backup %+v", r)
	}
	svc.Set(moved, 2)
	if svc.Dir() != moved || svc.Keep() != 2 {
		t.Fatalf("Set: dir %q keep %d", svc.Dir(), svc.Keep())
	}
	hours(t, clk, 1)
	if r := next(t, done); r.err != nil || filepath.Dir(r.f.Path) != moved {
		t.Fatalf("backup after the move %+v", r)
	}
	for range 3 {
		clk.Advance(time.Second)
		if _, err := svc.Now(); err != nil {
			t.Fatal(err)
		}
	}
	if files, err := backup.List(moved); err != nil || len(files) != 2 {
		t.Errorf("the new folder keeps %d backups (%v), want 2", len(files), err)
	}
	if files, err := backup.List(first); err != nil || len(files) != 1 {
		t.Errorf("the first folder holds %d backups (%v), want its 1 left alone", len(files), err)
	}
	svc.Set(first, 0)
	if svc.Keep() != backup.DefaultKeep {
		t.Errorf("keep 0 gives %d, want the default %d", svc.Keep(), backup.DefaultKeep)
	}
}
