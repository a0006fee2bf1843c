#!/bin/bash
# t_live_leave: leaving on purpose (scale-down). A static member with
# shutdown.leave_group: always unsubscribes on SIGTERM, which sends
# LeaveGroup even for a static member: the broker removes it at once (its
# log says the member left) and its partitions move to the others without
# waiting for session.timeout.ms. The other way round, a dynamic member
# with shutdown.leave_group: never sends no LeaveGroup: the broker waits
# out its session. Nothing is lost. kconsumerctl timeline --broker-log
# names the coordinator's reason for each episode: the members joining,
# s1's LeaveGroup, d's session timeout.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not emulate static membership"
require_tools kcat jq

SESSION=30000
ok "topic orders (4 partitions) is created" cluster_start orders:4
ORDERS=$(topic orders)
G=$(group leave)
ok "40 messages are produced" produce "$ORDERS" 40
for i in 0 1; do
	kc_member_config "s$i" "$G" "$ORDERS" group.instance_id="\"s$i-%i\"" \
	    group.session_timeout_ms=$SESSION group.max_poll_interval_ms=30000 \
	    shutdown.leave_group=always
	kc_start "s$i" "$T/s$i.yaml"
done
L0=$(kc_log s0) L1=$(kc_log s1)
ok "the two static members settle on 2 partitions each" \
    wait_until 60 owned_split 2 "$L0" "$L1"
ok "they consume the first 40 messages" \
    wait_sink_count 40 30 "$T/s0.sink" "$T/s1.sink"

kc_stop s1 20
is "$?" 0 "s1 stops cleanly on SIGTERM"
STOP_MS=$(now_ms)
ok_broker "the broker logs s1's LeaveGroup and removes it" \
    broker_wait "$G" 'explicit `LeaveGroup` request for .*s1-0' 10
ok "s0 takes all 4 partitions" wait_until 30 owned_split 4 "$L0"
MOVED_MS=$(($(now_ms) - STOP_MS))
diag "s1's partitions moved $MOVED_MS ms after its stop (session $SESSION ms)"
cmp_ok "$MOVED_MS" -lt $((SESSION / 3)) \
    "without waiting for the session to expire"
broker_diag "$G" 5
ok "40 more messages are produced" produce "$ORDERS" 40
ok "s0 consumes them" wait_sink_count 80 30 "$T/s0.sink" "$T/s1.sink"

# ---- the other way round: a dynamic member told never to leave
kc_member_config d "$G" "$ORDERS" shutdown.leave_group=never \
    group.session_timeout_ms=6000
kc_start d "$T/d.yaml"
ok "a dynamic member d joins: 2 partitions each" \
    wait_until 60 owned_split 2 "$L0" "$(kc_log d)"
ok "40 more messages are produced" produce "$ORDERS" 40
ok_broker "s0 and d consume them" wait_sink_count 120 30 "$T/s0.sink" "$T/s1.sink" "$T/d.sink"
LEAVES=$(broker_count "$G" 'LeaveGroup')
kc_stop d 20
is "$?" 0 "d (shutdown.leave_group: never) stops cleanly on SIGTERM"
STOP_MS=$(now_ms)
ok "s0 takes all 4 partitions once d's session expires" \
    wait_until 30 owned_split 4 "$L0"
MOVED_MS=$(($(now_ms) - STOP_MS))
has_broker_log && is "$(broker_count "$G" 'LeaveGroup')" "$LEAVES" "the broker logs no LeaveGroup from d"
ok_broker "the broker removes d when its session expires" \
    broker_wait "$G" 'has failed, removing it from the group' 5
cmp_ok "$MOVED_MS" -ge 4000 "its partitions moved only then ($MOVED_MS ms, session 6000 ms)"
broker_diag "$G" 4

kc_stop s0 20
is "$?" 0 "s0 stops cleanly on SIGTERM"
ok "0 records lost" check_delivery 120 "$T/s0.sink" "$T/s1.sink" "$T/d.sink"

# The coordinator's reasons per episode, from its server.log.
if has_broker_log; then
	"$CTL" timeline --json --broker-log "$LIB_KAFKA_DIR"/node-*/server.log \
	    "$L0" "$L1" "$(kc_log d)" >"$T/tl.json" 2>"$T/tl.err"
	is "$?" 0 "kconsumerctl timeline --broker-log exits 0"
	# Print the causes of the episodes where FROM's partitions went to
	# TO, or of every episode (pure): causes_of [FROM TO].
	causes_of() {
		jq -r --arg f "${1:-}" --arg t "${2:-}" '[.episodes[] |
		    select($f == "" or any(.moves[]; .from == $f and .to == $t)) |
		    .broker_causes[] | "\(.cause) \(.member)"] | unique | join(", ")' "$T/tl.json"
	}
	# a static member joining while the group already prepares a
	# rebalance adds no line of its own: the broker may then log it
	# only as the static member it replaced (its JoinGroup retried)
	like "$(causes_of)" "(join|static_replaced) s0-0" "s0's join is a cause (member joined or static member replaced, by instance id)"
	like "$(causes_of)" "(join|static_replaced) s1-0" "and s1's"
	like "$(causes_of)" "join d:0" "and d's join"
	like "$(causes_of s1-0 s0-0)" "leave s1-0" \
	    "the episode where s1's partitions went to s0 was caused by s1's LeaveGroup"
	like "$(causes_of d:0 s0-0)" "session_timeout d:0" \
	    "the one where d's went to s0 by d's removal on session timeout"
	"$CTL" timeline --broker-log "$LIB_KAFKA_DIR"/node-1/server.log "$L0" "$L1" \
	    "$(kc_log d)" >"$T/tl.txt" 2>/dev/null
	like "$(cat "$T/tl.txt")" "broker [0-9:.]+: member removed on session timeout: d:0 \(old generation [0-9]+\)" \
	    "the table says it too"
	diag "$(grep -E '^(episode|  trigger|  broker)' "$T/tl.txt")"
else
	skip "no broker log: the cluster is not lab/kafka-local's" 6
fi
done_testing
