//go:build linux || freebsd || openbsd || netbsd

package tray

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

// trayProbeTimeout bounds the look at the session bus: a bus that accepts
// the connection and never answers must not hold up the window.
const trayProbeTimeout = 2 * time.Second

// statusNotifierWatcher is the bus name of whatever shows tray icons
// (KDE, most desktops; GNOME only with the AppIndicator extension).
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// probeDesktopTray connects to the session bus on a private connection —
// never the shared one fyne.io/systray and Fyne's notifications use, which
// closing would break — asks whether a tray host runs, and hangs up. It
// does not start a bus where none runs (no dbus-launch autolaunch): the
// tray would have nothing to show on anyway.
func probeDesktopTray() Probe {
	ctx, cancel := context.WithTimeout(context.Background(), trayProbeTimeout)
	defer cancel()
	// $DBUS_SESSION_BUS_ADDRESS, else /run/user/<uid>/bus; the context
	// closes the connection if the bus stops answering.
	conn, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(ctx))
	if err != nil {
		return Probe{}
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return Probe{}
	}
	if err := conn.Hello(); err != nil {
		return Probe{}
	}
	var host bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&host)
	return Probe{Bus: true, Host: err == nil && host}
}
