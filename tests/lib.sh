# tests/lib.sh: shared helpers for the scenario tests (tests/scenario/*.sh).
#
# Sourced by a bash script run by the main shell only: helpers that start,
# stop or count things keep their state in this shell, so never call them
# inside $( ... ) unless they say they print a value. See tests/README.md.
#
# Environment (make check exports it): top_srcdir, top_builddir,
# MOCKCLUSTER, KCONSUMERD, KCAT (KCONSUMERCTL, as $CTL, defaults to the
# built one); KAFKA_BOOTSTRAP selects live-cluster mode;
# KCAT_OPTS adds options to every kcat call (e.g. security settings).
# lab/with-kafka sets KCD_LIVE_BOOTSTRAP and KCD_LIVE_DIR (its local
# cluster, used by the scripts that require_live) and KAFKA_LOCAL;
# KCD_REQUIRE_LIVE=1 turns a missing real cluster into an error.

# Deliberate: wait conditions are eval'd strings that name locals, and
# KCAT_OPTS is split into words.
# shellcheck disable=SC2016,SC2034,SC2086

set -u

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${MOCKCLUSTER:=$top_builddir/tests/mockcluster}"
: "${KCONSUMERD:=$top_builddir/kconsumerd}"
: "${KCONSUMERCTL:=$top_builddir/kconsumerctl}"
: "${KCAT:=kcat}"
: "${KCAT_OPTS:=}"
: "${KAFKA_BOOTSTRAP:=}"
: "${KCD_LIVE_BOOTSTRAP:=}"
: "${KCD_LIVE_DIR:=}"
: "${KCD_REQUIRE_LIVE:=0}"
: "${KAFKA_LOCAL:=$top_srcdir/lab/kafka-local}"

LIB_NAME=$(basename "$0" .sh)
LIB_TAP_N=0
LIB_TAP_FAILED=0
LIB_DONE=0
LIB_PIDS=()
LIB_MOCK_PID=
# kafka-local folders: the shared cluster's (broker logs) and the one a
# script started for itself (stopped on exit).
LIB_KAFKA_DIR=
LIB_OWN_KAFKA_DIR=
CTL=$KCONSUMERCTL
KC_STATUS=
BOOTSTRAP=
MOCK_LOG=
MOCK_FIFO=
# Live mode: names of topics and groups get this prefix, unique per run.
LIB_RUN_PREFIX="kct-$LIB_NAME-$(date +%s)-$$-"

# the shared local cluster's logs, when KAFKA_BOOTSTRAP names it
[ -n "$KAFKA_BOOTSTRAP" ] && [ "$KAFKA_BOOTSTRAP" = "$KCD_LIVE_BOOTSTRAP" ] &&
    LIB_KAFKA_DIR=$KCD_LIVE_DIR

mkdir -p "$top_builddir/tests/tmp" || exit 99
T=$(mktemp -d "$top_builddir/tests/tmp/$LIB_NAME.XXXXXX") || exit 99
export T

# ---------------------------------------------------------------- TAP

# Print each line of each argument as a TAP diagnostic ("# ...").
diag() {
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do
			printf '# %s\n' "$line"
		done <<<"$arg"
	done
}

