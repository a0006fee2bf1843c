#!/bin/bash
# t_live_kip848_demo: kconsumerd --demo --bootstrap -c FILE plays the
# demo on a real cluster under Kafka's consumer group protocol
# (group.protocol: consumer in FILE), the third of the side-by-side runs
# of doc/experiments.md: three static members join one after another,
# member 1 restarts at once and takes its place back with the same
# partitions while members 0 and 2 log nothing (the broker logs it
# leaving temporarily and re-joining), then it stops past the session and
# comes back. The summary names both protocols. Needs librdkafka 2.12.0
# or later (skips with the reason otherwise).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not speak the consumer group protocol"
require_tools
require_consumer_protocol

ok "the cluster is up" cluster_start
G=$(group demo)
cat >"$T/demo.yaml" <<YAML
group:
  id: $G
  instance_id: "kip848-demo-%i"
  protocol: consumer
  max_poll_interval_ms: 30000
topics: [kconsumerd-demo]
consumers: 3
sink:
  type: none
log:
  level: error
YAML
proc_start demo "$T/demo.out" "$T/demo.err" "$KCONSUMERD" --demo \
    --bootstrap "$BOOTSTRAP" -c "$T/demo.yaml"
kc_wait_exit demo 150
is "$KC_STATUS" 0 "the demo ends by itself and exits 0"
OUT=$(cat "$T/demo.out")
like "$OUT" "group protocol consumer \(KIP-848" "it announces the consumer group protocol"
like "$OUT" "member 1 is back after [0-9.]+ s; members 0 and 2 logged 0 events" \
    "the static restart: member 1 is back and the others logged no event"
like "$OUT" "was back after [0-9.]+ s with the same partitions \([0-9,]+\), and members 0 and 2" \
    "with the same partitions"
like "$OUT" "Summary: protocol COOPERATIVE, group protocol consumer" \
    "the summary names the callback's protocol and the group protocol"
like "$OUT" "Messages produced: [1-9][0-9]* " "messages flowed"
like "$OUT" "read, written to the sink and committed: +[1-9]" \
    "and were written to the sink and committed"
if has_broker_log; then
	ok "the broker logs member 1 leaving temporarily" \
	    broker_wait "$G" "instance id kip848-demo-1 temporarily left the consumer group" 5
	ok "and re-joining in its place" \
	    broker_wait "$G" "instance id kip848-demo-1 re-joins the consumer group" 5
else
	skip "no broker log at hand (KAFKA_BOOTSTRAP)" 2
fi
broker_diag "$G" 12
done_testing
