//go:build !windows && !darwin

package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAutostartXDG: switching start at login on writes the entry into
// $XDG_CONFIG_HOME/autostart, off removes it, and what desktops do to
// switch it off is respected.
func TestAutostartXDG(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	withExecutable(t, "/opt/Shop Ledger/shopledger")
	path := filepath.Join(cfg, "autostart", "com.shopledger.app.desktop")

	if autostartEnabled() {
		t.Fatal("enabled before anything was written")
	}
	if err := setAutostart(false); err != nil {
		t.Fatalf("switching off what is not there: %v", err)
	}
	if err := setAutostart(true); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec=\"/opt/Shop Ledger/shopledger\" --minimized\n") {
		t.Errorf("entry:\n%s", data)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("entry mode %v (%v), want 0644", fi.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(cfg, "autostart", ".shopledger-*")); len(left) != 0 {
		t.Errorf("temporary files left: %q", left)
	}
	if !autostartEnabled() {
		t.Error("not enabled after setAutostart(true)")
	}

	// Moved: refreshAutostart points the entry at the new place.
	withExecutable(t, "/usr/local/bin/shopledger")
	if err := RefreshAutostart(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "\nExec=/usr/local/bin/shopledger --minimized\n") {
		t.Errorf("after refresh:\n%s", data)
	}

	// Switched off by the desktop's own settings.
	if err := os.WriteFile(path, append(data, "Hidden=true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if autostartEnabled() {
		t.Error("enabled with Hidden=true")
	}
	if err := RefreshAutostart(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "Hidden=true") {
		t.Error("refreshAutostart switched an entry the user switched off back on")
	}

	if err := setAutostart(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("entry still there after setAutostart(false): %v", err)
	}
	if autostartEnabled() {
		t.Error("enabled after setAutostart(false)")
	}
}

// TestAutostartAppImage: from an AppImage, the AppImage file is started,
// not its mount point, which changes at every start.
func TestAutostartAppImage(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	withExecutable(t, "/tmp/.mount_ShopLeXYZ/usr/bin/shopledger")
	t.Setenv("APPIMAGE", "/home/u/Apps/ShopLedger.AppImage")
	if err := setAutostart(true); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(cfg, "autostart", "com.shopledger.app.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec=/home/u/Apps/ShopLedger.AppImage --minimized\n") {
		t.Errorf("entry:\n%s", data)
	}
}
