#!/bin/bash
# t_kill_member: SIGKILL one of two members while messages flow. The
# killed member sends no LeaveGroup, so the survivor keeps only its own
# partitions until the coordinator times the dead member's session out
# (session_timeout_ms 6000: the survivor's new assign comes more than 3 s
# after the kill), then gets all 6. Every produced offset is in the union
# of the two sinks: nothing is lost (duplicates are allowed), and
# kconsumerctl timeline --sink puts the duplicates in the kill's episode.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (6 partitions)" cluster_start -b 3 orders:6
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
ORDERS=$(topic orders)
G=$(group kill)
ok "100 messages are produced" produce "$ORDERS" 100

for name in a b; do
	kc_member_config "$name" "$G" "$ORDERS" group.max_poll_interval_ms=10000
done
A=$(kc_log a)
B=$(kc_log b)
TS_MS='((.ts[0:19] + "Z" | fromdateiso8601) * 1000 + (.ts[20:23] | tonumber))'

kc_start a "$T/a.yaml"
kc_start b "$T/b.yaml"
ok "a and b settle on 3 partitions each" wait_until 40 owned_split 3 "$A" "$B"
diag "a owns: ${OWNED[$A]}; b owns: ${OWNED[$B]}"
produce_bg flow "$ORDERS" 40
ok "b consumes messages" \
    wait_until 20 eval '[ "$(sink_count "$T/b.sink")" -gt 0 ]'

NA=$(count_events "$A" '.event == "assign" and (.partitions | length) > 0')
BID=$(jq -rR '(try fromjson catch null) | objects | select(.event == "assign")
    | .member_id' "$B" | tail -n 1)
KILL_MS=$(now_ms)
kc_kill b
is "$KC_STATUS" 137 "b dies of SIGKILL"
if is_live; then
	skip "the mock log is only there on the mock cluster"
else
	ok "the coordinator times out b's session (member $BID)" \
	    wait_line "$MOCK_LOG" "Member $BID session timed out for group $G\$" 20
fi
ok "a is assigned b's partitions" \
    wait_event "$A" '.event == "assign" and (.partitions | length) > 0' 30 $((NA + 1))
SEL='.event == "assign" and (.partitions | length) > 0'
ASSIGN_MS=$(jq -rR --argjson n $((NA + 1)) "[inputs | (try fromjson catch null) |
    objects | select($SEL)][\$n - 1] | $TS_MS" "$A")
diag "a's assign came $((ASSIGN_MS - KILL_MS)) ms after the kill"
cmp_ok "$((ASSIGN_MS - KILL_MS))" -gt 3000 \
    "not before the session timeout: more than 3 s after the kill"
is "$(count_events "$A" '.event == "revoke" or .event == "lost"')" 0 \
    "a lost and revoked nothing meanwhile"
is "$(owned "$A")" "0 1 2 3 4 5" "a owns all 6 partitions"
ok "the background producer delivered everything" produce_bg_stop flow
TOTAL=$(produced "$ORDERS")
ok "a consumes the rest ($TOTAL messages in all)" \
    wait_sink_count "$TOTAL" 40 "$T/a.sink" "$T/b.sink"
kc_stop a 20
is "$?" 0 "a stops cleanly on SIGTERM"
ok "every produced offset is in a's or b's sink" \
    check_delivery "$TOTAL" "$T/a.sink" "$T/b.sink"
diag "$DELIVERY_DUPLICATES duplicates (redelivery after the kill)"
"$CTL" timeline --json --sink "$T/a.sink" --sink "$T/b.sink" "$A" "$B" \
    >"$T/tl.json" 2>/dev/null
is "$(jq .totals.redelivered "$T/tl.json")" "$DELIVERY_DUPLICATES" \
    "timeline --sink counts the same $DELIVERY_DUPLICATES records read twice"
is "$(jq '[.episodes[] | select(any(.moves[]; .from == "b:0")) | .redelivered] | add' "$T/tl.json")" \
    "$DELIVERY_DUPLICATES" "all of them in the episode where b's partitions went to a"
done_testing
