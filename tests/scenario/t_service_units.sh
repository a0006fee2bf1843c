#!/bin/bash
# t_service_units: the systemd units that make install puts in place are
# valid (systemd-analyze verify) and sandboxed (systemd-analyze security
# --offline=true reports an exposure of 2.0 or less), and keep the
# contract: Type=notify, a watchdog, no restart on exit 76 or 78 (and no
# ExecStartPre, whose failure systemd would restart), a stop
# timeout above shutdown.timeout_ms.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

SYSTEMD_ANALYZE=${SYSTEMD_ANALYZE:-$(command -v systemd-analyze)}
[ -n "$SYSTEMD_ANALYZE" ] && [ -x "$SYSTEMD_ANALYZE" ] ||
    skip_all "systemd-analyze is not installed (Debian package systemd)"

# Print the exposure score systemd-analyze security gives UNIT (a file).
exposure() {
	"$SYSTEMD_ANALYZE" security --offline=true --no-pager "$1" 2>&1 |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}

# Print the value of the first KEY= line of FILE.
unit_get() {
	sed -n "s/^$2=//p" "$1" | head -n 1
}

printf 'kafka:\n  bootstrap.servers: h:1\ngroup:\n  id: g\ntopics: [t]\n' \
    >"$T/minimal.yaml"
default_timeout_ms=$("$KCONSUMERD" -p -c "$T/minimal.yaml" |
    sed -n 's/^shutdown.timeout_ms = //p')
like "$default_timeout_ms" '^[0-9]+$' "kconsumerd -p gives shutdown.timeout_ms"
default_timeout_s=$((${default_timeout_ms:-0} / 1000))

for unit in kconsumerd.service kconsumerd@.service; do
	built=$top_builddir/systemd/$unit
	if ! [ -f "$built" ]; then
		fail "$unit was built from $unit.in" "no $built"
		continue
	fi
	pass "$unit was built from $unit.in"
	ok "$unit has no @placeholder@ left" \
	    eval '! grep -n "@[a-zA-Z_]*@" "$built"'
	# The unit names the installed binary; verify wants it to exist, so
	# the copy checked here names the built one (nothing else differs).
	exec_path=$(unit_get "$built" ExecStart | cut -d' ' -f1)
	sed "s|$exec_path|$KCONSUMERD|g" "$built" >"$T/$unit"
	"$SYSTEMD_ANALYZE" verify --man=no "$T/$unit" >"$T/verify.out" 2>&1
	st=$?
	is "$st $(wc -l <"$T/verify.out")" "0 0" \
	    "systemd-analyze verify finds nothing wrong in $unit" ||
	    diag "$(cat "$T/verify.out")"
	score=$(exposure "$built")
	diag "systemd-analyze security --offline=true $unit: $score"
	ok "$unit exposure $score is 2.0 or less" \
	    awk -v s="$score" 'BEGIN { exit !(s != "" && s + 0 <= 2.0) }'
	is "$(unit_get "$built" Type)" notify "$unit is Type=notify"
	like "$(unit_get "$built" WatchdogSec)" '^[0-9]+s$' \
	    "$unit sets WatchdogSec"
	is "$(unit_get "$built" RestartPreventExitStatus)" "76 77 78" \
	    "$unit does not restart after exit 76 (fatal Kafka), 77 (credentials refused, TLS failed) or 78 (config)"
	is "$(unit_get "$built" Restart)" on-failure "$unit restarts on failure"
	is "$(unit_get "$built" ExecStartPre)" "" \
	    "$unit has no ExecStartPre (systemd restarts after a failed one whatever its status)"
	cmp_ok "$(unit_get "$built" LimitNOFILE)" -ge 8192 \
	    "$unit allows the descriptors consumers: 256 needs (LimitNOFILE)"
	stop_s=$(unit_get "$built" TimeoutStopSec)
	cmp_ok "${stop_s%s}" -gt "$default_timeout_s" \
	    "$unit TimeoutStopSec ($stop_s) is above shutdown.timeout_ms"
	like "$(unit_get "$built" ExecReload)" 'kill -HUP \$MAINPID' \
	    "$unit reloads (reopens files) with SIGHUP"
	is "$(unit_get "$built" DynamicUser)" yes "$unit runs as a dynamic user"
done
like "$(unit_get "$top_builddir/systemd/kconsumerd@.service" Environment)" \
    '^KCONSUMERD_INSTANCE=%i$' \
    "the template exports the instance name as KCONSUMERD_INSTANCE"
like "$(unit_get "$top_builddir/systemd/kconsumerd@.service" ExecStart)" \
    '/kconsumerd/%i\.conf$' "the template reads /etc/kconsumerd/INSTANCE.conf"
done_testing
