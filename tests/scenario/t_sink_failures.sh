#!/bin/bash
# t_sink_failures: at-least-once when the sink cannot take records. An
# exec command that never reads keeps its records' offsets from being
# committed: a graceful stop exits 74 and the next member of the group
# receives every record. A command the shell cannot find stops kconsumerd
# at once (exit 74) with an error naming sink.command. A stdout whose
# reader went away (| head -1) stops it promptly (exit 74), not retried.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (2 partitions)" cluster_start -b 1 orders:2
ORDERS=$(topic orders)
N=200
ok "$N messages are produced" produce "$ORDERS" $N
G=$(group never)

# 1. A command that reads one byte, then never again.
kc_member_config a "$G" "$ORDERS" sink.type=exec shutdown.timeout_ms=2000 \
    sink.command="\"dd bs=1 count=1 of=$T/one 2>/dev/null; exec sleep 1000\""
kc_start a "$T/a.yaml"
ok "the command took its first byte" wait_until 30 test -s "$T/one"
kc_stop a 30
is "$KC_STATUS" 74 "a stop that abandons the unread records exits 74"
like "$(cat "$(kc_log a)")" "those records are abandoned" \
    "the log says the unread records were abandoned"
kc_member_config b "$G" "$ORDERS"
kc_start b "$T/b.yaml"
ok "the next member of the group receives all $N records" \
    wait_sink_count $N 40 "$T/b.sink"
kc_stop b 20
is "$KC_STATUS" 0 "it stops cleanly"
ok "none is lost" check_delivery $N "$T/b.sink"

# 2. A command that does not exist.
kc_member_config c "$(group missing)" "$ORDERS" sink.type=exec \
    sink.command=/nonexistent/kconsumerd-test-sink
kc_start c "$T/c.yaml"
kc_wait_exit c 20
is "$KC_STATUS" 74 "a command the shell cannot find stops kconsumerd: exit 74"
like "$(cat "$(kc_log c)")" "exited with status 127 after [0-9]+ ms: the shell could not find or run it; check sink.command" \
    "the error gives the shell's status and names sink.command"

# 3. stdout into head -1 (through a FIFO, to wait for kconsumerd itself).
kc_member_config d "$(group head)" "$ORDERS" sink.type=stdout
mkfifo "$T/d.fifo"
proc_start head "$T/d.head" /dev/null head -n 1 "$T/d.fifo"
proc_start d "$T/d.fifo" "$T/d.log" "$KCONSUMERD" -c "$T/d.yaml"
ok "head has printed its line and exited" proc_wait_exit head 30
# the pipe may have taken every record before head exited: the next
# write is the one that meets the closed reader
ok "10 more messages are produced" produce "$ORDERS" 10
kc_wait_exit d 30
is "$KC_STATUS" 74 "kconsumerd | head -1 ends by itself, promptly: exit 74"
is "$(wc -l <"$T/d.head")" 1 "head printed one record"
like "$(cat "$T/d.log")" "standard output is closed \\(Broken pipe\\)" \
    "the log says standard output is closed"

done_testing
