package ui

// The window's side of the lifecycle; the shell (shell.go) sets up the
// tray before App.Run and hands it to each window it builds.

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
