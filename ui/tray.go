package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
)

// prefTrayNoticeShown remembers that the bookkeeper was told, once, that
// closing the window leaves ShopLedger running in the tray.
const prefTrayNoticeShown = "tray.closeNoticeShown"

// trayActions are what the tray menu does; the window supplies them. They
// run on the UI goroutine and must return at once (start work with go).
type trayActions struct {
	// Show brings the window back (nil: show it and give it focus).
	Show func()
	// SyncNow syncs every shop, joining passes under way.
	SyncNow func()
	// Quit stops the background work and quits the app (nil: App.Quit).
	Quit func()
}

// trayHost is the part of desktop.App the tray uses, so that tests can
// stand in for a desktop.
type trayHost interface {
	SetSystemTrayMenu(*fyne.Menu)
	SetSystemTrayWindow(fyne.Window)
}

// trayProbe says what the desktop offers a tray icon.
type trayProbe struct {
	// Bus: a session bus answers, so the tray can start and, above all,
	// quit (fyne.io/systray panics at quit without one).
	Bus bool
	// Host: something shows tray icons (a StatusNotifierWatcher on the
	// bus), so a hidden window can be brought back from the tray.
	Host bool
}

// probeTray looks at the desktop; tests replace it. On Windows and macOS
// both answers are always yes (tray_other.go); elsewhere it asks D-Bus
// (tray_dbus.go).
var probeTray = probeDesktopTray

// trayAvailable tells whether a tray icon may be set up.
func trayAvailable() bool { return probeTray().Bus }

// tray is ShopLedger's system tray icon and menu: show the window, sync
// now, the last sync's state, quit. With a tray, closing the window hides
// it instead of quitting.
type tray struct {
	app  fyne.App
	win  fyne.Window
	acts trayActions

	menu                   *fyne.Menu
	show, sync, last, quit *fyne.MenuItem
	installed              bool
}

// newTray builds the tray menu for w and, on a desktop with a tray, shows
// it and makes closing w hide it. Call it on the UI goroutine, e.g. in
// Lifecycle().SetOnStarted; it asks the session bus first (bounded by a
// second or two).
func newTray(a fyne.App, w fyne.Window, acts trayActions) *tray {
	t := buildTray(a, w, acts)
	if desk, ok := a.(desktop.App); ok && trayAvailable() {
		t.install(desk)
	}
	return t
}

// buildTray builds the menu without showing it anywhere.
func buildTray(a fyne.App, w fyne.Window, acts trayActions) *tray {
	t := &tray{app: a, win: w, acts: acts}
	t.show = fyne.NewMenuItem(lang.L("Show ShopLedger"), t.showWindow)
	t.sync = fyne.NewMenuItem(lang.L("Sync now"), func() {
		if t.acts.SyncNow != nil {
			t.acts.SyncNow()
		}
	})
	t.last = fyne.NewMenuItem(lang.L("Not synced yet"), nil)
	t.last.Disabled = true
	t.quit = fyne.NewMenuItem(lang.L("Quit"), t.quitApp)
	t.quit.IsQuit = true // Fyne would add a Quit of its own otherwise
	t.menu = fyne.NewMenu(lang.L("ShopLedger"),
		t.show, t.sync, fyne.NewMenuItemSeparator(), t.last, fyne.NewMenuItemSeparator(), t.quit)
	return t
}

// install shows the tray on host and makes closing the window hide it.
func (t *tray) install(host trayHost) {
	host.SetSystemTrayMenu(t.menu)
	// A left click on the icon shows the window. On Linux this also sets
	// a close intercept of its own, so ours comes after.
	host.SetSystemTrayWindow(t.win)
	t.win.SetCloseIntercept(t.closeWindow)
	t.installed = true
}

// Installed tells whether the tray is shown: when not, closing the window
// quits, and a window started minimized must be shown after all.
func (t *tray) Installed() bool { return t.installed }

// setLastSync sets the "last sync" line, e.g. "Last synced 2026-05-09
// 14:02". Safe from any goroutine.
func (t *tray) setLastSync(text string) {
	fyne.Do(func() {
		if t.last.Label == text {
			return
		}
		t.last.Label = text
		if t.installed {
			t.menu.Refresh()
		}
	})
}

func (t *tray) showWindow() {
	if t.acts.Show != nil {
		t.acts.Show()
		return
	}
	t.win.Show()
	t.win.RequestFocus()
}

func (t *tray) quitApp() {
	if t.acts.Quit != nil {
		t.acts.Quit()
		return
	}
	t.app.Quit()
}

// closeWindow is the window's close button while the tray is shown: hide
// the window, and say so the first time. Where no tray icon can be seen
// (a Linux desktop without a StatusNotifier host, such as GNOME without
// the AppIndicator extension) a hidden window could not be brought back,
// so closing quits instead.
func (t *tray) closeWindow() {
	if !probeTray().Host {
		t.quitApp()
		return
	}
	t.win.Hide()
	p := t.app.Preferences()
	if p.BoolWithFallback(prefTrayNoticeShown, false) {
		return
	}
	p.SetBool(prefTrayNoticeShown, true)
	t.app.SendNotification(fyne.NewNotification(
		lang.L("ShopLedger keeps syncing in the background"),
		lang.L("Open it again from the tray icon; choose Quit there to stop it.")))
}
