#!/usr/bin/env bash
# t_timeline_cli.sh: "kconsumerctl timeline" end to end on the test logs:
# the table, the SVG chart, stdin, exit codes, skipped lines, and the
# coordinator's reasons from a broker log (--broker-log).
# POSIX sh (runs under dash). Needs $top_srcdir and $top_builddir.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
ctl=$CTL
data=$top_srcdir/tests/data/timeline
tmp=$T

# has FILE TEXT: FILE contains TEXT literally.
has() {
	grep -F -q -- "$2" "$1"
}

# svg_check NAME COUNT LOG...: the chart is valid XML with COUNT bars.
svg_check() {
	name=$1 want=$2
	shift 2
	"$ctl" timeline --svg "$tmp/$name.svg" "$@" >"$tmp/$name.out" 2>&1
	ok_status $? "$name: --svg exits 0"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$tmp/$name.svg" 2>"$tmp/xmllint.err"
		ok_status $? "$name: xmllint accepts the SVG"
	else
		skip "xmllint is not installed ($name: xmllint accepts the SVG)"
	fi
	got=$(grep -o 'class="own"' "$tmp/$name.svg" | wc -l)
	[ "$got" -eq "$want" ]
	ok_status $? "$name: the SVG has $want ownership bars (got $got)"
	has "$tmp/$name.out" ", $want ownership interval"
	ok_status $? "$name: the table counts the same $want ownership intervals"
}

# Members read from files are labelled by file and consumer index; from
# stdin, which names no file, by their member ids.
A=eager-a:0
B=eager-b:0
A_ID=rdkafka-0f3c2a9e-5b1d-4c7e-9a2f-6d8b1e4c7a30
B_ID=rdkafka-b2e71d44-9c0a-4f3e-8d15-3a6c9f2e0b87

"$ctl" timeline "$data/eager-a.log" "$data/eager-b.log" \
    >"$tmp/eager.out" 2>"$tmp/eager.err"
ok_status $? "eager: timeline exits 0"
has "$tmp/eager.out" "episode 2: 2026-11-21T08:48:30.000Z, 9063 ms, EAGER"
ok_status $? "eager: the table shows episode 2 with start, length, protocol"
has "$tmp/eager.out" "  trigger: member $B started"
ok_status $? "eager: episode 2's trigger is B's start"
has "$tmp/eager.out" "  orders[3]: $A -> $B  paused 6583 ms"
ok_status $? "eager: orders[3] moves from A to B after 6583 ms without owner"
has "$tmp/eager.out" "summary: 3 episodes, 6 partitions moved, 12 pauses, total pause 87882 ms, longest pause 9010 ms (orders[3] in episode 3)"
ok_status $? "eager: the summary line has the exact totals"
[ ! -s "$tmp/eager.err" ]
ok_status $? "eager: nothing on stderr when no line is skipped"

svg_check eager 18 "$data/eager-a.log" "$data/eager-b.log"
svg_check cooperative 12 "$data/cooperative-a.log" "$data/cooperative-b.log"
svg_check kill 8 "$data/kill-ab.log" "$data/kill-c.log"
has "$tmp/eager.svg" 'data-partition="orders[3]" data-member="'"$B"'"'
ok_status $? "eager: a bar carries its partition and member"

# a container's process killed and restarted under the same pid (1): the
# old members vanish at their own last event (12:00:10), not at the new
# process's first lines (12:00:16)
"$ctl" timeline "$data/restart-samepid.log" >"$tmp/samepid.out" 2>&1 &&
    has "$tmp/samepid.out" "member pod-0-1 disappeared (no stop event)" &&
    has "$tmp/samepid.out" "orders[0]: pod-0-0 -> pod-0-0#2  paused 7500 ms" &&
    has "$tmp/samepid.out" "orders[3]: pod-0-1 -> pod-0-1#2  paused 7500 ms"
ok_status $? "same pid: a restarted process's lines do not keep the killed one's members alive"

cat "$data/eager-b.log" "$data/eager-a.log" | "$ctl" timeline - \
    >"$tmp/stdin.out" 2>&1
