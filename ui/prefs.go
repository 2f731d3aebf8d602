package ui

import (
	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/settings"
)

// prefs are ShopLedger's preferences, typed, with their keys and
// defaults in one place (the Export dialog's are the Orders screen's own:
// ui/orders/export_prefs.go). They live in Fyne's app preferences, not in the
// books: they belong to this computer's user, not to the ledger.
type prefs struct{ p fyne.Preferences }

// Preference keys.
const (
	// prefLanguage is the window's language: "" follows the system,
	// otherwise a code of i18n.Languages.
	prefLanguage = "ui.language"
	// prefStartMinimized starts ShopLedger in the tray, the window hidden,
	// even when it is not started at login.
	prefStartMinimized = "ui.startMinimized"
	// prefPublicWebhookURL is how WooCommerce reaches this computer's
	// webhook receiver (a tunnel or proxy); empty: its own address.
	prefPublicWebhookURL = "webhooks.publicURL"
	// prefBackupDir is the folder of the backups, "" for the default
	// inside the data directory; prefBackupKeep how many are kept.
	prefBackupDir  = "backup.dir"
	prefBackupKeep = "backup.keep"
)

func newPrefs(a fyne.App) prefs { return prefs{p: a.Preferences()} }

// language returns the chosen language code, "" for the system's.
func (s prefs) Language() string {
	code := s.p.StringWithFallback(prefLanguage, "")
	for _, l := range i18n.Languages {
		if l.Code == code {
			return code
		}
	}
	return ""
}

func (s prefs) setLanguage(code string) { s.p.SetString(prefLanguage, code) }

// startMinimized tells whether every start leaves the window in the tray.
func (s prefs) StartMinimized() bool { return s.p.BoolWithFallback(prefStartMinimized, false) }

func (s prefs) SetStartMinimized(on bool) { s.p.SetBool(prefStartMinimized, on) }

// PublicWebhookURL is the "Public address for webhooks" setting, which
// Main passes to the engine: "" for the receiver's own address.
func (s prefs) PublicWebhookURL() string     { return s.p.String(prefPublicWebhookURL) }
func (s prefs) SetPublicWebhookURL(u string) { s.p.SetString(prefPublicWebhookURL, u) }

// BackupDir is the folder the user chose for backups, "" for the default.
func (s prefs) BackupDir() string       { return s.p.String(prefBackupDir) }
func (s prefs) SetBackupDir(dir string) { s.p.SetString(prefBackupDir, dir) }

// BackupKeep is how many backups to keep, backup.DefaultKeep unless set.
func (s prefs) BackupKeep() int {
	if n := s.p.IntWithFallback(prefBackupKeep, backup.DefaultKeep); n >= 1 && n <= settings.MaxKeep {
		return n
	}
	return backup.DefaultKeep
}

func (s prefs) SetBackupKeep(n int) { s.p.SetInt(prefBackupKeep, n) }

// backupOptions are the daily backup's options for the books in dataDir,
// as the Settings screen set them.
func (s prefs) backupOptions(o *backup.Options, dataDir string) *backup.Options {
	o.Dir, o.Keep = s.BackupDir(), s.BackupKeep()
	if o.Dir == "" {
		o.Dir = books.BackupsDir(dataDir)
	}
	return o
}
