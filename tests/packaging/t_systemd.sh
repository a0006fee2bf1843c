#!/bin/bash
# t_systemd: the Debian package's units under a real systemd. systemd
# boots as PID 1 in a Debian root (the one t_deb.sh leaves in
# $KCD_PKG_ROOT, or a fresh one) under systemd-nspawn, the .deb is
# installed there, and against the suite's Kafka on the host's loopback:
# systemctl start returns only after every member is assigned, and a
# unit whose brokers are unreachable stays activating until
# service.ready_timeout_ms; STATUS= shows in systemctl status; the events
# reach the journal; the file sink, an exec sink and log.file work under
# the sandbox and the dynamic user, with the modes kconsumerd(8) states;
# reload reopens the sink; the watchdog restarts a SIGSTOPped daemon;
# stop is clean and commits; exit 78 (a sink the sandbox cannot write)
# and exit 76 (a fenced instance id) fail once and are not restarted;
# the secured example runs with its secrets as LoadCredential= (exit 77
# on a wrong password, not restarted); kconsumerd.service runs the
# packaged configuration once edited; the
# installed units' exposure (systemd-analyze security --offline=true)
# is 2.0 or less.
#
# Root only, live (lab/with-kafka). Each run has its own cgroups (in the
# v1 name=systemd and the unified hierarchy, as nspawn needs on a hybrid
# host), group ids and topics; the container is powered off, killed if
# need be, and its cgroups and root removed on any exit.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/packaging/common.sh"

[ "$(id -u)" -eq 0 ] || skip_all "systemd-nspawn and chroot need root"
require_tools kcat jq mock systemd-nspawn nsenter unshare mmdebstrap dpkg-deb
require_live "the units consume from it"
cluster_start orders:4 plain:2 piped:1 || bail_out "cannot create the topics"
ORDERS=$(topic orders) PLAIN=$(topic plain) PIPED=$(topic piped)

deb=$(pkg_deb_path) || {
	"$top_srcdir/packaging/deb.sh" >&2 || bail_out "packaging/deb.sh failed"
	deb=$(pkg_deb_path) || bail_out "packaging/deb.sh made no .deb"
}

# ---------------------------------------------------------------- cleanup
ROOT=$T/root
CG=kct-systemd-$$
CGDIRS=()
NSPAWN=
LEADER=

# Run CMD in the booted container (every namespace of its PID 1).
ct() {
	nsenter -t "$LEADER" -a "$@"
}

