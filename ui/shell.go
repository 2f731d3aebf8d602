package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/tray"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// session is one opening of the books: the books and what runs over them
// for the window — the engine in the app, a sync of their own in tests. A
// restore closes one session and opens the next.
type session struct {
	books *books.Books
	// engine, or sync and bus, as in options.
	engine *engine.Engine
	sync   syncRunner
	bus    *events.Bus
	// backups is Back up now and the daily backup (the engine's).
	backups *backup.Service
	// close stops what runs over the books, then closes them.
	close func() error
}

// opener opens the books of the data directory and starts what runs over
// them. It runs off the UI goroutine and may take long: the first open
// after an update or a large import compacts the books; progress (nil:
// none) hears how far that has come.
type opener func(progress func(store.OpenProgress)) (session, error)

// noticeAfter is how long opening the books may take before "Preparing
// your books…" shows, so that a normal start does not flash it.
const noticeAfter = 300 * time.Millisecond

// shell is what outlives one opening of the books: the app, the main
// window's fyne.Window and the tray over it, and the way to open the
// books. Main builds it and sets up the tray before App.Run (Fyne 2.7.1
// starts a tray only then); the books are opened once Run has started,
// with "Preparing your books…" on screen while that takes long, and the
// window is built over them. A restore closes them, restores, opens them
// again and builds the window anew.
type shell struct {
	app     fyne.App
	dataDir string
	open    opener
	base    options // the window's options (tests: run, now)
	win     fyne.Window
	br      *bridge.Bridge // the shell's own work: opening and restoring
	cancel  context.CancelFunc
	tray    *tray.Tray // nil until setUpTray
	notice  *preparing // "Preparing your books…", while it shows

	// The UI goroutine owns these.
	sess      *session    // nil while the books are closed
	w         *mainWindow // the window over sess
	showWin   bool        // show the window once the books are open
	restoring bool
	// lastProgress is the open's last report, for a notice shown after it.
	lastProgress store.OpenProgress
	// failure is why the books could not be opened; Main exits with 1.
	failure error
}

// newShell makes the main window's fyne.Window; run starts the shell's
// background work (nil: a goroutine per job; tests pass a queue).
func newShell(a fyne.App, dataDir string, open opener, base options, run func(func())) *shell {
	ctx, cancel := context.WithCancel(context.Background())
	s := &shell{
		app: a, dataDir: dataDir, open: open, base: base,
		win: a.NewWindow(lang.L("ShopLedger")), br: bridge.New(ctx, run), cancel: cancel, showWin: true,
	}
	s.win.Resize(fyne.NewSize(1180, 720))
	return s
}

// start opens the books and then shows the window over them; Main calls
// it as the app starts (Lifecycle().SetOnStarted).
func (s *shell) start() {
	if s.tray != nil {
		s.tray.SetLastSync(lang.L("Preparing your books…"))
	}
	open := func() (session, error) { return s.openOrDrop(bridge.Progress(s.br, s.showProgress)) }
	openShowing(s.br, noticeAfter, open, s.showNotice, func(sess session, err error) {
		if err != nil {
			s.fail(err)
			return
		}
		s.show(sess)
	})
}

// openOrDrop opens the books; when the app quit meanwhile it closes them
// again, as no window will show them.
func (s *shell) openOrDrop(progress func(store.OpenProgress)) (session, error) {
	sess, err := s.open(progress)
	if err == nil && s.br.Context().Err() != nil {
		sess.close()
		return session{}, s.br.Context().Err()
	}
	return sess, err
}

// openShowing runs open off the UI goroutine. When it has not returned
// after delay, show puts a notice up; once open returns, done gets its
// outcome, and then the notice goes (hide, from show). show, done and
// hide run on the UI goroutine.
func openShowing[T any](br *bridge.Bridge, delay time.Duration, open func() (T, error), show func() (hide func()), done func(T, error)) {
	var (
		mu       sync.Mutex // the timer's and the outcome's goroutines are both the UI's, but only in the app
		finished bool
		hide     func()
	)
	br.Later(delay, func() {
		mu.Lock()
		defer mu.Unlock()
		if !finished {
			hide = show()
		}
	})
	bridge.Load(br, func(context.Context) (T, error) { return open() }, func(v T, err error) {
		mu.Lock()
		finished = true
		h := hide
		mu.Unlock()
		done(v, err)
		if h != nil {
			h()
		}
	})
}

