#!/bin/bash
# t_image: the offline image archive (packaging/image.sh) is an OCI image
# layout and a Docker archive named kconsumerd:VERSION, the name
# conf/kubernetes/statefulset.yaml runs; its configuration runs
# kconsumerd -c /etc/kconsumerd/kconsumerd.yaml as a non-root user and
# stops it with SIGTERM; its root holds no shell, compiler, apt lists or
# docs. The entrypoint, run in a chroot of the unpacked layers as the
# image's user, answers -V and accepts the ConfigMap's configuration with
# -t. With KCD_LIVE_BOOTSTRAP (a running Kafka), it also consumes there
# with the StatefulSet's POD_NAME and joins as instance kconsumerd-0-0.
#
# Uses $KCD_PKG_OUT/kconsumerd-VERSION.oci.tar, built when missing;
# skips when mmdebstrap cannot make the image's root.

# Live mode of tests/lib.sh (topics and groups unique to the run).
KAFKA_BOOTSTRAP=${KCD_LIVE_BOOTSTRAP:-}
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/packaging/common.sh"

require_tools skopeo jq mmdebstrap umoci unshare
[ "$(id -u)" -eq 0 ] || skip_all "mmdebstrap and chroot need root"

archive=$PKG_OUT/kconsumerd-$PKG_VERSION.oci.tar
if [ ! -f "$archive" ]; then
	"$top_srcdir/packaging/image.sh" >"$T/image.out" 2>&1
	case $? in
	0) ;;
	69) skip_all "mmdebstrap could not make the image's root: $(tail -n 1 "$T/image.out")" ;;
	*) diag "$(tail -n 30 "$T/image.out")"; bail_out "packaging/image.sh failed" ;;
	esac
fi
size=$(stat -c %s "$archive")
diag "image archive: $archive ($size bytes)"

# Run CMD without its standard output: quietly CMD... (called through ok)
# shellcheck disable=SC2317
quietly() {
	"$@" >/dev/null
}

# ---------------------------------------------------------------- the archive
ok "skopeo reads the archive as an OCI archive" \
    quietly skopeo inspect "oci-archive:$archive"
ok "skopeo reads it as a Docker archive tagged $PKG_IMAGE (docker load)" \
    quietly skopeo inspect "docker-archive:$archive:$PKG_IMAGE"
X=$T/layout
mkdir "$X" && tar -C "$X" -xf "$archive"
is "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$X/index.json")" \
    "$PKG_IMAGE" "the OCI index names the image $PKG_IMAGE (podman load)"
is "$(jq -r '.manifests[0].annotations["io.containerd.image.name"]' "$X/index.json")" \
    "docker.io/library/$PKG_IMAGE" "and gives containerd (kind load) its full name"
if command -v podman >/dev/null; then
	# A private store, so the machine's images are left alone.
	printf '[storage]\ndriver = "vfs"\nrunroot = "%s"\ngraphroot = "%s"\n' \
	    "$T/podman/run" "$T/podman/graph" >"$T/storage.conf"
	CONTAINERS_STORAGE_CONF=$T/storage.conf podman load -q -i "$archive" >"$T/load.out" 2>&1
	like "$(cat "$T/load.out")" "Loaded image.*[:/]$PKG_IMAGE\$" "podman load takes the archive as $PKG_IMAGE"
else
	skip "podman is not installed: podman load not tried"
fi
image=$(sed -n 's/^ *image: *//p' "$top_srcdir/conf/kubernetes/statefulset.yaml")
is "$image" "$PKG_IMAGE" "the StatefulSet runs the image the build names"
cmp_ok "$size" -lt $((40 * 1024 * 1024)) "the archive is under 40 MiB"

# The image's configuration.
blob() { echo "$X/blobs/${1/://}"; }
manifest=$(blob "$(jq -r '.manifests[0].digest' "$X/index.json")")
config=$(blob "$(jq -r '.config.digest' "$manifest")")
is "$(jq -r '.config.Entrypoint + .config.Cmd | join(" ")' "$config")" \
    "/usr/sbin/kconsumerd -c /etc/kconsumerd/kconsumerd.yaml" \
    "the image runs kconsumerd -c /etc/kconsumerd/kconsumerd.yaml"
user=$(jq -r '.config.User' "$config")
like "$user" '^[1-9][0-9]*:[1-9][0-9]*$' "the image runs as a non-root user and group ($user)"
is "${user%%:*}" "$(sed -n 's/^ *runAsUser: *//p' "$top_srcdir/conf/kubernetes/statefulset.yaml")" \
    "the image's user is the StatefulSet's runAsUser"
is "$(jq -r '.config.StopSignal' "$config")" SIGTERM "the stop signal is SIGTERM"