# Power the container off (SIGTERM to nspawn), kill what is left in its
# cgroups, remove them and the root; keep the journal in $T.
systemd_cleanup() {
	local st=$? d pid
	if [ -n "$LEADER" ] && [ -d "/proc/$LEADER" ]; then
		ct journalctl -o short-precise --no-pager -u 'kconsumerd*' \
		    >"$T/journal.txt" 2>&1
	fi
	if [ -n "$NSPAWN" ]; then
		kill -TERM "$NSPAWN" 2>/dev/null
		wait_until 30 eval '! lib_alive $NSPAWN' ||
		    kill -KILL "$NSPAWN" 2>/dev/null
	fi
	for d in "${CGDIRS[@]}"; do
		for pid in $(cat $(find "$d" -name cgroup.procs) 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	for d in "${CGDIRS[@]}"; do
		wait_until 10 eval 'find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; [ ! -d "$d" ]' ||
		    echo "# t_systemd: cannot remove cgroup $d" >&2
	done
	rm -rf "$ROOT"
	(exit "$st")
	lib_cleanup
}
trap systemd_cleanup EXIT

# ---------------------------------------------------------------- the root
# t_deb.sh's root (systemd and the package's dependencies in it, the
# package purged) when it left one, else a fresh one.
if [ -n "${KCD_PKG_ROOT:-}" ] && [ -x "$KCD_PKG_ROOT/lib/systemd/systemd" ]; then
	mv "$KCD_PKG_ROOT" "$ROOT" || bail_out "cannot move $KCD_PKG_ROOT"
	diag "root: t_deb.sh's ($KCD_PKG_ROOT)"
elif ! pkg_mmdebstrap --variant=apt --include=systemd \
    --skip=cleanup/apt/lists "$ROOT"; then
	diag "$(tail -n 5 "$ROOT.log")"
	skip_all "mmdebstrap could not make a $PKG_SUITE root (mirror unreachable?)"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
cp "$deb" "$ROOT/root/kconsumerd.deb"
pkg_mounted "$ROOT" chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends /root/kconsumerd.deb \
    >"$T/install.out" 2>&1
ok "apt installs the package in the root" \
    test -x "$ROOT/usr/sbin/kconsumerd" || diag "$(tail -n 20 "$T/install.out")"
mkdir -p "$ROOT/srv"
# the machine's name is the host name members' ids could use: keep it short
echo kct >"$ROOT/etc/hostname"

# Write /etc/kconsumerd/NAME.conf in the root (libconfig, readable by
# the dynamic user) from standard input.
unit_config() {
	cat >"$ROOT/etc/kconsumerd/$1.conf"
	chmod 0644 "$ROOT/etc/kconsumerd/$1.conf"
}

# A drop-in for kconsumerd@NAME: unit_dropin NAME KEY=VALUE...
unit_dropin() {
	local d=$ROOT/etc/systemd/system/kconsumerd@$1.service.d
	mkdir -p "$d"
	shift
	{ echo '[Service]'; printf '%s\n' "$@"; } >"$d/t_systemd.conf"
}

# The common part of the instances' configurations: GROUP TOPIC.
common_config() {
	cat <<EOF
kafka = { bootstrap_servers = "$BOOTSTRAP"; auto_offset_reset = "earliest"; };
group = { id = "$1"; session_timeout_ms = 6000; heartbeat_interval_ms = 1000;
    instance_id = "${LIB_RUN_PREFIX}\${KCONSUMERD_INSTANCE}-%i"; };
topics = [ "$2" ];
log = { format = "json"; };
EOF
}

G_ORDERS=$(group orders)
{ common_config "$G_ORDERS" "$ORDERS"; cat <<EOF
consumers = 2;
sink = { type = "file"; path = "/var/lib/kconsumerd/orders.jsonl"; };
EOF
} | unit_config orders
# a short watchdog, and restarts after 1 s instead of 5 to keep it quick
unit_dropin orders WatchdogSec=5s RestartSec=1s

G_PIPED=$(group piped)
{ common_config "$G_PIPED" "$PIPED"; cat <<EOF
sink = { type = "exec"; command = "cat >>/var/lib/kconsumerd/piped.out"; };
EOF
} | sed 's|log = { format = "json"; };|log = { format = "json"; file = "/var/log/kconsumerd/piped.log"; };|' |
    unit_config piped
unit_dropin piped RestartSec=1s

{ common_config "$(group ro)" "$PLAIN"; cat <<EOF
sink = { type = "file"; path = "/srv/ro.jsonl"; };
EOF
} | unit_config ro
unit_dropin ro RestartSec=1s

{ common_config "$(group away)" "$PLAIN" | sed 's|"'"$BOOTSTRAP"'"|"127.0.0.1:1"|'
    echo 'service = { ready_timeout_ms = 3000; };'
    echo 'sink = { type = "none"; };'
} | unit_config away

# The packaged configuration, edited where it says EDIT.
sed -i -e "s|\"localhost:9092\"|\"$BOOTSTRAP\"|" \
    -e "s|id = \"kconsumerd-unconfigured\"|id = \"$(group plain)\"|" \
    -e "s|\"kconsumerd-unconfigured\" \]|\"$PLAIN\" ]|" \
    -e 's|auto_offset_reset = "latest"|auto_offset_reset = "earliest"|' \
    "$ROOT/etc/kconsumerd/kconsumerd.conf"

# ---------------------------------------------------------------- boot
# nspawn wants a cgroup of its own in each hierarchy systemd uses.
if [ -d /sys/fs/cgroup/systemd ] && [ -d /sys/fs/cgroup/unified ]; then
	CGDIRS=(/sys/fs/cgroup/systemd/$CG /sys/fs/cgroup/unified/$CG)
elif [ -d /sys/fs/cgroup/systemd ]; then
	CGDIRS=(/sys/fs/cgroup/systemd/$CG)
else
	CGDIRS=(/sys/fs/cgroup/$CG)
fi
mkdir "${CGDIRS[@]}" || bail_out "cannot make cgroups ${CGDIRS[*]}"
# shellcheck disable=SC2016 # the script is bash's own
proc_start nspawn "$T/nspawn.out" "$T/nspawn.err" bash -c '
	for d in "${@:2}"; do echo $$ >"$d/cgroup.procs" || exit 1; done
	exec systemd-nspawn -q -D "$1" -b --register=no --keep-unit \
	    -M kct --console=read-only' bash "$ROOT" "${CGDIRS[@]}"
NSPAWN=$(proc_pid nspawn)

# Find the container's PID 1 (systemd, a child of nspawn).
find_leader() {
	local c
	for c in $(pgrep -P "$NSPAWN"); do
		[ "$(cat "/proc/$c/comm" 2>/dev/null)" = systemd ] &&
		    LEADER=$c && return 0
	done
	return 1
}
booted() {
	case $(ct systemctl is-system-running 2>/dev/null) in
	running | degraded) return 0 ;;
	esac
	return 1
}
boot_ms=$(now_ms)
if ! wait_until 60 find_leader || ! wait_until 60 booted; then
	diag "$(tail -n 20 "$T/nspawn.out" "$T/nspawn.err")"
	bail_out "systemd did not boot in the root under systemd-nspawn"
