# tests/recipe_lib.sh: helpers shared by the experiment recipes' tests
# (tests/scenario/t_recipe_*.sh, doc/experiments.md), on top of
# tests/lib.sh: member configurations, settled assignments, the timeline
# as JSON.
#
# Sourced after tests/lib.sh by the main shell; same rules as lib.sh.

# shellcheck disable=SC2016,SC2034

# Write member NAME's configuration (dynamic, JSON log, no sink):
# recipe_config NAME GROUP ASSIGNOR TOPIC [SESSION_MS=6000] [HB_MS=1000]
#     [DELAY_US=0] [MAX_POLL_MS=300000].
recipe_config() {
	kc_member_config "$1" "$2" "$4" group.assignor="$3" \
	    group.session_timeout_ms="${5:-6000}" \
	    group.heartbeat_interval_ms="${6:-1000}" \
	    group.max_poll_interval_ms="${8:-300000}" \
	    experiment.processing_delay_us="${7:-0}" sink.type=none
}

# Print how many partitions member NAME owns after its last assign,
# revoke or lost event, 0 before any (pure).
last_assignment() {
	jq -nR '[inputs | (try fromjson catch null) | objects |
	    select(.event == "assign" or .event == "revoke" or
	    .event == "lost")] | last | .assignment // 0' \
	    "$(kc_log "$1")" 2>/dev/null || echo 0
}

# True when members NAME... own TOTAL partitions together, each some.
recipe_settled() {
	local total=$1 sum=0 n name
	shift
	for name in "$@"; do
		n=$(last_assignment "$name")
		[ "${n:-0}" -gt 0 ] || return 1
		sum=$((sum + n))
	done
	[ "$sum" -eq "$total" ]
}

# Wait until members NAME... own TOTAL partitions together, each some:
# wait_settled TOTAL DEADLINE_S NAME...
wait_settled() {
	local total=$1 deadline=$2 name
	shift 2
	wait_until "$deadline" recipe_settled "$total" "$@" && return 0
	for name in "$@"; do
		diag "$name owns $(last_assignment "$name") partitions; its log's last lines:" \
		    "$(tail -n 4 "$(kc_log "$name")" 2>/dev/null | cut -c1-400)"
	done
	return 1
}

# Episodes: events at most RECIPE_GAP_MS apart. The mock makes members
# wait session.timeout.ms - 1000 (5 s here) to rejoin, so that gap can
# come inside an episode; wait_quiet waits a little longer between steps.
RECIPE_GAP_MS=${RECIPE_GAP_MS:-6500}

# Print the newest rebalance event's time in ms of the logs of members
# NAME..., 0 when there is none (pure).
last_event_ms() {
	local name logs=()
	for name in "$@"; do
		logs+=("$(kc_log "$name")")
	done
	cat "${logs[@]}" 2>/dev/null | jq -nR '[inputs |
	    (try fromjson catch null) | objects | select(.event == "assign" or
	    .event == "revoke" or .event == "lost" or .event == "start" or
	    .event == "stop") | .ts | capture("^(?<s>[^.]*)(\\.(?<f>[0-9]+))?Z$")
	    | (.s + "Z" | fromdateiso8601) * 1000 +
	    ((.f // "0") + "00" | .[0:3] | tonumber)] | max // 0'
}

# True when members NAME... logged no rebalance event for MS (pure).
recipe_quiet() {
	local ms=$1 last
	shift
	last=$(last_event_ms "$@")
	[ "$(($(now_ms) - ${last:-0}))" -ge "$ms" ]
}

# Wait until the rebalance episode of members NAME... is over (no event
# for RECIPE_GAP_MS + 500), so the next step starts a new episode:
# wait_quiet DEADLINE_S NAME...
wait_quiet() {
	local deadline=$1
	shift
	wait_until "$deadline" recipe_quiet $((RECIPE_GAP_MS + 500)) "$@"
}

# Run kconsumerctl timeline --json --gap RECIPE_GAP_MS on the logs of
# members NAME... into FILE (and the chart into FILE's .svg):
# recipe_timeline FILE NAME...
recipe_timeline() {
	local out=$1 name logs=()
	shift
	for name in "$@"; do
		logs+=("$(kc_log "$name")")
	done
	"$CTL" timeline --json --gap "$RECIPE_GAP_MS" \
	    --svg "${out%.json}.svg" "${logs[@]}" >"$out" 2>"$out.err"
}

# Print the timeline label of member NAME (matched by pid) in FILE (pure).
member_label() {
	jq -r --argjson pid "$(proc_pid "$2")" \
	    '.members[] | select(.pid == $pid) | .label' "$1" | head -n 1
}

# Print the episode (JSON) that member LABEL's TRIGGER (start, stop,
# lost, vanished, max_poll_exceeded...) began, from FILE (pure):
# recipe_episode FILE TRIGGER LABEL.
recipe_episode() {
	jq -c --arg k "$2" --arg m "$3" '[.episodes[] | select(any(.triggers[];
	    .kind == $k and .member == $m))] | first // empty' "$1"
}
