#!/usr/bin/env bash
# tests/release_check.sh build|check|live RELEASE DIR [TEST...]: kconsumerd on another
# Debian release (13, 14; 12 works too), in a root of that release
# (packaging/root.sh RELEASE build: its compiler, its librdkafka, its
# libraries, unpacked fresh into DIR).
#
#   build   unpack the root into DIR (removed first), copy the source tree
#           in (the files git tracks or would track), autoreconf,
#           ./configure --enable-werror, make: the daemon, kconsumerctl,
#           the unit tests and test helpers, the benchmarks and (clang)
#           the fuzz targets, every one with warnings as errors
#   check   make check there on RELEASE_TESTS (below): the unit tests,
#           the mock scenarios of rebalancing, commits and the protocol,
#           and the live scenarios against the host's Kafka (a chroot
#           shares the host's loopback: KCD_LIVE_BOOTSTRAP and
#           KCD_LIVE_DIR, under /dev/shm, pass through); the failed
#           tests' logs are shown
#   live    make check there on the TESTs given only (after build): the
#           consumer-protocol scenarios on the newest Kafka, for one
#   host    the TESTs given on this host (prove), with the root's
#           kconsumerd and kconsumerctl run through the root's own loader
#           and libraries (DIR/host-bin/: KCONSUMERD, KCONSUMERCTL): for
#           the scenarios that need the host's Java, which the roots lack
#           (t_live_kip848_broker_failure starts a 3-node cluster of its
#           own; t_live_kip848_describe compares with Kafka's own tool);
#           the host's tests/ helpers are used, so make them first
#
# What stays with the Debian 12 host run (./quickstart test): the rest of
# the mock scenarios, the live scenarios that run Kafka's own Java tools
# or a cluster of their own (t_live_kip848_broker_failure starts three
# nodes with the host's Java: the host step runs it and
# t_live_kip848_describe with Debian 14's build; t_live_topic_deleted
# deletes a topic with Kafka's TopicCommand), make distcheck, the packaging tests, the
# sanitizer pass and the fuzzers' runs (see tests/README.md). Needs root
# (chroot). Prints each step's time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/packaging/common.sh"

# What runs in another release's root. Unit tests: all of them.
RELEASE_SCENARIOS="
	tests/scenario/t_harness.sh
	tests/scenario/t_rebalance_eager.sh
	tests/scenario/t_rebalance_cooperative.sh
	tests/scenario/t_members_one_process.sh
	tests/scenario/t_members_processes.sh
	tests/scenario/t_kill_member.sh
	tests/scenario/t_static_leave.sh
	tests/scenario/t_max_poll.sh
	tests/scenario/t_restart_exact.sh
	tests/scenario/t_count.sh
	tests/scenario/t_count_batch.sh
	tests/scenario/t_fenced.sh
	tests/scenario/t_events.sh
	tests/scenario/t_describe.sh
	tests/scenario/t_service_units.sh
	tests/scenario/t_clean_start.sh
	tests/scenario/t_commit_refused.sh
	tests/scenario/t_revoke_origin.sh
	tests/scenario/t_harness_live.sh
	tests/scenario/t_describe_live.sh
	tests/scenario/t_live_static.sh
	tests/scenario/t_live_fence.sh
	tests/scenario/t_live_rolling.sh
	tests/scenario/t_live_eager_cooperative.sh
	tests/scenario/t_live_sigkill.sh
	tests/scenario/t_live_session_expiry.sh
	tests/scenario/t_live_leave.sh
	tests/scenario/t_live_max_poll.sh
	tests/scenario/t_live_demo.sh
	tests/scenario/t_live_static_signals.sh
	tests/scenario/t_live_secure.sh
	tests/scenario/t_live_secure_rolling.sh
	$(cd "$(dirname "$0")/.." && ls tests/scenario/t_live_kip848_*.sh |
	    grep -v -e broker_failure)"

