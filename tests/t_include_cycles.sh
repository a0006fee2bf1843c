#!/bin/sh
# t_include_cycles.sh: no include cycles between the modules of src/. A
# module is a file name without .c or .h (daemon.c and daemon.h are one);
# each #include "x.h" is an edge from the including module to x; tsort
# names any loop.
srcdir=${top_srcdir:-.}
edges=$(for f in "$srcdir"/src/*/*.c "$srcdir"/src/*/*.h; do
	from=$(basename "$f")
	from=${from%.?}
	sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)\.h".*/\1/p' "$f" |
	    while read -r to; do
		[ "$to" = "$from" ] || echo "$from $to"
	done
done)
n=$(printf '%s\n' "$edges" | grep -c .)
if [ "$n" -gt 0 ]; then
	echo "ok 1 - src/ has include edges to check ($n)"
else
	echo "not ok 1 - src/ has include edges to check (none under $srcdir/src)"
fi
if loops=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null) && [ -z "$loops" ]
then
	echo "ok 2 - no module of src/ includes itself through others"
else
	echo "not ok 2 - no module of src/ includes itself through others"
	printf '%s\n' "$loops" | sed 's/^/# /'
fi
echo "1..2"
