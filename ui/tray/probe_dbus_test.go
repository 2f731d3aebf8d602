//go:build linux || freebsd || openbsd || netbsd

package tray

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// privateBus starts a dbus-daemon of the test's own and returns its
// address; it is stopped when the test ends.
func privateBus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed")
	}
	// Not t.TempDir(): the test's name may hold a comma, which ends a
	// value in a D-Bus address.
	dir, err := os.MkdirTemp("", "shopledger-bus")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "bus")
	cmd := exec.Command(bin, "--session", "--nofork", "--nopidfile", "--print-address=1", "--address=unix:path="+sock)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Wait()
		t.Fatalf("dbus-daemon printed no address: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(addr)
}

// TestProbeDesktopTray runs the real probe against buses of the test's
// own: none, one without a tray host, one with, and one that never
// answers.
func TestProbeDesktopTray(t *testing.T) {
	t.Run("no bus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
		if p := probeDesktopTray(); p != (Probe{}) {
			t.Errorf("probe without a bus = %+v", p)
		}
	})

	t.Run("bus without host then with", func(t *testing.T) {
		addr := privateBus(t)
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
		if p := probeDesktopTray(); p != (Probe{Bus: true}) {
			t.Errorf("probe of a bare bus = %+v, want a bus without a tray host", p)
		}
		host, err := dbus.Connect(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer host.Close()
		if reply, err := host.RequestName(statusNotifierWatcher, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("become the tray host: %v %v", reply, err)
		}
		if p := probeDesktopTray(); p != (Probe{Bus: true, Host: true}) {
			t.Errorf("probe with a tray host = %+v", p)
		}
	})

	t.Run("silent bus", func(t *testing.T) {
		ln, err := net.Listen("unix", filepath.Join(t.TempDir(), "silent"))
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close() // accept, never answer
			}
		}()
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+ln.Addr().String())
		began := time.Now()
		if p := probeDesktopTray(); p != (Probe{}) {
			t.Errorf("probe of a silent bus = %+v", p)
		}
		if took := time.Since(began); took > trayProbeTimeout+time.Second {
			t.Errorf("probe of a silent bus took %v", took)
		}
	})
}
