#!/bin/bash
# t_harness: the scenario-test harness works. The mock cluster starts and
# takes fault commands, kcat produces and consumes through it, separate
# processes share one consumer group, the mock log shows members leaving
# and timing out, and the wait and delivery helpers pass and fail as they
# should. On a real cluster (KAFKA_BOOTSTRAP) the mock-only parts skip.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ORDERS=$(topic orders)
AUDIT=$(topic audit)
FLOW=$(topic flow)
G=$(group shared)

# Print the key:value pairs produce gives messages FROM..TO-1 of TOPIC.
expected_pairs() {
	awk -v t="$1" -v s="$2" -v e="$3" \
	    'BEGIN { for (i = s; i < e; i++) printf "k%d:%s-%d\n", i, t, i }'
}

# ---- mockcluster's command line
"$MOCKCLUSTER" --help >"$T/help.txt"
is "$?" 0 "mockcluster --help exits 0"
ok "--help documents the fault commands and --create-on" \
    grep -q -e "coordinator group GROUP BROKER" -e "--create-on" "$T/help.txt"
"$MOCKCLUSTER" -t no-partition-count 2>"$T/badarg.err"
is "$?" 64 "mockcluster exits 64 on a malformed -t"
ok "and says what is wrong" grep -q "expected TOPIC:PARTITIONS" "$T/badarg.err"

# ---- the cluster, produce, consume
ok "the cluster starts with topics orders (4 partitions) and audit (2)" \
    cluster_start -b 3 orders:4 audit:2
[ -n "$BOOTSTRAP" ] || bail_out "no cluster to test with"
like "$BOOTSTRAP" '^[^,]+:[0-9]+(,[^,]+:[0-9]+)*$' \
    "BOOTSTRAP is a host:port list"
ok "produce puts 120 messages in orders" produce "$ORDERS" 120
ok "produce puts 80 messages in audit" produce "$AUDIT" 80
is "$(produced "$ORDERS") $(produced "$AUDIT")" "120 80" \
    "produced counts what produce sent to each topic"
consume_all "$ORDERS" >"$T/all.orders"
consume_all "$AUDIT" >"$T/all.audit"
is "$(jq -r '"\(.key):\(.value)"' "$T/all.orders" "$T/all.audit" | sort)" \
    "$({ expected_pairs "$ORDERS" 0 120; expected_pairs "$AUDIT" 0 80; } | sort)" \
    "kcat -C -e reads back all 200 keys and values"
is "$(jq -r .partition "$T/all.orders" | sort -u | tr '\n' ' ')" "0 1 2 3 " \
    "keyed messages spread over all four partitions of orders"

# ---- background production
ok "create_topic adds topic flow" create_topic flow 1
produce_bg flow "$FLOW" 100
ok "produce_bg keeps producing while the script goes on" \
    wait_until 20 eval '[ "$(consume_all "$FLOW" | wc -l)" -ge 20 ]'
ok "produce_bg_stop stops it after kcat delivered everything" \
    produce_bg_stop flow
cmp_ok "$PRODUCED_BG" -ge 20 "PRODUCED_BG counts the background messages"
is "$(consume_all "$FLOW" | wc -l)" "$(produced "$FLOW")" \
    "flow holds exactly what produce_bg counted"

# ---- two processes share one consumer group
kcat_group c1 "$G" "$ORDERS" "$AUDIT"
kcat_group c2 "$G" "$ORDERS" "$AUDIT"
ok "two kcat group members read all 200 messages within 30 s" \
    wait_sink_count 200 30 "$T/c1.out" "$T/c2.out"
if is_live; then
	# a real broker forms the group at once (no initial rebalance delay
	# on lab/kafka-local): the first member may read all 200 before the
	# second one joins; the broker's generation of two is checked below
	cmp_ok "$(($(sink_count "$T/c1.out") + $(sink_count "$T/c2.out")))" \
	    -ge 200 "the two members read the 200 messages between them"
else
	cmp_ok "$(sink_count "$T/c1.out")" -gt 0 "member c1 read a share"
	cmp_ok "$(sink_count "$T/c2.out")" -gt 0 "member c2 read a share"
fi
if is_live && has_broker_log; then
	ok_broker "the broker log shows a generation with both members" \
	    broker_wait "$G" "Stabilized group $G generation [0-9]+ with 2 members" 10
elif is_live; then
	skip "no broker log: the cluster is not lab/kafka-local's"
else
	ok "the mock log shows a generation with both members" \
	    wait_line "$MOCK_LOG" "Consumer group $G with 2 member\(s\) is rebalancing" 5
fi
ok "check_delivery finds every message in the two sinks" \
    check_delivery 200 "$T/c1.out" "$T/c2.out"
