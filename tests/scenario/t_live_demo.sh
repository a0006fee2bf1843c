#!/bin/bash
# t_live_demo: kconsumerd --demo --bootstrap plays the demo on a real
# cluster: three static members join one after another; member 1 is
# restarted at once and takes its place back without a rebalance (the
# broker logs the static rejoin, members 0 and 2 log nothing, it gets the
# same partitions), which the summary says; then member 1 stops past the
# session and comes back. It exits 0 by itself and deletes the topic of
# its own it played on.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the demo's static-membership act needs a real broker"
require_tools

ok "the cluster is up" cluster_start
proc_start demo "$T/demo.out" "$T/demo.err" "$KCONSUMERD" --demo \
    --bootstrap "$BOOTSTRAP"
kc_wait_exit demo 120
is "$KC_STATUS" 0 "the demo ends by itself and exits 0"
OUT=$(cat "$T/demo.out")
like "$OUT" "the Kafka cluster at $BOOTSTRAP" "it says it runs on the real cluster"
like "$OUT" "group \"kconsumerd-demo-[0-9]+\",
static members" \
    "with static members in a group of its own"
like "$OUT" "member 1 restarts at once \(static\)" "it plays the static act"
like "$OUT" "member 1 is back after [0-9.]+ s; members 0 and 2 logged 0 events" \
    "the restarted member is back and the others logged no event"
like "$OUT" "was back after [0-9.]+ s with the same partitions \([0-9,]+\), and members 0 and 2
logged no revoke and no assign: no rebalance\." \
    "the summary says: same partitions, no rebalance"
like "$OUT" "member 1 stops \(static: no LeaveGroup\)" \
    "then member 1 stops for longer than the session"
G=$(grep -oE 'group "kconsumerd-demo-[0-9]+"' <<<"$OUT" | head -n 1 | tr -d '"' | cut -d' ' -f2)
like "$OUT" "topic \"$G\" with 6 partitions" \
    "on a topic of its own, named as its group"
like "$OUT" "Deleted topic \"$G\" \(this run's own\) from the cluster\." \
    "it says it deleted that topic at the end"
lib_kcat -L >"$T/after.md" 2>&1
like "$(cat "$T/after.md")" "Metadata for all topics" "kcat lists the cluster's topics"
ok "and the cluster has it no more" eval '! grep -qF "topic \"$G\"" "$T/after.md"'
ok_broker "the broker logs the static rejoin of kconsumerd-demo-1" \
    broker_wait "$G" 'groupInstanceId=kconsumerd-demo-1 and unknown member id joins group .* in Stable state\. Replacing previously mapped member' 5
ok_broker "and removes member 1 when its session expires" \
    broker_wait "$G" 'has failed, removing it from the group' 5
like "$OUT" "Messages produced: [1-9][0-9]* " "messages flowed"
# every record the demo produced is read and committed, or still in Kafka
P=$(sed -n 's/^Messages produced: \([0-9]*\) .*/\1/p' <<<"$OUT")
R=$(sed -n 's/^  read, written to the sink and committed: *\([0-9]*\)$/\1/p' <<<"$OUT")
U=$(sed -n 's/^  not yet read when the demo stopped: *\([0-9]*\) .*/\1/p' <<<"$OUT")
cmp_ok "${R:-0}" -ge 1 "the group read and committed records ($R)"
is "$((R + U))" "$P" "read and committed ($R) + not yet read ($U) = produced ($P)"
like "$OUT" "$R \+ $U = $P: every record is accounted for" "and the summary says so"
broker_diag "$G" 12
done_testing
