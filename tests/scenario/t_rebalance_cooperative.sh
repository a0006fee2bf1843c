#!/bin/bash
# t_rebalance_cooperative: the COOPERATIVE protocol (cooperative-sticky) as
# kconsumerd logs it. A lone member owns all 6 partitions; when a second
# process joins, the first revokes only the 3 partitions that move (never
# all 6), the newcomer's assign lists exactly those, and the first keeps
# consuming the partitions it kept while the rebalance goes on: its sink
# (an exec sink that stamps each record with the wall-clock time it was
# read) holds records of the kept partitions that were produced after its
# revoke and written before the newcomer's assign. When the newcomer
# leaves, the first member's assign lists only the partitions it had.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (6 partitions)" cluster_start -b 3 orders:6
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
ORDERS=$(topic orders)
G=$(group coop)
ok "60 messages are produced" produce "$ORDERS" 60

# a's sink: each JSON record gets "sink_us", the wall-clock time (us) at
# which the command read it from kconsumerd, i.e. after a wrote it.
cat >"$T/stamp.sh" <<'EOF'
#!/bin/bash
while IFS= read -r l; do
	printf '{"sink_us":%s,%s\n' "${EPOCHREALTIME/[.,]/}" "${l#\{}"
done >>"$1"
EOF
chmod +x "$T/stamp.sh"
kc_member_config a "$G" "$ORDERS" group.assignor=cooperative-sticky \
    group.max_poll_interval_ms=10000 \
    sink.type=exec sink.command="$T/stamp.sh $T/a.sink"
kc_member_config b "$G" "$ORDERS" group.assignor=cooperative-sticky \
    group.max_poll_interval_ms=10000
A=$(kc_log a)
B=$(kc_log b)

# jq: an event's ts in epoch milliseconds.
TS_MS='((.ts[0:19] + "Z" | fromdateiso8601) * 1000 + (.ts[20:23] | tonumber))'
PARTS='[.partitions[]?.partition] | sort | map(tostring) | join(" ")'

# ---- A alone
kc_start a "$T/a.yaml"
ok "member a is assigned all 6 partitions" \
    wait_event "$A" '.event == "assign" and (.partitions | length) == 6' 30
is "$(nth_field "$A" '.event == "assign"' 1 .protocol)" COOPERATIVE \
    "it is logged with protocol COOPERATIVE"
ok "a consumes the first 60 messages" wait_sink_count 60 30 "$T/a.sink"

# ---- B joins while messages keep coming
produce_bg flow "$ORDERS" 40
kc_start b "$T/b.yaml"
ok "a revokes partitions when b joins" wait_event "$A" '.event == "revoke"' 30
REVOKED=$(nth_field "$A" '.event == "revoke"' 1 "$PARTS")
REVOKE_MS=$(nth_field "$A" '.event == "revoke"' 1 "$TS_MS")
diag "a revoked: $REVOKED"
is "$(wc -w <<<"$REVOKED")" 3 "a's revoke lists only the 3 partitions that move"
is "$(nth_field "$A" '.event == "revoke"' 1 .assignment)" 3 \
    "and a keeps the other 3"
ok "b is assigned partitions" \
    wait_event "$B" '.event == "assign" and (.partitions | length) > 0' 30
BSEL='.event == "assign" and (.partitions | length) > 0'
is "$(nth_field "$B" "$BSEL" 1 "$PARTS")" "$REVOKED" \
    "b's assign lists exactly the partitions a revoked"
is "$(nth_field "$B" "$BSEL" 1 .protocol)" COOPERATIVE \
    "b's assign is logged with protocol COOPERATIVE"
BASSIGN_MS=$(nth_field "$B" "$BSEL" 1 "$TS_MS")
KEPT=$(printf '%s\n' 0 1 2 3 4 5 $REVOKED | sort -n | uniq -u | tr '\n' ' ')
KEPT=${KEPT% }
diag "a kept: $KEPT; revoke at $REVOKE_MS ms, b's assign at $BASSIGN_MS ms"
cmp_ok "$((BASSIGN_MS - REVOKE_MS))" -gt 0 "b's assign comes after a's revoke"
# Records of a kept partition, produced after a's revoke (Kafka timestamp)
# and read from a's sink before b's assign: a consumed them mid-rebalance.
DURING=$(jq -rR --arg kept "$KEPT" --argjson from "$REVOKE_MS" \
    --argjson to "$BASSIGN_MS" '(try fromjson catch null) | objects |
    select((.partition | tostring) as $p | ($kept | split(" ") | index($p)))
    | select(.timestamp > $from and .sink_us / 1000 < $to) | .offset' \
    "$T/a.sink" | wc -l)
diag "a wrote $DURING records of its kept partitions during the rebalance"
cmp_ok "$DURING" -ge 5 \
    "a consumed its kept partitions between its revoke and b's assign"
is "$(jq -rR --arg rev "$REVOKED" --argjson from "$REVOKE_MS" \
    '(try fromjson catch null) | objects |
    select((.partition | tostring) as $p | ($rev | split(" ") | index($p)))
    | select(.timestamp > $from) | .offset' "$T/a.sink" | wc -l)" 0 \
    "a wrote nothing of the revoked partitions produced after its revoke"

# ---- B leaves
NA=$(count_events "$A" '.event == "assign" and (.partitions | length) > 0')
BPARTS=$(jq -rR '(try fromjson catch null) | objects |
    select(.event == "assign") | .partitions[].partition' "$B" | sort -n |
    uniq | tr '\n' ' ')
BPARTS=${BPARTS% }
kc_stop b 20
is "$?" 0 "b stops cleanly on SIGTERM"
ok "a is assigned partitions after b left" \
    wait_event "$A" '.event == "assign" and (.partitions | length) > 0' 30 $((NA + 1))
is "$(nth_field "$A" '.event == "assign" and (.partitions | length) > 0' \
    $((NA + 1)) "$PARTS")" "$BPARTS" \
    "a's assign lists only b's former partitions ($BPARTS)"
ok "a owns all 6 partitions again" \
    wait_event "$A" '.event == "assign" and .assignment == 6' 10 2
is "$(count_events "$A" '.event == "revoke" and (.partitions | length) == 6')" 0 \
    "a never revoked all 6 partitions"
ok "the background producer delivered everything" produce_bg_stop flow
TOTAL=$(produced "$ORDERS")
ok "a consumes everything ($TOTAL messages in all)" \
    wait_sink_count "$TOTAL" 30 "$T/a.sink" "$T/b.sink"
kc_stop a 20
is "$?" 0 "a stops cleanly on SIGTERM"
ok "every produced message is in a's or b's sink" \
    check_delivery "$TOTAL" "$T/a.sink" "$T/b.sink"
done_testing