fi
pass "systemd $(ct systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') boots as PID 1 under systemd-nspawn ($(($(now_ms) - boot_ms)) ms)"

for u in kconsumerd.service kconsumerd@.service; do
	score=$(ct systemd-analyze security --offline=true --no-pager \
	    "/lib/systemd/system/$u" 2>&1 |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	ok "the installed $u's exposure ($score) is 2.0 or less" \
	    awk -v s="$score" 'BEGIN { exit !(s != "" && s + 0 <= 2.0) }'
done

# ---------------------------------------------------------------- helpers
# Print one property of UNIT: prop UNIT PROPERTY (pure).
prop() {
	ct systemctl show -p "$2" --value "$1"
}

# Copy UNIT's journal (message text only) to $T/UNIT.j (pure otherwise).
journal() {
	ct journalctl -u "$1" -o cat --no-pager >"$T/$1.j" 2>&1
}

# Count the JSON lines of UNIT's journal matching the jq EXPR (pure).
jcount() {
	journal "$1"
	count_events "$T/$1.j" "$2"
}

# Wait until MIN lines of UNIT's journal match EXPR:
# jwait UNIT EXPR [DEADLINE_S=20] [MIN=1].
jwait() {
	local unit=$1 expr=$2 min=${4:-1} n=0
	wait_until "${3:-20}" eval 'n=$(jcount "$unit" "$expr"); [ "${n:-0}" -ge "$min" ]' &&
	    return 0
	diag "jwait: $n of $min lines of $unit's journal match ($expr); its last lines:" \
	    "$(tail -n 10 "$T/$unit.j" | cut -c1-300)"
	return 1
}

# The milliseconds of the latest first assignment of UNIT's members, or 0
# unless N members have one (pure): last_first_assign_ms UNIT N.
last_first_assign_ms() {
	journal "$1"
	jq -nR --argjson n "$2" '[inputs | fromjson? | select(.event == "assign") |
	    {c: .consumer, ms: ((.ts[0:19] + "Z" | fromdate) * 1000 +
	    (.ts[20:23] | tonumber))}] | group_by(.c) | map(min_by(.ms).ms) |
	    if length == $n then max else 0 end' "$T/$1.j"
}

# Lines of a file in the root (0 when there is none; pure).
root_lines() {
	cat "$ROOT/$1" 2>/dev/null | wc -l
}

# Mode and owner of a path in the root: "MODE UID" (pure).
root_stat() {
	stat -c '%a %u' "$ROOT/$1" 2>/dev/null
}

# True when the uid is in systemd's dynamic user range.
dynamic_uid() {
	[ "$1" -ge 61184 ] && [ "$1" -le 65519 ]
}

# ---------------------------------------------------------------- orders
U=kconsumerd@orders.service
ok "systemctl start $U succeeds" ct systemctl start "$U"
returned_ms=$(now_ms)
is "$(prop "$U" ActiveState)" active "$U is active when systemctl start returns"
assigned_ms=$(last_first_assign_ms "$U" 2)
cmp_ok "$assigned_ms" -gt 0 "both members' first assignments are in the journal"
cmp_ok "$assigned_ms" -le "$returned_ms" \
    "systemctl start returned only after both members were assigned"
ok "the journal has both members' start events" \
    jwait "$U" '.event == "start"' 5 2
