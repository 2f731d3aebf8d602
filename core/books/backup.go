package books

import (
	"fmt"
	"io"
	"path/filepath"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/store"
)

// BackupsDir is where the automatic backups go unless the user picks
// another folder.
func BackupsDir(dataDir string) string { return filepath.Join(dataDir, backup.DirName) }

// NewBackups returns the automatic backup service over the open books
// (see backup.Service); dir "" is BackupsDir.
func (b *Books) NewBackups(dataDir string, o backup.Options) *backup.Service {
	if o.Dir == "" {
		o.Dir = BackupsDir(dataDir)
	}
	return backup.New(b.Store, o)
}

// Backup writes a consistent copy of the books in dataDir to w, opening
// them only to read: the command line's backup, while no window or serve
// has them open. A running ShopLedger backs up its open books itself
// (Books.BackupFile, and the daily service).
func Backup(dataDir string, w io.Writer) (int64, error) {
	st, err := store.OpenReadOnly(filepath.Join(dataDir, DBFile))
	if err != nil {
		return 0, fmt.Errorf("back up the books: %w", err)
	}
	defer st.Close()
	return st.Backup(w)
}

// BackupFile writes a copy of the books in dataDir to path as Backup
// does, through a temporary file, and checks it.
func BackupFile(dataDir, path string) (store.Summary, error) {
	db := filepath.Join(dataDir, DBFile)
	if a, b := filepath.Clean(db), filepath.Clean(path); a == b {
		return store.Summary{}, &InputError{Problems: []string{"the backup must go to another file than the books themselves"}}
	}
	st, err := store.OpenReadOnly(db)
	if err != nil {
		return store.Summary{}, fmt.Errorf("back up the books: %w", err)
	}
	err = st.BackupFile(path)
	st.Close()
	if err != nil {
		return store.Summary{}, err
	}
	return store.CheckFile(path)
}

// Restore replaces the books in dataDir with the backup at from, once a
// copy of it has passed the store's check; the books it replaces stay
// beside them (store.BeforeRestoreSuffix). No ShopLedger may have them
// open, this process included (store.ErrAlreadyRunning). API keys are not
// in backups: on another computer each shop's keys are entered again
// (ReplaceKeys).
func Restore(dataDir, from string) (store.Summary, error) {
	return store.Restore(filepath.Join(dataDir, DBFile), from)
}
