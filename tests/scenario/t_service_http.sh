#!/bin/bash
# t_service_http: the HTTP endpoint against a daemon on the mock cluster.
# /readyz is 503 before the members join and 200 after; /healthz is 200
# while members poll and 503 while one is stuck in processing; /metrics is
# Prometheus text format (every sample declared with HELP and TYPE,
# counters never go down between scrapes) whose message counter matches
# the sink's line count and which reports lag from librdkafka's
# statistics; /assignment lists each member's partitions; other paths are
# 404 and other methods 405; 200 scrapes, as many at a time as one
# address may open (8), do not stall consumption.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CURL=${CURL:-$(command -v curl)}
require_tools kcat jq mock
[ -n "$CURL" ] && [ -x "$CURL" ] || skip_all "curl is not installed"
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no HTTP endpoint"

# Fetch PATH from NAME into $T/body; print the status code:
# http_get NAME PATH [CURL-ARGS...].
http_get() {
	local name=$1 path=$2
	shift 2
	"$CURL" -s --max-time 10 -o "$T/body" -w '%{http_code}' "$@" \
	    "http://127.0.0.1:${PORTS[$name]}$path"
}

# True when PATH of NAME answers CODE.
http_is() {
	[ "$(http_get "$1" "$2")" = "$3" ]
}

# Check a Prometheus text exposition in FILE: every sample belongs to a
# metric declared before it with HELP and TYPE, names and labels are
# well-formed, counters end in _total. Prints what is wrong.
prom_check() {
	awk '
	/^# HELP / { help[$3] = 1; next }
	/^# TYPE / { type[$3] = $4; next }
	/^#/ || /^$/ { next }
	{
		name = $1
		sub(/\{.*/, "", name)
		base = name
		sub(/_(bucket|sum|count)$/, "", base)
		if (!(name in type) && type[base] == "histogram")
			name = base
		if (!(name in type) || !(name in help)) {
			print "undeclared: " $0; bad = 1
		}
		if ($0 !~ /^kconsumerd_[a-z_]+(\{[a-z_]+="[^"\\]*"(,[a-z_]+="[^"\\]*")*\})? -?[0-9][0-9.e+-]*$/) {
			print "malformed: " $0; bad = 1
		}
		if (type[name] == "counter" && name !~ /_total$/) {
			print "counter without _total: " $0; bad = 1
		}
		n++
	}
	END { if (n == 0) { print "no samples"; bad = 1 }; exit bad }' "$1"
}

# Print "series value" for every counter sample of FILE (pure).
prom_counters() {
	awk '/^# TYPE / { type[$3] = $4; next } /^#/ || /^$/ { next }
	    { name = $1; sub(/\{.*/, "", name)
	      if (type[name] == "counter") print $1, $2 }' "$1"
}

# Check that no counter of scrape FILE1 is lower or missing in FILE2.
prom_monotonic() {
	prom_counters "$1" >"$T/c1"
	prom_counters "$2" >"$T/c2"
	awk 'FNR == NR { v[$1] = $2; next } { seen[$1] = 1
	    if ($1 in v && $2 + 0 < v[$1] + 0) { print "went down: " $1; bad = 1 } }
	    END { for (s in v) if (!(s in seen)) { print "vanished: " s; bad = 1 }
	    exit bad }' "$T/c1" "$T/c2"
}

# Print the sum of the samples of METRIC in FILE (pure).
prom_sum() {
	awk -v m="$2" '$1 ~ "^" m "({|$)" { s += $2 } END { print s + 0 }' "$1"
}

declare -A PORTS

ok "the cluster starts with topics orders (4 partitions) and slow (1)" \
    cluster_start -b 1 orders:4 slow:1
ORDERS=$(topic orders)
SLOW=$(topic slow)
ok "400 messages are produced" produce "$ORDERS" 400

kc_member_config a "$(group http)" "$ORDERS" kafka.statistics.interval.ms=500 \
    consumers=2 http.listen=127.0.0.1:0 experiment.processing_delay_us=1000
kc_start a "$T/a.yaml"
ok "kconsumerd logs the address it serves" \
    wait_event "$(kc_log a)" '.event == "http_listen" and .port > 0' 10
PORTS[a]=$(http_port a)
code=$(http_get a /readyz)
is "$code" 503 "/readyz is 503 before the members join"
like "$(cat "$T/body")" "joining" "and says which member is joining"
is "$(http_get a /healthz)" 200 "/healthz is 200 while the members poll"
ok "both members get their first assignment" \
    wait_event "$(kc_log a)" '.event == "assign"' 30 2
ok "/readyz turns 200 once they are assigned and not rebalancing" \
    wait_until 30 http_is a /readyz 200
ok "every message reaches the sink" wait_sink_count 400 30 "$T/a.sink"

