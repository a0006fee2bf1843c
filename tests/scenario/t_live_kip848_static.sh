#!/bin/bash
# t_live_kip848_static: static membership under Kafka's consumer group
# protocol (group.protocol: consumer) on a real broker, while a producer
# runs. Two static members share 6 partitions. One stops with SIGTERM
# (it leaves "temporarily", member epoch -2) and is restarted within the
# broker's session timeout: it gets exactly its partitions back and the
# other member revokes and assigns nothing. A second process started
# with an instance id a running member holds is refused by the broker
# (UNRELEASED_INSTANCE_ID: the consumer protocol fences the newcomer,
# not the holder): it retries (event rejoin_wait) for its short
# group.unreleased_wait_ms and then exits 76 while the holder keeps its
# partitions. A static member killed with SIGKILL and restarted at once
# is refused the same way until the broker's session timeout removes its
# previous run: it waits (rejoin_wait), joins again with a new client and
# gets its partitions, without exiting 76. Nothing is lost.
# Needs librdkafka 2.12.0 or later (skips with the reason otherwise).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2034,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not speak the consumer group protocol"
require_tools kcat jq
require_consumer_protocol

SESSION=10000	# lab/kafka-local's group.consumer.session.timeout.ms
ok "topic st (6 partitions) is created" cluster_start st:6
TOPIC=$(topic st)
G=$(group st)
produce_bg prod "$TOPIC" 40

for m in a b; do
	kc_member_config $m "$G" "$TOPIC" $KC_CONSUMER \
	    group.instance_id="kip-$m"
done
kc_start a "$T/a.yaml"
kc_start b "$T/b.yaml"
ok "static members a and b own 3 partitions each" \
    wait_until 60 owned_split 3 "$(kc_log a)" "$(kc_log b)"
B_PARTS=${OWNED[$(kc_log b)]}
A_EVENTS=$(rebalance_events "$(kc_log a)")
ok "a's events carry its instance id and group_protocol consumer" \
    wait_event "$(kc_log a)" '.event == "assign" and .instance_id == "kip-a" and .group_protocol == "consumer"' 5

# -------------------------------------------------------------- restart
EPOCHS=$(broker_count "$G" 'Bumped group epoch')
B_SINK=$(sink_count "$T/b.sink")
t0=$(now_ms)
kc_stop b 20
is "$?" 0 "b stops cleanly on SIGTERM"
kc_start b2 "$T/b.yaml"
ok "restarted as b2 (same instance id), it is assigned partitions" \
    wait_event "$(kc_log b2)" '.event == "assign" and (.partitions | length) > 0' 30
elapsed=$(($(now_ms) - t0))
cmp_ok "$elapsed" -lt "$SESSION" "it is back within the session timeout ($elapsed ms of $SESSION)"
ok "b2 owns exactly b's partitions ($B_PARTS)" \
    wait_until 10 eval '[ "$(owned "$(kc_log b2)")" = "$B_PARTS" ]'
ok "records reach b2 (b's sink file)" \
    wait_until 20 eval '[ "$(sink_count "$T/b.sink")" -gt "$B_SINK" ]'
is "$(rebalance_events "$(kc_log a)")" "$A_EVENTS" \
    "a saw no rebalance event while b restarted"
if has_broker_log; then
	ok "the broker's log says b left temporarily" \
	    broker_wait "$G" "instance id kip-b temporarily left the consumer group" 10
	ok "and that b2 re-joined in its place" \
	    broker_wait "$G" "instance id kip-b re-joins the consumer group using the consumer protocol" 10
	is "$(broker_count "$G" 'Bumped group epoch')" "$EPOCHS" \
	    "the broker did not bump the group epoch for the restart"
else
	skip "no broker log at hand (KAFKA_BOOTSTRAP)" 3
fi

# -------------------------------------------------------------- fencing
WAIT=5000	# x's group.unreleased_wait_ms
kc_member_config x "$G" "$TOPIC" $KC_CONSUMER group.instance_id=kip-b \
    group.unreleased_wait_ms=$WAIT
