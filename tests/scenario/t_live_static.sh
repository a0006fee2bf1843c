#!/bin/bash
# t_live_static: static membership (KIP-345) on a real broker. Three
# static members (separate processes, instance ids s0, s1, s2) share 6
# partitions. s1 restarted within session.timeout.ms takes its old place:
# the other two log no revoke and no assign, and s1 gets the same
# partitions back. s1 stopped for longer than session.timeout.ms: the
# group rebalances without it (s0 and s2 take its partitions), then with
# it when it comes back. The mock cluster does not emulate static
# membership, so this runs only with KAFKA_BOOTSTRAP.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not emulate static membership"
require_tools kcat jq

SESSION=10000
ok "topic orders (6 partitions) is created" mock_start orders:6
ORDERS=$(topic orders)
G=$(group static)
ok "60 messages are produced" produce "$ORDERS" 60

for i in 0 1 2; do
	kc_member_config "s$i" "$G" "$ORDERS" group.instance_id="$(topic "s$i")" \
	    group.session_timeout_ms=$SESSION group.max_poll_interval_ms=30000
done
SINKS=("$T/s0.sink" "$T/s1.sink" "$T/s2.sink")
# kconsumerd writes each run's log to $T/NAME.log; restarts use NAME.rN.
# Print how many rebalance events (assign, revoke, lost) LOG holds.
rebalances() {
	count_events "$1" '.event == "assign" or .event == "revoke" or .event == "lost"'
}
L0=$(kc_log s0) L1=$(kc_log s1) L2=$(kc_log s2)

for i in 0 1 2; do
	kc_start "s$i" "$T/s$i.yaml"
done
ok "the three static members settle on 2 partitions each" \
    wait_until 60 owned_split 2 "$L0" "$L1" "$L2"
S1_PARTS=${OWNED[$L1]}
diag "s0 owns ${OWNED[$L0]}; s1 ${OWNED[$L1]}; s2 ${OWNED[$L2]}"
ok "they consume the first 60 messages" wait_sink_count 60 30 "${SINKS[@]}"

# ---- restart s1 within the session timeout
N0=$(rebalances "$L0") N2=$(rebalances "$L2")
kc_stop s1 20
is "$?" 0 "s1 stops cleanly on SIGTERM (no LeaveGroup: it is static)"
STOP_MS=$(now_ms)
kc_start s1r1 "$T/s1.yaml"
L1R1=$(kc_log s1r1)
ok "restarted s1 is assigned partitions" \
    wait_event "$L1R1" '.event == "assign" and (.partitions | length) > 0' 30
cmp_ok "$(($(now_ms) - STOP_MS))" -lt "$SESSION" \
    "it came back within session.timeout.ms"
is "$(owned "$L1R1")" "$S1_PARTS" "it gets its same partitions back ($S1_PARTS)"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "assign")
    | .instance_id' "$L1R1" | sort -u)" "$(topic s1)" \
    "with its same instance id"
ok "60 more messages are produced" produce "$ORDERS" 60
ok "all three consume them" wait_sink_count 120 30 "${SINKS[@]}"
is "$(rebalances "$L0") $(rebalances "$L2")" "$N0 $N2" \
    "s0 and s2 logged no revoke or assign: no rebalance"

# ---- stop s1 past the session timeout
kc_stop s1r1 20
is "$?" 0 "s1 stops cleanly again"
STOP_MS=$(now_ms)
ok "after the session timeout s0 and s2 take s1's partitions (3 each)" \
    wait_until $((SESSION / 1000 + 40)) owned_split 3 "$L0" "$L2"
cmp_ok "$(($(now_ms) - STOP_MS))" -gt $((SESSION / 2)) \
    "not before s1's session could have timed out"
ok "60 more messages are produced" produce "$ORDERS" 60
ok "s0 and s2 consume them" wait_sink_count 180 30 "${SINKS[@]}"
kc_start s1r2 "$T/s1.yaml"
L1R2=$(kc_log s1r2)
ok "when s1 returns the group rebalances with it: 2 partitions each" \
    wait_until 60 owned_split 2 "$L0" "$L1R2" "$L2"
for name in s0 s1r2 s2; do
	kc_stop "$name" 20
	is "$?" 0 "$name stops cleanly on SIGTERM"
done
ok "every produced message is in a sink" check_delivery 180 "${SINKS[@]}"
done_testing
