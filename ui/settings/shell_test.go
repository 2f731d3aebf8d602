package settings

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// shell stands in for the window and its preferences.
type shell struct {
	win            fyne.Window
	br             *bridge.Bridge
	jobs           *uitest.Jobs
	language       string
	startMinimized bool
	backups        *backup.Service // nil: none runs
	backupDir      string
	backupKeep     int
	restored       []string // what Restore was asked to restore
	dbPath         string
	page           *Page
}

func (s *shell) Window() fyne.Window        { return s.win }
func (s *shell) Bridge() *bridge.Bridge     { return s.br }
func (s *shell) ChangeLanguage(code string) { s.language = code }
func (s *shell) Backups() *backup.Service   { return s.backups }
func (s *shell) Restore(path string)        { s.restored = append(s.restored, path) }
func (s *shell) Language() string           { return s.language }
func (s *shell) StartMinimized() bool       { return s.startMinimized }
func (s *shell) SetStartMinimized(on bool)  { s.startMinimized = on }
func (s *shell) BackupDir() string          { return s.backupDir }
func (s *shell) SetBackupDir(dir string)    { s.backupDir = dir }
func (s *shell) BackupKeep() int {
	if s.backupKeep == 0 {
		return backup.DefaultKeep
	}
	return s.backupKeep
}
func (s *shell) SetBackupKeep(n int) { s.backupKeep = n }

// build builds the screen again, as a language switch does.
func (s *shell) build() {
	path := s.dbPath
	if path == "" {
		path = "/home/maria/.config/ShopLedger/shopledger.db"
	}
	s.page = New(s, s, path, nil)
	s.win.SetContent(s.page.Content())
}

// openPage shows the screen in a window of its own, in English, with
// start at login read from and written to the test's own config.
func openPage(t *testing.T) *shell {
	t.Helper()
	s := newShell(t)
	s.build()
	return s
}

// newShell is openPage's shell before the screen is built, for tests
// that give it books first.
func newShell(t *testing.T) *shell {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	uitest.English(t)
	s := &shell{win: test.NewWindow(nil), jobs: &uitest.Jobs{}}
	s.br = bridge.New(context.Background(), s.jobs.Run)
	s.win.Resize(fyne.NewSize(900, 600))
	t.Cleanup(func() {
		s.jobs.Drain(t)
		s.br.Stop()
		s.win.Close()
	})
	return s
}
