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
    mock_start -b 3 backlog:4
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
is "$(wc -l <"$T/first.sink")" $N "the sink holds exactly $N lines"
is "$(sink_distinct "$T/first.sink")" $N "and $N distinct offsets"
is "$(jq -s '[.[] | select(.event == "stop") | .messages] | add' "$(kc_log a)")" $N \
    "the stop event counts $N messages"
cmp_ok "$(jq -r .partition "$T/first.sink" | sort -u | wc -l)" -ge 2 \
    "records came from several partitions"
is "$(jq -r '"\(.partition) \(.offset)"' "$T/first.sink" | sort -n -k1,1 -k2,2 |
    awk '$1 != p { if (p != "" && n != max + 1) bad++; p = $1; n = 0 }
        { if ($2 != n) bad++; n++; max = $2 }
        END { if (p != "" && n != max + 1) bad++; print bad + 0 }')" 0 \
    "each partition's records start at offset 0 and have no gap"
is "$(jq -r 'select(.event == "stop") | .committed[] | select(.offset > 0) |
        "\(.partition) \(.offset)"' "$(kc_log a)" | sort -n)" \
    "$(jq -r '"\(.partition) \(.offset)"' "$T/first.sink" |
        awk '{ if (!($1 in m) || $2 > m[$1]) m[$1] = $2 }
            END { for (p in m) print p, m[p] + 1 }' | sort -n)" \
    "the committed offsets are, per partition, one past the last record written"

kc_member_config b "$G" "$BACKLOG" sink.path="$T/second.sink"
kc_start b "$T/b.yaml" -n $((TOTAL - N))
kc_wait_exit b 60
is "$?" 0 "the next run, -n $((TOTAL - N)), exits 0 by itself"
is "$(wc -l <"$T/second.sink")" $((TOTAL - N)) \
    "it writes exactly the $((TOTAL - N)) records left"
# "PARTITION FIRST_OFFSET_OF_SECOND_RUN NEXT_AFTER_FIRST_RUN", for each
# partition the first run read.
jq -r '"\(.partition) \(.offset)"' "$T/first.sink" >"$T/first.po"
jq -r '"\(.partition) \(.offset)"' "$T/second.sink" >"$T/second.po"
is "$(awk 'FNR == NR { if (!($1 in a) || $2 > a[$1]) a[$1] = $2; next }
        { if (!($1 in b) || $2 < b[$1]) b[$1] = $2 }
        END { for (p in a) if (!(p in b) || b[p] != a[p] + 1) bad++
              print bad + 0 }' "$T/first.po" "$T/second.po")" 0 \
    "each partition of the first run goes on right after its last record"
ok "together the two runs hold every produced offset" \
    check_delivery $TOTAL "$T/first.sink" "$T/second.sink"
is "$DELIVERY_DUPLICATES" 0 "none of them twice"

done_testing
