#!/usr/bin/env bash
# b_compare.sh: CPU and peak RSS per consumer, side by side, on the mock
# cluster (tests/mockcluster: 3 brokers, topic bench of BENCH_PARTITIONS
# partitions x BENCH_PER_PARTITION records of 100 bytes, 24 x 40000 by
# default), each consumer reading the whole topic from the beginning in a
# fresh group: the bare librdkafka loop (bench/b_bareloop), kcat -J and
# plain, kconsumerd per sink with 1 and 3 members. Every case runs
# BENCH_RUNS times (default 3), interleaved; the table shows medians of
# user+system CPU and ru_maxrss from wait4 (bench/b_rusage), so other
# load on the machine changes wall time, not these. Stdout goes to
# /dev/null for kcat and kconsumerd alike.
set -euo pipefail
: "${top_builddir:?}" "${MOCKCLUSTER:?}" "${KCONSUMERD:?}"
KCAT=${KCAT:-kcat}
PARTS=${BENCH_PARTITIONS:-24}
PER=${BENCH_PER_PARTITION:-40000}
RUNS=${BENCH_RUNS:-3}
N=$((PARTS * PER))
# The mock makes a join wait session.timeout.ms - 1000 once a group has
# members: every consumer gets the same short session.
SESSION_MS=6000
HEARTBEAT_MS=1000
GROUP_PROPS=(-X "session.timeout.ms=$SESSION_MS" -X "heartbeat.interval.ms=$HEARTBEAT_MS")
RUSAGE=$top_builddir/bench/b_rusage
BARE=$top_builddir/bench/b_bareloop
T=$(mktemp -d "${TMPDIR:-/tmp}/kcd-bench.XXXXXX")
mock=
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

"$MOCKCLUSTER" -b 3 -t "bench:$PARTS" -f "$T/bootstrap" -l "$T/mock.log" &
mock=$!
for _ in $(seq 200); do [ -s "$T/bootstrap" ] && break; sleep 0.1; done
[ -s "$T/bootstrap" ] || { echo "b_compare: the mock cluster did not start" >&2; exit 1; }
bootstrap=$(cat "$T/bootstrap")

echo "b_compare: producing $PARTS x $PER records of 100 bytes ($N) to the mock..."
value=$(head -c 100 /dev/zero | tr '\0' v)
for p in $(seq 0 $((PARTS - 1))); do
	awk -v n="$PER" -v v="$value" 'BEGIN { for (i = 0; i < n; i++) print v }' |
	    "$KCAT" -P -b "$bootstrap" -t bench -p "$p" -X linger.ms=100 \
	    -X batch.num.messages=10000 -X queue.buffering.max.messages=100000
done
# every record must be there: the mock keeps at most 5 MiB a partition
have=$("$KCAT" -C -b "$bootstrap" -t bench -o -1 -e -q -f '%o\n' 2>/dev/null |
    awk '{ s += $1 + 1 } END { print s + 0 }')
[ "$have" -eq "$N" ] || { echo "b_compare: the mock holds $have records, not $N" >&2; exit 1; }

# kconsumerd_config NAME CONSUMERS SINK [FORMAT]: a configuration file.
kconsumerd_config() {
	local text=
	[ -z "${4:-}" ] || text=", format: text, template: \"$4\""
	cat > "$T/$1.yaml" <<CFG
kafka: { bootstrap.servers: "$bootstrap" }
group: { id: "$1", session_timeout_ms: $SESSION_MS, heartbeat_interval_ms: $HEARTBEAT_MS }
topics: [bench]
consumers: $2
sink: { type: $3, path: "$T/$1.out", fsync: batch$text }
log: { level: warn }
CFG
}

# run CASE I: one run of a case in a fresh group, appending its rusage.
run() {
	local c=$1 g=b-$1-$2 out=$T/$1.rusage
	case $c in
	bare)
		"$RUSAGE" -o "$out" "$BARE" "$bootstrap" "$g" bench "$N" \
		    "session.timeout.ms=$SESSION_MS" "heartbeat.interval.ms=$HEARTBEAT_MS" \
		    2>"$T/$g.log" ;;
	kcat_json)
		"$RUSAGE" -o "$out" "$KCAT" -b "$bootstrap" -G "$g" -J -c "$N" \
		    -q -X auto.offset.reset=earliest "${GROUP_PROPS[@]}" bench >/dev/null ;;
	kcat_plain)
		"$RUSAGE" -o "$out" "$KCAT" -b "$bootstrap" -G "$g" -c "$N" \
		    -q -X auto.offset.reset=earliest "${GROUP_PROPS[@]}" bench >/dev/null ;;
	none1) kconsumerd_config "$g" 1 none ;;
	none3) kconsumerd_config "$g" 3 none ;;
	stdout_json) kconsumerd_config "$g" 1 stdout ;;
	stdout_plain) kconsumerd_config "$g" 1 stdout '%s' ;;
	file_batch) kconsumerd_config "$g" 1 file ;;
	esac
	case $c in
	none*|stdout*|file*)
		"$RUSAGE" -o "$out" "$KCONSUMERD" -c "$T/$g.yaml" -n "$N" \
		    >/dev/null 2>"$T/$g.log"
		rm -f "$T/$g.out" ;;
	esac
	if ! tail -n 1 "$out" | grep -q 'status=0$'; then
		echo "b_compare: $c run $i failed: $(tail -n 1 "$out")" >&2
		tail -n 5 "$T/$g.log" >&2 2>/dev/null
	fi
}

