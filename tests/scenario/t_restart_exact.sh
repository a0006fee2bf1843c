#!/bin/bash
# t_restart_exact: at-least-once plus commit on shutdown gives exactly once
# across a clean restart. One member consumes what was produced, stops on
# SIGTERM with its committed offsets at the log end, and a restarted
# member in the same group, appending to the same sink file, reads only
# what was produced since: every offset once, none lost, none twice.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (4 partitions)" cluster_start -b 3 orders:4
ORDERS=$(topic orders)
G=$(group restart)
N=300
M=200

kc_member_config a "$G" "$ORDERS" sink.path="$T/orders.sink"

# Print the log-end offsets of TOPIC as sorted "topic partition offset".
log_ends() {
	log_offsets "$1" | awk '{ print $1, $2, $4 }' | sort -k2,2n
}

# Print the committed offsets of the stop events in LOG, sorted like log_ends.
stop_committed() {
	jq -r 'select(.event == "stop") | .committed[] |
	    "\(.topic) \(.partition) \(.offset)"' "$1" | sort -k2,2n
}

ok "$N messages are produced" produce "$ORDERS" $N
kc_start a "$T/a.yaml"
ok "the first run is assigned all 4 partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 4' 30
ok "the first run writes all $N messages to the sink" \
    wait_sink_count $N 30 "$T/orders.sink"
kc_stop a 20
is "$?" 0 "the first run exits 0 on SIGTERM"
is "$(count_events "$(kc_log a)" '.event == "stop" and .result == "ok"')" 1 \
    "it logs one stop event with result ok"
is "$(stop_committed "$(kc_log a)")" "$(log_ends "$ORDERS")" \
    "its stop event lists, per partition, a committed offset equal to the log end"
is "$(sink_count "$T/orders.sink")" $N \
    "the sink holds exactly $N records after the first run (no duplicates)"

ok "$M more messages are produced while no member runs" produce "$ORDERS" $M
mv "$(kc_log a)" "$T/a.first.log"
kc_start a "$T/a.yaml"
ok "the restarted member is assigned all 4 partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 4' 30
is "$(jq -c 'select(.event == "assign" and .assignment == 4) | .partitions |
    map([.topic, .partition, .offset]) | sort_by(.[1])' "$(kc_log a)" | head -n 1)" \
    "$(stop_committed "$T/a.first.log" | jq -Rsc 'split("\n") | map(select(. != "") |
        split(" ") | [.[0], (.[1] | tonumber), (.[2] | tonumber)])')" \
    "its assign event starts each partition at the offset the first run committed"
ok "the sink reaches $((N + M)) distinct records" \
    wait_sink_count $((N + M)) 30 "$T/orders.sink"
kc_stop a 20
is "$?" 0 "the second run exits 0 on SIGTERM"
is "$(stop_committed "$(kc_log a)")" "$(log_ends "$ORDERS")" \
    "the second run's stop event commits the new log end"
ok "every produced offset is in the sink" check_delivery $((N + M)) "$T/orders.sink"
is "$DELIVERY_DUPLICATES" 0 "no offset is in the sink twice"
is "$(jq -r .offset "$T/orders.sink" | wc -l)" $((N + M)) \
    "the sink holds exactly $((N + M)) lines"
is "$(jq -s '[.[] | select(.value != "\(.topic)-\(.key | ltrimstr("k"))")] | length' \
    "$T/orders.sink")" 0 "every record's value matches its key"

done_testing
