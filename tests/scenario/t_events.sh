#!/bin/bash
# t_events: the event log's fields, one by one, as kconsumerd(8) documents
# them: start, assign, revoke and stop in JSON (types and values), for a
# dynamic EAGER member and a static one; the group generation where the
# linked librdkafka exposes it (2.8.0 and later) and its absence where not;
# and the same fields as key=value in the text format.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (4 partitions)" cluster_start -b 3 orders:4
ORDERS=$(topic orders)
G=$(group events)

# config NAME FORMAT [INSTANCE_ID]
config() {
	kc_member_config "$1" "$G" "$ORDERS" group.assignor=range \
	    "${3:+group.instance_id=$3}" log.format="$2" sink.type=none
}
config a json
config b json static-b
config t text

# The first event of NAME's log matching EXPR, as one JSON line.
first() {
	jq -c "select($2)" "$(kc_log "$1")" | head -n 1
}
# Check one jq predicate on an event: field EVENT-JSON 'PREDICATE' SENTENCE
field() {
	is "$(jq -r "$2" <<<"$1" 2>&1)" true "$3"
}

ok "40 messages are produced" produce "$ORDERS" 40
kc_start a "$T/a.yaml"
ok "a (dynamic) is assigned all 4 partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 4' 30
kc_start b "$T/b.yaml"
ok "b (static) joins: a is revoked and assigned again" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 2' 30
ok "b is assigned 2 partitions" \
    wait_event "$(kc_log b)" '.event == "assign" and .assignment == 2' 30
kc_stop b 20
is "$?" 0 "b exits 0"
kc_stop a 20
is "$?" 0 "a exits 0"

TS='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$'
START=$(first a '.event == "start"')
like "$(jq -r .ts <<<"$START")" "$TS" "start: ts is RFC 3339 UTC with milliseconds"
field "$START" '.level == "info"' "start: level is info"
field "$START" '.consumer | type == "number" and . == floor and . == 0' "start: consumer is the integer 0"
field "$START" ".group == \"$G\"" "start: group is the group id"
field "$START" '.instance_id == null' "start: instance_id is null for a dynamic member"
field "$START" ".pid == $(proc_pid a)" "start: pid is the process id"
field "$START" '.host | type == "string" and length > 0' "start: host is a non-empty string"
field "$START" '.librdkafka | test("^[0-9]+\\.[0-9]+\\.[0-9]+")' "start: librdkafka is a version"
field "$START" '.assignor == "range"' "start: assignor is range"
field "$START" ".topics == [\"$ORDERS\"]" "start: topics lists the subscription"
field "$(first b '.event == "start"')" '.instance_id == "static-b"' \
    "start: instance_id is the string for a static member"

A1=$(first a '.event == "assign"')
like "$(jq -r .ts <<<"$A1")" "$TS" "assign: ts is RFC 3339 UTC with milliseconds"
field "$A1" '.consumer == 0 and .group == "'"$G"'" and .protocol == "EAGER"' \
    "assign: consumer 0, the group, protocol EAGER (range)"
field "$A1" '.member_id | type == "string" and length > 0' "assign: member_id is a non-empty string"
field "$A1" '.instance_id == null' "assign: instance_id is null for a dynamic member"
field "$A1" '.partitions | type == "array" and length == 4 and
    all(.[]; keys == ["offset", "partition", "topic"])' \
    "assign: partitions is an array of objects with exactly topic, partition, offset"
field "$A1" '[.partitions[] | (.partition | type) == "number" and (.offset | type) == "number"] | all' \
    "assign: partition and offset are numbers"
field "$A1" '.assignment | type == "number" and . == floor and . == 4' "assign: assignment is the integer 4"
field "$A1" 'has("paused_ms") | not' "assign: paused_ms is absent on the first assign"
field "$A1" '.origin == "join"' "assign: origin is join on the member's first assign"

R=$(first a '.event == "revoke"')
like "$(jq -r .ts <<<"$R")" "$TS" "revoke: ts is RFC 3339 UTC with milliseconds"
field "$R" '.level == "info" and .protocol == "EAGER" and .instance_id == null' \
    "revoke: level info, protocol EAGER, instance_id null"
