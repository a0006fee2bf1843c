#!/bin/bash
# t_live_static: static membership (KIP-345) on a real broker, the
# experiment kconsumerd's users run most. Three static members (separate
# processes, instance_id "${POD_NAME}-%i") share 6 partitions while a
# producer runs. One is stopped with SIGTERM (leave_group: auto) and
# restarted within session.timeout.ms: the broker logs that the static
# member rejoined and no "Preparing to rebalance" for the group, the two
# others log no revoke and no assign, the restarted member gets exactly
# its partitions back, and nothing is lost. The same with SIGKILL. Then
# the same restart with dynamic members, for the contrast: the member
# sends LeaveGroup, the broker rebalances the group and every member
# logs rebalance events. The mock cluster does
# not emulate static membership: this runs on a real broker only.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2034,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not emulate static membership"
require_tools kcat jq

SESSION=10000
RATE=40
ok "topics static and dynamic (6 partitions each) are created" \
    cluster_start static:6 dynamic:6

# Start members P0 P1 P2 of GROUP on TOPIC (POD_NAME=P<i>), each setting
# added to the standard member configuration: start_members P GROUP
# TOPIC [SETTING...].
start_members() {
	local p=$1 g=$2 t=$3 i
	shift 3
	for i in 0 1 2; do
		kc_member_config "$p$i" "$g" "$t" \
		    group.session_timeout_ms=$SESSION \
		    group.max_poll_interval_ms=30000 "$@"
		POD_NAME=$p$i kc_start "$p$i" "$T/$p$i.yaml"
	done
}

# True when every sink of member names has grown by MIN records since
# sink_mark: grown MIN NAME...
declare -A MARK
sink_mark() {
	local n
	for n in "$@"; do MARK[$n]=$(sink_count "$T/${n%%r*}.sink"); done
}
grown() {
	local min=$1 n
	shift
	for n in "$@"; do
		[ "$(sink_count "$T/${n%%r*}.sink")" -ge $((MARK[$n] + min)) ] || return 1
	done
}

# Restart member NAME (the process started as NAME) of GROUP with SIGNAL,
# as NEW; check the group around it: restart_static NAME NEW SIGNAL.
restart_static() {
	local name=$1 new=$2 sig=$3 before others=() o n_reb t0 elapsed
	for o in "${LIVE[@]}"; do
		[ "$o" = "$name" ] || others+=("$o")
	done
	before=$(broker_count "$G" 'Preparing to rebalance')
	declare -A evs
	for o in "${others[@]}"; do evs[$o]=$(rebalance_events "$(kc_log "$o")"); done
	PARTS=$(owned "$(kc_log "$name")")
	t0=$(now_ms)
	if [ "$sig" = TERM ]; then
		kc_stop "$name" 20
		is "$?" 0 "$name stops cleanly on SIGTERM"
	else
		kc_kill "$name"
		pass "$name is killed with SIGKILL"
	fi
	POD_NAME=${name%%r*} kc_start "$new" "$T/${name%%r*}.yaml"
	ok "restarted as $new, it is assigned partitions" \
	    wait_event "$(kc_log "$new")" '.event == "assign" and (.partitions | length) > 0' 30
	elapsed=$(($(now_ms) - t0))
	cmp_ok "$elapsed" -lt "$SESSION" \
	    "it is back within session.timeout.ms ($elapsed ms of $SESSION)"
	is "$(owned "$(kc_log "$new")")" "$PARTS" \
	    "it gets exactly its partitions back ($PARTS)"
	ok_broker "the broker logs the static member's rejoin, replacing the old member id" \
	    broker_wait "$G" "groupInstanceId=${name%%r*}-0 .*joins group .* in Stable state\. Replacing previously mapped member"
	sink_mark "${others[@]}" "$new"
	ok_broker "all three go on consuming" wait_until 60 grown 30 "${others[@]}" "$new"
	n_reb=$(broker_count "$G" 'Preparing to rebalance')
	has_broker_log && is "$n_reb" "$before" "the broker logs no rebalance of the group"
	for o in "${others[@]}"; do
		is "$(rebalance_events "$(kc_log "$o")")" "${evs[$o]}" \
		    "$o logs no revoke and no assign"
	done
	broker_diag "$G" 6
	LIVE=("${others[@]}" "$new")
}