is "$DELIVERY_MISSING" 0 "DELIVERY_MISSING is 0"

# ---- leave and session timeout, as the mock logs them
ok "a group member stopped with SIGTERM exits 0" proc_stop c1 10
if is_live && has_broker_log; then
	ok_broker "the broker log shows the member's LeaveGroup" \
	    broker_wait "$G" 'reason: explicit `LeaveGroup` request' 10
	proc_kill c2
	ok_broker "the broker log shows a killed member's session expiring" \
	    broker_wait "$G" 'has failed, removing it from the group' 20
elif is_live; then
	skip "no broker log: the cluster is not lab/kafka-local's" 2
else
	ok "the mock log shows the member leaving the group" \
	    wait_line "$MOCK_LOG" "MOCK .*Member [^ ]+ is leaving group $G\$" 10
	proc_kill c2
	ok "the mock log shows a killed member's session timing out" \
	    wait_line "$MOCK_LOG" "MOCK .*Member [^ ]+ session timed out for group $G\$" 15
fi

# ---- check_delivery on doctored sinks (kcat -C -e read each message once)
cat "$T/all.orders" "$T/all.audit" >"$T/sink.full"
sed 17d "$T/sink.full" >"$T/sink.missing"
nok "check_delivery fails when one offset is missing" \
    check_delivery 200 "$T/sink.missing"
is "$DELIVERY_MISSING" 1 "and reports exactly one missing offset"
line5=$(sed -n 5p "$T/sink.full")
echo "$line5" >>"$T/sink.full"
ok "check_delivery accepts a duplicate (at-least-once)" \
    check_delivery 200 "$T/sink.full"
is "$DELIVERY_DUPLICATES" 1 "and counts it"
is "$(sink_offsets "$T/sink.full" | head -n 1)" "$AUDIT 0 0" \
    "sink_offsets sorts by topic, partition, offset"

# ---- wait_event on a hand-written JSON log
cat >"$T/events.log" <<'EOF'
kconsumerd starting (not JSON)
{"ts":"2026-01-01T00:00:00.000Z","level":"info","event":"start","consumer":0}
{"ts":"2026-01-01T00:00:01.000Z","level":"info","event":"assign","consumer":0,"group":"g","protocol":"COOPERATIVE","partitions":[{"topic":"orders","partition":0,"offset":-1}]}
{"ts":"2026-01-01T00:00:01.500Z","level":"info","event":"assign","consumer":1,"group":"g","protocol":"COOPERATIVE","partitions":[]}
{"truncated":
EOF
ok "wait_event finds consumer 0's assign event" \
    wait_event "$T/events.log" '.event == "assign" and .consumer == 0' 5
ok "wait_event waits for a minimum count (2 assign events)" \
    wait_event "$T/events.log" '.event == "assign"' 5 2
is "$(count_events "$T/events.log" 'any(.partitions[]?; .topic == "orders")')" 1 \
    "count_events counts events by partition topic"
t0=$(now_ms)
wait_event "$T/events.log" '.event == "revoke"' 1 >"$T/wait.diag"
is "$?" 1 "wait_event returns 1 when the event never comes"
cmp_ok "$(($(now_ms) - t0))" -lt 3000 "and gives up after its 1 s deadline"
ok "its diagnostic shows the log's last lines" grep -q '"event":"start"' "$T/wait.diag"
wait_event "$T/events.log" '.event ==' 1 >/dev/null
is "$?" 2 "wait_event returns 2 at once on a bad jq expression"

# ---- member configuration and ownership helpers
kc_member_config m1 "$G" "$ORDERS"
"$KCONSUMERD" -p -c "$T/m1.yaml" >"$T/m1.p" 2>&1
is "$?" 0 "kc_member_config writes a configuration kconsumerd accepts"
is "$(grep -E '^(group\.(id|session_timeout_ms|heartbeat_interval_ms)|topics|log\.format|sink\.(type|path)) ' "$T/m1.p" | tr '\n' ' ')" \
    "group.heartbeat_interval_ms = 1000 group.id = \"$G\" group.session_timeout_ms = 6000 log.format = \"json\" sink.path = \"$T/m1.sink\" sink.type = \"file\" topics = [\"$ORDERS\"] " \
    "on the standard settings"
kc_member_config m2 "$G" "$ORDERS" group.session_timeout_ms=3000 \
    group.assignor=range consumers=2 "" sink.type=none
"$KCONSUMERD" -p -c "$T/m2.yaml" >"$T/m2.p" 2>&1
is "$?" 0 "kc_member_config SETTING=VALUE still gives a valid configuration"
is "$(grep -E '^(group\.(session_timeout_ms|assignor)|consumers|sink\.(type|path)) ' "$T/m2.p" | tr '\n' ' ')" \
    "consumers = 2 group.assignor = \"range\" group.session_timeout_ms = 3000 sink.path = null sink.type = \"none\" " \
    "which replace or add settings; sink.type drops the standard sink.path"
printf '%s\n' '{"event":"assign","protocol":"EAGER","consumer":0,"partitions":[{"partition":2},{"partition":0}]}' \
    '{"event":"assign","protocol":"EAGER","consumer":1,"partitions":[{"partition":1},{"partition":3}]}' \
    >"$T/own.log"
is "$(owned "$T/own.log" 0)|$(owned "$T/own.log")" "0 2|1 3" \
    "owned gives a consumer's partitions, or the whole log's (an EAGER assign replaces)"
ok "owned_split: consumers 0 and 1 own 2 each, 0-3 between them" \
    owned_split 2 "$T/own.log:0" "$T/own.log:1"
is "${OWNED[$T/own.log:1]}" "1 3" "and leaves what each owns in OWNED"
nok "owned_split fails when the counts differ" owned_split 1 "$T/own.log:0" "$T/own.log:1"

# ---- daemon control, with a stand-in for kconsumerd
cat >"$T/fake-kconsumerd" <<'EOF'
#!/bin/bash
# Stands in for kconsumerd: -c FILE [exit N | stubborn | ARGS...].
echo "$*"
echo '{"level":"info","event":"start","consumer":0}' >&2
case "${3:-}" in
exit) exit "$4" ;;
stubborn) trap '' TERM ;;
*) trap 'echo "{\"event\":\"stop\"}" >&2; exit 3' TERM ;;
esac
while :; do sleep 0.1; done
EOF
chmod +x "$T/fake-kconsumerd"
export KCONSUMERD=$T/fake-kconsumerd
kc_config d1 <<EOF
bootstrap: $BOOTSTRAP
EOF
is "$(cat "$T/d1.yaml")" "bootstrap: $BOOTSTRAP" \
    "kc_config writes \$T/NAME.yaml from a heredoc"
