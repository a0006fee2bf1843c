#!/bin/bash
# t_regex: a topic entry starting with "^" is a regular expression. With
# topics ["^ev-.*"] a member subscribes to ev-a and ev-b but not to
# other, consumes every record of both, none of other, and picks up ev-c,
# created while it runs (the group rebalances when a new topic matches).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topics ev-a (2 partitions), ev-b (3), other (2)" \
    cluster_start -b 3 ev-a:2 ev-b:3 other:2
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
EVA=$(topic ev-a)
EVB=$(topic ev-b)
EVC=$(topic ev-c)
OTHER=$(topic other)
# live runs prefix the names (no regex metacharacters in the prefix)
RE="^$(topic ev-).*"
ok "40 messages are produced to ev-a" produce "$EVA" 40
ok "30 messages are produced to ev-b" produce "$EVB" 30
ok "50 messages are produced to other" produce "$OTHER" 50

kc_member_config a "$(group regex)" "$RE" \
    kafka.topic.metadata.refresh.interval.ms=1000 \
    group.max_poll_interval_ms=10000
A=$(kc_log a)
kc_start a "$T/a.yaml"
ok "a starts" wait_event "$A" '.event == "start"' 20
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "start")
    | .topics | join(",")' "$A")" "$RE" "its start event lists the pattern"
ok "a is assigned the 5 partitions of ev-a and ev-b" \
    wait_event "$A" '.event == "assign" and .assignment == 5' 30
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "assign")
    | .partitions[] | "\(.topic):\(.partition)"' "$A" | sort -u | tr '\n' ' ')" \
    "$EVA:0 $EVA:1 $EVB:0 $EVB:1 $EVB:2 " \
    "its assignment is ev-a 0-1 and ev-b 0-2"
ok "the 70 records of ev-a and ev-b reach the sink" \
    wait_sink_count 70 30 "$T/a.sink"
is "$(sink_offsets "$T/a.sink" | cut -d' ' -f1 | sort | uniq -c |
    awk '{print $2 "=" $1}' | tr '\n' ' ')" "$EVA=40 $EVB=30 " \
    "the sink holds 40 records of ev-a, 30 of ev-b and none of other"

ok "topic ev-c (1 partition) is created" create_topic ev-c 1
ok "20 messages are produced to ev-c" produce "$EVC" 20
ok "a is assigned ev-c once it exists" \
    wait_event "$A" '.event == "assign" and any(.partitions[]; .topic == "'"$EVC"'")' 30
ok "its records reach the sink" wait_sink_count 90 30 "$T/a.sink"
kc_stop a 20
is "$?" 0 "a stops cleanly on SIGTERM"
is "$(count_events "$A" '.event == "assign" and any(.partitions[]; .topic == "'"$OTHER"'")')" 0 \
    "other was never assigned"
ok "every record of ev-a, ev-b and ev-c is in the sink" \
    check_delivery 90 "$T/a.sink"
done_testing
