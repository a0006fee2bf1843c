#!/bin/bash
# t_describe: "kconsumerctl describe" on the mock cluster. The committed
# offsets and lag match what was produced and consumed, the lag in time is
# the age of the first record after the committed offset (0 where
# nothing is left, growing with wall time where records wait), the mock's
# missing
# DescribeGroups is said in one line, --json parses, --watch marks what
# changed after a member stops and stops on SIGTERM, and the exit statuses
# hold (64, 69, 78). The members part needs a real cluster:
# t_describe_live.sh.

# Wait conditions are eval'd strings that name variables.
# shellcheck disable=SC2016

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

# Write member NAME's configuration: describe_config NAME [DELAY_US].
describe_config() {
	kc_member_config "$1" "$G" "$ORDERS" group.assignor=range \
	    experiment.processing_delay_us="${2:-0}"
}

# Print the JSON lines of FILE that parse, one per line (pure).
json_lines() {
	jq -c . "$1" 2>/dev/null
}

ok "the cluster starts with orders (4 partitions)" cluster_start -b 3 orders:4
ORDERS=$(topic orders)
G=$(group describe)
produced_ms=$(now_ms)
ok "200 messages are produced" produce "$ORDERS" 200

# ---- one member reads 70 messages and stops: committed and lag add up
describe_config a
kc_start a "$T/a.yaml" -n 70
kc_wait_exit a 60
is "$KC_STATUS" 0 "kconsumerd -n 70 stops by itself with status 0"
consumed=$(sink_distinct "$T/a.sink")
cmp_ok "$consumed" -ge 1 "member a consumed $consumed distinct messages"

"$CTL" describe -c "$T/a.yaml" --json >"$T/d1.json" 2>"$T/d1.err"
is "$?" 0 "describe -c --json exits 0"
is "$(json_lines "$T/d1.json" | wc -l)" 1 "--json prints one JSON object"
is "$(jq '.partitions | length' "$T/d1.json")" 4 \
    "it lists the 4 partitions of the configured topic"
is "$(jq '[.partitions[].committed // 0] | add' "$T/d1.json")" "$consumed" \
    "the committed offsets add up to what the member consumed"
is "$(jq '[.partitions[].log_end] | add' "$T/d1.json")" 200 \
    "the log-end offsets add up to the 200 messages produced"
is "$(jq '[.partitions[] | .lag // (.log_end - .log_start)] | add' \
    "$T/d1.json")" "$((200 - consumed))" \
    "lag per partition adds up to produced minus consumed ($((200 - consumed)))"
is "$(jq '[.partitions[] | select(.committed != null) |
    .lag == .log_end - .committed] | all' "$T/d1.json")" true \
    "each partition's lag is its log end minus its committed offset"
is "$(jq '.totals.committed' "$T/d1.json")" "$consumed" \
    "totals.committed says the same"

# Lag in time: each partition with records left shows the age of the
# first one after its committed offset (produced before produced_ms), a
# caught-up one 0; a later describe shows the same records older by the
# time between.
age_s=$((($(now_ms) - produced_ms) / 1000 + 2))
is "$(jq '[.partitions[] | select(.lag == 0) | .lag_seconds == 0] | all' "$T/d1.json")" true \
    "a partition without lag has lag_seconds 0"
is "$(jq --argjson age "$age_s" '[.partitions[] | select(.lag > 0) |
    .lag_seconds > 0 and .lag_seconds <= $age] | all and length > 0' "$T/d1.json")" true \
    "each partition with lag has lag_seconds above 0 and at most the records' age ($age_s s)"
is "$(jq '.totals.lag_seconds_max == ([.partitions[].lag_seconds] | max)' "$T/d1.json")" true \
    "totals.lag_seconds_max is the largest partition's"
t1=$(now_ms)
sleep 2
"$CTL" describe -c "$T/a.yaml" --json >"$T/d1b.json" 2>/dev/null
waited=$((($(now_ms) - t1) / 1000 + 1))
is "$(jq -n --slurpfile a "$T/d1.json" --slurpfile b "$T/d1b.json" --argjson w "$waited" '
    [range($a[0].partitions | length) as $i | $a[0].partitions[$i] as $p |
     $b[0].partitions[$i] as $q | select($p.lag > 0) |
     ($q.lag_seconds - $p.lag_seconds) >= 1.5 and ($q.lag_seconds - $p.lag_seconds) <= $w + 1] |
    all and length > 0')" true \
    "2 s later the same partitions' lag_seconds grew by about 2 s (the same first record, older)"

"$CTL" describe -c "$T/a.yaml" >"$T/d1.txt" 2>&1
is "$?" 0 "describe -c (text) exits 0"
if is_live; then
	skip "a real cluster supports DescribeGroups"
	is "$(jq .describe_unsupported "$T/d1.json")" false \
	    "--json says DescribeGroups is supported"
else
	is "$(grep -c "does not support DescribeGroups" "$T/d1.txt")" 1 \
	    "the DescribeGroups-unsupported line appears once"
	is "$(jq .describe_unsupported "$T/d1.json")" true \
	    "--json says DescribeGroups is unsupported"
	like "$(jq -r .describe_error "$T/d1.json")" \
	    "^librdkafka's mock cluster \\(cluster id mockCluster[0-9a-f]+\\): DescribeConsumerGroups is not sent there" \
	    "on the mock, DescribeConsumerGroups is not sent, and --json says why"
fi
ok "the text total line has committed and log end" \
    grep -q "^total: 4 partitions, committed $consumed, log end 200, " "$T/d1.txt"
