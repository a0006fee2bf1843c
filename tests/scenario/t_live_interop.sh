#!/bin/bash
# t_live_interop: kconsumerd (librdkafka) and Kafka's own Java console
# consumer are members of one cooperative-sticky group on a real broker
# (classic protocol: group.protocol=classic on the Java side, which a
# "consumer"-protocol client would convert). Two kconsumerd members
# share 6 partitions while a producer runs; the Java consumer joins:
# the broker logs one generation with the three members, Kafka's
# consumer-group tool lists the three with disjoint assignments covering
# every partition, the kconsumerd members give up one partition each
# and the Java consumer consumes two. The Java consumer then stops
# (LeaveGroup) and its partitions return. Nothing is lost, and no
# partition is consumed by two members at once: per partition, the
# records in the order they arrived form runs of one consumer each
# (offsets increasing inside a run, no hole between runs), at most one
# run more than the hand-overs kconsumerd logged for it.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "a Java client in the group needs a real broker"
require_tools kcat jq perl java
LIBDIR=$("$top_srcdir/lab/kafka-fetch" 2>/dev/null) || LIBDIR=
[ -d "${LIBDIR:-/nonexistent}" ] ||
    skip_all "Kafka's jars are not at hand (lab/kafka-fetch)"

RATE=40
ok "topic interop (6 partitions) is created" cluster_start interop:6
TOPIC=$(topic interop)
G=$(group interop)

declare -A MARK
sink_mark() {
	local f
	for f in "$@"; do MARK[$f]=$(wc -l <"$f" 2>/dev/null || echo 0); done
}
# True when each FILE has MIN more lines than at sink_mark: grown MIN FILE...
grown() {
	local min=$1 f
	shift
	for f in "$@"; do
		[ "$(wc -l <"$f" 2>/dev/null || echo 0)" -ge $((MARK[$f] + min)) ] || return 1
	done
}

