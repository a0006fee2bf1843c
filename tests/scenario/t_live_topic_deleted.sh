#!/bin/bash
# t_live_topic_deleted: one of two regex-matched topics is deleted while
# records flow (issue 23 items 3 and 4), on a real broker (the mock cannot
# delete topics). Two members in one process share keep (2 partitions)
# and gone (2 partitions). After gone is deleted, its partitions leave
# the assignment; every record of keep reaches the sink, and after the
# stop keep's committed offsets are exactly one past the last record the
# sink got of each partition: the loss of gone's partitions did not drop
# keep's progress. librdkafka 2.0.2 notices the deletion at its next
# metadata refresh (2 s here), loses gone's partitions only, and then
# never finishes destroying the client: the stop must still end within
# about 2 s of the finished close, not at shutdown.timeout_ms (10 s).
# shellcheck disable=SC2016
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster cannot delete topics"
require_tools kcat jq
[ -n "${KAFKA_LOCAL:-}" ] || skip_all "needs lab/kafka-local to delete a topic"
TIMEOUT_MS=10000

# Print the partitions (topic[partition]) consumer C of LOG owns after its
# cooperative assign, revoke and lost events (pure): owned_tp LOG C.
owned_tp() {
	jq -nrR --argjson c "$2" 'reduce (inputs | (try fromjson catch null) |
	    objects | select(.consumer == $c and (.event == "assign" or
	    .event == "revoke" or .event == "lost"))) as $e ([];
	    ($e.partitions | map("\(.topic)[\(.partition)]")) as $p |
	    if $e.event == "assign" then . + $p else . - $p end) | unique |
	    join(" ")' "$1" 2>/dev/null
}

# True when the broker's committed offset of each partition of keep is
# one past the last record of it in the sink (sets COMMITTED and LAST).
keep_committed() {
	local p
	"$CTL" describe -b "$BOOTSTRAP" -g "$G" --json >"$T/describe.json" 2>"$T/describe.err" || return 1
	COMMITTED= LAST=
	for p in 0 1; do
		COMMITTED="$COMMITTED $(jq -r ".partitions[] | select(.topic == \"$KEEP\" and .partition == $p) | .committed" "$T/describe.json" | head -n 1)"
		LAST="$LAST $(( $(jq -r "select(.topic == \"$KEEP\" and .partition == $p) | .offset" "$T/a.sink" | sort -n | tail -n 1) + 1 ))"
	done
	[ "$COMMITTED" = "$LAST" ]
}

# Print how many partitions the two members of LOG own (pure).
owned_count() {
	echo $(( $(owned_tp "$1" 0 | wc -w) + $(owned_tp "$1" 1 | wc -w) ))
}
ok "topics keep and gone (2 partitions each) are created" \
    cluster_start ev-keep:2 ev-gone:2
KEEP=$(topic ev-keep)
GONE=$(topic ev-gone)
RE="^$(topic ev-)(keep|gone)\$"
G=$(group deleted)
kc_member_config a "$G" "$RE" consumers=2 \
    shutdown.timeout_ms=$TIMEOUT_MS \
    kafka.topic.metadata.refresh.interval.ms=2000
produce_bg pk "$KEEP" 40
produce_bg pg "$GONE" 40
kc_start a "$T/a.yaml"
# settled: 2 partitions each (the second member joins a moment after the
# first, and its cooperative rebalance must be over before the deletion)
ok "the two members own 2 of the 4 partitions each" \
    wait_until 60 eval '[ "$(owned_tp "$(kc_log a)" 0 | wc -w)" -eq 2 ] &&
	[ "$(owned_tp "$(kc_log a)" 1 | wc -w)" -eq 2 ]'
ok "records of both topics reach the sink" \
    wait_until 30 eval '[ "$(jq -r .topic "$T/a.sink" 2>/dev/null | sort -u | wc -l)" -eq 2 ]'
ok "the producer of gone stops" produce_bg_stop pg
SETTLED_LINES=$(wc -l <"$(kc_log a)")
"$KAFKA_LOCAL" run org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$BOOTSTRAP" --delete --topic "$GONE" >"$T/delete.out" 2>&1
ok_status $? "topic gone is deleted"
ok "gone's partitions leave the assignment (revoke or lost)" \
    wait_until 90 eval '[ "$(owned_count "$(kc_log a)")" -eq 2 ]'