# ---- static members
S=$(topic static)
G=$(group static)
produce_bg traffic_s "$S" $RATE
start_members s "$G" "$S" 'group.instance_id="${POD_NAME}-%i"'
LIVE=(s0 s1 s2)
ok "the three static members settle on 2 partitions each" \
    wait_until 60 owned_split 2 "$(kc_log s0)" "$(kc_log s1)" "$(kc_log s2)"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "assign")
    | .instance_id' "$(kc_log s1)" | sort -u)" s1-0 \
    "s1's instance id is its template expanded (s1-0)"
sink_mark s0 s1 s2
ok "they consume the traffic" wait_until 60 grown 20 s0 s1 s2

restart_static s1 s1r1 TERM
restart_static s2 s2r1 KILL

ok "the producer stops and kcat delivered everything" produce_bg_stop traffic_s
ok "every produced record reaches a sink" \
    wait_sink_count "$(produced "$S")" 60 "$T/s0.sink" "$T/s1.sink" "$T/s2.sink"
for n in "${LIVE[@]}"; do
	kc_stop "$n" 20
	is "$?" 0 "$n stops cleanly"
done
ok "0 records lost" check_delivery "$(produced "$S")" \
    "$T/s0.sink" "$T/s1.sink" "$T/s2.sink"
diag "static: $DELIVERY_DUPLICATES duplicates (the SIGKILLed member's uncommitted records)"

# ---- dynamic members, the same SIGTERM restart: the group rebalances
D=$(topic dynamic)
G=$(group dynamic)
produce_bg traffic_d "$D" $RATE
start_members d "$G" "$D"
ok "the three dynamic members settle on 2 partitions each" \
    wait_until 60 owned_split 2 "$(kc_log d0)" "$(kc_log d1)" "$(kc_log d2)"
before=$(broker_count "$G" 'Preparing to rebalance')
E0=$(rebalance_events "$(kc_log d0)") E2=$(rebalance_events "$(kc_log d2)")
kc_stop d1 20
is "$?" 0 "dynamic d1 stops cleanly on SIGTERM"
kc_start d1r1 "$T/d1.yaml"
ok "restarted, it is assigned partitions" \
    wait_event "$(kc_log d1r1)" '.event == "assign" and (.partitions | length) > 0' 30
ok_broker "the broker rebalances the group (at least once more)" \
    broker_wait "$G" 'Preparing to rebalance' 30 $((before + 1))
ok_broker "the broker logs the member's explicit LeaveGroup" \
    broker_wait "$G" 'reason: explicit `LeaveGroup` request'
# cooperative-sticky (the default): the others log assign events for the
# new generations even when they keep their partitions; eager would
# revoke everything (t_live_eager_cooperative)
ok "d0 logs rebalance events during the restart" \
    wait_until 30 eval '[ "$(rebalance_events "$(kc_log d0)")" -gt $E0 ]'
ok "d2 logs rebalance events during the restart" \
    wait_until 30 eval '[ "$(rebalance_events "$(kc_log d2)")" -gt $E2 ]'

broker_diag "$G" 8
ok "the three dynamic members settle again on 2 partitions each" \
    wait_until 60 owned_split 2 "$(kc_log d0)" "$(kc_log d1r1)" "$(kc_log d2)"
ok "the producer stops" produce_bg_stop traffic_d
ok "every produced record reaches a sink" \
    wait_sink_count "$(produced "$D")" 60 "$T/d0.sink" "$T/d1.sink" "$T/d2.sink"
for n in d0 d1r1 d2; do
	kc_stop "$n" 20
	is "$?" 0 "$n stops cleanly"
done
ok "0 records lost" check_delivery "$(produced "$D")" \
    "$T/d0.sink" "$T/d1.sink" "$T/d2.sink"
done_testing
