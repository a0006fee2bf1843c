#!/bin/bash
# t_count_batch: -n N stays exact when records are taken in batches. With
# a backlog in the log (every poll batch full, the limit falling inside
# one), kconsumerd -n N writes exactly N records, each partition's a run
# from offset 0 without a gap, and commits one past the last record of
# each partition; the next run of the group starts right after them, so
# -n of the rest writes exactly the rest: none twice, none missing.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic backlog (4 partitions)" \
    cluster_start -b 3 backlog:4
BACKLOG=$(topic backlog)
G=$(group countbatch)
TOTAL=30000
N=12345

ok "$TOTAL messages are produced before kconsumerd starts" \
    produce "$BACKLOG" $TOTAL

kc_member_config a "$G" "$BACKLOG" sink.path="$T/first.sink"
kc_start a "$T/a.yaml" -n $N
kc_wait_exit a 60
is "$?" 0 "kconsumerd -n $N exits 0 by itself"
count_run_ok "$(kc_log a)" "$T/first.sink" $N

kc_member_config b "$G" "$BACKLOG" sink.path="$T/second.sink"
kc_start b "$T/b.yaml" -n $((TOTAL - N))
kc_wait_exit b 60
is "$?" 0 "the next run, -n $((TOTAL - N)), exits 0 by itself"
is "$(wc -l <"$T/second.sink")" $((TOTAL - N)) \
    "it writes exactly the $((TOTAL - N)) records left"
# the second run's first offset of each partition both runs read (a
# partition the first run read to its end has nothing left; that none is
# missing, check_delivery says below)
is "$(jq -r '"\(.partition) \(.offset)"' "$T/second.sink" |
        awk 'FNR == NR { next_of[$1] = $2; next }
            ($1 in next_of) && !($1 in first) { first[$1] = $2 }
            END { for (p in first) if (first[p] != next_of[p]) bad++
                  print bad + 0 }' <(sink_next "$T/first.sink") -)" 0 \
    "each partition of the first run goes on right after its last record"
ok "together the two runs hold every produced offset" \
    check_delivery $TOTAL "$T/first.sink" "$T/second.sink"
is "$DELIVERY_DUPLICATES" 0 "none of them twice"

done_testing
