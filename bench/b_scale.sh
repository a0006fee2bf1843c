#!/usr/bin/env bash
# b_scale.sh: how a rebalance's cost grows with the group, per protocol,
# on lab/with-kafka's local one-node Kafka (KCD_LIVE_BOOTSTRAP,
# KCD_LIVE_DIR); without one it says so and exits 0. The last part of
# make bench.
#
# For eager (classic, range), cooperative (classic, cooperative-sticky)
# and Kafka's consumer group protocol (KIP-848, where the linked
# librdkafka has it: 2.12.0 or later), on 24 and on 240 partitions, for
# groups of 3, 12 and 24 members: N-1 members (one kconsumerd, consumers:
# N-1) own every partition; one more kconsumerd joins with one member.
# Measured from the members' events, as --demo --compare measures them:
#   settled   the newcomer's start until every partition is owned again
#             (the last assign of the change), ms
#   revoked   the partitions the group took from the old members
#   pause     the longest time a partition was owned by nobody (its
#             revoke to its next assign, moved or not), ms
# A producer writes BENCH_SCALE_RATE (20) records a second to each topic
# throughout. BENCH_SCALE_MEMBERS ("3 12 24"), BENCH_SCALE_PARTITIONS
# ("24 240") and BENCH_SCALE_PROTOCOLS ("eager cooperative consumer")
# choose the cases. A benchmark: it prints figures, it asserts nothing.
set -uo pipefail
BENCH_PART=scaling
# shellcheck source=bench/b_live_lib.sh
. "$(dirname "$0")/b_live_lib.sh"
MEMBERS=${BENCH_SCALE_MEMBERS:-3 12 24}
PARTITIONS=${BENCH_SCALE_PARTITIONS:-24 240}
PROTOCOLS=${BENCH_SCALE_PROTOCOLS:-eager cooperative consumer}
RATE=${BENCH_SCALE_RATE:-20}

specs=()
for p in $PARTITIONS; do specs+=("scale$p:$p"); done
cluster_start "${specs[@]}" || { out "b_scale: cannot create the topics"; LIB_DONE=1; exit 1; }
for p in $PARTITIONS; do produce_bg "traffic$p" "$(topic "scale$p")" "$RATE"; done
out
out "b_scale: Kafka at $BOOTSTRAP, $("$KCONSUMERD" --version); log in $LOG"

# The settings of a protocol for kc_member_config.
settings() {
	case $1 in
	eager) echo group.assignor=range ;;
	cooperative) echo group.assignor=cooperative-sticky ;;
	consumer) echo "$KC_CONSUMER" ;;
	esac
}

# Every member's rebalance events of the logs given, one a line, in time
# order: "MS LOG:CONSUMER EVENT ASSIGNMENT P,P,..." (pure).
events() {
	local f
	for f in "$@"; do
		jq -r --arg f "$f" 'select(.event == "assign" or .event == "revoke" or .event == "lost") |
		    "\((.ts[0:19] + "Z" | fromdateiso8601) * 1000 + (.ts[20:23] | tonumber)) \($f):\(.consumer) \(.event) \(.assignment) \([.partitions[].partition] | join(","))"' "$f"
	done | sort -n -s -k1,1
}

# True when the members of the logs given own all P partitions, and the
# last log's member owns one at least (pure): all_owned P LOG...
all_owned() {
	local p=$1
	shift
	events "$@" | awk -v p="$p" -v last="${*: -1}:0" '
	    { own[$2] = $4 }
	    END { for (m in own) n += own[m]; exit !(n == p && own[last] > 0) }'
}

# Print "settled revoked pause" of the change that began at W0 (ms),
# from the logs given (pure): measure W0 LOG...
measure() {
	local w0=$1
	shift
	events "$@" | awk -v w0="$w0" '
	    $1 < w0 { next }
	    { n = split($5, ps, ",") }
	    $3 != "assign" {
		for (i = 1; i <= n; i++) { gone[ps[i]] = $1; revoked++ }
		next
	    }
	    n > 0 {
		last = $1
		for (i = 1; i <= n; i++)
			if (ps[i] in gone) {
				if ($1 - gone[ps[i]] > pause) pause = $1 - gone[ps[i]]
				delete gone[ps[i]]
			}
	    }
	    END { printf "%d %d %d\n", last - w0, revoked, pause }'
}

printf -v head '%-12s %10s %7s %10s %8s %10s' protocol partitions members \
    "settled" revoked "pause"
ROWS=()
for proto in $PROTOCOLS; do
	if [ "$proto" = consumer ] && ! can_consumer_protocol; then
		ROWS+=("$(printf '%-12s skipped: %s' consumer "$CONSUMER_PROTOCOL_WHY")")
		continue
	fi
	for parts in $PARTITIONS; do
		tp=$(topic "scale$parts")
		for n in $MEMBERS; do
			name=${proto:0:3}${parts}x$n
			G=$(group "$name")
			# shellcheck disable=SC2046 # a word list
			kc_member_config "${name}old" "$G" "$tp" consumers=$((n - 1)) \
			    sink.type=none $(settings "$proto")
			# shellcheck disable=SC2046
			kc_member_config "${name}new" "$G" "$tp" sink.type=none \
			    $(settings "$proto")
			OLD=$(kc_log "${name}old") NEW=$(kc_log "${name}new")
			kc_start "${name}old" "$T/${name}old.yaml"
			if ! wait_until 180 all_owned "$parts" "$OLD"; then
				ROWS+=("$(printf '%-12s %10d %7d  the first %d members never owned every partition' \
				    "$proto" "$parts" "$n" $((n - 1)))")
				kc_stop "${name}old" 60
				continue
			fi
			sleep 3	# let the group settle (a cooperative second round)
			W0=$(now_ms)
			kc_start "${name}new" "$T/${name}new.yaml"
			if wait_until 180 all_owned "$parts" "$OLD" "$NEW"; then
				sleep 3	# late events of the same change
				read -r settled revoked pause <<<"$(measure "$W0" "$OLD" "$NEW")"
				ROWS+=("$(printf '%-12s %10d %7d %7d ms %8d %7d ms' "$proto" \
				    "$parts" "$n" "$settled" "$revoked" "$pause")")
			else
				ROWS+=("$(printf '%-12s %10d %7d  not settled within 180 s' \
				    "$proto" "$parts" "$n")")
			fi
			out "b_scale: $proto, $parts partitions, $n members: ${ROWS[-1]}"
			kc_stop "${name}new" 60
			kc_stop "${name}old" 60
		done
	done
done
for p in $PARTITIONS; do produce_bg_stop "traffic$p"; done
out
out "scaling: one member joins N-1 (the local Kafka, 1 node; $RATE records/s a topic):"
out "settled: its start to the last assign of the change; revoked: partitions the"
out "group took from the old members; pause: the longest a partition was owned by nobody."
out "$head"
for r in "${ROWS[@]}"; do out "$r"; done
LIB_DONE=1	# no TAP plan: a bench, not a test
exit 0
