#!/bin/bash
# t_state: SIGUSR1 makes each member log one state event listing its
# partitions with position, committed offset and lag (numbers); the
# position is where consumption stands, and the partitions of all members
# together are the whole topic.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (4 partitions)" cluster_start -b 3 orders:4
ORDERS=$(topic orders)
N=400

kc_member_config a "$(group state)" "$ORDERS" \
    kafka.auto.commit.interval.ms=200 consumers=2 sink.path="$T/orders.sink"

ok "$N messages are produced" produce "$ORDERS" $N
kc_start a "$T/a.yaml"
LOG=$(kc_log a)
ok "member 0 is assigned 2 partitions" \
    wait_event "$LOG" '.event == "assign" and .consumer == 0 and .assignment == 2' 30
ok "member 1 is assigned 2 partitions" \
    wait_event "$LOG" '.event == "assign" and .consumer == 1 and .assignment == 2' 30
ok "all $N records reach the sink" wait_sink_count $N 30 "$T/orders.sink"
is "$(count_events "$LOG" '.event == "state"')" 0 "no state event before SIGUSR1"
kill -USR1 "$(proc_pid a)"
ok "SIGUSR1 logs a state event for each member" \
    wait_event "$LOG" '.event == "state"' 10 2
is "$(jq -r 'select(.event == "state") | .consumer' "$LOG" | sort | tr '\n' ' ')" "0 1 " \
    "exactly one state event per member (0 and 1)"
is "$(count_events "$LOG" '.event == "state" and (.partitions | type) == "array" and
    all(.partitions[]; (keys == ["committed", "lag", "lag_ms", "partition", "position", "topic"]) and
        (.position | type) == "number" and (.committed | type) == "number" and
        (.lag | type) == "number" and (.lag_ms | type) == "number")')" 2 \
    "each lists partitions with exactly topic, partition, position, committed, lag, lag_ms; numbers"
is "$(jq -r 'select(.event == "state") | .partitions[] | "\(.partition)"' "$LOG" | sort -n | tr '\n' ' ')" \
    "0 1 2 3 " "together they cover the 4 partitions, each once"
# What was consumed: per partition, one past the last offset in the sink.
consumed=$(jq -r '"\(.partition) \(.offset)"' "$T/orders.sink" |
    awk '{ if ($2 + 1 > m[$1]) m[$1] = $2 + 1 } END { for (p in m) print p, m[p] }' | sort -n)
is "$(jq -r 'select(.event == "state") | .partitions[] | "\(.partition) \(.position)"' "$LOG" | sort -n)" \
    "$consumed" "each position is one past the last offset written to the sink"
is "$(log_offsets "$ORDERS" | awk '{ print $2, $4 }' | sort -n)" "$consumed" \
    "(which is the log end: everything was consumed)"
is "$(count_events "$LOG" '.event == "state" and all(.partitions[]; .lag == 0)')" 2 \
    "the lag is 0 everywhere"
is "$(count_events "$LOG" '.event == "state" and all(.partitions[]; .committed >= -1 and .committed <= .position)')" 2 \
    "committed offsets are -1 (none yet) or at most the position"
is "$(jq -s '[.[] | select(.event == "state") | .messages] | add' "$LOG")" "$(sink_count "$T/orders.sink")" \
    "the members' message counts add up to the records in the sink"
is "$(count_events "$LOG" '.event == "state" and .assignment == 2')" 2 \
    "each reports an assignment of 2"
# Once auto commit has run, committed reaches the position.
last_states_committed() {
	local before
	before=$(count_events "$LOG" '.event == "state"')
	kill -USR1 "$(proc_pid a)"
	wait_event "$LOG" '.event == "state"' 5 $((before + 2)) || return 1
	[ "$(jq -s -c '[.[] | select(.event == "state")] | .[-2:] |
	    [.[].partitions[] | select(.committed == .position)] | length' "$LOG")" -eq 4 ]
}
ok "a later SIGUSR1 shows committed equal to the position on all 4 partitions" \
    wait_until 10 last_states_committed
kc_stop a 20
is "$?" 0 "kconsumerd exits 0 on SIGTERM"

done_testing
