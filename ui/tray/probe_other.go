//go:build !(linux || freebsd || openbsd || netbsd)

package tray

// probeDesktopTray: Windows and macOS always have a notification area or
// menu bar for the icon, and no D-Bus to lack.
func probeDesktopTray() Probe { return Probe{Bus: true, Host: true} }
