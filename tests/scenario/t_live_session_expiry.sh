#!/bin/bash
# t_live_session_expiry: a static member stopped for longer than
# session.timeout.ms. On SIGTERM a static member sends no LeaveGroup
# (shutdown.leave_group: auto), so the broker keeps its partitions for it
# until its session expires; then the broker removes it (its log says so),
# the group rebalances and the two others take its partitions. The time
# from the stop to the others' assign is at least most of the session
# and at most session.timeout.ms + one heartbeat interval + 2 s. When the
# member comes back, the group rebalances with it again.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not emulate static membership"
require_tools kcat jq

SESSION=8000
HEARTBEAT=1000
ok "topic orders (6 partitions) is created" cluster_start orders:6
ORDERS=$(topic orders)
G=$(group expiry)
ok "60 messages are produced" produce "$ORDERS" 60
for i in 0 1 2; do
	kc_member_config "s$i" "$G" "$ORDERS" group.instance_id="\"s$i-%i\"" \
	    group.session_timeout_ms=$SESSION \
	    group.heartbeat_interval_ms=$HEARTBEAT group.max_poll_interval_ms=30000
	kc_start "s$i" "$T/s$i.yaml"
done
L0=$(kc_log s0) L1=$(kc_log s1) L2=$(kc_log s2)
ok "the three static members settle on 2 partitions each" \
    wait_until 60 owned_split 2 "$L0" "$L1" "$L2"
S1_PARTS=${OWNED[$L1]}
ok "they consume the first 60 messages" \
    wait_sink_count 60 30 "$T/s0.sink" "$T/s1.sink" "$T/s2.sink"

kc_stop s1 20
is "$?" 0 "s1 stops cleanly on SIGTERM"
STOP_MS=$(now_ms)
ok_broker "the broker sends no LeaveGroup for the static member: none logged" \
    eval '[ "$(broker_count "$G" "LeaveGroup")" -eq 0 ]'
ok "after its session expires, s0 and s2 take s1's partitions (3 each)" \
    wait_until $((SESSION / 1000 + 30)) owned_split 3 "$L0" "$L2"
# the assign that completed the move: the later of s0's and s2's last
ASSIGN='.event == "assign" and (.partitions | length) > 0'
A0=$(event_ms "$L0" "$ASSIGN" 0) A2=$(event_ms "$L2" "$ASSIGN" 0)
MOVED_MS=$(( (A0 > A2 ? A0 : A2) - STOP_MS ))
diag "s1's partitions ($S1_PARTS) moved $MOVED_MS ms after its stop (session $SESSION ms, heartbeat $HEARTBEAT ms)"
cmp_ok "$MOVED_MS" -ge $((SESSION - HEARTBEAT - 1000)) \
    "not before the session could have expired"
cmp_ok "$MOVED_MS" -le $((SESSION + HEARTBEAT + 2000)) \
    "within session.timeout.ms + one heartbeat interval + 2 s"
ok_broker "the broker logs the static member's removal when its session expired" \
    broker_wait "$G" 'Member s1-0-[^ ]+ in group .* has failed, removing it from the group' 5
ok_broker "and a rebalance of the group because of it" \
    broker_wait "$G" 'Preparing to rebalance group .*reason: removing member s1-0-[^ ]+ on heartbeat expiration' 5
broker_diag "$G" 6
ok "60 more messages are produced" produce "$ORDERS" 60
ok "s0 and s2 consume them" \
    wait_sink_count 120 30 "$T/s0.sink" "$T/s1.sink" "$T/s2.sink"

kc_start s1r "$T/s1.yaml"
ok "when s1 returns the group rebalances with it: 2 partitions each" \
    wait_until 60 owned_split 2 "$L0" "$(kc_log s1r)" "$L2"
for name in s0 s1r s2; do
	kc_stop "$name" 20
	is "$?" 0 "$name stops cleanly on SIGTERM"
done
ok "0 records lost" check_delivery 120 "$T/s0.sink" "$T/s1.sink" "$T/s2.sink"
done_testing
