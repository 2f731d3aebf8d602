//go:build !windows && !darwin

package settings

import (
	"fmt"
	"os"
	"path/filepath"
)

// autostartFile is the XDG autostart entry: $XDG_CONFIG_HOME/autostart
// (~/.config/autostart when unset)/com.shopledger.app.desktop.
func autostartFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "autostart", autostartName+".desktop"), nil
}

// setAutostart writes the autostart entry, or removes it.
func setAutostart(enabled bool) error {
	path, err := autostartFile()
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := setAutostartFile(path, enabled, desktopEntry); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// autostartEnabled tells whether the entry is there and not switched off.
func autostartEnabled() bool {
	path, err := autostartFile()
	if err != nil {
		return false
	}
	data, err := os.ReadFile(path)
	return err == nil && desktopEntryEnabled(string(data))
}
