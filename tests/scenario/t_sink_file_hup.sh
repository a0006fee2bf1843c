#!/bin/bash
# t_sink_file_hup: log rotation. After the sink file and log.file are
# moved away, SIGHUP makes kconsumerd reopen both paths: new records land
# in the new sink file, new events in the new log file, and the two sink
# files together hold every offset once.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (3 partitions)" cluster_start -b 3 orders:3
ORDERS=$(topic orders)
N=150
M=120

kc_member_config a "$(group hup)" "$ORDERS" log.file="$T/events.log" \
    sink.path="$T/orders.sink"

ok "$N messages are produced" produce "$ORDERS" $N
kc_start a "$T/a.yaml"
ok "the event log goes to log.file" \
    wait_event "$T/events.log" '.event == "assign" and .assignment == 3' 30
ok "all $N records reach the sink file" wait_sink_count $N 30 "$T/orders.sink"
is "$(wc -c <"$(kc_log a)")" 0 "nothing is written to standard error"

mv "$T/orders.sink" "$T/orders.sink.1"
mv "$T/events.log" "$T/events.log.1"
kill -HUP "$(proc_pid a)"
ok "after SIGHUP a new log file is created at log.file" \
    wait_until 10 test -s "$T/events.log"
ok "the new log file says the sink file is being reopened" \
    wait_event "$T/events.log" '.event == "log" and (.msg | test("^sink file .*: reopening$"))' 10
ok "the old log file ends with the SIGHUP line" \
    wait_event "$T/events.log.1" '.event == "log" and (.msg | test("^SIGHUP: reopening the sink and log files"))' 5
ok "$M more messages are produced" produce "$ORDERS" $M
ok "they land in a new sink file at sink.path" wait_sink_count $M 30 "$T/orders.sink"
kc_stop a 20
is "$?" 0 "kconsumerd exits 0 on SIGTERM"
is "$(wc -l <"$T/orders.sink.1")" $N "the moved sink file kept exactly the first $N records"
is "$(jq -s '[.[] | select(.offset >= 0)] | length' "$T/orders.sink")" $M \
    "the new sink file holds exactly the $M new records"
ok "together they hold every offset" \
    check_delivery $((N + M)) "$T/orders.sink.1" "$T/orders.sink"
is "$DELIVERY_DUPLICATES" 0 "none twice"
is "$(count_events "$T/events.log" '.event == "stop" and .result == "ok"')" 1 \
    "the stop event is written to the new log file"
is "$(count_events "$T/events.log.1" '.event == "stop"')" 0 \
    "and not to the moved one"

done_testing
