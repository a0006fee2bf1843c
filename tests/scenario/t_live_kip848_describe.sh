#!/bin/bash
# t_live_kip848_describe: kconsumerctl describe on a consumer-protocol
# group (KIP-848) agrees with Kafka's own kafka-consumer-groups
# --describe --members --verbose on a real broker: the group protocol,
# each member's id, instance id, host, client id, partition count,
# current assignment and the broker's target assignment. The group and
# member epochs that Kafka's tool prints are not reachable through
# librdkafka (up to 2.15.0 it parses and drops them), so they are not
# compared. Needs librdkafka 2.12.0 or later (skips with the reason
# otherwise).

# shellcheck disable=SC2016
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not speak the consumer group protocol"
require_tools kcat jq java
require_consumer_protocol

ok "topic orders (4 partitions) is created" cluster_start orders:4
ORDERS=$(topic orders)
G=$(group describe)
ok "40 records are produced" produce "$ORDERS" 40
for name in m1 m2; do
	kc_member_config "$name" "$G" "$ORDERS" $KC_CONSUMER \
	    group.instance_id="\"$name-%i\"" kafka.auto.commit.interval.ms=500
	kc_start "$name" "$T/$name.yaml"
done
ok "the two members own 2 partitions each" \
    wait_until 60 owned_split 2 "$(kc_log m1)" "$(kc_log m2)"
ok "they consume the 40 records" wait_sink_count 40 30 "$T/m1.sink" "$T/m2.sink"

# Kafka's tool output (stdin), the columns named, one line a row, sorted.
kafka_columns() {
	awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
	    NF == 0 { next }
	    !head { for (i = 1; i <= NF; i++) col[$i] = i; head = 1; next }
	    { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") $(col[w[i]]); print line }' |
	    sort
}


kafka_groups --describe --group "$G" --members --verbose >"$T/members.txt" 2>"$T/kafka.err"
ok "Kafka's tool describes the group" test -s "$T/members.txt"
"$CTL" describe -c "$T/m1.yaml" --json >"$T/ctl.json" 2>"$T/ctl.err"
ok "kconsumerctl describes the group" test -s "$T/ctl.json"
diag "Kafka's tool:" "$(cat "$T/members.txt")"
is "$(jq -r .type "$T/ctl.json")" consumer "kconsumerctl says the group speaks the consumer protocol"
is "$(jq -r '.members[] | "\(.member_id) \(.instance_id) \(.host) \(.client_id) \(.partitions)"' "$T/ctl.json" | sort)" \
    "$(kafka_columns CONSUMER-ID GROUP-INSTANCE-ID HOST CLIENT-ID '#PARTITIONS' <"$T/members.txt")" \
    "members: member id, instance id, host, client id and partition count agree"
CTL_ASSIGN=$(jq -r '.members[] | "\(.member_id) \(.assignment | gsub("[^,]*\\[(?<p>[0-9]+)\\]"; "\(.p)"))"' "$T/ctl.json" | sort)
is "$CTL_ASSIGN" \
    "$(kafka_columns CONSUMER-ID CURRENT-ASSIGNMENT <"$T/members.txt" | sed -E 's/ [^ ]*:/ /')" \
    "current assignments agree (member id: partitions)"
is "$(jq -r '.members[] | "\(.member_id) \(.target_assignment // "none" | gsub("[^,]*\\[(?<p>[0-9]+)\\]"; "\(.p)"))"' "$T/ctl.json" | sort)" \
    "$(kafka_columns CONSUMER-ID TARGET-ASSIGNMENT <"$T/members.txt" | sed -E 's/ [^ ]*:/ /')" \
    "target assignments agree (member id: partitions)"
"$CTL" describe -c "$T/m1.yaml" >"$T/ctl.txt" 2>&1
like "$(cat "$T/ctl.txt")" "group protocol consumer" "the text output names the group protocol"

for name in m1 m2; do
	kc_stop "$name" 20
	is "$?" 0 "$name stops cleanly"
done
ok "0 records lost" check_delivery 40 "$T/m1.sink" "$T/m2.sink"
done_testing
