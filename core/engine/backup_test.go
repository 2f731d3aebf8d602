package engine

import (
	"context"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// TestServeTakesDailyBackup: an engine with Backups takes the first backup
// as it starts (there is none yet), a copy that passes the store's check,
// and stops the service with the rest.
func TestServeTakesDailyBackup(t *testing.T) {
	dir := t.TempDir()
	b := openBooks(t, dir, secrets.NewMemory())
	defer b.Close()
	taken := make(chan backup.File, 1)
	e := New(b, Options{Addr: "127.0.0.1:0", Backups: &backup.Options{
		Dir: books.BackupsDir(dir),
		Done: func(f backup.File, err error) {
			if err != nil {
				t.Errorf("backup: %v", err)
				return
			}
			taken <- f
		},
	}})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.Serve(ctx) }()
	select {
	case f := <-taken:
		if _, err := store.CheckFile(f.Path); err != nil {
			t.Errorf("the backup fails the check: %v", err)
		}
	case <-time.After(deadline):
		t.Fatal("no backup at start")
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if e.Backups == nil {
		t.Fatal("no backup service on the engine")
	}
}