field "$R" '.partitions | length == 4 and all(.[]; keys == ["offset", "partition", "topic"])' \
    "revoke: the 4 partitions, each with exactly topic, partition, offset"
field "$R" '.assignment == 0' "revoke: assignment is 0 afterwards (EAGER)"
field "$R" '.origin == "rebalance"' "revoke: origin is rebalance (b joined)"

A2=$(jq -c 'select(.event == "assign")' "$(kc_log a)" | sed -n 2p)
field "$A2" '.paused_ms | type == "number" and . == floor and . >= 0' \
    "assign after a revoke: paused_ms is a non-negative integer"
field "$A2" '.assignment == 2 and (.partitions | length) == 2' \
    "assign after a revoke: 2 partitions, assignment 2"
field "$A2" '.origin == "rebalance"' "assign after a revoke: origin is rebalance"
field "$(first b '.event == "assign"')" '.instance_id == "static-b" and .protocol == "EAGER"' \
    "assign: instance_id is the string for a static member"

# The generation: librdkafka 2.8.0 and later expose it, older ones do not.
last() {
	jq -c "select($2)" "$(kc_log "$1")" | tail -n 1
}
diag "librdkafka $(jq -r .librdkafka <<<"$START")"
if [ "$(jq -r '(.librdkafka | split(".")[0:3] | map(tonumber? // 0)) >= [2, 8, 0]' \
    <<<"$START")" = true ]; then
	G1=$(jq -r .generation <<<"$A1")
	field "$A1" '.generation | type == "number" and . == floor and . >= 1' \
	    "assign: generation is a positive integer ($G1)"
	field "$R" ".generation == $G1" \
	    "revoke (EAGER): the generation the partitions were owned in ($G1)"
	field "$A2" ".generation > $G1" \
	    "assign after b joined: a later generation ($(jq -r .generation <<<"$A2"))"
	GA=$(last a '.event == "assign"' | jq -r .generation)
	field "$(last b '.event == "assign"')" ".generation == $GA" \
	    "a's and b's last assigns name the same generation ($GA)"
	field "$(last a '.event == "revoke"')" ".origin == \"close\" and .generation == $GA" \
	    "revoke on close: the generation the member was last in"
else
	field "$A1" 'has("generation") | not' \
	    "assign: no generation field (librdkafka before 2.8.0 does not expose it)"
	field "$R" 'has("generation") | not' "revoke: no generation field either"
fi

S=$(first a '.event == "stop"')
like "$(jq -r .ts <<<"$S")" "$TS" "stop: ts is RFC 3339 UTC with milliseconds"
field "$S" '.consumer == 0 and .group == "'"$G"'" and .result == "ok"' "stop: consumer 0, the group, result ok"
field "$S" '.messages | type == "number" and . == floor' "stop: messages is an integer"
field "$S" '.committed | type == "array" and all(.[]; keys == ["offset", "partition", "topic"])' \
    "stop: committed is an array of topic, partition, offset"

# Text format: the same fields as key=value.
kc_start t "$T/t.yaml"
ok "the text-format member logs its start line" \
    wait_line "$(kc_log t)" '(^| )event=start( |$)' 10
ok "text: its first assign says origin=join" \
    wait_line "$(kc_log t)" '(^| )event=assign( .*)? origin=join( |$)' 30
kc_stop t 20
is "$?" 0 "the text-format member exits 0"
ok "text: its final revoke says origin=close" \
    wait_line "$(kc_log t)" '(^| )event=revoke( .*)? origin=close( |$)' 1
LINE=$(grep -E '(^| )event=start( |$)' "$(kc_log t)" | head -n 1)
diag "text: $LINE"
for kv in "ts=[0-9TZ:.-]+" "level=info" "event=start" "consumer=0" "group=$G" \
    "instance_id=-" "topics=$ORDERS" "pid=$(proc_pid t)" "host=[^ ]+" "librdkafka=[0-9.]+" \
    "assignor=range"; do
	like "$LINE" "(^| )$kv( |$)" "text: the start line has the field ${kv%%=*} (${kv#*=})"
done
is_json() { jq -e . <<<"$1" >/dev/null 2>&1; }
nok "text: the start line is not JSON" is_json "$LINE"

done_testing
