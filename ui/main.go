package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"log/slog"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/assets"
	"codeberg.org/shopledger/shopledger/core/applog"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/settings"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// AppID is ShopLedger's application id: it names the preferences and, on
// Linux, the desktop file.
const AppID = settings.AppID

// Main opens the books in dataDir (empty: the default directory), shows the
// main window and returns the process's exit status when it quits.
// minimized starts ShopLedger in the tray without showing the window (the
// start-at-login entry passes it); the "Start minimized" setting does the
// same for every start.
func Main(dataDir string, minimized bool) int {
	a := app.NewWithID(AppID)
	a.SetIcon(assets.IconResource)
	a.Settings().SetTheme(widgets.Theme{Theme: theme.DefaultTheme()}) // readable placeholders
	setLanguage(newPrefs(a).Language())                               // before any widget is built

	if dataDir == "" {
		dir, err := books.DefaultDataDir()
		if err != nil {
			return fail(a, err)
		}
		dataDir = dir
	}
	// Another ShopLedger with these books open is told before anything
	// shows, not after the tray is up.
	if err := probeLock(dataDir); err != nil {
		return fail(a, err)
	}
	log, closeLog, err := applog.Open(applog.Options{Dir: dataDir})
	if err != nil {
		return fail(a, fmt.Errorf("open the log: %w", err))
	}
	defer closeLog()

	s := newShell(a, dataDir, openWithEngine(a, dataDir, log, secrets.NewKeyring()), options{}, nil)
	s.win.SetMaster()
	// The start-at-login entry follows the program if it was moved or
	// updated since it was written.
	if err := settings.RefreshAutostart(); err != nil {
		log.Warn("start at login: rewrite the entry", "err", err)
	}
	s.setUpTray(a, minimized, nil)
	// The books open once Run has started, so that "Preparing your
	// books…" can show while a long first open runs.
	a.Lifecycle().SetOnStarted(s.start)
	// Stop background work as the app stops, so a sync in flight ends and
	// no update reaches a window that is gone.
	a.Lifecycle().SetOnStopped(func() {
		if s.w != nil {
			s.w.cancel()
		}
		s.cancel()
	})
	a.Run()

	s.stop()
	if err := s.close(); err != nil {
		if s.failure == nil {
			fmt.Fprintln(os.Stderr, "shopledger:", err)
		}
		return 1
	}
	return 0
}

// probeLock tells, in about a second, whether another ShopLedger has the
// books in dataDir open (store.ErrAlreadyRunning). Anything else, such as
// books not made yet, is for the real open to find.
func probeLock(dataDir string) error {
	st, err := store.OpenReadOnly(filepath.Join(dataDir, books.DBFile))
	if err == nil {
		return st.Close()
	}
	if errors.Is(err, store.ErrAlreadyRunning) {
		return err
	}
	return nil
}

// openWithEngine opens the books in dataDir and starts the engine over
// them: the receiver listens first, so webhooks delivered while the window
// opens are taken, and another program on the webhook port must not keep
// the app from opening. A demo shop from an earlier run starts again
// before automatic sync reaches for it. The daily backup goes where the
// Settings screen says.
func openWithEngine(a fyne.App, dataDir string, log *slog.Logger, sec secrets.Store) opener {
	demoOpt := demoOptions() // in the language of the start
	return func(progress func(store.OpenProgress)) (session, error) {
		b, err := books.OpenWithProgress(dataDir, sec, progress)
		if err != nil {
			return session{}, err
		}
		p := newPrefs(a)
		eng := engine.New(b, engine.Options{
			AnyPort: true, Log: log, PublicBaseURL: p.PublicWebhookURL(), Demo: &demoOpt,
			Backups: p.backupOptions(engine.DailyBackups(dataDir, log), dataDir),
		})
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- eng.Serve(ctx) }()
		select {
		case <-eng.Ready():
		case err := <-done:
			stop()
			eng.Bus.Close()
			b.Close()
			return session{}, err
		}
		return session{books: b, engine: eng, backups: eng.Backups, close: func() error {
			stop()
			if err := <-done; err != nil {
				log.Error("webhook receiver", "err", err)
			}
			eng.Bus.Close()
			return b.Close()
		}}, nil
	}
}

// fail says why ShopLedger cannot start, on stderr and in a small window
// whose OK button quits, and returns the exit status.
func fail(a fyne.App, err error) int {
	failWindow(a, err).ShowAndRun()
	return 1
}

// failWindow is fail's window, not yet shown; closing it quits too.
func failWindow(a fyne.App, err error) fyne.Window {
	msg := i18n.UserMessage(err)
	if errors.Is(err, store.ErrAlreadyRunning) {
		msg = lang.L("ShopLedger is already running")
	}
	fmt.Fprintln(os.Stderr, "shopledger: "+msg)
	if detail := err.Error(); detail != msg && !errors.Is(err, store.ErrAlreadyRunning) {
		fmt.Fprintln(os.Stderr, "  detail: "+detail)
	}

	w := a.NewWindow(lang.L("ShopLedger"))
	// The lines are broken here rather than by the label: a wrapping label
	// asks for its height before it knows its width, and the window would
	// open as tall as one word per line.
	text := widget.NewLabel(widgets.WrapWords(msg, 64))
	icon := widget.NewIcon(theme.InfoIcon())
	ok := widget.NewButton(lang.L("OK"), a.Quit)
	ok.Importance = widget.HighImportance
	width := canvas.NewRectangle(color.Transparent) // room to breathe around a short message
	width.SetMinSize(fyne.NewSize(340, 0))
	w.SetContent(container.NewPadded(container.NewPadded(container.NewVBox(
		width,
		container.NewBorder(nil, nil, icon, nil, text),
		container.NewHBox(layout.NewSpacer(), ok),
	))))
	w.SetFixedSize(true)
	w.CenterOnScreen()
	w.SetOnClosed(a.Quit)
	return w
}
