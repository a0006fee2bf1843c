#!/bin/bash
# t_max_poll: a member whose processing outlasts max.poll.interval.ms
# (max_poll_interval_ms 6000, experiment.processing_delay_us 7 s per
# message) logs max_poll_exceeded, then lost (no commit: the assignment is
# gone), then rejoins (a later assign). Each message outlasts the interval,
# so such a member cannot commit anything; what it did not commit is
# redelivered to a member that keeps up, and in the end every produced
# offset is in a sink: nothing is lost.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic slow (1 partition)" cluster_start -b 1 slow:1
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
SLOW=$(topic slow)
G=$(group slow)
ok "3 messages are produced" produce "$SLOW" 3

for name in a b; do
	delay=7000000
	[ "$name" = b ] && delay=0
	kc_member_config "$name" "$G" "$SLOW" group.max_poll_interval_ms=6000 \
	    experiment.processing_delay_us=$delay
done
A=$(kc_log a)
B=$(kc_log b)
# Print the 1-based line number of LOG's first event matching EXPR (0: none).
first_at() {
	jq -nR "[inputs | (try fromjson catch null)] | to_entries |
	    map(select(.value | objects | select($2))) | (first.key // -1) + 1" \
	    "$1" 2>/dev/null
}

kc_start a "$T/a.yaml"
ok "a is assigned the partition" \
    wait_event "$A" '.event == "assign" and (.partitions | length) == 1' 30
ok "a logs max_poll_exceeded once a message has taken more than 6 s" \
    wait_event "$A" '.event == "max_poll_exceeded"' 20
is "$(jq -rR '(try fromjson catch null) | objects |
    select(.event == "max_poll_exceeded") | .max_poll_interval_ms' "$A" |
    head -n 1)" 6000 "the event names max_poll_interval_ms 6000"
ok "a then logs its partition lost" \
    wait_event "$A" '.event == "lost" and (.partitions | length) == 1' 10
MPE=$(first_at "$A" '.event == "max_poll_exceeded"')
LOST=$(first_at "$A" '.event == "lost"')
cmp_ok "$LOST" -gt "$MPE" "the lost event comes after max_poll_exceeded"
is "$(count_events "$A" '.event == "revoke"')" 0 \
    "a did not log a revoke (nothing to commit for a lost assignment)"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "lost") |
    .next' "$A" | head -n 1 | grep -c "no commit")" 1 \
    "the lost event says no commit was made"
ok "a rejoins: it is assigned the partition again" \
    wait_event "$A" '.event == "assign" and (.partitions | length) == 1' 30 2
cmp_ok "$(sink_count "$T/a.sink")" -ge 1 \
    "a delivered the message it was processing to its sink"
kc_stop a 20
is "$?" 0 "a stops cleanly on SIGTERM, even in the middle of a slow message"

kc_start b "$T/b.yaml"
ok "b, which keeps up, is assigned the partition" \
    wait_event "$B" '.event == "assign" and (.partitions | length) == 1' 30
ok "b gets the messages a did not commit" \
    wait_sink_count 3 30 "$T/a.sink" "$T/b.sink"
kc_stop b 20
is "$?" 0 "b stops cleanly on SIGTERM"
is "$(count_events "$B" '.event == "max_poll_exceeded"')" 0 \
    "b never exceeded max_poll_interval_ms"
ok "every produced offset is in a sink" \
    check_delivery 3 "$T/a.sink" "$T/b.sink"
done_testing
