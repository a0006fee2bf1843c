#!/bin/bash
# t_http_limits: one client cannot take the HTTP endpoint offline. With
# kconsumerd under a descriptor limit of 1024, 1100 idle connections from
# one address leave /healthz answering another client; a slowloris client
# (a header line every second) is cut off within the connection deadline
# (10 s) although it never goes idle.

# shellcheck disable=SC2016
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CURL=${CURL:-$(command -v curl)}
require_tools jq
[ -n "$CURL" ] && [ -x "$CURL" ] || skip_all "curl is not installed"
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no HTTP endpoint"
ulimit -n 4096 2>/dev/null || skip_all "cannot open 4096 descriptors here"

# No broker is needed: the endpoint answers /healthz either way.
kc_config a <<EOF2
kafka: {bootstrap.servers: "127.0.0.1:1"}
group: {id: http-limits}
topics: [orders]
sink: {type: none}
http: {listen: "127.0.0.1:0"}
log: {format: json}
EOF2
proc_start a "$T/a.out" "$T/a.log" \
    bash -c 'ulimit -n 1024 && exec "$0" -c "$1"' "$KCONSUMERD" "$T/a.yaml"
ok "kconsumerd serves HTTP" \
    wait_event "$(kc_log a)" '.event == "http_listen" and .port > 0' 20
PORT=$(jq -rR 'fromjson? | select(.event == "http_listen") | .port' \
    "$(kc_log a)" | head -n 1)

# Print the status code of /healthz asked from 127.0.0.2 (another client).
healthz() {
	"$CURL" -s --max-time 3 --interface 127.0.0.2 -o /dev/null \
	    -w '%{http_code}' "http://127.0.0.1:$PORT/healthz"
}
like "$(healthz)" '^(200|503)$' "/healthz answers before the flood"

FDS=()
for i in $(seq 1100); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || break
	FDS+=("$fd")
done
is "${#FDS[@]}" 1100 "1100 idle connections are opened from 127.0.0.1"
like "$(healthz)" '^(200|503)$' "/healthz still answers another client"
for fd in "${FDS[@]}"; do
	exec {fd}>&-
done
ok "kconsumerd is still running" lib_alive "$(proc_pid a)"

# A slowloris: the request line, then one header line a second, forever;
# print how many seconds until the server closed the connection.
slowloris() {
	local start=$SECONDS
	exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
	printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&3
	(while sleep 1; do printf 'X-Slow: 1\r\n' >&3 2>/dev/null || exit 0
	done) &
	local trickle=$!
	timeout 25 cat <&3 >/dev/null
	kill "$trickle" 2>/dev/null
	wait "$trickle" 2>/dev/null
	exec 3>&-
	echo $((SECONDS - start))
}
took=$(slowloris)
cmp_ok "$took" -le 14 "a slowloris connection is closed within the deadline (took $took s)"
like "$(cat "$(kc_log a)")" "http: closed 1 connection open longer than 10000 ms" \
    "the cut is logged"
kc_stop a 20
is "$KC_STATUS" 0 "kconsumerd stops cleanly"

done_testing
