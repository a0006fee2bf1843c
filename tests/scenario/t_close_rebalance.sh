#!/bin/bash
# t_close_rebalance: stop a member (SIGTERM) while its group rebalances,
# round after round, and check that every stop ends cleanly within
# shutdown.timeout_ms. Close must not call what can block while closing
# (rd_kafka_memberid, rd_kafka_assignment: README's librdkafka traps);
# a member that did would hang past the deadline and fail its round.
#
# Each round starts a newcomer next to the incumbent (cooperative-sticky,
# one member per process) and stops one of the two before the newcomer
# owns anything: even rounds the incumbent (its close serves a final
# revoke of the partitions it still owns), odd rounds the newcomer. The
# stop comes at one of three points, round by round: as soon as the
# newcomer has started, once the mock says the group is rebalancing, or
# once the incumbent was told of its first incremental assignment. The
# survivor is the next round's incumbent. A round whose newcomer already
# owned partitions when the signal went does not count: the rounds go on
# until CLOSE_ROUNDS (50) stops fell inside a rebalance. CLOSE_LANES (3)
# groups run their rounds side by side to keep the wall time down.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock
require_mock "the rebalance phases are read from the mock cluster's log"

ROUNDS=${CLOSE_ROUNDS:-50}
LANES=${CLOSE_LANES:-3}
PER_LANE=$(((ROUNDS + LANES - 1) / LANES))
TIMEOUT_MS=4000

ok "the cluster starts with topic orders (6 partitions)" cluster_start -b 1 orders:6
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
ORDERS=$(topic orders)
ok "60 messages are produced" produce "$ORDERS" 60

# Write and start member NAME of group G: member_start NAME G. The mock
# holds a group's first join for 3 s, so sessions must outlast that.
member_start() {
	kc_member_config "$1" "$2" "$ORDERS" sink.type=none \
	    group.session_timeout_ms=3000 group.heartbeat_interval_ms=500 \
	    group.max_poll_interval_ms=10000 shutdown.timeout_ms=$TIMEOUT_MS
	kc_start "$1" "$T/$1.yaml"
}

# True when member NAME owns all 6 partitions (for wait_until).
owns_all() {
	[ "$(owned "$(kc_log "$1")")" = "0 1 2 3 4 5" ]
}

# One lane: its own group, rounds until PER_LANE stops fell inside a
# rebalance (at most 1.5 times as many rounds). Each round appends
# "ROUND VICTIM DURING STATUS MS" to $T/LANE.rounds; a lane that cannot
# go on writes why to $T/LANE.broken. Runs in the background (no TAP).
lane() {
	local l=$1 g inc new victim survivor i under=0 during t0 reb ia
	g=$(group "close-$l")
	: >"$T/$l.rounds"
	member_start "$l-0" "$g"
	if ! wait_until 30 owns_all "$l-0"; then
		echo "the first member of $g never owned all 6 partitions" >"$T/$l.broken"
		return
	fi
	inc=$l-0
	for ((i = 1; i <= PER_LANE * 3 / 2 && under < PER_LANE; i++)); do
		new=$l-$i
		reb=$(count_lines "$MOCK_LOG" "Consumer group $g with 2 member\(s\) is rebalancing")
		ia=$(count_events "$(kc_log "$inc")" '.event == "assign"')
		member_start "$new" "$g"
		if ! wait_event "$(kc_log "$new")" '.event == "start"' 20 >/dev/null; then
			echo "round $i: $new did not start" >"$T/$l.broken"
			return
		fi
		case $((i % 3)) in
		1)	wait_line "$MOCK_LOG" "Consumer group $g with 2 member\(s\) is rebalancing" 10 $((reb + 1)) >/dev/null ;;
		2)	wait_event "$(kc_log "$inc")" '.event == "assign"' 10 $((ia + 1)) >/dev/null ;;
		esac
		if ((i % 2 == 0)); then
			victim=$inc survivor=$new
		else
			victim=$new survivor=$inc
		fi
		during=0
		[ -z "$(owned "$(kc_log "$new")")" ] && during=1
		t0=$(now_ms)
		kc_stop "$victim" 30
		echo "$i $victim $during $KC_STATUS $(($(now_ms) - t0))" >>"$T/$l.rounds"
		under=$((under + during))
		if ! wait_until 30 owns_all "$survivor"; then
			echo "round $i: $survivor did not take all 6 partitions after the stop" >"$T/$l.broken"
			return
		fi
		inc=$survivor
	done
	kc_stop "$inc" 30
	echo "last $inc 0 $KC_STATUS 0" >>"$T/$l.rounds"
}

START_MS=$(now_ms)
LANE_PIDS=()
for ((l = 1; l <= LANES; l++)); do
	lane "l$l" &
	LANE_PIDS+=($!)
done
wait "${LANE_PIDS[@]}"
ELAPSED=$(($(now_ms) - START_MS))
# a lane's members outlive it only when it broke off
for pidfile in "$T"/l*-*.pid; do
	pid=$(cat "$pidfile")
	lib_alive "$pid" && LIB_PIDS+=("$pid")
done

UNDER=0 LONGEST=0 TOTAL=0
for ((l = 1; l <= LANES; l++)); do
	[ -s "$T/l$l.broken" ] && fail "lane $l: $(cat "$T/l$l.broken")"
	while read -r round victim during rc took; do
		if [ "$round" = last ]; then
			is "$rc" 0 "lane $l: the last member, $victim, stops cleanly"
			continue
		fi
		TOTAL=$((TOTAL + 1))
		if [ "$during" -eq 0 ]; then
			diag "lane $l round $round: the newcomer owned partitions before $victim was stopped; not counted (exit $rc in $took ms)"
			is "$rc" 0 "lane $l round $round: $victim exits 0"
			continue
		fi
		UNDER=$((UNDER + 1))
		((took > LONGEST)) && LONGEST=$took
		ok "stop $UNDER (lane $l round $round, $victim during a rebalance): exit $rc in $took ms, within shutdown.timeout_ms $TIMEOUT_MS" \
		    eval "[ $rc -eq 0 ] && [ $took -le $TIMEOUT_MS ]"
	done <"$T/l$l.rounds"
done
diag "$UNDER stops during a rebalance in $TOTAL rounds ($LANES lanes), $ELAPSED ms; the longest took $LONGEST ms (shutdown.timeout_ms $TIMEOUT_MS)"
cmp_ok "$UNDER" -ge "$ROUNDS" "at least $ROUNDS stops fell inside a rebalance"

done_testing
