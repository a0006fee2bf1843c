#!/bin/bash
# t_fenced: a FENCED_INSTANCE_ID from the coordinator (injected through the
# mock into a static member's heartbeat) is fatal: a fatal event names the
# member's group.instance.id, the other member of the process closes
# cleanly (its stop event says ok), and kconsumerd exits 76.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock
require_mock "it injects FENCED_INSTANCE_ID"

ok "the cluster starts with topic orders (4 partitions)" cluster_start -b 3 orders:4
ORDERS=$(topic orders)

kc_member_config a "$(group fenced)" "$ORDERS" 'group.instance_id="fence-%i"' \
    consumers=2 sink.path="$T/orders.sink"
LOG=$(kc_log a)

ok "100 messages are produced" produce "$ORDERS" 100
kc_start a "$T/a.yaml"
ok "member 0 (fence-0) is assigned partitions" \
    wait_event "$LOG" '.event == "assign" and .consumer == 0 and .instance_id == "fence-0" and .assignment == 2' 30
ok "member 1 (fence-1) is assigned partitions" \
    wait_event "$LOG" '.event == "assign" and .consumer == 1 and .instance_id == "fence-1" and .assignment == 2' 30
ok "the next heartbeat is answered FENCED_INSTANCE_ID" \
    mock_cmd "error Heartbeat FENCED_INSTANCE_ID 1"
ok "a fatal event is logged" wait_event "$LOG" '.event == "fatal"' 20
kc_wait_exit a 20
is "$?" 76 "kconsumerd exits 76"
is "$(count_events "$LOG" '.event == "fatal"')" 1 "exactly one fatal event"
FATAL=$(jq -c 'select(.event == "fatal")' "$LOG")
F=$(jq -r .consumer <<<"$FATAL")
like "$F" '^[01]$' "the fatal event names the member (consumer 0 or 1)"
is "$(jq -r .error <<<"$FATAL")" FENCED_INSTANCE_ID "its error is FENCED_INSTANCE_ID"
is "$(jq -r .level <<<"$FATAL")" error "at level error"
like "$(jq -r .cause <<<"$FATAL")" "group\\.instance\\.id fence-$F\$" \
    "its cause names the member's group.instance.id (fence-$F)"
is "$(jq -r .instance_id <<<"$FATAL")" "fence-$F" "its instance_id field is fence-$F"
like "$(jq -r .next <<<"$FATAL")" "exit 76" "its next field says the process exits 76"
is "$(count_events "$LOG" ".event == \"stop\" and .consumer == $F and .result == \"fatal\"")" 1 \
    "the fenced member's stop event says fatal"
is "$(count_events "$LOG" ".event == \"stop\" and .consumer == $((1 - F)) and .result == \"ok\"")" 1 \
    "the other member closes cleanly: its stop event says ok"
is "$(count_events "$LOG" ".event == \"revoke\" and .consumer == $((1 - F)) and .assignment == 0")" 1 \
    "the other member serves its final revoke"
ok "nothing consumed is lost (the sink holds all 100)" wait_sink_count 100 1 "$T/orders.sink"

done_testing
