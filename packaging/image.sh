#!/usr/bin/env bash
# packaging/image.sh [OUTDIR]: build the container image kconsumerd:VERSION
# offline, without Docker: a minimal Debian root made by mmdebstrap (the
# runtime libraries the .deb depends on, extracted, no shell, no apt, no
# docs) plus the .deb's files, the ConfigMap's configuration as
# /etc/kconsumerd/kconsumerd.yaml and a non-root user, packed by umoci.
# The result, OUTDIR/kconsumerd-VERSION.oci.tar (default OUTDIR:
# _build/packaging), is an OCI image layout that also carries Docker's
# manifest.json, so docker load, podman load and kind load image-archive
# all take it. Builds the .deb first when OUTDIR holds none. Exits 69
# when mmdebstrap cannot make the root (no mirror).
set -euo pipefail
. "$(dirname "$0")/common.sh"

PKG_OUT=${1:-$PKG_OUT}
mkdir -p "$PKG_OUT"
PKG_OUT=$(cd "$PKG_OUT" && pwd)
export KCD_PKG_OUT=$PKG_OUT
# The image's user: the one conf/kubernetes/statefulset.yaml runs as.
uid=65532
tag=$PKG_VERSION
archive=$PKG_OUT/kconsumerd-$PKG_VERSION.oci.tar

deb=$(pkg_deb_path) || {
	DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-nocheck} "$PKG_TOP/packaging/deb.sh" "$PKG_OUT"
	deb=$(pkg_deb_path)
}
work=$(mktemp -d "${TMPDIR:-/tmp}/kconsumerd-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

# The libraries the .deb depends on (its Depends, versions dropped).
mapfile -t libs < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
    sed 's/[(|].*//; s/ //g' | grep '^lib')
echo "image.sh: root with ${libs[*]}"
pkg_mmdebstrap --variant=extract --include="$(IFS=,; echo "${libs[*]}")" \
    --dpkgopt='path-exclude=/usr/share/doc/*' "$root" || {
	tail -n 20 "$root.log" >&2
	echo "image.sh: mmdebstrap could not make the root" >&2
	exit 69
}
dpkg-deb -x "$deb" "$root"

# Leave out what nothing runs: apt, documentation, the systemd units, the
# packaged conffile (the image reads the ConfigMap's YAML), the host's
# files mmdebstrap copied, device nodes (the runtime makes /dev).
rm -rf "${root:?}"/etc/apt "$root"/var/lib/apt "$root"/var/cache/apt \
    "${root:?}"/var/log/* "$root"/usr/share/doc "$root"/usr/share/man \
    "$root"/usr/share/info "$root"/usr/share/lintian "$root"/lib/systemd \
    "$root"/etc/kconsumerd/kconsumerd.conf "$root"/etc/hostname \
    "$root"/etc/resolv.conf "${root:?}"/dev/*
ldconfig -r "$root"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nkconsumerd:x:%s:%s:kconsumerd:/var/lib/kconsumerd:/usr/sbin/nologin\n' \
    "$uid" "$uid" >"$root/etc/passwd"
printf 'root:x:0:\nkconsumerd:x:%s:\n' "$uid" >"$root/etc/group"
"$PKG_TOP/packaging/configmap-yaml.sh" >"$root/etc/kconsumerd/kconsumerd.yaml" || {
	echo "image.sh: no kconsumerd.yaml in conf/kubernetes/configmap.yaml" >&2
	exit 1
}
chmod 0644 "$root/etc/kconsumerd/kconsumerd.yaml"
install -d -m 0750 -o "$uid" -g "$uid" "$root/var/lib/kconsumerd"
install -d -m 1777 "$root/tmp"
install -d "$root/proc" "$root/sys"

# Pack: one layer, then the configuration the StatefulSet relies on.
oci=$work/oci
umoci init --layout "$oci"
umoci new --image "$oci:$tag"
umoci unpack --image "$oci:$tag" "$work/bundle" >/dev/null
rm -rf "$work/bundle/rootfs"
mv "$root" "$work/bundle/rootfs"
umoci repack --image "$oci:$tag" "$work/bundle"
umoci config --image "$oci:$tag" --os linux --architecture "$(dpkg --print-architecture)" \
    --config.user "$uid:$uid" --config.workingdir /var/lib/kconsumerd \
    --config.env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    --config.entrypoint /usr/sbin/kconsumerd \
    --config.cmd -c --config.cmd /etc/kconsumerd/kconsumerd.yaml \
    --config.stopsignal SIGTERM --config.exposedports 9480/tcp \
    --config.label "org.opencontainers.image.title=kconsumerd" \
    --config.label "org.opencontainers.image.version=$PKG_VERSION" \
    --history.created_by "packaging/image.sh"
umoci gc --layout "$oci"

# Name it as docker save (25+) does: in index.json for containerd and
# podman, and in a Docker manifest.json for docker load.
manifest=$(jq -r --arg t "$tag" \
    '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
    "$oci/index.json")
blob() { echo "blobs/${1/://}"; }
jq --arg n "$PKG_IMAGE" '.manifests[0].annotations = {
    "io.containerd.image.name": ("docker.io/library/" + $n),
    "org.opencontainers.image.ref.name": $n }' "$oci/index.json" >"$work/index.json"
mv "$work/index.json" "$oci/index.json"
jq --arg n "$PKG_IMAGE" '[{ Config: ("blobs/" + (.config.digest | sub(":"; "/"))),
    RepoTags: [$n],
    Layers: [.layers[].digest | "blobs/" + sub(":"; "/")] }]' \
    "$oci/$(blob "$manifest")" >"$oci/manifest.json"
tar -C "$oci" --sort=name --owner=0 --group=0 --numeric-owner \
    -cf "$archive.tmp" oci-layout index.json manifest.json blobs
mv "$archive.tmp" "$archive"
echo "image.sh: built $PKG_IMAGE: $archive ($(du -h "$archive" | cut -f1))"
