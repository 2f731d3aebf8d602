#!/usr/bin/env bash
# Usage: scripts/screenshot.sh [OUTPUT]      (make screenshot; OUTPUT defaults to docs/screenshot.png)
#        scripts/screenshot.sh --all [DIR]  (make screenshots; DIR defaults to docs/screenshots)
#
# --all takes every main screen in English and in Bulgarian: the welcome screen of a first start (where it clicks
# "Try with a demo shop"), then with the demo shop and a synced simulated shop the orders, an order's detail, the shops, the warehouses and cost centers, the webhooks, the books and the
# settings (tabs opened with Ctrl+1…6 and the first order clicked, through xdotool), as DIR/<screen>-<lang>.png.
# The binary is a debug build (Fyne's thread checks on): any "Error in Fyne call thread" fails --all.
#
# Every shot is verified: the GUI writes what it shows to $SHOPLEDGER_SCREEN_REPORT (one line such as
# "screen=orders order=1042 overlays=0 lang=bg row=310,188 demo=-", see ui/screen_report.go), the script waits
# until the line says what the shot is named for (the screen, the open order, no pop-up or dialog over it, the
# language), takes it, and fails if the line changed meanwhile or never said so. It clicks where the line says
# the first order row and "Try with a demo shop" are, not at fixed coordinates.
#
# Screenshots the real binary with a synced demo shop. Builds bin/shopledger and bin/woosim, then in a throwaway
# desktop (scripts/with-desktop.sh: private D-Bus session, unlocked gnome-keyring, Xvfb 1280x800x24) and a temp
# data dir: starts woosim on a free loopback port, adds the shop and syncs it through the CLI, starts the GUI,
# waits SCREENSHOT_DELAY seconds and grabs the screen with ImageMagick's import, cropped to what was drawn on the
# black root window (SCREENSHOT_CROP=0 keeps the whole 1280x800 screen). Each step that fails says so and shows
# the end of its log.
set -euo pipefail

# The shop's credentials. Empty: woosim's defaults, read from `bin/woosim -h`, else from its sources (DefaultKey,
# DefaultSecret), else these. They are passed to woosim's -key/-secret when it has them, so overrides work.
WOOSIM_KEY=${WOOSIM_KEY:-}
WOOSIM_SECRET=${WOOSIM_SECRET:-}
FALLBACK_KEY=ck_woosim_demo_key_0000000000000000000000
FALLBACK_SECRET=cs_woosim_demo_secret_00000000000000000000
WOOSIM_ORDERS=${WOOSIM_ORDERS:-200}
SCREENSHOT_DELAY=${SCREENSHOT_DELAY:-5}
SCREENSHOT_CROP=${SCREENSHOT_CROP:-1}

cd "$(dirname "$0")/.."
root=$PWD

say() { printf 'screenshot: %s\n' "$*" >&2; }
fail() { # fail MESSAGE [LOG]
	say "FAILED: $1"
	if [[ -n ${2-} && -s $2 ]]; then
		if grep -q '^panic: ' "$2"; then # the reason, before a long trace cuts it off
			echo "--- $(grep -m 1 '^panic: ' "$2")" >&2
		fi
		echo "--- last lines of $(basename "$2"):" >&2
		tail -n 30 "$2" >&2
	fi
	exit 1
}

