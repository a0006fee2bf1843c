#!/bin/sh
# t_man_lint.sh: the manual pages are free of mandoc warnings.
pages="man/kconsumerd.8 man/kconsumerd.conf.5 man/kconsumerctl.1"
srcdir=${top_srcdir:-.}
if [ -z "$MANDOC" ] || ! command -v "$MANDOC" >/dev/null 2>&1; then
	echo "1..0 # SKIP mandoc not installed"
	exit 0
fi
n=0
for page in $pages; do
	n=$((n + 1))
	if out=$("$MANDOC" -Tlint -W warning "$srcdir/$page" 2>&1) &&
	    [ -z "$out" ]; then
		echo "ok $n - $page is lint-clean with mandoc -W warning"
	else
		echo "not ok $n - $page is lint-clean with mandoc -W warning"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
echo "1..$n"
