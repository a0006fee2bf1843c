#!/bin/bash
# t_service_notify: kconsumerd speaks systemd's notification protocol.
# A stand-in socket (tests/notifylisten) plays NOTIFY_SOCKET with
# WATCHDOG_USEC set: READY=1 comes only after every member's first
# assignment, STATUS= says how many members are in, WATCHDOG=1 keeps
# coming while the members poll, stops while one is stuck in processing
# (experiment.processing_delay_us far above the watchdog) and comes back
# after, and SIGTERM brings STOPPING=1 and EXTEND_TIMEOUT_USEC. With no
# broker reachable, READY=1 still comes after service.ready_timeout_ms,
# with a warning naming the members that are not in.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

NOTIFYLISTEN=$top_builddir/tests/notifylisten
require_tools kcat jq mock "$NOTIFYLISTEN"
grep -q '^#define HAVE_LIBSYSTEMD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libsystemd: sd_notify calls are no-ops"

# unix socket paths are short: keep the socket out of a deep build tree
SOCKDIR=$(mktemp -d /tmp/kc-notify.XXXXXX) || bail_out "no temporary directory"
trap 'rm -rf "$SOCKDIR"; lib_cleanup' EXIT
WATCHDOG_MS=2000

# Print the milliseconds of the first notification matching ERE (pure).
first_ms() {
	grep -E "^[0-9]+ $2" "$1" | head -n 1 | cut -d' ' -f1
}

# Print how many notifications match ERE (pure).
count_notes() {
	grep -cE "^[0-9]+ $2" "$1"
}

# Print the longest gap in ms between WATCHDOG=1 notifications at or
# after FROM_MS and before TO_MS (pure): watchdog_gap FILE FROM TO.
watchdog_gap() {
	awk -v from="$2" -v to="$3" '$2 == "WATCHDOG=1" {
		if (prev != "" && $1 >= from && $1 <= to && $1 - prev > gap)
			gap = $1 - prev
		prev = $1
	} END {
		if (prev != "" && to - prev > gap) gap = to - prev
		print gap + 0
	}' "$1"
}

# Start notifylisten as NAME on SOCK.
listen_start() {
	proc_start "$1" "$T/$1.out" "$T/$1.err" "$NOTIFYLISTEN" "$2"
	wait_until 5 test -S "$2"
}

ok "the cluster starts with topic orders (2 partitions)" cluster_start -b 1 orders:2
ORDERS=$(topic orders)

kc_member_config a "$(group notify)" "$ORDERS" \
    group.max_poll_interval_ms=60000 consumers=2 \
    experiment.processing_delay_us=5000000
ok "the stand-in notification socket listens" listen_start na "$SOCKDIR/a.sock"
NOTIFY_SOCKET=$SOCKDIR/a.sock WATCHDOG_USEC=$((WATCHDOG_MS * 1000)) \
    kc_start a "$T/a.yaml"
ok "both members get their first assignment" \
    wait_event "$(kc_log a)" '.event == "assign"' 30 2
ok "READY=1 arrives" wait_until 10 grep -q ' READY=1$' "$T/na.out"
ready_ms=$(first_ms "$T/na.out" 'READY=1$')
# the later of the two members' first assignments, in ms
assigned_ms=$(jq -nR '[inputs | fromjson? | select(.event == "assign") |
    {c: .consumer, ms: ((.ts[0:19] + "Z" | fromdate) * 1000 +
    (.ts[20:23] | tonumber))}] | group_by(.c) | map(min_by(.ms).ms) |
    if length == 2 then max else 0 end' "$(kc_log a)")
cmp_ok "$ready_ms" -ge "$assigned_ms" \
    "READY=1 came only after both members' first assignments"
cmp_ok "$assigned_ms" -gt 0 "(both first assignments are in the log)"
is "$(count_notes "$T/na.out" 'READY=1$')" 1 "READY=1 is sent once"
ok "the start line names the ping interval, a quarter of WatchdogSec" \
    wait_event "$(kc_log a)" '.msg // "" | test("^systemd: WATCHDOG=1 every '$((WATCHDOG_MS / 4))' ms .*WatchdogSec '$WATCHDOG_MS' ms")' 1
