#!/bin/bash
# t_fresh_demo: README's first command on a fresh machine. In a minimal
# Debian root (packaging/root.sh RELEASE fresh: mmdebstrap --variant=apt
# plus git, nothing else; KCD_DEBIAN picks the release, default 13), a
# clone of this repository runs ./quickstart demo as root: it installs
# only what the demo needs (no Java, Maven, clang or packaging tools),
# builds, plays the demo to its summary, whose records add up, and exits
# 0. The root shares this machine's network (apt reaches the mirror).
# The clone is of the committed tree (HEAD), as a user's would be.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/packaging/common.sh"

require_tools git mmdebstrap unshare
[ "$(id -u)" -eq 0 ] || skip_all "mmdebstrap and chroot need root"
pkg_release "${KCD_DEBIAN:-13}" || bail_out "unknown release $KCD_DEBIAN"

ROOT=$T/root
packaging_root() {
	"$top_srcdir/packaging/root.sh" "$PKG_DEBIAN" fresh "$ROOT" 2>"$T/root.err"
}
packaging_root
case $? in
0) ;;
69) skip_all "mmdebstrap could not make a Debian $PKG_DEBIAN root: $(tail -n 1 "$T/root.err")" ;;
*) bail_out "packaging/root.sh failed: $(tail -n 5 "$T/root.err")" ;;
esac
diag "$(cat "$T/root.err")"
ok "the fresh Debian $PKG_DEBIAN root has git but no compiler" \
    test -x "$ROOT/usr/bin/git" -a ! -e "$ROOT/usr/bin/gcc"
git clone -q "$top_srcdir" "$ROOT/root/kconsumerd" 2>"$T/clone.err" ||
    bail_out "git clone failed: $(cat "$T/clone.err")"

start=$SECONDS
pkg_mounted "$ROOT" chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    timeout 900 bash -c 'cd /root/kconsumerd && ./quickstart demo' \
    >"$T/demo.out" 2>&1
st=$?
diag "./quickstart demo took $((SECONDS - start)) s on a fresh Debian $PKG_DEBIAN"
is "$st" 0 "./quickstart demo exits 0" || diag "$(tail -n 40 "$T/demo.out")"
OUT=$(cat "$T/demo.out")
like "$OUT" "quickstart: installing [0-9]+ packages for demo \\(Debian $PKG_DEBIAN" \
    "it says how many packages it installs, for the demo, on Debian $PKG_DEBIAN"
like "$OUT" "quickstart: building +[0-9]+ s" "it times the build"
for tool in java mvn clang lintian mmdebstrap umoci kcat; do
	ok "it installed no $tool (the demo does not use it)" \
	    test ! -e "$ROOT/usr/bin/$tool"
done
like "$OUT" "Summary: protocol [A-Z]+, .*6 partitions" "the demo prints its summary"
P=$(sed -n 's/^Messages produced: \([0-9]*\) .*/\1/p' <<<"$OUT")
R=$(sed -n 's/^  read, written to the sink and committed: *\([0-9]*\)$/\1/p' <<<"$OUT")
U=$(sed -n 's/^  not yet read when the demo stopped: *\([0-9]*\) .*/\1/p' <<<"$OUT")
cmp_ok "${P:-0}" -ge 1 "records were produced (${P:-none})"
is "$((R + U))" "$P" "read and committed ($R) + not yet read ($U) = produced ($P)"
like "$OUT" "$R \\+ $U = $P: every record is accounted for" "and the summary says so"
done_testing
