package settings

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// MaxKeep is the most backups the Settings screen lets the daily backup
// keep: a year of them.
const MaxKeep = 365

// backups is the Settings screen's Backups section: when the last backup
// was taken and where, Back up now, the folder and how many to keep, and
// Restore….
type backups struct {
	u      UI
	prefs  Prefs
	svc    *backup.Service // nil: no backups run (a window without an engine)
	dbPath string

	last     *widget.Label
	folder   *widget.Label
	original *widget.Button // back to the default folder
	keep     *widget.Entry
	keepErr  *widget.Label
	now      *widget.Button
	restore  *widget.Button
	outcome  *widget.Label

	// The dialogs of the moment, for tests.
	files    *dialog.FileDialog
	confirm  *dialog.CustomDialog
	refusal  *dialog.CustomDialog
	checking *dialog.CustomDialog
	content  fyne.CanvasObject
}

func newBackups(u UI, prefs Prefs, dbPath string) *backups {
	s := &backups{u: u, prefs: prefs, svc: u.Backups(), dbPath: dbPath}
	s.last = widget.NewLabel("")
	s.last.Wrapping = fyne.TextWrapWord
	s.folder = widget.NewLabel("")
	s.folder.Wrapping = fyne.TextWrapBreak
	s.folder.TextStyle.Monospace = true
	change := widget.NewButton(lang.L("Choose folder…"), s.chooseFolder)
	s.original = widget.NewButton(lang.L("Use the default folder"), func() { s.setFolder("") })

	s.keep = widget.NewEntry()
	s.keep.SetText(strconv.Itoa(prefs.BackupKeep()))
	s.keepErr = widgets.ErrorLabel("")
	s.keepErr.Hide()
	s.keep.OnChanged = s.setKeep
	keepRow := container.NewBorder(nil, nil,
		container.NewGridWrap(fyne.NewSize(72, s.keep.MinSize().Height), s.keep), nil,
		widget.NewLabel(lang.L("newest backups are kept; older ones are removed.")))

	s.now = widget.NewButton(lang.L("Back up now"), s.backUpNow)
	s.restore = widget.NewButton(lang.L("Restore…"), s.chooseBackup)
	s.outcome = widget.NewLabel("")
	s.outcome.Wrapping = fyne.TextWrapWord
	s.outcome.Hide()

	s.content = container.NewVBox(
		s.last,
		container.NewHBox(s.now, s.restore),
		s.outcome,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Folder:")), container.NewHBox(change, s.original), s.folder),
		keepRow, s.keepErr,
	)
	if s.svc == nil {
		s.last.SetText(lang.L("Backups are not taken in this window."))
		s.content = s.last
		return s
	}
	s.showFolder()
	s.readLast()
	return s
}

// showFolder shows the folder backups go to.
func (s *backups) showFolder() {
	s.folder.SetText(s.svc.Dir())
	if s.prefs.BackupDir() == "" {
		s.original.Hide()
	} else {
		s.original.Show()
	}
}

// readLast reads the folder and shows its newest backup.
func (s *backups) readLast() {
	dir := s.svc.Dir()
	bridge.Load(s.u.Bridge(), func(context.Context) ([]backup.File, error) {
		return backup.List(dir)
	}, func(files []backup.File, err error) {
		switch {
		case err != nil:
			s.last.SetText(i18n.UserMessage(err))
		case len(files) == 0:
			s.last.SetText(lang.L("No backup in this folder yet; the first is taken within the hour."))
		default:
			s.last.SetText(lang.L("Last backup: {{.Time}}, {{.File}}", map[string]any{
				"Time": i18n.DateTime(files[0].Time), "File": filepath.Base(files[0].Path)}))
		}
	})
}

// backUpNow takes a backup in the background and says where it went.
func (s *backups) backUpNow() {
	s.now.Disable()
	s.say(lang.L("Backing up the books…"), false)
	bridge.Load(s.u.Bridge(), func(context.Context) (backup.File, error) {
		return s.svc.Now()
	}, func(f backup.File, err error) {
		s.now.Enable()
		switch {
		case err != nil && f.Path == "":
			s.say(lang.L("The books were not backed up: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(err)}), true)
		case err != nil: // taken, but an old one stayed
			s.say(lang.L("Backed up to {{.File}}, but older backups could not be removed: {{.Reason}}",
				map[string]any{"File": f.Path, "Reason": i18n.UserMessage(err)}), true)
		default:
			s.say(lang.L("Backed up to {{.File}}.", map[string]any{"File": f.Path}), false)
		}
		s.readLast()
	})
}

// say shows the outcome of Back up now.
func (s *backups) say(text string, problem bool) {
	s.outcome.Importance = widget.MediumImportance
	if problem {
		s.outcome.Importance = widget.DangerImportance
	}
	s.outcome.SetText(text)
	s.outcome.Show()
}

// chooseFolder asks for the folder backups go to from now on.
func (s *backups) chooseFolder() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		s.setFolder(dir.Path())
	}, s.u.Window())
	if l, err := storage.ListerForURI(storage.NewFileURI(s.svc.Dir())); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(860, 560))
	d.Show()
}

