#!/usr/bin/env bash
# b_consume.sh: messages per second from the mock cluster helper through
# kconsumerd (-n N) into the none and file sinks, one and three members.
set -euo pipefail
: "${top_builddir:?}" "${MOCKCLUSTER:?}" "${KCONSUMERD:?}"
N=${BENCH_MESSAGES:-200000}
T=$(mktemp -d)
trap 'kill "$mock" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

"$MOCKCLUSTER" -b 3 -t bench:6 -f "$T/bootstrap" -l "$T/mock.log" &
mock=$!
for _ in $(seq 200); do [ -s "$T/bootstrap" ] && break; sleep 0.1; done
bootstrap=$(cat "$T/bootstrap")
echo "producing $N messages of 100 bytes..."
value=$(head -c 100 /dev/zero | tr '\0' v)
seq "$N" | sed "s/\$/:$value/" |
    kcat -P -b "$bootstrap" -t bench -K: -X linger.ms=50 -X batch.num.messages=10000

# run NAME CONSUMERS SINK: consume all N and print the rate.
run() {
	local name=$1 consumers=$2 sink=$3 t0 t1
	cat > "$T/$name.yaml" <<CFG
kafka: { bootstrap.servers: "$bootstrap" }
group: { id: "bench-$name", session_timeout_ms: 6000, heartbeat_interval_ms: 1000 }
topics: [bench]
consumers: $consumers
sink: { type: $sink, path: "$T/$name.out", fsync: batch }
log: { level: warn }
CFG
	t0=$(date +%s.%N)
	"$KCONSUMERD" -c "$T/$name.yaml" -n "$N"
	t1=$(date +%s.%N)
	awk -v n="$N" -v a="$t0" -v b="$t1" -v name="$name" \
	    'BEGIN { printf "%-28s %10.0f messages/s (%.1f s, group join included)\n", name, n / (b - a), b - a }'
}
run "none sink, 1 member" 1 none
run "none sink, 3 members" 3 none
run "file sink (fsync batch)" 1 file
