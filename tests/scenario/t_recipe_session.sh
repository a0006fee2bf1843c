#!/bin/bash
# t_recipe_session: recipe 5 of doc/experiments.md. Two groups side by
# side, one with session.timeout.ms 6000 (heartbeats every 1000 ms), one
# with 10000 (every 3000 ms); one member of each is killed at the same
# time. The group with the longer session notices later: its dead
# member's partitions pause longer.

# Wait conditions are eval'd strings that name variables.
# shellcheck disable=SC2016

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
RECIPE_GAP_MS=10000
. "$top_srcdir/tests/recipe_lib.sh"

require_tools kcat jq mock

ok "the cluster starts with orders (4 partitions)" cluster_start -b 3 orders:4
ORDERS=$(topic orders)
for m in a b; do
	recipe_config "f$m" "$(group fast)" cooperative-sticky "$ORDERS" 6000 1000
	recipe_config "s$m" "$(group slow)" cooperative-sticky "$ORDERS" 10000 3000
	kc_start "f$m" "$T/f$m.yaml"
	kc_start "s$m" "$T/s$m.yaml"
done
ok "session 6000: two members settle on 4 partitions" wait_settled 4 40 fa fb
ok "session 10000: two members settle on 4 partitions" wait_settled 4 40 sa sb
ok "both groups are quiet" wait_quiet 40 fa fb sa sb

kill -USR1 "$(proc_pid fb)" "$(proc_pid sb)"
ok "the two victims log their state" wait_until 10 eval \
    '[ "$(count_events "$(kc_log fb)" ".event == \"state\"")" -ge 1 ] &&
    [ "$(count_events "$(kc_log sb)" ".event == \"state\"")" -ge 1 ]'
kc_kill fb
kc_kill sb
ok "session 6000: the survivor takes all 4 partitions" wait_settled 4 40 fa
ok "session 10000: the survivor takes all 4 partitions" wait_settled 4 40 sa

ok "timeline --json reads the fast group's logs" \
    recipe_timeline "$T/fast.json" fa fb
ok "timeline --json reads the slow group's logs" \
    recipe_timeline "$T/slow.json" sa sb
FB=$(member_label "$T/fast.json" fb)
SB=$(member_label "$T/slow.json" sb)
fast=$(recipe_episode "$T/fast.json" vanished "$FB" |
    jq --arg m "$FB" '[.moves[] | select(.from == $m) | .pause_ms] | min // -1')
slow=$(recipe_episode "$T/slow.json" vanished "$SB" |
    jq --arg m "$SB" '[.moves[] | select(.from == $m) | .pause_ms] | min // -1')
diag "pause after SIGKILL: session 6000: $fast ms, session 10000: $slow ms"
cmp_ok "$fast" -ge 5500 "session 6000: the dead member's partitions pause at least ~6 s"
cmp_ok "$slow" -ge 9500 "session 10000: they pause at least ~10 s"
cmp_ok "$((slow - fast))" -ge 3000 "the longer session takes seconds longer to notice"
kc_stop fa 20 >/dev/null
kc_stop sa 20 >/dev/null
done_testing
