// Package tray is ShopLedger's system tray icon and menu: show the
// window, sync now, the last sync's state, quit. With a tray, closing the
// window hides it instead of quitting. The shell sets it up before
// App.Run and tells it each finished status sentence.
package tray

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
)

// prefTrayNoticeShown remembers that the bookkeeper was told, once, that
// closing the window leaves ShopLedger running in the tray.
const prefTrayNoticeShown = "tray.closeNoticeShown"

// trayLineMax is the longest last-sync line the menu shows, in characters.
const trayLineMax = 80

// Actions are what the tray menu does; the window supplies them. They
// run on the UI goroutine and must return at once (start work with go).
type Actions struct {
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

// Probe says what the desktop offers a tray icon.
type Probe struct {
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

// Tray is the tray icon's menu, and the window's close button while the
// tray is shown.
type Tray struct {
	app   fyne.App
	win   fyne.Window
	acts  Actions
	probe func() Probe // what the desktop offers, asked at install and at close

	menu                   *fyne.Menu
	show, sync, last, quit *fyne.MenuItem
	installed              bool
	// host: at install, something on the desktop showed tray icons.
	host bool
}

// New builds the tray menu for w and, on a desktop with a tray, shows it
// and makes closing w hide it. Call it on the main goroutine before
// App.Run: Fyne starts the tray's D-Bus side only as Run begins, so a tray
// set up later (in Lifecycle().SetOnStarted) never appears. probe says
// what the desktop offers (nil: ask it, over the session bus, bounded by a
// second or two); tests pass their own.
func New(a fyne.App, w fyne.Window, acts Actions, probe func() Probe) *Tray {
	t := buildTray(a, w, acts)
	if probe != nil {
		t.probe = probe
	}
	if desk, ok := a.(desktop.App); ok {
		if p := t.probe(); p.Bus {
			t.install(desk)
			t.host = p.Host
		}
	}
	return t
}

// buildTray builds the menu without showing it anywhere.
func buildTray(a fyne.App, w fyne.Window, acts Actions) *Tray {
	t := &Tray{app: a, win: w, acts: acts, probe: func() Probe { return probeTray() }}
	t.show = fyne.NewMenuItem("", t.showWindow)
	t.sync = fyne.NewMenuItem("", func() {
		if t.acts.SyncNow != nil {
			t.acts.SyncNow()
		}
	})
	t.last = fyne.NewMenuItem(lang.L("Not synced yet"), nil)
	t.last.Disabled = true
	t.quit = fyne.NewMenuItem("", t.quitApp)
	t.quit.IsQuit = true // Fyne would add a Quit of its own otherwise
	t.menu = fyne.NewMenu("",
		t.show, t.sync, fyne.NewMenuItemSeparator(), t.last, fyne.NewMenuItemSeparator(), t.quit)
	t.label()
	return t
}

// label names the menu and its items in the current language.
func (t *Tray) label() {
	t.menu.Label = lang.L("ShopLedger")
	t.show.Label = lang.L("Show ShopLedger")
	t.sync.Label = lang.L("Sync now")
	t.quit.Label = lang.L("Quit")
}

// Relabel says the menu again in the current language, after a switch of
// language; the last-sync line follows with the window's next sentence.
func (t *Tray) Relabel() {
	t.label()
	if t.installed {
		t.menu.Refresh()
	}
}

// install shows the tray on host and makes closing the window hide it.
func (t *Tray) install(host trayHost) {
	host.SetSystemTrayMenu(t.menu)
	// A left click on the icon shows the window. On Linux this also sets
	// a close intercept of its own, so ours comes after.
	host.SetSystemTrayWindow(t.win)
	t.win.SetCloseIntercept(t.closeWindow)
	t.installed = true
}

// Installed tells whether the tray is shown: when not, closing the window
// quits.
func (t *Tray) Installed() bool { return t.installed }

// CanHide tells whether the window may start hidden: the tray is shown and
// something on the desktop displays it, so the window can be brought back.
// When not, a window asked to start minimized is shown after all.
func (t *Tray) CanHide() bool { return t.installed && t.host }

// SetLastSync sets the "last sync" line, e.g. "Last synced 2026-05-09
// 14:02"; a long sentence is cut short, as menus do not wrap. Like every
// widget change it runs on the UI goroutine: the window calls it from its
// status line, which the bridge updates there.
func (t *Tray) SetLastSync(text string) {
	if r := []rune(text); len(r) > trayLineMax {
		text = strings.TrimSpace(string(r[:trayLineMax-1])) + "…"
	}
	if t.last.Label == text {
		return
	}
	t.last.Label = text
	if t.installed {
		t.menu.Refresh()
	}
}

func (t *Tray) showWindow() {
	if t.acts.Show != nil {
		t.acts.Show()
		return
	}
	t.win.Show()
	t.win.RequestFocus()
}

func (t *Tray) quitApp() {
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
func (t *Tray) closeWindow() {
	if !t.probe().Host {
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

// Menu is the tray's menu, for the shell's tests.
func (t *Tray) Menu() *fyne.Menu { return t.menu }

// Items are the menu's entries (show, sync now, the last-sync line,
// quit), for the shell's tests.
func (t *Tray) Items() (show, sync, last, quit *fyne.MenuItem) { return t.show, t.sync, t.last, t.quit }
