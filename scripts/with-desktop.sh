#!/usr/bin/env bash
# Usage: scripts/with-desktop.sh COMMAND [ARGS...]
#
# Runs COMMAND in a throwaway desktop session, as the tests and the screenshot need it:
#   - HOME and the XDG dirs point into a temp dir, so the user's config, keyrings and Fyne preferences are never
#     touched (Go's build cache, module cache and settings stay where they were);
#   - one private D-Bus session bus (dbus-run-session): nothing started on it outlives COMMAND;
#   - gnome-keyring's Secret Service on that bus, with a fresh "login" keyring, unlocked;
#   - Xvfb on the first free display from :99 up (-nolisten tcp, black root window), with software OpenGL.
# Exports DISPLAY, LIBGL_ALWAYS_SOFTWARE=1, GNOME_KEYRING_CONTROL, and SHOPLEDGER_E2E=1 and
# SHOPLEDGER_KEYRING_TEST=1, which tell tests that a display and a real keyring are there.
# COMMAND runs last; its exit status is this script's. Afterwards the Xvfb this script started is stopped, the
# keyring daemon exits with its bus, and the temp dir is removed.
set -euo pipefail

die() {
	printf 'with-desktop.sh: %s\n' "$@" >&2
	exit 1
}

if [[ ${_SHOPLEDGER_DESKTOP-} != inside ]]; then
	(($# > 0)) || die "usage: $0 COMMAND [ARGS...]"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/shopledger-desktop.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT

	# Pin Go's caches and settings before moving HOME and the XDG dirs, or every run would rebuild from scratch.
	{ read -r GOCACHE && read -r GOMODCACHE && read -r GOPATH && read -r GOENV; } < <(go env GOCACHE GOMODCACHE GOPATH GOENV)
	export GOCACHE GOMODCACHE GOPATH GOENV

	mkdir -m 700 "$tmp"/{home,config,data,cache,state,runtime}
	export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache \
		XDG_STATE_HOME=$tmp/state XDG_RUNTIME_DIR=$tmp/runtime
	# Never reach the user's own keyring, bus or display: gnome-keyring-daemon --unlock would otherwise hand our
	# password to an already running daemon found through these.
	unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY XAUTHORITY
	# dbus-daemon logs to stderr (a root-only fd-limit warning, service activations); keep that out of the output
	# unless the bus itself fails to come up.
	printf '#!/bin/sh\nexec dbus-daemon "$@" 2>>"%s"\n' "$tmp/dbus.log" >"$tmp/dbus-daemon"
	chmod +x "$tmp/dbus-daemon"
	export _SHOPLEDGER_DESKTOP=inside _SHOPLEDGER_DESKTOP_TMP=$tmp
	status=0
	dbus-run-session --dbus-daemon="$tmp/dbus-daemon" -- "$0" "$@" || status=$?
	if [[ ! -e $tmp/inside ]]; then
		cat "$tmp/dbus.log" >&2 2>/dev/null || true
		die "could not start a D-Bus session (dbus-run-session exited with $status)"
	fi
	exit "$status"
fi

# --- inside dbus-run-session ---
tmp=$_SHOPLEDGER_DESKTOP_TMP
unset _SHOPLEDGER_DESKTOP _SHOPLEDGER_DESKTOP_TMP
: >"$tmp/inside"

xvfb_pid=
stop_xvfb() {
	[[ -n $xvfb_pid ]] || return 0
	kill "$xvfb_pid" 2>/dev/null || true
	wait "$xvfb_pid" 2>/dev/null || true
}
trap stop_xvfb EXIT

# The Secret Service. With no keyring yet, --unlock creates "login" with this password and unlocks it, then
# prints the variables to export (GNOME_KEYRING_CONTROL=...). The daemon forks and stays on our bus.
out=$(printf %s shopledger-test | gnome-keyring-daemon --unlock --components=secrets) ||
	die "gnome-keyring-daemon --unlock failed"
while IFS= read -r line; do
	if [[ $line == [A-Z]*=* ]]; then export "${line?}"; fi
done <<<"$out"
for ((i = 0; ; i++)); do
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
	((i < 100)) || die "gnome-keyring did not register org.freedesktop.secrets on the session bus within 5 s"
	sleep 0.05
done

# Xvfb on the first free display from :99. If another server grabs the display meanwhile, ours exits at once and
# we try the next number. Ready = the lock file holds our Xvfb's PID (so the display is ours, not a racing
# server's) and its socket exists (it is created after the lock, right before the server starts listening).
for ((n = 99; n < 200; n++)); do
	[[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] && continue
	Xvfb ":$n" -screen 0 "${XVFB_SCREEN:-1280x800x24}" -nolisten tcp -br >"$tmp/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for ((i = 0; i < 200; i++)); do # up to 10 s
		kill -0 "$xvfb_pid" 2>/dev/null || break
		if [[ -S /tmp/.X11-unix/X$n ]] && read -r owner 2>/dev/null </tmp/.X$n-lock && ((owner == xvfb_pid)); then
			break 2
		fi
		sleep 0.05
	done
	if kill -0 "$xvfb_pid" 2>/dev/null; then
		cat "$tmp/xvfb.log" >&2
		die "Xvfb :$n did not create /tmp/.X11-unix/X$n within 10 s"
	fi
	wait "$xvfb_pid" 2>/dev/null || true
	xvfb_pid=
done
[[ -n $xvfb_pid ]] || {
	cat "$tmp/xvfb.log" >&2 2>/dev/null
	die "no free X display between :99 and :199 (or Xvfb fails to start; its log is above)"
}

export DISPLAY=:$n LIBGL_ALWAYS_SOFTWARE=1 SHOPLEDGER_E2E=1 SHOPLEDGER_KEYRING_TEST=1
"$@"
