#!/bin/bash
# t_live_secure: kconsumerd on the secured listeners of lab/with-kafka's
# broker (lab/kafka-local start --secure), every secret given by
# reference. It consumes over TLS (the CA by @file:), mutual TLS (the
# client's certificate and key as systemd credentials, @credential:) and
# SASL_SSL (PLAIN: user by @file:, password by @credential:). A wrong
# password, an unknown user, an untrusted CA and an expired client
# certificate each end with exit 77 and one event=fatal naming the cause;
# SCRAM-SHA-512 works, or (librdkafka before 2.6.1 on Kafka 4) ends the
# same way naming librdkafka#4895. A renewed password takes effect on
# restart (the new credential is read, and the static member rejoins
# without a rebalance) and on SIGHUP (new connections use it, and so do
# re-authentications on librdkafka 2.2 or later; a wrong one ends the
# daemon with exit 77). The shipped conf/kconsumerd-secure.conf consumes
# with its broker, topic and group changed. No secret appears in any log
# line, sink record, -p output, /metrics or /assignment.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2034,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "TLS and SASL need a real broker"
require_tools kcat jq curl
[ -n "${KCD_LIVE_TLS_DIR:-}" ] ||
    skip_all "the broker has no secured listeners (lab/with-kafka starts them)"

TLS=$KCD_LIVE_TLS_DIR
SESSION=20000
ok "topic secure (2 partitions) is created" cluster_start secure:2
TOPIC=$(topic secure)
ok "10 records are produced (plaintext listener)" produce "$TOPIC" 10

