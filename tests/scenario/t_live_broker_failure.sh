#!/bin/bash
# t_live_broker_failure: kconsumerd members ride out the loss of brokers
# of a real 3-node cluster. A topic of 6 partitions with replication
# factor 3, three members and an idempotent producer (acks=all,
# retries). First the leader of a consumed partition (not the group
# coordinator) is killed with SIGKILL: its partitions get new leaders and
# every member keeps consuming; the node restarts, serves and rejoins
# the ISR of every partition, and the members go on. Then the group
# coordinator (the leader of __consumer_offsets partition 0, the only
# one here) is killed: the group moves to a new coordinator and every
# member keeps consuming; that node too restarts and rejoins. Everything
# the producer handed to kcat is in the topic exactly once (idempotence)
# and in the sinks: 0 lost. Needs three nodes of its own: a real
# cluster only. With GROUP_PROTOCOL=consumer (t_live_kip848_broker_failure)
# the members speak Kafka's consumer group protocol (KIP-848) instead.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "broker failures of a 3-node cluster"
require_tools kcat jq
GROUP_PROTOCOL=${GROUP_PROTOCOL:-classic}
MEMBER_SETTINGS=(group.session_timeout_ms=10000)
if [ "$GROUP_PROTOCOL" = consumer ]; then
	require_consumer_protocol
	# the session is the broker's (lab/kafka-local: 10000 ms)
	MEMBER_SETTINGS=($KC_CONSUMER)
fi

RATE=40
SESSION=10000
ok "a 3-node cluster of the script's own starts" kafka_own_start 3
ok "the bootstrap list names the three nodes" cluster_start
TOPIC=$(topic failover)
G=$(group failover)
ok "topic $TOPIC (6 partitions, replication factor 3) is created" \
    kafka_own topic "$TOPIC" 6 3
ok "every partition has a leader" wait_until 30 lib_topic_ready "$TOPIC" 6

# Print the metadata of TOPIC as kcat's JSON (pure).
meta() {
	lib_kcat -L -J -m 5 -t "$1" 2>/dev/null
}

# Print the leader (node id) of partition P of TOPIC (pure): leader TOPIC P.
leader() {
	meta "$1" | jq -r --argjson p "$2" \
	    '.topics[0].partitions[] | select(.partition == $p) | .leader'
}

