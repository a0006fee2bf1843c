#!/bin/bash
# t_recipe_eager_cooperative: recipe 1 of doc/experiments.md. Three
# members read 6 partitions, a fourth joins. With an eager assignor
# (range) every partition pauses in that rebalance (stop-the-world); with
# cooperative-sticky only the partitions that move pause, and the others
# keep one unbroken ownership interval across the episode. Both groups
# run side by side on one mock cluster; kconsumerctl timeline --json
# tells what happened.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/recipe_lib.sh"

require_tools kcat jq mock

ok "the cluster starts with orders (6 partitions)" cluster_start -b 3 orders:6
ORDERS=$(topic orders)
ok "60 messages are produced" produce "$ORDERS" 60
EG=$(group eager)
CG=$(group coop)
for m in a b c d; do
	recipe_config "e$m" "$EG" range "$ORDERS"
	recipe_config "c$m" "$CG" cooperative-sticky "$ORDERS"
done
for m in a b c; do
	kc_start "e$m" "$T/e$m.yaml"
	kc_start "c$m" "$T/c$m.yaml"
done
ok "eager: three members settle on 6 partitions" \
    wait_settled 6 40 ea eb ec
ok "cooperative: three members settle on 6 partitions" \
    wait_settled 6 40 ca cb cc
ok "eager: the group is quiet (the episode is over)" \
    wait_quiet 30 ea eb ec
ok "cooperative: the group is quiet (the episode is over)" \
    wait_quiet 30 ca cb cc
kc_start ed "$T/ed.yaml"
kc_start cd "$T/cd.yaml"
ok "eager: the fourth member gets partitions, 6 in all" \
    wait_settled 6 40 ea eb ec ed
ok "cooperative: the fourth member gets partitions, 6 in all" \
    wait_settled 6 40 ca cb cc cd

ok "timeline --json reads the eager logs" \
    recipe_timeline "$T/eager.json" ea eb ec ed
ok "timeline --json reads the cooperative logs" \
    recipe_timeline "$T/coop.json" ca cb cc cd
EP=$(recipe_episode "$T/eager.json" start "$(member_label "$T/eager.json" ed)")
CP=$(recipe_episode "$T/coop.json" start "$(member_label "$T/coop.json" cd)")
[ -n "$EP" ] || diag "$(cat "$T/eager.json")"
isnt "$EP" "" "eager: an episode begins with the fourth member's start"
isnt "$CP" "" "cooperative: an episode begins with the fourth member's start"

# ---- eager: stop-the-world
is "$(jq -r '.protocol' <<<"$EP")" EAGER "eager: the episode is EAGER"
is "$(jq '[.moves[].partition] | unique | length' <<<"$EP")" 6 \
    "eager: all 6 partitions get an owner again in the episode"
is "$(jq '[.moves[] | .pause_ms != null and .pause_ms > 0] | all' \
    <<<"$EP")" true "eager: every partition pauses"
diag "eager pauses (ms): $(jq -c '[.moves[] | .pause_ms]' <<<"$EP")"

# ---- cooperative: only the moved partitions pause
is "$(jq -r '.protocol' <<<"$CP")" COOPERATIVE \
    "cooperative: the episode is COOPERATIVE"
moved=$(jq '[.moves[] | select(.from != .to) | .partition] | unique |
    length' <<<"$CP")
cmp_ok "$moved" -ge 1 "cooperative: some partitions move to the newcomer ($moved)"
cmp_ok "$moved" -le 3 "cooperative: at most half of them move"
is "$(jq '[.moves[] | .from != .to] | all' <<<"$CP")" true \
    "cooperative: no partition is taken away and given back"
stay=$(jq -c --argjson ep "$CP" '[.partitions[].label] -
    [$ep.moves[].partition]' "$T/coop.json")
is "$(jq length <<<"$stay")" "$((6 - moved))" \
    "cooperative: $((6 - moved)) partitions stay where they are"
is "$(jq --argjson ep "$CP" --argjson stay "$stay" '[$stay[] as $p |
    [.intervals[] | select(.partition == $p and .from_ms <= $ep.end_ms and
    .to_ms >= $ep.start_ms)] | length == 1 and
    (.[0].from_ms < $ep.start_ms and .[0].to_ms >= $ep.end_ms)] | all' \
    "$T/coop.json")" true \
    "cooperative: each staying partition has exactly one unbroken ownership interval across the episode"
diag "cooperative pauses (ms): $(jq -c '[.moves[] | .pause_ms]' <<<"$CP")"

# ---- the charts
for f in eager coop; do
	if command -v xmllint >/dev/null; then
		ok "$f: the SVG is well-formed" xmllint --noout "$T/$f.svg"
	else
		skip "xmllint is not installed"
	fi
	is "$(grep -o 'class="own"' "$T/$f.svg" | wc -l)" \
	    "$(jq '.intervals | length' "$T/$f.json")" \
	    "$f: the SVG draws one bar per ownership interval"
done
for m in a b c d; do
	kc_stop "e$m" 20 >/dev/null
	kc_stop "c$m" 20 >/dev/null
done
done_testing
