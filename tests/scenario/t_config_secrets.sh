#!/bin/bash
# t_config_secrets: the shipped secured example (conf/kconsumerd-secure.conf)
# passes kconsumerd -t as written once systemd's credentials it names are
# there, and -p shows their references, never the secrets; a credential
# that is missing, or no $CREDENTIALS_DIRECTORY, is refused at the line
# that names it (exit 78); a password written in clear in a file others
# can read is a warning at its line, gone once the file is private.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

EX=$top_srcdir/conf/kconsumerd-secure.conf
CRED=$T/credentials
mkdir -p "$CRED"
printf 'example-ca-not-checked-by-t\n' >"$CRED/kafka-ca.pem"
printf 'pw-%s\n' "$$-$RANDOM" >"$CRED/kafka-password"
SECRET=$(cat "$CRED/kafka-password")
line=$(grep -n '^[[:space:]]*sasl_password' "$EX" | cut -d: -f1)

CREDENTIALS_DIRECTORY=$CRED "$KCONSUMERD" -t -c "$EX" >"$T/t.out" 2>&1
is "$?" 0 "the secured example passes -t with its credentials" ||
    diag "$(cat "$T/t.out")"
nok "and has no warning" grep -q warning "$T/t.out"
CREDENTIALS_DIRECTORY=$CRED "$KCONSUMERD" -p -c "$EX" >"$T/p.out" 2>&1
like "$(grep '^kafka.sasl.password' "$T/p.out")" '"@credential:kafka-password"' \
    "-p shows the password's reference"
like "$(grep '^kafka.ssl.ca.pem' "$T/p.out")" '"@credential:kafka-ca.pem"' \
    "-p shows the CA's reference"
nok "-p never shows the password" grep -qF -e "$SECRET" "$T/p.out"

rm "$CRED/kafka-password"
CREDENTIALS_DIRECTORY=$CRED "$KCONSUMERD" -t -c "$EX" >"$T/missing.out" 2>&1
is "$?" 78 "a missing credential is refused (exit 78)"
like "$(cat "$T/missing.out")" "kconsumerd-secure.conf:$line: error: .*@credential:kafka-password: cannot open $CRED/kafka-password" \
    "at the line naming it, with the path and the reason"
env -u CREDENTIALS_DIRECTORY "$KCONSUMERD" -t -c "$EX" >"$T/nodir.out" 2>&1
is "$?" 78 "without CREDENTIALS_DIRECTORY it is refused (exit 78)"
like "$(cat "$T/nodir.out")" "CREDENTIALS_DIRECTORY is not set" \
    "and the message says why"

sed -e "s|\"@credential:kafka-password\"|\"$SECRET\"|" \
    -e 's|"@credential:kafka-ca.pem"|"/etc/ssl/certs/ca-certificates.crt"|' \
    -e 's|ssl_ca_pem|ssl_ca_location|' "$EX" >"$T/clear.conf"
chmod 644 "$T/clear.conf"
"$KCONSUMERD" -t -c "$T/clear.conf" >"$T/clear.out" 2>&1
is "$?" 0 "a password in clear still passes -t"
like "$(cat "$T/clear.out")" "clear.conf:$line: warning: kafka property 'sasl.password' holds a secret in clear in a file others can read \\(mode 0644\\)" \
    "with a warning at its line when others can read the file"
nok "the warning does not show the password" grep -qF -e "$SECRET" "$T/clear.out"
chmod 600 "$T/clear.conf"
"$KCONSUMERD" -t -c "$T/clear.conf" >"$T/private.out" 2>&1
nok "no warning once the file is private (0600)" grep -q warning "$T/private.out"
done_testing
