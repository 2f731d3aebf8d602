#!/usr/bin/env bash
# Usage: scripts/bench-app.sh [RESULTS]          (part of make bench; ORDERS=10000 for a quick run)
#
# Figures of the real binaries with ORDERS orders (default 100,000), in a throwaway desktop (scripts/with-desktop.sh:
# private D-Bus, unlocked gnome-keyring, Xvfb) and a temp data dir:
#   - `shopledger sync` of a woosim shop (wc/v3) into an empty database: time, and the database file's bytes per order
#     after it and after the next open (which compacts the file, core/store/compact.go; timed too);
#   - `shopledger export` of every order to CSV and to XLSX: time and peak resident memory (/usr/bin/time -v);
#   - the window: time from exec to a visible "ShopLedger" window (xdotool), time until the process goes idle (books
#     opened, search index built, first rows drawn, the start-up sync done), and then its resident memory from
#     /proc/PID/status (VmRSS = RssAnon + RssFile + RssShmem; VmHWM is the peak).
# Each figure is printed as `key=value` on stdout and appended to RESULTS (if given); progress goes to stderr.
# A screenshot of the window is kept in $KEEP (default: a temp dir that is removed) for a look at what it showed.
set -euo pipefail

ORDERS=${ORDERS:-100000}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-300}

cd "$(dirname "$0")/.."
root=$PWD
say() { printf 'bench-app: %s\n' "$*" >&2; }
fail() { # fail MESSAGE [LOG]
	say "FAILED: $1"
	if [[ -n ${2-} && -s $2 ]]; then
		echo "--- last lines of $(basename "$2"):" >&2
		tail -n 30 "$2" >&2
	fi
	exit 1
}

