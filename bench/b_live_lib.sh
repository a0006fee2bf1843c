# bench/b_live_lib.sh: the start the real-Kafka parts of make bench share
# (b_live.sh, b_scale.sh), sourced after setting BENCH_PART (what the
# skip line names): without lab/with-kafka's local Kafka it says so and
# exits 0; otherwise it sources tests/lib.sh's helpers, sends the
# script's own output (TAP lines, tools) to $LOG, $T/NAME.log, and gives
# out(), which prints to make bench's output.
# shellcheck shell=bash
if [ -z "${KCD_LIVE_BOOTSTRAP:-}" ]; then
	echo
	echo "$BENCH_PART: skipped: no local Kafka could be started (lab/with-kafka says why above; it needs java and the cached or fetchable Kafka jars)"
	exit 0
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export top_srcdir
exec 3>&1
. "$top_srcdir/tests/lib.sh"
require_live "bench"
LOG=$T/$(basename "$0" .sh).log
exec >"$LOG" 2>&1

# Print to make bench's output.
out() { echo "$@" >&3; }
