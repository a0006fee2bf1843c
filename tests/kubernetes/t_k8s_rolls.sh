#!/bin/bash
# t_k8s_rolls: the rolls users do, on a real Kubernetes (lab/kube-local),
# with the project's own manifests (conf/kubernetes through a test
# overlay that changes only the bootstrap address, the run's topic and
# group, where the log goes, and auto.offset.reset; see below) and the
# image packaging/image.sh builds, while a producer writes steadily:
#   1. kubectl rollout restart: pods replaced 2, 1, 0, each only once the
#      one before is Ready; the same instance ids; no member revokes
#      anything; the broker logs no "Preparing to rebalance";
#   2. a rolling update that changes the configuration (ConfigMap and a
#      pod template annotation): the same;
#   3. kubectl delete pod: recreated under its name and instance ids
#      within session_timeout_ms, no rebalance for the others;
#   4. SIGKILL of the container on the node: kubelet restarts it, its
#      members rejoin as the same static members;
#   5. scale 3 -> 4 -> 3: only partitions that move are revoked
#      (cooperative); on the way down the group waits out the session
#      timeout (leave_group: auto), then the partitions move;
#   6. every clean stop fits in terminationGracePeriodSeconds;
#   7. for contrast, the same rollout restart when members leave as they
#      stop: static members with shutdown.leave_group: always, then
#      dynamic members (no instance id): a LeaveGroup and a rebalance for
#      each pod;
# and, over everything, 0 records lost; no record read twice where every
# stop was clean, and after the SIGKILL only records the killed container
# had written (past its last commit). The longest pause of a partition
# per scenario is kconsumerctl timeline --json's, on every pod's log: in
# a static roll no group rebalance, every paused partition back to its
# own instance id, no pause longer than its pod's own restart (stop to
# Ready); in the leave_group: always and dynamic rolls group rebalances
# with partitions paused in them. Each pod's
# sink and log are on its persistent volume, a folder of the host.
#
# Run through lab/kube-local with (tests/README.md "Kubernetes"):
#   lab/kube-local with env top_srcdir=$PWD top_builddir=$PWD \
#       prove --exec bash tests/kubernetes/t_k8s_rolls.sh
# It skips
# without it, a failure under KCD_REQUIRE_LIVE=1.

# Wait conditions are eval'd strings; helpers run through wait_until.
# shellcheck disable=SC2016,SC2086,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

if [ -z "${KCD_K8S_DIR:-}" ]; then
	[ "$KCD_REQUIRE_LIVE" = 1 ] &&
	    bail_out "no Kubernetes (KCD_K8S_DIR unset) and KCD_REQUIRE_LIVE=1: run through lab/kube-local with"
	skip_all "no Kubernetes: run through lab/kube-local with (./quickstart test does)"
fi
KCD_LIVE_BOOTSTRAP=$KCD_K8S_BOOTSTRAP KCD_LIVE_DIR=$KCD_K8S_KAFKA_DIR
require_live "the pods consume from lab/kube-local's Kafka"
require_tools kcat jq

PARTS=12
RATE=${K8S_RATE:-40}
SS=$top_srcdir/conf/kubernetes/statefulset.yaml
GRACE=$(sed -n 's/^ *terminationGracePeriodSeconds: *//p' "$SS")
SESSION=$("$top_srcdir/packaging/configmap-yaml.sh" | sed -n 's/^ *session_timeout_ms: *//p')
ORDERS=$(topic orders)
G=$(group orders-audit)
ok "topic $ORDERS ($PARTS partitions) is created" cluster_start orders:$PARTS

# kubectl on the cluster.
k() {
	"$KUBECTL" "$@"
}

# ---------------------------------------------------------------- overlay
# lab/kube-local's overlay of conf/kubernetes (the configuration pointed
# at its Kafka) with what else must differ here: the run's topic and
# group, the event log on the pod's volume (so every incarnation's events
# stay readable after its pod is gone), and auto.offset.reset earliest
# (the group is new: records produced before its first assignment count
# too); SED-EXPRs change more (scenario 2): overlay REVISION [SED-EXPR...]
overlay() {
	"$top_srcdir/lab/kube-local" -d "$KCD_K8S_DIR" overlay "$T/overlay" "$@" \
	    "s|^\(  bootstrap.servers:.*\)|\1\n  auto.offset.reset: earliest|" \
	    "s|^\(  id:\).*|\1 $G|" \
	    "s|^topics:.*|topics: [$ORDERS]|" \
	    's|^log:$|log:\n  file: /var/lib/kconsumerd/kconsumerd.log|' \
	    >"$T/apply.out" 2>&1 || { diag "$(cat "$T/apply.out")"; return 1; }
}

