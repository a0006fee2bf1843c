#!/bin/bash
# t_sink_exec: an exec sink whose command exits every few lines is
# restarted with a doubling backoff, each exit logged with its status, and
# the records a command had not read are written again to the next one:
# every produced offset reaches the command's output, none twice. On
# SIGTERM, kconsumerd waits for the command to read what is in the pipe
# before it stores and commits those offsets; a restart reads the rest:
# none lost, none twice.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic orders (2 partitions)" cluster_start -b 1 orders:2
ORDERS=$(topic orders)
N=30

# The command: append each line to exec.out, exit 3 after the 5th.
cat >"$T/sink.sh" <<'EOF'
n=0
while IFS= read -r l; do
	printf '%s\n' "$l" >>"$OUT"
	[ -z "${DELAY:-}" ] || sleep "$DELAY"
	n=$((n + 1))
	[ $n -ge 5 ] && exit 3
done
exit 0
EOF
kc_member_config a "$(group exec)" "$ORDERS" sink.type=exec \
    sink.command="OUT=$T/exec.out exec /bin/bash $T/sink.sh"

ok "$N messages are produced" produce "$ORDERS" $N
kc_start a "$T/a.yaml"
LOG=$(kc_log a)
ok "every record reaches the command's output" wait_sink_count $N 40 "$T/exec.out"
RESTART='.event == "log" and (.msg | test("^sink exec: the command exited with status 3 after [0-9]+ ms; restarting it in [0-9]+ ms"))'
ok "each exit is logged: exited with status 3, restarting in N ms" \
    wait_event "$LOG" "$RESTART" 10 $((N / 5 - 1))
is "$(jq -r "select($RESTART) | .level" "$LOG" | sort -u)" warn \
    "those lines are warnings"
is "$(jq -r "select($RESTART) | .msg | capture(\"restarting it in (?<ms>[0-9]+) ms\").ms" \
    "$LOG" | head -n 4 | tr '\n' ' ')" "100 200 400 800 " \
    "the restart delay starts at 100 ms and doubles"
cmp_ok "$(count_events "$LOG" '.event == "log" and (.msg | test("^sink exec: started the command, pid [0-9]+$"))')" \
    -ge $((N / 5)) "a new command is started after each exit ($((N / 5)) at least)"
kc_stop a 20
is "$?" 0 "kconsumerd exits 0 on SIGTERM"
ok "no offset is lost" check_delivery $N "$T/exec.out"
is "$DELIVERY_DUPLICATES" 0 "none is written twice: unread records go to the next command once"
is "$(count_events "$LOG" '.event == "stop" and .result == "ok" and .messages == '$N)" 1 \
    "the stop event counts $N messages, result ok"

# Phase 2: a slow command (0.1 s a line) still has records in its pipe
# when SIGTERM comes: kconsumerd commits only what it read; a third run
# (the fast command again) gets the rest.
M=14
sed "s|command: .*|command: DELAY=0.1 OUT=$T/exec.out exec /bin/bash $T/sink.sh|" \
    "$T/a.yaml" >"$T/b.yaml"
mv "$LOG" "$T/a.first.log"
ok "$M more messages are produced" produce "$ORDERS" $M
kc_start b "$T/b.yaml"
ok "the slow command has written its first new record" \
    wait_sink_count $((N + 1)) 30 "$T/exec.out"
kc_stop b 20
is "$?" 0 "kconsumerd exits 0 on SIGTERM with records still in the pipe"
kc_start c "$T/a.yaml"
ok "a restart delivers the rest" wait_sink_count $((N + M)) 30 "$T/exec.out"
kc_stop c 20
is "$?" 0 "it exits 0 on SIGTERM"
ok "every offset reached the output" check_delivery $((N + M)) "$T/exec.out"
is "$DELIVERY_DUPLICATES" 0 "none twice: the first run committed exactly what the command read"

done_testing
