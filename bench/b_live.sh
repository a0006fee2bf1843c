#!/usr/bin/env bash
# b_live.sh: the real-Kafka part of make bench, on lab/with-kafka's local
# one-node Kafka (KCD_LIVE_BOOTSTRAP, KCD_LIVE_DIR, KAFKA_LOCAL); without
# one it says so and exits 0.
#
# 1. Throughput and CPU: BENCH_LIVE_MESSAGES (960000) records of 100
#    bytes in 24 partitions (ProducerPerformance), read from the beginning
#    by Kafka's own Java consumer (ConsumerPerformance) and by kconsumerd
#    (one member, sink none), BENCH_RUNS (3) times each, medians. Records
#    a second count from the end of the group join: ConsumerPerformance's
#    fetch.nMsg.sec, kconsumerd's N / (stop event - first assign event).
#    CPU is the whole process's (JVM start included), from wait4.
# 2. Rebalance costs while a producer writes 60 records a second to 6
#    partitions, measured from the sink files' arrival times (tests/lib.sh
#    sink_stamp, 50 ms resolution): a third member joins two
#    (cooperative-sticky, the consumer group protocol of KIP-848 where
#    the linked librdkafka has it, then range), a static member restarts within its
#    session timeout, and a healthy member is sent SIGTERM.
set -uo pipefail
BENCH_PART="real Kafka"
# shellcheck source=bench/b_live_lib.sh
. "$(dirname "$0")/b_live_lib.sh"
RUSAGE=$top_builddir/bench/b_rusage
N=${BENCH_LIVE_MESSAGES:-960000}
RUNS=${BENCH_RUNS:-3}
RATE=60

# ---- 1. throughput and CPU
cluster_start bench:24 coop:6 kip848:6 eager:6 static:6 stop:6 ||
    { out "b_live: cannot create the topics"; LIB_DONE=1; exit 1; }
out "b_live: Kafka at $BOOTSTRAP; log in $LOG"
BENCH=$(topic bench)
out "b_live: producing $N records of 100 bytes to $BENCH (24 partitions)..."
"$KAFKA_LOCAL" -d "$KCD_LIVE_DIR" run org.apache.kafka.tools.ProducerPerformance \
    --topic "$BENCH" --num-records "$N" --record-size 100 --throughput -1 \
    --producer-props "bootstrap.servers=$BOOTSTRAP" linger.ms=20 \
    batch.size=262144 acks=1 | tail -n 1

# ms since the epoch of an event's ts (pure): ts_ms TS.
ts_ms() { date -d "$1" +%s%3N; }

for i in $(seq "$RUNS"); do
	"$RUSAGE" -o "$T/java.rusage" "$KAFKA_LOCAL" -d "$KCD_LIVE_DIR" run \
	    org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
	    --topic "$BENCH" --messages "$N" --group "$(group "cp$i")" \
	    --timeout 60000 --hide-header >"$T/cp.$i"
	# start, end, MB, MB/s, nMsg, nMsg/s, rebalance ms, fetch ms,
	# fetch MB/s, fetch nMsg/s
	awk -F', *' 'NF >= 10 { print $10 }' "$T/cp.$i" | tail -n 1 >>"$T/java.rate"
	kc_member_config "kc$i" "$(group "kc$i")" "$BENCH" sink.type=none \
	    log.level=info
	"$RUSAGE" -o "$T/kc.rusage" "$KCONSUMERD" -c "$T/kc$i.yaml" -n "$N" \
	    2>"$T/kc$i.log"
	a=$(jq -r 'select(.event == "assign") | .ts' "$T/kc$i.log" | head -n 1)
	s=$(jq -r 'select(.event == "stop") | .ts' "$T/kc$i.log" | tail -n 1)
	awk -v n="$N" -v a="$(ts_ms "$a")" -v s="$(ts_ms "$s")" \
	    'BEGIN { printf "%.0f\n", n / ((s - a) / 1000) }' >>"$T/kc.rate"
done

