#!/bin/bash
# t_live_kip848_members: members come and go under Kafka's consumer group
# protocol (KIP-848, group.protocol: consumer) on a real broker while a
# producer runs. A second member joins: the first revokes exactly the
# partitions the newcomer gets (no whole-group revoke) and records keep
# arriving on the partitions it keeps. The newcomer leaves with SIGTERM:
# its partitions come back at once, long before the broker's session
# timeout. A third joins and is killed with SIGKILL: its partitions move
# only once the broker's session timeout (lab/kafka-local:
# group.consumer.session.timeout.ms=10000) removed it. Every event
# carries group_protocol "consumer" beside protocol COOPERATIVE, and the
# member's epoch, which grows as the group changes; nothing is lost.
# Needs a kconsumerd linked with librdkafka 2.12.0 or later (skips with
# the reason otherwise, e.g. on Debian 12).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2034,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not speak the consumer group protocol"
require_tools kcat jq
require_consumer_protocol

SESSION=10000	# lab/kafka-local's group.consumer.session.timeout.ms
ok "topic kip (6 partitions) is created" cluster_start kip:6
TOPIC=$(topic kip)
G=$(group kip)
produce_bg prod "$TOPIC" 40

# The partitions listed by LOG's events matching EXPR, sorted (pure).
parts_of() {
	jq -nrR "[inputs | (try fromjson catch null) | objects | select($2) |
	    .partitions[].partition] | sort | map(tostring) | join(\" \")" "$1"
}

# Keep the lines of sink_stamp NAME's file for PARTITIONS in FILE.
stamps_of() {
	awk -v ps=" $2 " 'index(ps, " " $2 " ")' "$T/$1.stamps" >"$3"
}

kc_member_config a "$G" "$TOPIC" $KC_CONSUMER
kc_start a "$T/a.yaml"
ok "a alone is assigned all 6 partitions" \
    wait_until 60 owned_split 6 "$(kc_log a)"
ok "a's start event says group_protocol consumer, and no session timeout" \
    wait_event "$(kc_log a)" '.event == "start" and .group_protocol == "consumer" and
	(has("session_timeout_ms") | not) and .remote_assignor == "(broker default)"' 5
sink_stamp sa "$T/a.sink"
ok "records reach a" wait_sink_count 40 30 "$T/a.sink"

# -------------------------------------------------------------- a join
t_join=$(now_ms)
kc_member_config b "$G" "$TOPIC" $KC_CONSUMER
kc_start b "$T/b.yaml"
ok "b joins: a and b own 3 partitions each" \
    wait_until 60 owned_split 3 "$(kc_log a)" "$(kc_log b)"
t_settled=$(now_ms)
KEPT=${OWNED[$(kc_log a)]}
MOVED=${OWNED[$(kc_log b)]}
is "$(parts_of "$(kc_log a)" '.event == "revoke"')" "$MOVED" \
    "a revoked exactly the partitions b took ($MOVED), none of those it kept"
is "$(count_events "$(kc_log a)" '.event == "lost"')" 0 "a lost nothing"
is "$(count_events "$(kc_log b)" '.event == "revoke" or .event == "lost"')" 0 \
    "b revoked nothing"
is "$(count_events "$(kc_log a)" '(.event == "assign" or .event == "revoke") and
    (.group_protocol != "consumer" or .protocol != "COOPERATIVE")')" 0 \
    "every rebalance event of a says group_protocol consumer, protocol COOPERATIVE"
ok "b's events say group_protocol consumer" \
    wait_event "$(kc_log b)" '.event == "assign" and .group_protocol == "consumer"' 5
ok "records keep arriving on a's kept partitions ($KEPT) while b joins" \
    wait_until 20 eval '[ "$(arrivals_between sa "$t_join" "$(now_ms)" "$KEPT")" -gt 0 ]'
