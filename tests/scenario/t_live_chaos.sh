#!/bin/bash
# t_live_chaos: chaos on a real broker. Three members (two static, one
# dynamic) consume 6 partitions while a producer runs; for CHAOS_SECONDS
# (default 60) a random member gets SIGKILL or SIGTERM and is restarted
# at once; the next blow falls once the group owns every partition again
# and has written a random number of further records. At the end nothing
# produced is lost, and the records read twice are no more than what the
# SIGKILLed members had written past the group's committed offsets (the
# broker's, asked right after each kill, before the restart). A SIGTERM
# commits before it lets go: it adds no duplicates.
# The seed (CHAOS_SEED) is printed, so a run can be replayed.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "commits during rebalances and static rejoins, as a broker does them"
require_tools kcat jq

SECONDS_WANTED=${CHAOS_SECONDS:-60}
SEED=${CHAOS_SEED:-$$}
RANDOM=$SEED
COMMIT_MS=5000
diag "chaos seed $SEED (CHAOS_SEED=$SEED replays the same blows), $SECONDS_WANTED s"
ok "topic chaos (6 partitions) is created" cluster_start chaos:6
TOPIC=$(topic chaos)
G=$(group chaos)
produce_bg traffic "$TOPIC" 60
for i in 0 1 2; do
	iid=
	[ $i -lt 2 ] && iid="group.instance_id=\"m$i-%i\""
	kc_member_config "m$i" "$G" "$TOPIC" "$iid" \
	    group.max_poll_interval_ms=30000 \
	    kafka.auto.commit.interval.ms=$COMMIT_MS
	kc_start "m$i" "$T/m$i.yaml"
done
# The process currently running member i (m0, m0.1, m0.2, ...).
declare -a CUR=(m0 m1 m2) RUNS=(0 0 0)
# True when the current processes own 2 partitions each.
settled() {
	owned_split 2 "$(kc_log "${CUR[0]}")" "$(kc_log "${CUR[1]}")" "$(kc_log "${CUR[2]}")"
}
ok "the three members settle on 2 partitions each" wait_until 60 settled
SINKS=("$T/m0.sink" "$T/m1.sink" "$T/m2.sink")

# Print how many records the stopped process NAME wrote to SINK past the
# group's committed offset of each partition it owned (the broker's
# committed offsets, asked before the member is restarted: nobody else
# commits its partitions until they are assigned again): uncommitted
# NAME SINK.
uncommitted() {
	local p last committed n=0
	"$CTL" describe -b "$BOOTSTRAP" -g "$G" --json >"$T/kill.json" 2>/dev/null ||
	    { diag "describe failed after the kill of $1"; echo 0; return; }
	for p in $(owned "$(kc_log "$1")"); do
		last=$(jq -r "select(.partition == $p) | .offset" "$2" 2>/dev/null |
		    sort -n | tail -n 1)
		committed=$(jq -r ".partitions[] | select(.topic == \"$TOPIC\" and
		    .partition == $p) | .committed" "$T/kill.json" | head -n 1)
		[ -n "$last" ] || continue
		case $committed in '' | null | -*) committed=0 ;; esac
		[ $((last + 1)) -gt "$committed" ] && n=$((n + last + 1 - committed))
	done
	echo "$n"
}

KILLS=0 TERMS=0 BOUND=0 BLOWS_OK=0 BLOWS=0 START=$SECONDS
while [ $((SECONDS - START)) -lt "$SECONDS_WANTED" ]; do
	i=$((RANDOM % 3))
	sig=TERM
	[ $((RANDOM % 2)) -eq 0 ] && sig=KILL
	name=${CUR[i]}
	if [ $sig = KILL ]; then
		kc_kill "$name"
		KILLS=$((KILLS + 1))
		# what m<i> wrote past the group's committed offsets of the
		# partitions it owned: read again by their next owner
		BOUND=$((BOUND + $(uncommitted "$name" "${SINKS[i]}")))
	else
		kc_stop "$name" 20 || diag "$name exited $KC_STATUS on SIGTERM"
		[ "$KC_STATUS" -eq 0 ] || fail "$name stops cleanly on SIGTERM (status $KC_STATUS)"
		TERMS=$((TERMS + 1))
	fi
	RUNS[i]=$((RUNS[i] + 1))
	CUR[i]=m$i.${RUNS[i]}
	kc_start "${CUR[i]}" "$T/m$i.yaml"
	BLOWS=$((BLOWS + 1))
	want=$(($(sink_count "${SINKS[@]}") + 20 + RANDOM % 100))
	if wait_until 90 settled &&
	    wait_until 60 eval '[ "$(sink_count "${SINKS[@]}")" -ge $want ]'; then
		BLOWS_OK=$((BLOWS_OK + 1))
	else
		diag "after SIG$sig to $name the group did not settle and consume again"
	fi
done
diag "$BLOWS blows in $((SECONDS - START)) s: $KILLS SIGKILL, $TERMS SIGTERM"
is "$BLOWS_OK" "$BLOWS" "after every blow the group owned every partition and consumed again"
ok "the producer stops and kcat delivered everything" produce_bg_stop traffic
N=$(produced "$TOPIC")
ok "every produced record reaches a sink" wait_sink_count "$N" 90 "${SINKS[@]}"
for i in 0 1 2; do
	kc_stop "${CUR[i]}" 20
	is "$?" 0 "${CUR[i]} stops cleanly"
done
ok "0 of $N records lost" check_delivery "$N" "${SINKS[@]}"
diag "duplicates: $DELIVERY_DUPLICATES; $BOUND were past the committed offsets at the $KILLS SIGKILLs"
cmp_ok "$DELIVERY_DUPLICATES" -le "$BOUND" \
    "duplicates are no more than what was written past the committed offsets at the kills"
broker_diag "$G" 10
done_testing
