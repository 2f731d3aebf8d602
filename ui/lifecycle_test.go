package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/ui/tray"
)

// spyWindow records what the tray does to the window; the test driver's
// window neither calls a close intercept nor tells whether it is shown.
type spyWindow struct {
	fyne.Window
	intercept   func()
	hides, show int
}

func (w *spyWindow) SetCloseIntercept(f func()) { w.intercept = f; w.Window.SetCloseIntercept(f) }
func (w *spyWindow) Hide()                      { w.hides++; w.Window.Hide() }
func (w *spyWindow) Show()                      { w.show++; w.Window.Show() }

// fakeDesktop is a desktop.App around the test app: the test driver has
// no tray.
type fakeDesktop struct {
	fyne.App
	menu *fyne.Menu
	win  fyne.Window
}

func (d *fakeDesktop) SetSystemTrayMenu(m *fyne.Menu)    { d.menu = m }
func (d *fakeDesktop) SetSystemTrayIcon(fyne.Resource)   {}
func (d *fakeDesktop) SetSystemTrayWindow(w fyne.Window) { d.win = w; w.SetCloseIntercept(w.Hide) }

var _ desktop.App = (*fakeDesktop)(nil)

// trayProbe is what the desktop of the test offers a tray (withProbe).
var trayProbe tray.Probe

// withProbe makes the desktop look like p for the test's windows.
func withProbe(t *testing.T, p tray.Probe) {
	old := trayProbe
	trayProbe = p
	t.Cleanup(func() { trayProbe = old })
}

// trayItem is the window's tray menu entry i: show, sync now, the
// last-sync line, quit.
func trayItem(w *mainWindow, i int) *fyne.MenuItem {
	show, sync, last, quit := w.tray.Items()
	return []*fyne.MenuItem{show, sync, last, quit}[i]
}

// quitDesktop is a desktop with a tray whose Quit is counted: the test
// app's does nothing.
type quitDesktop struct {
	fakeDesktop
	quits int
}

func (d *quitDesktop) Quit() { d.quits++ }

// trayWindow sets up the tray of an opened window on a fake desktop, as
// Main's shell does before Run, and hands it to the window as the shell
// does once the books are open; the window is watched through a spyWindow.
func trayWindow(t *testing.T, w *mainWindow, minimized bool) (desk *quitDesktop, spy *spyWindow, show bool) {
	t.Helper()
	spy = &spyWindow{Window: w.win}
	w.win = spy
	desk = &quitDesktop{fakeDesktop: fakeDesktop{App: fyne.CurrentApp()}}
	s := &shell{app: fyne.CurrentApp(), win: spy, w: w}
	show = s.setUpTray(desk, minimized, func() tray.Probe { return trayProbe })
	s.attachTray(w)
	return desk, spy, show
}

// TestWindowTray: the tray of the real window, over real books and a
// simulated shop: the last-sync line follows the status line, and Show,
// Sync now and Quit act; closing the window hides it with one notice.
func TestWindowTray(t *testing.T) {
	withProbe(t, tray.Probe{Bus: true, Host: true})
	b := openBooks(t)
	addShopDirectly(t, b, "Demo shop", startShop(t, 30))
	w, j := openWindow(t, b, options{})
	desk, spy, show := trayWindow(t, w, false)
	if !show || !w.tray.Installed() || desk.menu != w.tray.Menu() || desk.win != fyne.Window(spy) {
		t.Fatalf("tray: show %v, installed %v, menu handed over %v", show, w.tray.Installed(), desk.menu == w.tray.Menu())
	}

	startAndSync(t, w, j) // loads, then syncs the shop
	if got := w.status.text(); got != "Synced 30 orders from Demo shop at 16:02" {
		t.Fatalf("status after the first sync: %q", got)
	}
	if trayItem(w, 2).Label != w.status.text() {
		t.Errorf("tray line %q, status %q", trayItem(w, 2).Label, w.status.text())
	}

	// Sync now from the tray runs the window's sync.
	trayItem(w, 1).Action()
	if !w.sync.running() || !w.syncBtn.Disabled() {
		t.Fatal("Sync now in the tray did not start a sync")
	}
	j.drain(t)
	want := "Demo shop is up to date (checked at 16:02)"
	if w.status.text() != want || trayItem(w, 2).Label != want {
		t.Errorf("after Sync now from the tray: status %q, tray %q", w.status.text(), trayItem(w, 2).Label)
	}

	// Closing hides to the tray, telling so once; Show brings it back.
	notice := fyne.NewNotification("ShopLedger keeps syncing in the background",
		"Open it again from the tray icon; choose Quit there to stop it.")
	test.AssertNotificationSent(t, notice, spy.intercept)
	test.AssertNotificationSent(t, nil, spy.intercept)
	if spy.hides != 2 || desk.quits != 0 {
		t.Fatalf("closing twice: hidden %d times, quit %d times", spy.hides, desk.quits)
	}
	shows := spy.show
	trayItem(w, 0).Action()
	if spy.show != shows+1 {
		t.Errorf("Show ShopLedger: shown %d times", spy.show-shows)
	}

	// Quit quits the app (Main then stops the rest in order).
	trayItem(w, 3).Action()
	if desk.quits != 1 {
		t.Errorf("Quit in the tray quit %d times", desk.quits)
	}
}

// TestWindowTrayLanguage: switching the language says the tray menu again
// in it, the last-sync line included.
func TestWindowTrayLanguage(t *testing.T) {
	withProbe(t, tray.Probe{Bus: true, Host: true})
	w, j := openWindow(t, openBooks(t), options{})
	trayWindow(t, w, false)
	w.start()
	j.drain(t)
	if trayItem(w, 2).Label != "No shop connected yet" {
		t.Fatalf("tray line %q", trayItem(w, 2).Label)
	}
	w.ChangeLanguage("bg")
	j.drain(t)
	for item, want := range map[*fyne.MenuItem]string{
		trayItem(w, 0): "Покажи ShopLedger",
		trayItem(w, 2): "Все още няма свързан магазин",
	} {
		if item.Label != want {
			t.Errorf("tray item %q, want %q", item.Label, want)
		}
	}
}

// TestStartMinimized: --minimized (or the setting) keeps the window hidden
// only where a tray can bring it back.
func TestStartMinimized(t *testing.T) {
	for _, c := range []struct {
		name       string
		probe      tray.Probe
		flag, pref bool
		show       bool
	}{
		{"flag with a tray", tray.Probe{Bus: true, Host: true}, true, false, false},
		{"setting with a tray", tray.Probe{Bus: true, Host: true}, false, true, false},
		{"neither", tray.Probe{Bus: true, Host: true}, false, false, true},
		{"flag, tray without a host", tray.Probe{Bus: true}, true, false, true},
		{"flag without a session bus", tray.Probe{}, true, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			withProbe(t, c.probe)
			w, _ := openWindow(t, openBooks(t), options{})
			w.settings.SetStartMinimized(c.pref)
			_, _, show := trayWindow(t, w, c.flag)
			if show != c.show {
				t.Errorf("show the window: %v, want %v", show, c.show)
			}
		})
	}
}
