#!/bin/bash
# t_live_secure_rolling: a static rolling restart over SASL_SSL on
# lab/with-kafka's secured listener. Three static members (separate
# processes, group.instance_id sroll-0/1/2) share 6 partitions, their
# password a systemd credential (@credential:) and the CA a file
# (@file:); SCRAM-SHA-512 with librdkafka 2.6.1 or later, PLAIN before
# (librdkafka#4895). They are restarted one by one (2, 1, 0), each once
# the previous one has its partitions back: every one gets exactly the
# partitions it had, the others see no assign or revoke, the broker logs
# each static rejoin and no rebalance, and every record produced before,
# during and after the roll reaches a sink.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "static membership and SASL need a real broker"
require_tools kcat jq
[ -n "${KCD_LIVE_TLS_DIR:-}" ] ||
    skip_all "the broker has no secured listeners (lab/with-kafka starts them)"

TLS=$KCD_LIVE_TLS_DIR
SESSION=15000
ok "topic sroll (6 partitions) is created" cluster_start sroll:6
TOPIC=$(topic sroll) G=$(group sroll)
CRED=$T/credentials
mkdir -p "$CRED"
cp "$TLS/sasl.password" "$CRED/sasl.password"
chmod 600 "$CRED/sasl.password"
export CREDENTIALS_DIRECTORY=$CRED
MECH=$(sasl_mechanism)
diag "$("$KCONSUMERD" -V): SASL mechanism $MECH"

for i in 0 1 2; do
	kc_member_config "m$i" "$G" "$TOPIC" \
	    kafka.bootstrap.servers=$KCD_LIVE_SASL_SSL_BOOTSTRAP \
	    kafka.security.protocol=SASL_SSL \
	    'kafka.ssl.ca.pem="@file:'"$TLS"'/ca.pem"' \
	    kafka.sasl.mechanisms=$MECH kafka.sasl.username=$KCD_LIVE_SASL_USER \
	    'kafka.sasl.password="@credential:sasl.password"' \
	    group.session_timeout_ms=$SESSION "group.instance_id=\"sroll-$i\""
	kc_start "m$i" "$T/m$i.yaml"
done
LOGS=("$(kc_log m0)" "$(kc_log m1)" "$(kc_log m2)")
ok "the three static members settle on 2 partitions each over SASL_SSL ($MECH)" \
    wait_until 90 owned_split 2 "${LOGS[@]}"
SINKS=("$T/m0.sink" "$T/m1.sink" "$T/m2.sink")
# Every sink together holds at least N records: sinks_hold N.
sinks_hold() {
	[ "$(cat "${SINKS[@]}" 2>/dev/null | wc -l)" -ge "$1" ]
}
ok "20 records are produced" produce "$TOPIC" 20
ok "and consumed" wait_until 30 sinks_hold 20

REB='.event == "assign" or .event == "revoke" or .event == "lost"'
before=$(broker_count "$G" 'Preparing to rebalance')
for i in 2 1 0; do
	parts=$(owned "${LOGS[i]}")
	others=()
	for j in 0 1 2; do [ "$j" = "$i" ] || others+=("$j"); done
	seen=()
	for j in "${others[@]}"; do seen[j]=$(count_events "${LOGS[j]}" "$REB"); done
	kc_stop "m$i" 20
	is "$?" 0 "sroll-$i stops cleanly on SIGTERM"
	produce "$TOPIC" 6
	kc_start "m${i}r" "$T/m$i.yaml"
	LOGS[i]=$(kc_log "m${i}r")
	ok "restarted, sroll-$i is assigned again" wait_event "${LOGS[i]}" \
	    '.event == "assign" and (.partitions | length) > 0' 60
	is "$(owned "${LOGS[i]}")" "$parts" \
	    "sroll-$i gets exactly its partitions back ($parts)"
	for j in "${others[@]}"; do
		is "$(count_events "${LOGS[j]}" "$REB")" "${seen[j]}" \
		    "sroll-$j sees no assign or revoke meanwhile"
	done
	ok_broker "the broker logs sroll-$i's static rejoin" \
	    broker_wait "$G" "groupInstanceId=sroll-$i .*joins group .* in Stable state\. Replacing previously mapped member"
done
has_broker_log && is "$(broker_count "$G" 'Preparing to rebalance')" "$before" \
    "the broker logs no rebalance of the group during the roll"
ok "20 records more are produced" produce "$TOPIC" 20
ok "every record produced (58) reaches a sink" wait_until 60 sinks_hold 58
for i in 0 1 2; do
	kc_stop "m${i}r" 20
	is "$?" 0 "sroll-$i stops cleanly"
done
ok "0 records lost" check_delivery "$(produced "$TOPIC")" "${SINKS[@]}"
nok "no log holds the password" grep -qF -e "$(cat "$TLS/sasl.password")" \
    "$T"/*.log
is "$(cat "$T"/*.log | count_events /dev/stdin '.event == "fatal"')" 0 \
    "no member had a fatal error"

done_testing
