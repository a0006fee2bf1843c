#!/bin/bash
# t_lag_seconds: kconsumerd_partition_lag_seconds on the mock cluster. A
# member slowed with processing_delay_us shows lag in seconds above 0 that
# grows with wall time, in /metrics, /assignment (lag_ms) and SIGUSR1's
# state event; caught up it shows 0; after a revoke the partition's series
# is gone at once. The revoke is in kconsumerd_rebalance_duration_seconds,
# and the partition's return, once the other process stops, in
# kconsumerd_partition_pause_seconds; promtool, when installed, finds
# nothing to lint in the page; and every metric the example Prometheus
# rules (conf/prometheus) use is one the page declares.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CURL=${CURL:-$(command -v curl)}
PROMTOOL=${PROMTOOL:-$(command -v promtool)}
require_tools kcat jq mock
[ -n "$CURL" ] && [ -x "$CURL" ] || skip_all "curl is not installed"
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no HTTP endpoint"

# Fetch /metrics (or PATH) of kconsumerd a into $T/body.
scrape() {
	"$CURL" -s --max-time 10 -o "$T/body" \
	    "http://127.0.0.1:$PORT${1:-/metrics}"
}

# Print the lag seconds of partition P in $T/body, or nothing (pure).
lag_of() {
	awk -v p="partition=\"$1\"" '/^kconsumerd_partition_lag_seconds\{/ &&
	    index($0, p) { print $2 }' "$T/body"
}

# True when partition P's lag seconds exceed X (scrapes).
lag_above() {
	local v
	scrape && v=$(lag_of "$1") && [ -n "$v" ] &&
	    awk -v v="$v" -v x="$2" 'BEGIN { exit !(v > x) }'
}

# True when every lag seconds sample of a scrape is 0 and there are N.
lag_all_zero() {
	scrape || return 1
	[ "$(grep -c '^kconsumerd_partition_lag_seconds{' "$T/body")" -eq "$1" ] &&
	    ! grep '^kconsumerd_partition_lag_seconds{' "$T/body" |
	    awk '$2 + 0 != 0 { found = 1 } END { exit !found }'
}

ok "the cluster starts with topic lag (2 partitions)" \
    cluster_start -b 1 lag:2
TOPIC=$(topic lag)
GROUP=$(group lag)
ok "300 messages are produced" produce "$TOPIC" 300

kc_member_config a "$GROUP" "$TOPIC" http.listen=127.0.0.1:0 \
    experiment.processing_delay_us=40000
kc_start a "$T/a.yaml"
ok "kconsumerd a serves HTTP" \
    wait_event "$(kc_log a)" '.event == "http_listen" and .port > 0' 10
PORT=$(http_port a)
ok "a is assigned" wait_event "$(kc_log a)" '.event == "assign"' 30
ok "/metrics declares kconsumerd_partition_lag_seconds as a gauge" \
    wait_until 10 eval 'scrape && grep -q "^# TYPE kconsumerd_partition_lag_seconds gauge$" "$T/body"'
ok "while slowed, partition 0 or 1 shows lag seconds above 0.5" \
    wait_until 20 eval 'lag_above 0 0.5 || lag_above 1 0.5'
scrape
p=0; [ -n "$(lag_of 0)" ] && awk -v v="$(lag_of 0)" 'BEGIN { exit !(v > 0.5) }' || p=1
first=$(lag_of $p)
diag "partition $p lag seconds: $first"
t0=$(now_ms)
ok "partition $p's lag seconds grow with wall time (by 1.5 s)" \
    wait_until 10 lag_above $p "$(awk -v v="$first" 'BEGIN { print v + 1.5 }')"
second=$(lag_of $p)
t1=$(now_ms)
diag "partition $p lag seconds: $first -> $second in $((t1 - t0)) ms"
cmp_ok "$(awk -v a="$first" -v b="$second" -v ms=$((t1 - t0)) \
    'BEGIN { print int((b - a) * 1000 <= ms + 1000) }')" -eq 1 \
    "and not faster than the wall clock (plus a second of scrape skew)"
ok "/assignment shows lag_ms above 0 for it" \
    eval 'scrape /assignment && jq -e --argjson p '$p' "[.members[].partitions[] | select(.partition == \$p) | .lag_ms > 0] | any" "$T/body" >/dev/null'