# Readiness is logged right after READY=1 is sent (the order is the
# code's: the listener's receive times cannot order it to the ms).
is "$(count_events "$(kc_log a)" '.msg // "" | test("^ready: every member has its first assignment; READY=1 sent$")')" 1 \
    "readiness is logged once, as sent"
is "$(count_events "$(kc_log a)" '.msg // "" | test("notifying readiness")')" 0 \
    "no line claims readiness before it is notified"
cmp_ok "$(count_notes "$T/na.out" 'WATCHDOG=1$')" -gt 0 \
    "WATCHDOG=1 is sent while the members poll"
ok "STATUS= says both members are in the group" \
    wait_until 10 grep -q 'STATUS=members in group 2/2' "$T/na.out"

# The watchdog keeps coming for a while: three more notifications.
n0=$(count_notes "$T/na.out" 'WATCHDOG=1$')
ok "WATCHDOG=1 keeps coming" \
    wait_until 10 eval '[ "$(count_notes "$T/na.out" "WATCHDOG=1$")" -ge $((n0 + 3)) ]'
calm_ms=$(now_ms)
gap=$(watchdog_gap "$T/na.out" "$ready_ms" "$calm_ms")
cmp_ok "$gap" -lt "$WATCHDOG_MS" \
    "while idle, WATCHDOG=1 comes at least every WatchdogSec (longest gap $gap ms)"

# One message: its member sleeps 5 s before the sink, without polling.
stuck_ms=$(now_ms)
ok "one message is produced" produce "$ORDERS" 1
ok "the member withholds the watchdog while stuck" \
    wait_event "$(kc_log a)" '.msg // "" | test("withholding WATCHDOG=1")' 10
ok "the message reaches the sink after the processing delay" \
    wait_sink_count 1 20 "$T/a.sink"
ok "the watchdog is back once the member polls again" \
    wait_event "$(kc_log a)" '.msg // "" | test("every member polls again")' 10
back_ms=$(now_ms)
gap=$(watchdog_gap "$T/na.out" "$stuck_ms" "$back_ms")
cmp_ok "$gap" -gt "$WATCHDOG_MS" \
    "no WATCHDOG=1 for longer than WatchdogSec while a member was stuck ($gap ms)"
n1=$(count_notes "$T/na.out" 'WATCHDOG=1$')
ok "WATCHDOG=1 comes again after" \
    wait_until 5 eval '[ "$(count_notes "$T/na.out" "WATCHDOG=1$")" -gt $n1 ]'

kc_stop a 30
is "$?" 0 "SIGTERM stops kconsumerd cleanly"
ok "STOPPING=1 is sent on SIGTERM" grep -q ' STOPPING=1$' "$T/na.out"
ok "EXTEND_TIMEOUT_USEC asks for the shutdown deadline" \
    grep -qE ' EXTEND_TIMEOUT_USEC=[0-9]+$' "$T/na.out"
stopping_ms=$(first_ms "$T/na.out" 'STOPPING=1$')
cmp_ok "$stopping_ms" -ge "$ready_ms" "STOPPING=1 comes after READY=1"

# No broker: no member ever joins; READY=1 comes after the timeout.
kc_config b <<EOF
kafka:
  bootstrap.servers: 127.0.0.1:1
group:
  id: $(group unreachable)
topics: [$ORDERS]
log:
  format: json
sink:
  type: none
service:
  ready_timeout_ms: 1500
EOF
ok "a second stand-in socket listens" listen_start nb "$SOCKDIR/b.sock"
start_ms=$(now_ms)
NOTIFY_SOCKET=$SOCKDIR/b.sock kc_start b "$T/b.yaml"
ok "READY=1 arrives without any assignment" \
    wait_until 15 grep -q ' READY=1$' "$T/nb.out"
cmp_ok "$(($(first_ms "$T/nb.out" 'READY=1$') - start_ms))" -ge 1500 \
    "but only after service.ready_timeout_ms"
ok "a warning names the member that is not in" \
    wait_event "$(kc_log b)" '.level == "warn" and (.msg // "" |
        test("ready_timeout_ms.*consumer 0 has no assignment"))' 5
is "$(count_notes "$T/nb.out" 'WATCHDOG=1$')" 0 \
    "no WATCHDOG=1 without WATCHDOG_USEC"
kc_stop b 20
is "$?" 0 "it stops cleanly"
done_testing
