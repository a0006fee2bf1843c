#!/bin/bash
# t_live_rolling: a rolling restart as a Kubernetes StatefulSet does it,
# on a real broker. Three static members (separate processes, POD_NAME
# kconsumerd-0/1/2, instance_id "${POD_NAME}-%i", each serving /readyz)
# share 6 partitions while a producer runs. Each is stopped with SIGTERM
# and started again in reverse order (2, 1, 0), the next one only once
# the restarted one's /readyz answers 200, like OrderedReady. For the
# whole roll the broker logs no "Preparing to rebalance" for the group
# (it logs each static member's rejoin instead), nothing is lost, and
# the longest time any partition went without consumption (measured on
# the sinks: when each new record arrived) stays below
# session.timeout.ms. Then the same roll with dynamic members, for the
# contrast: the broker rebalances the group at each restart; the same
# longest gap is reported. The mock cluster does not emulate static
# membership: this runs on a real broker only.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not emulate static membership"
require_tools kcat jq curl perl
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no /readyz"

SESSION=10000
RATE=40
ok "topics static and dynamic (6 partitions each) are created" \
    cluster_start static:6 dynamic:6

# True when every sink of members P0 P1 P2 has grown by MIN records since
# sink_mark P: grown P MIN.
declare -A MARK
sink_mark() {
	local i
	for i in 0 1 2; do MARK[$i]=$(sink_count "$T/$1$i.sink"); done
}
grown() {
	local i
	for i in 0 1 2; do
		[ "$(sink_count "$T/$1$i.sink")" -ge $((MARK[$i] + $2)) ] || return 1
	done
}

