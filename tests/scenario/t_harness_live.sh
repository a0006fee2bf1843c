#!/bin/bash
# t_harness_live: t_harness's checks of tests/lib.sh (start, produce,
# consume, delivery checks, topic creation with --create-on) on the real
# broker of lab/with-kafka instead of the mock, with the broker's log in
# place of the mock's.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_live "the live half of the harness checks"
# t_harness.sh runs its live branches whenever KAFKA_BOOTSTRAP is set
export KAFKA_BOOTSTRAP
LIB_DONE=1
rmdir "$T"
exec bash "$top_srcdir/tests/scenario/t_harness.sh"