# True when node N is in the ISR of every partition of TOPIC and every
# partition has a live leader: in_isr TOPIC N.
in_isr() {
	local n
	n=$(meta "$1" | jq --argjson n "$2" '[.topics[0].partitions[] |
	    select(.leader >= 0 and ([.isrs[]? | (.id? // .)] | index($n)) != null)] | length')
	[ "${n:-0}" -eq 6 ]
}

# True when no partition of TOPIC is led by node N and each has a leader.
not_led_by() {
	local n
	n=$(meta "$1" | jq --argjson n "$2" '[.topics[0].partitions[] |
	    select(.leader >= 0 and .leader != $n)] | length')
	[ "${n:-0}" -eq 6 ]
}

declare -A MARK
sink_mark() {
	local i
	for i in 0 1 2; do MARK[$i]=$(sink_count "$T/m$i.sink"); done
}
# True when every member's sink has grown by MIN since sink_mark.
grown() {
	local i
	for i in 0 1 2; do
		[ "$(sink_count "$T/m$i.sink")" -ge $((MARK[$i] + $1)) ] || return 1
	done
}

# Idempotent producer: acks=all and retries never write a record twice,
# so the log must hold exactly what the generator handed to kcat.
KCAT_OPTS="$KCAT_OPTS -X enable.idempotence=true -X acks=all" \
    produce_bg traffic "$TOPIC" $RATE
for i in 0 1 2; do
	kc_member_config "m$i" "$G" "$TOPIC" \
	    "${MEMBER_SETTINGS[@]}" group.max_poll_interval_ms=30000 \
	    kafka.reconnect.backoff.max.ms=1000
	kc_start "m$i" "$T/m$i.yaml"
done
ok "the three members settle on 2 partitions each" \
    wait_until 90 owned_split 2 "$(kc_log m0)" "$(kc_log m1)" "$(kc_log m2)"
sink_mark
ok "they consume the traffic" wait_until 60 grown 20
diag "metadata: $(meta "$TOPIC" | jq -c '[.topics[0].partitions[] | {p: .partition, leader, isr: [.isrs[]? | (.id? // .)]}]')"

# Kill node N (SIGKILL), check that the members keep consuming, restart it
# and check it serves and rejoins the ISR: fail_node N WHAT.
fail_node() {
	local n=$1 what=$2 t0 reb_before
	reb_before=$(broker_count "$G" 'Preparing to rebalance')
	t0=$(now_ms)
	ok "$what: node $n is killed (SIGKILL)" kafka_own node "$n" kill
	diag "$what: node $n killed at $(date -u +%T.%3N)"
	ok "$what: every partition gets a leader other than node $n" \
	    wait_until 60 not_led_by "$TOPIC" "$n"
	diag "$what: new leaders after $(($(now_ms) - t0)) ms: $(meta "$TOPIC" | jq -c '[.topics[0].partitions[] | {p: .partition, leader}]')"
	sink_mark
	ok "$what: every member keeps consuming" wait_until 60 grown 20
	diag "$what: every member consumed 20 more records $(($(now_ms) - t0)) ms after the kill;" \
	    "the broker logged $(($(broker_count "$G" 'Preparing to rebalance') - reb_before)) rebalances of the group since"
	ok "$what: node $n restarts and serves" kafka_own node "$n" start
	ok "$what: node $n rejoins the ISR of every partition" \
	    wait_until 60 in_isr "$TOPIC" "$n"
	sink_mark
	ok "$what: every member goes on consuming" wait_until 60 grown 20
	for i in 0 1 2; do
		ok "$what: m$i is still running" lib_alive "$(proc_pid "m$i")"
	done
}

# ---- the leader of a consumed partition, not the coordinator
COORD=$(leader __consumer_offsets 0)
like "$COORD" '^[123]$' "the group coordinator is a node (node $COORD)"
VICTIM=
for p in 0 1 2 3 4 5; do
	l=$(leader "$TOPIC" $p)
	if [ "$l" != "$COORD" ]; then
		VICTIM=$l PART=$p
		break
	fi
done
like "$VICTIM" '^[123]$' "partition $PART of $TOPIC is led by node $VICTIM, not the coordinator"
fail_node "$VICTIM" "partition leader"

# ---- the group coordinator
COORD=$(leader __consumer_offsets 0)
like "$COORD" '^[123]$' "the group coordinator now is node $COORD"
fail_node "$COORD" "coordinator"
NEW=$(leader __consumer_offsets 0)
isnt "$NEW" "$COORD" "the group moved to another coordinator (node $NEW)"
ok "the new coordinator's log says it loaded the group with its 3 members" \
    broker_wait "$G" "Loaded $GROUP_PROTOCOL group .* with 3 members" 5
broker_diag "$G" 15

ok "the producer stops and kcat delivered everything" produce_bg_stop traffic
ok "every produced record reaches a sink" \
    wait_sink_count "$(produced "$TOPIC")" 60 "$T/m0.sink" "$T/m1.sink" "$T/m2.sink"
for i in 0 1 2; do
	kc_stop "m$i" 20
	is "$?" 0 "m$i stops cleanly"
done
ok "0 records lost: the log holds exactly the records produced, the sinks all of them" \
    check_delivery "$(produced "$TOPIC")" "$T/m0.sink" "$T/m1.sink" "$T/m2.sink"
# the values name the generator's sequence: nothing it handed to kcat is
# missing from the sinks, whatever kcat's exit status says
is "$(cat "$T"/m?.sink | jq -rR '(try fromjson catch null) | objects | .value' |
    sed 's/.*-b//' | sort -un | awk 'NR - 1 == $1 { n++ } END { print n + 0 }')" \
    "$PRODUCED_BG" "the sinks hold the generator's records 0 to $((PRODUCED_BG - 1))"
diag "$PRODUCED_BG records produced, $DELIVERY_DUPLICATES duplicates in the sinks"
done_testing
