#!/bin/bash
# t_recipe_slow_processing: recipe 4 of doc/experiments.md. A member that
# takes longer per message (experiment.processing_delay_us, 8 s) than
# max.poll.interval.ms (7 s) is thrown out of the group by its own
# client: kconsumerd logs max_poll_exceeded, loses its partitions (no
# commit) and rejoins on its next poll, only to be thrown out again.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/recipe_lib.sh"

require_tools kcat jq mock

ok "the cluster starts with orders (2 partitions)" cluster_start -b 3 orders:2
ORDERS=$(topic orders)
ok "10 messages are produced" produce "$ORDERS" 10
G=$(group slow)
recipe_config a "$G" cooperative-sticky "$ORDERS" 6000 1000 8000000 7000
kc_start a "$T/a.yaml"
ok "member a is assigned both partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 2' 30
ok "it logs max_poll_exceeded once a message takes 8 s" \
    wait_event "$(kc_log a)" '.event == "max_poll_exceeded"' 30
ok "its partitions are lost" wait_event "$(kc_log a)" '.event == "lost"' 15
ok "it rejoins: a second assign of both partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 2' 30 2
is "$(count_events "$(kc_log a)" '.event == "commit_failed"')" 0 \
    "nothing tries to commit the lost assignment"
kc_stop a 20
is "$?" 0 "member a stops cleanly on SIGTERM in the middle of a message"

ok "timeline --json reads the log" recipe_timeline "$T/tl.json" a
A=$(member_label "$T/tl.json" a)
EP=$(jq -c --arg a "$A" '[.episodes[] | select(any(.triggers[];
    (.kind == "max_poll_exceeded" or .kind == "lost") and .member == $a))] |
    first // empty' "$T/tl.json")
isnt "$EP" "" "the timeline has an episode triggered by max.poll.interval.ms"
is "$(jq '[.moves[] | select(.from == .to and .pause_ms != null)] | length' \
    <<<"$EP")" 2 "in it a loses both partitions and gets them back"
is "$(jq --argjson ep "$EP" '[.intervals[] | select(.from_ms > $ep.start_ms)]
    | length' "$T/tl.json")" 2 "the rejoin opens a new ownership interval per partition"
done_testing
