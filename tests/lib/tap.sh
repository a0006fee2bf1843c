# tests/lib/tap.sh: TAP output (results, plans, skips) and the
# prerequisites a script needs.
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- TAP

# Print each line of each argument as a TAP diagnostic ("# ...").
diag() {
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do
			printf '# %s\n' "$line"
		done <<<"$arg"
	done
}

# Print one TAP result: ok_status STATUS SENTENCE (0 is a pass).
ok_status() {
	LIB_TAP_N=$((LIB_TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s\n' "$LIB_TAP_N" "$2"
		return 0
	fi
	LIB_TAP_FAILED=$((LIB_TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$LIB_TAP_N" "$2"
	declare -F lib_cluster_gone >/dev/null && lib_cluster_gone
	return 1
}

# Record a pass: pass SENTENCE.
pass() {
	ok_status 0 "$1"
}

# Record a failure: fail SENTENCE [DIAG...].
fail() {
	ok_status 1 "$1"
	shift
	[ $# -eq 0 ] || diag "$@"
	return 1
}

# Run CMD (its stdout goes to stderr); pass when it succeeds: ok SENTENCE CMD...
ok() {
	local sentence=$1 st
	shift
	"$@" >&2
	st=$?
	ok_status "$st" "$sentence" || diag "  '$*' exited $st"
}

# Run CMD (its stdout goes to stderr); pass when it fails: nok SENTENCE CMD...
nok() {
	local sentence=$1 st
	shift
	"$@" >&2
	st=$?
	[ "$st" -ne 0 ]
	ok_status $? "$sentence" || diag "  '$*' succeeded but should fail"
}

# Compare two strings: is GOT WANT SENTENCE.
is() {
	[ "$1" = "$2" ]
	ok_status $? "$3" || diag "  got: '$1'" "  expected: '$2'"
}

# Pass when two strings differ: isnt GOT UNWANTED SENTENCE.
isnt() {
	[ "$1" != "$2" ]
	ok_status $? "$3" || diag "  got: '$1'" "  expected anything else"
}

# Match a string against an extended regex: like GOT ERE SENTENCE.
like() {
	[[ $1 =~ $2 ]]
	ok_status $? "$3" || diag "  got: '$1'" "  expected to match: /$2/"
}

# Compare integers with a test(1) operator: cmp_ok GOT -ge WANT SENTENCE.
cmp_ok() {
	test "$1" "$2" "$3" 2>/dev/null
	ok_status $? "$4" || diag "  got: '$1'" "  expected: $2 $3"
}

# Skip COUNT (default 1) tests with a reason: skip REASON [COUNT].
skip() {
	local i n=${2:-1}
	for ((i = 0; i < n; i++)); do
		LIB_TAP_N=$((LIB_TAP_N + 1))
		printf 'ok %d # SKIP %s\n' "$LIB_TAP_N" "$1"
	done
}

# Skip the whole script (only before any test): skip_all REASON.
skip_all() {
	printf '1..0 # SKIP %s\n' "$1"
	LIB_DONE=1
	exit 0
}

# Skip the whole script unless every prerequisite is there (only before
# any test): require_tools WHAT... where WHAT is kcat ($KCAT), mock
# ($MOCKCLUSTER built), a path (a program make check builds) or the name
# of any other command (jq, xmllint...).
require_tools() {
	local what
	for what in "$@"; do
		case $what in
		kcat)
			command -v "$KCAT" >/dev/null ||
			    skip_all "kcat is not installed" ;;
		mock)
			require_tools "$MOCKCLUSTER" ;;
		*/*)
			[ -x "$what" ] ||
			    skip_all "$what is not built (make check builds it)" ;;
		*)
			command -v "$what" >/dev/null ||
			    skip_all "$what is not installed" ;;
		esac
	done
}

# Abort the script at once: bail_out REASON.
bail_out() {
	printf 'Bail out! %s\n' "$1"
	exit 99
}

# Print the plan; exit 0 only when tests ran and none failed.
done_testing() {
	printf '1..%d\n' "$LIB_TAP_N"
	LIB_DONE=1
	[ "$LIB_TAP_N" -gt 0 ] && [ "$LIB_TAP_FAILED" -eq 0 ]
	exit $?
}
