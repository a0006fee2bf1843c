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
# The Debian release packages are built for and roots are made of: this
# machine's (bookworm when it is none of these) unless KCD_DEBIAN (12, 13,
# 14 or a codename) says otherwise; pkg_release sets it.
PKG_SUITE=bookworm PKG_DEBIAN=12

# Set PKG_SUITE (codename) and PKG_DEBIAN (number) from a release given
# as 12, 13, 14, bookworm, trixie or forky; false for anything else.
pkg_release() {
	case $1 in
	12 | bookworm) PKG_SUITE=bookworm PKG_DEBIAN=12 ;;
	13 | trixie) PKG_SUITE=trixie PKG_DEBIAN=13 ;;
	14 | forky) PKG_SUITE=forky PKG_DEBIAN=14 ;;
	*) return 1 ;;
	esac
}
# The release of this machine; a package for another one is built in a
# root of that release (packaging/root.sh) and lands in debian-N/ of the
# output folder.
PKG_HOST_SUITE=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-}")
if [ -n "${KCD_DEBIAN:-}" ]; then
	pkg_release "$KCD_DEBIAN" || {
		echo "packaging: KCD_DEBIAN=$KCD_DEBIAN is not 12, 13, 14, bookworm, trixie or forky" >&2
		exit 64
	}
else
	pkg_release "$PKG_HOST_SUITE" || true
fi
[ "$PKG_SUITE" = "$PKG_HOST_SUITE" ] || [ -n "${KCD_PKG_OUT:-}" ] ||
    PKG_OUT=$PKG_OUT/debian-$PKG_DEBIAN

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

# Print the Debian mirror this machine's apt sources use (the first URI
# ending in /debian; deb.debian.org's without one).
pkg_debian_mirror() {
	local f uri
	for f in $(pkg_debian_sources); do
		uri=$(grep -Eho '(https?|file)://[^ ]*/debian/?( |$)' "$f" | head -n 1)
		[ -n "$uri" ] && echo "${uri%% *}" | sed 's|/$||' && return 0
	done
	echo http://deb.debian.org/debian
}

# Run mmdebstrap on PKG_SUITE, quietly: pkg_mmdebstrap [OPTION...] TARGET.
# Its log goes to TARGET.log. The host's own release uses the host's
# apt sources; another release the same mirror with that release's
# suites (its updates and security suites for a stable release).
pkg_mmdebstrap() {
	local target=${!#} sources mirror opts=()
	if [ "$PKG_SUITE" = "$PKG_HOST_SUITE" ]; then
		mapfile -t sources < <(pkg_debian_sources)
	else
		mirror=$(pkg_debian_mirror)
		sources=("deb $mirror $PKG_SUITE main")
		case $PKG_SUITE in
		forky)
			# Debian 14 is the testing release: its Release file on
			# the mirror can be past its Valid-Until date (testing's
			# is signed for a week only). Accepted for testing only,
			# never for a stable release.
			opts+=(--aptopt='Acquire::Check-Valid-Until "false"') ;;
		*)
			sources+=("deb $mirror $PKG_SUITE-updates main"
			    "deb ${mirror%/debian}/debian-security $PKG_SUITE-security main") ;;
		esac
	fi
	nice -n 10 mmdebstrap --quiet "${opts[@]}" "${@:1:$#-1}" "$PKG_SUITE" \
	    "$target" "${sources[@]}" 2>"$target.log"
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
