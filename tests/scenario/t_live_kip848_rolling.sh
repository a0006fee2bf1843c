#!/bin/bash
# t_live_kip848_rolling: a rolling restart as a Kubernetes StatefulSet
# does it, under Kafka's consumer group protocol (group.protocol:
# consumer) on a real broker. Three static members (separate processes,
# POD_NAME kconsumerd-0/1/2, instance_id "${POD_NAME}-%i", each serving
# /readyz) share 6 partitions while a producer runs. Each is stopped with
# SIGTERM and started again in reverse order (2, 1, 0), the next one only
# once the restarted one's /readyz answers 200. Each gets exactly its
# partitions back; the members not restarting log no rebalance event;
# the broker logs each member leaving temporarily and re-joining, and no
# new group epoch for the whole roll; nothing is lost and the longest
# time a partition went without consumption stays below the broker's
# session timeout. Needs librdkafka 2.12.0 or later (skips with the
# reason otherwise).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not speak the consumer group protocol"
require_tools kcat jq curl perl
require_consumer_protocol
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no /readyz"

SESSION=10000	# lab/kafka-local's group.consumer.session.timeout.ms
RATE=40
ok "topic roll (6 partitions) is created" cluster_start roll:6
TOPIC=$(topic roll)
G=$(group roll)

produce_bg traffic "$TOPIC" $RATE
for i in 0 1 2; do
	kc_member_config "m$i" "$G" "$TOPIC" $KC_CONSUMER \
	    group.max_poll_interval_ms=30000 http.listen=127.0.0.1:0 \
	    'group.instance_id="${POD_NAME}-%i"'
	POD_NAME=kconsumerd-$i kc_start "m$i" "$T/m$i.yaml"
	sink_stamp "stamp_m$i" "$T/m$i.sink"
done
ok "the three members settle on 2 partitions each" \
    wait_until 60 owned_split 2 "$(kc_log m0)" "$(kc_log m1)" "$(kc_log m2)"
ok "all three are ready (/readyz 200)" \
    wait_until 30 eval "ready m0 && ready m1 && ready m2"
ok "they consume the traffic" wait_sink_count 60 30 "$T/m0.sink" "$T/m1.sink" "$T/m2.sink"

declare -A EVENTS
for i in 0 1 2; do EVENTS[$i]=$(rebalance_events "$(kc_log m$i)"); done
epochs=$(broker_count "$G" 'Bumped group epoch')
t_start=$(now_ms)
LIVE=(m0 m1 m2)
for i in 2 1 0; do
	t0=$(now_ms)
	parts=$(owned "$(kc_log "m$i")")
	kc_stop "m$i" 20
	is "$?" 0 "kconsumerd-$i stops cleanly on SIGTERM"
	POD_NAME=kconsumerd-$i kc_start "m${i}r" "$T/m$i.yaml"
	LIVE[i]=m${i}r
	ok "restarted kconsumerd-$i is ready (/readyz 200)" \
	    wait_until 60 eval "ready m${i}r"
	diag "kconsumerd-$i stopped and ready again in $(($(now_ms) - t0)) ms"
	ok "kconsumerd-$i gets exactly its partitions back ($parts)" \
	    wait_until 10 eval '[ "$(owned "$(kc_log "m${i}r")")" = "$parts" ]'
done
t_end=$(now_ms)
for i in 0 1 2; do
	is "$(rebalance_events "$(kc_log m$i)")" \
	    "$(( EVENTS[$i] + 1 ))" \
	    "kconsumerd-$i's first run saw no rebalance event but its own final revoke"
done
if has_broker_log; then
	is "$(broker_count "$G" 'Bumped group epoch')" "$epochs" \
	    "the broker bumped no group epoch during the roll"
	ok "the broker logs each member leaving temporarily" \
	    broker_wait "$G" "instance id kconsumerd-[012]-0 temporarily left the consumer group" 5 3
	ok "and re-joining in its place" \
	    broker_wait "$G" "instance id kconsumerd-[012]-0 re-joins the consumer group using the consumer protocol" 5 3
else
	skip "no broker log at hand (KAFKA_BOOTSTRAP)" 3
fi
GAP=$(stamp_max_gap "$t_start" "$t_end" "$T"/stamp_m?.stamps)
cmp_ok "${GAP% *}" -lt "$SESSION" \
    "the longest gap in consumption (${GAP% *} ms, partition ${GAP#* }) is below the session timeout ($SESSION)"
ok "the producer stops and kcat delivered everything" produce_bg_stop traffic
ok "every produced record reaches a sink" \
    wait_sink_count "$(produced "$TOPIC")" 60 "$T/m0.sink" "$T/m1.sink" "$T/m2.sink"
for i in 0 1 2; do
	kc_stop "m${i}r" 20
	is "$?" 0 "kconsumerd-$i stops cleanly"
done
ok "0 records lost" check_delivery "$(produced "$TOPIC")" \
    "$T/m0.sink" "$T/m1.sink" "$T/m2.sink"
diag "$DELIVERY_UNIQUE records, $DELIVERY_DUPLICATES duplicates, roll of $((t_end - t_start)) ms"
broker_diag "$G" 20
done_testing
