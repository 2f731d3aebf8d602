package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"os"

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
	setLanguage(newPrefs(a).Language()) // before any widget is built

	if dataDir == "" {
		dir, err := books.DefaultDataDir()
		if err != nil {
			return fail(a, err)
		}
		dataDir = dir
	}
	b, err := books.Open(dataDir, secrets.NewKeyring())
	if err != nil {
		return fail(a, err)
	}
	log, closeLog, err := applog.Open(applog.Options{Dir: dataDir})
	if err != nil {
		b.Close()
		return fail(a, fmt.Errorf("open the log: %w", err))
	}
	defer closeLog()
	// The background starts before the window: the receiver listens first,
	// so webhooks delivered while the window opens are taken. Another
	// program on the webhook port must not keep the app from opening.
	// A demo shop from an earlier run starts again before automatic sync
	// reaches for it.
	demoOpt := demoOptions()
	eng := engine.New(b, engine.Options{
		AnyPort: true, Log: log, PublicBaseURL: newPrefs(a).PublicWebhookURL(), Demo: &demoOpt,
		Backups: engine.DailyBackups(dataDir, log),
	})
	engCtx, stopEngine := context.WithCancel(context.Background())
	engDone := make(chan error, 1)
	go func() { engDone <- eng.Serve(engCtx) }()
	select {
	case <-eng.Ready():
	case err := <-engDone:
		stopEngine()
		b.Close()
		return fail(a, err)
	}

	w := newMainWindow(a, b, options{engine: eng})
	w.win.SetMaster()
	// The start-at-login entry follows the program if it was moved or
	// updated since it was written.
	if err := settings.RefreshAutostart(); err != nil {
		log.Warn("start at login: rewrite the entry", "err", err)
	}
	if w.setUpTray(a, minimized) {
		w.win.Show()
	}
	a.Lifecycle().SetOnStarted(w.start)
	// Stop background work as the app stops, so a sync in flight ends and
	// no update reaches a window that is gone.
	a.Lifecycle().SetOnStopped(w.cancel)
	a.Run()

	w.stop()
	stopEngine()
	if err := <-engDone; err != nil {
		log.Error("webhook receiver", "err", err)
	}
	eng.Bus.Close()
	if err := b.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "shopledger:", err)
		return 1
	}
	return 0
}

// fail says why ShopLedger cannot start, on stderr and in a small window
// whose OK button quits, and returns the exit status.
func fail(a fyne.App, err error) int {
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
	w.ShowAndRun()
	return 1
}