# --- outside the throwaway desktop: build, then re-enter through with-desktop.sh ---
if [[ ${1-} != --in-desktop ]]; then
	if [[ ${1-} == --all ]]; then
		out=${2:-docs/screenshots}
		all=1
	else
		out=${1:-docs/screenshot.png}
		all=0
	fi
	[[ $out == /* ]] || out=$root/$out
	scripts/setup.sh test
	say "building bin/shopledger and bin/woosim (debug: Fyne's thread checks on)"
	go build -o bin/shopledger ./cmd/shopledger || fail "go build ./cmd/shopledger"
	go build -o bin/woosim ./cmd/woosim || fail "go build ./cmd/woosim"
	exec scripts/with-desktop.sh scripts/screenshot.sh --in-desktop "$out" "$all"
fi

# --- inside: D-Bus, keyring and Xvfb are up; DISPLAY is set ---
out=$2
all=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shopledger-shot.XXXXXX")
source scripts/procs.sh
cleanup() {
	((${#pids[@]} == 0)) || stop "${pids[@]}"
	rm -rf "$tmp"
}
trap cleanup EXIT

# Credentials: explicit, or woosim's own defaults.
usage=$(bin/woosim -h 2>&1 || true)
src_default() { # src_default NAME PREFIX: the string constant NAME = "PREFIX_..." in the woosim sources
	sed -n "s/.*$1[[:space:]]*=[[:space:]]*\"\\($2_[^\"]*\\)\".*/\\1/p" cmd/woosim/*.go core/woosim/*.go 2>/dev/null | head -n 1
	return 0
}
key=${WOOSIM_KEY:-$(grep -oE 'ck_[A-Za-z0-9_]{8,}' <<<"$usage" | head -n 1 || true)}
key=${key:-$(src_default DefaultKey ck)}
key=${key:-$FALLBACK_KEY}
secret=${WOOSIM_SECRET:-$(grep -oE 'cs_[A-Za-z0-9_]{8,}' <<<"$usage" | head -n 1 || true)}
secret=${secret:-$(src_default DefaultSecret cs)}
secret=${secret:-$FALLBACK_SECRET}
woosim_creds=() # hand them to woosim too when it has the flags, so overrides work
if grep -qE '^[[:space:]]*-key\b' <<<"$usage" && grep -qE '^[[:space:]]*-secret\b' <<<"$usage"; then
	woosim_creds=(-key "$key" -secret "$secret")
fi

start_woosim bin/woosim "$tmp/woosim.log" 100 -orders "$WOOSIM_ORDERS" "${woosim_creds[@]}"
say "woosim: http://127.0.0.1:$port, $WOOSIM_ORDERS orders, key $key"

export SHOPLEDGER_DATA_DIR=$tmp/data
# English, whatever this machine's locale is (Fyne reads LC_ALL, LC_MESSAGES, then LANG).
unset LC_ALL LC_MESSAGES
export LANG=${SCREENSHOT_LANG:-en_US.UTF-8}
mkdir -p "$SHOPLEDGER_DATA_DIR"

# add_shop adds the simulated shop and syncs it through the command line (the GUI must not be running).
add_shop() {
	say "adding the shop"
	SHOPLEDGER_CONSUMER_KEY=$key SHOPLEDGER_CONSUMER_SECRET=$secret \
		bin/shopledger shop add --name "Sofia Books" --url "http://127.0.0.1:$port" --warehouse MAIN --cost-center WEB \
		>"$tmp/shop-add.log" 2>&1 || fail "bin/shopledger shop add" "$tmp/shop-add.log"
	say "syncing"
	bin/shopledger sync --shop "Sofia Books" >"$tmp/sync.log" 2>&1 || fail "bin/shopledger sync" "$tmp/sync.log"
}

gui_pid=
gui_win= # the window's X id, for clicks relative to it
gui_log=
report=$tmp/screen
# start_gui LANGUAGE DATA_DIR: the GUI in that language, waited for until its window is mapped and drawn.
start_gui() {
	say "starting the GUI ($1) on $DISPLAY"
	rm -f "$report"
	gui_log=$tmp/gui-$1.log
	SHOPLEDGER_SCREEN_REPORT=$report LANGUAGE=$1 bin/shopledger --data-dir "$2" >>"$tmp/gui-$1.log" 2>&1 &
	gui_pid=$!
	pids+=("$gui_pid")
	if command -v xdotool >/dev/null; then
		for ((i = 0; i < 300; i++)); do # up to 30 s: a cold software-GL start is slow on a loaded machine
			kill -0 "$gui_pid" 2>/dev/null || fail "the GUI exited at start" "$tmp/gui-$1.log"
			gui_win=$(xdotool search --onlyvisible --name ShopLedger 2>/dev/null | head -n 1) && [[ -n $gui_win ]] && break
			sleep 0.1
		done
		xdotool mousemove 640 400 # the pointer's window gets the keys (no window manager here)
	fi
	sleep "$SCREENSHOT_DELAY"
	kill -0 "$gui_pid" 2>/dev/null || fail "the GUI exited before the screenshot" "$tmp/gui-$1.log"
}
stop_gui() {
	stop "$gui_pid"
	pids=("${pids[@]/$gui_pid/}")
	gui_pid=
}
# shows FIELD...: whether the GUI's screen report has every FIELD (key=value; the value an extended regex).
shows() {
	local line f
	line=$(cat "$report" 2>/dev/null) || return 1
	for f in "$@"; do
		grep -qE "(^| )${f}( |\$)" <<<"$line" || return 1
	done
}
# expect SHOT FIELD...: waits up to 20 s until the GUI reports every FIELD, else fails naming SHOT.
expect() {
	local shot=$1 i
	shift
	for ((i = 0; i < 200; i++)); do
		shows "$@" && return 0
		sleep 0.1
	done
	fail "$shot: the window reports \"$(cat "$report" 2>/dev/null)\", not $*" "$gui_log"
}
# click_at KEY: a click where the GUI's report puts KEY ("row", "demo"), in the window's pixels.
click_at() {
	local at
	at=$(grep -oE "(^| )$1=[0-9]+,[0-9]+" "$report" | cut -d= -f2) || fail "the window reports no $1: $(cat "$report")"
	xdotool mousemove --window "$gui_win" "${at%,*}" "${at#*,}" click 1
}
# shoot FILE LOG [FIELD...]: the screen into FILE, cropped to what was drawn. With FIELDs, the GUI must
# report them before the shot and the same line after it, or the shot is not what FILE is named for.
shoot() {
	local before=
	if (($# > 2)); then
		expect "$(basename "$1")" "${@:3}"
		before=$(cat "$report")
	fi
	import -window root "$tmp/shot.png" 2>"$tmp/import.log" || fail "import -window root" "$tmp/import.log"
	if [[ -n $before ]]; then
		sleep 0.3 # one more report tick
		[[ $(cat "$report") == "$before" ]] ||
			fail "$(basename "$1"): the window changed during the shot, from \"$before\" to \"$(cat "$report")\""
	fi
	# A screen that is one colour means nothing was drawn (no window mapped, or GL failed).
	colors=$(identify -format '%k' "$tmp/shot.png")
	((colors > 1)) || fail "the screenshot is blank: the window did not render" "$2"
	if [[ $SCREENSHOT_CROP == 1 ]]; then # a black border makes -trim cut exactly the black around the windows
		convert "$tmp/shot.png" -bordercolor black -border 1 -trim +repage "$tmp/shot.png" ||
			fail "cropping the screenshot"
	fi
	mkdir -p "$(dirname "$1")"
	mv "$tmp/shot.png" "$1"
	say "wrote ${1#"$root"/}"
}
# key COMBO: a key press for the GUI, then time to draw.
key() {
	xdotool key --clearmodifiers "$1"
	sleep "${SCREENSHOT_STEP:-1.5}"
}
thread_errors() { # thread_errors LOG: warn about widget changes outside fyne.Do; false if there were any
	grep -q 'Error in Fyne call thread' "$1" || return 0
	say "the GUI touched widgets outside fyne.Do:"
	grep -A3 'Error in Fyne call thread' "$1" | head -n 20 >&2
	return 1
}

if [[ $all != 1 ]]; then
	add_shop
	start_gui "${SCREENSHOT_LANGUAGE:-en}" "$SHOPLEDGER_DATA_DIR"
	shoot "$out" "$tmp/gui-${SCREENSHOT_LANGUAGE:-en}.log" screen=orders order=- overlays=0 \
		"lang=${SCREENSHOT_LANGUAGE:-en}" 'row=[0-9]+,[0-9]+'

	thread_errors "$tmp/gui-${SCREENSHOT_LANGUAGE:-en}.log" || true
	exit 0
fi

command -v xdotool >/dev/null || fail "xdotool is missing: scripts/setup.sh screenshots installs it"
# The first start, in English: the welcome screen, then "Try with a demo shop" clicked; the books keep the demo
# shop (in webhook mode, with live orders) for the screens below. Then the Bulgarian welcome, from empty books.
start_gui en "$SHOPLEDGER_DATA_DIR"
shoot "$out/welcome-en.png" "$tmp/gui-en.log" screen=welcome overlays=0 lang=en 'demo=[0-9]+,[0-9]+'
click_at demo
for ((i = 0; i < 600; i++)); do # up to 60 s
	grep -q 'demo shop started' "$SHOPLEDGER_DATA_DIR/shopledger.log" 2>/dev/null && break
	sleep 0.1
done
grep -q 'demo shop started' "$SHOPLEDGER_DATA_DIR/shopledger.log" 2>/dev/null ||
	fail "the demo shop did not start after a click on \"Try with a demo shop\"" "$tmp/gui-en.log"
sleep "$SCREENSHOT_DELAY" # its first sync
stop_gui
mkdir -p "$tmp/empty-bg"
start_gui bg "$tmp/empty-bg"
shoot "$out/welcome-bg.png" "$tmp/gui-bg.log" screen=welcome overlays=0 lang=bg 'demo=[0-9]+,[0-9]+'
stop_gui
add_shop

bad=0
for lang in en bg; do
	start_gui "$lang" "$SHOPLEDGER_DATA_DIR"
	for screen in 1:orders 2:shops 3:catalog 4:webhooks 5:books 6:settings; do
		key "ctrl+${screen%%:*}"
		rows=() # the orders shot shows orders
		[[ ${screen#*:} != orders ]] || rows=('row=[0-9]+,[0-9]+')
		shoot "$out/${screen#*:}-$lang.png" "$tmp/gui-$lang.log" "screen=${screen#*:}" order=- overlays=0 "lang=$lang" "${rows[@]}"
	done
	key ctrl+1
	expect "order-$lang.png" screen=orders 'row=[0-9]+,[0-9]+'
	click_at row
	sleep "${SCREENSHOT_STEP:-1.5}"
	shoot "$out/order-$lang.png" "$tmp/gui-$lang.log" screen=orders 'order=[^-][^ ]*' overlays=0 "lang=$lang"
	stop_gui
done
for log in "$tmp"/gui-*.log; do
	thread_errors "$log" || bad=1
done
((bad == 0)) || fail "widgets were changed outside fyne.Do (see above)"
