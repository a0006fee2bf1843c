# tests/lib.sh: shared helpers for the scenario tests (tests/scenario/*.sh),
# the one file a script sources: it sets the environment and the state,
# makes $T, sources the helpers of tests/lib/ (one file per concern) and
# stops what the script started on exit (lib_cleanup, tests/lib/proc.sh).
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

# The helpers, one file per concern (tests/README.md lists them).
LIB_DIR=$(dirname "${BASH_SOURCE[0]}")/lib
for lib_file in tap proc kconsumerd events cluster kafka produce sink; do
	# shellcheck source=/dev/null
	. "$LIB_DIR/$lib_file.sh" || exit 99
done
unset lib_file

trap lib_cleanup EXIT
trap 'diag "interrupted"; exit 98' INT TERM HUP