# The secrets, as an operator keeps them: files of mode 0600, and a
# credentials folder as systemd's LoadCredential= makes one.
S=$T/secrets CRED=$T/credentials
mkdir -p "$S" "$CRED"
cp "$TLS/sasl.user" "$S/user"
cp "$TLS/sasl.password" "$CRED/sasl.password"
cp "$TLS/client.pem" "$CRED/client.pem"
cp "$TLS/client.key" "$CRED/client.key"
echo "wrong-$(cat "$TLS/sasl.password")" >"$S/wrong.password"
chmod 600 "$S"/* "$CRED"/*
export CREDENTIALS_DIRECTORY=$CRED
# the secret strings no output may hold
SECRETS=("$(cat "$TLS/sasl.password")" "$(cat "$TLS/sasl-next.password")"
    "$(cat "$S/wrong.password")" "$(sed -n 2p "$TLS/client.key")")

SSL=(kafka.security.protocol=SSL 'kafka.ssl.ca.pem="@file:'"$TLS"'/ca.pem"')
SASL=(kafka.bootstrap.servers=$KCD_LIVE_SASL_SSL_BOOTSTRAP
    kafka.security.protocol=SASL_SSL kafka.ssl.ca.location=$TLS/ca.pem
    kafka.sasl.mechanisms=PLAIN 'kafka.sasl.username="@file:'"$S"'/user"')

# Run NAME to -n COUNT records and check it: consumes NAME COUNT SENTENCE.
consumes() {
	kc_start "$1" "$T/$1.yaml" -n "$2"
	kc_wait_exit "$1" 60
	is "$KC_STATUS" 0 "$3: exit 0 after -n $2"
	is "$(sink_count "$T/$1.sink")" "$2" "$3: $2 records in the sink"
}

# Run NAME, which must be refused: exit 77, one event=fatal whose cause
# matches the ERE: refused NAME ERE SENTENCE.
refused() {
	kc_start "$1" "$T/$1.yaml"
	kc_denied "$@"
}

# ---------------------------------------------------------------- TLS
kc_member_config tls "$(group tls)" "$TOPIC" \
    kafka.bootstrap.servers=$KCD_LIVE_SSL_BOOTSTRAP "${SSL[@]}"
consumes tls 10 "TLS, the CA by @file:"

kc_member_config mtls "$(group mtls)" "$TOPIC" \
    kafka.bootstrap.servers=$KCD_LIVE_MTLS_BOOTSTRAP "${SSL[@]}" \
    'kafka.ssl.certificate.pem="@credential:client.pem"' \
    'kafka.ssl.key.pem="@credential:client.key"'
consumes mtls 10 "mutual TLS, certificate and key by @credential:"
"$KCONSUMERD" -p -c "$T/mtls.yaml" >"$T/mtls.print" 2>&1
like "$(cat "$T/mtls.print")" 'kafka.ssl.key.pem = "@credential:client.key"' \
    "-p shows the key's reference"

# ---------------------------------------------------------------- SASL_SSL
kc_member_config sasl "$(group sasl)" "$TOPIC" "${SASL[@]}" \
    'kafka.sasl.password="@credential:sasl.password"' \
    group.session_timeout_ms=$SESSION 'group.instance_id="sasl-%i"' \
    http.listen=127.0.0.1:0
G=$(group sasl)
kc_start sasl "$T/sasl.yaml"
ok "SASL_SSL (PLAIN), user by @file:, password by @credential: is assigned" \
    wait_event "$(kc_log sasl)" '.event == "assign" and (.partitions | length) == 2' 60
ok "and consumes the 10 records" wait_until 30 eval '[ "$(sink_count "$T/sasl.sink")" -ge 10 ]'
port=$(jq -rR 'fromjson? | select(.event == "http_listen") | .port' "$(kc_log sasl)" | head -n 1)
curl -fsS "http://127.0.0.1:$port/metrics" >"$T/sasl.metrics" 2>&1
curl -fsS "http://127.0.0.1:$port/assignment" >"$T/sasl.assignment" 2>&1
like "$(cat "$T/sasl.assignment")" "$TOPIC" "/assignment answers"
"$KCONSUMERD" -p -c "$T/sasl.yaml" >"$T/sasl.print" 2>&1
like "$(cat "$T/sasl.print")" 'kafka.sasl.password = "@credential:sasl.password"' \
    "-p shows the password's reference"

# A renewed password: the credential changes, the daemon restarts. A
# wrong one written first proves that the credential is read at start.
before=$(broker_count "$G" 'Preparing to rebalance')
kc_stop sasl 20
is "$?" 0 "the static SASL member stops cleanly"
cp "$S/wrong.password" "$CRED/sasl.password"
kc_start sasl_bad "$T/sasl.yaml"
kc_wait_exit sasl_bad 60
is "$KC_STATUS" 77 "restarted with a wrong password in the credential, it exits 77: the credential is read anew"
cp "$TLS/sasl-next.user" "$S/user"
cp "$TLS/sasl-next.password" "$CRED/sasl.password"
produce "$TOPIC" 4
kc_start sasl2 "$T/sasl.yaml"
ok "restarted with the renewed user and password, it is assigned" \
    wait_event "$(kc_log sasl2)" '.event == "assign" and (.partitions | length) == 2' 60
ok "and consumes the 4 new records" wait_until 30 eval '[ "$(sink_count "$T/sasl.sink")" -ge 14 ]'
ok_broker "the broker logs the static member's rejoin" \
    broker_wait "$G" "groupInstanceId=sasl-0 .*joins group .* in Stable state\. Replacing previously mapped member"
has_broker_log && is "$(broker_count "$G" 'Preparing to rebalance')" "$before" \
    "the restart caused no rebalance"

# SIGHUP reads the references again; librdkafka authenticates every new
# connection with them. The lab's broker ends SASL sessions after
# connections.max.reauth.ms, 8 s: librdkafka 2.0.2 reconnects
# ("Disconnected"); 2.2 and later re-authenticate in place (KIP-368), and
# since the user changes here the broker refuses that ("Cannot change
# principals"), which kconsumerd logs as an error, not fatal: the
# connection ends and the new one authenticates as the renewed user.
cp "$TLS/sasl.user" "$S/user"
cp "$TLS/sasl.password" "$CRED/sasl.password"
DISC='(.event == "rdkafka" and (.msg | test("Disconnected"))) or
    (.event == "error" and (.msg | test("Cannot change principals")))'
ndisc=$(count_events "$(kc_log sasl2)" "$DISC")
kill -HUP "$(proc_pid sasl2)"
ok "SIGHUP renews the SASL user and password read by reference" \
    wait_event "$(kc_log sasl2)" '.event == "renew" and .renewed == "sasl.username,sasl.password"' 10
ok "its connections end and are made again (with the renewed secrets)" \
    wait_event "$(kc_log sasl2)" "$DISC" 30 $((ndisc + 2))
diag "librdkafka $(jq -rR 'fromjson? | select(.event == "start") | .librdkafka' "$(kc_log sasl2)" | head -n 1):" \
    "$(count_events "$(kc_log sasl2)" '.msg // "" | test("Cannot change principals")') re-authentications refused for the renewed user," \
    "$(count_events "$(kc_log sasl2)" '.event == "rdkafka" and (.msg | test("Disconnected"))') disconnects"
produce "$TOPIC" 3
ok "it goes on consuming: the 3 new records" \
    wait_until 30 eval '[ "$(sink_count "$T/sasl.sink")" -ge 17 ]'
is "$(count_events "$(kc_log sasl2)" '.event == "fatal"')" 0 "no fatal error"
cp "$S/wrong.password" "$CRED/sasl.password"
kill -HUP "$(proc_pid sasl2)"
kc_wait_exit sasl2 60
is "$KC_STATUS" 77 "a wrong password given on SIGHUP ends it at the next connection, exit 77"
like "$(fatal_field sasl2 cause)" \
    "refused the SASL credentials" "naming the refused credentials"

# ---------------------------------------------------------------- refusals
cp "$TLS/sasl.user" "$S/user"
kc_member_config wrongpw "$(group wrongpw)" "$TOPIC" "${SASL[@]}" \
    'kafka.sasl.password="@file:'"$S"'/wrong.password"'
refused wrongpw "refused the SASL credentials" "a wrong password"
kc_member_config nouser "$(group nouser)" "$TOPIC" "${SASL[@]}" \
    kafka.sasl.username=nobody \
    'kafka.sasl.password="@credential:sasl.password"'
refused nouser "refused the SASL credentials" "an unknown user"
kc_member_config untrusted "$(group untrusted)" "$TOPIC" \
    kafka.bootstrap.servers=$KCD_LIVE_SSL_BOOTSTRAP \
    kafka.security.protocol=SSL kafka.ssl.ca.location=$TLS/other-ca.pem
refused untrusted "certificate is not trusted" "an untrusted CA"
kc_member_config expired "$(group expired)" "$TOPIC" \
    kafka.bootstrap.servers=$KCD_LIVE_MTLS_BOOTSTRAP "${SSL[@]}" \
    kafka.ssl.certificate.location=$TLS/expired.pem \
    kafka.ssl.key.location=$TLS/expired.key
refused expired "refused this client's certificate \\(expired" \
    "an expired client certificate"

# SCRAM-SHA-512 (the user was made at format time with --add-scram)
kc_member_config scram "$(group scram)" "$TOPIC" "${SASL[@]}" \
    kafka.sasl.mechanisms=SCRAM-SHA-512 kafka.sasl.username=$KCD_LIVE_SASL_USER \
    'kafka.sasl.password="@file:'"$TLS"'/sasl.password"'
kc_start scram "$T/scram.yaml" -n 14
kc_wait_exit scram 60
scram_status=$KC_STATUS
if [ "$scram_status" = 0 ]; then
	pass "SCRAM-SHA-512 consumes (librdkafka 2.6.1 or later)"
else
	is "$KC_STATUS" 77 "SCRAM-SHA-512 under librdkafka before 2.6.1: exit 77"
	like "$(fatal_field scram cause)" \
	    'librdkafka#4895' "and its cause names the known incompatibility"
fi

# ---------------------------------------------------------------- the example
# conf/kconsumerd-secure.conf as shipped, but for this broker, topic and
# group (and PLAIN where this librdkafka cannot pass SCRAM on Kafka 4)
mech=SCRAM-SHA-512
[ "$scram_status" = 0 ] || mech=PLAIN
cp "$TLS/ca.pem" "$CRED/kafka-ca.pem"
cp "$TLS/sasl.password" "$CRED/kafka-password"
secure_example "$mech" "$TOPIC" "$(group example)" >"$T/example.conf"
is "$(diff "$top_srcdir/conf/kconsumerd-secure.conf" "$T/example.conf" | grep -c '^>')" \
    "$([ $mech = PLAIN ] && echo 5 || echo 4)" \
    "the example differs from the shipped one in its broker, mechanism, user, topic and group only"
kc_start example "$T/example.conf" -n 14
kc_wait_exit example 60
is "$KC_STATUS" 0 "the secured example consumes over SASL_SSL ($mech), its secrets as credentials"
is "$(wc -l <"$T/example.out")" 14 "and writes the 14 records"

# ---------------------------------------------------------------- no leaks
leaks=0
for f in "$T"/*.log "$T"/*.out "$T"/*.sink "$T"/*.print "$T"/*.metrics \
    "$T"/*.assignment; do
	[ -f "$f" ] || continue
	for s in "${SECRETS[@]}"; do
		if grep -qF -e "$s" "$f"; then
			diag "a secret appears in $f"
			leaks=$((leaks + 1))
		fi
	done
done
is "$leaks" 0 "no secret in any log, sink, -p output, /metrics or /assignment"
[ -s "$T/sasl.metrics" ] && [ -s "$T/sasl.print" ]
is "$?" 0 "the /metrics and -p outputs checked are not empty"

done_testing