# ---------------------------------------------------------------- logs
# Pod N's event log and sink, on its volume.
plog() { echo "$KCD_K8S_PV/data-kconsumerd-$1/kconsumerd.log"; }
psink() { echo "$KCD_K8S_PV/data-kconsumerd-$1/orders.jsonl"; }
sinks() { local n; for n in 0 1 2 3; do psink "$n"; done; }

# Note where each pod's log ends, and the broker's counts: mark.
declare -A MARK
mark() {
	local n
	for n in 0 1 2 3; do MARK[$n]=$({ wc -l <"$(plog "$n")"; } 2>/dev/null || echo 0); done
	MARK[prep]=$(broker_count "$G" 'Preparing to rebalance')
	MARK[t]=$(now_ms)
}

# Print pod N's log lines since mark (pure): since N.
since() {
	tail -n +$((MARK[$1] + 1)) "$(plog "$1")" 2>/dev/null
}

# Print how many events since mark, of pods N..., match EXPR: events_since
# EXPR N...
events_since() {
	local expr=$1 n total=0 c
	shift
	for n in "$@"; do
		since "$n" >"$T/since.$n"
		c=$(count_events "$T/since.$n" "$expr")
		total=$((total + ${c:-0}))
	done
	echo "$total"
}

# The rebalance revokes (not a member's own close) since mark, of pods N...
revokes_since() {
	events_since '.event == "revoke" and .origin != "close"' "$@"
}

# The partitions those revokes took, in all: revoked_since N...
revoked_since() {
	local n
	for n in "$@"; do since "$n"; done | jq -rR '(try fromjson catch null) |
	    objects | select(.event == "revoke" and .origin != "close") |
	    .partitions[].partition' | wc -l
}

# Print the partitions pod N's current container owns (its log from the
# last start of its members on: a SIGKILLed one logged no final revoke).
owned_now() {
	local log from
	log=$(plog "$1")
	from=$(jq -nR '[inputs | (try fromjson catch null) | objects |
	    select(.event == "start") | input_line_number] | .[-2] // 1' "$log" 2>/dev/null)
	tail -n +"${from:-1}" "$log" >"$T/owned.$1"
	owned "$T/owned.$1"
}

# Print "N:C:ID" for each start event since mark, of pods N...
starts_since() {
	local n
	for n in "$@"; do
		since "$n" | jq -rR --arg n "$n" '(try fromjson catch null) | objects |
		    select(.event == "start") | "\($n):\(.consumer):\(.instance_id)"'
	done | sort -u
}

# True when every pod of the StatefulSet is Ready and up to date.
rolled() {
	k rollout status statefulset/kconsumerd --timeout=1s >/dev/null 2>&1
}

# Print the pod's creation time and the time it turned Ready, in epoch
# seconds: pod_times N.
pod_times() {
	k get pod "kconsumerd-$1" -o json | jq -r '[(.metadata.creationTimestamp |
	    fromdate), ((.status.conditions[]? | select(.type == "Ready" and
	    .status == "True") | .lastTransitionTime | fromdate) // 0)] | @tsv'
}