// setFolder makes dir the backups' folder ("" for the default, inside the
// data directory) for Back up now and the daily backups.
func (s *backups) setFolder(dir string) {
	s.prefs.SetBackupDir(dir)
	if dir == "" {
		dir = books.BackupsDir(filepath.Dir(s.dbPath))
	}
	s.svc.Set(dir, s.svc.Keep())
	s.showFolder()
	s.readLast()
}

// setKeep keeps the typed count once it is one; until then the last one
// stays, and the screen says so.
func (s *backups) setKeep(text string) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 1 || n > MaxKeep {
		s.keepErr.SetText(lang.L("Enter how many backups to keep, from 1 to {{.Max}}. Until then the newest {{.Keep}} are kept.",
			map[string]any{"Max": MaxKeep, "Keep": s.svc.Keep()}))
		s.keepErr.Show()
		return
	}
	s.keepErr.Hide()
	s.prefs.SetBackupKeep(n)
	s.svc.Set(s.svc.Dir(), n)
}

// chooseBackup asks for the backup to restore, starting in the backups'
// folder.
func (s *backups) chooseBackup() {
	s.files = dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		s.check(path)
	}, s.u.Window())
	s.files.SetTitleText(lang.L("Restore the books from a backup"))
	s.files.SetView(dialog.ListView) // whole names: they are the backups' times
	if l, err := storage.ListerForURI(storage.NewFileURI(s.svc.Dir())); err == nil {
		s.files.SetLocation(l)
	}
	s.files.Resize(fyne.NewSize(860, 560))
	s.files.Show()
}

// check reads the chosen backup through the store's check before anything
// is asked or changed: a file that is not ShopLedger's, of a newer
// schema, or damaged is refused in a sentence.
func (s *backups) check(path string) {
	if filepath.Clean(path) == filepath.Clean(s.dbPath) {
		s.refuse(lang.L("This is the file of the books ShopLedger has open. Choose a backup of them."))
		return
	}
	bar := widget.NewProgressBarInfinite()
	s.checking = widgets.NewDialog(lang.L("Restore the books from a backup"), container.NewVBox(
		widget.NewLabel(lang.L("Checking {{.File}}…", map[string]any{"File": filepath.Base(path)})), bar), s.u.Window())
	s.checking.Show()
	bridge.Load(s.u.Bridge(), func(context.Context) (store.Summary, error) {
		return store.CheckFile(path)
	}, func(sum store.Summary, err error) {
		s.checking.Hide()
		if err != nil {
			s.refuse(i18n.UserMessage(err))
			return
		}
		s.ask(path, sum)
	})
}

// refuse says why a file cannot be restored, and that nothing changed.
func (s *backups) refuse(reason string) {
	msg := widget.NewLabel(paragraphs(lang.L("{{.Reason}} Nothing was changed.", map[string]any{"Reason": reason})))
	ok := widget.NewButton(lang.L("OK"), nil)
	s.refusal = widgets.NewDialog(lang.L("This file cannot be restored"), msg, s.u.Window(), ok)
	ok.OnTapped = s.refusal.Hide
	s.refusal.Show()
}

// ask says in words what a restore replaces and keeps, and restores only
// when told to.
func (s *backups) ask(path string, sum store.Summary) {
	dir, name := filepath.Split(s.dbPath)
	msg := widget.NewLabel(paragraphs(
		lang.L("The backup {{.File}} is sound: shops {{.Shops}}, orders {{.Orders}}.", map[string]any{
			"File": filepath.Base(path), "Shops": sum.Shops, "Orders": sum.Orders}),
		lang.L("Restoring replaces everything in the books now: orders, shops, warehouses and cost centers, reassignments, history, accounts and closed periods. The books as they are now are kept as {{.Kept}} in {{.Dir}}.",
			map[string]any{"Kept": name + store.BeforeRestoreSuffix, "Dir": filepath.Clean(dir)}),
		lang.L("Syncing stops while the books are restored; then every shop is compared with the books, so orders changed since the backup come in again.")))
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	restore := widget.NewButton(lang.L("Restore"), nil)
	restore.Importance = widget.DangerImportance
	s.confirm = widgets.NewDialog(lang.L("Restore the books from a backup"), msg, s.u.Window(), cancel, restore)
	cancel.OnTapped = s.confirm.Hide
	restore.OnTapped = func() {
		s.confirm.Hide()
		s.u.Restore(path)
	}
	s.confirm.Show()
}

// paragraphs breaks each paragraph into lines for a dialog, which then
// is as tall as its text: a wrapping label asks for its height before it
// knows its width, and leaves a gap under a long text.
func paragraphs(ps ...string) string {
	for i, p := range ps {
		ps[i] = widgets.WrapWords(p, 64)
	}
	return strings.Join(ps, "\n\n")
}
