#!/usr/bin/env bash
# t_timeline_recorded.sh: kconsumerctl timeline on real event logs,
# recorded from kconsumerd on the mock cluster by tests/record_timeline.sh
# (three members join one after another, then two stop): exactly the
# episodes, triggers, moves, pauses and totals in recorded-*.expected.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
ctl=$CTL
data=$top_srcdir/tests/data/timeline
tmp=$T

# episodes PROTOCOL: the episode, trigger, move and summary lines.
episodes() {
	"$ctl" timeline "$data/recorded-$1-a.log" "$data/recorded-$1-b.log" \
	    "$data/recorded-$1-c.log" >"$tmp/$1.out" 2>"$tmp/$1.err"
	st=$?
	grep -E '^(episode |  trigger: |  orders\[|summary: )' \
	    "$tmp/$1.out" | sed 's/ *$//' >"$tmp/$1.got"
	return $st
}

for p in eager cooperative; do
	episodes $p
	ok_status $? "$p: timeline reads the three recorded logs"
	[ ! -s "$tmp/$p.err" ]
	ok_status $? "$p: no line of the recorded logs is skipped"
	diff "$data/recorded-$p.expected" "$tmp/$p.got" >"$tmp/$p.diff"
	st=$?
	ok_status $st "$p: exactly the recorded episodes, moves and pauses"
	[ $st -eq 0 ] || sed 's/^/# /' "$tmp/$p.diff"
done

# dynamic members are labelled by their log file and consumer index
A=recorded-eager-a:0
B=recorded-eager-b:0
C=recorded-eager-c:0
grep -q "^summary: 5 episodes, 12 partitions moved, 27 pauses, total pause 138151 ms, longest pause 10006 ms (orders\[4\] in episode 4)$" \
    "$tmp/eager.got"
ok_status $? "eager: 5 episodes, 27 pauses, longest 10006 ms"
[ "$(sed -n '/^episode 3:/,/^episode 4:/p' "$tmp/eager.got" |
    grep -c ' paused ')" -eq 6 ]
ok_status $? "eager: when c joins (episode 3) all 6 partitions pause"
grep -q "^  orders\[4\]: $B -> $C  paused 4600 ms$" "$tmp/eager.got"
ok_status $? "eager: orders[4] moves from b to c after 4600 ms"
grep -q "^  trigger: member $C stopped$" "$tmp/eager.got"
ok_status $? "eager: episode 4 is c's stop"

A=recorded-cooperative-a:0
B=recorded-cooperative-b:0
C=recorded-cooperative-c:0
grep -q "^summary: 5 episodes, 10 partitions moved, 10 pauses, total pause 50085 ms, longest pause 5047 ms (orders\[0\] in episode 4)$" \
    "$tmp/cooperative.got"
ok_status $? "cooperative: 5 episodes, 10 pauses, longest 5047 ms"
[ "$(sed -n '/^episode 3:/,/^episode 4:/p' "$tmp/cooperative.got" |
    grep -c ' paused ')" -eq 2 ]
ok_status $? "cooperative: when c joins (episode 3) only the 2 partitions it takes pause"
grep -q "^  orders\[3\]: $A -> $C  paused 5003 ms$" "$tmp/cooperative.got"
ok_status $? "cooperative: orders[3] moves from a to c after 5003 ms"

if command -v jq >/dev/null 2>&1; then
	"$ctl" timeline --json "$data/recorded-cooperative-a.log" \
	    "$data/recorded-cooperative-b.log" \
	    "$data/recorded-cooperative-c.log" >"$tmp/coop.json"
	# orders[1], [2] (b) and [4], [5] (a) keep one interval across c's join
	[ "$(jq '.episodes[2] as $e | [.intervals[] |
	    select(.from_ms < $e.start_ms and .to_ms > $e.end_ms) |
	    .partition] | sort | join(" ")' "$tmp/coop.json")" = \
	    '"orders[1] orders[2] orders[4] orders[5]"' ]
	ok_status $? "cooperative: the 4 partitions that stay keep one unbroken interval across c's join"
	"$ctl" timeline --json "$data/recorded-eager-a.log" \
	    "$data/recorded-eager-b.log" "$data/recorded-eager-c.log" \
	    >"$tmp/eager.json"
	[ "$(jq '.episodes[2] as $e | [.intervals[] |
	    select(.from_ms < $e.start_ms and .to_ms > $e.end_ms)] | length' \
	    "$tmp/eager.json")" -eq 0 ]
	ok_status $? "eager: no partition keeps its interval across c's join"
else
	skip "jq is not installed (cooperative: unbroken intervals)"
	skip "jq is not installed (eager: no unbroken interval)"
fi

done_testing
