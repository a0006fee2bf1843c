#!/bin/bash
# t_rebalance_eager: the EAGER protocol (assignor range) as kconsumerd logs
# it. A lone member owns all 6 partitions; a second process joins and the
# first gives up its whole assignment in one revoke, then both get disjoint
# shares covering the topic, each assign listing the whole new assignment;
# the second leaves on SIGTERM (LeaveGroup) and the first takes all 6 back.
# paused_ms is absent on a member's first assign and present afterwards.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (6 partitions)" cluster_start -b 3 orders:6
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
ORDERS=$(topic orders)
G=$(group eager)
ok "120 messages are produced" produce "$ORDERS" 120

for name in a b; do
	kc_member_config "$name" "$G" "$ORDERS" group.assignor=range \
	    group.max_poll_interval_ms=10000
done
A=$(kc_log a)
B=$(kc_log b)

# Print the sorted "partition" list of a member's N-th (1-based) event
# matching EXPR, space-separated.
nth_parts() {
	jq -rR --argjson n "$3" "[inputs | (try fromjson catch null) | objects |
	    select($2)][\$n - 1] | [.partitions[]?.partition] | sort |
	    map(tostring) | join(\" \")" "$1" 2>/dev/null
}

# ---- A alone
kc_start a "$T/a.yaml"
ok "member a is assigned all 6 partitions" \
    wait_event "$A" '.event == "assign" and (.partitions | length) == 6' 30
is "$(nth_parts "$A" '.event == "assign"' 1)" "0 1 2 3 4 5" \
    "a's first assign lists partitions 0-5"
is "$(nth_field "$A" '.event == "assign"' 1 .protocol)" EAGER \
    "it is logged with protocol EAGER"
is "$(nth_field "$A" '.event == "assign"' 1 'has("paused_ms")')" false \
    "a's first assign has no paused_ms"
ok "a consumes the 120 messages" wait_sink_count 120 30 "$T/a.sink"

# ---- B joins
kc_start b "$T/b.yaml"
ok "a revokes its partitions when b joins" \
    wait_event "$A" '.event == "revoke"' 30
is "$(nth_parts "$A" '.event == "revoke"' 1)" "0 1 2 3 4 5" \
    "a's one revoke event lists all 6 partitions"
is "$(nth_field "$A" '.event == "revoke"' 1 .assignment)" 0 \
    "and leaves it owning nothing"
ok "a gets a new assignment with fewer than 6 partitions" \
    wait_event "$A" '.event == "assign" and (.partitions | length) < 6 and (.partitions | length) > 0' 30
ok "b gets an assignment" \
    wait_event "$B" '.event == "assign" and (.partitions | length) > 0' 30
# Let the group settle: on the mock a group often forms in two generations;
# take each member's latest non-empty assignment once both agree on 6.
settled() {
	local pa pb
	pa=$(jq -rR '[inputs | (try fromjson catch null) | objects |
	    select(.event == "assign" or .event == "revoke")] | last |
	    select(.event == "assign") | [.partitions[].partition] | sort |
	    map(tostring) | join(" ")' "$A" 2>/dev/null)
	pb=$(jq -rR '[inputs | (try fromjson catch null) | objects |
	    select(.event == "assign" or .event == "revoke")] | last |
	    select(.event == "assign") | [.partitions[].partition] | sort |
	    map(tostring) | join(" ")' "$B" 2>/dev/null)
	[ -n "$pa" ] && [ -n "$pb" ] || return 1
	SHARE_A=$pa SHARE_B=$pb
	[ "$(printf '%s\n' $pa $pb | sort -n | tr '\n' ' ')" = "0 1 2 3 4 5 " ]
}
SHARE_A='' SHARE_B=''
ok "a and b's current assignments together cover partitions 0-5" \
    wait_until 30 settled
diag "a owns: $SHARE_A; b owns: $SHARE_B"
is "$(printf '%s\n' $SHARE_A $SHARE_B | sort -n | uniq -d | tr '\n' ' ')" "" \
    "a and b share no partition"
is "$(printf '%s\n' $SHARE_A | wc -l) $(printf '%s\n' $SHARE_B | wc -l)" "3 3" \
    "range gives each member 3 partitions"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "assign") |
    ((.partitions | length) == .assignment)' "$A" "$B" | sort -u)" true \
    "every EAGER assign lists the member's whole assignment"
is "$(nth_field "$A" '.event == "assign"' 2 '.paused_ms | type')" number \
    "a's second assign carries paused_ms"
is "$(nth_field "$B" '.event == "assign"' 1 'has("paused_ms")')" false \
    "b's first assign has no paused_ms"
ok "60 more messages are produced" produce "$ORDERS" 60
ok "a and b consume all 180 between them" \
    wait_sink_count 180 30 "$T/a.sink" "$T/b.sink"

# ---- B leaves
NA=$(count_events "$A" '.event == "assign"')
NR=$(count_events "$A" '.event == "revoke"')
BID=$(nth_field "$B" '.event == "assign"' 1 .member_id)
kc_stop b 20
is "$?" 0 "b stops cleanly on SIGTERM"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "revoke")
    | .member_id' "$B" | tail -n 1)" "$BID" \
    "b's final revoke on SIGTERM still names its member id"
ok "the mock log shows b (member $BID) leaving the group" \
    wait_line "$MOCK_LOG" "Member $BID is leaving group $G\$" 10
ok "a is assigned all 6 partitions again" \
    wait_event "$A" '.event == "assign" and (.partitions | length) == 6' 30 2
is "$(nth_parts "$A" '.event == "assign"' $((NA + 1)))" "0 1 2 3 4 5" \
    "a's assign after b left lists partitions 0-5"
cmp_ok "$(count_events "$A" '.event == "revoke"')" -gt "$NR" \
    "a revoked its share before (EAGER) taking all 6 back"
ok "60 more messages are produced" produce "$ORDERS" 60
ok "a consumes them" wait_sink_count 240 30 "$T/a.sink" "$T/b.sink"
kc_stop a 20
is "$?" 0 "a stops cleanly on SIGTERM"
ok "every one of the 240 messages is in a's or b's sink" \
    check_delivery 240 "$T/a.sink" "$T/b.sink"
done_testing
