#!/bin/bash
# t_revoke_origin: the events say why partitions moved, and only group
# rebalances count as rebalances (issue 23 item 1). Member a runs alone;
# b joins (a's revoke and assigns: origin rebalance, b's first assign:
# origin join); b stops (its revoke: origin close; a's assign: origin
# rebalance). a's /metrics count the group rebalances, not b's close;
# b's count none; kconsumerctl timeline agrees. On the mock cluster.
# shellcheck disable=SC2016
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq curl mock
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no /metrics"
ok "the cluster starts" mock_start orders:4
ORDERS=$(topic orders)
G=$(group origin)

# Print the value of metric SAMPLE (a line prefix) on NAME's /metrics (pure).
metric() {
	local port
	port=$(jq -rR 'fromjson? | select(.event == "http_listen") | .port' \
	    "$(kc_log "$1")" | head -n 1)
	curl -s --max-time 5 "http://127.0.0.1:$port/metrics" |
	    awk -v p="$2" 'index($0, p) == 1 { print $NF }'
}

for n in a b; do
	kc_member_config $n "$G" "$ORDERS" group.session_timeout_ms=3000 \
	    http.listen=127.0.0.1:0
done
kc_start a "$T/a.yaml"
ok "a joins alone with 4 partitions (origin join)" \
    wait_event "$(kc_log a)" '.event == "assign" and .origin == "join" and .assignment == 4'
R0=$(metric a 'kconsumerd_rebalances_total{consumer="0"}')
cp "$(kc_log a)" "$T/a-alone.log"
"$KCONSUMERCTL" timeline --json "$T/a-alone.log" >"$T/tl0.json" 2>"$T/tl0.err"
is "$(jq -c '[.totals.episodes, .totals.rebalances]' "$T/tl0.json")" "[1,0]" \
    "the timeline of a alone: one episode (its start and join), no group rebalance"
kc_start b "$T/b.yaml"
ok "b's first assign is its join" \
    wait_event "$(kc_log b)" '.event == "assign" and .origin == "join"'
ok "a gives up partitions to b: a revoke of origin rebalance" \
    wait_event "$(kc_log a)" '.event == "revoke" and .origin == "rebalance"'
ok "the two settle on 2 partitions each" \
    wait_until 40 owned_split 2 "$(kc_log a)" "$(kc_log b)"
R1=$(metric a 'kconsumerd_rebalances_total{consumer="0"}')
cmp_ok "$R1" -gt "${R0:-0}" "a's rebalances_total counts the rebalance ($R0 -> $R1)"
kc_stop b 20
is "$?" 0 "b stops cleanly"
ok "b's final revoke says origin close" \
    wait_event "$(kc_log b)" '.event == "revoke" and .origin == "close"' 1
is "$(count_events "$(kc_log b)" '.event == "revoke" and .origin == "rebalance"')" 0 \
    "b logged no revoke of origin rebalance"
ok "a takes b's partitions back: an assign of origin rebalance, 4 owned" \
    wait_event "$(kc_log a)" '.event == "assign" and .origin == "rebalance" and .assignment == 4' 30
R2=$(metric a 'kconsumerd_rebalances_total{consumer="0"}')
cmp_ok "$R2" -gt "$R1" "a's rebalances_total counts b's leave ($R1 -> $R2)"
is "$(metric a 'kconsumerd_rebalance_events_total{consumer="0",kind="close",protocol="COOPERATIVE"}')" 0 \
    "a, still running, counts no close"
"$KCONSUMERCTL" timeline --json "$(kc_log a)" "$(kc_log b)" >"$T/tl.json" 2>"$T/tl.err"
is "$?" 0 "kconsumerctl timeline reads both logs"
is "$(jq -c '[.totals.episodes, .totals.rebalances, .episodes[0].rebalance]' "$T/tl.json")" "[1,1,true]" \
    "with b's join and leave (within --gap of each other) the episode is a group rebalance"
kc_stop a 20
is "$?" 0 "a stops cleanly"
done_testing
