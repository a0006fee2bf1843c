#!/bin/bash
# t_live_transactions: lag counts records, not transaction markers. On a
# real broker, Kafka's own transactional producer (ProducerPerformance
# with a transactional id) writes 60 records to one partition in several
# committed transactions: every commit marker occupies an offset, so the
# log ends past the records. Once kconsumerd has written the 60 records,
# kconsumerd_partition_lag_seconds is 0 and stays 0 (it does
# not grow with the age of the last record before a marker), the group's
# committed offsets reach the log end (kconsumerd stores the offset past
# the markers once every record before them is stored), so Kafka's lag
# and kconsumerctl describe's are 0, and the sink holds the 60 records,
# each once. About 20 s (two JVM starts).

# Wait conditions are eval'd strings that name variables.
# shellcheck disable=SC2016
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster writes no transaction markers"
require_tools kcat jq java curl
require_http

# one partition: the producer's sticky partitioner may leave another empty
ok "topic txn (1 partition) is created" cluster_start txn:1
TOPIC=$(topic txn)
G=$(group txn)
RECORDS=60

ok "Kafka's transactional producer writes $RECORDS records in transactions of 100 ms" \
    "$KAFKA_LOCAL" run org.apache.kafka.tools.ProducerPerformance --topic "$TOPIC" \
    --num-records "$RECORDS" --record-size 16 --throughput 200 \
    --transactional-id "txn-$G" --transaction-duration-ms 100 \
    --producer-props bootstrap.servers="$BOOTSTRAP"

# Print the sum of TOPIC's log-end offsets (pure).
log_end_sum() {
	log_offsets "$TOPIC" | awk '{ s += $4 } END { print s + 0 }'
}
END=$(log_end_sum)
cmp_ok "$END" -gt "$RECORDS" \
    "the log ends past the $RECORDS records ($END): the commit markers occupy offsets"

kc_member_config a "$G" "$TOPIC" http.listen=127.0.0.1:0 \
    kafka.auto.commit.interval.ms=500
kc_start a "$T/a.yaml"
ok "kconsumerd a serves HTTP" \
    wait_event "$(kc_log a)" '.event == "http_listen" and .port > 0' 10
PORT=$(http_port a)
ok "a writes the $RECORDS records" wait_sink_count "$RECORDS" 60 "$T/a.sink"
is "$(sink_count "$T/a.sink")" "$RECORDS" "each of them once, and no marker as a record"

# True when /metrics has the partition's lag seconds sample, and it is 0.
lag_seconds_zero() {
	curl -s --max-time 10 "http://127.0.0.1:$PORT/metrics" >"$T/metrics" || return 1
	[ "$(grep -c '^kconsumerd_partition_lag_seconds{' "$T/metrics")" -eq 1 ] &&
	    ! grep '^kconsumerd_partition_lag_seconds{' "$T/metrics" |
	    awk '$2 + 0 != 0 { found = 1 } END { exit !found }'
}
ok "caught up, the partition shows lag seconds 0 although a marker follows the last record" \
    wait_until 30 lag_seconds_zero
sleep 3
ok "3 s later still 0: the lag does not grow with the last record's age" lag_seconds_zero ||
    diag "$(grep '^kconsumerd_partition_lag_seconds' "$T/metrics")"

# True when the group's committed offsets add up to the log end.
committed_at_end() {
	"$CTL" describe -c "$T/a.yaml" --json >"$T/d.json" 2>/dev/null &&
	    [ "$(jq '.totals.committed' "$T/d.json")" -eq "$END" ]
}
ok "the group's committed offsets reach the log end ($END), past the markers" \
    wait_until 30 committed_at_end
is "$(jq -c '[.totals.lag, .totals.lag_seconds_max]' "$T/d.json")" "[0,0]" \
    "kconsumerctl describe: lag 0 and lag in time 0"
kafka_groups --describe --group "$G" >"$T/kafka.txt" 2>/dev/null
# its columns by header name (they moved in Kafka 4, KIP-1099)
is "$(awk '$1 == "GROUP" { for (i = 1; i <= NF; i++) if ($i == "LAG") c = i; next }
    c && $1 == G { s += $c; n++ } END { print (n ? s : "none") }' G="$G" "$T/kafka.txt")" 0 \
    "Kafka's own consumer-group tool shows lag 0"
kc_stop a 30
is "$?" 0 "kconsumerd a stops cleanly"
done_testing
