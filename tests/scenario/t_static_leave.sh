#!/bin/bash
# t_static_leave: whether a member stopped with SIGTERM sends LeaveGroup,
# as the mock coordinator logs it ("Member ID is leaving group G", the
# member id being the one the member's own events carry). Each member is
# alone in its own group:
#   static  (group.instance_id), shutdown.leave_group auto: no LeaveGroup;
#           its session times out instead;
#   dynamic, auto: LeaveGroup;
#   static, always: LeaveGroup (unsubscribe first);
#   dynamic, never: no LeaveGroup; its session times out instead.
# The mock does not emulate static membership (a rejoin is a new member),
# but it does log what the client sends, which is what is tested here.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock
require_mock "the LeaveGroup requests are read from the mock cluster's log"

ok "the cluster starts with topic orders (2 partitions)" cluster_start -b 1 orders:2
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
ORDERS=$(topic orders)
ok "20 messages are produced" produce "$ORDERS" 20

# name, instance id (or -), shutdown.leave_group
CASES="static_auto:s-auto:auto dynamic_auto:-:auto static_always:s-always:always dynamic_never:-:never"
for c in $CASES; do
	IFS=: read -r name iid leave <<<"$c"
	inst=
	[ "$iid" = - ] || inst="group.instance_id=$iid"
	kc_member_config "$name" "$(group "g-$name")" "$ORDERS" "$inst" \
	    group.max_poll_interval_ms=10000 shutdown.leave_group="$leave"
	kc_start "$name" "$T/$name.yaml"
done

declare -A MID
for c in $CASES; do
	IFS=: read -r name iid leave <<<"$c"
	ok "$name is assigned both partitions" wait_event "$(kc_log "$name")" \
	    '.event == "assign" and (.partitions | length) == 2' 30
	MID[$name]=$(jq -rR '(try fromjson catch null) | objects |
	    select(.event == "assign") | .member_id' "$(kc_log "$name")" |
	    tail -n 1)
	want=null
	[ "$iid" = - ] || want=$iid
	is "$(jq -rR '(try fromjson catch null) | objects |
	    select(.event == "assign") | .instance_id' "$(kc_log "$name")" |
	    sort -u)" "$want" "$name's events carry instance_id $want"
done
is "$(printf '%s\n' "${MID[@]}" | grep -c '^0x[0-9a-f]*$')" 4 \
    "each member's events carry the member id the mock gave it"
ok "each member consumes its 20 messages" wait_until 20 eval \
    '[ "$(cat "$T"/*.sink | wc -l)" -ge 80 ]'

for c in $CASES; do
	IFS=: read -r name iid leave <<<"$c"
	kc_stop "$name" 20
	is "$?" 0 "$name stops cleanly on SIGTERM"
	is "$(count_events "$(kc_log "$name")" '.event == "stop" and .result == "ok"')" 1 \
	    "$name logs a clean stop event"
done

leave_re() { echo "MOCK .*Member ${MID[$1]} is leaving group $(group "g-$1")\$"; }
timeout_re() { echo "MOCK .*Member ${MID[$1]} session timed out for group $(group "g-$1")\$"; }

ok "dynamic_auto (member ${MID[dynamic_auto]}) sent LeaveGroup" \
    wait_line "$MOCK_LOG" "$(leave_re dynamic_auto)" 10
ok "static_always (member ${MID[static_always]}) sent LeaveGroup" \
    wait_line "$MOCK_LOG" "$(leave_re static_always)" 10
# The two that do not leave are removed by the session timeout; once that
# is logged, a LeaveGroup could no longer come.
ok "static_auto's session times out (it did not leave)" \
    wait_line "$MOCK_LOG" "$(timeout_re static_auto)" 20
ok "dynamic_never's session times out (it did not leave)" \
    wait_line "$MOCK_LOG" "$(timeout_re dynamic_never)" 20
is "$(count_lines "$MOCK_LOG" "$(leave_re static_auto)")" 0 \
    "static_auto sent no LeaveGroup"
is "$(count_lines "$MOCK_LOG" "$(leave_re dynamic_never)")" 0 \
    "dynamic_never sent no LeaveGroup"
is "$(count_lines "$MOCK_LOG" "$(timeout_re dynamic_auto)")$(count_lines "$MOCK_LOG" "$(timeout_re static_always)")" 00 \
    "the members that left were not timed out as well"
is "$(count_lines "$MOCK_LOG" "MOCK .*Member [^ ]+ is leaving group")" 2 \
    "exactly two LeaveGroup requests reached the coordinator"
for name in static_auto dynamic_auto static_always dynamic_never; do
	is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "stop")
	    | [.committed[].offset] | add' "$(kc_log "$name")")" 20 \
	    "$name committed its 20 messages before going"
done
done_testing