ok "the table has TOPIC, PARTITION, COMMITTED, LOG-END, LAG and LAG-S columns" \
    grep -qE "^TOPIC +PARTITION +COMMITTED +LOG-END +LAG +LAG-S( |$)" "$T/d1.txt"
ok "the total line gives the largest lag in time" \
    grep -qE "^total: .*, lag in time up to [0-9]+\.[0-9] s$" "$T/d1.txt"

"$CTL" describe -b "$BOOTSTRAP" -g "$G" --json >"$T/d2.json" 2>&1
is "$(jq -c '[.totals.committed, .totals.log_end]' "$T/d2.json")" \
    "[$consumed,200]" "-b/-g (no configured topics) finds the same offsets"

# ---- --watch: a slow member runs, more is produced, the member stops
describe_config b 50000
kc_start b "$T/b.yaml"
ok "member b is assigned partitions" \
    wait_event "$(kc_log b)" '.event == "assign" and (.partitions | length) > 0' 30
ok "member b consumes" wait_sink_count 1 30 "$T/b.sink"
proc_start watch "$T/watch.json" "$T/watch.err" \
    "$CTL" describe -c "$T/b.yaml" --watch 1 --count 4 --json
ok "the first --watch print comes" \
    wait_until 20 eval '[ "$(json_lines "$T/watch.json" | wc -l)" -ge 1 ]'
ok "60 more messages are produced" produce "$ORDERS" 60
kc_stop b 20
is "$?" 0 "member b stops cleanly (final commit)"
proc_wait_exit watch 30
is "$KC_STATUS" 0 "--watch 1 --count 4 exits 0 after its 4 prints"
is "$(json_lines "$T/watch.json" | wc -l)" 4 "it printed 4 JSON objects"
is "$(json_lines "$T/watch.json" | head -n 1 |
    jq '[.partitions[].changes | length] | add')" 0 \
    "the first print marks no change"
is "$(json_lines "$T/watch.json" | tail -n 3 |
    jq -s '[.[].partitions[].changes[]] | any(. == "lag_up")')" true \
    "a later print marks lag growing after the 60 new messages"
is "$(json_lines "$T/watch.json" | tail -n 3 |
    jq -s '[.[].partitions[].changes[]] | any(. == "log_end")')" true \
    "and marks the log end moving"
"$CTL" describe -c "$T/b.yaml" --json >"$T/d3.json" 2>&1
total=$(sink_distinct "$T/a.sink" "$T/b.sink")
is "$(jq '.totals.committed' "$T/d3.json")" "$total" \
    "after b stops, the committed offsets add up to all it and a consumed"

"$CTL" describe -c "$T/b.yaml" --watch 1 --count 2 >"$T/watch.txt" 2>&1
is "$?" 0 "text --watch 1 --count 2 exits 0"
is "$(grep -c "^20[0-9-]*T[0-9:.]*Z  group $G " "$T/watch.txt")" 2 \
    "each print starts with a timestamp and the group"
ok "the watch table has a CHANGES column" grep -q " CHANGES$" "$T/watch.txt"
if is_live; then
	skip "the mock-only DescribeGroups line"
else
	is "$(grep -c "does not support DescribeGroups" "$T/watch.txt")" 1 \
	    "the DescribeGroups-unsupported line appears once in watch mode"
fi

proc_start watch2 "$T/watch2.txt" "$T/watch2.err" \
    "$CTL" describe -c "$T/b.yaml" --watch 1
ok "an endless --watch prints" wait_line "$T/watch2.txt" "^total: " 20
kill -TERM "$(proc_pid watch2)"
proc_wait_exit watch2 10
is "$KC_STATUS" 0 "SIGTERM stops --watch cleanly with status 0"

# ---- exit statuses and help
"$CTL" describe >/dev/null 2>&1
is "$?" 64 "describe without -c or -b/-g exits 64"
"$CTL" describe -b "$BOOTSTRAP" >/dev/null 2>&1
is "$?" 64 "-b without -g exits 64"
"$CTL" describe -c "$T/a.yaml" --count 2 >/dev/null 2>&1
is "$?" 64 "--count without --watch exits 64"
"$CTL" describe -c "$T/a.yaml" --watch soon >/dev/null 2>&1
is "$?" 64 "a --watch that is no number exits 64"
printf 'kafka:\n  bootstrap.servers: %s\ngroup:\n  id: g\n' "$BOOTSTRAP" \
    >"$T/bad.yaml"
"$CTL" describe -c "$T/bad.yaml" >/dev/null 2>"$T/bad.err"
is "$?" 78 "a -c configuration that is invalid exits 78"
ok "and the message names the file" grep -q "^$T/bad.yaml: error: " "$T/bad.err"
t0=$(now_ms)
"$CTL" describe -b 127.0.0.1:1 -g g --timeout 1500 >"$T/down.out" \
    2>"$T/down.err"
is "$?" 69 "a cluster that cannot be reached exits 69"
cmp_ok "$(($(now_ms) - t0))" -lt 10000 "within about --timeout"
ok "and says so" grep -q "cannot reach the cluster" "$T/down.err"
"$CTL" describe --help >"$T/help.txt" 2>&1
is "$?" 0 "describe --help exits 0"
ok "--help explains --watch" grep -q -- "--watch SECONDS" "$T/help.txt"
"$CTL" --help | grep -q "^  describe "
ok_status $? "kconsumerctl --help lists describe"

done_testing
