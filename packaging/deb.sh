#!/usr/bin/env bash
# packaging/deb.sh [OUTDIR]: build the Debian package with
# dpkg-buildpackage -us -uc -b from a clean copy of the source tree (the
# files git tracks or would track; the whole tree outside git), so an
# in-tree build is left alone. The .deb, .changes and .buildinfo land in
# OUTDIR (default _build/packaging). DEB_BUILD_OPTIONS=nocheck skips the
# test suite inside the build. KCD_DEBIAN=13 (or 14, trixie, forky)
# builds for that release, in a root of it (default OUTDIR:
# _build/packaging/debian-13).
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=${1:-$PKG_OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
PKG_OUT=$out
work=$(mktemp -d "${TMPDIR:-/tmp}/kconsumerd-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/kconsumerd-$PKG_VERSION
mkdir "$src"

# Print the tree's files, NUL-terminated: git's view when there is one.
source_files() {
	if git -C "$PKG_TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$PKG_TOP" ls-files -z --cached --others --exclude-standard |
		    while IFS= read -r -d '' f; do
			[ -e "$PKG_TOP/$f" ] && printf '%s\0' "$f"
		done
	else
		[ ! -f "$PKG_TOP/Makefile" ] || {
			echo "deb.sh: $PKG_TOP is configured; run make distclean first" >&2
			return 1
		}
		(cd "$PKG_TOP" && find . -path ./_build -prune -o ! -type d -print0)
	fi
}
source_files | tar -C "$PKG_TOP" --null -T - -cf - | tar -C "$src" -xf -

changelog_version=$(cd "$src" && dpkg-parsechangelog -S Version)
[ "${changelog_version%-*}" = "$PKG_VERSION" ] || {
	echo "deb.sh: debian/changelog is at $changelog_version, configure.ac at $PKG_VERSION" >&2
	exit 1
}

# Build on this machine, or for another release in a root of it
# (packaging/root.sh: its compiler and libraries, and debhelper).
if [ "$PKG_SUITE" = "$PKG_HOST_SUITE" ]; then
	build() { (cd "$src" && nice -n 10 dpkg-buildpackage -us -uc -b -J"$(nproc)"); }
else
	"$PKG_TOP/packaging/root.sh" "$PKG_DEBIAN" build "$work/root"
	mkdir "$work/root/build"
	mv "$src" "$work/root/build/"
	build() {
		pkg_mounted "$work/root" chroot "$work/root" env -i \
		    PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		    DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-}" sh -c \
		    "cd /build/kconsumerd-$PKG_VERSION && nice -n 10 dpkg-buildpackage -us -uc -b -J$(nproc)" &&
		    mv "$work"/root/build/*.deb "$work"/root/build/*.changes \
		    "$work"/root/build/*.buildinfo "$work/"
	}
fi
build >"$work/build.log" 2>&1 || {
	tail -n 60 "$work/build.log" >&2
	echo "deb.sh: dpkg-buildpackage failed" >&2
	exit 1
}
cp "$work/build.log" "$out/build.log"
rm -f "$out"/kconsumerd*.deb "$out"/kconsumerd_*.changes "$out"/kconsumerd_*.buildinfo
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
echo "deb.sh: built $(pkg_deb_path)"
