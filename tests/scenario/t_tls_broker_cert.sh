#!/bin/bash
# t_tls_broker_cert: a broker whose certificate has expired, or is not
# yet valid, ends kconsumerd with exit 77 and one event=fatal whose cause
# names it (X509 error 10 or 9: OpenSSL 3's own message says only
# "certificate verify failed"). The "broker" is openssl s_server on
# loopback with certificates this test signs with a CA of its own; a
# certificate valid today passes the same handshake, so the refusals are
# the dates' doing. Needs no Kafka: TLS ends before any Kafka request.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools openssl jq

# A CA, and an openssl ca set-up that signs with any dates.
C=$T/ca
mkdir -p "$C"
: >"$C/index.txt"
echo 01 >"$C/serial"
cat >"$C/ca.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
database = $C/index.txt
new_certs_dir = $C
serial = $C/serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
[ broker ]
subjectAltName = IP:127.0.0.1,DNS:localhost
CNF
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$C/ca.key" -out "$C/ca.pem" -days 2 -subj /CN=t-broker-cert-ca \
    2>/dev/null
ok "a CA is made" test -s "$C/ca.pem"

# Sign a broker certificate valid from FROM to UNTIL (date -d words):
# broker_cert NAME FROM UNTIL.
broker_cert() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$C/$1.key" -subj /CN=localhost -out "$C/$1.csr" 2>/dev/null &&
	    openssl ca -batch -config "$C/ca.cnf" -cert "$C/ca.pem" \
		-keyfile "$C/ca.key" -in "$C/$1.csr" -out "$C/$1.pem" -notext \
		-extensions broker \
		-startdate "$(date -u -d "$2" +%Y%m%d%H%M%SZ)" \
		-enddate "$(date -u -d "$3" +%Y%m%d%H%M%SZ)" >"$C/$1.sign" 2>&1
}
ok "a certificate valid today is signed" broker_cert valid '-1 hour' '+1 day'
ok "one that expired yesterday" broker_cert expired '-2 days' '-1 day'
ok "one valid from tomorrow" broker_cert future '+1 day' '+2 days'

# Serve NAME's certificate with openssl s_server (-rev: no stdin, and
# it says on stderr when a handshake completed) on a free loopback
# port; print the port: serve NAME.
serve() {
	proc_start "srv-$1" "$T/srv-$1.out" "$T/srv-$1.err" \
	    openssl s_server -rev -accept 127.0.0.1:0 -cert "$C/$1.pem" \
	    -key "$C/$1.key"
	wait_until 10 grep -q '^ACCEPT' "$T/srv-$1.out" &&
	    sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$T/srv-$1.out"
}

# kconsumerd over TLS to NAME's server, with the test's CA:
# run_against NAME (config $T/NAME.yaml, process NAME).
run_against() {
	local port
	port=$(serve "$1")
	kc_member_config "$1" "$(group "$1")" certs \
	    kafka.bootstrap.servers=127.0.0.1:$port \
	    kafka.security.protocol=SSL kafka.ssl.ca.location=$C/ca.pem
	kc_start "$1" "$T/$1.yaml"
}

run_against valid
ok "with a certificate valid today the TLS handshake completes" \
    wait_until 20 grep -q "^CONNECTION.ESTABLISHED" "$T/srv-valid.err"
is "$(count_events "$(kc_log valid)" '.event == "fatal"')" 0 \
    "and kconsumerd has no fatal error"
kc_stop valid 20
proc_stop srv-valid 5

# A refused certificate: refused NAME X509 ERE SENTENCE.
refused() {
	run_against "$1"
	kc_denied "$1" "$3" "$4"
	is "$(fatal_field "$1" x509_error)" "$2" \
	    "$4: with OpenSSL's X509 error $2"
	proc_stop "srv-$1" 5
}
refused expired 10 "broker's certificate has expired" \
    "a broker certificate that has expired"
refused future 9 "broker's certificate is not yet valid .*clock" \
    "a broker certificate not yet valid"

done_testing