kc_start d1 "$T/d1.yaml" --extra
ok "kc_start runs the daemon; its stderr is \$T/NAME.log" \
    wait_event "$(kc_log d1)" '.event == "start"' 10
is "$(cat "$T/d1.out")" "-c $T/d1.yaml --extra" \
    "it gets -c CONFIG and the extra arguments; stdout is \$T/NAME.out"
kc_stop d1 10
is "$?" 3 "kc_stop returns the daemon's exit status"
is "$KC_STATUS $(count_events "$(kc_log d1)" '.event == "stop"')" "3 1" \
    "and leaves it in KC_STATUS after SIGTERM"
kc_start d2 "$T/d1.yaml" exit 5
kc_wait_exit d2 10
is "$?" 5 "kc_wait_exit returns the status of a daemon that exits by itself"
kc_start d3 "$T/d1.yaml" stubborn
wait_event "$(kc_log d3)" '.event == "start"' 10 >/dev/null
kc_stop d3 1 >/dev/null
is "$?" 124 "kc_stop kills a daemon that ignores SIGTERM past the deadline"
kc_start d4 "$T/d1.yaml" stubborn
kc_kill d4
is "$KC_STATUS" 137 "kc_kill ends a daemon with SIGKILL"

# ---- fault commands
if is_live; then
	mock_cmd "broker down 2"
	is "$?" 3 "on a real cluster mock_cmd refuses fault commands (status 3)"
else
	mock_cmd "broker down 2"
	is "$?" 0 "broker down 2 answers cmd ok"
	mock_cmd "broker up 2"
	is "$?" 0 "broker up 2 answers cmd ok"
	mock_cmd "frobnicate the cluster"
	is "$?" 1 "an unknown command answers cmd error"
	mock_cmd "error Heartbeat NO_SUCH_ERROR"
	is "$?" 1 "an unknown error name answers cmd error"
	mock_cmd "error Heartbeat REBALANCE_IN_PROGRESS 2"
	is "$?" 0 "error Heartbeat REBALANCE_IN_PROGRESS 2 answers cmd ok"
	ok "the cluster still serves produce after the faults" \
	    produce "$ORDERS" 10
fi

# ---- live cluster only
if is_live; then
	like "$ORDERS" "^kct-t_harness-[0-9]+-[0-9]+-orders\$" \
	    "topic names are unique to this run"
	ok "--create-on accepts a topic that already exists" \
	    "$MOCKCLUSTER" --create-on "$BOOTSTRAP" -t "$ORDERS:4"
else
	skip "live only (t_harness_live.sh runs it): unique names and --create-on" 2
fi

done_testing
