#!/bin/bash
# t_shutdown_unreachable: with every broker down, SIGTERM still ends
# kconsumerd within shutdown.timeout_ms (plus a margin): close is
# abandoned at the deadline instead of hanging, the exit status is 0 and a
# line says the final commit could not be made. A second SIGTERM during
# such a shutdown exits at once with 128+15.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock
require_mock "it takes every broker down"

ok "the cluster starts with topic orders (2 partitions)" cluster_start -b 3 orders:2
ORDERS=$(topic orders)
TIMEOUT_MS=3000

for name in a b; do
	kc_member_config $name "$(group unreachable-$name)" "$ORDERS" \
	    shutdown.timeout_ms=$TIMEOUT_MS
done

ok "50 messages are produced" produce "$ORDERS" 50
kc_start a "$T/a.yaml"
ok "member a is assigned both partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 2' 30
ok "and writes the 50 records" wait_sink_count 50 30 "$T/a.sink"
ok "every broker goes down" mock_cmd "broker down -1"
t0=$(now_ms)
kc_stop a 30
st=$?
elapsed=$(($(now_ms) - t0))
diag "SIGTERM with the brokers down: exit $st after $elapsed ms (shutdown.timeout_ms $TIMEOUT_MS)"
is "$st" 0 "kconsumerd exits 0 (a clean stop) although no broker answers"
cmp_ok "$elapsed" -le $((TIMEOUT_MS + 2000)) \
    "it exits within shutdown.timeout_ms + 2 s"
ok "a warning says close did not finish and nothing was committed finally" \
    wait_event "$(kc_log a)" '.level == "warn" and .event == "log" and (.msg | test("close did not finish within shutdown.timeout_ms"))' 1
is "$(count_events "$(kc_log a)" '.event == "stop"')" 1 "the member still logs its stop event"
ok "the brokers come back" mock_cmd "broker up -1"

kc_start b "$T/b.yaml"
ok "member b is assigned both partitions" \
    wait_event "$(kc_log b)" '.event == "assign" and .assignment == 2' 30
# records of its own to commit, so that its close waits for the brokers
# (a member with nothing to commit and no coordinator closes at once)
ok "20 more messages are produced" produce "$ORDERS" 20
ok "b writes them" wait_until 30 eval '[ "$(sink_count "$T/b.sink")" -ge 20 ]'
ok "every broker goes down again" mock_cmd "broker down -1"
kill -TERM "$(proc_pid b)"
ok "b starts its clean stop" \
    wait_event "$(kc_log b)" '.event == "log" and (.msg | test("^stopping"))' 5
t0=$(now_ms)
kill -TERM "$(proc_pid b)"
kc_wait_exit b 5
st=$?
elapsed=$(($(now_ms) - t0))
is "$st" 143 "a second SIGTERM exits at once with status 128+15"
cmp_ok "$elapsed" -lt 1500 "within 1.5 s of the second signal"
ok "it says it exits without the final commit" \
    wait_event "$(kc_log b)" '.level == "warn" and (.msg | test("second .*: exiting at once without the final commit"))' 1
mock_cmd "broker up -1"

done_testing