# ---------------------------------------------------------------- its root
R=$T/rootfs
mkdir "$R"
for layer in $(jq -r '.layers[].digest' "$manifest"); do
	tar -C "$R" --numeric-owner -xzf "$(blob "$layer")" || fail "layer $layer unpacks"
done
for f in /bin/sh /bin/bash /usr/bin/dash /usr/bin/gcc /usr/bin/cc /usr/bin/apt \
    /usr/bin/dpkg /var/lib/apt/lists /usr/share/doc /usr/share/man; do
	ok "the image has no $f" test ! -e "$R$f" -a ! -L "$R$f"
done
if [ -x "$top_builddir/tests/yamlget" ]; then
	"$top_builddir/tests/yamlget" "$top_srcdir/conf/kubernetes/configmap.yaml" \
	    data/kconsumerd.yaml >"$T/configmap.yaml"
	ok "/etc/kconsumerd/kconsumerd.yaml is the ConfigMap's configuration" \
	    cmp "$T/configmap.yaml" "$R/etc/kconsumerd/kconsumerd.yaml"
else
	skip "tests/yamlget is not built (make check builds it)"
fi

# Set IMAGE_RUN to the command that runs the image's entrypoint as its
# user, with its environment plus VAR=VALUE..., in a chroot of the root:
# image_cmd [VAR=VALUE...] -- ARGS...
image_cmd() {
	local env=() entry=()
	mapfile -t env < <(jq -r '.config.Env[]' "$config")
	mapfile -t entry < <(jq -r '.config.Entrypoint[]' "$config")
	while [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	IMAGE_RUN=("${PKG_MOUNTED[@]}" "$R" env -i "${env[@]}" \
	    chroot --userspec="$user" "$R" "${entry[@]}" "$@")
}

# Run the image's entrypoint: image_run [VAR=VALUE...] -- ARGS...
image_run() {
	image_cmd "$@"
	"${IMAGE_RUN[@]}"
}

like "$(image_run -- -V 2>&1)" "^kconsumerd $PKG_VERSION " \
    "the entrypoint answers -V with version $PKG_VERSION"
image_run POD_NAME=kconsumerd-0 -- -t -c /etc/kconsumerd/kconsumerd.yaml \
    >"$T/t.out" 2>&1
is "$?" 0 "the entrypoint accepts the ConfigMap's configuration (-t, POD_NAME set)" ||
    diag "$(cat "$T/t.out")"

# ---------------------------------------------------------------- live
if [ -z "${KCD_LIVE_BOOTSTRAP:-}" ]; then
	skip "KCD_LIVE_BOOTSTRAP is not set: no real Kafka to consume from" 4
	done_testing
fi
if ! [ -x "$MOCKCLUSTER" ] || ! command -v "$KCAT" >/dev/null; then
	skip "the live consume needs kcat and tests/mockcluster (make check)" 4
	done_testing
fi
cluster_start orders:2 || bail_out "cannot create a topic on $KCD_LIVE_BOOTSTRAP"
ORDERS=$(topic orders)
# The ConfigMap's configuration, pointed at this cluster and topic, with
# one member (it owns every partition, whatever the assignor does with
# two); no HTTP port (the chroot shares the host's network).
sed -e "s|^\(  bootstrap.servers:\).*|\1 $BOOTSTRAP|" \
    -e 's|^consumers:.*|consumers: 1|' \
    -e "s|^\(  id:\).*|\1 $(group image)|" \
    -e "s|^topics:.*|topics: [$ORDERS]|" \
    -e '/^http:/,/^  listen:/d' \
    "$R/etc/kconsumerd/kconsumerd.yaml" >"$R/tmp/live.yaml"
chmod 0644 "$R/tmp/live.yaml"
image_cmd POD_NAME=kconsumerd-0 -- -c /tmp/live.yaml
proc_start image "$T/image.stdout" "$T/image.log" "${IMAGE_RUN[@]}"
ok "the image's kconsumerd joins as instance kconsumerd-0-0 (POD_NAME kconsumerd-0)" \
    wait_event "$T/image.log" \
    '.event == "assign" and .instance_id == "kconsumerd-0-0" and (.partitions | length) > 0' 60
# The ConfigMap leaves auto.offset.reset at librdkafka's "latest": produce
# once the members own the partitions.
# shellcheck disable=SC2016 # eval'd here
ok "10 messages are produced" eval 'produce "$ORDERS" 5 0 && produce "$ORDERS" 5 1'
ok "all 10 reach its file sink, /var/lib/kconsumerd/orders.jsonl" \
    wait_sink_count 10 30 "$R/var/lib/kconsumerd/orders.jsonl"
proc_stop image 30
is "$?" 0 "it stops cleanly on SIGTERM"
done_testing