CASES=${BENCH_CASES:-bare kcat_json kcat_plain none1 none3 stdout_json stdout_plain file_batch}
echo "b_compare: $RUNS runs of: $CASES"
for i in $(seq "$RUNS"); do
	for c in $CASES; do
		run "$c" "$i"
	done
done

# median CASE FIELD: the median of FIELD over a case's runs.
median() {
	sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$T/$1.rusage" | sort -g |
	    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	        else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

label() {
	case $1 in
	bare) echo "bare loop (b_bareloop)" ;;
	kcat_json) echo "kcat -G -J" ;;
	kcat_plain) echo "kcat -G (value only)" ;;
	none1) echo "kconsumerd none, 1 member" ;;
	none3) echo "kconsumerd none, 3 members" ;;
	stdout_json) echo "kconsumerd stdout JSON" ;;
	stdout_plain) echo "kconsumerd stdout '%s'" ;;
	file_batch) echo "kconsumerd file, fsync batch" ;;
	esac
}

declare -A CPU RSS WALL
for c in $CASES; do
	CPU[$c]=$(median "$c" cpu_ms)
	RSS[$c]=$(median "$c" maxrss_kb)
	WALL[$c]=$(median "$c" wall_ms)
done

echo
echo "mock cluster, $N records of 100 bytes ($PARTS partitions), medians of $RUNS runs"
echo "(CPU, user, sys in ms of rusage; faults: minor page faults);"
echo "$(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), librdkafka $(pkg-config --modversion rdkafka 2>/dev/null || echo '?')"
printf '%-30s %8s %8s %7s %7s %8s %8s %7s %8s\n' case "CPU ms" "ns/msg" \
    "user" "sys" "RSS MiB" "faults" "wall s" "msg/s"
for c in $CASES; do
	awk -v l="$(label "$c")" -v cpu="${CPU[$c]}" -v rss="${RSS[$c]}" \
	    -v wall="${WALL[$c]}" -v n="$N" -v u="$(median "$c" user_ms)" \
	    -v s="$(median "$c" sys_ms)" -v f="$(median "$c" minflt)" 'BEGIN {
		printf "%-30s %8.0f %8.0f %7.0f %7.0f %8.1f %8.0f %7.1f %8.0f\n",
		    l, cpu, cpu * 1e6 / n, u, s, rss / 1024, f, wall / 1000,
		    n / (wall / 1000) }'
done

# ratio NAME A B [TARGET]: CPU or RSS of case A over case B, against the
# issue's target when there is one.
ratio() {
	awk -v name="$1" -v a="$2" -v b="$3" -v t="${4:-}" 'BEGIN {
		r = a / b
		if (t == "")
			printf "%-52s %6.2fx\n", name, r
		else
			printf "%-52s %6.2fx  target <= %.2fx  %s\n", name, r, t,
			    (r <= t ? "met" : "NOT MET") }'
}
echo
echo "ratios (CPU per message unless said):"
has() { [[ " $CASES " == *" $1 "* ]] && [[ " $CASES " == *" $2 "* ]]; }
has none1 bare && ratio "kconsumerd none / bare loop" "${CPU[none1]}" "${CPU[bare]}" 1.0
has stdout_json kcat_json && ratio "kconsumerd stdout JSON / kcat -J" "${CPU[stdout_json]}" "${CPU[kcat_json]}" 0.8
has file_batch none1 && ratio "kconsumerd file fsync batch / kconsumerd none" "${CPU[file_batch]}" "${CPU[none1]}" 1.2
has file_batch stdout_json && ratio "  (same JSON formatting:) file fsync batch / stdout JSON" "${CPU[file_batch]}" "${CPU[stdout_json]}"
has none3 none1 && ratio "kconsumerd none 3 members / 1 member" "${CPU[none3]}" "${CPU[none1]}" 1.0
has none1 bare && ratio "peak RSS: kconsumerd none / bare loop" "${RSS[none1]}" "${RSS[bare]}" 1.1
has stdout_plain kcat_plain && ratio "kconsumerd stdout '%s' / kcat plain (no target)" "${CPU[stdout_plain]}" "${CPU[kcat_plain]}"
has none1 kcat_plain && ratio "kconsumerd none / kcat plain (no target)" "${CPU[none1]}" "${CPU[kcat_plain]}"
if [ -n "${BENCH_KEEP:-}" ]; then
	mkdir -p "$BENCH_KEEP" && cp "$T"/*.rusage "$BENCH_KEEP"/
fi
