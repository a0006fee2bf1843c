#!/bin/bash
# t_config_errors_run: kconsumerd refuses to run an invalid configuration
# with exit 78 before it connects to any broker, and a bad -n with 64.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock
require_mock "it counts the requests the mock cluster receives"

ok "the cluster starts with topic orders (1 partition)" cluster_start -b 1 orders:1
ORDERS=$(topic orders)

# How many requests the mock has received so far.
requests() {
	grep -c 'Received .*Request' "$MOCK_LOG"
}

kc_config bad <<EOF
kafka:
  bootstrap.servers: $BOOTSTRAP
group:
  id: $(group errors)
  session_timeout_ms: 6000
  max_poll_interval_ms: 1000
topics: [$ORDERS]
sink:
  type: file
log:
  format: json
EOF
kc_config good <<EOF
kafka:
  bootstrap.servers: $BOOTSTRAP
group:
  id: $(group errors)
topics: [$ORDERS]
sink:
  type: none
EOF

before=$(requests)
kc_start bad "$T/bad.yaml"
kc_wait_exit bad 10
is "$?" 78 "an invalid configuration exits 78"
ok "the error names the file and line of max_poll_interval_ms" \
    grep -q "^$T/bad.yaml:6: error: .*max_poll_interval_ms" "$(kc_log bad)"
ok "and, at line 9, that a file sink needs sink.path (every error is reported)" \
    grep -q "^$T/bad.yaml:9: error: sink.type is file but sink.path is not set" "$(kc_log bad)"
is "$(count_events "$(kc_log bad)" '.event == "start"')" 0 "no member starts"
is "$(requests)" "$before" "the cluster receives no request from it"

for n in 0 -5 abc; do
	kc_start n "$T/good.yaml" -n "$n"
	kc_wait_exit n 10
	is "$?" 64 "-n $n is a usage error: exit 64"
	is "$(requests)" "$before" "and nothing connects to the cluster"
done

done_testing
