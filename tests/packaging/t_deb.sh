#!/bin/bash
# t_deb: the Debian package holds what it should, lintian finds no error
# or warning in it or its .changes, and in a fresh minimal Debian root
# (mmdebstrap, this machine's mirror) apt installs it with its
# dependencies; there kconsumerd -V and -t work, systemd-analyze verify
# accepts both units, neither is enabled, an upgrade (over itself, then to
# a newer version) keeps the admin's changed conffile, remove keeps the
# conffile and purge leaves nothing of the package behind.
#
# Uses the .deb in $KCD_PKG_OUT (default _build/packaging), building it
# with packaging/deb.sh when there is none. Skips the root part, with the
# reason, when mmdebstrap cannot make the root. With KCD_PKG_ROOT set,
# the root is moved there at the end, for t_systemd.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/packaging/common.sh"

require_tools dpkg-deb lintian mmdebstrap unshare
[ "$(id -u)" -eq 0 ] || skip_all "mmdebstrap and chroot need root"

deb=$(pkg_deb_path) || {
	"$top_srcdir/packaging/deb.sh" >&2 || bail_out "packaging/deb.sh failed"
	deb=$(pkg_deb_path) || bail_out "packaging/deb.sh made no .deb"
}
changes=${deb%.deb}.changes
diag "package: $deb ($(stat -c %s "$deb") bytes)"

# ---------------------------------------------------------------- the .deb
is "$(dpkg-deb -f "$deb" Version | sed 's/-[^-]*$//')" "$PKG_VERSION" \
    "the package's version is configure.ac's ($PKG_VERSION)"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/files"
for f in /usr/sbin/kconsumerd /usr/bin/kconsumerctl \
    /usr/share/man/man8/kconsumerd.8.gz /usr/share/man/man5/kconsumerd.conf.5.gz \
    /usr/share/man/man1/kconsumerctl.1.gz \
    /lib/systemd/system/kconsumerd.service /lib/systemd/system/kconsumerd@.service \
    /etc/kconsumerd/kconsumerd.conf; do
	ok "the package installs $f" grep -qxF "$f" "$T/files"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles >"$T/conffiles"
is "$(cat "$T/conffiles")" /etc/kconsumerd/kconsumerd.conf \
    "its one conffile is /etc/kconsumerd/kconsumerd.conf"
is "$(grep -c '^/etc/.*[^/]$' "$T/files")" 1 "it puts nothing else into /etc"

lintian --fail-on error,warning "$changes" >"$T/lintian.out" 2>&1
st=$?
is "$st $(grep -c '^[EW]:' "$T/lintian.out")" "0 0" \
    "lintian finds no error or warning in the .deb and the .changes" ||
    diag "$(cat "$T/lintian.out")"

# ---------------------------------------------------------------- a fresh root
ROOT=$T/root
export DEBIAN_FRONTEND=noninteractive
# Run CMD in the root: root_run CMD...
root_run() {
	pkg_mounted "$ROOT" chroot "$ROOT" "$@"
}

# Run CMD in the root; its output goes to $T/last.out, and its end
# becomes a diagnostic when it fails: in_root CMD... (called through ok)
# shellcheck disable=SC2317
in_root() {
	local st=0
	root_run "$@" >"$T/last.out" 2>&1 || st=$?
	[ "$st" -eq 0 ] || diag "$(tail -n 20 "$T/last.out")"
	return "$st"
}

if ! pkg_mmdebstrap --variant=apt --include=systemd \
    --skip=cleanup/apt/lists "$ROOT"; then
	diag "$(tail -n 5 "$ROOT.log")"
	skip "mmdebstrap could not make a $PKG_SUITE root (mirror unreachable?)" 16
	done_testing
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
cp "$deb" "$ROOT/tmp/kconsumerd.deb"

ok "apt installs the package and resolves its dependencies" \
    in_root apt-get install -y -q --no-install-recommends /tmp/kconsumerd.deb
like "$(root_run kconsumerd -V 2>&1)" "^kconsumerd $PKG_VERSION " \
    "kconsumerd -V names version $PKG_VERSION"
ok "kconsumerd -t accepts the installed /etc/kconsumerd/kconsumerd.conf" \
    in_root kconsumerd -t
ok "kconsumerctl runs" in_root kconsumerctl -V
root_run systemd-analyze verify --man=no \
    /lib/systemd/system/kconsumerd.service kconsumerd@orders.service \
    >"$T/verify.out" 2>&1
st=$?
is "$st $(wc -l <"$T/verify.out")" "0 0" \
    "systemd-analyze verify finds nothing wrong in the installed units" ||
    diag "$(cat "$T/verify.out")"
is "$(root_run systemctl is-enabled kconsumerd.service kconsumerd@.service 2>&1 | xargs)" \
    "disabled disabled" "neither unit is enabled on install"

# Upgrades: over itself, then to a newer version of the same files.
echo '# changed by the admin' >>"$ROOT/etc/kconsumerd/kconsumerd.conf"
ok "dpkg installs the package over itself" in_root dpkg -i /tmp/kconsumerd.deb
ok "the changed conffile survives reinstalling" \
    grep -qx '# changed by the admin' "$ROOT/etc/kconsumerd/kconsumerd.conf"
newer=$(dpkg-deb -f "$deb" Version)+upgrade1
dpkg-deb -R "$deb" "$T/newer" &&
    sed -i "s/^Version: .*/Version: $newer/" "$T/newer/DEBIAN/control" &&
    dpkg-deb -b "$T/newer" "$ROOT/tmp/newer.deb" >/dev/null
ok "dpkg upgrades the package to $newer" in_root dpkg -i /tmp/newer.deb
# shellcheck disable=SC2016 # a dpkg-query format
is "$(root_run dpkg-query -W -f='${Version}' kconsumerd)" "$newer" \
    "the upgraded version is installed"
ok "the changed conffile survives the upgrade" \
    grep -qx '# changed by the admin' "$ROOT/etc/kconsumerd/kconsumerd.conf"

# Remove, then purge. Stand in for the directories systemd makes for the
# service's dynamic user when it runs (StateDirectory, LogsDirectory).
mkdir -p "$ROOT/var/lib/private/kconsumerd" "$ROOT/var/log/private/kconsumerd"
ln -s private/kconsumerd "$ROOT/var/lib/kconsumerd"
ln -s private/kconsumerd "$ROOT/var/log/kconsumerd"
ok "apt removes the package" in_root apt-get remove -y -q kconsumerd
ok "remove takes the binaries away" test ! -e "$ROOT/usr/sbin/kconsumerd"
ok "remove keeps the conffile" test -f "$ROOT/etc/kconsumerd/kconsumerd.conf"
ok "apt purges the package" in_root apt-get purge -y -q kconsumerd
left=$(cd "$ROOT" && find . -path ./proc -prune -o -path ./tmp -prune -o \
    -name '*kconsumerd*' -print)
is "$left" "" "after purge nothing named kconsumerd is left in the root"

# Leave the root (systemd and the package's dependencies installed, the
# package purged) to tests/packaging/t_systemd.sh when KCD_PKG_ROOT names
# where: it boots it instead of making its own.
if [ -n "${KCD_PKG_ROOT:-}" ]; then
	rm -rf "$KCD_PKG_ROOT" && mv "$ROOT" "$KCD_PKG_ROOT" &&
	    diag "root left in $KCD_PKG_ROOT"
fi

done_testing