kill -USR1 "$(proc_pid a)"
ok "SIGUSR1's state event gives each partition a lag_ms" \
    wait_event "$(kc_log a)" '.event == "state" and (.partitions | length) == 2 and all(.partitions[]; has("lag_ms"))' 10

ok "every message reaches the sink" wait_sink_count 300 60 "$T/a.sink"
ok "caught up, both partitions show lag seconds 0" \
    wait_until 10 lag_all_zero 2
ok "and /assignment shows lag_ms 0" \
    eval 'scrape /assignment && jq -e "[.members[].partitions[] | .lag_ms == 0] | all" "$T/body" >/dev/null'

# a second process joins: a gives one partition up
kc_member_config b "$GROUP" "$TOPIC"
kc_start b "$T/b.yaml"
ok "b is assigned a partition" \
    wait_event "$(kc_log b)" '.event == "assign" and (.partitions | length) > 0' 30
ok "a has a revoke event" wait_event "$(kc_log a)" '.event == "revoke"' 30
gone=$(jq -r 'select(.event == "assign") | .partitions[] | .partition' "$(kc_log b)" | head -n 1)
ok "the partition b took ($gone) has no lag seconds series in a's /metrics" \
    wait_until 10 eval 'scrape && [ -z "$(lag_of '"$gone"')" ]'
scrape /assignment
is "$(jq "[.members[].partitions[] | select(.partition == $gone)] | length" "$T/body")" 0 \
    "nor in a's /assignment"
scrape
ok "a's rebalance (revoke to assign) is in kconsumerd_rebalance_duration_seconds" \
    grep -q '^kconsumerd_rebalance_duration_seconds_count{consumer="0"} [1-9]' "$T/body"
is "$(grep -c '^kconsumerd_partition_pause_seconds_count{consumer="0"} 0$' "$T/body")" 1 \
    "no pause observed yet: nothing came back to the process"
t0=$(now_ms)
kc_stop b 30
is "$?" 0 "kconsumerd b stops cleanly"
ok "a is assigned partition $gone back" \
    wait_event "$(kc_log a)" ".event == \"assign\" and any(.partitions[]; .partition == $gone)" 30 2
t1=$(now_ms)
scrape
is "$(grep -c '^kconsumerd_partition_pause_seconds_count{consumer="0"} 1$' "$T/body")" 1 \
    "kconsumerd_partition_pause_seconds observed its time away from the process"
cp "$T/body" "$T/scrape"
if [ -n "$PROMTOOL" ] && [ -x "$PROMTOOL" ]; then
	ok "promtool check metrics finds nothing wrong in the scrape" \
	    eval '"$PROMTOOL" check metrics <"$T/scrape" >"$T/promtool.out" 2>&1 ||
	    { diag "$(cat "$T/promtool.out")"; false; }'
else
	skip "promtool is not installed (PROMTOOL=/path/to/promtool)" 1
fi
RULES=$top_srcdir/conf/prometheus/kconsumerd.rules.yml
# the metric names in the rules: not the recorded ones (level:name:op)
metric_names() {
	grep -oE '(^|[^:_a-z])kconsumerd_[a-z_]+' "$RULES" | sed 's/^[^k]*//' |
	    sed -E 's/_(bucket|sum|count)$//' | sort -u
}
undeclared=$(metric_names | while read -r name; do
	grep -q "^# TYPE $name " "$T/scrape" || echo "$name"
done)
used=$(metric_names | wc -l)
is "$undeclared" "" "the $used metrics conf/prometheus's rules use are all declared in /metrics"
sum=$(awk '/^kconsumerd_partition_pause_seconds_sum\{consumer="0"\}/ { print $2 }' "$T/body")
diag "pause of partition $gone: $sum s (b's stop took $((t1 - t0)) ms)"
cmp_ok "$(awk -v s="$sum" -v ms=$((t1 - t0)) 'BEGIN { print int(s > 0 && s * 1000 >= ms - 1000) }')" \
    -eq 1 "at least as long as it took b to stop and a to take it (less a second of skew)"
kc_stop a 30
is "$?" 0 "kconsumerd a stops cleanly"
done_testing