stamps_of sa "$KEPT" "$T/kept.stamps"
read -r gap gp < <(stamp_max_gap "$t_join" "$t_settled" "$T/kept.stamps")
cmp_ok "$gap" -lt 5000 \
    "the longest pause of a kept partition during the join is short ($gap ms, partition $gp; join took $((t_settled - t_join)) ms)"

# -------------------------------------------------------------- clean leave
t0=$(now_ms)
kc_stop b 20
is "$?" 0 "b stops cleanly on SIGTERM"
ok "a owns all 6 again" wait_until 30 owned_split 6 "$(kc_log a)"
elapsed=$(($(now_ms) - t0))
cmp_ok "$elapsed" -lt "$SESSION" \
    "b's partitions came back before the session timeout ($elapsed ms of $SESSION): b left the group"
is "$(count_events "$(kc_log b)" '.event == "revoke"')" 1 \
    "b revoked its partitions once, on its way out (after committing)"

# -------------------------------------------------------------- SIGKILL
kc_member_config c "$G" "$TOPIC" $KC_CONSUMER
kc_start c "$T/c.yaml"
ok "c joins: a and c own 3 partitions each" \
    wait_until 60 owned_split 3 "$(kc_log a)" "$(kc_log c)"
sink_mark_c=$(sink_count "$T/c.sink")
ok "records reach c" wait_until 20 eval '[ "$(sink_count "$T/c.sink")" -gt "$sink_mark_c" ]'
t0=$(now_ms)
kc_kill c
pass "c is killed with SIGKILL"
ok "a owns all 6 again" wait_until $((SESSION / 1000 + 40)) owned_split 6 "$(kc_log a)"
elapsed=$(($(now_ms) - t0))
cmp_ok "$elapsed" -ge $((SESSION - 3000)) \
    "c's partitions moved only after about the broker's session timeout ($elapsed ms of $SESSION)"
is "$(count_events "$(kc_log a)" '.event == "lost"')" 0 "a lost nothing throughout"
is "$(count_events "$(kc_log a)" '.event == "error" or .event == "commit_failed"')" 0 \
    "a logged no error: every incremental assign and unassign and every commit on revoke succeeded"
# the member epoch of each event (librdkafka's group metadata, 2.8.0+)
EPOCHS=$(jq -rR 'fromjson? | select(.event == "assign" or .event == "revoke") |
    .member_epoch' "$(kc_log a)" | tr '\n' ' ')
diag "a's member epoch at each assign and revoke: $EPOCHS"
is "$(count_events "$(kc_log a)" '(.event == "assign" or .event == "revoke") and
    ((.member_epoch | type) != "number" or .member_epoch < 1 or has("generation"))')" 0 \
    "every assign and revoke of a names its member epoch (>= 1), not a generation"
ok "a's member epoch never goes back and grew as members came and went" \
    awk '{ for (i = 2; i <= NF; i++) if ($i < $(i - 1)) exit 1; exit !($NF > $1) }' <<<"$EPOCHS"
if has_broker_log; then
	ok "the broker's log: members joined with the consumer protocol" \
	    broker_wait "$G" "joins the consumer group using the consumer protocol" 5 3
	ok "the broker's log: b left the group" \
	    broker_wait "$G" "left the consumer group" 5
	ok "the broker's log: c was fenced when its session expired" \
	    broker_wait "$G" "fenced from the group because the member session expired" 5
else
	skip "no broker log at hand (KAFKA_BOOTSTRAP)" 3
fi

# -------------------------------------------------------------- delivery
ok "the producer stops cleanly" produce_bg_stop prod
ok "every record reaches a sink" \
    wait_sink_count "$(produced "$TOPIC")" 60 "$T/a.sink" "$T/b.sink" "$T/c.sink"
kc_stop a 20
is "$?" 0 "a stops cleanly"
ok "nothing is lost" check_delivery "$(produced "$TOPIC")" "$T/a.sink" "$T/b.sink" "$T/c.sink"
diag "duplicates (redelivered after the SIGKILL): $DELIVERY_DUPLICATES"
broker_diag "$G" 30
done_testing
