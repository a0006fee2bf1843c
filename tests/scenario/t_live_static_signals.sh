#!/bin/bash
# t_live_static_signals: a static rolling restart shows 0 rebalances in
# every signal kconsumerd gives (issue 23 item 1), on a real broker. Three
# static "pods" (processes, POD_NAME kconsumerd-0/1/2, two consumers each,
# instance_id "${POD_NAME}-%i") share 6 partitions while a producer runs;
# each pod is stopped with SIGTERM and started again (2, 1, 0, the next
# once the restarted one answers /readyz 200). During the roll:
# - every revoke says origin close (the pod's own close: 6 of them), none
#   origin rebalance, and every restarted member's assign is a join;
# - /metrics: kconsumerd_rebalances_total does not move on the pods that
#   stay and is 0 on the restarted ones;
# - kconsumerctl timeline: no episode of the roll is a group rebalance;
# - the broker logs no "Preparing to rebalance" for the group.
# Nothing is lost. The mock does not emulate static membership.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not emulate static membership"
require_tools kcat jq curl perl
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
    skip_all "built without libmicrohttpd: no /readyz, no /metrics"

SESSION=10000
ok "topic signals (6 partitions) is created" cluster_start signals:6
TOPIC=$(topic signals)
G=$(group signals)

# Print the sum of kconsumerd NAME's kconsumerd_rebalances_total samples,
# or "none" when /metrics has none (pure).
rebalances() {
	curl -s --max-time 5 "http://127.0.0.1:$(http_port "$1")/metrics" |
	    awk '/^kconsumerd_rebalances_total\{/ { n++; s += $2 }
		END { if (n) print s; else print "none" }'
}

produce_bg traffic "$TOPIC" 40
for i in 0 1 2; do
	kc_member_config "p$i" "$G" "$TOPIC" consumers=2 \
	    group.session_timeout_ms=$SESSION \
	    group.max_poll_interval_ms=30000 \
	    http.listen=127.0.0.1:0 'group.instance_id="${POD_NAME}-%i"'
	POD_NAME=kconsumerd-$i kc_start "p$i" "$T/p$i.yaml"
done
ok "the six members settle on one partition each" \
    wait_until 90 owned_split 1 "$(kc_log p0):0" "$(kc_log p0):1" \
    "$(kc_log p1):0" "$(kc_log p1):1" "$(kc_log p2):0" "$(kc_log p2):1"
ok "all three pods are ready (/readyz 200)" \
    wait_until 30 eval "ready p0 && ready p1 && ready p2"
# the group may form in two generations (librdkafka 2.0.2's leader
# rejoins once): let it finish before the roll starts
ok "the broker has the group stable" broker_wait "$G" 'Stabilized group' 30
declare -A R0
for i in 0 1 2; do R0[p$i]=$(rebalances "p$i"); done
diag "rebalances_total before the roll: p0 ${R0[p0]}, p1 ${R0[p1]}, p2 ${R0[p2]}"
before=$(broker_count "$G" 'Preparing to rebalance')
SINCE=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
for i in 2 1 0; do
	for p in p0 p1 p2; do
		[ -n "${R0[$p]:-}" ] || continue
		is "$(rebalances "$p")" "${R0[$p]}" \
		    "before kconsumerd-$i stops: $p's rebalances_total has not moved"
	done
	B0=$(owned "$(kc_log "p$i")" 0)
	B1=$(owned "$(kc_log "p$i")" 1)
	kc_stop "p$i" 20
	is "$?" 0 "kconsumerd-$i stops cleanly on SIGTERM"
	unset "R0[p$i]"
	POD_NAME=kconsumerd-$i kc_start "p${i}r" "$T/p$i.yaml"
	R0[p${i}r]=0
	ok "restarted kconsumerd-$i is ready (/readyz 200)" \
	    wait_until 60 eval "ready p${i}r"
	ok "and both its members get exactly their partitions back ($B0; $B1)" \
	    wait_until 30 eval '[ "$(owned "$(kc_log "p${i}r")" 0)" = "$B0" ] &&
	    [ "$(owned "$(kc_log "p${i}r")" 1)" = "$B1" ]'

done
for p in p0r p1r p2r; do
	is "$(rebalances "$p")" 0 "after the roll: $p's rebalances_total is 0"
done
REBALANCES=$(($(broker_count "$G" 'Preparing to rebalance') - before))
is "$REBALANCES" 0 "the broker logs no rebalance of the group during the roll"
OLD="$(kc_log p0) $(kc_log p1) $(kc_log p2)"
NEW="$(kc_log p0r) $(kc_log p1r) $(kc_log p2r)"
n=0
for f in $OLD; do
	n=$((n + $(count_events "$f" '.event == "revoke" and .origin == "close"')))
done
is "$n" 6 "the stopped pods logged 6 revokes, each with origin close"
n=0
for f in $OLD $NEW; do
	n=$((n + $(count_events "$f" "(.event == \"revoke\" or .event == \"assign\") and .origin == \"rebalance\" and .ts >= \"$SINCE\"")))
done
is "$n" 0 "no revoke or assign of origin rebalance during the roll"
n=0
for f in $NEW; do
	n=$((n + $(count_events "$f" '.event == "assign" and .origin == "join"')))
done
is "$n" 6 "each restarted member's assign is its join (6)"
# shellcheck disable=SC2086
"$KCONSUMERCTL" timeline --json --since "$SINCE" $OLD $NEW >"$T/timeline.json" 2>"$T/timeline.err"
is "$?" 0 "kconsumerctl timeline reads the six logs"
is "$(jq '.totals.rebalances' "$T/timeline.json")" 0 \
    "the timeline finds no group rebalance in the roll"
cmp_ok "$(jq '.totals.episodes' "$T/timeline.json")" -ge 1 \
    "though it shows the restarts as episodes ($(jq '.totals.episodes' "$T/timeline.json"))"
ok "the producer stops and kcat delivered everything" produce_bg_stop traffic
ok "every produced record reaches a sink" \
    wait_sink_count "$(produced "$TOPIC")" 60 "$T/p0.sink" "$T/p1.sink" "$T/p2.sink"
for i in 0 1 2; do
	kc_stop "p${i}r" 20
	is "$?" 0 "kconsumerd-$i stops cleanly"
done
ok "0 records lost" check_delivery "$(produced "$TOPIC")" \
    "$T/p0.sink" "$T/p1.sink" "$T/p2.sink"
diag "$DELIVERY_UNIQUE records, $DELIVERY_DUPLICATES duplicates"
broker_diag "$G" 12
done_testing
