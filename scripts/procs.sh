# Sourced by the scripts that start processes of their own (screenshot.sh, bench-app.sh). They record every PID
# they start in the array pids, and stop only those. Needs a fail function: fail MESSAGE [LOG].

pids=()

# stop PID...: SIGTERM, then SIGKILL after STOP_WAIT tenths of a second (default 30).
stop() {
	local p i
	for p in "$@"; do kill "$p" 2>/dev/null || true; done
	for p in "$@"; do
		for ((i = 0; i < ${STOP_WAIT:-30}; i++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# port_open PORT: something listens on 127.0.0.1:PORT (bash's /dev/tcp).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_woosim BINARY LOG WAIT ARGS...: woosim on a free loopback port with ARGS, waited for up to WAIT tenths of a
# second until it prints its "woosim: serving … key=… secret=…" line (after it listens). Sets port and woosim_pid.
# If another process takes the port before woosim binds it, woosim exits and another port is tried.
start_woosim() {
	local bin=$1 log=$2 wait=$3 try i
	shift 3
	for ((try = 0; try < 5; try++)); do
		port=$((20000 + RANDOM % 40000))
		port_open "$port" && continue
		"$bin" -listen "127.0.0.1:$port" "$@" >"$log" 2>&1 &
		woosim_pid=$!
		pids+=("$woosim_pid")
		for ((i = 0; i < wait; i++)); do
			kill -0 "$woosim_pid" 2>/dev/null || break
			grep -qs '^woosim: serving' "$log" && return 0
			sleep 0.1
		done
		kill -0 "$woosim_pid" 2>/dev/null && fail "woosim did not start within $((wait / 10)) s" "$log"
		wait "$woosim_pid" 2>/dev/null || true
		pids=("${pids[@]/$woosim_pid/}")
	done
	fail "woosim could not be started" "$log"
}