# READY=1 can come between a cooperative rebalance's two rounds (the
# second member has its first, empty assignment): STATUS= follows the
# second round within its refresh (1 s)
ok "systemctl status shows the STATUS= line (2 members, 4 partitions)" \
    wait_until 20 eval 'ct systemctl status --no-pager "$U" |
    grep -q "Status: \"members in group 2/2, partitions 4, "' ||
    diag "$(ct systemctl status --no-pager "$U" | grep Status:)"
journal "$U"
like "$(cat "$T/$U.j")" 'systemd: WATCHDOG=1 every 1250 ms [^"]*\(WatchdogSec 5000 ms\)' \
    "the journal names the watchdog's ping interval, a quarter of the drop-in's WatchdogSec"
fdline=$(grep -o 'fdlimit: [^"]*' "$T/$U.j" | head -n 1)
like "$fdline" 'RLIMIT_NOFILE granted [0-9]+ \(hard limit [0-9a-z]+\)' \
    "the journal says which descriptor limit LimitNOFILE=65536 was granted"
diag "$fdline"

ok "20 messages are produced" produce "$ORDERS" 20
ok "they reach the file sink under /var/lib/kconsumerd" \
    wait_until 20 eval '[ "$(root_lines var/lib/private/kconsumerd/orders.jsonl)" -ge 20 ]'
is "$(readlink "$ROOT/var/lib/kconsumerd")" private/kconsumerd \
    "/var/lib/kconsumerd is a link to private/kconsumerd (DynamicUser)"
is "$(root_stat var/lib/private)" "700 0" "/var/lib/private is 0700 root"
read -r mode uid < <(root_stat var/lib/private/kconsumerd)
ok "/var/lib/private/kconsumerd is 0755 and owned by a dynamic user ($mode $uid)" \
    eval '[ "$mode" = 755 ] && dynamic_uid "$uid"'
is "$(root_stat var/lib/private/kconsumerd/orders.jsonl)" "640 $uid" \
    "the sink file is 0640 (UMask=0027) and the dynamic user's"

mv "$ROOT/var/lib/private/kconsumerd/orders.jsonl" \
    "$ROOT/var/lib/private/kconsumerd/orders.jsonl.1"
ok "systemctl reload succeeds" ct systemctl reload "$U"
ok "the daemon reopens its files on reload" \
    jwait "$U" '.msg // "" | test("SIGHUP: reopening")' 10
ok "10 more messages are produced" produce "$ORDERS" 10
ok "they go to a new sink file at the path" \
    wait_until 20 eval '[ "$(root_lines var/lib/private/kconsumerd/orders.jsonl)" -ge 10 ]'
is "$(root_lines var/lib/private/kconsumerd/orders.jsonl.1)" 20 \
    "the rotated file keeps the 20 records before the reload"

# The watchdog: a stopped daemon sends no WATCHDOG=1.
pid1=$(prop "$U" MainPID)
ok "the daemon is SIGSTOPped" ct systemctl kill -s SIGSTOP --kill-who=main "$U"
stopped_ms=$(now_ms)
ok "systemd restarts it after WatchdogSec" \
    wait_until 30 eval '[ "$(prop "$U" NRestarts)" = 1 ] && [ "$(prop "$U" ActiveState)" = active ]'
# the last ping may have come up to a quarter of WatchdogSec before
cmp_ok "$(($(now_ms) - stopped_ms))" -ge 3750 \
    "not before WatchdogSec (5 s) after the last possible ping"
ct journalctl -u "$U" -o cat --no-pager >"$T/$U.sys" 2>&1
ok "the journal says the watchdog timed out" grep -q 'Watchdog timeout' "$T/$U.sys"
isnt "$(prop "$U" MainPID)" "$pid1" "a new daemon runs"
ok "5 more messages are produced" produce "$ORDERS" 5
ok "the restarted daemon consumes them" \
    wait_until 20 eval '[ "$(root_lines var/lib/private/kconsumerd/orders.jsonl)" -ge 15 ]'

ok "systemctl stop $U succeeds" ct systemctl stop "$U"
is "$(prop "$U" ExecMainStatus) $(prop "$U" Result)" "0 success" \
    "the daemon exits 0 on stop"
ok "both members log a clean stop" \
    jwait "$U" '.event == "stop" and .result == "ok"' 5 2
"$KCONSUMERCTL" describe -b "$BOOTSTRAP" -g "$G_ORDERS" --json >"$T/describe.json" 2>&1
is "$(jq '[.partitions[] | select(.committed != .log_end)] | length' "$T/describe.json")" 0 \
    "every partition's committed offset is its log end" ||
    diag "$(cat "$T/describe.json")"