// preparing is the small "Preparing your books…" window: what the open
// does, and how far it is when the core says.
type preparing struct {
	win  fyne.Window
	step *widget.Label
	wait *widget.ProgressBarInfinite // until the first report
	bar  *widget.ProgressBar
	last store.OpenProgress
}

// showNotice shows the notice, unless the app starts in the tray.
func (s *shell) showNotice() (hide func()) {
	if !s.showWin {
		return func() {}
	}
	// The step's line and the bar take their room from the start: the
	// window is of a fixed size and would not grow for them.
	n := &preparing{win: s.app.NewWindow(lang.L("ShopLedger")), step: widget.NewLabel(lang.L("Opening the books…")),
		wait: widget.NewProgressBarInfinite(), bar: widget.NewProgressBar()}
	n.bar.Hide()
	hint := widget.NewLabel(widgets.WrapWords(lang.L("The first start after an update or a large import takes longer: ShopLedger brings the books up to date once. Your orders are safe."), 52))
	n.win.SetContent(container.NewPadded(container.NewVBox(
		widgets.BoldLabel(lang.L("Preparing your books…")), hint, n.step, n.wait, n.bar)))
	n.win.SetFixedSize(true)
	n.win.CenterOnScreen()
	// Closing it would not stop the open, which cannot be cut short
	// (a quit waits for it), and would leave nothing on screen.
	n.win.SetCloseIntercept(func() {})
	s.notice = n
	if n.last = s.lastProgress; n.last.Step != 0 {
		n.show(n.last)
	}
	n.win.Show()
	return func() {
		n.wait.Stop()
		n.win.Close()
		s.notice = nil
	}
}

// showProgress hears how far opening the books has come.
func (s *shell) showProgress(p store.OpenProgress) {
	s.lastProgress = p
	if s.notice != nil {
		s.notice.show(p)
	}
}

// show puts a report of the open on the notice.
func (n *preparing) show(p store.OpenProgress) {
	text := lang.L("Compacting the books…")
	if p.Step == store.StepSales {
		text = lang.L("Adding up the sales of {{.Count}} orders…", map[string]any{"Count": p.Total})
	}
	if n.step.Text != text {
		n.step.SetText(text)
	}
	if n.wait.Visible() {
		n.wait.Stop()
		n.wait.Hide()
		n.bar.Show()
	}
	n.bar.SetValue(float64(p.Done) / float64(max(p.Total, 1)))
}

// show builds the main window over sess and starts it.
func (s *shell) show(sess session) {
	s.sess = &sess
	opt := s.base
	opt.win, opt.shell = s.win, s
	opt.engine, opt.sync, opt.bus = sess.engine, sess.sync, sess.bus
	// A window built again over the same canvas: the previous one's
	// dialogs go with it.
	for o := s.win.Canvas().Overlays(); o.Top() != nil; {
		o.Remove(o.Top())
	}
	w := newMainWindow(s.app, sess.books, opt)
	s.w = w
	s.attachTray(w)
	if s.showWin {
		s.win.Show()
	}
	w.start()
	if path := os.Getenv(ScreenReportEnv); path != "" { // scripts/screenshot.sh
		w.reportScreens(path, func(err error) { fyne.LogError("screen report", err) })
	}
}

// fail says why the books could not be opened, in a window whose OK
// quits.
func (s *shell) fail(err error) {
	s.failure = err
	failWindow(s.app, err).Show()
}

// stop stops the window's work and then the shell's: an open or a restore
// under way ends first. Main calls it after App.Run, then closes.
func (s *shell) stop() {
	if s.w != nil {
		s.w.stop()
	}
	s.cancel()
	s.br.Stop()
}

// close closes the books; Main's exit status follows.
func (s *shell) close() error {
	if s.sess == nil {
		return s.failure
	}
	err := s.sess.close()
	s.sess = nil
	return errors.Join(s.failure, err)
}

// setUpTray puts the tray up over the window and tells whether to show
// the window at start; Main calls it before App.Run (see tray.New for
// why), before the books are open: its actions act on the window of the
// moment. minimized (the --minimized flag, as at login) or the "Start
// minimized" setting asks to start in the tray; where no tray can bring
// the window back, it is shown anyway. host is the app (tests: a fake
// desktop); probe nil asks the desktop.
func (s *shell) setUpTray(host fyne.App, minimized bool, probe func() tray.Probe) (show bool) {
	s.tray = tray.New(host, s.win, tray.Actions{
		Show:    s.showWindow,
		SyncNow: s.syncNow,
		// Quitting ends App.Run; Main then stops the window's work, the
		// engine and the books, in that order.
		Quit: host.Quit,
	}, probe)
	minimized = minimized || newPrefs(s.app).StartMinimized()
	s.showWin = !minimized || !s.tray.CanHide()
	return s.showWin
}

