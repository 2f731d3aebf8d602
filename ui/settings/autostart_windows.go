//go:build windows

package settings

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// The Run key starts its values' command lines at login. Task Manager's
// "Startup apps" switch does not touch it: it writes a value of the same
// name under StartupApproved\Run, whose first byte is odd while switched
// off.
const (
	runKey      = `Software\Microsoft\Windows\CurrentVersion\Run`
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
	runValue    = "ShopLedger"
)

// setAutostart writes the Run value, or deletes it. Either way Task
// Manager's switch for it is reset, so that switching start-at-login on in
// ShopLedger turns it on, whatever was chosen in Task Manager before.
func setAutostart(enabled bool) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	defer k.Close()
	if a, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE); err == nil {
		a.DeleteValue(runValue) // absent is fine
		a.Close()
	}
	if !enabled {
		if err := k.DeleteValue(runValue); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("start at login: %w", err)
		}
		return nil
	}
	exe, err := autostartExecutable()
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	cmd, err := windowsCommandLine(exe, autostartArgs)
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := k.SetStringValue(runValue, cmd); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// autostartEnabled tells whether the Run value is there and not switched
// off in Task Manager.
func autostartEnabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	if v, _, err := k.GetStringValue(runValue); err != nil || v == "" {
		return false
	}
	a, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE)
	if err != nil {
		return true
	}
	defer a.Close()
	b, _, err := a.GetBinaryValue(runValue)
	return err != nil || len(b) == 0 || b[0]&1 == 0
}
