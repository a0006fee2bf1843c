#!/bin/bash
# t_members_one_process: `consumers: 3` runs three group members in one
# process. Each logs its own start event (consumer 0, 1, 2) with its own
# instance id resolved from the "%h-kc-%i" template; the three split the 6
# partitions 2/2/2 without overlap, and every message reaches the shared
# sink, each member writing a share.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (6 partitions)" cluster_start -b 3 orders:6
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
ORDERS=$(topic orders)
G=$(group trio)
HOST=$(hostname)
HOST=${HOST%%.*}
ok "300 messages are produced" produce "$ORDERS" 300

kc_member_config m "$G" "$ORDERS" 'group.instance_id="%h-kc-%i"' \
    group.max_poll_interval_ms=10000 consumers=3
M=$(kc_log m)

kc_start m "$T/m.yaml"
ok "three start events are logged" wait_event "$M" '.event == "start"' 20 3
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "start") |
    "\(.consumer)=\(.instance_id)"' "$M" | sort | tr '\n' ' ')" \
    "0=$HOST-kc-0 1=$HOST-kc-1 2=$HOST-kc-2 " \
    "consumers 0, 1 and 2 each start with their own resolved instance id"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "start") |
    .pid' "$M" | sort -u | wc -l)" 1 "all three run in one process"
ok "each member gets an assignment" \
    wait_event "$M" '.event == "assign" and (.partitions | length) > 0' 30 3
ok "the members settle on 2 partitions each, covering 0-5" \
    wait_until 30 owned_split 2 "$M:0" "$M:1" "$M:2"
O0=${OWNED[$M:0]} O1=${OWNED[$M:1]} O2=${OWNED[$M:2]}
diag "consumer 0 owns: $O0; 1: $O1; 2: $O2"
is "$(printf '%s\n' $O0 $O1 $O2 | sort -n | uniq -d | wc -l)" 0 \
    "no partition is owned by two members"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "assign") |
    "\(.consumer) \(.instance_id)"' "$M" | sort -u |
    awk -v h="$HOST" '$2 != h "-kc-" $1' | wc -l)" 0 \
    "every assign names the member's own instance id"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "assign") |
    "\(.consumer) \(.member_id)"' "$M" | sort -u | awk '{print $2}' |
    sort | uniq -d | wc -l)" 0 "no two members share a member id"
ok "every message reaches the sink" wait_sink_count 300 30 "$T/m.sink"
kc_stop m 20
is "$?" 0 "the process stops cleanly on SIGTERM"
is "$(count_events "$M" '.event == "stop" and .result == "ok"')" 3 \
    "each member logs a clean stop event"
is "$(count_events "$M" '.event == "stop" and .messages > 0')" 3 \
    "each member wrote a share of the messages"
ok "nothing is lost" check_delivery 300 "$T/m.sink"
done_testing
