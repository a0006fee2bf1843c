#!/bin/bash
# t_live_describe_kafka: "kconsumerctl describe --json" and Kafka's own
# consumer-group tool (kafka-consumer-groups: --describe --members
# --verbose, --offsets) report the same members, instance ids, hosts,
# client ids, assignments, committed offsets, log-end offsets and lag for
# the same group: once with two static members running, once after they
# stopped and more records were produced (lag).

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not support DescribeGroups"
require_tools kcat jq java

ok "topic orders (4 partitions) is created" cluster_start orders:4
ORDERS=$(topic orders)
G=$(group describe)
# uneven partitions: 10, 20, 30 and 40 records
for p in 0 1 2 3; do
	produce "$ORDERS" $((10 * (p + 1))) "$p" || fail "produce to partition $p"
done
for name in m1 m2; do
	kc_member_config "$name" "$G" "$ORDERS" group.instance_id="\"$name-%i\"" \
	    group.assignor=range kafka.auto.commit.interval.ms=500
	kc_start "$name" "$T/$name.yaml"
done
ok "the two members own 2 partitions each" \
    wait_until 60 owned_split 2 "$(kc_log m1)" "$(kc_log m2)"
ok "they consume the 100 records" wait_sink_count 100 30 "$T/m1.sink" "$T/m2.sink"

# Print Kafka's tool output's columns COL... (by header name), one row a
# line, sorted (stdin: the tool's output): kafka_columns COL...
kafka_columns() {
	awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
	    NF == 0 { next }
	    !head { for (i = 1; i <= NF; i++) col[$i] = i; head = 1; next }
	    { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") $(col[w[i]]); print line }' |
	    sort
}

# Print describe's JSON (file) the same way: describe_rows FILE JQ.
describe_rows() {
	jq -r "$2" "$1" | sort
}

# Print "partition committed log_end lag" rows of both tools, "-" for none.
kafka_offsets() {
	kafka_groups --describe --group "$G" --offsets 2>"$T/kafka.err" |
	    kafka_columns PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG
}
ctl_offsets() {
	"$CTL" describe -c "$T/m1.yaml" --json >"$T/ctl.json" 2>"$T/ctl.err" &&
	    describe_rows "$T/ctl.json" '.partitions[] |
	    "\(.partition) \(.committed // "-") \(.log_end) \(.lag // "-")"'
}
# True when both tools show every record committed: the offsets agree
# with the log ends (0 lag) and with each other.
settled() {
	KAFKA_OFF=$(kafka_offsets) CTL_OFF=$(ctl_offsets)
	[ "$KAFKA_OFF" = "$CTL_OFF" ] && [ "$(grep -c ' 0$' <<<"$KAFKA_OFF")" -eq 4 ]
}
ok "committed offsets settle at the log ends in both tools" wait_until 60 settled
is "$CTL_OFF" "$KAFKA_OFF" \
    "committed, log-end and lag per partition agree (partition committed end lag)"
diag "Kafka's tool: $(tr '\n' ';' <<<"$KAFKA_OFF")"

kafka_groups --describe --group "$G" --members --verbose >"$T/members.txt" 2>"$T/kafka.err"
"$CTL" describe -c "$T/m1.yaml" --json >"$T/ctl.json" 2>"$T/ctl.err"
is "$(describe_rows "$T/ctl.json" '.members[] | "\(.member_id) \(.instance_id) \(.host) \(.client_id) \(.partitions)"')" \
    "$(kafka_columns CONSUMER-ID GROUP-INSTANCE-ID HOST CLIENT-ID '#PARTITIONS' <"$T/members.txt")" \
    "members: member id, instance id, host, client id and partition count agree"
is "$(describe_rows "$T/ctl.json" '[.partitions[] | {m: .member_id, p: .partition}] | group_by(.m)[] | "\(.[0].m) \(map(.p) | sort | map(tostring) | join(","))"')" \
    "$(kafka_columns CONSUMER-ID CURRENT-ASSIGNMENT <"$T/members.txt" | sed 's/ [^ ]*:/ /')" \
    "assignments agree (member id: partitions)"
is "$(jq -r '.state' "$T/ctl.json")" \
    "$(kafka_groups --describe --group "$G" --state 2>/dev/null | kafka_columns STATE)" \
    "the group's state agrees"

for name in m1 m2; do
	kc_stop "$name" 20
	is "$?" 0 "$name stops cleanly"
done
ok "0 records lost" check_delivery 100 "$T/m1.sink" "$T/m2.sink"
ok "12 more records land in partition 3" produce "$ORDERS" 12 3
# no member now: the committed offsets stay, the lag grows
lagging() {
	KAFKA_OFF=$(kafka_offsets) CTL_OFF=$(ctl_offsets)
	[ "$KAFKA_OFF" = "$CTL_OFF" ] && grep -q '^3 40 52 12$' <<<"$KAFKA_OFF"
}
ok "with the members gone both tools see partition 3 lag by 12" wait_until 30 lagging
is "$CTL_OFF" "$KAFKA_OFF" "offsets and lag still agree, partition by partition"
diag "Kafka's tool: $(tr '\n' ';' <<<"$KAFKA_OFF")"
done_testing