# Print one TAP result: ok_status STATUS SENTENCE (0 is a pass).
ok_status() {
	LIB_TAP_N=$((LIB_TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s\n' "$LIB_TAP_N" "$2"
		return 0
	fi
	LIB_TAP_FAILED=$((LIB_TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$LIB_TAP_N" "$2"
	return 1
}

# Record a pass: pass SENTENCE.
pass() {
	ok_status 0 "$1"
}

# Record a failure: fail SENTENCE [DIAG...].
fail() {
	ok_status 1 "$1"
	shift
	[ $# -eq 0 ] || diag "$@"
	return 1
}

# Run CMD (its stdout goes to stderr); pass when it succeeds: ok SENTENCE CMD...
ok() {
	local sentence=$1 st
	shift
	"$@" >&2
	st=$?
	ok_status "$st" "$sentence" || diag "  '$*' exited $st"
}

# Run CMD (its stdout goes to stderr); pass when it fails: nok SENTENCE CMD...
nok() {
	local sentence=$1 st
	shift
	"$@" >&2
	st=$?
	[ "$st" -ne 0 ]
	ok_status $? "$sentence" || diag "  '$*' succeeded but should fail"
}

# Compare two strings: is GOT WANT SENTENCE.
is() {
	[ "$1" = "$2" ]
	ok_status $? "$3" || diag "  got: '$1'" "  expected: '$2'"
}

# Pass when two strings differ: isnt GOT UNWANTED SENTENCE.
isnt() {
	[ "$1" != "$2" ]
	ok_status $? "$3" || diag "  got: '$1'" "  expected anything else"
}

# Match a string against an extended regex: like GOT ERE SENTENCE.
like() {
	[[ $1 =~ $2 ]]
	ok_status $? "$3" || diag "  got: '$1'" "  expected to match: /$2/"
}

# Compare integers with a test(1) operator: cmp_ok GOT -ge WANT SENTENCE.
cmp_ok() {
	test "$1" "$2" "$3" 2>/dev/null
	ok_status $? "$4" || diag "  got: '$1'" "  expected: $2 $3"
}

# Skip COUNT (default 1) tests with a reason: skip REASON [COUNT].
skip() {
	local i n=${2:-1}
	for ((i = 0; i < n; i++)); do
		LIB_TAP_N=$((LIB_TAP_N + 1))
		printf 'ok %d # SKIP %s\n' "$LIB_TAP_N" "$1"
	done
}

# Skip the whole script (only before any test): skip_all REASON.
skip_all() {
	printf '1..0 # SKIP %s\n' "$1"
	LIB_DONE=1
	exit 0
}

# Skip the whole script unless every prerequisite is there (only before
# any test): require_tools WHAT... where WHAT is kcat ($KCAT), mock
# ($MOCKCLUSTER built), a path (a program make check builds) or the name
# of any other command (jq, xmllint...).
require_tools() {
	local what
	for what in "$@"; do
		case $what in
		kcat)
			command -v "$KCAT" >/dev/null ||
			    skip_all "kcat is not installed" ;;
		mock)
			require_tools "$MOCKCLUSTER" ;;
		*/*)
			[ -x "$what" ] ||
			    skip_all "$what is not built (make check builds it)" ;;
		*)
			command -v "$what" >/dev/null ||
			    skip_all "$what is not installed" ;;
		esac
	done
}

# Abort the script at once: bail_out REASON.
bail_out() {
	printf 'Bail out! %s\n' "$1"
	exit 99
}

# Print the plan; exit 0 only when tests ran and none failed.
done_testing() {
	printf '1..%d\n' "$LIB_TAP_N"
	LIB_DONE=1
	[ "$LIB_TAP_N" -gt 0 ] && [ "$LIB_TAP_FAILED" -eq 0 ]
	exit $?
}

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
trap lib_cleanup EXIT
trap 'diag "interrupted"; exit 98' INT TERM HUP

# ---------------------------------------------------------------- kconsumerd

# Write $T/NAME.yaml from standard input: kc_config NAME <<EOF ... EOF.
kc_config() {
	cat >"$T/$1.yaml"
}

# Write $T/NAME.yaml for a group member on the standard test settings,
# each SETTING=VALUE replacing a standard value or adding one:
# kc_member_config NAME GROUP TOPIC [SETTING=VALUE...]. The standard:
#   kafka.bootstrap.servers=$BOOTSTRAP group.id=GROUP
#   group.session_timeout_ms=6000 group.heartbeat_interval_ms=1000
#   topics=["TOPIC"] log.format=json sink.type=file sink.path=$T/NAME.sink
# A SETTING is SECTION.KEY as in kconsumerd.conf(5) (kafka.KEY for a
# librdkafka property) or a top-level key (consumers). VALUE is written
# as is: quote it where YAML needs it ('group.instance_id="%h-kc-%i"').
# Setting sink.type drops the standard sink.path. Empty arguments are
# ignored (for "${X:+SETTING=$X}").
kc_member_config() {
	local name=$1 arg key i found sec open secs=" "
	local keys=(kafka.bootstrap.servers group.id group.session_timeout_ms
	    group.heartbeat_interval_ms topics log.format sink.type sink.path)
	local vals=("$BOOTSTRAP" "$2" 6000 1000 "[\"$3\"]" json file
	    "$T/$1.sink")
	shift 3
	for arg in "$@"; do
		[ -n "$arg" ] || continue
		key=${arg%%=*}
		[ "$key" = sink.type ] && keys[7]=
		found=
		for i in "${!keys[@]}"; do
			[ "${keys[i]}" = "$key" ] && found=$i
		done
		if [ -n "$found" ]; then
			vals[found]=${arg#*=}
		else
			keys+=("$key")
			vals+=("${arg#*=}")
		fi
	done
	# one map a section (a dropped setting has an empty key), in the
	# order the sections first appear
	for key in "${keys[@]}"; do
		sec=${key%%.*}
		[ -z "$key" ] || [[ $secs == *" $sec "* ]] || secs+="$sec "
	done
	for sec in $secs; do
		open=
		for i in "${!keys[@]}"; do
			key=${keys[i]}
			[ "${key%%.*}" = "$sec" ] || continue
			if [ "$key" = "$sec" ]; then
				printf '%s: %s\n' "$key" "${vals[i]}"
			else
				[ -n "$open" ] || printf '%s:\n' "$sec"
				open=1
				printf '  %s: %s\n' "${key#*.}" "${vals[i]}"
			fi
		done
	done >"$T/$name.yaml"
}

# Start kconsumerd as NAME (stderr: $T/NAME.log, stdout: $T/NAME.out):
# kc_start NAME CONFIGFILE [ARGS...].
kc_start() {
	local name=$1 conf=$2
	shift 2
	proc_start "$name" "$T/$name.out" "$T/$name.log" \
	    "$KCONSUMERD" -c "$conf" "$@"
}

# Print the path of NAME's log (its stderr).
kc_log() {
	echo "$T/$1.log"
}

# SIGTERM kconsumerd NAME, wait; return (and KC_STATUS) its exit status:
# kc_stop NAME [DEADLINE_S=20].
kc_stop() {
	proc_stop "$@"
}

# SIGKILL kconsumerd NAME.
kc_kill() {
	proc_kill "$1"
}

# Wait for kconsumerd NAME to exit by itself: kc_wait_exit NAME DEADLINE_S.
kc_wait_exit() {
	proc_wait_exit "$1" "$2"
}

# ---------------------------------------------------------------- events

# Print how many JSON lines of LOGFILE satisfy the jq EXPR (pure).
count_events() {
	jq -nR "[inputs | (try fromjson catch null) | objects |
	    select(try ($2) catch false)] | length" "$1" 2>/dev/null
}

# Wait until MIN lines of LOGFILE satisfy EXPR:
# wait_event LOGFILE 'JQ-EXPR' [DEADLINE_S=30] [MIN=1].
wait_event() {
	local file=$1 expr=$2 deadline=${3:-30} min=${4:-1} n=0
	if ! jq -n "null | select(try ($expr) catch false)" >/dev/null 2>&1; then
		diag "wait_event: bad jq expression: $expr"
		return 2
	fi
	if wait_until "$deadline" eval \
	    'n=$(count_events "$file" "$expr" || echo 0); [ "${n:-0}" -ge "$min" ]'
	then
		return 0
	fi
	diag "wait_event: $n of $min events matching ($expr) in $file after $deadline s; its last 20 lines:" \
	    "$(tail -n 20 "$file" 2>/dev/null | cut -c1-300 | sed 's/^/    /')"
	return 1
}

# Print how many rebalance events (assign, revoke, lost) LOG holds (pure).
rebalance_events() {
	count_events "$1" '.event == "assign" or .event == "revoke" or .event == "lost"'
}

# Print jq FILTER applied to the N-th (1-based) event of LOG matching
# EXPR (pure): nth_field LOG EXPR N FILTER.
nth_field() {
	jq -rR --argjson n "$3" "[inputs | (try fromjson catch null) | objects |
	    select($2)][\$n - 1] | $4" "$1" 2>/dev/null
}

# Print the partitions a member owns after its rebalance events (EAGER
# assigns replace, COOPERATIVE ones add), sorted, space-separated: those
# of every event of LOG, or of consumer C's only (pure): owned LOG [C].
owned() {
	jq -nrR --argjson c "${2:-null}" 'reduce (inputs |
	    (try fromjson catch null) | objects | select(($c == null or
	    .consumer == $c) and (.event == "assign" or .event == "revoke" or
	    .event == "lost"))) as $e ([];
	    if $e.event == "assign" then
		(if $e.protocol == "EAGER" then [] else . end) +
		[$e.partitions[].partition]
	    else . - [$e.partitions[].partition] end) | sort |
	    map(tostring) | join(" ")' "$1" 2>/dev/null
}

# What owned_split found each member owns, by MEMBER.
declare -A OWNED

# True when members MEMBER... own N partitions each and, between them,
# partitions 0 to N * (number of members) - 1; sets OWNED[MEMBER] to what
# each owns (see owned). A MEMBER is a LOG, or LOG:C for consumer C of a
# multi-consumer process: owned_split N MEMBER... (for wait_until).
owned_split() {
	local n=$1 m all='' counts='' want=''
	shift
	for m in "$@"; do
		if [[ $m =~ ^(.*):([0-9]+)$ ]]; then
			OWNED[$m]=$(owned "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
		else
			OWNED[$m]=$(owned "$m")
		fi
		all="$all ${OWNED[$m]}"
		counts="$counts $(wc -w <<<"${OWNED[$m]}")"
		want="$want $n"
	done
	[ "$counts" = "$want" ] &&
	    [ "$(printf '%s\n' $all | sort -n | tr '\n' ' ')" = \
	    "$(seq 0 $((n * $# - 1)) | tr '\n' ' ')" ]
}

# Print how many lines of FILE match the ERE (pure).
count_lines() {
	grep -cE -e "$2" "$1" 2>/dev/null
}

# Wait until COUNTER... (a command printing a count) prints MIN or more;
# LIB_COUNT is the last count: lib_wait_count DEADLINE_S MIN COUNTER...
lib_wait_count() {
	local deadline=$1 min=$2 counter
	shift 2
	counter=("$@")
	LIB_COUNT=0
	wait_until "$deadline" eval \
	    'LIB_COUNT=$("${counter[@]}"); [ "${LIB_COUNT:-0}" -ge "$min" ]'
}

# Wait until MIN lines of a plain-text FILE match the ERE:
# wait_line FILE ERE [DEADLINE_S=30] [MIN=1].
wait_line() {
	local file=$1 re=$2 deadline=${3:-30} min=${4:-1}
	lib_wait_count "$deadline" "$min" count_lines "$file" "$re" && return 0
	diag "wait_line: $LIB_COUNT of $min lines matching /$re/ in $file after $deadline s; its last 20 lines:" \
	    "$(tail -n 20 "$file" 2>/dev/null | cut -c1-300 | sed 's/^/    /')"
	return 1
}

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

# Start the cluster with topics: mock_start [-b BROKERS] NAME:PARTS...
# (logical names); exports BOOTSTRAP, and MOCK_LOG, MOCK_FIFO on the mock.
mock_start() {
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
		    { diag "mock_start: cannot create topics on $BOOTSTRAP"; return 1; }
		for spec in "$@"; do
			real=$(topic "${spec%:*}")
			wait_until 30 lib_topic_ready "$real" "${spec##*:}" ||
			    { diag "mock_start: $real has no leaders"; return 1; }
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
		diag "mock_start: no bootstrap file after 20 s"
		return 1
	fi
	if [ ! -s "$T/mock.bootstrap" ]; then
		diag "mock_start: mockcluster exited:" "$(cat "$T/mock.err")"
		return 1
	fi
	BOOTSTRAP=$(cat "$T/mock.bootstrap")
	export BOOTSTRAP
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

# ---------------------------------------------------------------- real Kafka
# On lab/kafka-local's clusters the brokers' own logs are evidence: Kafka
# logs every "Preparing to rebalance group G", every static member's
# rejoin and every member removal with its reason.

# True when the brokers' logs are at hand (a lab/kafka-local cluster).
has_broker_log() {
	[ -n "$LIB_KAFKA_DIR" ]
}

# ok SENTENCE CMD... where CMD reads the brokers' logs; a skip on a
# cluster whose logs are not at hand (KAFKA_BOOTSTRAP's).
ok_broker() {
	if has_broker_log; then
		ok "$@"
	else
		skip "no broker log: the cluster is not lab/kafka-local's"
	fi
}

# Print the brokers' log lines that name consumer group GROUP, every node,
# oldest first (pure): broker_group_lines GROUP.
broker_group_lines() {
	[ -n "$LIB_KAFKA_DIR" ] || return 1
	grep -hF -e " group $1 " -e " group $1." -e " group $1," \
	    "$LIB_KAFKA_DIR"/node-*/server.log 2>/dev/null | sort -s -k1,1
}

# Print how many of GROUP's broker log lines match the ERE (pure):
# broker_count GROUP ERE.
broker_count() {
	broker_group_lines "$1" | grep -cE -e "$2"
}

# Wait until MIN of GROUP's broker log lines match the ERE:
# broker_wait GROUP ERE [DEADLINE_S=30] [MIN=1].
broker_wait() {
	local g=$1 re=$2 deadline=${3:-30} min=${4:-1}
	lib_wait_count "$deadline" "$min" broker_count "$g" "$re" && return 0
	diag "broker_wait: $LIB_COUNT of $min broker log lines match /$re/ for group $g after $deadline s; its last lines:" \
	    "$(broker_group_lines "$g" | tail -n 10 | cut -c1-400 | sed 's/^/    /')"
	return 1
}

# Show GROUP's broker log lines as TAP diagnostics, the last N (default 20).
broker_diag() {
	has_broker_log || return 0
	diag "the broker's log for group $1:" \
	    "$(broker_group_lines "$1" | tail -n "${2:-20}" | sed -E 's/^\[[^]]*T([^]]*)\] INFO \[GroupCoordinator[^]]*\] /    \1 /; s/ \(org\.apache[^)]*\)$//' | cut -c1-300)"
}

# Run Kafka's own consumer-group tool on the cluster (prints its output):
# kafka_groups ARGS... (e.g. --describe --group G --members --verbose).
kafka_groups() {
	"$KAFKA_LOCAL" run org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
	    --bootstrap-server "$BOOTSTRAP" "$@"
}

# Start a cluster of NODES (1 or 3) of this script's own, in place of the
# shared one (after require_live), stopped on exit; its logs are the
# broker logs: kafka_own_start NODES.
kafka_own_start() {
	local dir
	dir=$(mktemp -d "/dev/shm/kct-$LIB_NAME.XXXXXX" 2>/dev/null ||
	    mktemp -d "$T/kafka.XXXXXX") || return 1
	LIB_OWN_KAFKA_DIR=$dir
	# a second try on new ports if the first start fails
	"$KAFKA_LOCAL" -d "$dir" start -n "$1" >"$T/kafka-own.bootstrap" \
	    2>"$T/kafka-own.err" ||
	    "$KAFKA_LOCAL" -d "$dir" start -n "$1" >"$T/kafka-own.bootstrap" \
	    2>>"$T/kafka-own.err" || {
		diag "kafka_own_start: the cluster did not start:" \
		    "$(tail -n 20 "$T/kafka-own.err")"
		return 1
	}
	KAFKA_BOOTSTRAP=$(cat "$T/kafka-own.bootstrap")
	LIB_KAFKA_DIR=$dir
}

# Run lab/kafka-local on this script's own cluster: kafka_own ARGS...
kafka_own() {
	"$KAFKA_LOCAL" -d "$LIB_OWN_KAFKA_DIR" "$@"
}

# ---------------------------------------------------------------- arrivals
# When did each record reach a sink? The sink format has only the
# record's own timestamp (the producer's), so sink_stamp (below, with the
# consume helpers) follows a sink file and notes each record's arrival.

# Print how many records of PARTITIONS (space-separated) that sink_stamp
# NAME saw arrived between FROM_MS and TO_MS (pure): arrivals_between NAME
# FROM TO PARTITIONS.
arrivals_between() {
	awk -v a="$2" -v b="$3" -v ps=" $4 " \
	    'index(ps, " " $2 " ") && $1 >= a && $1 <= b { n++ } END { print n + 0 }' \
	    "$T/$1.stamps" 2>/dev/null || echo 0
}

# Print the time (ms) of the N-th (1-based; 0: the last) event of LOG
# matching EXPR (pure): event_ms LOG EXPR [N=1].
event_ms() {
	local ts
	ts=$(nth_field "$1" "$2" "${3:-1}" .ts)
	[ -n "$ts" ] && [ "$ts" != null ] && date -d "$ts" +%s%3N
}

# ---------------------------------------------------------------- produce

# Print how many messages produce/produce_bg_stop put in TOPIC (pure).
produced() {
	cat "$T/produced.$1" 2>/dev/null || echo 0
}

# Produce COUNT messages "k<i>:<topic>-<i>" (i continues across calls) to
# TOPIC, optionally to one PARTITION; returns when kcat has succeeded:
# produce TOPIC COUNT [PARTITION].
produce() {
	local topic=$1 count=$2 start part=()
	start=$(produced "$topic")
	[ $# -ge 3 ] && part=(-p "$3")
	awk -v s="$start" -v n="$count" -v t="$topic" \
	    'BEGIN { for (i = s; i < s + n; i++) printf "k%d:%s-%d\n", i, t, i }' |
	    lib_kcat -P -t "$topic" "${part[@]}" -K: \
	    -X message.timeout.ms=30000 2>"$T/produce.err"
	if [ "${PIPESTATUS[1]}" -ne 0 ]; then
		diag "produce $topic $count: kcat failed:" "$(cat "$T/produce.err")"
		return 1
	fi
	echo $((start + count)) >"$T/produced.$topic"
}

# Produce "kb<i>:<topic>-b<i>" to TOPIC at RATE messages a second (default
# 50) in the background until produce_bg_stop: produce_bg NAME TOPIC [RATE].
produce_bg() {
	local name=$1 topic=$2 rate=${3:-50}
	rm -f "$T/$name.fifo" "$T/$name.count"
	mkfifo "$T/$name.fifo"
	echo "$topic" >"$T/$name.topic"
	proc_start "$name" "$T/$name.out" "$T/$name.err" \
	    "$KCAT" -b "$BOOTSTRAP" $KCAT_OPTS -P -t "$topic" -K: \
	    -X message.timeout.ms=60000 -X linger.ms=5 -l "$T/$name.fifo"
	(
		stop=0 i=0
		trap 'stop=1' TERM
		interval=$(awk -v r="$rate" 'BEGIN { printf "%.3f", 1 / r }')
		while [ "$stop" -eq 0 ]; do
			printf 'kb%d:%s-b%d\n' "$i" "$topic" "$i" || break
			i=$((i + 1))
			echo "$i" >"$T/$name.count"
			sleep "$interval"
		done
	) >"$T/$name.fifo" &
	echo $! >"$T/$name.gen.pid"
	LIB_PIDS+=($!)
}

# Stop produce_bg NAME, wait for kcat to deliver everything; sets
# PRODUCED_BG to the count, adds it to produced TOPIC, returns kcat's
# status: produce_bg_stop NAME [DEADLINE_S=60].
produce_bg_stop() {
	local name=$1 gen topic
	gen=$(cat "$T/$name.gen.pid")
	kill -TERM "$gen" 2>/dev/null
	wait "$gen" 2>/dev/null
	PRODUCED_BG=$(cat "$T/$name.count" 2>/dev/null || echo 0)
	topic=$(cat "$T/$name.topic")
	echo $(($(produced "$topic") + PRODUCED_BG)) >"$T/produced.$topic"
	proc_wait_exit "$name" "${2:-60}" || {
		diag "produce_bg $name: kcat status $KC_STATUS:" \
		    "$(tail -n 5 "$T/$name.err")"
		return 1
	}
}

# ---------------------------------------------------------------- consume, sinks

# Sink-format JSON line template for kcat -f (topic, partition, offset...).
LIB_KCAT_SINK_FMT='{"topic":"%t","partition":%p,"offset":%o,"timestamp":%T,"key":"%k","value":"%s"}\n'

# Print every message of TOPIC now in the log as sink JSON lines (pure):
# consume_all TOPIC. Within 30 s: while a producer still writes, kcat -e
# may never see the end of a partition (librdkafka 2.14's fetches keep
# returning new records), and a wait around this must keep its deadline.
consume_all() {
	# shellcheck disable=SC2086
	timeout 30 "$KCAT" -b "$BOOTSTRAP" $KCAT_OPTS -C -t "$1" -o beginning \
	    -e -q -f "$LIB_KCAT_SINK_FMT"
}

# Start a kcat balanced consumer NAME in GROUP writing sink JSON lines to
# $T/NAME.out: kcat_group NAME GROUP TOPIC...
kcat_group() {
	local name=$1 grp=$2 session=3000
	shift 2
	is_live && session=6000
	proc_start "$name" "$T/$name.out" "$T/$name.err" \
	    "$KCAT" -b "$BOOTSTRAP" $KCAT_OPTS -G "$grp" -q -u \
	    -X auto.offset.reset=earliest -X session.timeout.ms=$session \
	    -X heartbeat.interval.ms=500 -f "$LIB_KCAT_SINK_FMT" "$@"
}

# Print "topic partition offset" for each record of the sink files,
# sorted, duplicates kept (pure): sink_offsets FILE...
sink_offsets() {
	cat "$@" 2>/dev/null | jq -rR '(try fromjson catch null) | objects |
	    "\(.topic) \(.partition) \(.offset)"' | sort -k1,1 -k2,2n -k3,3n
}

# Print how many records the sink files hold, duplicates counted (pure).
sink_count() {
	sink_offsets "$@" | wc -l
}

# Print how many distinct (topic, partition, offset) the sink files hold.
sink_distinct() {
	sink_offsets "$@" | uniq | wc -l
}

# Print how many partitions of sink FILE (one topic) do not hold a run of
# offsets from 0 without a gap (pure): sink_gaps FILE.
sink_gaps() {
	jq -r '"\(.partition) \(.offset)"' "$1" | sort -n -k1,1 -k2,2 |
	    awk '$1 != p { if (p != "" && n != max + 1) bad++; p = $1; n = 0 }
		{ if ($2 != n) bad++; n++; max = $2 }
		END { if (p != "" && n != max + 1) bad++; print bad + 0 }'
}

# Print "PARTITION NEXT" for each partition of sink FILE (one topic), NEXT
# one past its last record, sorted (pure): sink_next FILE.
sink_next() {
	jq -r '"\(.partition) \(.offset)"' "$1" |
	    awk '{ if (!($1 in m) || $2 > m[$1]) m[$1] = $2 }
		END { for (p in m) print p, m[p] + 1 }' | sort -n
}

# Print "PARTITION OFFSET" for each offset above 0 the stop events of LOG
# say was committed, sorted (pure): stop_committed LOG.
stop_committed() {
	jq -r 'select(.event == "stop") | .committed[] | select(.offset > 0) |
	    "\(.partition) \(.offset)"' "$1" | sort -n
}

# Check a kconsumerd -n N run, with TAP assertions: its sink FILE (one
# topic) holds exactly N records, from several partitions, each
# partition's a run from offset 0 without a gap; the stop events of LOG
# count N messages and committed one past the last record of each
# partition: count_run_ok LOG FILE N.
count_run_ok() {
	local log=$1 sink=$2 n=$3
	is "$(wc -l <"$sink")" "$n" "the sink holds exactly $n lines"
	is "$(sink_distinct "$sink")" "$n" "and $n distinct offsets"
	is "$(jq -s '[.[] | select(.event == "stop") | .messages] | add' "$log")" \
	    "$n" "the stop events count $n messages"
	cmp_ok "$(jq -r .partition "$sink" | sort -u | wc -l)" -ge 2 \
	    "records came from several partitions"
	is "$(sink_gaps "$sink")" 0 \
	    "each partition's records start at offset 0 and have no gap"
	is "$(stop_committed "$log")" "$(sink_next "$sink")" \
	    "the committed offsets are, per partition, one past the last record written"
}

# Wait until the sink files hold at least N distinct records (duplicates
# from a rebalance do not count): wait_sink_count N DEADLINE_S FILE...
wait_sink_count() {
	local want=$1 deadline=$2 n=0 files
	shift 2
	files=("$@")
	wait_until "$deadline" eval \
	    'n=$(sink_distinct "${files[@]}"); [ "$n" -ge "$want" ]' &&
	    return 0
	diag "wait_sink_count: $n of $want distinct records in $* after $deadline s"
	return 1
}

# Print "topic partition low end" for each partition of TOPIC (pure).
log_offsets() {
	local parts p args=()
	parts=$(lib_kcat -L -t "$1" -J 2>/dev/null |
	    jq -r '.topics[0].partitions[]?.partition') || return 1
	[ -n "$parts" ] || return 1
	for p in $parts; do
		args+=(-t "$1:$p:-2")
	done
	lib_kcat -Q "${args[@]}" >"$T/lo.$$" || return 1
	args=()
	for p in $parts; do
		args+=(-t "$1:$p:-1")
	done
	lib_kcat -Q "${args[@]}" >"$T/hi.$$" || return 1
	awk 'FNR == NR { gsub(/[][]/, "", $2); lo[$1 " " $2] = $4; next }
	    { gsub(/[][]/, "", $2); print $1, $2, lo[$1 " " $2] + 0, $4 }' \
	    "$T/lo.$$" "$T/hi.$$"
	rm -f "$T/lo.$$" "$T/hi.$$"
}

# Follow sink FILE (from its start, across appends) in the background as
# NAME, writing "ARRIVAL_MS PARTITION OFFSET" a record to $T/NAME.stamps
# (arrival = when the line showed up in the file, 50 ms resolution; the
# sink's own timestamp is the producer's). FILE holds sink JSON lines or
# Kafka's console consumer output with print.partition and print.offset
# ("Partition:P<tab>Offset:O..."): sink_stamp NAME FILE.
sink_stamp() {
	proc_start "$1" "$T/$1.stamps" "$T/$1.stamp.err" perl -MTime::HiRes=time,sleep -e '
	    my ($f, $fh, $buf) = ($ARGV[0], undef, "");
	    $| = 1;
	    sleep 0.05 until open($fh, "<", $f);
	    while (1) {
		my $l = <$fh>;
		if (!defined $l) { sleep 0.05; seek($fh, 0, 1); next; }
		$buf .= $l;
		next unless $buf =~ /\n\z/;
		printf "%d %d %d\n", time * 1000, $1, $2
		    if $buf =~ /partition"?:(\d+)[,\t]"?offset"?:(\d+)/i;
		$buf = "";
	    }' "$2"
}

# Print "GAP_MS PARTITION": the longest time any partition went without
# progress (a record past the highest offset seen for it arriving in a
# sink) between FROM_MS and TO_MS (epoch ms; a gap still open at TO_MS
# counts), from sink_stamp files (pure): stamp_max_gap FROM_MS TO_MS STAMPS...
stamp_max_gap() {
	local from=$1 to=$2
	shift 2
	sort -s -n -k1,1 "$@" | awk -v from="$from" -v to="$to" '
	    $1 > to { next }
	    {
		if (!($2 in last)) { last[$2] = from; max[$2] = -1 }
		if ($3 <= max[$2]) next
		max[$2] = $3
		if ($1 >= from && $1 - last[$2] > best) { best = $1 - last[$2]; bp = $2 }
		if ($1 > last[$2]) last[$2] = $1
	    }
	    END {
		for (p in last) if (to - last[p] > best) { best = to - last[p]; bp = p }
		printf "%d %s\n", best, bp
	    }'
}

# Check that the sink files hold every message in the log of each topic
# they name, EXPECTED_TOTAL in all, and count duplicates; sets
# DELIVERY_UNIQUE, DELIVERY_MISSING, DELIVERY_DUPLICATES:
# check_delivery EXPECTED_TOTAL FILE...
check_delivery() {
	local want=$1 recs total topics t logged=0 st=0
	shift
	recs=$T/delivery.$$
	sink_offsets "$@" >"$recs.all"
	sort -u -k1,1 -k2,2n -k3,3n "$recs.all" >"$recs.uniq"
	total=$(wc -l <"$recs.all")
	DELIVERY_UNIQUE=$(wc -l <"$recs.uniq")
	DELIVERY_DUPLICATES=$((total - DELIVERY_UNIQUE))
	DELIVERY_MISSING=0
	topics=$(cut -d' ' -f1 "$recs.uniq" | sort -u)
	: >"$recs.log"
	for t in $topics; do
		log_offsets "$t" >>"$recs.log" ||
		    { diag "check_delivery: no offsets for $t"; st=1; }
	done
	awk 'FNR == NR { have[$1 " " $2 " " $3] = 1; next }
	    { for (o = $3; o < $4; o++) if (!have[$1 " " $2 " " o])
		print $1, $2, o }' "$recs.uniq" "$recs.log" >"$recs.missing"
	DELIVERY_MISSING=$(wc -l <"$recs.missing")
	logged=$(awk '{ n += $4 - $3 } END { print n + 0 }' "$recs.log")
	diag "delivery: expected $want, log holds $logged, sinks hold $DELIVERY_UNIQUE distinct + $DELIVERY_DUPLICATES duplicates, $DELIVERY_MISSING missing"
	if [ "$DELIVERY_MISSING" -gt 0 ]; then
		diag "missing (topic partition offset), first 10:" \
		    "$(head -n 10 "$recs.missing")"
		st=1
	fi
	[ "$logged" -eq "$want" ] || {
		diag "the log holds $logged messages, not $want"; st=1; }
	[ "$DELIVERY_UNIQUE" -eq "$want" ] || st=1
	rm -f "$recs".*
	return "$st"
}
