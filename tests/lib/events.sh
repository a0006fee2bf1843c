# tests/lib/events.sh: kconsumerd's JSON events and plain log lines:
# counts, waits, times, the partitions a member owns.
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- events

# Print how many JSON lines of LOGFILE satisfy the jq EXPR (pure).
count_events() {
	jq -nR "[inputs | (try fromjson catch null) | objects |
	    select(try ($2) catch false)] | length" "$1" 2>/dev/null
}

# Wait until MIN lines of LOGFILE satisfy EXPR:
# wait_event LOGFILE 'JQ-EXPR' [DEADLINE_S=30] [MIN=1].
wait_event() {
	local file=$1 expr=$2 deadline=${3:-30} min=${4:-1} n=0
	if ! jq -n "null | select(try ($expr) catch false)" >/dev/null 2>&1; then
		diag "wait_event: bad jq expression: $expr"
		return 2
	fi
	if wait_until "$deadline" eval \
	    'n=$(count_events "$file" "$expr" || echo 0); [ "${n:-0}" -ge "$min" ]'
	then
		return 0
	fi
	diag "wait_event: $n of $min events matching ($expr) in $file after $deadline s; its last 20 lines:" \
	    "$(tail -n 20 "$file" 2>/dev/null | cut -c1-300 | sed 's/^/    /')"
	return 1
}

# Print how many rebalance events (assign, revoke, lost) LOG holds (pure).
rebalance_events() {
	count_events "$1" '.event == "assign" or .event == "revoke" or .event == "lost"'
}

# Print jq FILTER applied to the N-th (1-based) event of LOG matching
# EXPR (pure): nth_field LOG EXPR N FILTER.
nth_field() {
	jq -nrR --argjson n "$3" "[inputs | (try fromjson catch null) | objects |
	    select($2)][\$n - 1] | $4" "$1" 2>/dev/null
}

# Print the partitions a member owns after its rebalance events (EAGER
# assigns replace, COOPERATIVE ones add), sorted, space-separated: those
# of every event of LOG, or of consumer C's only (pure): owned LOG [C].
owned() {
	jq -nrR --argjson c "${2:-null}" 'reduce (inputs |
	    (try fromjson catch null) | objects | select(($c == null or
	    .consumer == $c) and (.event == "assign" or .event == "revoke" or
	    .event == "lost"))) as $e ([];
	    if $e.event == "assign" then
		(if $e.protocol == "EAGER" then [] else . end) +
		[$e.partitions[].partition]
	    else . - [$e.partitions[].partition] end) | sort |
	    map(tostring) | join(" ")' "$1" 2>/dev/null
}

# What owned_split found each member owns, by MEMBER.
declare -A OWNED

# True when members MEMBER... own N partitions each and, between them,
# partitions 0 to N * (number of members) - 1; sets OWNED[MEMBER] to what
# each owns (see owned). A MEMBER is a LOG, or LOG:C for consumer C of a
# multi-consumer process: owned_split N MEMBER... (for wait_until).
owned_split() {
	local n=$1 m all='' counts='' want=''
	shift
	for m in "$@"; do
		if [[ $m =~ ^(.*):([0-9]+)$ ]]; then
			OWNED[$m]=$(owned "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
		else
			OWNED[$m]=$(owned "$m")
		fi
		all="$all ${OWNED[$m]}"
		counts="$counts $(wc -w <<<"${OWNED[$m]}")"
		want="$want $n"
	done
	[ "$counts" = "$want" ] &&
	    [ "$(printf '%s\n' $all | sort -n | tr '\n' ' ')" = \
	    "$(seq 0 $((n * $# - 1)) | tr '\n' ' ')" ]
}

# Print how many lines of FILE match the ERE (pure).
count_lines() {
	grep -cE -e "$2" "$1" 2>/dev/null
}

# Wait until COUNTER... (a command printing a count) prints MIN or more;
# LIB_COUNT is the last count: lib_wait_count DEADLINE_S MIN COUNTER...
lib_wait_count() {
	local deadline=$1 min=$2 counter
	shift 2
	counter=("$@")
	LIB_COUNT=0
	wait_until "$deadline" eval \
	    'LIB_COUNT=$("${counter[@]}"); [ "${LIB_COUNT:-0}" -ge "$min" ]'
}

# Wait until MIN lines of a plain-text FILE match the ERE:
# wait_line FILE ERE [DEADLINE_S=30] [MIN=1].
wait_line() {
	local file=$1 re=$2 deadline=${3:-30} min=${4:-1}
	lib_wait_count "$deadline" "$min" count_lines "$file" "$re" && return 0
	diag "wait_line: $LIB_COUNT of $min lines matching /$re/ in $file after $deadline s; its last 20 lines:" \
	    "$(tail -n 20 "$file" 2>/dev/null | cut -c1-300 | sed 's/^/    /')"
	return 1
}


# Print the time (ms) of the N-th (1-based; 0: the last) event of LOG
# matching EXPR (pure): event_ms LOG EXPR [N=1].
event_ms() {
	local ts
	ts=$(nth_field "$1" "$2" "${3:-1}" .ts)
	[ -n "$ts" ] && [ "$ts" != null ] && date -d "$ts" +%s%3N
}
