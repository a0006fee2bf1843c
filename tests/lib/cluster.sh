# tests/lib/cluster.sh: the cluster a script runs against, the mock or
# a real Kafka: cluster_start, topics, names, and the fault commands
# only the mock takes (mock_cmd).
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- cluster

# True in live-cluster mode (KAFKA_BOOTSTRAP set).
is_live() {
	[ -n "$KAFKA_BOOTSTRAP" ]
}

# Skip the script unless it runs on the mock cluster: require_mock REASON.
require_mock() {
	! is_live || skip_all "needs the mock cluster: $1 (unset KAFKA_BOOTSTRAP)"
}

# Switch to live mode on lab/with-kafka's cluster, unless KAFKA_BOOTSTRAP
# already names one; skip the script when there is none, or bail out
# with KCD_REQUIRE_LIVE=1 (CI): require_live REASON.
require_live() {
	is_live && return 0
	if [ -n "$KCD_LIVE_BOOTSTRAP" ]; then
		KAFKA_BOOTSTRAP=$KCD_LIVE_BOOTSTRAP
		LIB_KAFKA_DIR=$KCD_LIVE_DIR
		return 0
	fi
	[ "$KCD_REQUIRE_LIVE" = 1 ] &&
	    bail_out "needs a real broker ($1), KCD_REQUIRE_LIVE=1 and none was started: run the tests through lab/with-kafka"
	skip_all "needs a real broker: $1; run through lab/with-kafka (./quickstart test does) or set KAFKA_BOOTSTRAP"
}

# Print the real name of logical topic NAME (prefixed per run when live).
topic() {
	if is_live; then echo "$LIB_RUN_PREFIX$1"; else echo "$1"; fi
}

# Print the real name of logical group NAME (prefixed per run when live).
group() {
	if is_live; then echo "$LIB_RUN_PREFIX$1"; else echo "$1"; fi
}

# Run kcat with KCAT_OPTS and the bootstrap list: lib_kcat ARGS...
lib_kcat() {
	# shellcheck disable=SC2086
	"$KCAT" -b "$BOOTSTRAP" $KCAT_OPTS "$@"
}

# True when every partition of TOPIC (at least PARTS) has a leader.
lib_topic_ready() {
	local n
	n=$(lib_kcat -L -t "$1" -J -m 5 2>/dev/null |
	    jq '[.topics[0].partitions[]? | select(.leader >= 0)] | length' \
	    2>/dev/null)
	[ "${n:-0}" -ge "$2" ]
}

# Start the cluster with topics: cluster_start [-b BROKERS] NAME:PARTS...
# (logical names). Either cluster: in live mode the topics are created on
# the real one (BROKERS is ignored), else a mock cluster of BROKERS
# (default 3) starts. Exports BOOTSTRAP, and MOCK_LOG, MOCK_FIFO on the mock.
cluster_start() {
	local brokers=3 spec args=() real
	if [ "${1:-}" = -b ]; then
		brokers=$2
		shift 2
	fi
	for spec in "$@"; do
		args+=(-t "$(topic "${spec%:*}"):${spec##*:}")
	done
	if is_live; then
		BOOTSTRAP=$KAFKA_BOOTSTRAP
		export BOOTSTRAP
		[ $# -eq 0 ] && return 0
		"$MOCKCLUSTER" --create-on "$BOOTSTRAP" "${args[@]}" >&2 ||
		    { diag "cluster_start: cannot create topics on $BOOTSTRAP"; return 1; }
		for spec in "$@"; do
			real=$(topic "${spec%:*}")
			wait_until 30 lib_topic_ready "$real" "${spec##*:}" ||
			    { diag "cluster_start: $real has no leaders"; return 1; }
		done
		return 0
	fi
	MOCK_LOG=$T/mock.log
	MOCK_FIFO=$T/mock.fifo
	export MOCK_LOG MOCK_FIFO
	proc_start mock "$T/mock.out" "$T/mock.err" "$MOCKCLUSTER" \
	    -b "$brokers" -f "$T/mock.bootstrap" -l "$MOCK_LOG" \
	    -c "$MOCK_FIFO" "${args[@]}"
	LIB_MOCK_PID=$(proc_pid mock)
	if ! wait_until 20 eval '[ -s "$T/mock.bootstrap" ] ||
	    ! lib_alive $LIB_MOCK_PID'; then
		diag "cluster_start: no bootstrap file after 20 s"
		return 1
	fi
	if [ ! -s "$T/mock.bootstrap" ]; then
		diag "cluster_start: mockcluster exited:" "$(cat "$T/mock.err")"
		return 1
	fi
	BOOTSTRAP=$(cat "$T/mock.bootstrap")
	export BOOTSTRAP
}

# After a failed test: say so when the mock cluster is gone (its last
# words), once; a failure that follows it is its consequence.
lib_cluster_gone() {
	[ -n "${LIB_MOCK_PID:-}" ] && [ -z "${LIB_MOCK_GONE:-}" ] || return 0
	lib_alive "$LIB_MOCK_PID" && return 0
	LIB_MOCK_GONE=1
	diag "the mock cluster (pid $LIB_MOCK_PID) has exited; its stderr:" \
	    "$(tail -n 20 "$T/mock.err" 2>/dev/null)" \
	    "its log's last lines:" "$(tail -n 10 "$MOCK_LOG" 2>/dev/null)"
}

# Count the mock log's result lines for command CMD: ok or error (pure).
lib_cmd_results() {
	awk -v c="$1" -v kind="$2" '{
		sub(/^[^ ]* /, "")
		if (kind == "ok" && $0 == "cmd ok: " c) n++
		if (kind == "error" && index($0, "cmd error: " c ": ") == 1) n++
	} END { print n + 0 }' "$MOCK_LOG"
}

# Send one fault command to the mock and wait (10 s) for its result:
# mock_cmd "broker down 1"; returns 0 on cmd ok, 1 on cmd error, 2 on
# timeout, 3 in live mode (no mock to command).
mock_cmd() {
	local cmd=$1 oks errs fd
	if is_live; then
		diag "mock_cmd '$cmd': fault injection needs the mock cluster; guard the test with require_mock or is_live/skip"
		return 3
	fi
	oks=$(lib_cmd_results "$cmd" ok)
	errs=$(lib_cmd_results "$cmd" error)
	exec {fd}<>"$MOCK_FIFO"
	printf '%s\n' "$cmd" >&"$fd"
	exec {fd}>&-
	if ! wait_until 10 eval '[ $(lib_cmd_results "$cmd" ok) -gt $oks ] ||
	    [ $(lib_cmd_results "$cmd" error) -gt $errs ]'; then
		diag "mock_cmd '$cmd': no result in $MOCK_LOG after 10 s"
		return 2
	fi
	if [ "$(lib_cmd_results "$cmd" error)" -gt "$errs" ]; then
		diag "$(grep -F "cmd error: $cmd: " "$MOCK_LOG" | tail -n 1)"
		return 1
	fi
	return 0
}

# Create one more topic in either mode: create_topic NAME PARTS (logical).
create_topic() {
	if is_live; then
		"$MOCKCLUSTER" --create-on "$BOOTSTRAP" \
		    -t "$(topic "$1"):$2" >&2 &&
		    wait_until 30 lib_topic_ready "$(topic "$1")" "$2"
	else
		mock_cmd "topic $1 $2"
	fi
}
