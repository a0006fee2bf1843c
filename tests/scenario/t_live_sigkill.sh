#!/bin/bash
# t_live_sigkill: SIGKILL mid-stream on a real broker. Two members
# consume 4 partitions while a producer runs; one is killed at once
# (no final commit, no LeaveGroup). Its session expires, the other
# member takes its partitions from their last committed offsets, and
# the killed member, restarted, rejoins. Nothing produced is lost; the
# records read twice are counted, and all of them belong to partitions
# the killed member owned (what it had consumed since its last commit);
# kconsumerctl timeline --sink counts the same records in the kill's
# episode, and --broker-log names its cause (session timeout).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "a real broker's session expiry and committed offsets"
require_tools kcat jq

ok "topic orders (4 partitions) is created" cluster_start orders:4
ORDERS=$(topic orders)
G=$(group kill)
produce_bg traffic "$ORDERS" 80
for name in a b; do
	kc_member_config "$name" "$G" "$ORDERS" group.session_timeout_ms=6000
	kc_start "$name" "$T/$name.yaml"
done
A=$(kc_log a) B=$(kc_log b)
ok "a and b settle on 2 partitions each" wait_until 60 owned_split 2 "$A" "$B"
B_PARTS=${OWNED[$B]}
ok "b consumes a share of the stream" \
    wait_until 30 eval '[ "$(sink_count "$T/b.sink")" -ge 100 ]'
kc_kill b
pass "b is killed with SIGKILL mid-stream ($(sink_count "$T/b.sink") records in its sink)"
ok_broker "the broker removes b when its session expires" \
    broker_wait "$G" 'has failed, removing it from the group' 20
ok "a takes all 4 partitions" wait_until 30 owned_split 4 "$A"
kc_start b2 "$T/b.yaml"
ok "b, restarted, rejoins: 2 partitions each again" \
    wait_until 60 owned_split 2 "$A" "$(kc_log b2)"
ok "the producer stops" produce_bg_stop traffic
N=$(produced "$ORDERS")
ok "every produced record reaches a sink" \
    wait_sink_count "$N" 60 "$T/a.sink" "$T/b.sink"
for name in a b2; do
	kc_stop "$name" 20
	is "$?" 0 "$name stops cleanly"
done
ok "0 of $N records lost" check_delivery "$N" "$T/a.sink" "$T/b.sink"
diag "duplicates: $DELIVERY_DUPLICATES of $N records were read twice"
DUP_PARTS=$(sink_offsets "$T/a.sink" "$T/b.sink" | uniq -d | cut -d' ' -f2 |
    sort -nu | tr '\n' ' ' | sed 's/ $//')
ok "every duplicate is of a partition b owned when killed ($B_PARTS): ${DUP_PARTS:-none}" \
    eval 'for p in $DUP_PARTS; do [[ " $B_PARTS " == *" $p "* ]] || exit 1; done'
# kconsumerctl timeline: the kill's episode, with the records read again
# (--sink) and, on lab/kafka-local, the coordinator's reason (--broker-log).
BROKER_LOGS=()
has_broker_log && BROKER_LOGS=(--broker-log "$LIB_KAFKA_DIR"/node-1/server.log)
"$CTL" timeline --json --sink "$T/a.sink" --sink "$T/b.sink" "${BROKER_LOGS[@]}" \
    "$A" "$B" "$(kc_log b2)" >"$T/tl.json" 2>/dev/null
is "$(jq '[.episodes[].moves[] | select(.from == "b:0") | .redelivered] | add' "$T/tl.json")" \
    "$DELIVERY_DUPLICATES" "timeline --sink: the moves of b's partitions to a count the $DELIVERY_DUPLICATES records read twice"
is "$(jq .totals.redelivered "$T/tl.json")" "$DELIVERY_DUPLICATES" "and the total is the same"
if has_broker_log; then
	# (b's join may fall in the same episode: the logs are short)
	like "$(jq -r '[.episodes[] | select(any(.moves[]; .from == "b:0")) | .broker_causes[] |
	    select(.member == "b:0") | .cause] | unique | join(",")' "$T/tl.json")" "session_timeout" \
	    "--broker-log: in that episode the coordinator removed b on session timeout"
else
	skip "no broker log: the cluster is not lab/kafka-local's"
fi
broker_diag "$G" 6
done_testing
