#!/usr/bin/env bash
# Usage: scripts/bench.sh          (make bench; not part of make test)
#
# Measures every figure of docs/PERFORMANCE.md and prints each with its target and MET / MISSED:
#   import      first sync of BENCH_ORDERS woosim orders per dialect vs the raw fetch+decode of the same pages
#               (scripts/bench-import.sh, BenchmarkImport / BenchmarkFetchDecode); the database's bytes per order
#   poll        an hourly poll with nothing new: requests and CPU time (BenchmarkPollNothingNew)
#   webhook     10,000 signed deliveries, 50 at a time: lost, throughput, p50 / p99 receipt-to-applied
#               (BenchmarkDeliveries/saturated/default)
#   list        first page and search over 100,000 orders (ui BenchmarkFirstRows100k, core/orderindex
#               BenchmarkFirstPage100k and BenchmarkSearch100k)
#   books       a year of 100,000 orders: period totals (CPU per query, target < 100 ms) and the journal as XLSX
#               (core/store BenchmarkYearTotals, BenchmarkYearJournal); the NRA audit file of a month of 100,000
#               orders and of a month of a year of 100,000 (core/books BenchmarkNRAMonth100k, BenchmarkNRAYear100k)
#   app         the real binaries with BENCH_ORDERS orders (scripts/bench-app.sh): sync, export to CSV and XLSX
#               (time, peak memory), start to window, resident memory once the window is idle
#
#   BENCH_ORDERS=10000 scripts/bench.sh       a quick run (default 100000, the issue's size); webhook and list
#                                             figures always use 10,000 deliveries and 100,000 orders
#   BENCH_RUNS=3                              import runs per dialect (default 1)
#   BENCH_WEBHOOK_RUNS=5                      webhook runs (default 3): median and range
#   BENCH_ONLY="import poll"                  only these parts (import poll webhook list books app)
#   BENCH_OUT=DIR                             keep every benchmark's raw output there (default a temp dir, kept)
#
# The machine's cores and load average are printed before and after each part: on a shared machine every figure
# depends on what else ran.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${BENCH_ORDERS:-100000}
RUNS=${BENCH_RUNS:-1}
WEBHOOK_RUNS=${BENCH_WEBHOOK_RUNS:-3}
ONLY=${BENCH_ONLY:-import poll webhook list books app}
OUT=${BENCH_OUT:-$(mktemp -d -t shopledger-bench.XXXXXX)}
GO=${GO:-go}
mkdir -p "$OUT"
summary=$OUT/summary.txt
: >"$summary"

load() { awk '{print $1 " " $2 " " $3}' /proc/loadavg; }
say() { printf '\n== %s (load %s)\n' "$*" "$(load)" >&2; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }
# row FIGURE VALUE TARGET VERDICT: one line of the summary
row() { printf '%-58s %-26s %-12s %s\n' "$1" "$2" "$3" "$4" | tee -a "$summary"; }
# verdict VALUE OP LIMIT: MET or MISSED (OP is <, <=)
verdict() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == "<") ? v < l : v <= l; print (v == "" ? "NO FIGURE" : ok ? "MET" : "MISSED") }'; }
# metric FILE BENCH-REGEX UNIT: the value before UNIT on the first matching benchmark line
metric() { awk -v re="$2" -v unit="$3" '$1 ~ re { for (i = 2; i < NF; i++) if ($(i+1) == unit) { print $i; exit } }' "$1"; }
# median / range FILE BENCH-REGEX UNIT: over every matching benchmark line (one per -count run)
values() { awk -v re="$2" -v unit="$3" '$1 ~ re { for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i }' "$1" | sort -g; }
median() { values "$@" | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2) }'; }
range() { values "$@" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) print lo "–" hi }'; }
# max_ms FILE BENCH-REGEX: the largest ns/op of the matching lines, in ms
max_ms() { awk -v re="$2" '$1 ~ re { for (i = 2; i < NF; i++) if ($(i+1) == "ns/op" && $i > m) m = $i } END { if (m != "") printf "%.1f", m / 1e6 }' "$1"; }
gotest() { # gotest OUTFILE ARGS...: go test, raw output kept, benchmark lines shown
	local out=$1
	shift
	if ! $GO test -run '^$' -timeout 0 "$@" >"$out" 2>&1; then
		tail -n 30 "$out" >&2
		echo "bench: go test $* failed (output in $out)" >&2
		return 1
	fi
	grep -E '^Benchmark' "$out" >&2 || true
}

{
	echo "ShopLedger benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $($GO version | cut -d' ' -f3), load $(load)"
	echo "orders: $ORDERS; raw output in $OUT"
	echo
} | tee -a "$summary"
row "figure" "measured" "target" "verdict"

