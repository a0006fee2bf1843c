#!/bin/bash
# t_live_txn_isolation: transaction markers, aborted records and open
# transactions are not lag, under either isolation.level. A transactional
# producer (tests/txproduce, which can abort and hold a transaction open)
# writes to a real broker. Two members, each its own group: c reads with
# read_committed (librdkafka's default), u with read_uncommitted. c skips
# the aborted records, u delivers them; once each has consumed what it
# can read, its lag is 0 in records (consumer_lag) and in seconds
# (/metrics, /assignment, SIGUSR1's state event), stays 0, and
# health.stall_ms finds nothing stalled. Then a transaction is left open
# after committed records: a read_committed member that joins then
# delivers the records before it and is not behind (the open
# transaction's records are not readable yet: the end is the last stable
# offset), shows lag 0 and is never stalled while u reads them; once the
# transaction commits it delivers them. About 15 s (25 s with its broker).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

TXPRODUCE=${TXPRODUCE:-$top_builddir/tests/txproduce}
require_live "the mock cluster has no transactions"
require_tools kcat jq curl
require_http
[ -x "$TXPRODUCE" ] || skip_all "tests/txproduce is not built"

# Fetch /metrics (or PATH) of member NAME into $T/NAME.body.
scrape() {
	curl -s --max-time 10 -o "$T/$1.body" \
	    "http://127.0.0.1:$(http_port "$1")${2:-/metrics}"
}

# Print metric M's samples of member NAME's last scrape, one value a
# line (pure).
samples() {
	awk -v m="kconsumerd_$2{" 'index($0, m) == 1 { print $2 }' \
	    "$T/$1.body"
}

# True when a scrape of NAME has N samples of M and all are 0.
all_zero() {
	scrape "$1" || return 1
	[ "$(samples "$1" "$2" | wc -l)" -eq "$3" ] &&
	    samples "$1" "$2" | awk '$1 + 0 != 0 { bad = 1 } END { exit bad }'
}

# True when NAME's lag is 0 in records and seconds for its 2 partitions.
caught_up() {
	all_zero "$1" consumer_lag 2 && all_zero "$1" partition_lag_seconds 2
}

ok "topic tx (2 partitions) is created" cluster_start tx:2
TX=$(topic tx)
ok "the transactional producer commits 10, aborts 6, commits 10" \
    eval '"$TXPRODUCE" "$BOOTSTRAP" "$TX" 2 commit:10 abort:6 commit:10 \
    >"$T/tx1.out" 2>"$T/tx1.err" || { diag "$(cat "$T/tx1.err")"; false; }'

# Start member NAME in its own group with isolation.level ISO.
start_member() {
	kc_member_config "$1" "$(group "tx-$1")" "$TX" \
	    http.listen=127.0.0.1:0 kafka.isolation.level="$2" \
	    kafka.statistics.interval.ms=500 kafka.auto.commit.interval.ms=500 \
	    health.stall_ms=1500
	kc_start "$1" "$T/$1.yaml"
	ok "member $1 ($2) serves HTTP" wait_event "$(kc_log "$1")" \
	    '.event == "http_listen" and .port > 0' 20
}
start_member c read_committed
start_member u read_uncommitted
ok "c (read_committed) delivers the 20 committed records" \
    wait_sink_count 20 30 "$T/c.sink"
ok "u (read_uncommitted) delivers all 26, the aborted ones too" \
    wait_sink_count 26 30 "$T/u.sink"
is "$(sink_distinct "$T/c.sink")" 20 "c delivers none of the aborted ones"
ok "c's lag is 0 in records and seconds for both partitions" \
    wait_until 20 caught_up c
ok "u's lag is 0 in records and seconds for both partitions" \
    wait_until 20 caught_up u
sleep 3	# the lag in time would have grown by now
ok "3 s later c's lag is still 0 in records and seconds" caught_up c
ok "and u's too" caught_up u
for name in c u; do
	ok "/assignment of $name shows lag 0 and lag_ms 0 for both partitions" \
	    eval 'scrape $name /assignment && jq -e "[.members[].partitions[] |
	    select(.lag == 0 and .lag_ms == 0)] | length == 2" \
	    "$T/$name.body" >/dev/null'
	kill -USR1 "$(proc_pid $name)"
	ok "$name's state event shows lag 0 and lag_ms 0 for both partitions" \
	    wait_event "$(kc_log $name)" '.event == "state" and
	    ([.partitions[] | select(.lag == 0 and .lag_ms == 0)] |
	    length == 2)' 10
	is "$(count_events "$(kc_log $name)" '.event == "stalled"')" 0 \
	    "$name logs no stalled event (health.stall_ms 1500)"
done

# ---- a transaction left open after committed records
proc_start tx2 "$T/tx2.out" "$T/tx2.err" \
    "$TXPRODUCE" "$BOOTSTRAP" "$TX" 2 commit:4 hold:4:90000
ok "u reads the committed records and the open transaction's" \
    wait_sink_count 34 30 "$T/u.sink"
start_member o read_committed
ok "o, a new read_committed member, delivers the 24 committed records" \
    wait_sink_count 24 30 "$T/o.sink"
ok "o is not behind: lag 0 in records and seconds" wait_until 20 caught_up o
sleep 3	# health.stall_ms is 1.5 s
ok "3 s later o is still not behind" caught_up o
is "$(count_events "$(kc_log o)" '.event == "stalled"')" 0 \
    "o logs no stalled event while the transaction is open"
is "$(sink_distinct "$T/o.sink")" 24 "and delivered none of its records"
ok "(the transaction is still open)" kill -USR1 "$(proc_pid tx2)"
proc_wait_exit tx2 60
is "$?" 0 "then it is committed"
ok "o then delivers its 4 records" wait_sink_count 28 30 "$T/o.sink"
ok "and is caught up again" wait_until 20 caught_up o
ok "c, there from the start, delivers the 28 committed records too" \
    wait_sink_count 28 30 "$T/c.sink"
is "$(sink_count "$T/c.sink") $(sink_count "$T/o.sink") $(sink_count "$T/u.sink")" \
    "28 28 34" "no record lost or delivered twice (c, o: 28 committed; u: 34 with the aborted)"
for name in c u o; do
	kc_stop $name 20
	is "$?" 0 "$name stops cleanly"
done
done_testing
