#!/usr/bin/env bash
# Import speed: a first sync of a simulated shop (woosim, on loopback) into a
# fresh database, against the raw rate of fetching and decoding the same
# pages with the same requests (the pass's own pager), for each API dialect.
#
#   scripts/bench-import.sh                 100,000 orders, 3 runs of each
#   ORDERS=20000 RUNS=5 scripts/bench-import.sh
#   CPU=1 scripts/bench-import.sh           GOMAXPROCS=1 (go test -cpu)
#   CONCURRENCY=4 scripts/bench-import.sh   syncer.Options.Concurrency
#   TESTBIN=/tmp/before.test scripts/bench-import.sh
#                                           a syncer test binary built before (go test -c ./core/syncer/),
#                                           e.g. of another commit: before/after with the same script
#   PRIORITY=1 scripts/bench-import.sh      on a shared machine: raise this session's CPU share
#                                           (Linux autogroup nice -10, needs root) to measure closer
#                                           to an idle machine; other work slows down meanwhile
#
# It prints, per dialect, the orders/s of the import and of the raw
# fetch+decode (each run, then min–max), the ratio import time / raw time
# (1.00 = the store costs nothing on top of the network and decoding), the
# CPU time (user+sys) per order of each and their ratio, which a shared
# machine's load disturbs less than the wall-time ratio, and the database
# file's bytes per order, right after the import and after the next open
# (which compacts it, as the app's does). The benchmark output is kept in
# $OUT (default a temporary file) for benchstat.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${ORDERS:-100000}
RUNS=${RUNS:-3}
CPU=${CPU:-}
CONCURRENCY=${CONCURRENCY:-0}
OUT=${OUT:-$(mktemp -t bench-import.XXXXXX)}
GO=${GO:-go}
PRIORITY=${PRIORITY:-}
TESTBIN=${TESTBIN:-}

if [[ -n $PRIORITY ]]; then
	if echo -10 2>/dev/null >/proc/self/autogroup; then
		trap 'echo 0 >/proc/self/autogroup' EXIT
	else
		echo "PRIORITY: cannot set /proc/self/autogroup (not root, or no autogroup); running as is" >&2
		PRIORITY=
	fi
fi

cpuflag=()
if [[ -n $CPU ]]; then
	cpuflag=(-cpu "$CPU")
fi

echo "machine: $(nproc) cores, $(awk '{print "load " $1 " " $2 " " $3}' /proc/loadavg), $($GO version | cut -d' ' -f3)"
echo "shop: $ORDERS orders, $RUNS runs, GOMAXPROCS ${CPU:-$(nproc)}, concurrency ${CONCURRENCY/#0/default}${PRIORITY:+, autogroup nice -10}"
echo "benchmark output: $OUT"
echo

# -benchtime 1x: each run is one import (one fetch of the whole shop);
# -count repeats it. The simulator is built and rendered once per process.
if [[ -n $TESTBIN ]]; then
	# A test binary built beforehand (go test -c ./core/syncer/), e.g. of another commit, for before/after runs.
	"$TESTBIN" -test.run '^$' -test.bench '^Benchmark(FetchDecode|Import)$' -test.benchtime 1x -test.count "$RUNS" \
		-test.timeout 0 ${CPU:+-test.cpu "$CPU"} -orders="$ORDERS" -concurrency="$CONCURRENCY"
else
	$GO test -run '^$' -bench '^Benchmark(FetchDecode|Import)$' -benchtime 1x -count "$RUNS" \
		-timeout 0 "${cpuflag[@]}" ./core/syncer/ -args -orders="$ORDERS" -concurrency="$CONCURRENCY"
fi | tee "$OUT" | grep -E '^(Benchmark|ok|FAIL|PASS|---)' >&2

echo
echo "load after: $(awk '{print $1 " " $2 " " $3}' /proc/loadavg)"
echo

awk '
function metric(name,   i) {
	for (i = 1; i < NF; i++) if ($(i+1) == name) return $i
	return ""
}
function minmax(list,   n, a, i, lo, hi) {
	n = split(list, a, " ")
	lo = hi = a[1]
	for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
	return sprintf("%.0f–%.0f", lo, hi)
}
function median(list,   n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
/^Benchmark(FetchDecode|Import)\// {
	split($1, parts, "/")
	kind = parts[1]; sub(/^Benchmark/, "", kind)
	dialect = parts[2] "/" parts[3]; sub(/-[0-9]+$/, "", dialect)
	rate = metric("orders/s")
	if (!(dialect in seen)) { seen[dialect] = 1; order[++nd] = dialect }
	if (kind == "FetchDecode") { raw[dialect] = raw[dialect] " " rate; nraw[dialect]++; rawrun[dialect, nraw[dialect]] = rate; rawcpu[dialect] = rawcpu[dialect] " " metric("cpu-µs/order") }
	else {
		imp[dialect] = imp[dialect] " " rate; nimp[dialect]++; imprun[dialect, nimp[dialect]] = rate
		file[dialect] = file[dialect] " " metric("file-B/order"); used[dialect] = used[dialect] " " metric("used-B/order")
		reopened[dialect] = reopened[dialect] " " metric("reopened-B/order"); impcpu[dialect] = impcpu[dialect] " " metric("cpu-µs/order")
	}
}
END {
	printf "%-10s %-28s %-28s %-18s %s\n", "dialect", "import orders/s (min–max)", "raw fetch+decode orders/s", "ratio import/raw", "file B/order (in use)"
	for (k = 1; k <= nd; k++) {
		d = order[k]
		if (nraw[d] == 0 || nimp[d] == 0) continue
		ratios = ""
		for (i = 1; i <= nraw[d] && i <= nimp[d]; i++) ratios = ratios " " sprintf("%.3f", rawrun[d, i] / imprun[d, i])
		n = split(ratios, rr, " "); lo = hi = rr[1]
		for (i = 2; i <= n; i++) { if (rr[i] < lo) lo = rr[i]; if (rr[i] > hi) hi = rr[i] }
		printf "%-10s %-28s %-28s %-18s %s\n", d,
			sprintf("%.0f (%s)", median(imp[d]), minmax(imp[d])),
			sprintf("%.0f (%s)", median(raw[d]), minmax(raw[d])),
			sprintf("%.2f (%.2f–%.2f)", median(raw[d]) / median(imp[d]), lo, hi),
			sprintf("%.0f (%.0f)", median(file[d]), median(used[d]))
		printf "%-10s   runs: import%s | raw%s\n", "", imp[d], raw[d]
		if (impcpu[d] ~ /[0-9]/ && rawcpu[d] ~ /[0-9]/)
			printf "%-10s   CPU per order (user+sys, whole process): import %.0f µs (%s), raw %.0f µs (%s), ratio %.2f\n", "",
				median(impcpu[d]), minmax(impcpu[d]), median(rawcpu[d]), minmax(rawcpu[d]), median(impcpu[d]) / median(rawcpu[d])
		if (reopened[d] ~ /[0-9]/)
			printf "%-10s   file B/order after the next open (compacted): %.0f\n", "", median(reopened[d])
	}
}' "$OUT"