# median FILE [FIELD]: the median of a column or of FIELD=value fields.
median() {
	if [ $# -gt 1 ]; then
		sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1"
	else
		cat "$1"
	fi | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
jr=$(median "$T/java.rate") kr=$(median "$T/kc.rate")
jc=$(median "$T/java.rusage" cpu_ms) kcpu=$(median "$T/kc.rusage" cpu_ms)
jm=$(median "$T/java.rusage" maxrss_kb) km=$(median "$T/kc.rusage" maxrss_kb)
out
out "real Kafka 4.1.1 (1 node, local), $N records of 100 bytes, 24 partitions, medians of $RUNS:"
out "$(printf '%-34s %12s %9s %8s %9s' case "records/s" "CPU ms" "ns/msg" "RSS MiB")"
out "$(awk -v r="$jr" -v c="$jc" -v m="$jm" -v n="$N" 'BEGIN { printf "%-34s %12.0f %9.0f %8.0f %9.1f", "ConsumerPerformance (Java)", r, c, c * 1e6 / n, m / 1024 }')"
out "$(awk -v r="$kr" -v c="$kcpu" -v m="$km" -v n="$N" 'BEGIN { printf "%-34s %12.0f %9.0f %8.0f %9.1f", "kconsumerd none, 1 member", r, c, c * 1e6 / n, m / 1024 }')"
out "$(awk -v a="$kr" -v b="$jr" 'BEGIN { r = a / b; printf "%-52s %6.2fx  target >= 1.00x  %s", "records/s: kconsumerd / ConsumerPerformance", r, (r >= 1 ? "met" : "NOT MET") }')"
out "$(awk -v a="$kcpu" -v b="$jc" 'BEGIN { r = a / b; printf "%-52s %6.2fx  (far below 1)", "CPU per message: kconsumerd / ConsumerPerformance", r }')"

# ---- 2. rebalance costs
# Print the partitions of list A that list B also has, and those it has not.
common() {
	comm -12 <(tr ' ' '\n' <<<"$1" | sort) <(tr ' ' '\n' <<<"$2" | sort) |
	    sort -n | tr '\n' ' ' | sed 's/ $//'
}
only() {
	comm -23 <(tr ' ' '\n' <<<"$1" | sort) <(tr ' ' '\n' <<<"$2" | sort) |
	    sort -n | tr '\n' ' ' | sed 's/ $//'
}
# The longest extra wait of a record of PARTITIONS in sink NAME that
# arrived between FROM_MS and TO_MS: its arrival (tests/lib.sh
# sink_stamp) minus its timestamp (the producer's clock, this machine's),
# less the median of that delay over the records that arrived before
# FROM_MS. A pause of the consumer shows here; a stall of the producer
# does not (pure): extra_delay NAME FROM TO PARTITIONS.
extra_delay() {
	local med
	jq -r '"\(.partition) \(.offset) \(.timestamp)"' "$T/$1.sink" |
	    awk 'FNR == NR { ts[$1 " " $2] = $3; next }
		($2 " " $3) in ts { print $1, $2, $1 - ts[$2 " " $3] }' \
	    - "$T/${1}_st.stamps" >"$T/$1.delays"
	med=$(awk -v a="$2" '$1 < a { print $3 }' "$T/$1.delays" | sort -n |
	    awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
	awk -v a="$2" -v b="$3" -v ps=" $4 " -v med="$med" '
	    index(ps, " " $2 " ") && $1 >= a && $1 <= b { if ($3 > m) m = $3 }
	    END { x = m - med; print (x > 0 ? x : 0) }' "$T/$1.delays"
}

# The first arrival (ms) of PARTITION in sink NAME at or after FROM_MS.
first_arrival() {
	awk -v p="$2" -v f="$3" '$2 == p && $1 >= f { print $1; exit }' \
	    "$T/${1}_st.stamps"
}

# Two members of PREFIX on TOPIC with ASSIGNOR and a producer; a third
# joins. Sets W0 (c starts), W1 (c assigned), BEFORE_*, AFTER_*.
join_third() {
	local p=$1 t=$2 assignor=$3 m
	G=$(group "$p")
	produce_bg "traffic_$p" "$t" $RATE
	for m in a b c; do
		if [ "$assignor" = consumer ]; then
			kc_member_config "$p$m" "$G" "$t" $KC_CONSUMER
		else
			kc_member_config "$p$m" "$G" "$t" group.assignor=$assignor
		fi
	done
	for m in a b; do
		kc_start "$p$m" "$T/$p$m.yaml"
		sink_stamp "${p}${m}_st" "$T/$p$m.sink"
	done
	wait_until 60 owned_split 3 "$(kc_log "$p"a)" "$(kc_log "$p"b)" || return 1
	BEFORE_a=${OWNED[$(kc_log "$p"a)]} BEFORE_b=${OWNED[$(kc_log "$p"b)]}
	wait_until 30 eval '[ "$(sink_count "$T/${p}a.sink")" -gt 20 ] &&
	    [ "$(sink_count "$T/${p}b.sink")" -gt 20 ]' || return 1
	W0=$(now_ms)
	kc_start "$p"c "$T/${p}c.yaml"
	sink_stamp "${p}c_st" "$T/${p}c.sink"
	wait_until 60 owned_split 2 "$(kc_log "$p"a)" "$(kc_log "$p"b)" \
	    "$(kc_log "$p"c)" || return 1
	AFTER_a=${OWNED[$(kc_log "$p"a)]} AFTER_b=${OWNED[$(kc_log "$p"b)]}
	W1=$(event_ms "$(kc_log "$p"c)" '.event == "assign" and (.partitions | length) > 0')
	sleep 2	# let the moved partitions' first records arrive at c
}

# Longest pause of a moved partition: its revoke on a or b to its first
# arrival in c's sink.
moved_pause() {
	local p=$1 m mv part r f g=0
	for m in a b; do
		mv=BEFORE_$m mv=$(only "${!mv}" "$(eval echo \$AFTER_$m)")
		r=$(event_ms "$(kc_log "$p$m")" '.event == "revoke"' 1)
		for part in $mv; do
			f=$(first_arrival "$p"c "$part" "$r")
			[ -n "$f" ] && [ $((f - r)) -gt $g ] && g=$((f - r))
		done
	done
	echo $g
}

# Longest pause of a partition that stayed with a or b, in W0..W1.
kept_pause() {
	local p=$1 m kept g=0 x
	for m in a b; do
		kept=BEFORE_$m kept=$(common "${!kept}" "$(eval echo \$AFTER_$m)")
		x=$(extra_delay "$p$m" "$W0" "$W1" "$kept")
		[ "$x" -gt $g ] && g=$x
	done
	echo $g
}

declare -A COST
if join_third c "$(topic coop)" cooperative-sticky; then
	COST[coop_kept]=$(kept_pause c)
	COST[coop_moved]=$(moved_pause c)
	COST[coop_join]=$((W1 - W0))
fi
produce_bg_stop traffic_c
for m in a b c; do kc_stop "c$m" 20; done
# the same join under Kafka's consumer group protocol (KIP-848), where the
# linked librdkafka has it (2.12.0 or later)
if can_consumer_protocol; then
	if join_third k "$(topic kip848)" consumer; then
		COST[kip_kept]=$(kept_pause k)
		COST[kip_moved]=$(moved_pause k)
		COST[kip_join]=$((W1 - W0))
	fi
	produce_bg_stop traffic_k
	for m in a b c; do kc_stop "k$m" 20; done
else
	KIP_SKIP=$CONSUMER_PROTOCOL_WHY
fi
if join_third e "$(topic eager)" range; then
	g=0 h=0
	for m in a b; do
		x=$(jq -r 'select(.event == "assign" and .paused_ms != null) | .paused_ms' \
		    "$(kc_log "e$m")" | sort -n | tail -n 1)
		[ "${x:-0}" -gt $h ] && h=$x
		r=$(event_ms "$(kc_log "e$m")" '.event == "revoke"' 1)
		a=$(event_ms "$(kc_log "e$m")" '.event == "assign" and (.partitions | length) > 0' 2)
		x=$(extra_delay "e$m" "$r" "$((a + 1000))" "$(eval echo \$AFTER_$m)")
		[ "$x" -gt $g ] && g=$x
	done
	COST[eager]=$g
	COST[eager_revoke]=$h
	COST[eager_join]=$((W1 - W0))
fi
produce_bg_stop traffic_e
for m in a b c; do kc_stop "e$m" 20; done

# Static: three static members; c restarts (SIGTERM, start) well within
# the session timeout; the longest pause of a's and b's partitions.
G=$(group static)
produce_bg traffic_s "$(topic static)" $RATE
for m in a b c; do
	kc_member_config "s$m" "$G" "$(topic static)" \
	    group.instance_id="\"bench-$m-%i\"" group.session_timeout_ms=30000
	kc_start "s$m" "$T/s$m.yaml"
	sink_stamp "s${m}_st" "$T/s$m.sink"
done
if wait_until 90 owned_split 2 "$(kc_log sa)" "$(kc_log sb)" "$(kc_log sc)" &&
    wait_until 30 eval '[ "$(sink_count "$T/sc.sink")" -gt 10 ]'; then
	S0=$(now_ms)
	kc_stop sc 20
	mv "$(kc_log sc)" "$T/sc.first.log"
	kc_start sc "$T/sc.yaml"
	wait_event "$(kc_log sc)" '.event == "assign" and (.partitions | length) > 0' 60
	sleep 2
	S1=$(now_ms)
	g=0
	for m in a b; do
		x=$(extra_delay "s$m" "$S0" "$S1" "${OWNED[$(kc_log s$m)]}")
		[ "$x" -gt $g ] && g=$x
	done
	COST[static]=$g
	COST[static_restart]=$((S1 - S0 - 2000))
fi
produce_bg_stop traffic_s

# SIGTERM of a healthy member (records flowing) to its exit, final commit
# included: three runs, the longest.
g=0
produce_bg traffic_t "$(topic stop)" $RATE
for i in 1 2 3; do
	kc_member_config "t$i" "$(group "stop$i")" "$(topic stop)"
	kc_start "t$i" "$T/t$i.yaml"
	wait_until 60 eval '[ "$(sink_count "$T/t$i.sink")" -gt 20 ]' || continue
	t0=$(now_ms)
	kc_stop "t$i" 20
	x=$(($(now_ms) - t0))
	[ "$(count_events "$(kc_log "t$i")" '.event == "stop" and .result == "ok"')" -ge 1 ] ||
	    x="$x (no clean stop event)"
	[ "${x%% *}" -gt "$g" ] && g=$x
done
COST[sigterm]=$g
produce_bg_stop traffic_t
for m in sa sb sc; do kc_stop "$m" 20; done

# row NAME VALUE TARGET
row() {
	out "$(printf '%-66s %8s ms  %s' "$1" "${2:-?}" "$3")"
}
out
out "rebalance costs on the real broker (a producer at $RATE records/s on 6 partitions). A pause is how much longer than"
out "usual a record waited between its timestamp and its arrival in the sink (sink_stamp, 50 ms resolution), so that"
out "a stall of the producer on a busy machine does not count:"
row "cooperative join: longest pause of a partition that did not move" "${COST[coop_kept]:-}" \
    "target 0: records keep arriving"
row "cooperative join: pause of a moved partition (revoke to first record)" "${COST[coop_moved]:-}" ""
row "cooperative join: newcomer start to its assignment" "${COST[coop_join]:-}" ""
if [ -z "${KIP_SKIP:-}" ]; then
	row "KIP-848 join: longest pause of a partition that did not move" "${COST[kip_kept]:-}" \
	    "target 0: records keep arriving"
	row "KIP-848 join: pause of a moved partition (revoke to first record)" "${COST[kip_moved]:-}" ""
	row "KIP-848 join: newcomer start to its assignment" "${COST[kip_join]:-}" ""
else
	out "KIP-848 (group.protocol consumer) join: skipped: $KIP_SKIP"
fi
row "eager join: old members' revoke to assign (paused_ms, nothing consumed)" "${COST[eager_revoke]:-}" ""
row "eager join: longest pause of the old members' records" "${COST[eager]:-}" ""
row "eager join: newcomer start to its assignment" "${COST[eager_join]:-}" ""
row "static restart within the session: longest pause of the others" "${COST[static]:-}" \
    "target: no pause"
row "static restart: SIGTERM to the restarted member's assignment" "${COST[static_restart]:-}" ""
row "SIGTERM to exit, final commit included (longest of 3)" "${COST[sigterm]:-}" "target <= 1000 ms"
LIB_DONE=1	# no TAP plan: a bench, not a test
exit 0
