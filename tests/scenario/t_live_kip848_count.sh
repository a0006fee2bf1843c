#!/bin/bash
# t_live_kip848_count: -n N stays exact under Kafka's consumer group
# protocol (group.protocol: consumer) on a real broker: two members in
# one process stop after exactly N records reached the sink, exit 0 and
# commit what was written (the stop events' committed offsets follow the
# last record of each partition); a restart without -n reads the rest
# with no gap and no duplicate. Needs librdkafka 2.12.0 or later (skips
# with the reason otherwise).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not speak the consumer group protocol"
require_tools kcat jq
require_consumer_protocol

ok "topic orders (6 partitions) is created" cluster_start orders:6
ORDERS=$(topic orders)
G=$(group count)
TOTAL=2000
N=700

kc_member_config a "$G" "$ORDERS" $KC_CONSUMER consumers=2 \
    sink.path="$T/orders.sink"
kc_start a "$T/a.yaml" -n $N
ok "member 0 of the -n run is assigned 3 partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 3 and .consumer == 0 and .group_protocol == "consumer"' 60
ok "member 1 of the -n run is assigned the other 3" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 3 and .consumer == 1 and .group_protocol == "consumer"' 60
ok "$TOTAL messages are produced" produce "$ORDERS" $TOTAL
kc_wait_exit a 60
is "$?" 0 "kconsumerd -n $N exits 0 by itself"
is "$(count_events "$(kc_log a)" '.event == "stop" and .result == "ok"')" 2 \
    "both members log a stop event with result ok"
count_run_ok "$(kc_log a)" "$T/orders.sink" $N

mv "$(kc_log a)" "$T/a.first.log"
kc_start a "$T/a.yaml"
ok "a restart without -n reads the rest" \
    wait_sink_count $TOTAL 60 "$T/orders.sink"
kc_stop a 20
is "$?" 0 "the restart exits 0 on SIGTERM"
ok "every produced offset is in the sink" check_delivery $TOTAL "$T/orders.sink"
is "$DELIVERY_DUPLICATES" 0 "none is there twice: the restart began at the committed offsets"

done_testing