# True when each member LOG owns N partitions, no two the same: owns N LOG...
owns() {
	local n=$1 l all=''
	shift
	for l in "$@"; do
		[ "$(owned "$l" | wc -w)" -eq "$n" ] || return 1
		all="$all $(owned "$l")"
	done
	[ "$(printf '%s\n' $all | sort -u | wc -l)" -eq $((n * $#)) ]
}

produce_bg traffic "$TOPIC" $RATE
for i in 0 1; do
	kc_member_config "k$i" "$G" "$TOPIC" group.assignor=cooperative-sticky \
	    group.session_timeout_ms=10000 group.max_poll_interval_ms=30000
	kc_start "k$i" "$T/k$i.yaml"
	sink_stamp "stamp_k$i" "$T/k$i.sink"
done
ok "the two kconsumerd members settle on 3 partitions each" \
    wait_until 60 owned_split 3 "$(kc_log k0)" "$(kc_log k1)"
sink_mark "$T/k0.sink" "$T/k1.sink"
ok "they consume the traffic" wait_until 60 grown 20 "$T/k0.sink" "$T/k1.sink"
KC_BEFORE="${OWNED[$(kc_log k0)]} ${OWNED[$(kc_log k1)]}"

# ---- the Java console consumer joins (Kafka 4.1.1's kafka-tools)
proc_start java "$T/java.out" "$T/java.err" \
    java -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.net.preferIPv4Stack=true \
    -Dlog4j2.configurationFile="$top_srcdir/lab/log4j2-tools.properties" \
    -cp "$LIBDIR/*" org.apache.kafka.tools.consumer.ConsoleConsumer \
    --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" --group "$G" \
    --consumer-property group.protocol=classic \
    --consumer-property partition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor \
    --consumer-property session.timeout.ms=10000 \
    --consumer-property heartbeat.interval.ms=1000 \
    --consumer-property client.id=java-console \
    --property print.partition=true --property print.offset=true
sink_stamp stamp_java "$T/java.out"
ok "the broker stabilizes a generation with the three members" \
    broker_wait "$G" 'Stabilized group .* generation [0-9]+ with 3 members' 60
GEN=$(broker_group_lines "$G" | sed -nE 's/.*Stabilized group .* generation ([0-9]+) with 3 members.*/\1/p' | tail -n 1)
ok "the leader's assignment for generation $GEN covers the three members" \
    broker_wait "$G" "for generation $GEN\. The group has 3 members" 30
ok "the kconsumerd members give up one partition each (2 each)" \
    wait_until 60 owns 2 "$(kc_log k0)" "$(kc_log k1)"
KC_OWNED="$(owned "$(kc_log k0)") $(owned "$(kc_log k1)")"
sink_mark "$T/java.out" "$T/k0.sink" "$T/k1.sink"
ok "the Java consumer and both kconsumerd members consume" \
    wait_until 60 grown 20 "$T/java.out" "$T/k0.sink" "$T/k1.sink"
JAVA_PARTS=$(awk -F'\t' '{ for (i = 1; i <= NF; i++) if ($i ~ /^Partition:/)
    { sub(/^Partition:/, "", $i); print $i } }' "$T/java.out" | sort -un | tr '\n' ' ')
JAVA_PARTS=${JAVA_PARTS% }
ALL=$(printf '%s\n' $KC_OWNED $JAVA_PARTS | sort -n | tr '\n' ' ')
is "$ALL" "0 1 2 3 4 5 " \
    "kconsumerd ($KC_OWNED) and Java ($JAVA_PARTS) consume disjoint partitions covering all 6"
is "$(printf '%s\n' $KC_BEFORE $KC_OWNED | sort -n | uniq -u | tr '\n' ' ')" "$JAVA_PARTS " \
    "the partitions kconsumerd revoked are the ones the Java consumer consumes"
broker_diag "$G" 10

# Kafka's consumer-group tool, parsed by its header's column names
kafka_groups --describe --group "$G" --members --verbose >"$T/describe.out" 2>"$T/describe.err"
diag "kafka-consumer-groups --describe --members --verbose:" "$(cat "$T/describe.out")"
# (4.1.1: ... CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT
# TARGET-EPOCH TARGET-ASSIGNMENT, an assignment written TOPIC:P,P)
awk -v g="$G" '
    $1 == "GROUP" { for (i = 1; i <= NF; i++) col[$i] = i
	a = ("CURRENT-ASSIGNMENT" in col) ? col["CURRENT-ASSIGNMENT"] : col["ASSIGNMENT"]
	next }
    $1 == g && a {
	v = $a
	sub(/^.*:/, "", v); sub(/^.*\(/, "", v); sub(/\)$/, "", v)
	print $col["CLIENT-ID"], $col["#PARTITIONS"], v
    }' "$T/describe.out" >"$T/members"
is "$(wc -l <"$T/members")" 3 "the tool lists three members"
is "$(awk '$1 == "java-console"' "$T/members" | wc -l)" 1 "one of them is the Java consumer"
is "$(awk '{ print $2 }' "$T/members" | tr '\n' ' ')" "2 2 2 " \
    "each has 2 partitions"
is "$(awk '{ gsub(/,/, "\n", $3); print $3 }' "$T/members" | sort -n | tr '\n' ' ')" \
    "0 1 2 3 4 5 " "their assignments are disjoint and cover every partition"
is "$(awk '$1 == "java-console" { gsub(/,/, " ", $3); print $3 }' "$T/members" |
    tr ' ' '\n' | sort -n | tr '\n' ' ')" "$JAVA_PARTS " \
    "the Java consumer's assignment is what it consumes"

# ---- the Java consumer leaves; its partitions return to kconsumerd
REB=$(broker_count "$G" 'Preparing to rebalance')
proc_stop java 30
diag "the Java consumer exited with status $KC_STATUS on SIGTERM"
ok "the broker logs the Java consumer's LeaveGroup" \
    broker_wait "$G" 'explicit `LeaveGroup` request for \(java-console-' 30
ok "the kconsumerd members take its partitions back (3 each)" \
    wait_until 60 owned_split 3 "$(kc_log k0)" "$(kc_log k1)"
sink_mark "$T/k0.sink" "$T/k1.sink"
ok "they go on consuming" wait_until 60 grown 20 "$T/k0.sink" "$T/k1.sink"
diag "the broker logged $(($(broker_count "$G" 'Preparing to rebalance') - REB)) rebalances for the leave"

ok "the producer stops and kcat delivered everything" produce_bg_stop traffic
# the Java consumer's records as sink JSON lines, for check_delivery
awk -F'\t' -v t="$TOPIC" '{ p = o = ""
    for (i = 1; i <= NF; i++) {
	if ($i ~ /^Partition:/) p = substr($i, 11)
	if ($i ~ /^Offset:/) o = substr($i, 8)
    }
    if (p != "" && o != "") printf "{\"topic\":\"%s\",\"partition\":%s,\"offset\":%s}\n", t, p, o
}' "$T/java.out" >"$T/java.sink"
ok "every produced record reaches a consumer" \
    wait_sink_count "$(produced "$TOPIC")" 60 "$T/k0.sink" "$T/k1.sink" "$T/java.sink"
# kconsumerd's rebalance events naming each partition: a hand-over
# between two consumers is at least one of them (the Java consumer's
# side is invisible here, a kconsumerd side always logs),
# counted before the final stops
for i in 0 1; do
	jq -rR '(try fromjson catch null) | objects |
	    select(.event == "assign" or .event == "revoke" or .event == "lost") |
	    .partitions[].partition' "$(kc_log k$i)"
done | sort -n | uniq -c | awk '{ print "E", $2, $1 }' >"$T/events"
for i in 0 1; do
	diag "k$i's rebalance events: $(jq -rR '(try fromjson catch null) | objects |
	    select(.event == "assign" or .event == "revoke" or .event == "lost") |
	    "\(.ts[11:23]) \(.event) [\([.partitions[].partition] | join(","))]"' \
	    "$(kc_log k$i)" | paste -sd ' ' | sed 's/ \([0-9][0-9]:\)/; \1/g')"
done
for i in 0 1; do
	kc_stop "k$i" 20
	is "$?" 0 "k$i stops cleanly"
done
ok "0 records lost" check_delivery "$(produced "$TOPIC")" \
    "$T/k0.sink" "$T/k1.sink" "$T/java.sink"
diag "$DELIVERY_UNIQUE records: Java $(wc -l <"$T/java.sink"), k0 $(sink_count "$T/k0.sink"), k1 $(sink_count "$T/k1.sink"); $DELIVERY_DUPLICATES duplicates"

# ---- no partition consumed by two members at once
for n in k0 k1 java; do
	awk -v c="$n" '{ print $1, $2, $3, c }' "$T/stamp_$n.stamps"
done | sort -s -n -k1,1 -k3,3 | cat "$T/events" - | awk '
    $1 == "E" { ev[$2] = $3; next }
    {
	p = $2; o = $3; c = $4
	if (!(p in runs) || c != cur[p]) {
	    if ((p in runs) && o > last[p] + 1) { print "hole", p, cur[p], last[p], c, o; bad++ }
	    cur[p] = c; runs[p]++; order[p] = order[p] " " c "@" o
	} else if (o <= last[p]) { print "back", p, c, last[p], o; bad++ }
	last[p] = o
    }
    END {
	for (p in runs) {
	    printf "partition %s: %d runs (%s), %d kconsumerd events\n", p, runs[p], substr(order[p], 2), ev[p]
	    if (runs[p] > 1 + ev[p]) { print "too many runs", p; bad++ }
	}
	exit bad > 0
    }' >"$T/runs" 2>&1
st=$?
diag "per partition, consumers in arrival order (consumer@first offset of each run):" "$(sort "$T/runs")"
is "$st" 0 "no partition was consumed by two members at once (runs of one consumer, in order, no holes)"
cmp_ok "$(grep -c '^partition' "$T/runs")" -eq 6 "the runs cover the 6 partitions"
done_testing