// attachTray lets w tell the tray its status sentences.
func (s *shell) attachTray(w *mainWindow) {
	if s.tray == nil {
		return
	}
	w.tray = s.tray
	if text := w.status.text(); text != "" {
		s.tray.SetLastSync(text)
	}
}

// showWindow is the tray's Show: the window, or, while the books open,
// the window as soon as they are.
func (s *shell) showWindow() {
	s.showWin = true
	if s.w != nil {
		s.w.showWindow()
	}
}

// syncNow is the tray's Sync now, while a window shows open books.
func (s *shell) syncNow() {
	if s.w != nil && !s.restoring {
		s.w.syncNow()
	}
}

// restored is what a restore did.
type restored struct {
	from string
	sum  store.Summary
	err  error // why the books were not restored
	sess session
}

// restore replaces the books with the backup at from: the window's work
// and the engine stop, the books close, books.Restore replaces them
// (keeping the current ones beside them), and the window is built again
// over what opens then — the restored books, or the same ones when the
// restore was refused. It says in the new window how it went.
func (s *shell) restore(from string) {
	if s.restoring || s.sess == nil {
		return
	}
	s.restoring = true
	old, sess := s.w, *s.sess
	s.sess = nil // closed by the job below
	bar := widget.NewProgressBarInfinite()
	widgets.NewDialog(lang.L("Restore the books from a backup"), container.NewVBox(
		widget.NewLabel(lang.L("Restoring the books from {{.File}}…", map[string]any{"File": filepath.Base(from)})), bar), s.win).Show()
	old.cancel() // syncs end after their page, reads soon
	bridge.Load(s.br, func(ctx context.Context) (restored, error) {
		old.br.Stop()
		r := restored{from: from}
		if err := sess.close(); err != nil {
			fmt.Fprintln(os.Stderr, "shopledger: restore: close the books:", err)
		}
		r.sum, r.err = books.Restore(s.dataDir, from)
		var err error
		r.sess, err = s.openOrDrop(nil)
		return r, err
	}, func(r restored, err error) {
		s.restoring = false
		if err != nil {
			s.fail(err)
			return
		}
		s.show(r.sess)
		s.w.tabs.SelectIndex(tabSettings)
		s.w.sayRestored(r)
	})
}

// sayRestored tells how a restore went, in a dialog over the new window.
func (w *mainWindow) sayRestored(r restored) {
	title, text := lang.L("The books were restored"), ""
	if r.err != nil {
		title = lang.L("The books were not restored")
		text = lang.L("{{.Reason}} Nothing was changed.", map[string]any{"Reason": i18n.UserMessage(r.err)})
		w.addLog(func() string { return lang.L("The books were not restored") })
	} else {
		dir, name := filepath.Split(w.backend.Path())
		text = lang.L("The books are now those of {{.File}}: shops {{.Shops}}, orders {{.Orders}}. The books as they were are kept as {{.Kept}} in {{.Dir}}. Every shop is being compared with the books, so orders changed since the backup come in again.",
			map[string]any{"File": filepath.Base(r.from), "Shops": r.sum.Shops, "Orders": r.sum.Orders,
				"Kept": name + store.BeforeRestoreSuffix, "Dir": filepath.Clean(dir)})
		w.addLog(func() string {
			return lang.L("Restored the books from {{.File}}", map[string]any{"File": filepath.Base(r.from)})
		})
	}
	// Broken here: a wrapping label would leave a gap under the text.
	msg := widget.NewLabel(widgets.WrapWords(text, 64))
	ok := widget.NewButton(lang.L("OK"), nil)
	d := widgets.NewDialog(title, msg, w.win, ok)
	ok.OnTapped = d.Hide
	d.Show()
}

// Backups is the daily backup of the books, for the Settings screen.
func (w *mainWindow) Backups() *backup.Service {
	switch {
	case w.shell != nil && w.shell.sess != nil:
		return w.shell.sess.backups
	case w.eng != nil:
		return w.eng.Backups
	}
	return nil
}

// Restore replaces the books with the backup at path (Settings →
// Restore…); a window without a shell (tests of other screens) has no
// books of its own to restore.
func (w *mainWindow) Restore(path string) {
	if w.shell != nil {
		w.shell.restore(path)
	}
}
