#!/bin/bash
# t_live_eager_cooperative: what a joining member costs the others, on a
# real broker. Two members consume 6 partitions while a producer runs;
# a third joins. With the range assignor (EAGER) every member revokes
# everything it owns, and consumes nothing until it is assigned again.
# With cooperative-sticky (COOPERATIVE) a member revokes only the
# partition that moves to the newcomer, and records keep arriving on the
# partitions it keeps while the rebalance is under way (between the
# newcomer's start and its assignment). Arrival times come from
# followers of the sink files (tests/lib.sh sink_stamp).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the real broker's rebalances, side by side"
require_tools kcat jq

RATE=60
ok "topics eager and coop (6 partitions each) are created" \
    cluster_start eager:6 coop:6

# Print the partitions of the revoke events of LOG after FROM_MS, sorted.
revoked_after() {
	jq -rR --argjson from "$2" '(try fromjson catch null) | objects |
	    select(.event == "revoke") | select((.ts | sub("\\.[0-9]+Z$"; "Z") |
	    fromdate) * 1000 + (.ts | capture("\\.(?<ms>[0-9]+)Z$").ms |
	    tonumber) >= $from) | .partitions[].partition' "$1" | sort -n |
	    tr '\n' ' ' | sed 's/ $//'
}

# Two members of PREFIX consume TOPIC with ASSIGNOR, a third joins;
# leaves the members' owned partitions before (BEFORE_a, BEFORE_b) and
# after (AFTER_*), and the window W0 (c starts) .. W1 (c is assigned).
# join_third PREFIX TOPIC ASSIGNOR.
join_third() {
	local p=$1 t=$2 assignor=$3 m
	G=$(group "$p")
	produce_bg "traffic_$p" "$t" $RATE
	for m in a b c; do
		kc_member_config "$p$m" "$G" "$t" group.assignor=$assignor \
		    group.max_poll_interval_ms=30000
	done
	for m in a b; do
		kc_start "$p$m" "$T/$p$m.yaml"
		sink_stamp "$p$m.stamp" "$T/$p$m.sink"
	done
	ok "$assignor: a and b settle on 3 partitions each" \
	    wait_until 60 owned_split 3 "$(kc_log "$p"a)" "$(kc_log "$p"b)"
	BEFORE_a=${OWNED[$(kc_log "$p"a)]} BEFORE_b=${OWNED[$(kc_log "$p"b)]}
	ok "$assignor: they consume" wait_until 30 eval \
	    '[ "$(sink_count "$T/${p}a.sink")" -gt 20 ] && [ "$(sink_count "$T/${p}b.sink")" -gt 20 ]'
	W0=$(now_ms)
	kc_start "$p"c "$T/${p}c.yaml"
	ok "$assignor: with c the three settle on 2 partitions each" \
	    wait_until 60 owned_split 2 "$(kc_log "$p"a)" "$(kc_log "$p"b)" "$(kc_log "$p"c)"
	AFTER_a=${OWNED[$(kc_log "$p"a)]} AFTER_b=${OWNED[$(kc_log "$p"b)]}
	W1=$(event_ms "$(kc_log "$p"c)" '.event == "assign" and (.partitions | length) > 0')
	diag "$assignor: a owned $BEFORE_a, then $AFTER_a; b owned $BEFORE_b, then $AFTER_b; c joined at +0 and was assigned at +$((W1 - W0)) ms"
	broker_diag "$G" 8
}

# Print the partitions of list A that list B also has.
common() {
	comm -12 <(tr ' ' '\n' <<<"$1" | sort) <(tr ' ' '\n' <<<"$2" | sort) |
	    sort -n | tr '\n' ' ' | sed 's/ $//'
}

# ---- EAGER
join_third e "$(topic eager)" range
for m in a b; do
	before=BEFORE_$m before=${!before}
	is "$(revoked_after "$(kc_log e$m)" "$W0")" "$before" \
	    "range: $m revokes everything it owned ($before)"
	R=$(event_ms "$(kc_log e$m)" '.event == "revoke"' 1)
	A=$(event_ms "$(kc_log e$m)" '.event == "assign" and (.partitions | length) > 0' 2)
	after=AFTER_$m after=${!after}
	kept=$(common "$before" "$after")
	is "$(arrivals_between "e$m.stamp" $((R + 60)) $((A - 60)) "$kept")" 0 \
	    "range: $m consumes nothing between its revoke and its assign ($((A - R)) ms)"
done
ok "range: the producer stops" produce_bg_stop traffic_e
ok "range: every record reaches a sink" wait_sink_count "$(produced "$(topic eager)")" 60 \
    "$T/ea.sink" "$T/eb.sink" "$T/ec.sink"
ok "range: 0 records lost" check_delivery "$(produced "$(topic eager)")" \
    "$T/ea.sink" "$T/eb.sink" "$T/ec.sink"

# ---- COOPERATIVE
join_third c "$(topic coop)" cooperative-sticky
for m in a b; do
	before=BEFORE_$m before=${!before} after=AFTER_$m after=${!after}
	kept=$(common "$before" "$after")
	moved=$(comm -23 <(tr ' ' '\n' <<<"$before" | sort) <(tr ' ' '\n' <<<"$after" | sort) | sort -n | tr '\n' ' ' | sed 's/ $//')
	is "$(wc -w <<<"$kept")" 2 "cooperative-sticky: $m keeps 2 of its 3 partitions ($kept)"
	is "$(revoked_after "$(kc_log c$m)" "$W0")" "$moved" \
	    "cooperative-sticky: $m revokes only the partition that moves ($moved)"
	n=$(arrivals_between "c$m.stamp" "$W0" "$W1" "$kept")
	cmp_ok "$n" -gt 0 \
	    "cooperative-sticky: records keep arriving on $m's kept partitions during the rebalance ($n)"
	diag "cooperative-sticky: $m's longest gap in consumption during the rebalance (ms, partition): $(stamp_max_gap "$W0" "$W1" "$T/c$m.stamp.stamps")"
done
ok "cooperative-sticky: the producer stops" produce_bg_stop traffic_c
ok "cooperative-sticky: every record reaches a sink" \
    wait_sink_count "$(produced "$(topic coop)")" 60 "$T/ca.sink" "$T/cb.sink" "$T/cc.sink"
ok "cooperative-sticky: 0 records lost" check_delivery "$(produced "$(topic coop)")" \
    "$T/ca.sink" "$T/cb.sink" "$T/cc.sink"
for n in ea eb ec ca cb cc; do
	kc_stop "$n" 20
	is "$?" 0 "$n stops cleanly"
done
done_testing
