#!/bin/sh
# t_cli_config.sh: kconsumerd's -t, -p, -V and --help answer with the
# right output and exit status for good and broken configurations.
srcdir=${top_srcdir:-.}
bin=${KCONSUMERD:-./kconsumerd}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_cli_config.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0

check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -s "$tmp/err" ] && sed 's/^/# stderr: /' "$tmp/err"
	fi
	return 0
}

# run: run kconsumerd with the arguments; status in $rc, output in files.
run() {
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

for f in conf/kconsumerd.conf conf/kconsumerd.yaml; do
	run -t -c "$srcdir/$f"
	[ "$rc" = 0 ] && grep -q "^$srcdir/$f: configuration is valid$" \
	    "$tmp/err"
	check $? "-t accepts $f with exit 0 and says it is valid"
done

printf 'kafka = { bootstrap_servers = "h:1"; };\ngroup = { id = "g"; };\n'\
'topics = [ "t" ];\nconsumers = ;\n' >"$tmp/broken.conf"
run -t -c "$tmp/broken.conf"
[ "$rc" = 78 ] && grep -q "^$tmp/broken.conf:4: error: " "$tmp/err"
check $? "-t exits 78 naming broken.conf:4 for a libconfig syntax error"

printf 'kafka:\n  bootstrap.servers: h:1\ngroup:\n  id: g\n'\
'  session_timeout_ms: "30000"\ntopics: [t]\n' >"$tmp/broken.yaml"
run -t -c "$tmp/broken.yaml"
[ "$rc" = 78 ] && grep -q "^$tmp/broken.yaml:5: error: .*wants an integer" \
    "$tmp/err"
check $? "-t exits 78 naming broken.yaml:5 for a quoted integer in YAML"

printf 'kafka:\n  bootstrap.servers: h:1\ngroup:\n  id: g\n'\
'  heartbeat_interval_ms: 20000\ntopics: [t]\n' >"$tmp/warn.yaml"
run -t -c "$tmp/warn.yaml"
[ "$rc" = 0 ] && grep -q "^$tmp/warn.yaml:5: warning: " "$tmp/err"
check $? "-t prints warnings and still exits 0"

run -p -c "$srcdir/conf/kconsumerd.conf"
rc_conf=$rc
cp "$tmp/out" "$tmp/print.conf"
run -p -c "$srcdir/conf/kconsumerd.yaml"
[ "$rc_conf" = 0 ] && [ "$rc" = 0 ] && [ -s "$tmp/out" ] &&
    cmp -s "$tmp/print.conf" "$tmp/out"
check $? "-p prints byte-identical output for both example files"

grep -q '^group.id = "kconsumerd-example"$' "$tmp/out"
check $? "-p prints group.id from the example"

printf 'kafka:\n  bootstrap.servers: h:1\n  sasl.password: hunter2\n'\
'group: {id: g}\ntopics: [t]\n' >"$tmp/secret.yaml"
run -p -c "$tmp/secret.yaml"
[ "$rc" = 0 ] && grep -q '^kafka.sasl.password = "\*\*\*"$' "$tmp/out" &&
    ! grep -q hunter2 "$tmp/out" "$tmp/err"
check $? "-p masks a secret as \"***\""

run -p -c "$tmp/broken.yaml"
[ "$rc" = 78 ] && [ ! -s "$tmp/out" ]
check $? "-p exits 78 and prints nothing for an invalid file"

# What -t prints on stdout: how long partitions go without an owner.
printf 'kafka:\n  bootstrap.servers: h:1\ngroup:\n  id: g\n'\
'  session_timeout_ms: 30000\n  assignor: range\ntopics: [t]\n'\
'shutdown:\n  timeout_ms: 5000\n' >"$tmp/dynamic.yaml"
run -t -c "$tmp/dynamic.yaml"
[ "$rc" = 0 ] &&
    grep -q "^partitions without an owner (dynamic members, group.protocol classic, shutdown.leave_group auto):$" "$tmp/out" &&
    grep -q "^  crash (kill -9, host lost): up to 30 s (group.session_timeout_ms)" "$tmp/out" &&
    grep -q "^  clean stop: the stop's own time (under 6 s), then at once a rebalance" "$tmp/out" &&
    grep -q "^  restart: two rebalances" "$tmp/out" &&
    grep -q "^  each rebalance: every member pauses all its partitions" "$tmp/out" &&
    grep -q "^a clean stop takes at most 6000 ms (shutdown.timeout_ms 5000 + 1000 " "$tmp/out"
check $? "-t prints a dynamic eager member's handover: crash 30 s, a stop leaves at once, a restart rebalances twice, the stop's bound"
sed 's/^  id: g$/  id: g\n  instance_id: "m-%i"/' "$tmp/dynamic.yaml" >"$tmp/static.yaml"
run -t -c "$tmp/static.yaml"
[ "$rc" = 0 ] && grep -q "^  clean stop: up to 30 s (group.session_timeout_ms): the member does not leave" "$tmp/out" &&
    grep -q "^  restart within 30 s: the restart's own time .* without a rebalance" "$tmp/out"
check $? "-t prints a static member's: a stop waits out the session, a restart within it needs no rebalance"
sed 's/^  timeout_ms: 5000$/&\n  leave_group: always/' "$tmp/static.yaml" >"$tmp/leave.yaml"
run -t -c "$tmp/leave.yaml"
[ "$rc" = 0 ] && grep -q "^  restart: two rebalances" "$tmp/out" &&
    grep -q "then at once a rebalance: the member leaves" "$tmp/out"
check $? "-t prints a static member's with leave_group always: it leaves, a restart rebalances twice"

run -t -c "$tmp/does-not-exist.conf"
[ "$rc" = 78 ] && grep -q "does-not-exist.conf: error: cannot read" "$tmp/err"
check $? "-t exits 78 for a file that does not exist"

run --no-such-option
[ "$rc" = 64 ]
check $? "an unknown option exits 64"

run -V
[ "$rc" = 0 ] && grep -q "librdkafka [0-9]" "$tmp/out"
check $? "-V exits 0 and prints librdkafka's version"

run --help
[ "$rc" = 0 ] && grep -q "^usage: kconsumerd" "$tmp/out"
check $? "--help exits 0 and prints the usage"

echo "1..$n"
