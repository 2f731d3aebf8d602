package tray

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
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

// counts counts the calls of Actions.
type counts struct{ show, sync, quit int }

func (c *counts) actions() Actions {
	return Actions{Show: func() { c.show++ }, SyncNow: func() { c.sync++ }, Quit: func() { c.quit++ }}
}

// withProbe makes the desktop look like p for the test.
func withProbe(t *testing.T, p Probe) {
	old := probeTray
	probeTray = func() Probe { return p }
	t.Cleanup(func() { probeTray = old })
}

func newSpyWindow(a fyne.App) *spyWindow { return &spyWindow{Window: a.NewWindow("ShopLedger")} }

// TestTrayMenu: the items, in order, and what each does.
func TestTrayMenu(t *testing.T) {
	a := test.NewTempApp(t)
	var c counts
	tr := buildTray(a, newSpyWindow(a), c.actions())

	var labels []string
	for _, it := range tr.menu.Items {
		if it.IsSeparator {
			labels = append(labels, "—")
			continue
		}
		labels = append(labels, it.Label)
	}
	want := []string{"Show ShopLedger", "Sync now", "—", "Not synced yet", "—", "Quit"}
	if len(labels) != len(want) {
		t.Fatalf("menu %q, want %q", labels, want)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Fatalf("menu %q, want %q", labels, want)
		}
	}
	if !tr.last.Disabled || tr.last.Action != nil {
		t.Error("the last-sync line can be clicked")
	}
	if !tr.quit.IsQuit {
		t.Error("Quit is not marked IsQuit: Fyne would add a second one")
	}

	tr.show.Action()
	tr.sync.Action()
	tr.sync.Action()
	tr.quit.Action()
	if c != (counts{show: 1, sync: 2, quit: 1}) {
		t.Errorf("actions called %+v", c)
	}
}

// TestTrayDefaults: without Show and Quit the tray shows the window and
// quits the app itself; without SyncNow the item does nothing.
func TestTrayDefaults(t *testing.T) {
	a := test.NewTempApp(t)
	w := newSpyWindow(a)
	tr := buildTray(a, w, Actions{})
	tr.show.Action()
	if w.show != 1 {
		t.Errorf("Show without an action showed the window %d times", w.show)
	}
	tr.sync.Action()
	tr.quit.Action() // the test app's Quit does nothing; it must not panic
}

