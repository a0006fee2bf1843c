# tests/lib/produce.sh: messages produced to the cluster with kcat.
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- produce

# Print how many messages produce/produce_bg_stop put in TOPIC (pure).
produced() {
	cat "$T/produced.$1" 2>/dev/null || echo 0
}

# Produce COUNT messages "k<i>:<topic>-<i>" (i continues across calls) to
# TOPIC, optionally to one PARTITION; returns when kcat has succeeded:
# produce TOPIC COUNT [PARTITION].
produce() {
	local topic=$1 count=$2 start part=()
	start=$(produced "$topic")
	[ $# -ge 3 ] && part=(-p "$3")
	awk -v s="$start" -v n="$count" -v t="$topic" \
	    'BEGIN { for (i = s; i < s + n; i++) printf "k%d:%s-%d\n", i, t, i }' |
	    lib_kcat -P -t "$topic" "${part[@]}" -K: \
	    -X message.timeout.ms=30000 2>"$T/produce.err"
	if [ "${PIPESTATUS[1]}" -ne 0 ]; then
		diag "produce $topic $count: kcat failed:" "$(cat "$T/produce.err")"
		return 1
	fi
	echo $((start + count)) >"$T/produced.$topic"
}

# Produce "kb<i>:<topic>-b<i>" to TOPIC at RATE messages a second (default
# 50) in the background until produce_bg_stop: produce_bg NAME TOPIC [RATE].
produce_bg() {
	local name=$1 topic=$2 rate=${3:-50}
	rm -f "$T/$name.fifo" "$T/$name.count"
	mkfifo "$T/$name.fifo"
	echo "$topic" >"$T/$name.topic"
	proc_start "$name" "$T/$name.out" "$T/$name.err" \
	    "$KCAT" -b "$BOOTSTRAP" $KCAT_OPTS -P -t "$topic" -K: \
	    -X message.timeout.ms=60000 -X linger.ms=5 -l "$T/$name.fifo"
	(
		stop=0 i=0
		trap 'stop=1' TERM
		interval=$(awk -v r="$rate" 'BEGIN { printf "%.3f", 1 / r }')
		while [ "$stop" -eq 0 ]; do
			printf 'kb%d:%s-b%d\n' "$i" "$topic" "$i" || break
			i=$((i + 1))
			echo "$i" >"$T/$name.count"
			sleep "$interval"
		done
	) >"$T/$name.fifo" &
	echo $! >"$T/$name.gen.pid"
	LIB_PIDS+=($!)
}

# Stop produce_bg NAME, wait for kcat to deliver everything; sets
# PRODUCED_BG to the count, adds it to produced TOPIC, returns kcat's
# status: produce_bg_stop NAME [DEADLINE_S=60].
produce_bg_stop() {
	local name=$1 gen topic
	gen=$(cat "$T/$name.gen.pid")
	kill -TERM "$gen" 2>/dev/null
	wait "$gen" 2>/dev/null
	PRODUCED_BG=$(cat "$T/$name.count" 2>/dev/null || echo 0)
	topic=$(cat "$T/$name.topic")
	echo $(($(produced "$topic") + PRODUCED_BG)) >"$T/produced.$topic"
	proc_wait_exit "$name" "${2:-60}" || {
		diag "produce_bg $name: kcat status $KC_STATUS:" \
		    "$(tail -n 5 "$T/$name.err")"
		return 1
	}
}
