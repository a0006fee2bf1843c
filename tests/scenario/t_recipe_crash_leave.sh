#!/bin/bash
# t_recipe_crash_leave: recipe 2 of doc/experiments.md. Of three dynamic
# members, one is killed with SIGKILL: its partitions wait for the
# coordinator to notice (session.timeout.ms, 6 s here) before anyone gets
# them. Then one stops with SIGTERM: it sends LeaveGroup, the group
# rebalances at once, and its partitions pause for less.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/recipe_lib.sh"

require_tools kcat jq mock

ok "the cluster starts with orders (6 partitions)" cluster_start -b 3 orders:6
ORDERS=$(topic orders)
G=$(group crash)
for m in a b c; do
	recipe_config "$m" "$G" cooperative-sticky "$ORDERS" 6000 1000
	kc_start "$m" "$T/$m.yaml"
done
ok "three members settle on 6 partitions" wait_settled 6 40 a b c
ok "the group is quiet" wait_quiet 30 a b c

# SIGUSR1 first: its state line marks when c was last alive in its log.
kill -USR1 "$(proc_pid c)"
ok "member c logs its state" wait_event "$(kc_log c)" '.event == "state"' 10
c_owned=$(last_assignment c)
kc_kill c
ok "after SIGKILL, a and b take all 6 partitions" wait_settled 6 40 a b
ok "the group is quiet again" wait_quiet 30 a b
kc_stop b 20
is "$?" 0 "member b stops cleanly on SIGTERM"
ok "a takes all 6 partitions" wait_settled 6 30 a

ok "timeline --json reads the three logs" recipe_timeline "$T/tl.json" a b c
C=$(member_label "$T/tl.json" c)
B=$(member_label "$T/tl.json" b)
CRASH=$(recipe_episode "$T/tl.json" vanished "$C")
LEAVE=$(recipe_episode "$T/tl.json" stop "$B")
isnt "$CRASH" "" "an episode is triggered by c disappearing (no stop event)"
isnt "$LEAVE" "" "an episode is triggered by b's stop"
crash_min=$(jq --arg c "$C" '[.moves[] | select(.from == $c) | .pause_ms] |
    min // -1' <<<"$CRASH")
leave_max=$(jq --arg b "$B" '[.moves[] | select(.from == $b) | .pause_ms] |
    max // -1' <<<"$LEAVE")
diag "killed member's partitions paused $(jq -c --arg c "$C" \
    '[.moves[] | select(.from == $c) | .pause_ms]' <<<"$CRASH") ms"
diag "stopped member's partitions paused $(jq -c --arg b "$B" \
    '[.moves[] | select(.from == $b) | .pause_ms]' <<<"$LEAVE") ms"
is "$(jq --arg c "$C" '[.moves[] | select(.from == $c)] | length' \
    <<<"$CRASH")" "$c_owned" "all $c_owned partitions of c move in that episode"
cmp_ok "$crash_min" -ge 5500 \
    "the killed member's partitions pause at least about session.timeout.ms (6000)"
cmp_ok "$leave_max" -ge 0 "the stopped member's partitions get a new owner"
cmp_ok "$leave_max" -lt "$crash_min" \
    "a clean leave pauses them for less than a crash"
is "$(jq -r .trigger <<<"$CRASH")" "member $C disappeared (no stop event)" \
    "the table names the crash as a disappearance"

kc_stop a 20 >/dev/null
done_testing
