#!/bin/bash
# t_fd_limit: consumers: 256 under a descriptor limit of 1024 (soft and
# hard) cannot work; kconsumerd says so at start and exits 78 instead of
# members looping on "Too many open files". With the hard limit higher,
# it raises the soft limit itself and starts.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools jq

# No broker is needed: the check comes before any connection.
kc_config big <<EOF2
kafka: {bootstrap.servers: "127.0.0.1:1"}
group: {id: fd-limit}
topics: [orders]
consumers: 256
sink: {type: none}
log: {format: json}
EOF2
proc_start big "$T/big.out" "$T/big.log" \
    bash -c 'ulimit -n 1024 && exec "$0" -c "$1"' "$KCONSUMERD" "$T/big.yaml"
kc_wait_exit big 20
is "$KC_STATUS" 78 "256 members under a hard limit of 1024 descriptors: exit 78"
like "$(cat "$(kc_log big)")" "consumers: 256 members need about [0-9]+ file descriptors, but RLIMIT_NOFILE allows 1024" \
    "the error gives the members, the need and the limit"
like "$(cat "$(kc_log big)")" "raise LimitNOFILE" "and says what to change"

if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 16384 ]; then
	proc_start soft "$T/soft.out" "$T/soft.log" \
	    bash -c 'ulimit -Sn 1024 && exec "$0" -c "$1"' "$KCONSUMERD" "$T/big.yaml"
	ok "with a higher hard limit it raises the soft one and starts" \
	    wait_event "$(kc_log soft)" '.event == "start" and .consumer == 255' 60
	like "$(cat "$(kc_log soft)")" "fdlimit: 256 members need about [0-9]+ file descriptors; RLIMIT_NOFILE was 1024, asked [0-9]+, granted [0-9]+ \\(hard limit [0-9a-z]+\\)" \
	    "it logs what it asked for and what it was granted"
	kc_stop soft 60
else
	skip "the hard descriptor limit is below 16384" 2
fi

done_testing