# Roll members P0 P1 P2 of GROUP on TOPIC, optionally static: start them
# (POD_NAME kconsumerd-I), restart them in the order 2 1 0 each once the
# previous one is ready, and set GAP (longest ms without consumption of
# any partition, and which) and REBALANCES (the broker's "Preparing to
# rebalance" lines for the group during the roll): roll P GROUP TOPIC
# [SETTING...].
roll() {
	local p=$1 g=$2 t=$3 i t0 t_start t_end t_ready ts before leaves elapsed parts stab
	shift 3
	produce_bg "traffic_$p" "$t" $RATE
	for i in 0 1 2; do
		kc_member_config "$p$i" "$g" "$t" \
		    group.session_timeout_ms=$SESSION \
		    group.max_poll_interval_ms=30000 \
		    http.listen=127.0.0.1:0 "$@"
		POD_NAME=kconsumerd-$i kc_start "$p$i" "$T/$p$i.yaml"
		sink_stamp "stamp_$p$i" "$T/$p$i.sink"
	done
	ok "$p: the three members settle on 2 partitions each" \
	    wait_until 60 owned_split 2 "$(kc_log ${p}0)" "$(kc_log ${p}1)" "$(kc_log ${p}2)"
	ok "$p: all three are ready (/readyz 200)" \
	    wait_until 30 eval "ready ${p}0 && ready ${p}1 && ready ${p}2"
	sink_mark "$p"
	ok "$p: they consume the traffic" wait_until 60 grown "$p" 20
	before=$(broker_count "$g" 'Preparing to rebalance')
	leaves=$(broker_count "$g" 'explicit `LeaveGroup` request')
	t_start=$(now_ms)
	for i in 2 1 0; do
		t0=$(now_ms)
		parts=$(owned "$(kc_log "$p$i")")
		stab=$(broker_count "$g" 'Stabilized group')
		kc_stop "$p$i" 20
		is "$?" 0 "$p: kconsumerd-$i stops cleanly on SIGTERM"
		# a dynamic member's pod comes back after the group has
		# rebalanced for its LeaveGroup (a pod takes seconds to be
		# replaced): it joins a Stable group
		[ $# -gt 0 ] || ok "$p: the broker completes the rebalance for kconsumerd-$i's leave" \
		    broker_wait "$g" 'Stabilized group' 30 $((stab + 1))
		POD_NAME=kconsumerd-$i kc_start "$p${i}r" "$T/$p$i.yaml"
		ok "$p: restarted kconsumerd-$i is ready (/readyz 200)" \
		    wait_until 60 eval "ready $p${i}r"
		t_ready=$(now_ms)
		elapsed=$((t_ready - t0))
		diag "$p: kconsumerd-$i stopped and ready again in $elapsed ms"
		# README: ready means the member is in its group with an
		# assignment and not inside a rebalance, so that at most one
		# pod's partitions are in flight at a time
		isnt "$(owned "$(kc_log "$p${i}r")")" "" \
		    "$p: once ready it owns partitions ($(owned "$(kc_log "$p${i}r")"))"
		if wait_until 30 eval '[ -n "$(owned "$(kc_log "$p${i}r")")" ]'; then
			ts=$(jq -rR '(try fromjson catch null) | objects |
			    select(.event == "assign" and (.partitions | length) > 0) |
			    .ts' "$(kc_log "$p${i}r")" | head -n 1)
			ts=$(date -u -d "$ts" +%s%3N)
			diag "$p: kconsumerd-$i's first assign with partitions was logged $((ts - t_ready)) ms after /readyz answered 200 (negative: before)"
		fi
		# a static member gets its own partitions back
		[ $# -eq 0 ] || is "$(owned "$(kc_log "$p${i}r")")" "$parts" \
		    "$p: kconsumerd-$i gets exactly its partitions back ($parts)"
	done
	# rolled: consumption resumes on every member
	MARK=([0]=$(sink_count "$T/${p}0.sink") [1]=$(sink_count "$T/${p}1.sink")
	    [2]=$(sink_count "$T/${p}2.sink"))
	ok "$p: after the roll all three consume again" wait_until 60 grown "$p" 20
	t_end=$(now_ms)
	REBALANCES=$(($(broker_count "$g" 'Preparing to rebalance') - before))
	LEAVES=$(($(broker_count "$g" 'explicit `LeaveGroup` request') - leaves))
	GAP=$(stamp_max_gap "$t_start" "$t_end" "$T"/stamp_$p?.stamps)
	diag "$p: roll of $((t_end - t_start)) ms, $REBALANCES rebalances and $LEAVES LeaveGroup requests in the broker log;" \
	    "longest time a partition went without consumption: ${GAP% *} ms (partition ${GAP#* });" \
	    "the producer's rate ($RATE/s on 6 partitions) makes ~$((6000 / RATE)) ms the usual gap"
	ok "$p: the producer stops and kcat delivered everything" \
	    produce_bg_stop "traffic_$p"
	ok "$p: every produced record reaches a sink" \
	    wait_sink_count "$(produced "$t")" 60 "$T/${p}0.sink" "$T/${p}1.sink" "$T/${p}2.sink"
	for i in 0 1 2; do
		kc_stop "$p${i}r" 20
		is "$?" 0 "$p: kconsumerd-$i stops cleanly"
	done
	ok "$p: 0 records lost" check_delivery "$(produced "$t")" \
	    "$T/${p}0.sink" "$T/${p}1.sink" "$T/${p}2.sink"
	diag "$p: $DELIVERY_UNIQUE records, $DELIVERY_DUPLICATES duplicates"
	broker_diag "$g" 12
}

# ---- static members: no rebalance for the whole roll
G=$(group static)
roll s "$G" "$(topic static)" 'group.instance_id="${POD_NAME}-%i"'
is "$REBALANCES" 0 "static: the broker logs no rebalance of the group during the roll"
is "$LEAVES" 0 "static: and no LeaveGroup (SIGTERM with leave_group: auto keeps the static member)"
for i in 2 1 0; do
	ok "static: the broker logs kconsumerd-$i-0's rejoin, replacing its old member id" \
	    broker_wait "$G" "groupInstanceId=kconsumerd-$i-0 .*joins group .* in Stable state\. Replacing previously mapped member" 5
done
cmp_ok "${GAP% *}" -lt "$SESSION" \
    "static: the longest gap in consumption (${GAP% *} ms) is below session.timeout.ms ($SESSION)"
STATIC_GAP=${GAP% *}

# ---- dynamic members, the same roll: the broker rebalances each time
G=$(group dynamic)
roll d "$G" "$(topic dynamic)"
cmp_ok "$REBALANCES" -ge 3 \
    "dynamic: the broker logs rebalances of the group during the roll ($REBALANCES)"
is "$LEAVES" 3 "dynamic: the broker logs each stopping member's explicit LeaveGroup"
diag "longest gap in consumption during the roll: static $STATIC_GAP ms, dynamic ${GAP% *} ms"
done_testing
