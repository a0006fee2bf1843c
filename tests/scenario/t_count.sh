#!/bin/bash
# t_count: -n N stops the whole process after exactly N records reached the
# sink, even with two members writing at once, exits 0, and commits what
# was written: the stop events' committed offsets follow the last record
# of each partition, and a restart without -n reads the rest with no gap
# and no duplicate.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (6 partitions)" cluster_start -b 3 orders:6
ORDERS=$(topic orders)
G=$(group count)
TOTAL=2000
N=700

kc_member_config a "$G" "$ORDERS" consumers=2 sink.path="$T/orders.sink"

# The messages come once both members own 3 partitions: on the mock, a
# member that still waits for its first assignment puts the group in a
# rebalance, which refuses the other member's commits (a broker would
# accept them); see shared/librdkafka-notes.md.
kc_start a "$T/a.yaml" -n $N
ok "member 0 of the -n run is assigned 3 partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 3 and .consumer == 0' 30
ok "member 1 of the -n run is assigned the other 3" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 3 and .consumer == 1' 30
ok "$TOTAL messages are produced" produce "$ORDERS" $TOTAL
kc_wait_exit a 40
is "$?" 0 "kconsumerd -n $N exits 0 by itself"
is "$(count_events "$(kc_log a)" '.event == "stop" and .result == "ok"')" 2 \
    "both members log a stop event with result ok"
count_run_ok "$(kc_log a)" "$T/orders.sink" $N

mv "$(kc_log a)" "$T/a.first.log"
kc_start a "$T/a.yaml"
ok "a restart without -n reads the rest" \
    wait_sink_count $TOTAL 40 "$T/orders.sink"
kc_stop a 20
is "$?" 0 "the restart exits 0 on SIGTERM"
ok "every produced offset is in the sink" check_delivery $TOTAL "$T/orders.sink"
is "$DELIVERY_DUPLICATES" 0 "none is there twice: the restart began at the committed offsets"

done_testing