is "$(jq '[.partitions[].committed // 0] | add' "$T/describe.json")" 35 \
    "the committed offsets add up to the 35 messages produced"
is "$(sink_distinct "$ROOT"/var/lib/private/kconsumerd/orders.jsonl*)" 35 \
    "each of the 35 records is in the sink files (none lost; the watchdog's kill may repeat some)"
diag "duplicates after the watchdog's kill: $(($(sink_count "$ROOT"/var/lib/private/kconsumerd/orders.jsonl*) - 35))"

# ---------------------------------------------------------------- away
U=kconsumerd@away.service
start_ms=$(now_ms)
ok "systemctl start --no-block $U (brokers unreachable)" \
    ct systemctl start --no-block "$U"
: >"$T/away.states"
wait_until 20 eval 'echo "$(now_ms) $(prop "$U" ActiveState)" >>"$T/away.states"; tail -n 1 "$T/away.states" | grep -q " active$"'
active_ms=$(awk '$2 == "active" { print $1; exit }' "$T/away.states")
ok "it is activating meanwhile" grep -q ' activating$' "$T/away.states"
cmp_ok "$((${active_ms:-0} - start_ms))" -ge 3000 \
    "it becomes active only after service.ready_timeout_ms (3000 ms)"
ok "a warning names the member that is not in" \
    jwait "$U" '.level == "warn" and (.msg // "" | test("ready_timeout_ms"))' 5
ct systemctl stop "$U"

# ---------------------------------------------------------------- piped
U=kconsumerd@piped.service
ok "systemctl start $U (exec sink, log.file) succeeds" ct systemctl start "$U"
ok "3 messages are produced" produce "$PIPED" 3
ok "the exec sink's command writes them under /var/lib/kconsumerd" \
    wait_until 20 eval '[ "$(root_lines var/lib/private/kconsumerd/piped.out)" -ge 3 ]'
is "$(root_stat var/lib/private/kconsumerd/piped.out)" "640 $uid" \
    "the command's file is 0640 and the dynamic user's"
is "$(readlink "$ROOT/var/log/kconsumerd")" private/kconsumerd \
    "/var/log/kconsumerd is a link to private/kconsumerd"
is "$(root_stat var/log/private/kconsumerd/piped.log)" "640 $uid" \
    "log.file is 0640 and the dynamic user's"
ok "log.file has the events" \
    wait_event "$ROOT/var/log/private/kconsumerd/piped.log" '.event == "assign"' 5

# A newer member with the same instance id fences the unit's: exit 76.
kc_config fencer <<EOF
kafka: { bootstrap.servers: "$BOOTSTRAP" }
group: { id: "$G_PIPED", instance_id: "${LIB_RUN_PREFIX}piped-%i",
  session_timeout_ms: 6000, heartbeat_interval_ms: 1000 }
topics: [$PIPED]
sink: { type: none }
log: { format: json }
EOF
kc_start fencer "$T/fencer.yaml"
ok "the unit's member is fenced and the daemon exits 76" \
    wait_until 30 eval '[ "$(prop "$U" ExecMainStatus)" = 76 ]'
fenced_ms=$(now_ms)

# ---------------------------------------------------------------- ro
U=kconsumerd@ro.service
nok "systemctl start $U (sink.path under /srv, read-only) fails" \
    eval 'ct systemctl start "$U" 2>"$T/ro.start.err"'
ro_ms=$(now_ms)
is "$(prop "$U" ExecMainStatus)" 78 "the daemon exits 78"
journal "$U"
like "$(cat "$T/$U.j")" "/etc/kconsumerd/ro.conf:[0-9]+: error: sink.path '/srv/ro.jsonl' cannot be created in /srv: " \
    "the journal has the file:line, the path and the reason"

# Neither is restarted (RestartSec=1s in their drop-ins): wait 3 s.
wait_until 3 eval '[ "$(prop kconsumerd@ro.service NRestarts)$(prop kconsumerd@piped.service NRestarts)" != 00 ]'
is "$(prop kconsumerd@piped.service NRestarts) $(prop kconsumerd@piped.service ActiveState)" \
    "0 failed" "exit 76 is not restarted: the unit stays failed ($(($(now_ms) - fenced_ms)) ms)"
