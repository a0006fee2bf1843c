#!/usr/bin/env bash
# packaging/root.sh RELEASE KIND DEST: unpack a fresh Debian root of
# RELEASE (12, 13, 14, bookworm, trixie or forky) into DEST (made, must
# not exist), from a tarball cached between runs of this machine:
#
#   build   what ./quickstart deps check installs there (the build's and
#           the tests' packages, named as that release names them), made
#           by running quickstart itself in the new root, and debhelper
#           (packaging/deb.sh builds there)
#   fresh   a minimal machine: mmdebstrap --variant=apt plus git, nothing
#           else (the fresh-machine demo test)
#
# The tarballs live in $KCD_ROOT_CACHE (default ~/.cache/kconsumerd/roots),
# debian-N-KIND.tar with a .key beside it: made again when missing or
# when the recipe (quickstart's package sets, this script) changed. DEST
# gets this machine's resolv.conf, so apt works there through the host's
# network (a chroot shares it, loopback included). Prints the time each
# step took on stderr. Exits 69 when mmdebstrap cannot make the root.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
pkg_release "$1" || { echo "root.sh: unknown release $1" >&2; exit 64; }
kind=$2 dest=$3
cache=${KCD_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kconsumerd/roots}
tarball=$cache/debian-$PKG_DEBIAN-$kind.tar

case $kind in
build)
	# quickstart runs in the root as on a machine of that release
	opts=(--variant=apt
	    --customize-hook="copy-in $PKG_TOP/quickstart /tmp"
	    --customize-hook='chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive /tmp/quickstart deps check'
	    --customize-hook='chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debhelper'
	    --customize-hook='rm -f "$1/tmp/quickstart"')
	recipe=$(sed -n '/^declare -A PACKAGES/,/^)/p; /^command_sets()/,/^}/p; /^set_packages()/,/^}/p' \
	    "$PKG_TOP/quickstart") ;;
fresh)
	opts=(--variant=apt --include=git)
	recipe= ;;
*)
	echo "root.sh: KIND is build or fresh, not $kind" >&2
	exit 64 ;;
esac
# the key leaves out where this tree is: every clone shares the cache
key=$( (echo "$PKG_SUITE $kind"; printf '%s\n' "${opts[@]//"$PKG_TOP"/TOP}"
    echo "$recipe") | sha256sum | cut -d' ' -f1)

if [ ! -f "$tarball" ] || [ "$(cat "$tarball.key" 2>/dev/null)" != "$key" ]; then
	mkdir -p "$cache"
	start=$SECONDS
	rm -f "$tarball" "$tarball.key"
	if ! pkg_mmdebstrap "${opts[@]}" "$tarball.tmp.tar"; then
		tail -n 20 "$tarball.tmp.tar.log" >&2
		rm -f "$tarball.tmp.tar"
		echo "root.sh: mmdebstrap could not make a Debian $PKG_DEBIAN ($PKG_SUITE) root" >&2
		exit 69
	fi
	mv "$tarball.tmp.tar" "$tarball"
	mv "$tarball.tmp.tar.log" "$tarball.log"
	echo "$key" >"$tarball.key"
	echo "root.sh: made the Debian $PKG_DEBIAN $kind root ($(du -h "$tarball" | cut -f1)) in $((SECONDS - start)) s" >&2
fi
start=$SECONDS
mkdir -p "$(dirname "$dest")"
mkdir "$dest"
tar -C "$dest" -xf "$tarball"
cp /etc/resolv.conf "$dest/etc/resolv.conf" 2>/dev/null || true
echo "root.sh: unpacked the Debian $PKG_DEBIAN $kind root in $((SECONDS - start)) s" >&2
