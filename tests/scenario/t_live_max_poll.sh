#!/bin/bash
# t_live_max_poll: a member whose processing outlasts max.poll.interval.ms
# on a real broker. a (experiment.processing_delay_us 7 s a message,
# max_poll_interval_ms 6000) and b (no delay) share 2 partitions. a logs
# max_poll_exceeded, librdkafka leaves the group for it (the broker logs
# the LeaveGroup and rebalances), b takes both partitions, a logs its
# assignment lost and rejoins (a later assign). Once a stops, b consumes
# everything a did not commit: nothing is lost. kconsumerctl timeline
# --broker-log tells that LeaveGroup from an ordinary one: a max.poll
# eviction of a.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the broker's own view of a member that stopped polling"
require_tools kcat jq

ok "topic slow (2 partitions) is created" cluster_start slow:2
SLOW=$(topic slow)
G=$(group slow)
ok "20 messages are produced" produce "$SLOW" 20
for name in a b; do
	delay=7000000
	[ "$name" = b ] && delay=0
	kc_member_config "$name" "$G" "$SLOW" group.max_poll_interval_ms=6000 \
	    experiment.processing_delay_us=$delay
done
A=$(kc_log a) B=$(kc_log b)

kc_start b "$T/b.yaml"
ok "b is assigned both partitions" wait_until 30 owned_split 2 "$B"
ok "b consumes the 20 messages" wait_sink_count 20 30 "$T/b.sink"
kc_start a "$T/a.yaml"
ok "a joins: the two split the partitions" wait_until 30 owned_split 1 "$A" "$B"
ok "40 more messages are produced" produce "$SLOW" 40
ok "a logs max_poll_exceeded once a message has taken more than 6 s" \
    wait_event "$A" '.event == "max_poll_exceeded"' 30
is "$(nth_field "$A" '.event == "max_poll_exceeded"' 1 .max_poll_interval_ms)" \
    6000 "the event names max_poll_interval_ms 6000"
MID=$(nth_field "$A" '.event == "assign"' 1 .member_id)
ok_broker "the broker logs a's LeaveGroup and rebalances the group" \
    broker_wait "$G" "Preparing to rebalance group .*reason: explicit \`LeaveGroup\` request for \\($MID\\)" 20
ok "b takes both partitions meanwhile" \
    wait_event "$B" '.event == "assign" and .assignment == 2' 30 2
ok "a logs its partition lost, with no commit" \
    wait_event "$A" '.event == "lost" and (.next | test("no commit"))' 20
is "$(count_events "$A" '.event == "revoke"')" 0 \
    "a logged no revoke (a lost assignment is not committed)"
ok "a rejoins: it is assigned a partition again" \
    wait_event "$A" '.event == "assign" and (.partitions | length) == 1' 60 2
broker_diag "$G" 10
kc_stop a 20
is "$?" 0 "a stops cleanly on SIGTERM, even in the middle of a slow message"
ok "b gets everything a did not commit" \
    wait_sink_count 60 60 "$T/a.sink" "$T/b.sink"
kc_stop b 20
is "$?" 0 "b stops cleanly on SIGTERM"
is "$(count_events "$B" '.event == "max_poll_exceeded"')" 0 \
    "b never exceeded max_poll_interval_ms"
ok "0 records lost" check_delivery 60 "$T/a.sink" "$T/b.sink"
diag "duplicates: $DELIVERY_DUPLICATES (a's uncommitted records, redelivered to b)"

if has_broker_log; then
	"$CTL" timeline --json --broker-log "$LIB_KAFKA_DIR"/node-*/server.log \
	    "$A" "$B" >"$T/tl.json" 2>"$T/tl.err"
	is "$?" 0 "kconsumerctl timeline --broker-log exits 0"
	# the first LeaveGroup of a, the broker's answer to the overrun
	is "$(jq -r '[.episodes[].broker_causes[] | select(.member == "a:0" and
	    (.cause == "leave" or .cause == "max_poll"))][0].cause' "$T/tl.json")" \
	    max_poll "a's first LeaveGroup is told as a max.poll eviction"
	like "$(jq -r '[.episodes[] | select(any(.moves[]; .from == "a:0" and .to == "b:0")) |
	    .broker_causes[] | .cause + " " + .member] | unique | join(", ")' "$T/tl.json")" \
	    "max_poll a:0" "in the episode where a's partition went to b"
else
	skip "no broker log: the cluster is not lab/kafka-local's" 3
fi
done_testing