is "$(prop "$U" NRestarts) $(prop "$U" ActiveState)" "0 failed" \
    "exit 78 is not restarted: the unit stays failed ($(($(now_ms) - ro_ms)) ms)"
kc_stop fencer 20

# ---------------------------------------------------------------- secure
# The shipped secured example under the drop-in its comment gives
# (LoadCredential=), against the lab's SASL_SSL listener: the secrets
# live in /etc/kconsumerd/secrets (root only), systemd hands them to the
# dynamic user through $CREDENTIALS_DIRECTORY, the example reads them
# with @credential:. A wrong password there ends it with exit 77, which
# systemd does not restart.
if [ -n "${KCD_LIVE_TLS_DIR:-}" ]; then
	U=kconsumerd@secure.service
	secure_t0=$(now_ms)
	S=$ROOT/etc/kconsumerd/secrets
	install -d -m 0700 "$S"
	install -m 0600 "$KCD_LIVE_TLS_DIR/ca.pem" "$S/kafka-ca.pem"
	install -m 0600 "$KCD_LIVE_TLS_DIR/sasl.password" "$S/kafka-password"
	PASSWORD=$(cat "$S/kafka-password")
	mech=$(sasl_mechanism ct /usr/sbin/kconsumerd)
	secure_example "$mech" "$PLAIN" "$(group secure)" | unit_config secure
	mapfile -t creds < <(sed -n 's/^#   \(LoadCredential=.*\)$/\1/p' \
	    "$top_srcdir/conf/kconsumerd-secure.conf")
	unit_dropin secure "${creds[@]}" RestartSec=1s
	is "${#creds[@]}" 2 "the example's drop-in loads two credentials"
	nok "the unit's configuration holds no secret" \
	    grep -qF -e "$PASSWORD" "$ROOT/etc/kconsumerd/secure.conf"
	ct systemctl daemon-reload
	ok "systemctl start $U (the secured example over SASL_SSL, $mech; LoadCredential=) succeeds" \
	    ct systemctl start "$U"
	like "$(prop "$U" StatusText)" '^members in group 1/1, partitions 2' \
	    "its member has both partitions"
	# auto.offset.reset is latest there: produce until a record arrives
	ok "records produced now reach its sink (stdout: the journal)" \
	    wait_until 30 eval 'produce "$PLAIN" 1 && sleep 1 &&
		[ "$(jcount "$U" ".topic == \"$PLAIN\"")" -ge 1 ]'
	ok "systemctl stop $U succeeds" ct systemctl stop "$U"
	is "$(prop "$U" ExecMainStatus)" 0 "it exits 0"
	echo "wrong-$PASSWORD" >"$S/kafka-password"
	nok "with a wrong password in the credential's source, systemctl start fails" \
	    ct systemctl start "$U"
	secure_ms=$(now_ms)
	is "$(prop "$U" ExecMainStatus)" 77 "the daemon exits 77"
	journal "$U"
	like "$(grep 'event=fatal' "$T/$U.j")" 'cause="the cluster refused the SASL credentials' \
	    "the journal's fatal event names the refused credentials (text log, as the example has it)"
	wait_until 3 eval '[ "$(prop "$U" NRestarts)" != 0 ]'
	is "$(prop "$U" NRestarts) $(prop "$U" ActiveState)" "0 failed" \
	    "exit 77 is not restarted: the unit stays failed ($(($(now_ms) - secure_ms)) ms)"
	journal "$U"
	nok "no secret in the journal" grep -qF -e "$PASSWORD" "$T/$U.j"
	diag "the secured unit's checks took $(($(now_ms) - secure_t0)) ms"
else
	skip "the broker has no secured listeners (lab/with-kafka starts them)" 12
fi

# ---------------------------------------------------------------- kconsumerd.service
U=kconsumerd.service
ok "systemctl start $U with the packaged configuration (edited) succeeds" \
    ct systemctl start "$U"
like "$(prop "$U" StatusText)" '^members in group 1/1, partitions 2' \
    "its member has both partitions"
journal "$U"
like "$(cat "$T/$U.j")" 'event=assign consumer=0 group=[^ ]+ .*partitions=' \
    "the journal has its assign event (text format, as packaged)"
ok "systemctl stop $U succeeds" ct systemctl stop "$U"
is "$(prop "$U" ExecMainStatus)" 0 "it exits 0"

done_testing
