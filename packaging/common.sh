# shellcheck shell=bash
# packaging/common.sh: what the packaging scripts (packaging/deb.sh,
# packaging/image.sh) and tests (tests/packaging/) share. Sourced by bash.

# The top of the source tree, the version configure.ac's AC_INIT gives,
# and the folder build outputs go to (gitignored; KCD_PKG_OUT moves it).
PKG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PKG_VERSION=$(sed -n 's/^AC_INIT(\[kconsumerd\], \[\([^]]*\)\].*/\1/p' \
    "$PKG_TOP/configure.ac")
PKG_OUT=${KCD_PKG_OUT:-$PKG_TOP/_build/packaging}
# shellcheck disable=SC2034 # used by the scripts that source this file
PKG_IMAGE=kconsumerd:$PKG_VERSION
PKG_SUITE=bookworm

# Print the apt source files of this machine that name a Debian archive,
# one a line: mmdebstrap uses the same mirror (none printed: its default).
pkg_debian_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	    /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && grep -Eqs '^[^#]*[/.]debian(\.org|-security)?[/ ]' "$f" &&
		    echo "$f"
	done
	return 0
}

# Run mmdebstrap on the suite with this machine's Debian sources, quietly:
# pkg_mmdebstrap [OPTION...] TARGET. Its log goes to TARGET.log.
pkg_mmdebstrap() {
	local target=${!#} sources
	mapfile -t sources < <(pkg_debian_sources)
	nice -n 10 mmdebstrap --quiet "${@:1:$#-1}" "$PKG_SUITE" "$target" \
	    "${sources[@]}" 2>"$target.log"
}

# Print the path of the built .deb in the output folder (none: return 1;
# packaging/deb.sh leaves only the last one there).
pkg_deb_path() {
	local deb
	for deb in "$PKG_OUT"/kconsumerd_"$PKG_VERSION"-*_*.deb; do
		[ -f "$deb" ] && echo "$deb" && return 0
	done
	return 1
}

# Run CMD (a host command, usually chroot ROOT ...) with ROOT's /proc and
# /dev mounted, in a mount namespace of its own, so the mounts go with
# the process: pkg_mounted ROOT CMD... ("${PKG_MOUNTED[@]}" ROOT CMD...
# is the same as one command, for proc_start; each step execs the next).
# shellcheck disable=SC2016 # the script is sh's, its arguments come after it
PKG_MOUNTED=(unshare --mount --propagation private sh -c '
	mkdir -p "$1/proc" "$1/dev" &&
	    mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" &&
	    shift && exec "$@"' sh)
pkg_mounted() {
	"${PKG_MOUNTED[@]}" "$@"
}
