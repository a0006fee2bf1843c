#!/bin/bash
# t_live_fence: two kconsumerd processes configured with the same
# group.instance.id. The broker lets the newcomer in (its log says it
# replaced the mapped member) and fences the old one (FENCED_INSTANCE_ID):
# that one logs a fatal event whose cause names group.instance.id and
# exits 76, while the newcomer goes on consuming and stops cleanly; no
# record is lost. The mock cluster does not emulate fencing: this runs on
# a real broker only.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not emulate static membership (fencing)"
require_tools kcat jq

ok "topic orders (2 partitions) is created" cluster_start orders:2
ORDERS=$(topic orders)
IID=$(topic twin)
ok "20 messages are produced" produce "$ORDERS" 20
for name in a b; do
	kc_member_config "$name" "$(group fence)" "$ORDERS" \
	    group.instance_id="$IID" group.session_timeout_ms=10000 \
	    group.max_poll_interval_ms=30000
done
A=$(kc_log a)

kc_start a "$T/a.yaml"
ok "a is assigned both partitions" \
    wait_event "$A" '.event == "assign" and (.partitions | length) == 2' 30
ok "a consumes the first 20 messages" wait_sink_count 20 30 "$T/a.sink"
kc_start b "$T/b.yaml"
if has_broker_log; then
	ok_broker "the broker lets the newcomer in, replacing a's member id" \
	    broker_wait "$(group fence)" "groupInstanceId=$IID and unknown member id joins group .* Replacing previously mapped member"
else
	skip "no broker log: the cluster is not lab/kafka-local's"
fi
# Print the name of the member that logged a fatal event, if any.
fenced() {
	local n
	for n in a b; do
		[ "$(count_events "$(kc_log "$n")" '.event == "fatal"')" -gt 0 ] &&
		    echo "$n"
	done
}
ok "one of the twins logs a fatal event" \
    wait_until 60 eval '[ -n "$(fenced)" ]'
F=$(fenced)
is "$(wc -w <<<"$F")" 1 "exactly one of them is fenced"
F=${F%% *}
is "$F" a "the old member (a) is the one fenced"
OTHER=a
[ "$F" = a ] && OTHER=b
diag "$F was fenced; $OTHER goes on"
is "$(jq -rR '(try fromjson catch null) | objects | select(.event == "fatal")
    | .error' "$(kc_log "$F")" | head -n 1)" FENCED_INSTANCE_ID \
    "its fatal event names FENCED_INSTANCE_ID"
like "$(jq -rR '(try fromjson catch null) | objects | select(.event == "fatal")
    | .cause' "$(kc_log "$F")" | head -n 1)" "group\.instance\.id $IID" \
    "its cause names group.instance.id $IID"
kc_wait_exit "$F" 30
is "$KC_STATUS" 76 "the fenced process exits 76"
is "$(count_events "$(kc_log "$F")" '.event == "stop" and .result == "fatal"')" 1 \
    "its stop event says fatal"
ok "the other one is (still or again) assigned partitions" \
    wait_event "$(kc_log "$OTHER")" '.event == "assign" and (.partitions | length) > 0' 30
ok "20 more messages are produced" produce "$ORDERS" 20
ok "every message reaches a sink" wait_sink_count 40 60 "$T/a.sink" "$T/b.sink"
kc_stop "$OTHER" 20
is "$?" 0 "the other stops cleanly on SIGTERM"
is "$(count_events "$(kc_log "$OTHER")" '.event == "fatal"')" 0 \
    "and never logged a fatal event"
ok "nothing is lost" check_delivery 40 "$T/a.sink" "$T/b.sink"
broker_diag "$(group fence)" 8
done_testing
