#!/bin/bash
# t_count: -n N stops the whole process after exactly N records reached the
# sink, even with two members writing at once, exits 0, and commits what
# was written: the stop events' committed offsets follow the last record
# of each partition, and a restart without -n reads the rest with no gap
# and no duplicate.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (6 partitions)" mock_start -b 3 orders:6
ORDERS=$(topic orders)
G=$(group count)
TOTAL=2000
N=700

kc_member_config a "$G" "$ORDERS" consumers=2 sink.path="$T/orders.sink"

# The messages come once both members own 3 partitions: on the mock, a
# member that still waits for its first assignment puts the group in a
# rebalance, which refuses the other member's commits (a broker would
# accept them); see shared/librdkafka-notes.md.
kc_start a "$T/a.yaml" -n $N
ok "member 0 of the -n run is assigned 3 partitions" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 3 and .consumer == 0' 30
ok "member 1 of the -n run is assigned the other 3" \
    wait_event "$(kc_log a)" '.event == "assign" and .assignment == 3 and .consumer == 1' 30
ok "$TOTAL messages are produced" produce "$ORDERS" $TOTAL
kc_wait_exit a 40
is "$?" 0 "kconsumerd -n $N exits 0 by itself"
is "$(wc -l <"$T/orders.sink")" $N "the sink holds exactly $N lines"
is "$(sink_distinct "$T/orders.sink")" $N "and $N distinct offsets"
is "$(count_events "$(kc_log a)" '.event == "stop" and .result == "ok"')" 2 \
    "both members log a stop event with result ok"
is "$(jq -s '[.[] | select(.event == "stop") | .messages] | add' "$(kc_log a)")" $N \
    "their message counts add up to $N"
cmp_ok "$(jq -r .partition "$T/orders.sink" | sort -u | wc -l)" -ge 2 \
    "records came from several partitions"
# Per partition: the sink holds offsets 0..max without a gap, and the
# committed offset is max + 1.
is "$(jq -r '"\(.partition) \(.offset)"' "$T/orders.sink" | sort -n -k1,1 -k2,2 |
    awk '$1 != p { if (p != "" && n != max + 1) bad++; p = $1; n = 0 }
        { if ($2 != n) bad++; n++; max = $2 }
        END { if (p != "" && n != max + 1) bad++; print bad + 0 }')" 0 \
    "each partition's records in the sink start at offset 0 and have no gap"
is "$(jq -r 'select(.event == "stop") | .committed[] | select(.offset > 0) |
        "\(.partition) \(.offset)"' "$(kc_log a)" | sort -n)" \
    "$(jq -r '"\(.partition) \(.offset)"' "$T/orders.sink" |
        awk '{ if (!($1 in m) || $2 > m[$1]) m[$1] = $2 }
            END { for (p in m) print p, m[p] + 1 }' | sort -n)" \
    "the committed offsets are, per partition, one past the last record written"

mv "$(kc_log a)" "$T/a.first.log"
kc_start a "$T/a.yaml"
ok "a restart without -n reads the rest" \
    wait_sink_count $TOTAL 40 "$T/orders.sink"
kc_stop a 20
is "$?" 0 "the restart exits 0 on SIGTERM"
ok "every produced offset is in the sink" check_delivery $TOTAL "$T/orders.sink"
is "$DELIVERY_DUPLICATES" 0 "none is there twice: the restart began at the committed offsets"

done_testing
