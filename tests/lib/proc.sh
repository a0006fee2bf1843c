# tests/lib/proc.sh: time, waits, and the processes a script starts
# (each stopped on exit by lib_cleanup, which tests/lib.sh traps).
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- time, waits

# Print the time in milliseconds (for deadlines).
now_ms() {
	local us=${EPOCHREALTIME/[.,]/}
	echo $((us / 1000))
}

# Poll CMD every 0.1 s until it succeeds: wait_until DEADLINE_S CMD...
wait_until() {
	local end=$(($(now_ms) + $1 * 1000))
	shift
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# ---------------------------------------------------------------- processes

# True while PID runs (a zombie awaiting wait counts as exited).
lib_alive() {
	local st
	kill -0 "$1" 2>/dev/null || return 1
	[ -r "/proc/$1/stat" ] || return 0
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}

# Start CMD in the background as NAME: proc_start NAME OUT ERR CMD...
proc_start() {
	local name=$1 out=$2 err=$3
	shift 3
	"$@" >"$out" 2>"$err" </dev/null &
	echo $! >"$T/$name.pid"
	LIB_PIDS+=($!)
}

# Print the pid of the process started as NAME.
proc_pid() {
	cat "$T/$1.pid" 2>/dev/null
}

# Wait for NAME to exit; KC_STATUS and the return value are its exit
# status (124 after the deadline): proc_wait_exit NAME DEADLINE_S.
proc_wait_exit() {
	local pid
	pid=$(proc_pid "$1") || { diag "no process named $1"; return 127; }
	if ! wait_until "$2" eval '! lib_alive '"$pid"; then
		diag "$1 (pid $pid) still running after $2 s"
		KC_STATUS=124
		return 124
	fi
	wait "$pid" 2>/dev/null
	KC_STATUS=$?
	return "$KC_STATUS"
}

# SIGTERM NAME and wait; its exit status is returned and left in
# KC_STATUS; after DEADLINE_S (default 20) SIGKILL and return 124.
proc_stop() {
	local pid
	pid=$(proc_pid "$1") || { diag "no process named $1"; return 127; }
	kill -TERM "$pid" 2>/dev/null
	proc_wait_exit "$1" "${2:-20}" && return 0
	[ "$KC_STATUS" -eq 124 ] || return "$KC_STATUS"
	diag "$1 ignored SIGTERM for ${2:-20} s: SIGKILL"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	KC_STATUS=124
	return 124
}

# SIGKILL NAME and reap it: proc_kill NAME.
proc_kill() {
	local pid
	pid=$(proc_pid "$1") || { diag "no process named $1"; return 127; }
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	KC_STATUS=$?
	return 0
}

# Stop the given pids: SIGTERM, up to 5 s, then SIGKILL.
lib_reap() {
	local pid left
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null
	wait_until 5 eval 'left=; for pid in '"$*"'; do lib_alive $pid && left=1; done; [ -z "$left" ]' ||
	    kill -KILL "$@" 2>/dev/null
	wait "$@" 2>/dev/null
}

# EXIT trap: stop what the script started; remove $T unless it failed.
lib_cleanup() {
	local st=$? pid others=()
	for pid in "${LIB_PIDS[@]}" $(jobs -p); do
		[ "$pid" = "$LIB_MOCK_PID" ] && continue
		lib_alive "$pid" && others+=("$pid")
	done
	lib_reap "${others[@]}"
	[ -n "$LIB_MOCK_PID" ] && lib_reap "$LIB_MOCK_PID"
	if [ -n "$LIB_OWN_KAFKA_DIR" ]; then
		if [ "$st" -eq 0 ] && [ "$LIB_TAP_FAILED" -eq 0 ]; then
			"$KAFKA_LOCAL" -d "$LIB_OWN_KAFKA_DIR" stop
		else
			"$KAFKA_LOCAL" -d "$LIB_OWN_KAFKA_DIR" stop --keep-logs "$T"
		fi
	fi
	if [ "$LIB_DONE" -eq 0 ]; then
		diag "script ended (status $st) before done_testing"
		st=99
	fi
	if [ "$st" -eq 0 ] && [ "$LIB_TAP_FAILED" -eq 0 ]; then
		rm -rf "$T"
	else
		diag "kept $T"
	fi
	exit "$st"
}
