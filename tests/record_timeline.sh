#!/bin/bash
# tests/record_timeline.sh: record the real event logs in
# tests/data/timeline/recorded-PROTOCOL-{a,b,c}.log (not run by make
# check; see tests/README.md). On the mock cluster, three kconsumerd
# processes join group "shop" one after another on topic orders (6
# partitions), then c and b stop with SIGTERM. Each step waits for the
# assignment to settle and the group to be quiet, so each is an episode.
#
#   top_srcdir=$PWD top_builddir=$PWD bash tests/record_timeline.sh eager
#   (or cooperative)

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
# quiet for longer than kconsumerctl timeline's default --gap between steps
RECIPE_GAP_MS=10000
. "$top_srcdir/tests/recipe_lib.sh"

case "${1:-}" in
eager) assignor=range ;;
cooperative) assignor=cooperative-sticky ;;
*) bail_out "usage: record_timeline.sh eager|cooperative" ;;
esac
out=$top_srcdir/tests/data/timeline/recorded-$1

ok "the cluster starts" cluster_start -b 3 orders:6
ok "60 messages are produced" produce orders 60
for m in a b c; do
	recipe_config "$m" shop "$assignor" orders 6000 1000
done
kc_start a "$T/a.yaml"
ok "a takes all 6 partitions" wait_settled 6 30 a
ok "quiet" wait_quiet 30 a
kc_start b "$T/b.yaml"
ok "a and b share them" wait_settled 6 30 a b
ok "quiet" wait_quiet 30 a b
kc_start c "$T/c.yaml"
ok "a, b and c share them" wait_settled 6 30 a b c
ok "quiet" wait_quiet 30 a b c
ok "c stops" kc_stop c 20
ok "a and b share them again" wait_settled 6 30 a b
ok "quiet" wait_quiet 30 a b
ok "b stops" kc_stop b 20
ok "a takes them all" wait_settled 6 30 a
ok "a stops" kc_stop a 20
for m in a b c; do
	# only kconsumerd's own events: librdkafka's lines say nothing here
	jq -c 'select(.event != "rdkafka")' "$(kc_log $m)" >"$out-$m.log"
done
done_testing
