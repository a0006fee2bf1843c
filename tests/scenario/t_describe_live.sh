#!/bin/bash
# t_describe_live: "kconsumerctl describe" shows the members of a group on
# a real cluster (the mock has no DescribeGroups): state, assignor, and
# for each running member its member id, instance id, host and client id,
# as owner of the partitions it was assigned.

# Wait conditions are eval'd strings that name variables.
# shellcheck disable=SC2016

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster does not support DescribeGroups"
require_tools jq

ok "topic orders (4 partitions) exists" cluster_start orders:4
ORDERS=$(topic orders)
G=$(group describe)
ok "40 messages are produced" produce "$ORDERS" 40

# Write member NAME's configuration with instance id NAME-%i.
live_config() {
	kc_member_config "$1" "$G" "$ORDERS" group.instance_id="\"$1-%i\"" \
	    group.assignor=range sink.type=none
}

live_config m1
live_config m2
kc_start m1 "$T/m1.yaml"
kc_start m2 "$T/m2.yaml"
# Two members own every partition once both have an assignment.
ok "both members are assigned partitions" wait_until 60 eval '
    [ "$(count_events "$(kc_log m1)" ".event == \"assign\" and .assignment > 0")" -ge 1 ] &&
    [ "$(count_events "$(kc_log m2)" ".event == \"assign\" and .assignment > 0")" -ge 1 ]'
ok "describe sees a stable group with 2 members" wait_until 30 eval '
    "$CTL" describe -c "$T/m1.yaml" --json >"$T/d.json" 2>"$T/d.err" &&
    [ "$(jq -r ".state" "$T/d.json")" = Stable ] &&
    [ "$(jq ".members | length" "$T/d.json")" = 2 ]'
is "$(jq .describe_unsupported "$T/d.json")" false \
    "DescribeGroups is supported"
is "$(jq -r '.assignor' "$T/d.json")" range "the assignor is range"
is "$(jq -r '[.members[].instance_id] | sort | join(" ")' "$T/d.json")" \
    "m1-0 m2-0" "the members' instance ids are shown"
is "$(jq '[.members[] | (.member_id | length > 0) and
    (.host | length > 0)] | all' "$T/d.json")" true \
    "every member has a member id and a host"
is "$(jq '[.members[].client_id | startswith("kconsumerd-")] | all' \
    "$T/d.json")" true "the client ids are kconsumerd's"
is "$(jq '[.partitions[] | .member_id != null and .instance_id != null]
    | all' "$T/d.json")" true "every partition shows its owning member"
is "$(jq '[.partitions[].member_id] | unique | length' "$T/d.json")" 2 \
    "the partitions are shared by both members"
mid=$(jq -r '.members[] | select(.instance_id == "m1-0") | .member_id' \
    "$T/d.json")
ok "m1's member id is the one in its own assign events" \
    grep -qF "\"member_id\":\"$mid\"" "$(kc_log m1)"

"$CTL" describe -c "$T/m1.yaml" >"$T/d.txt" 2>&1
ok "the text shows the state and assignor" \
    grep -Eq "^state Stable, (group protocol classic, )?assignor range, 2 members" "$T/d.txt"
ok "the table has the member columns" \
    grep -qE "MEMBER-ID +INSTANCE-ID +HOST +CLIENT-ID" "$T/d.txt"
ok "and a members section" grep -q "^members (2):" "$T/d.txt"

proc_start watch "$T/watch.json" "$T/watch.err" \
    "$CTL" describe -c "$T/m1.yaml" --watch 1 --count 12 --json
ok "the first --watch print comes" \
    wait_until 20 eval '[ "$(jq -c . "$T/watch.json" 2>/dev/null | wc -l)" -ge 1 ]'
kc_stop m2 20
is "$?" 0 "member m2 stops"
proc_wait_exit watch 60
is "$(jq -s '[.[].partitions[].changes[]] | any(. == "owner")' \
    "$T/watch.json")" true "--watch marks the owner change after m2 left"
is "$(jq -s '[.[].notes[]] | any(test("^member m2-0 left"))' \
    "$T/watch.json")" true "and notes that m2-0 left"

done_testing
