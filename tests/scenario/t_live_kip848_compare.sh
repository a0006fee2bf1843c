#!/bin/bash
# t_live_kip848_compare: kconsumerd --demo --compare --bootstrap plays the
# demo's script once per rebalance protocol on a real cluster, each on a
# group of its own, and ends with one table: eager revokes more
# partitions than cooperative and pauses partitions that stay with their
# member, cooperative never does; every record of every run is accounted
# for. With librdkafka 2.12.0 or later (the Debian 14 build) the consumer
# protocol plays too and, like cooperative, revokes only what moves;
# with an older one its row says why it was not played.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the comparison's consumer protocol and static act need a real broker"
require_tools

ok "the cluster is up" cluster_start
proc_start compare "$T/compare.out" "$T/compare.err" "$KCONSUMERD" --demo \
    --compare --bootstrap "$BOOTSTRAP"
kc_wait_exit compare 400
is "$KC_STATUS" 0 "the comparison ends by itself and exits 0"
OUT=$(cat "$T/compare.out")
like "$OUT" "Side by side: the same acts for each protocol, on a real cluster" \
    "it ends with the side-by-side table"

# The numbers of a row of the table (pure): row NAME-PREFIX prints
# "changes mean max revoked pause twice", or "not played: ..." as is.
row() {
	sed -n "s/^  $1 *//p" <<<"$OUT" | tail -n 1 |
	    awk '/^not played/ { print; next }
		{ print $1, $2, $4, $6, $7, $9 }'
}
read -r e_changes e_mean e_max e_revoked e_pause e_twice <<<"$(row 'eager (classic, range)')"
read -r c_changes c_mean c_max c_revoked c_pause c_twice <<<"$(row 'cooperative (classic, coop.-sticky)')"
diag "eager: $e_changes changes, settled ${e_mean}/${e_max} s, $e_revoked revoked, kept partitions paused $e_pause s, $e_twice twice"
diag "cooperative: $c_changes changes, settled ${c_mean}/${c_max} s, $c_revoked revoked, kept partitions paused $c_pause s, $c_twice twice"
is "$e_changes" 6 "eager played 6 membership changes (3 joins, a static restart, a stop, a restart)"
is "$c_changes" 6 "so did cooperative"
cmp_ok "${e_revoked:-0}" -ge 12 "eager revoked every partition at each of the two later joins at least ($e_revoked)"
cmp_ok "${c_revoked:-99}" -lt "${e_revoked:-0}" "cooperative revoked fewer ($c_revoked)"
is "$c_pause" 0.00 "cooperative never paused a partition that stayed with its member"
cmp_ok "$(grep -c 'every record is accounted for' <<<"$OUT")" -ge 2 \
    "every record of each run is accounted for"
is "$(grep -c 'NOT all accounted for' <<<"$OUT")" 0 "and no row says otherwise"
cmp_ok "$(awk -v m="${e_max:-0}" 'BEGIN { print (m > 0) }')" -eq 1 \
    "the settle times are measured ($e_max s at most for eager)"

CROW=$(row 'consumer (KIP-848, broker assigns)')
if can_consumer_protocol; then
	read -r k_changes k_mean k_max k_revoked k_pause k_twice <<<"$CROW"
	diag "consumer: $k_changes changes, settled ${k_mean}/${k_max} s, $k_revoked revoked, kept partitions paused $k_pause s, $k_twice twice"
	is "$k_changes" 6 "the consumer protocol played the same 6 changes"
	cmp_ok "${k_revoked:-99}" -lt "${e_revoked:-0}" "it revoked fewer partitions than eager ($k_revoked)"
	is "$k_pause" 0.00 "and never paused a partition that stayed with its member"
	like "$OUT" "Summary: protocol COOPERATIVE, group protocol consumer" \
	    "its run's summary names the consumer group protocol"
	cmp_ok "$(grep -c 'every record is accounted for' <<<"$OUT")" -eq 3 \
	    "every record of all three runs is accounted for"
else
	like "$CROW" "^not played: needs librdkafka 2\.12\.0 or later, this is " \
	    "the consumer protocol's row says why it was not played ($CONSUMER_PROTOCOL_WHY)"
	is "$(grep -c '^==== ' <<<"$OUT")" 2 "only eager and cooperative were played"
fi
done_testing
