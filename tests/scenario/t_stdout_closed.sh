#!/bin/bash
# t_stdout_closed: kconsumerd started with descriptor 1 closed and the
# stdout sink refuses to start with a clear error, instead of its log
# file taking descriptor 1 and receiving the records.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools jq

# No broker is needed: the sink opens before any member starts.
kc_config a <<EOF2
kafka: {bootstrap.servers: "127.0.0.1:1"}
group: {id: stdout-closed}
topics: [orders]
sink: {type: stdout}
log: {format: json, file: "$T/a.logfile"}
EOF2
proc_start a /dev/null "$T/a.log" \
    bash -c 'exec "$0" -c "$1" >&-' "$KCONSUMERD" "$T/a.yaml"
kc_wait_exit a 20
isnt "$KC_STATUS" 0 "kconsumerd with descriptor 1 closed does not run (exit $KC_STATUS)"
isnt "$KC_STATUS" 124 "it exits by itself"
like "$(cat "$T/a.logfile")" "standard output was closed when kconsumerd started" \
    "the log file says standard output was closed"
is "$(jq -c 'select(.topic != null)' "$T/a.logfile" 2>/dev/null | wc -l)" 0 \
    "no record went into the log file"

done_testing