diag "owned after the deletion: 0: $(owned_tp "$(kc_log a)" 0); 1: $(owned_tp "$(kc_log a)" 1)"
diag "events about gone: $(jq -cR "fromjson? | select(.event != \"rdkafka\" and .event != \"log\") | select((.partitions // []) | any(.topic == \"$GONE\")) | {event, origin, consumer, parts: [.partitions[] | \"\\(.topic | sub(\".*-\"; \"\"))[\\(.partition)]\"]}" "$(kc_log a)" | tr '\n' ' ')"
tail -n +"$((SETTLED_LINES + 1))" "$(kc_log a)" >"$T/after-delete.log"
# (the group may still rebalance keep's two partitions over the members
# afterwards: such a revoke says origin rebalance and commits first)
is "$(count_events "$T/after-delete.log" "(.event == \"lost\" or .origin == \"lost\") and any(.partitions[]; .topic == \"$KEEP\")")" 0 \
    "after the deletion, no loss names a partition of keep: only gone's are lost"
is "$(count_events "$(kc_log a)" "(.event == \"lost\") and .origin == \"lost\" and all(.partitions[]; .topic == \"$GONE\")")" \
    "$(count_events "$(kc_log a)" '.event == "lost"')" "every lost event is gone's, with origin lost"
ok "the producer of keep stops" produce_bg_stop pk
ok "every record of keep reaches the sink" \
    wait_until 60 eval '[ "$(jq -r "select(.topic == \"$KEEP\") | \"\\(.partition) \\(.offset)\"" "$T/a.sink" | sort -u | wc -l)" -ge "$(produced "$KEEP")" ]'
ok "after the partial loss, keep's committed offsets reach what was delivered" \
    wait_until 60 keep_committed
diag "keep: committed$COMMITTED, delivered up to$LAST (next offsets)"
t0=$(now_ms)
kc_stop a 40
is "$?" 0 "kconsumerd stops cleanly after the deletion"
STOP_MS=$(($(now_ms) - t0))
diag "stop took $STOP_MS ms (shutdown.timeout_ms $TIMEOUT_MS); destroy overran: $(count_events "$(kc_log a)" '.event == "log" and (.msg | test("did not finish destroying"))')"
cmp_ok "$STOP_MS" -le $((TIMEOUT_MS + 3000)) \
    "the stop is bounded by shutdown.timeout_ms (+3 s for the process)"
cmp_ok "$STOP_MS" -lt $((TIMEOUT_MS / 2)) \
    "and does not wait it out: a destroy that hangs after a finished close gets 2 s"
is "$(count_events "$(kc_log a)" '.level == "warn" and .event == "log" and (.msg | test("destroying"))')" 0 \
    "no warning about the destroy (close finished: every commit answered)"
STOPPING=$(jq -rR 'fromjson? | select(.event == "log" and (.msg | startswith("stopping"))) | .ts' "$(kc_log a)" | head -n 1)
is "$(count_events "$(kc_log a)" ".event == \"commit_refused\" and .ts < \"$STOPPING\" and any(.partitions[]; .topic == \"$KEEP\")")" 0 \
    "before the stop, no commit_refused names a partition of keep (it was never let go)"
diag "commit_refused for gone: $(count_events "$(kc_log a)" ".event == \"commit_refused\" and .level == \"info\"")," \
    "commit_failed: $(count_events "$(kc_log a)" '.event == "commit_failed"')"
# after the stop, the broker's committed offsets of keep still match
ok "after the stop, keep's committed offsets are one past the last record delivered" \
    keep_committed
diag "keep after the stop: committed$COMMITTED, delivered up to$LAST"
jq -c "select(.topic == \"$KEEP\")" "$T/a.sink" >"$T/keep.sink"
ok "nothing of keep is lost" check_delivery "$(produced "$KEEP")" "$T/keep.sink"
diag "keep: $DELIVERY_UNIQUE records, $DELIVERY_DUPLICATES duplicates"
done_testing