# /metrics
ok "/metrics reports the lag of all 4 partitions (librdkafka statistics)" \
    wait_until 15 eval 'http_get a /metrics >/dev/null;
	[ "$(grep -c "^kconsumerd_consumer_lag{" "$T/body")" -eq 4 ]'
# the sink is written before the counter: wait until they agree
ok "the message counter matches the sink's line count" \
    wait_until 10 eval 'http_get a /metrics >/dev/null;
	[ "$(prom_sum "$T/body" kconsumerd_messages_total)" -eq "$(wc -l <"$T/a.sink")" ]'
cp "$T/body" "$T/scrape1"
ok "/metrics parses as Prometheus text format" prom_check "$T/scrape1"
for m in messages_total bytes_total rebalance_events_total \
    rdkafka_rebalances_total partitions_owned seconds_since_last_poll \
    consumer_lag sink_errors_total commit_failures_total last_pause_seconds \
    partition_lag_seconds partition_stalled; do
	ok "/metrics declares kconsumerd_$m" grep -q "^# TYPE kconsumerd_$m " "$T/scrape1"
done
for m in partition_pause_seconds rebalance_duration_seconds; do
	ok "/metrics declares kconsumerd_$m as a histogram" \
	    grep -q "^# TYPE kconsumerd_$m histogram$" "$T/scrape1"
done
is "$(prom_sum "$T/scrape1" kconsumerd_partitions_owned)" 4 \
    "the members own the 4 partitions between them"
cmp_ok "$(grep -c '^kconsumerd_rebalance_events_total{.*kind="assign",protocol="COOPERATIVE"}' "$T/scrape1")" \
    -eq 2 "rebalance events are counted per member, kind and protocol"
like "$(grep '^kconsumerd_messages_total{' "$T/scrape1" | head -n 1)" \
    "^kconsumerd_messages_total\{consumer=\"[01]\",topic=\"$ORDERS\"\} [0-9]+$" \
    "messages are counted per member and topic"

# /assignment
is "$(http_get a /assignment)" 200 "/assignment answers 200"
is "$(jq '.members | length' "$T/body")" 2 "/assignment lists both members"
is "$(jq '[.members[].partitions[]] | length' "$T/body")" 4 \
    "and the 4 partitions between them"
is "$(jq '[.members[] | select(.member_id != "" and .protocol == "COOPERATIVE" and .state == "assigned")] | length' "$T/body")" \
    2 "each with its member id, protocol and state"
ok "each partition has position, committed offset and lag" \
    jq -e '[.members[].partitions[] | has("position") and has("committed") and has("lag")] | all' "$T/body"

# errors
is "$(http_get a /nope)" 404 "an unknown path is 404"
is "$(http_get a /metrics -X POST -d x=1)" 405 "POST is 405"
is "$(http_get a /healthz -X DELETE)" 405 "DELETE is 405"
like "$("$CURL" -s -D - -o /dev/null -X PUT "http://127.0.0.1:${PORTS[a]}/readyz" |
    tr -d '\r' | grep -i '^allow:')" '^[Aa]llow: GET' "a 405 says Allow: GET"

# 200 scrapes while consuming, 8 at a time: the per-address connection
# limit (http_guard.h; t_http_limits checks what lies beyond it)
ok "2000 more messages are produced" produce "$ORDERS" 2000
ok "consumption of them has begun" \
    wait_until 20 eval '[ "$(wc -l <"$T/a.sink")" -gt 500 ]'
before=$(wc -l <"$T/a.sink")
seq 200 | xargs -P 8 -I{} "$CURL" -s --max-time 30 -o /dev/null \
    -w '%{http_code}\n' "http://127.0.0.1:${PORTS[a]}/metrics" >"$T/codes"
after=$(wc -l <"$T/a.sink")
is "$(grep -c '^200$' "$T/codes")" 200 "200 scrapes, 8 at a time, all answer 200"
cmp_ok "$after" -gt "$before" "consumption went on during the scrapes ($before -> $after lines)"
ok "and every message still reaches the sink" wait_sink_count 2400 60 "$T/a.sink"
http_get a /metrics >/dev/null
cp "$T/body" "$T/scrape2"
ok "the second scrape parses too" prom_check "$T/scrape2"
ok "no counter went down or vanished between the scrapes" \
    prom_monotonic "$T/scrape1" "$T/scrape2"
kc_stop a 30
is "$?" 0 "kconsumerd a stops cleanly"

# /healthz while a member is stuck in processing
kc_member_config b "$(group stuck)" "$SLOW" group.max_poll_interval_ms=6000 \
    http.listen=127.0.0.1:0 experiment.processing_delay_us=20000000
kc_start b "$T/b.yaml"
ok "kconsumerd b serves HTTP" wait_event "$(kc_log b)" '.event == "http_listen"' 10
PORTS[b]=$(http_port b)
ok "b is ready once assigned" wait_until 30 http_is b /readyz 200
is "$(http_get b /healthz)" 200 "/healthz is 200 while it polls"
ok "one message is produced to slow" produce "$SLOW" 1
ok "/healthz turns 503 while the member is stuck (half of max_poll_interval_ms)" \
    wait_until 15 http_is b /healthz 503
like "$(cat "$T/body")" "consumer 0 has not polled for [0-9]+ ms" \
    "and says which member stopped polling"
kc_stop b 30
is "$?" 0 "kconsumerd b stops cleanly while stuck"
done_testing
