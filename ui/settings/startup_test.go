//go:build !windows && !darwin

package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

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
