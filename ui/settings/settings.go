// Package settings is the Settings screen: the language, how ShopLedger
// starts (minimized, at login: the autostart entry of each system), where
// the books are kept, their backups (Back up now, folder, how many, and
// Restore…), and the log of this session's syncs and problems.
package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// LogSize is how many lines the session log keeps.
const LogSize = 200

// UI is what the screen needs from the window's shell.
type UI interface {
	Window() fyne.Window
	Bridge() *bridge.Bridge
	// ChangeLanguage switches the window to a language ("" for the
	// system's), remembers the choice and builds the window again in it.
	ChangeLanguage(code string)
	// Backups is the daily backup of the books, whose Now is "Back up
	// now"; nil where none runs.
	Backups() *backup.Service
	// Restore replaces the books with the backup at path, which passed
	// the store's check: it stops syncing, closes the books, restores,
	// opens them again and builds the window anew, where it says how it
	// went. It returns at once.
	Restore(path string)
}

// Prefs are the preferences the screen shows and sets.
type Prefs interface {
	Language() string // "" for the system's
	StartMinimized() bool
	SetStartMinimized(bool)
	// BackupDir is the folder the user chose for backups, "" for the
	// default (inside the data directory).
	BackupDir() string
	SetBackupDir(string)
	// BackupKeep is how many backups to keep.
	BackupKeep() int
	SetBackupKeep(int)
}

// Page is the screen.
type Page struct {
	// Language is the language choice; the shell's tests choose with it.
	Language *widget.Select
	startup  *startupSettings
	backups  *backups
	log      *widget.List
	lines    []string // newest first, shared with the window
	content  fyne.CanvasObject
}

// New builds the screen; dbPath is the books' file, log the session's
// lines so far, newest first.
func New(u UI, prefs Prefs, dbPath string, log []string) *Page {
	p := &Page{lines: log}
	opts := []string{lang.L("As the system (currently {{.Language}})", map[string]any{"Language": languageName(i18n.SystemLanguage())})}
	for _, l := range i18n.Languages {
		opts = append(opts, l.Name)
	}
	p.Language = widget.NewSelect(opts, nil)
	current := prefs.Language()
	p.Language.SetSelectedIndex(0)
	for i, l := range i18n.Languages {
		if l.Code == current {
			p.Language.SetSelectedIndex(i + 1)
		}
	}
	p.Language.OnChanged = func(string) {
		code := ""
		if i := p.Language.SelectedIndex(); i > 0 {
			code = i18n.Languages[i-1].Code
		}
		u.ChangeLanguage(code)
	}

	path := widget.NewLabel(dbPath)
	path.Wrapping = fyne.TextWrapBreak
	path.TextStyle.Monospace = true
	p.startup = newStartupSettings(u, prefs)
	p.backups = newBackups(u, prefs, dbPath)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Language"), p.Language),
		widget.NewFormItem(lang.L("Startup"), p.startup.content),
		widget.NewFormItem(lang.L("Database"), path),
		widget.NewFormItem(lang.L("Backups"), p.backups.content),
	)
	title := widget.NewLabelWithStyle(lang.L("Settings"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	logTitle := widgets.BoldLabel(lang.L("Log of this session"))
	p.log = widget.NewList(
		func() int { return len(p.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.lines[i]) },
	)
	top := container.NewVBox(title, form, widget.NewSeparator(), logTitle)
	p.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, p.log))
	return p
}

// Opened reads the backups' folder again, each time the screen is
// opened: the daily backup may have taken one since.
func (p *Page) Opened() {
	if p.backups.svc != nil {
		p.backups.readLast()
	}
}

// RestoreFrom is what choosing path in Restore…'s file dialog does: the
// file is checked, then the user is asked to confirm.
func (p *Page) RestoreFrom(path string) { p.backups.check(path) }

// Content is what the navigation shows for the screen.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// ShowLog shows the window's log lines, newest first.
func (p *Page) ShowLog(lines []string) {
	p.lines = lines
	p.log.Refresh()
}

func languageName(code string) string {
	for _, l := range i18n.Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}
