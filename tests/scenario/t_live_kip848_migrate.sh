#!/bin/bash
# t_live_kip848_migrate: the online migration Kafka 4 supports. A classic
# group of three members (cooperative-sticky) consumes while a producer
# runs; the members are restarted one at a time with group.protocol:
# consumer. After each restart the three own two partitions each, the
# events of every member say which group protocol it speaks (classic
# before its restart, consumer after), and in the end nothing is lost.
# The broker's log shows the group turning into a consumer-protocol
# group. Needs librdkafka 2.12.0 or later (skips with the reason
# otherwise).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2034,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not speak the consumer group protocol"
require_tools kcat jq
require_consumer_protocol

# librdkafka's cooperative-sticky sends assignor userData, which Kafka
# refuses to convert ("Cannot upgrade classic group ... userData from a
# custom assignor would be lost"): the consumer members then wait, with
# no partition and no error, until the last classic member left. range
# sends none.
CLASSIC_ASSIGNOR=${CLASSIC_ASSIGNOR:-range}
ok "topic mig (6 partitions) is created" cluster_start mig:6
TOPIC=$(topic mig)
G=$(group mig)
produce_bg prod "$TOPIC" 40

LIVE=()
for m in a b c; do
	kc_member_config $m "$G" "$TOPIC" group.max_poll_interval_ms=30000 \
	    group.assignor=$CLASSIC_ASSIGNOR
	kc_start $m "$T/$m.yaml"
	LIVE+=("$(kc_log $m)")
done
ok "classic members a, b and c own 2 partitions each" \
    wait_until 90 owned_split 2 "${LIVE[@]}"
for m in a b c; do
	is "$(count_events "$(kc_log $m)" '(.event == "assign" or .event == "revoke") and .group_protocol != "classic"')" 0 \
	    "$m's events all say group_protocol classic"
done

# Restart member M with the consumer protocol as M2, then wait until the
# group owns its partitions again: migrate M.
migrate() {
	local m=$1 new=${1}2 i
	kc_stop "$m" 30
	is "$?" 0 "$m (classic) stops cleanly"
	kc_member_config "$new" "$G" "$TOPIC" $KC_CONSUMER
	kc_start "$new" "$T/$new.yaml"
	for i in "${!LIVE[@]}"; do
		[ "${LIVE[i]}" = "$(kc_log "$m")" ] && LIVE[i]=$(kc_log "$new")
	done
	ok "restarted with group.protocol consumer as $new: the three own 2 partitions each" \
	    wait_until 90 owned_split 2 "${LIVE[@]}"
	ok "$new's events say group_protocol consumer" \
	    wait_event "$(kc_log "$new")" '.event == "assign" and .group_protocol == "consumer" and (.partitions | length) > 0' 5
}

migrate a
if has_broker_log; then
	ok "the broker's log: the classic group was converted online" \
	    broker_wait "$G" "Converted the classic group to a consumer group" 10
	ok "the broker's log: classic b and c rejoin the converted group" \
	    broker_wait "$G" "joins the consumer group using the classic protocol" 30 2
	ok "and the three own 2 partitions each" \
	    wait_until 60 owned_split 2 "${LIVE[@]}"
else
	skip "no broker log at hand (KAFKA_BOOTSTRAP)" 3
fi
ok "b, still classic, says so in its events after the first migration" \
    wait_event "$(kc_log b)" '.event == "assign" and .group_protocol == "classic"' 5
migrate b
migrate c
for m in a2 b2 c2; do
	is "$(count_events "$(kc_log $m)" '(.event == "assign" or .event == "revoke") and .group_protocol != "consumer"')" 0 \
	    "$m's events all say group_protocol consumer"
done
if has_broker_log; then
	ok "the broker's log: three consumer-protocol members joined" \
	    broker_wait "$G" "joins the consumer group using the consumer protocol" 10 3
else
	skip "no broker log at hand (KAFKA_BOOTSTRAP)"
fi

ok "the producer stops cleanly" produce_bg_stop prod
SINKS=()
for m in a b c a2 b2 c2; do SINKS+=("$T/$m.sink"); done
ok "every record reaches a sink" wait_sink_count "$(produced "$TOPIC")" 60 "${SINKS[@]}"
for m in a2 b2 c2; do
	kc_stop $m 30
	is "$?" 0 "$m stops cleanly"
done
ok "nothing is lost across the migration" check_delivery "$(produced "$TOPIC")" "${SINKS[@]}"
diag "duplicates: $DELIVERY_DUPLICATES"
broker_diag "$G" 40
done_testing