// TestTraySetLastSync: the line changes from any goroutine.
func TestTraySetLastSync(t *testing.T) {
	a := test.NewTempApp(t)
	tr := buildTray(a, newSpyWindow(a), Actions{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tr.SetLastSync("Last synced 2026-05-09 14:02")
	}()
	<-done
	if got := tr.last.Label; got != "Last synced 2026-05-09 14:02" {
		t.Errorf("last-sync line %q", got)
	}
	if !tr.last.Disabled {
		t.Error("the last-sync line became clickable")
	}
}

// TestTrayInstallAndClose: on a desktop with a tray the menu and window
// go to the tray, and closing the window hides it, with one notice ever.
func TestTrayInstallAndClose(t *testing.T) {
	withProbe(t, Probe{Bus: true, Host: true})
	a := test.NewTempApp(t)
	desk := &fakeDesktop{App: a}
	w := newSpyWindow(a)
	var c counts
	tr := New(desk, w, c.actions(), nil)

	if !tr.Installed() || desk.menu != tr.menu || desk.win != fyne.Window(w) {
		t.Fatalf("tray not installed: installed %v, menu %p, window %v", tr.Installed(), desk.menu, desk.win)
	}
	if w.intercept == nil {
		t.Fatal("no close intercept")
	}
	notice := fyne.NewNotification("ShopLedger keeps syncing in the background",
		"Open it again from the tray icon; choose Quit there to stop it.")
	test.AssertNotificationSent(t, notice, w.intercept)
	if w.hides != 1 || c.quit != 0 {
		t.Errorf("first close: hidden %d times, quit %d times", w.hides, c.quit)
	}
	if !a.Preferences().Bool(prefTrayNoticeShown) {
		t.Error("the notice is not remembered")
	}
	test.AssertNotificationSent(t, nil, w.intercept)
	if w.hides != 2 || c.quit != 0 {
		t.Errorf("second close: hidden %d times, quit %d times", w.hides, c.quit)
	}

	// The line is refreshed in the tray too (Menu.Refresh with a driver
	// that has no tray is a no-op, so this checks only that it is safe).
	tr.SetLastSync("Last sync failed: offline")
	if tr.last.Label != "Last sync failed: offline" {
		t.Errorf("last-sync line %q", tr.last.Label)
	}
}

// TestTrayNoticeShownBefore: a notice shown in an earlier run is not
// shown again.
func TestTrayNoticeShownBefore(t *testing.T) {
	withProbe(t, Probe{Bus: true, Host: true})
	a := test.NewTempApp(t)
	a.Preferences().SetBool(prefTrayNoticeShown, true)
	w := newSpyWindow(a)
	New(&fakeDesktop{App: a}, w, Actions{}, nil)
	test.AssertNotificationSent(t, nil, w.intercept)
	if w.hides != 1 {
		t.Errorf("hidden %d times", w.hides)
	}
}

// TestTrayCloseWithoutHost: a session bus but nothing that shows tray
// icons: closing quits, since a hidden window could not come back.
func TestTrayCloseWithoutHost(t *testing.T) {
	withProbe(t, Probe{Bus: true, Host: false})
	a := test.NewTempApp(t)
	w := newSpyWindow(a)
	var c counts
	tr := New(&fakeDesktop{App: a}, w, c.actions(), nil)
	if !tr.Installed() {
		t.Fatal("tray not installed on a desktop with a session bus")
	}
	test.AssertNotificationSent(t, nil, w.intercept)
	if w.hides != 0 || c.quit != 1 {
		t.Errorf("close without a tray host: hidden %d times, quit %d times", w.hides, c.quit)
	}
}

// TestTrayNotInstalled: without a session bus, or on a driver without a
// tray (the test driver), nothing is installed and closing is left alone.
func TestTrayNotInstalled(t *testing.T) {
	for name, mk := range map[string]func(a fyne.App) fyne.App{
		"no session bus": func(a fyne.App) fyne.App { return &fakeDesktop{App: a} },
		"not a desktop":  func(a fyne.App) fyne.App { return a },
	} {
		t.Run(name, func(t *testing.T) {
			withProbe(t, Probe{Bus: name != "no session bus", Host: true})
			a := test.NewTempApp(t)
			w := newSpyWindow(a)
			app := mk(a)
			tr := New(app, w, Actions{}, nil)
			if tr.Installed() || w.intercept != nil {
				t.Errorf("installed %v, close intercept set %v", tr.Installed(), w.intercept != nil)
			}
			if desk, ok := app.(*fakeDesktop); ok && desk.menu != nil {
				t.Error("menu handed to the desktop")
			}
			tr.SetLastSync("Last synced now") // safe either way
		})
	}
}

// TestTrayCanHide: the window may start hidden only where the tray is
// installed and a tray host shows it; a long last-sync line is cut short.
func TestTrayCanHide(t *testing.T) {
	for _, c := range []struct {
		probe Probe
		want  bool
	}{
		{Probe{Bus: true, Host: true}, true},
		{Probe{Bus: true}, false},
		{Probe{Host: true}, false},
		{Probe{}, false},
	} {
		withProbe(t, c.probe)
		a := test.NewTempApp(t)
		tr := New(&fakeDesktop{App: a}, newSpyWindow(a), Actions{}, nil)
		if tr.CanHide() != c.want || tr.Installed() != c.probe.Bus {
			t.Errorf("probe %+v: can hide %v, installed %v", c.probe, tr.CanHide(), tr.Installed())
		}
		tr.SetLastSync(strings.Repeat("word ", 40))
		if n := len([]rune(tr.last.Label)); n > trayLineMax || !strings.HasSuffix(tr.last.Label, "…") {
			t.Errorf("long line shown as %q (%d characters)", tr.last.Label, n)
		}
	}
}