t0=$(now_ms)
kc_start x "$T/x.yaml"
ok "a second process with b's instance id is refused and waits (rejoin_wait, UNRELEASED_INSTANCE_ID)" \
    wait_event "$(kc_log x)" '.event == "rejoin_wait" and .reason == "UNRELEASED_INSTANCE_ID" and .instance_id == "kip-b" and .unreleased_wait_ms == '$WAIT 20
kc_wait_exit x 40
is "$KC_STATUS" 76 "still refused after group.unreleased_wait_ms, it exits 76 (fatal Kafka error)"
cmp_ok "$(($(now_ms) - t0))" -ge "$WAIT" "that took at least group.unreleased_wait_ms ($(($(now_ms) - t0)) ms of $WAIT)"
cmp_ok "$(count_events "$(kc_log x)" '.event == "rejoin_wait"')" -ge 2 \
    "it joined again more than once before giving up"
ok "its fatal event names UNRELEASED_INSTANCE_ID, the instance id and how long it waited" \
    wait_event "$(kc_log x)" '.event == "fatal" and .error == "UNRELEASED_INSTANCE_ID" and (.cause | test("kip-b")) and .waited_ms >= '$((WAIT - 1000)) 5
is "$(count_events "$(kc_log x)" '.event == "assign" and (.partitions | length) > 0')" 0 \
    "it was never assigned a partition"
ok "b2, the holder, still runs" lib_alive "$(proc_pid b2)"
is "$(owned "$(kc_log b2)")" "$B_PARTS" "and still owns its partitions"
is "$(rebalance_events "$(kc_log a)")" "$A_EVENTS" \
    "a saw no rebalance event through the fencing"

# -------------------------------------------------------------- SIGKILL
kc_kill b2
pass "b2 is killed with SIGKILL"
B_SINK=$(sink_count "$T/b.sink")
t0=$(now_ms)
kc_start b3 "$T/b.yaml"
ok "restarted at once, b3 is refused while the killed run holds the instance id, and waits (rejoin_wait)" \
    wait_event "$(kc_log b3)" '.event == "rejoin_wait" and .reason == "UNRELEASED_INSTANCE_ID" and .instance_id == "kip-b" and .unreleased_wait_ms == 60000' 20
ok "b3 gets partitions once the broker's session timeout removed the killed run" \
    wait_until $((SESSION / 1000 + 40)) owned_split 3 "$(kc_log a)" "$(kc_log b3)"
elapsed=$(($(now_ms) - t0))
cmp_ok "$elapsed" -ge $((SESSION - 3000)) \
    "that took about the session timeout ($elapsed ms of $SESSION)"
diag "b3 joined again $(count_events "$(kc_log b3)" '.event == "rejoin_wait"') times; its last rejoin_wait: $(grep '"rejoin_wait"' "$(kc_log b3)" | tail -1)"
ok "b3 still runs: no exit 76" lib_alive "$(proc_pid b3)"
is "$(count_events "$(kc_log b3)" '.event == "fatal"')" 0 "b3 logged no fatal event"
if has_broker_log; then
	ok "the broker's log says the newcomers could not join" \
	    broker_wait "$G" "instance id kip-b cannot join the group because the instance id is owned by member" 5 2
	ok "and that the killed run's session expired" \
	    broker_wait "$G" "fenced from the group because the member session expired" 5
else
	skip "no broker log at hand (KAFKA_BOOTSTRAP)" 2
fi
ok "records reach b3 (b's sink file)" \
    wait_until 30 eval '[ "$(sink_count "$T/b.sink")" -gt "$B_SINK" ]'

# -------------------------------------------------------------- delivery
ok "the producer stops cleanly" produce_bg_stop prod
SINKS=("$T/a.sink" "$T/b.sink")	# b, b2, b3 share b.yaml
ok "every record reaches a sink" wait_sink_count "$(produced "$TOPIC")" 60 "${SINKS[@]}"
kc_stop a 20
is "$?" 0 "a stops cleanly"
kc_stop b3 20
is "$?" 0 "b3 stops cleanly"
ok "nothing is lost" check_delivery "$(produced "$TOPIC")" "${SINKS[@]}"
broker_diag "$G" 40
done_testing