ok_status $? "stdin: '-' reads the log from stdin"
grep -q "trigger: member $B_ID started" "$tmp/stdin.out"
ok_status $? "stdin: members without a log file name are labelled by member id"
sed -e "s/$A_ID/$A/g" -e "s/$B_ID/$B/g" "$tmp/stdin.out" | tr -s ' ' \
    >"$tmp/stdin.norm"
tr -s ' ' <"$tmp/eager.out" | cmp -s "$tmp/stdin.norm" -
ok_status $? "stdin: both logs in one stream give the same table (up to labels)"

"$ctl" timeline "$data/malformed.log" >"$tmp/bad.out" 2>"$tmp/bad.err"
ok_status $? "malformed: broken lines do not fail the run"
has "$tmp/bad.err" "skipped 14 lines (7 not JSON, 1 unknown event, 6 missing or bad fields)"
ok_status $? "malformed: stderr counts the skipped lines by kind"

printf '%s\n' '{"ts":"2026-11-21T09:00:00.000Z","level":"info","event":"start","consumer":0,"group":"a&b<c>","instance_id":"x\"y'"'"'z<&>","pid":1}' \
    '{"ts":"2026-11-21T09:00:01.000Z","level":"info","event":"assign","consumer":0,"group":"a&b<c>","member_id":"m","instance_id":"x\"y'"'"'z<&>","protocol":"EAGER","partitions":[{"topic":"t<&>","partition":0,"offset":-1}],"assignment":1}' \
    >"$tmp/escape.log"
svg_check escape 1 "$tmp/escape.log"

"$ctl" timeline "$data/eager-a.log" "$tmp/no-such.log" \
    >"$tmp/missing.out" 2>"$tmp/missing.err"
[ $? -eq 66 ]
ok_status $? "a LOG that cannot be opened exits 66"
has "$tmp/missing.err" "cannot open $tmp/no-such.log: No such file or directory"
ok_status $? "the message says which LOG and why"
[ ! -s "$tmp/missing.out" ]
ok_status $? "nothing is printed on stdout when a LOG is missing"

"$ctl" timeline >/dev/null 2>&1
[ $? -eq 64 ]
ok_status $? "timeline without LOG exits 64"
"$ctl" >/dev/null 2>&1
[ $? -eq 64 ]
ok_status $? "kconsumerctl without a command exits 64"
"$ctl" timeline --bogus "$data/eager-a.log" >/dev/null 2>&1
[ $? -eq 64 ]
ok_status $? "an unknown option exits 64"
"$ctl" timeline --gap soon "$data/eager-a.log" >/dev/null 2>&1
[ $? -eq 64 ]
ok_status $? "a --gap that is no number exits 64"
"$ctl" timeline --since yesterday "$data/eager-a.log" >/dev/null 2>&1
[ $? -eq 64 ]
ok_status $? "a --since that is no RFC 3339 time exits 64"

"$ctl" timeline --since 2026-11-21T08:48:30Z "$data/eager-a.log" \
    "$data/eager-b.log" >"$tmp/since.out" 2>&1
has "$tmp/since.out" "summary: 2 episodes"
ok_status $? "--since leaves out the episode before it"

