//go:build !windows && !darwin

package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// shell stands in for the window and its preferences.
type shell struct {
	win            fyne.Window
	language       string
	startMinimized bool
	page           *Page
}

func (s *shell) Window() fyne.Window        { return s.win }
func (s *shell) ChangeLanguage(code string) { s.language = code }
func (s *shell) Language() string           { return s.language }
func (s *shell) StartMinimized() bool       { return s.startMinimized }
func (s *shell) SetStartMinimized(on bool)  { s.startMinimized = on }

// build builds the screen again, as a language switch does.
func (s *shell) build() {
	s.page = New(s, s, "/home/maria/.config/ShopLedger/shopledger.db", nil)
	s.win.SetContent(s.page.Content())
}

// openPage shows the screen in a window of its own, in English, with
// start at login read from and written to the test's own config.
func openPage(t *testing.T) *shell {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	uitest.English(t)
	s := &shell{win: test.NewWindow(nil)}
	s.win.Resize(fyne.NewSize(900, 600))
	s.build()
	t.Cleanup(s.win.Close)
	return s
}

// TestStartAtLoginSetting: the Settings page's check writes the XDG
// autostart entry, which starts the app minimized, and removes it.
func TestStartAtLoginSetting(t *testing.T) {
	w := openPage(t)
	withExecutable(t, "/opt/ShopLedger/shopledger")
	entry := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", "com.shopledger.app.desktop")
	check := w.page.startup.atLogin
	if check.Checked {
		t.Fatal("start at login checked with no entry")
	}

	test.Tap(check)
	data, err := os.ReadFile(entry)
	if err != nil {
		t.Fatalf("no autostart entry after checking: %v", err)
	}
	if !strings.Contains(string(data), "\nExec=/opt/ShopLedger/shopledger --minimized\n") {
		t.Errorf("entry:\n%s", data)
	}

	// A window built again (a language switch) shows what is set up.
	w.build()
	if !w.page.startup.atLogin.Checked {
		t.Error("start at login unchecked while the entry is there")
	}

	test.Tap(w.page.startup.atLogin)
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Errorf("entry still there after unchecking: %v", err)
	}
	if w.page.startup.problem != nil {
		t.Error("a problem was shown")
	}
}

// TestStartAtLoginFails: where the entry cannot be written, a dialog says
// so in plain words and the check shows what is really set up.
func TestStartAtLoginFails(t *testing.T) {
	w := openPage(t)
	withExecutable(t, "/opt/ShopLedger/shopledger")
	// The config directory is a file: no autostart directory can be made.
	blocked := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", blocked)

	test.Tap(w.page.startup.atLogin)
	if w.page.startup.atLogin.Checked {
		t.Error("start at login checked though the entry could not be written")
	}
	d := w.page.startup.problem
	if d == nil {
		t.Fatal("no dialog said why")
	}
	markup := test.RenderObjectToMarkup(w.win.Canvas().Overlays().Top())
	for _, text := range []string{"ShopLedger could not set itself to start at login", "Details: start at login:"} {
		if !strings.Contains(markup, text) {
			t.Errorf("the dialog lacks %q", text)
		}
	}
	d.Hide()
}

// TestStartMinimizedSetting: the check is the preference Main reads.
func TestStartMinimizedSetting(t *testing.T) {
	w := openPage(t)
	if w.page.startup.minimized.Checked || w.StartMinimized() {
		t.Fatal("start minimized on by default")
	}
	test.Tap(w.page.startup.minimized)
	if !w.StartMinimized() {
		t.Error("checking Start minimized did not set the preference")
	}
	w.build()
	if !w.page.startup.minimized.Checked {
		t.Error("Start minimized unchecked after a rebuild")
	}
}
