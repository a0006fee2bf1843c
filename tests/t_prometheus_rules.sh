#!/bin/sh
# t_prometheus_rules.sh: the example Prometheus rules
# (conf/prometheus/kconsumerd.rules.yml) pass promtool check rules, and
# promtool test rules (tests/data/prometheus/kconsumerd.rules.test.yml)
# shows each alert firing when it should and quiet when it should not.
# That the rules name only metrics kconsumerd serves is checked on a live
# /metrics page by tests/scenario/t_lag_seconds.sh. promtool comes from
# Debian's prometheus package (./quickstart's check set).
srcdir=${top_srcdir:-.}
PROMTOOL=${PROMTOOL:-$(command -v promtool)}
rules=$srcdir/conf/prometheus/kconsumerd.rules.yml
unit=$srcdir/tests/data/prometheus/kconsumerd.rules.test.yml
if [ -z "$PROMTOOL" ] || [ ! -x "$PROMTOOL" ]; then
	echo "1..0 # SKIP promtool is not installed (Debian: prometheus; or PROMTOOL=/path)"
	exit 0
fi
n=0
# check SENTENCE COMMAND...: one TAP line; the output on failure.
check() {
	sentence=$1
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $sentence"
	else
		echo "not ok $n - $sentence"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}
check "promtool check rules accepts conf/prometheus/kconsumerd.rules.yml" \
    "$PROMTOOL" check rules "$rules"
# promtool resolves rule_files from the test file's folder
check "promtool test rules: every alert fires when it should and only then" \
    sh -c 'cd "$(dirname "$1")" && "$2" test rules "$(basename "$1")"' sh "$unit" "$PROMTOOL"
alerts=$(grep -c '^ *- alert: ' "$rules")
tested=$(grep -o 'alertname: [A-Za-z]*' "$unit" | sort -u | wc -l)
check "each of the $alerts alerts has a unit test ($tested have)" \
    test "$alerts" -eq "$tested"
echo "1..$n"
