#!/usr/bin/env bash
# Usage: scripts/setup.sh [run|test|bench|package|package-windows]
#
# Makes sure the system packages ShopLedger needs are installed, and installs the missing ones.
#   run              cgo toolchain + the X11/OpenGL headers Fyne's GL driver builds against (also: build, debug)
#   test             run + Xvfb, software GL, gnome-keyring, a D-Bus session bus, ImageMagick, xdotool and
#                    xmllint (the NRA audit file's schema check) (make test, screenshot, screenshots)
#   bench            test + GNU time (peak memory of the export): make bench
#   package          run + xz (make package-linux: fyne package builds with the same toolchain, tar -J packs)
#   package-windows  the mingw-w64 cross compiler and its binutils (windres, objdump): make package-windows
#
# Silent and quick when everything is present. Installs with apt-get as root, or through `sudo -n` when that works
# without a password; otherwise prints the exact command to run and exits 1. Debian and Ubuntu are automated;
# elsewhere it checks for the tools and libraries themselves and says what is missing.
set -euo pipefail

purpose=${1:-run}

# Debian/Ubuntu package names. libc6-dev, make and ca-certificates are usually present, but a minimal image with
# only gcc lacks them, and cgo, `make` and Go's module downloads fail obscurely without them.
run_pkgs=(gcc libc6-dev make pkg-config ca-certificates
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
test_pkgs=(xvfb xauth libgl1-mesa-dri gnome-keyring dbus dbus-x11 imagemagick xdotool libxml2-utils)
bench_pkgs=(time)
# Cross-compiling for Windows needs no X11/GL headers: GLFW's Windows code builds against mingw-w64's own headers.
# gcc-mingw-w64-x86-64 brings binutils-mingw-w64-x86-64 (windres, objdump); it is named so the check is explicit.
windows_pkgs=(make ca-certificates gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64)

case $purpose in
run) want=("${run_pkgs[@]}") ;;
test) want=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
bench) want=("${run_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
package) want=("${run_pkgs[@]}" xz-utils) ;;
package-windows) want=("${windows_pkgs[@]}") ;;
-h | --help)
	sed -n '2,13s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "usage: $0 [run|test|bench|package|package-windows]" >&2
	exit 2
	;;
esac

die() {
	printf 'setup.sh: %s\n' "$@" >&2
	exit 1
}

command -v go >/dev/null || die "Go is not on PATH: install Go (see go.mod for the version) from https://go.dev/dl/"

# Not Debian or Ubuntu: check for what we need directly instead of by package name.
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	if [[ $purpose == package-windows ]]; then
		missing=()
		for t in make x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres x86_64-w64-mingw32-objdump; do
			command -v "$t" >/dev/null || missing+=("$t")
		done
		((${#missing[@]} == 0)) && exit 0
		die "missing commands: ${missing[*]}" \
			"install mingw-w64 for x86_64 (macOS: brew install mingw-w64; Fedora: dnf install mingw64-gcc)"
	fi
	if [[ $(uname -s) == Darwin ]]; then
		[[ $purpose == test ]] && die "make test needs Linux (Xvfb, gnome-keyring); on macOS run go test ./... directly"
		xcode-select -p >/dev/null 2>&1 || die "install the Xcode command line tools: xcode-select --install"
		exit 0
	fi
	missing=()
	tools=(gcc pkg-config)
	[[ $purpose == test || $purpose == bench ]] && tools+=(Xvfb xauth gnome-keyring-daemon dbus-run-session dbus-launch import xdotool xmllint)
	[[ $purpose == bench ]] && tools+=(/usr/bin/time)
	[[ $purpose == package ]] && tools+=(xz)
	for t in "${tools[@]}"; do command -v "$t" >/dev/null || missing+=("command $t"); done
	if command -v pkg-config >/dev/null; then
		for lib in gl x11 xcursor xrandr xinerama xi xxf86vm; do
			pkg-config --exists "$lib" || missing+=("library $lib (pkg-config)")
		done
	fi
	((${#missing[@]} == 0)) && exit 0
	{
		echo "setup.sh: this is not Debian/Ubuntu, so nothing can be installed automatically. Missing:"
		printf '  %s\n' "${missing[@]}"
		echo "On Debian these come from: ${want[*]}"
		echo "For other systems see https://docs.fyne.io/started/ (Fedora: gcc libXcursor-devel libXrandr-devel"
		echo "mesa-libGL-devel libXi-devel libXinerama-devel libXxf86vm-devel; tests: xorg-x11-server-Xvfb"
		echo "gnome-keyring dbus-x11 ImageMagick libxml2)."
	} >&2
	exit 1
fi

# One dpkg-query for all packages; unknown packages go to stderr and simply count as missing.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${want[@]}" 2>/dev/null || true)
missing=()
for p in "${want[@]}"; do
	grep -qx "$p ii " <<<"$installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

install="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if ((EUID == 0)); then
	sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	sudo=(sudo -n)
else
	die "missing packages: ${missing[*]}" "install them as root with:" \
		"  sudo env DEBIAN_FRONTEND=noninteractive sh -c '$install'"
fi

echo "setup.sh: installing ${missing[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q update >&2 ||
	die "apt-get update failed"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o Dpkg::Use-Pty=0 install -y --no-install-recommends "${missing[@]}" >&2 ||
	die "apt-get install failed; install by hand: $install"