[ $# -ge 3 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 64; }
step=$1 dir=$3
pkg_release "$2" || { echo "release_check: unknown release $2" >&2; exit 64; }
name="Debian $PKG_DEBIAN"

# Print a step's time: took NAME START.
took() {
	printf 'release_check: %-36s %5d s\n' "$name: $1" $((SECONDS - $2))
}

# Run a shell command line in the root's tree, as root, with a clean
# environment plus the live variables: in_root COMMAND-LINE.
in_root() {
	pkg_mounted "$dir" chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    HOME=/root LANG=C.UTF-8 TERM=dumb \
	    $(env | grep -E '^KCD_(LIVE_[A-Z_]*|REQUIRE_LIVE)=' || true) \
	    bash -c "cd /src/kconsumerd && $1"
}

case $step in
build)
	rm -rf "$dir"
	start=$SECONDS
	"$top/packaging/root.sh" "$PKG_DEBIAN" build "$dir"
	took "root" "$start"
	start=$SECONDS
	mkdir -p "$dir/src/kconsumerd"
	git -C "$top" ls-files -z --cached --others --exclude-standard |
	    while IFS= read -r -d '' f; do
		[ -e "$top/$f" ] && printf '%s\0' "$f"
	done | tar -C "$top" --null -T - -cf - | tar -C "$dir/src/kconsumerd" -xf -
	log=$dir/src/build.log
	if ! in_root "{ autoreconf -fi && ./configure -q --enable-werror &&
	    nice make -j$(nproc) all \$(make -s -f Makefile -f - <<<'p:; @echo \$(check_PROGRAMS) \$(EXTRA_PROGRAMS)' p) &&
	    if command -v clang >/dev/null; then nice make fuzz-build; fi; } >/src/build.log 2>&1"; then
		tail -n 40 "$log"
		echo "release_check: $name: the build with --enable-werror failed (above)" >&2
		exit 1
	fi
	took "build with --enable-werror" "$start"
	in_root 'echo "release_check: built with $(gcc --version | head -n 1), librdkafka $(pkg-config --modversion rdkafka), libconfig $(pkg-config --modversion libconfig), libmicrohttpd $(pkg-config --modversion libmicrohttpd)"'
	;;
check)
	[ -d "$dir/src/kconsumerd" ] || { echo "release_check: run build first" >&2; exit 1; }
	start=$SECONDS
	units=$(in_root "make -s -f Makefile -f - <<<'p:; @echo \$(UNIT_TESTS)' p")
	# shellcheck disable=SC2086 # word lists
	if ! in_root "nice make -j$(nproc) check TESTS='$(echo $units $RELEASE_SCENARIOS)'"; then
		in_root "find tests -name 't*.log' -exec grep -l -e '^not ok' -e '^# FAIL' \
		    -e '^ERROR' -e '^Bail out' {} + | while read -r f; do echo \"==== \$f\"; cat \"\$f\"; done"
		took "make check (FAILED)" "$start"
		exit 1
	fi
	took "make check ($(echo $units $RELEASE_SCENARIOS | wc -w) tests)" "$start"
	;;
live)
	[ -d "$dir/src/kconsumerd" ] || { echo "release_check: run build first" >&2; exit 1; }
	shift 3
	start=$SECONDS
	if ! in_root "nice make -j$(nproc) check TESTS='$*'"; then
		in_root "find tests -name 't*.log' -exec grep -l -e '^not ok' -e '^# FAIL' \
		    -e '^ERROR' -e '^Bail out' {} + | while read -r f; do echo \"==== \$f\"; cat \"\$f\"; done"
		took "make check, $# live tests (FAILED)" "$start"
		exit 1
	fi
	took "make check, $# live tests" "$start"
	;;
host)
	[ -x "$dir/src/kconsumerd/kconsumerd" ] || { echo "release_check: run build first" >&2; exit 1; }
	shift 3
	mkdir -p "$dir/host-bin"
	for prog in kconsumerd kconsumerctl; do
		printf '#!/bin/sh\n# %s of the %s root, on this host through its loader\nexec %q --library-path %q %q "$@"\n' \
		    "$prog" "$name" "$dir/lib64/ld-linux-x86-64.so.2" \
		    "$dir/usr/lib/x86_64-linux-gnu:$dir/lib/x86_64-linux-gnu" \
		    "$dir/src/kconsumerd/$prog" >"$dir/host-bin/$prog"
		chmod +x "$dir/host-bin/$prog"
	done
	"$dir/host-bin/kconsumerd" --version
	start=$SECONDS
	if ! KCONSUMERD=$dir/host-bin/kconsumerd KCONSUMERCTL=$dir/host-bin/kconsumerctl \
	    top_srcdir=$top top_builddir=$top prove --exec bash --timer "$@"; then
		took "$# tests on this host (FAILED)" "$start"
		exit 1
	fi
	took "$# tests on this host" "$start"
	;;
*)
	echo "release_check: build, check, live or host, not $step" >&2
	exit 64 ;;
esac
