#!/bin/bash
# t_members_processes: three kconsumerd processes in one group share the
# 6 partitions without overlap (2 each), each consumes a share, and the
# union of their sinks holds every produced offset.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (6 partitions)" cluster_start -b 3 orders:6
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
ORDERS=$(topic orders)
G=$(group procs)
N=600
ok "$N messages are produced" produce "$ORDERS" "$N"

for name in p0 p1 p2; do
	kc_member_config "$name" "$G" "$ORDERS" group.max_poll_interval_ms=10000
done
L0=$(kc_log p0) L1=$(kc_log p1) L2=$(kc_log p2)

kc_start p0 "$T/p0.yaml"
kc_start p1 "$T/p1.yaml"
kc_start p2 "$T/p2.yaml"
for name in p0 p1 p2; do
	ok "process $name gets an assignment" wait_event "$(kc_log "$name")" \
	    '.event == "assign" and (.partitions | length) > 0' 30
done
ok "the processes settle on 2 partitions each, covering 0-5" \
    wait_until 40 owned_split 2 "$L0" "$L1" "$L2"
O0=${OWNED[$L0]} O1=${OWNED[$L1]} O2=${OWNED[$L2]}
diag "p0 owns: $O0; p1: $O1; p2: $O2"
is "$(printf '%s\n' $O0 $O1 $O2 | sort -n | uniq -d | wc -l)" 0 \
    "no partition is owned by two processes"
isnt "$(jq -rR '(try fromjson catch null) | objects | select(.event == "start") |
    .pid' "$(kc_log p0)" "$(kc_log p1)" "$(kc_log p2)" | sort -u | wc -l)" 1 \
    "the members run in separate processes"
ok "$N more messages are produced once the group is settled" \
    produce "$ORDERS" "$N"
ok "the three sinks hold all $((2 * N)) messages" \
    wait_sink_count $((2 * N)) 40 "$T/p0.sink" "$T/p1.sink" "$T/p2.sink"
for name in p0 p1 p2; do
	cmp_ok "$(sink_count "$T/$name.sink")" -gt 0 "$name consumed a share"
done
# The records produced after the split went only to their partition's owner.
for name in p0 p1 p2; do
	case $name in p0) own=$O0 ;; p1) own=$O1 ;; p2) own=$O2 ;; esac
	is "$(jq -rR --arg own "$own" --argjson n "$N" '(try fromjson catch null) |
	    objects | select(.value | ltrimstr("'"$ORDERS"'-") | tonumber >= $n) |
	    select((.partition | tostring) as $p | ($own | split(" ") |
	    index($p)) | not) | .offset' "$T/$name.sink" | wc -l)" 0 \
	    "$name wrote no later record of a partition it does not own"
done
for name in p0 p1 p2; do
	kc_stop "$name" 20
	is "$?" 0 "$name stops cleanly on SIGTERM"
done
ok "the union of the sinks has every offset" \
    check_delivery $((2 * N)) "$T/p0.sink" "$T/p1.sink" "$T/p2.sink"
done_testing
