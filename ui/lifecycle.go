package ui

import (
	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/ui/tray"
)

// setUpTray puts the window's tray up and tells whether to show the window
// now. Main calls it before App.Run (see tray.New for why). minimized (the
// --minimized flag, as at login) or the "Start minimized" setting asks to
// start in the tray; where no tray can bring the window back, it is shown
// anyway.
func (w *mainWindow) setUpTray(a fyne.App, minimized bool) (show bool) {
	w.tray = tray.New(a, w.win, tray.Actions{
		Show:    w.showWindow,
		SyncNow: w.syncNow,
		// Quitting ends App.Run; Main then stops the window's work, the
		// engine and the books, in that order.
		Quit: a.Quit,
	}, w.trayProbe)
	if text := w.status.text(); text != "" {
		w.tray.SetLastSync(text)
	}
	minimized = minimized || w.settings.StartMinimized()
	return !minimized || !w.tray.CanHide()
}

// showWindow brings the window back from the tray, in front.
func (w *mainWindow) showWindow() {
	w.win.Show()
	w.win.RequestFocus()
}

// statusDone hears every finished sentence of the status line: the
// session log keeps it, and the tray's last-sync line shows it.
func (w *mainWindow) statusDone(said sentence) {
	w.addLog(said)
	if text := said(); w.tray != nil && text != "" {
		w.tray.SetLastSync(text)
	}
}
