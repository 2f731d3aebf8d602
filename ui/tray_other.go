//go:build !(linux || freebsd || openbsd || netbsd)

package ui

// probeDesktopTray: Windows and macOS always have a notification area or
// menu bar for the icon, and no D-Bus to lack.
func probeDesktopTray() trayProbe { return trayProbe{Bus: true, Host: true} }