if command -v jq >/dev/null 2>&1; then
	"$ctl" timeline --json "$data/eager-a.log" "$data/eager-b.log" \
	    >"$tmp/eager.json" 2>&1
	ok_status $? "json: timeline --json exits 0"
	[ "$(jq '.episodes | length' "$tmp/eager.json")" = 3 ] &&
	    [ "$(jq '.totals.pause_total_ms' "$tmp/eager.json")" = 87882 ]
	ok_status $? "json: the same 3 episodes and total pause as the table"
	[ "$(jq -r '.episodes[1].moves[] | select(.partition == "orders[3]") |
	    "\(.from) \(.to) \(.pause_ms)"' "$tmp/eager.json")" = \
	    "$A $B 6583" ]
	ok_status $? "json: episode 2 moves orders[3] from A to B after 6583 ms"
	[ "$(jq '.intervals | length' "$tmp/eager.json")" = 18 ] &&
	    [ "$(jq -r '.episodes[1].triggers[0].kind' "$tmp/eager.json")" = start ]
	ok_status $? "json: 18 intervals, and episode 2's trigger is a start"
else
	for i in 1 2 3 4; do
		skip "jq is not installed (json: timeline --json ($i))"
	done
fi

# --broker-log: Kafka's server.log lines of group billing, read in UTC
# here (Kafka writes the broker host's local time).
K="$data/kill-ab.log $data/kill-c.log"
# shellcheck disable=SC2086
TZ=UTC "$ctl" timeline --broker-log "$data/kill-broker.log" $K >"$tmp/broker.out" 2>&1
ok_status $? "--broker-log: exits 0"
sed -n '/^episode 1:/,/^episode 2:/p' "$tmp/broker.out" | grep -q -F \
    "  broker 11:00:00.412: member joined: kill-a (old generation 0)"
ok_status $? "--broker-log: episode 1 names the static member joining (by its instance id)"
sed -n '/^episode 2:/,/^summary:/p' "$tmp/broker.out" | grep -q -F \
    "  broker 11:00:30.902: member removed on session timeout: kill-c (old generation 1)"
ok_status $? "--broker-log: episode 2 (kill-c vanished) was the coordinator removing kill-c on session timeout"
sed -n '/^broker log, outside every episode:$/,/^summary:/p' "$tmp/broker.out" |
    grep -q -F "  broker 11:05:00.000: leader rejoined: kill-a (old generation 2)"
ok_status $? "--broker-log: a rebalance outside every episode is listed apart"
! grep -q "payments\|rdkafka-0000" "$tmp/broker.out"
ok_status $? "--broker-log: another group's lines are left out"
if command -v jq >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	TZ=UTC "$ctl" timeline --json --broker-log "$data/kill-broker.log" $K >"$tmp/broker.json" 2>/dev/null
	[ "$(jq -c '[.episodes[1].broker_causes[] | [.cause, .member, .old_generation]]' "$tmp/broker.json")" = \
	    '[["session_timeout","kill-c",1]]' ] &&
	    [ "$(jq -r '.broker_unmatched[0].cause' "$tmp/broker.json")" = leader_rejoin ]
	ok_status $? "--broker-log --json: broker_causes per episode, broker_unmatched apart"
	# shellcheck disable=SC2086
	"$ctl" timeline --json $K | jq -e '[.episodes[] | has("broker_causes")] | any | not' >/dev/null
	ok_status $? "without --broker-log the JSON has no broker_causes"
else
	skip "jq is not installed (--broker-log --json)"
	skip "jq is not installed (no broker_causes without --broker-log)"
fi
# shellcheck disable=SC2086
"$ctl" timeline --broker-log "$tmp/no-such.log" $K >/dev/null 2>"$tmp/nobroker.err"
[ $? -eq 66 ] && grep -q "cannot open .*no-such.log" "$tmp/nobroker.err"
ok_status $? "--broker-log: a broker log that cannot be opened exits 66 and says which"
# shellcheck disable=SC2086
"$ctl" timeline --sink "$tmp/no-such.sink" $K >/dev/null 2>"$tmp/nosink.err"
[ $? -eq 66 ] && grep -q "cannot open .*no-such.sink" "$tmp/nosink.err"
ok_status $? "--sink: a sink file that cannot be opened exits 66 and says which"

"$ctl" timeline --help >"$tmp/help.out" 2>&1
ok_status $? "timeline --help exits 0"
has "$tmp/help.out" "--since TS"
ok_status $? "timeline --help explains --since"
"$ctl" --version | grep -q '^kconsumerctl '
ok_status $? "--version prints the program and version"

if [ -n "$MANDOC" ] && [ -x "$MANDOC" ]; then
	"$MANDOC" -Tlint -W warning "$top_srcdir/man/kconsumerctl.1" \
	    >"$tmp/mandoc.out" 2>&1
	ok_status $? "kconsumerctl(1) is lint-clean for mandoc"
else
	skip "mandoc is not installed (kconsumerctl(1) is lint-clean)"
fi

done_testing