if wants import; then
	say "import: $ORDERS orders, $RUNS run(s) per dialect"
	l0=$(load)
	OUT=$OUT/import.txt ORDERS=$ORDERS RUNS=$RUNS scripts/bench-import.sh >"$OUT/import-summary.txt" 2>&1 ||
		{ cat "$OUT/import-summary.txt" >&2; exit 1; }
	cat "$OUT/import-summary.txt" >&2
	for d in wc/v3 legacy/v3; do
		re="^Benchmark(Import|FetchDecode)/${d//\//\\/}-"
		read -r imp raw file used compacted < <(awk -v re="$re" '
			function med(s,   n, a, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
			function m(u,   i) { for (i = 2; i < NF; i++) if ($(i+1) == u) return $i; return "" }
			$1 ~ re { if ($1 ~ /Import/) { imp = imp " " m("orders/s"); file = file " " m("file-B/order"); used = used " " m("used-B/order"); comp = comp " " m("compacted-B/order") } else raw = raw " " m("orders/s") }
			END { printf "%.0f %.0f %.0f %.0f %.0f\n", med(imp), med(raw), med(file), med(used), med(comp) }' "$OUT/import.txt")
		ratio=$(awk -v a="$raw" -v b="$imp" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
		row "import $d, $ORDERS orders: import/raw time" "$ratio ($imp vs $raw ord/s)" "<= 1.3" "$(verdict "$ratio" "<=" 1.3)"
		# Right after the import; the store compacts the file at its next open (the app part measures that).
		row "  bytes per order after the import, $d (file; pages in use; bbolt.Compact copy)" "$file; $used; $compacted" "-" "(figure)"
		row "  bytes per order after the next open (compacted), $d" "$(median "$OUT/import.txt" "^BenchmarkImport/${d//\//\\/}-" reopened-B/order)" "-" "(figure)"
		icpu=$(median "$OUT/import.txt" "^BenchmarkImport/${d//\//\\/}-" cpu-µs/order)
		rcpu=$(median "$OUT/import.txt" "^BenchmarkFetchDecode/${d//\//\\/}-" cpu-µs/order)
		row "  CPU per order, $d: import / raw (user+sys)" "$icpu / $rcpu µs" "-" "(figure)"
	done
	row "  load average during import" "$l0 -> $(load)" "" ""
fi

if wants poll; then
	say "poll with nothing new"
	l0=$(load)
	gotest "$OUT/poll.txt" -bench '^BenchmarkPollNothingNew$' -benchtime 200x ./core/syncer/ -args -orders=10000
	for d in wc/v3 legacy/v3; do
		re="^BenchmarkPollNothingNew/${d//\//\\/}-"
		row "poll with nothing new, $d: requests; CPU per poll" \
			"$(metric "$OUT/poll.txt" "$re" requests/poll); $(metric "$OUT/poll.txt" "$re" cpu-µs/poll) µs" "-" "(figure)"
		row "  wall time per poll, $d" "$(max_ms "$OUT/poll.txt" "$re") ms" "-" "(figure)"
	done
	row "  load average during poll" "$l0 -> $(load)" "" ""
fi

if wants webhook; then
	say "webhook: 10,000 deliveries, concurrency 50"
	l0=$(load)
	gotest "$OUT/webhook.txt" -bench '^BenchmarkDeliveries$/^saturated$/^default$' -benchtime 1x \
		-count "$WEBHOOK_RUNS" ./core/webhook/
	re='^BenchmarkDeliveries/saturated/default-'
	p99=$(median "$OUT/webhook.txt" "$re" p99-ms)
	# The benchmark fails if a single order is missing from the store afterwards.
	if [[ -n $p99 ]]; then lost=0; else lost="?"; fi
	row "webhook 10,000 deliveries at 50: lost (each of $WEBHOOK_RUNS runs)" "$lost" "0" "$([[ $lost == 0 ]] && echo MET || echo MISSED)"
	row "webhook: throughput, median (range)" "$(median "$OUT/webhook.txt" "$re" deliveries/s) ($(range "$OUT/webhook.txt" "$re" deliveries/s)) /s" "-" "(figure)"
	row "webhook: p50 receipt to applied, median (range)" "$(median "$OUT/webhook.txt" "$re" p50-ms) ($(range "$OUT/webhook.txt" "$re" p50-ms)) ms" "-" "(figure)"
	row "webhook: p99 receipt to applied, median (range)" "$p99 ($(range "$OUT/webhook.txt" "$re" p99-ms)) ms" "< 50 ms" "$(verdict "$p99" "<" 50)"
	row "  load average during webhook" "$l0 -> $(load)" "" ""
fi

if wants list; then
	say "first page and search over 100,000 orders"
	l0=$(load)
	gotest "$OUT/list-ui.txt" -bench '^BenchmarkFirstRows100k$' -benchtime 20x ./ui/
	gotest "$OUT/list-index.txt" -bench '^Benchmark(FirstPage|Search)100k$' -benchtime 20x ./core/orderindex/
	first=$(max_ms "$OUT/list-ui.txt" '^BenchmarkFirstRows100k')
	row "first page of 100,000 orders (count + first rows, store)" "$first ms" "<= 300 ms" "$(verdict "$first" "<=" 300)"
	all=$(max_ms "$OUT/list-index.txt" '^BenchmarkFirstPage100k/all')
	row "first page of 100,000 orders (index + first rows)" "$all ms" "<= 300 ms" "$(verdict "$all" "<=" 300)"
	search=$(max_ms "$OUT/list-index.txt" '^BenchmarkFirstPage100k/')
	row "search + its first page, slowest query" "$search ms" "<= 150 ms" "$(verdict "$search" "<=" 150)"
	only=$(max_ms "$OUT/list-index.txt" '^BenchmarkSearch100k/')
	row "search alone, slowest of 12 queries" "$only ms" "<= 150 ms" "$(verdict "$only" "<=" 150)"
	row "  load average during list" "$l0 -> $(load)" "" ""
fi

if wants books; then
	say "the books: a year of 100,000 orders"
	l0=$(load)
	gotest "$OUT/books.txt" -bench '^BenchmarkYear(Totals|Journal)$' -benchtime 20x ./core/store/
	cpu=$(metric "$OUT/books.txt" '^BenchmarkYearTotals' cpu-ms/op)
	row "year totals of 100,000 orders, CPU per query" "$cpu ms" "< 100 ms" "$(verdict "$cpu" "<" 100)"
	row "  the same, wall time" "$(max_ms "$OUT/books.txt" '^BenchmarkYearTotals') ms" "" "(figure)"
	row "year journal per day as XLSX, CPU; rows" "$(metric "$OUT/books.txt" '^BenchmarkYearJournal' cpu-ms/op) ms; $(metric "$OUT/books.txt" '^BenchmarkYearJournal' rows)" "" "(figure)"
	gotest "$OUT/nra.txt" -bench '^BenchmarkNRA(Month|Year)100k$' -benchtime 3x ./core/books/
	row "NRA file of a month of 100,000 orders, CPU; heap" "$(metric "$OUT/nra.txt" '^BenchmarkNRAMonth100k' cpu-ms/op) ms; $(metric "$OUT/nra.txt" '^BenchmarkNRAMonth100k' heap-MB) MB" "" "(figure)"
	row "NRA file of a month of a year of 100,000, CPU; heap" "$(metric "$OUT/nra.txt" '^BenchmarkNRAYear100k' cpu-ms/op) ms; $(metric "$OUT/nra.txt" '^BenchmarkNRAYear100k' heap-MB) MB" "" "(figure)"
	row "  load average during books" "$l0 -> $(load)" "" ""
fi

if wants app; then
	say "the real binaries with $ORDERS orders"
	l0=$(load)
	: >"$OUT/app.txt"
	ORDERS=$ORDERS KEEP=$OUT/app scripts/bench-app.sh "$OUT/app.txt" >/dev/null
	get() { awk -F= -v k="$1" '$1 == k { print $2 }' "$OUT/app.txt"; }
	row "shopledger sync, $ORDERS orders (wc/v3)" "$(get app.sync.seconds) s" "-" "(figure)"
	bpo=$(get app.db.bytes_per_order)
	row "  its database file per order, after the import" "$(($(get app.db.bytes_after_import) / ORDERS)) B" "" ""
	row "  the next open (compacts the file)" "$(get app.reopen.seconds) s" "-" "(figure)"
	row "  its database file per order, compacted" "$bpo B" "<= 2048" "$(verdict "$bpo" "<=" 2048)"
	for f in csv xlsx; do
		row "export $ORDERS orders to ${f^^}: time; peak RSS; of it anon" \
			"$(get app.export.$f.seconds) s; $(($(get app.export.$f.peak_rss_kb) / 1024)); $(($(get app.export.$f.peak_anon_kb) / 1024)) MB" \
			"bounded" "(compare 10k/100k)"
	done
	row "start to window (exec to visible window)" "$(get app.window.ms) ms" "-" "(figure)"
	row "start to idle (index built, rows drawn, synced)" "$(get app.idle.ms) ms" "-" "(figure)"
	rss=$(($(get app.mem.VmRSS.kb) / 1024))
	row "window's resident memory, $ORDERS orders (VmRSS)" "$rss MB" "< 200 MB" "$(verdict "$rss" "<" 200)"
	row "  of it anonymous; file-backed (binary, libs, db)" "$(($(get app.mem.RssAnon.kb) / 1024)) MB; $(($(get app.mem.RssFile.kb) / 1024)) MB" "" ""
	row "  peak (VmHWM)" "$(($(get app.mem.VmHWM.kb) / 1024)) MB" "" ""
	row "  load average during app" "$l0 -> $(load)" "" ""
fi

echo | tee -a "$summary"
echo "load after: $(load); summary in $summary" | tee -a "$summary"
