//go:build darwin

package settings

import (
	"fmt"
	"os"
	"path/filepath"
)

// autostartFile is the LaunchAgent: ~/Library/LaunchAgents/com.shopledger.app.plist.
func autostartFile() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Library", "LaunchAgents", autostartName+".plist"), nil
}

// setAutostart writes the LaunchAgent, or removes it. It takes effect at
// the next login; macOS 13 and later tell the user a background item was
// added, and list it under Settings → General → Login Items.
func setAutostart(enabled bool) error {
	path, err := autostartFile()
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := setAutostartFile(path, enabled, launchAgentPlist); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// autostartEnabled tells whether the LaunchAgent is there.
func autostartEnabled() bool {
	path, err := autostartFile()
	if err != nil {
		return false
	}
	_, err = os.Stat(path)
	return err == nil
}
