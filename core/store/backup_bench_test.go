package store

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// BenchmarkBackupAndCheck measures what a backup and a restore's check
// cost at 20,000 orders (b.N copies each), in MB/s of database file.
func BenchmarkBackupAndCheck(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "shopledger.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var shops []ledger.ShopID
	for _, name := range []string{"Alpha", "Beta"} {
		sh, err := s.CreateShop(ledger.Shop{Name: name, URL: "https://" + name + ".example"})
		if err != nil {
			b.Fatal(err)
		}
		shops = append(shops, sh.ID)
	}
	importOrders(b, s, shops, 20000)
	size, err := s.Backup(io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Backup", func(b *testing.B) {
		b.SetBytes(size)
		path := filepath.Join(b.TempDir(), "b.db")
		for b.Loop() {
			if err := s.BackupFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Check", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if sum, err := s.Check(); err != nil || sum.Orders != 20000 {
				b.Fatal(sum, err)
			}
		}
	})
	fi, _ := os.Stat(s.Path())
	b.Logf("20,000 orders: file %.1f MB, backup %.1f MB", float64(fi.Size())/(1<<20), float64(size)/(1<<20))
}
