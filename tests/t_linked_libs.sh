#!/bin/sh
# t_linked_libs.sh: the build keeps the two programs apart. kconsumerctl
# needs neither libmicrohttpd nor libsystemd and holds none of the
# daemon's code; kconsumerd still needs both when this build has them
# (src/autoconf.h says which).
builddir=${top_builddir:-.}
ctl=$builddir/kconsumerctl
daemon=$builddir/kconsumerd
autoconf=$builddir/src/autoconf.h
n=0

# The NEEDED entries of a dynamic executable, one per line.
needed() {
	if command -v readelf >/dev/null 2>&1; then
		readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'
	else
		objdump -p "$1" | awk '$1 == "NEEDED" { print $2 }'
	fi
}

# ok/not ok for a condition given as a command, with a description.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
	fi
}

if ! command -v readelf >/dev/null 2>&1 &&
    ! command -v objdump >/dev/null 2>&1; then
	echo "1..0 # SKIP neither readelf nor objdump installed"
	exit 0
fi
ctl_needed=$(needed "$ctl")
daemon_needed=$(needed "$daemon")
printf '# kconsumerctl needs: %s\n' $ctl_needed
printf '# kconsumerd needs: %s\n' $daemon_needed

check "kconsumerctl is a dynamic executable that needs librdkafka" \
    sh -c 'printf "%s\n" "$1" | grep -q "^librdkafka"' - "$ctl_needed"
check "kconsumerctl does not need libmicrohttpd" \
    sh -c '! printf "%s\n" "$1" | grep -q "^libmicrohttpd"' - "$ctl_needed"
check "kconsumerctl does not need libsystemd" \
    sh -c '! printf "%s\n" "$1" | grep -q "^libsystemd"' - "$ctl_needed"

if grep -q '^#define HAVE_LIBMICROHTTPD 1' "$autoconf"; then
	check "kconsumerd needs libmicrohttpd (this build serves HTTP)" \
	    sh -c 'printf "%s\n" "$1" | grep -q "^libmicrohttpd"' - \
	    "$daemon_needed"
else
	n=$((n + 1))
	echo "ok $n # SKIP built without libmicrohttpd"
fi
if grep -q '^#define HAVE_LIBSYSTEMD 1' "$autoconf"; then
	check "kconsumerd needs libsystemd (this build notifies systemd)" \
	    sh -c 'printf "%s\n" "$1" | grep -q "^libsystemd"' - \
	    "$daemon_needed"
else
	n=$((n + 1))
	echo "ok $n # SKIP built without libsystemd"
fi

# The daemon's functions stay out of kconsumerctl (the symbol table,
# when the binary still has one).
if command -v nm >/dev/null 2>&1 && syms=$(nm "$ctl" 2>/dev/null) &&
    [ -n "$syms" ]; then
	for f in http_start status_new metrics_render sink_open \
	    format_record cli_parse; do
		check "kconsumerctl does not define the daemon's $f" \
		    sh -c '! printf "%s\n" "$1" |
		        grep -q " [TtDdBb] $2\$"' - "$syms" "$f"
	done
	check "kconsumerctl defines its own timeline_main (nm works)" \
	    sh -c 'printf "%s\n" "$1" | grep -q " [Tt] timeline_main$"' - \
	    "$syms"
else
	n=$((n + 1))
	echo "ok $n # SKIP no symbol table to read (nm missing or stripped)"
fi
echo "1..$n"
