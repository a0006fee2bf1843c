#!/bin/bash
# t_stall: health.stall_ms tells stalled from idle on the mock cluster. An
# exec sink that stops reading leaves records waiting while the position
# does not move: a stalled event names the partition,
# kconsumerd_partition_stalled is 1 and, with health.stall_ready, /readyz
# is 503 naming it; once the command reads again a resumed event follows,
# the gauge is 0 and /readyz 200. A member on an idle topic (empty, then
# caught up) is never stalled.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CURL=${CURL:-$(command -v curl)}
require_tools kcat jq mock
[ -n "$CURL" ] && [ -x "$CURL" ] || skip_all "curl is not installed"
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no HTTP endpoint"

declare -A PORTS

# Fetch PATH of NAME into $T/body; print the status code.
http_get() {
	"$CURL" -s --max-time 10 -o "$T/body" -w '%{http_code}' \
	    "http://127.0.0.1:${PORTS[$1]}$2"
}

# Print the kconsumerd_partition_stalled samples of $T/body, sorted.
stalled_samples() {
	grep '^kconsumerd_partition_stalled{' "$T/body" | sort
}

ok "the cluster starts with topics stuck (1 partition) and idle (1)" \
    cluster_start -b 1 stuck:1 idle:1
STUCK=$(topic stuck)
IDLE=$(topic idle)
# more than a pipe holds (64 KiB): the sink's write blocks
ok "3000 messages are produced to stuck" produce "$STUCK" 3000

# a: the command reads one byte, then nothing until $T/go exists
kc_member_config a "$(group stall)" "$STUCK" http.listen=127.0.0.1:0 \
    health.stall_ms=1500 health.stall_ready=true sink.type=exec \
    shutdown.timeout_ms=3000 \
    sink.command="\"dd bs=1 count=1 of=$T/one 2>/dev/null; while [ ! -e $T/go ]; do sleep 0.1; done; exec cat >$T/a.out\""
kc_start a "$T/a.yaml"
ok "a serves HTTP" wait_event "$(kc_log a)" '.event == "http_listen" and .port > 0' 10
PORTS[a]=$(http_port a)
ok "a is assigned" wait_event "$(kc_log a)" '.event == "assign"' 30
ok "the command took its first byte" wait_until 30 test -s "$T/one"
ok "a stalled event names the partition" \
    wait_event "$(kc_log a)" ".event == \"stalled\" and .topic == \"$STUCK\" and .partition == 0 and .still_ms >= 1500 and .stall_ms == 1500" 15
is "$(count_events "$(kc_log a)" '.event == "stalled"')" 1 "only one"
http_get a /metrics >/dev/null
is "$(stalled_samples)" "kconsumerd_partition_stalled{consumer=\"0\",topic=\"$STUCK\",partition=\"0\"} 1" \
    "kconsumerd_partition_stalled is 1 for it"
is "$(http_get a /readyz)" 503 "/readyz is 503 while it is stalled (health.stall_ready)"
like "$(cat "$T/body")" "consumer 0 is stalled on $STUCK\\[0\\]" "and names the partition"
is "$(count_events "$(kc_log a)" '.event == "resumed"')" 0 "no resumed event yet"

touch "$T/go"
ok "once the command reads again, a resumed event follows" \
    wait_event "$(kc_log a)" ".event == \"resumed\" and .topic == \"$STUCK\" and .partition == 0 and .stalled_ms >= 1500" 30
ok "every record reaches the command" \
    wait_until 60 eval '[ "$(wc -l <"$T/a.out")" -ge 2999 ]'
http_get a /metrics >/dev/null
is "$(stalled_samples)" "kconsumerd_partition_stalled{consumer=\"0\",topic=\"$STUCK\",partition=\"0\"} 0" \
    "the gauge is back to 0"
ok "/readyz is 200 again" wait_until 10 eval '[ "$(http_get a /readyz)" = 200 ]'
kc_stop a 30
is "$KC_STATUS" 0 "a stops cleanly"

# b: an idle topic, empty, then caught up
kc_member_config b "$(group idle)" "$IDLE" http.listen=127.0.0.1:0 \
    health.stall_ms=500 health.stall_ready=true
kc_start b "$T/b.yaml"
ok "b serves HTTP" wait_event "$(kc_log b)" '.event == "http_listen" and .port > 0' 10
PORTS[b]=$(http_port b)
ok "b is assigned" wait_event "$(kc_log b)" '.event == "assign"' 30
ok "b is ready" wait_until 30 eval '[ "$(http_get b /readyz)" = 200 ]'
# an absence can only be checked over time: five stall periods of an
# empty partition, then five of a caught-up one
sleep 2.5
ok "10 messages are produced to idle" produce "$IDLE" 10
ok "they reach b's sink" wait_sink_count 10 30 "$T/b.sink"
sleep 2.5
is "$(count_events "$(kc_log b)" '.event == "stalled"')" 0 \
    "an idle partition (empty, then at its high watermark) is never stalled"
http_get b /metrics >/dev/null
is "$(stalled_samples)" "kconsumerd_partition_stalled{consumer=\"0\",topic=\"$IDLE\",partition=\"0\"} 0" \
    "its gauge is 0"
is "$(http_get b /readyz)" 200 "and /readyz stays 200"
kc_stop b 30
is "$KC_STATUS" 0 "b stops cleanly"
done_testing