# True when the sinks hold at least as many distinct records as the
# producer has sent so far, less RATE (one second in flight).
caught_up() {
	local want
	want=$(cat "$T/traffic.count" 2>/dev/null || echo 0)
	[ "$(sinks | xargs cat 2>/dev/null | jq -rR '(try fromjson catch null) | objects |
	    "\(.partition) \(.offset)"' | sort -u | wc -l)" -ge $((want - RATE)) ]
}

# Duplicates so far: records in the sinks past the distinct ones (one
# reading of the sinks, which grow meanwhile).
dups_now() {
	sink_offsets $(sinks) >"$T/offsets.now"
	echo $(($(wc -l <"$T/offsets.now") - $(uniq "$T/offsets.now" | wc -l)))
}

# ---------------------------------------------------------------- pauses
# The pauses of partitions (from the revoke, lost or stop that ended an
# owner's interval to the next assign) are kconsumerctl timeline's: its
# JSON of every pod's event log, episodes since mark, in $T/timeline.json.
# The logs are linked as $T/logs/kconsumerd-N.log, which names the
# members that have no instance id (kconsumerd-N:C).
mkdir -p "$T/logs"
for n in 0 1 2 3; do ln -s "$(plog "$n")" "$T/logs/kconsumerd-$n.log"; done
timeline_since() {
	local f logs=() since
	for f in "$T"/logs/*.log; do [ -e "$f" ] && logs+=("$f"); done
	since=$(date -u -d "@$((MARK[t] / 1000)).$(printf %03d $((MARK[t] % 1000)))" +%FT%T.%3NZ)
	"$CTL" timeline --json --since "$since" "${logs[@]}" >"$T/timeline.json" 2>"$T/timeline.err" ||
	    { diag "kconsumerctl timeline: $(cat "$T/timeline.err")"; return 1; }
}

# Print the longest pause (ms) of $T/timeline.json's moves that match the
# jq EXPR (. is a move; $id maps a member's label to its instance id, $reb
# is whether its episode is a group rebalance), 0 when none: pause_max
# EXPR.
pause_max() {
	jq "(.members | map({(.label): .instance_id}) | add) as \$id |
	    [.episodes[] | .rebalance as \$reb | .moves[] | select($1) |
	    .pause_ms // 0] | max // 0" "$T/timeline.json"
}

# A roll of static members that stay in the group: kconsumerctl timeline
# finds no group rebalance, every partition that paused went back to its
# own instance id, and none paused longer than its member's own restart
# (its old pod's stopping line to its new pod's Ready; the roll waited
# for that): pauses_static NAME.
pauses_static() {
	local name=$1 n stop ready worst
	ok "$name: kconsumerctl timeline reads the pods' logs" timeline_since || return
	is "$(jq .totals.rebalances "$T/timeline.json")" 0 \
	    "$name: kconsumerctl timeline finds no group rebalance"
	is "$(jq '(.members | map({(.label): .instance_id}) | add) as $id |
	    [.episodes[].moves[] | select(.pause_ms != null and $id[.from] != $id[.to])] |
	    length' "$T/timeline.json")" 0 \
	    "$name: every partition that paused went back to its own instance id"
	for n in 0 1 2; do
		since "$n" >"$T/since.$n"
		stop=$(jq -nrR '[inputs | (try fromjson catch null) | objects |
		    select(.event == "log" and (.msg | test("^stopping")))][0].ts // empty' \
		    "$T/since.$n")
		[ -z "$stop" ] || stop=$(date -d "$stop" +%s%3N)
		ready=$(($(pod_times "$n" | cut -f2) * 1000 + 999))
		worst=$(pause_max '.pause_ms != null and ($id[.to] // "" | startswith("kconsumerd-'"$n"'-"))')
		cmp_ok "$worst" -le $((ready - ${stop:-$ready})) \
		    "$name: kconsumerd-$n's partitions paused at most $worst ms, within its restart (stop to Ready: $((ready - ${stop:-$ready})) ms)"
	done
}

# A roll where members leave the group as they stop: kconsumerctl
# timeline finds group rebalances, and partitions paused in them:
# pauses_rebalanced NAME.
pauses_rebalanced() {
	local name=$1 worst
	ok "$name: kconsumerctl timeline reads the pods' logs" timeline_since || return
	cmp_ok "$(jq .totals.rebalances "$T/timeline.json")" -ge 1 \
	    "$name: kconsumerctl timeline finds group rebalances"
	worst=$(pause_max '$reb')
	cmp_ok "$worst" -gt 0 "$name: partitions paused in them (longest $worst ms)"
}

# Sum up a scenario: its time, records produced during it, duplicates it
# added, partitions revoked by rebalances, rebalances in the broker log,
# the longest pause of a partition, and the longest one in a group
# rebalance (kconsumerctl timeline); one line for the report and the
# README. With "clean", asserts it added no duplicate (every member that
# stopped did so cleanly, committing what it had written): report NAME
# [clean].
FIGS=()
report() {
	local prod dups reb line
	prod=$(($(cat "$T/traffic.count") - MARK[produced]))
	dups=$(($(dups_now) - MARK[dups]))
	[ "${2:-}" != clean ] || is "$dups" 0 "$1: no record is read twice (clean stops commit)"
	reb=$(($(broker_count "$G" 'Preparing to rebalance') - MARK[prep]))
	line="$(( ($(now_ms) - MARK[t]) / 1000 )) s, $prod produced,"
	line+=" $dups duplicates, $(revoked_since 0 1 2 3) partitions revoked, $reb rebalances"
	timeline_since || true
	line+=", longest pause $(pause_max true) ms (in a group rebalance: $(pause_max '$reb') ms)"
	FIGS+=("$1: $line")
	diag "figures: $1: $line"
}

# mark, plus the producer's count and the duplicates so far.
begin() {
	mark
	MARK[produced]=$(cat "$T/traffic.count" 2>/dev/null || echo 0)
	MARK[dups]=$(dups_now)
}

# ---------------------------------------------------------------- deploy
t0=$(now_ms)
ok "kubectl apply -k of conf/kubernetes through the test overlay" overlay 1
ok "the StatefulSet reaches 3/3 Ready" wait_until 300 rolled ||
    bail_out "the StatefulSet never got ready: $(k get pods -o wide 2>&1; k describe pods 2>&1 | tail -n 40)"
diag "figures: 3/3 Ready $(( ($(now_ms) - t0) / 1000 )) s after kubectl apply"
for n in 0 1 2; do
	ok "kconsumerd-$n's members join as kconsumerd-$n-0 and kconsumerd-$n-1" \
	    wait_event "$(plog "$n")" '.event == "assign" and (.instance_id | test("^kconsumerd-'$n'-[01]$"))' 60 2
done
produce_bg traffic "$ORDERS" "$RATE"
ok "the members consume the producer's records" wait_until 60 eval '[ "$(sink_count $(sinks))" -ge $RATE ]'

# ---------------------------------------------------------------- roll
# A roll of every pod (the rollout command given): pods replaced in the
# order 2, 1, 0, each after the one before was Ready, and consuming
# again: roll NAME CMD... (begin, then report, are the caller's).
roll() {
	local name=$1 c2 r2 c1 r1 c0 r0
	shift
	ok "$name: $*" "$@"
	ok "$name: the rollout completes" wait_until 600 rolled
	read -r c2 r2 < <(pod_times 2)
	read -r c1 r1 < <(pod_times 1)
	read -r c0 r0 < <(pod_times 0)
	cmp_ok "$c1" -ge "$r2" "$name: kconsumerd-1 was created after kconsumerd-2 was Ready"
	cmp_ok "$c0" -ge "$r1" "$name: kconsumerd-0 was created after kconsumerd-1 was Ready"
	cmp_ok "$c2" -ge $((MARK[t] / 1000 - 1)) "$name: kconsumerd-2 is a new pod"
	ok "$name: the members consume again" wait_until 120 caught_up
}

# A roll of the static members: the same instance ids, each rejoin logged
# by the broker as a replacement, no revokes, no rebalance in the
# broker's log: roll_checks NAME CMD...
roll_checks() {
	local name=$1
	begin
	MARK[static]=$(broker_count "$G" 'in Stable state\. Replacing previously mapped member')
	roll "$@"
	is "$(starts_since 0 1 2 | tr '\n' ' ')" \
	    "0:0:kconsumerd-0-0 0:1:kconsumerd-0-1 1:0:kconsumerd-1-0 1:1:kconsumerd-1-1 2:0:kconsumerd-2-0 2:1:kconsumerd-2-1 " \
	    "$name: the new pods' members start under the same instance ids"
	is "$(revokes_since 0 1 2)" 0 "$name: no member revokes a partition (static members rejoin)"
	is "$(($(broker_count "$G" 'Preparing to rebalance') - MARK[prep]))" 0 \
	    "$name: the broker logs no \"Preparing to rebalance\" for the group"
	is "$(($(broker_count "$G" 'in Stable state\. Replacing previously mapped member') - MARK[static]))" 6 \
	    "$name: the broker logs each of the 6 static members' rejoin as a replacement"
	pauses_static "$name"
	report "$name" clean
}

roll_checks "rollout restart" k rollout restart statefulset/kconsumerd
# the annotation changes the pod template, the ConfigMap a setting the
# broker does not see (the heartbeat interval)
roll_checks "configuration change" overlay 2 's|^\(  heartbeat_interval_ms:\).*|\1 2000|'
is "$(events_since '.event == "start" and .heartbeat_interval_ms == 2000' 0 1 2)" 6 \
    "configuration change: every new member runs the new heartbeat interval (2000 ms)"

# ---------------------------------------------------------------- delete pod
begin
ok "delete pod: kubectl delete pod kconsumerd-1" k delete pod kconsumerd-1 --wait=false
ok "delete pod: kconsumerd-1 is recreated and Ready" \
    wait_until 120 eval 'rolled && [ "$(starts_since 1 | wc -l)" -eq 2 ]'
back=$(( ($(now_ms) - MARK[t]) / 1000 ))
cmp_ok "$back" -lt $((SESSION / 1000)) \
    "delete pod: back in $back s, inside session_timeout_ms ($SESSION)"
is "$(starts_since 1 | tr '\n' ' ')" "1:0:kconsumerd-1-0 1:1:kconsumerd-1-1 " \
    "delete pod: under the same instance ids"
is "$(events_since '.event == "assign" or .event == "revoke"' 0 2)" 0 \
    "delete pod: the other pods' members see no rebalance"
is "$(($(broker_count "$G" 'Preparing to rebalance') - MARK[prep]))" 0 \
    "delete pod: the broker logs no rebalance"
ok "delete pod: the members consume again" wait_until 120 caught_up
report "delete pod" clean

# ---------------------------------------------------------------- SIGKILL
begin
restarts=$(k get pod kconsumerd-0 -o jsonpath='{.status.containerStatuses[0].restartCount}')
cid=$(k get pod kconsumerd-0 -o jsonpath='{.status.containerStatuses[0].containerID}')
pid=$(ctr -a "$KCD_K8S_DIR/containerd/containerd.sock" -n k8s.io tasks ls |
    awk -v id="${cid#containerd://}" '$1 == id { print $2 }')
ok "SIGKILL: kconsumerd-0's container has a process on the node (${pid:-none})" test -n "$pid"
ok "SIGKILL: kill -KILL $pid" kill -KILL "$pid"
# what the killed container had written: the only records that may be
# read twice (those past its last commit)
sink_offsets "$(psink 0)" | sort -u >"$T/killed.offsets"
ok "SIGKILL: kubelet restarts the container" wait_until 120 eval \
    '[ "$(k get pod kconsumerd-0 -o jsonpath="{.status.containerStatuses[0].restartCount}")" -gt "$restarts" ] && rolled'
is "$(k get pod kconsumerd-0 -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}')" 137 \
    "SIGKILL: its last state says exit 137 (SIGKILL)"
is "$(starts_since 0 | tr '\n' ' ')" "0:0:kconsumerd-0-0 0:1:kconsumerd-0-1 " \
    "SIGKILL: the new container's members start under the same instance ids"
is "$(($(broker_count "$G" 'Preparing to rebalance') - MARK[prep]))" 0 \
    "SIGKILL: the broker logs no rebalance (a static member back inside its session)"
ok "SIGKILL: the members consume again" wait_until 120 caught_up
sink_offsets $(sinks) | uniq -d | sort >"$T/dup.offsets"
is "$(comm -23 "$T/dup.offsets" "$T/killed.offsets" | wc -l)" 0 \
    "SIGKILL: every record read twice ($(wc -l <"$T/dup.offsets")) is one the killed container had written"
report "SIGKILL"

# ---------------------------------------------------------------- scale
begin
ok "scale 3 -> 4: kubectl scale --replicas=4" k scale statefulset/kconsumerd --replicas=4
ok "scale 3 -> 4: kconsumerd-3 is Ready" wait_until 180 rolled
ok "scale 3 -> 4: kconsumerd-3's members get partitions" \
    wait_until 60 eval '[ -n "$(owned_now 3)" ]'
got=$(since 3 | jq -rR '(try fromjson catch null) | objects |
    select(.event == "assign") | .partitions[].partition' | wc -l)
is "$(revoked_since 0 1 2)" "$got" \
    "scale 3 -> 4: the others revoke exactly the $got partitions kconsumerd-3 takes (cooperative)"
ok "scale 3 -> 4: the members consume again" wait_until 120 caught_up
report "scale 3 -> 4" clean
begin
ok "scale 4 -> 3: kubectl scale --replicas=3" k scale statefulset/kconsumerd --replicas=3
ok "scale 4 -> 3: kconsumerd-3 is gone" wait_until 120 eval '! k get pod kconsumerd-3 >/dev/null 2>&1'
# leave_group: auto keeps a stopping static member in the group: its
# partitions move once the broker expires its session
ok "scale 4 -> 3: the broker expires kconsumerd-3's members after the session timeout" \
    broker_wait "$G" 'Member kconsumerd-3-[01]-.* has failed, removing it from the group' $((SESSION / 1000 + 60)) 2
gone=$(( ($(now_ms) - MARK[t]) / 1000 ))
cmp_ok "$gone" -ge $((SESSION / 1000 - 5)) "scale 4 -> 3: not before the session timeout ($gone s)"
ok "scale 4 -> 3: the others own all $PARTS partitions again" \
    wait_until 60 eval '[ "$(for n in 0 1 2; do owned_now $n; echo; done | wc -w)" -eq $PARTS ]'
ok "scale 4 -> 3: the members consume again" wait_until 120 caught_up
report "scale 4 -> 3" clean

# ---------------------------------------------------------------- contrast
# The same roll when members leave the group as they stop: static members
# with shutdown.leave_group: always (README "Scale-down"), then dynamic
# members (no instance id). Each setting takes one roll to reach the
# pods (a pod stops with the configuration it started with), then
# kubectl rollout restart is measured.
LEAVE='s|^\(  leave_group:\).*|\1 always|'
roll_checks "to leave_group: always" overlay 3 "$LEAVE"
begin
MARK[leave]=$(broker_count "$G" 'explicit `LeaveGroup` request')
roll "rollout restart, static, leave_group: always" k rollout restart statefulset/kconsumerd
is "$(($(broker_count "$G" 'explicit `LeaveGroup` request') - MARK[leave]))" 3 \
    "static, leave_group: always: the broker logs a LeaveGroup for each pod"
cmp_ok "$(($(broker_count "$G" 'Preparing to rebalance') - MARK[prep]))" -ge 3 \
    "static, leave_group: always: and rebalances the group for each"
pauses_rebalanced "static, leave_group: always"
report "rollout restart, static, leave_group: always" clean
begin
roll "to dynamic members" overlay 4 "$LEAVE" '/^  instance_id:/d'
is "$(events_since '.event == "start" and .instance_id == null' 0 1 2)" 6 \
    "to dynamic members: the new members have no instance id"
pauses_rebalanced "to dynamic members"
report "to dynamic members" clean
begin
roll "rollout restart, dynamic" k rollout restart statefulset/kconsumerd
cmp_ok "$(($(broker_count "$G" 'Preparing to rebalance') - MARK[prep]))" -ge 3 \
    "dynamic: the broker rebalances the group for each pod"
pauses_rebalanced "dynamic"
report "rollout restart, dynamic" clean

# ---------------------------------------------------------------- the end
ok "the producer stops and kcat delivered everything" produce_bg_stop traffic
ok "every produced record reaches a sink" wait_sink_count "$(produced "$ORDERS")" 120 $(sinks)
ok "0 records lost over all the rolls" check_delivery "$(produced "$ORDERS")" $(sinks)
diag "figures: all: $(produced "$ORDERS") produced, $DELIVERY_MISSING lost, $DELIVERY_UNIQUE distinct in the sinks, $DELIVERY_DUPLICATES duplicates"
# every clean stop (SIGTERM: rollout, update, delete, scale down)
stops=$(for n in 0 1 2 3; do jq -rR '(try fromjson catch null) | objects |
    select(.event == "log") | select(.msg | test("^stopping|^exit ")) |
    "\(.ts) \(.msg)"' "$(plog "$n")" 2>/dev/null |
    awk '/stopping/ { s = $1 } /exit / && s { print s, $1; s = "" }'; done |
    while read -r a b; do echo $(($(date -d "$b" +%s%3N) - $(date -d "$a" +%s%3N))); done | sort -n)
cmp_ok "$(echo "$stops" | grep -c .)" -ge 20 "clean stops were seen ($(echo $stops | wc -w))"
cmp_ok "$(echo "$stops" | tail -n 1)" -lt $((GRACE * 1000)) \
    "the longest clean stop ($(echo "$stops" | tail -n 1) ms) is within terminationGracePeriodSeconds ($GRACE s)"
diag "figures: clean stops (SIGTERM to exit) in ms: $(echo $stops)"
for f in "${FIGS[@]}"; do diag "figures: $f"; done
broker_diag "$G" 30
k delete -k "$T/overlay" --wait=false >/dev/null 2>&1
done_testing
