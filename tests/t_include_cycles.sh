#!/bin/sh
# t_include_cycles.sh: the include rules of src/. Folders: src/lib (what
# both programs use) includes only src/lib; src/kconsumerd and
# src/kconsumerctl include src/lib and themselves, never each other;
# every include names a header by its bare name (no path), and no header
# name is used in two folders. Then no include cycles between modules: a
# module is a file name without .c or .h in its folder (daemon.c and
# daemon.h are one); each #include "x.h" is an edge from the including
# module to x; tsort names any loop.
srcdir=${top_srcdir:-.}
src=$srcdir/src
n=0

# The folders a file in folder $1 may include from.
allowed() {
	case $1 in
	lib)	echo lib ;;
	*)	echo "$1 lib" ;;
	esac
}

# Every quoted include as "folder/module header", autoconf.h left out
# (the generated configuration, in the build's src/).
includes=$(for f in "$src"/*/*.c "$src"/*/*.h; do
	dir=$(basename "$(dirname "$f")")
	from=$(basename "$f")
	from=${from%.?}
	sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
	    while read -r to; do
		[ "$to" = autoconf.h ] || echo "$dir/$from $to"
	done
done)

# Folder rules: each header found by its bare name in an allowed folder.
bad=$(printf '%s\n' "$includes" | while read -r from to; do
	[ -n "$from" ] || continue
	case $to in
	*/*)	echo "$from includes '$to' by a path"; continue ;;
	esac
	ok=
	for d in $(allowed "${from%%/*}"); do
		[ -f "$src/$d/$to" ] && ok=1
	done
	[ -n "$ok" ] || echo "$from includes $to from outside" \
	    "$(allowed "${from%%/*}" | sed 's/ / and /')"
done)
n=$((n + 1))
if [ -z "$bad" ]; then
	echo "ok $n - src/lib includes only src/lib, and each program only" \
	    "src/lib and itself"
else
	echo "not ok $n - src/lib includes only src/lib, and each program" \
	    "only src/lib and itself"
	printf '%s\n' "$bad" | sed 's/^/# /'
fi

# No header name in two folders (an include would depend on the path).
dups=$(for f in "$src"/*/*.h; do basename "$f"; done | sort | uniq -d)
n=$((n + 1))
if [ -z "$dups" ]; then
	echo "ok $n - no header name is used in two folders of src/"
else
	echo "not ok $n - no header name is used in two folders of src/"
	printf '%s\n' "$dups" | sed 's/^/# /'
fi

# Cycles: edges between folder/module names.
edges=$(printf '%s\n' "$includes" | while read -r from to; do
	[ -n "$from" ] || continue
	dir=${from%%/*}
	for d in $(allowed "$dir"); do
		if [ -f "$src/$d/$to" ]; then
			to="$d/${to%.h}"
			[ "$to" = "$from" ] || echo "$from $to"
			break
		fi
	done
done)
ne=$(printf '%s\n' "$edges" | grep -c .)
n=$((n + 1))
if [ "$ne" -gt 0 ]; then
	echo "ok $n - src/ has include edges to check ($ne)"
else
	echo "not ok $n - src/ has include edges to check (none under $src)"
fi
n=$((n + 1))
if loops=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null) && [ -z "$loops" ]
then
	echo "ok $n - no module of src/ includes itself through others"
else
	echo "not ok $n - no module of src/ includes itself through others"
	printf '%s\n' "$loops" | sed 's/^/# /'
fi
echo "1..$n"