# --- outside the throwaway desktop: build release binaries, then re-enter through with-desktop.sh ---
if [[ ${1-} != --in-desktop ]]; then
	results=${1:-}
	[[ -z $results || $results == /* ]] || results=$root/$results
	scripts/setup.sh bench
	bindir=$(mktemp -d "${TMPDIR:-/tmp}/shopledger-benchbin.XXXXXX")
	trap 'rm -rf "$bindir"' EXIT
	say "building release binaries"
	go build -tags migrated_fynedo -trimpath -ldflags='-s -w' -o "$bindir/shopledger" ./cmd/shopledger ||
		fail "go build ./cmd/shopledger"
	go build -trimpath -o "$bindir/woosim" ./cmd/woosim || fail "go build ./cmd/woosim"
	status=0
	scripts/with-desktop.sh scripts/bench-app.sh --in-desktop "$bindir" "$results" || status=$?
	exit "$status"
fi

# --- inside: D-Bus, keyring and Xvfb are up; DISPLAY is set ---
bindir=$2
results=${3:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shopledger-benchapp.XXXXXX")
source scripts/procs.sh
STOP_WAIT=50
cleanup() {
	((${#pids[@]} == 0)) || stop "${pids[@]}"
	if [[ -n ${KEEP-} ]]; then
		mkdir -p "$KEEP"
		cp "$tmp"/*.log "$tmp"/*.png "$KEEP"/ 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

put() { # put KEY VALUE: one figure
	echo "$1=$2"
	[[ -z $results ]] || echo "$1=$2" >>"$results"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# peak RSS (KB) and elapsed seconds from /usr/bin/time -v output
time_rss() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
time_elapsed() { # "h:mm:ss" or "m:ss.ss" to seconds
	awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s}' "$1"
}

# woosim on a free loopback port (generating 100,000 orders takes a while on a busy machine); its default key and
# secret.
start_woosim "$bindir/woosim" "$tmp/woosim.log" 1200 -orders "$ORDERS"
key=$(grep -oE 'key=[^ ]+' "$tmp/woosim.log" | head -n 1 | cut -d= -f2)
secret=$(grep -oE 'secret=[^ ]+' "$tmp/woosim.log" | head -n 1 | cut -d= -f2)

export SHOPLEDGER_DATA_DIR=$tmp/data
unset LC_ALL LC_MESSAGES
export LANG=en_US.UTF-8
mkdir -p "$SHOPLEDGER_DATA_DIR"
SHOPLEDGER_CONSUMER_KEY=$key SHOPLEDGER_CONSUMER_SECRET=$secret \
	"$bindir/shopledger" shop add --name "Bench shop" --url "http://127.0.0.1:$port" --warehouse MAIN --cost-center WEB \
	>"$tmp/shop-add.log" 2>&1 || fail "shopledger shop add" "$tmp/shop-add.log"

say "shopledger sync of $ORDERS orders"
/usr/bin/time -v -o "$tmp/sync.time" "$bindir/shopledger" sync >"$tmp/sync.log" 2>&1 ||
	fail "shopledger sync" "$tmp/sync.log"
put app.sync.orders "$ORDERS"
put app.sync.seconds "$(time_elapsed "$tmp/sync.time")"
db=$(find "$SHOPLEDGER_DATA_DIR" -name '*.db' -type f | head -n 1)
[[ -n $db ]] || fail "no database file in $SHOPLEDGER_DATA_DIR"
put app.db.bytes_after_import "$(stat -c %s "$db")"
# The next open compacts a file that grew this much (core/store/compact.go): time it with a command that does
# nothing else.
/usr/bin/time -v -o "$tmp/reopen.time" "$bindir/shopledger" shop list >"$tmp/reopen.log" 2>&1 ||
	fail "shopledger shop list" "$tmp/reopen.log"
put app.reopen.seconds "$(time_elapsed "$tmp/reopen.time")"
put app.db.bytes "$(stat -c %s "$db")"
put app.db.bytes_per_order "$(($(stat -c %s "$db") / ORDERS))"

# The export's peak memory. /usr/bin/time's "maximum resident set size" counts the database's pages that bbolt's
# mmap brought in (clean page cache, shared and dropped first under pressure), so the export's own memory is
# sampled too: RssAnon (heap, stacks) every 20 ms.
for fmt in csv xlsx; do
	say "shopledger export --format $fmt"
	/usr/bin/time -v -o "$tmp/export-$fmt.time" "$bindir/shopledger" export --format "$fmt" -o "$tmp/export.$fmt" \
		>"$tmp/export-$fmt.log" 2>&1 &
	time_pid=$!
	anon=0 file=0
	while kill -0 "$time_pid" 2>/dev/null; do
		for child in $(pgrep -P "$time_pid" 2>/dev/null); do
			read -r a f < <(awk '$1 == "RssAnon:" {a = $2} $1 == "RssFile:" {f = $2} END {print a + 0, f + 0}' \
				"/proc/$child/status" 2>/dev/null || echo "0 0")
			((a > anon)) && anon=$a
			((f > file)) && file=$f
		done
		sleep 0.02
	done
	wait "$time_pid" || fail "shopledger export --format $fmt" "$tmp/export-$fmt.log"
	put "app.export.$fmt.seconds" "$(time_elapsed "$tmp/export-$fmt.time")"
	put "app.export.$fmt.peak_rss_kb" "$(time_rss "$tmp/export-$fmt.time")"
	put "app.export.$fmt.peak_anon_kb" "$anon"
	put "app.export.$fmt.peak_file_kb" "$file"
	put "app.export.$fmt.bytes" "$(stat -c %s "$tmp/export.$fmt")"
	rm -f "$tmp/export.$fmt"
done

say "starting the window"
start=$(now_ms)
"$bindir/shopledger" >"$tmp/gui.log" 2>&1 &
gui_pid=$!
pids+=("$gui_pid")
shown=
for ((i = 0; i < 3000; i++)); do # up to about a minute
	kill -0 "$gui_pid" 2>/dev/null || fail "the window's process exited" "$tmp/gui.log"
	if xdotool search --onlyvisible --pid "$gui_pid" --name ShopLedger >/dev/null 2>&1; then
		shown=$(now_ms)
		break
	fi
	sleep 0.02
done
[[ -n $shown ]] || fail "no ShopLedger window within a minute" "$tmp/gui.log"
put app.window.ms "$((shown - start))"

# Idle: under 3 % of a core for 3 s running. The window then has the books open, the index built, the first rows
# drawn and the start-up sync finished.
ticks() { awk '{print $14 + $15}' "/proc/$gui_pid/stat"; }
hz=$(getconf CLK_TCK)
quiet=0 idle=
prev=$(ticks)
for ((s = 0; s < IDLE_TIMEOUT; s++)); do
	sleep 1
	kill -0 "$gui_pid" 2>/dev/null || fail "the window's process exited" "$tmp/gui.log"
	cur=$(ticks)
	if (((cur - prev) * 100 < 3 * hz)); then quiet=$((quiet + 1)); else quiet=0; fi
	prev=$cur
	if ((quiet >= 3)); then
		idle=$(($(now_ms) - 3000))
		break
	fi
done
[[ -n $idle ]] || fail "the window did not go idle within $IDLE_TIMEOUT s" "$tmp/gui.log"
put app.idle.ms "$((idle - start))"
put app.cpu.seconds "$(awk -v hz="$hz" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$gui_pid/stat")"
for f in VmRSS RssAnon RssFile RssShmem VmHWM; do
	put "app.mem.$f.kb" "$(awk -v f="$f:" '$1 == f {print $2}' "/proc/$gui_pid/status")"
done
# Where the resident memory is: the largest mappings by Rss (file-backed ones by path), for the docs.
awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anonymous]" } $1 == "Rss:" { rss[name] += $2 }
	END { for (n in rss) printf "%8d kB  %s\n", rss[n], n }' "/proc/$gui_pid/smaps" | sort -rn | head -n 15 >"$tmp/smaps.log"
import -window root "$tmp/window.png" 2>/dev/null || true
stop "$gui_pid"
pids=("$woosim_pid")
say "done"
