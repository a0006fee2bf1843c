#!/bin/bash
# t_image: the offline image archive (packaging/image.sh) is an OCI image
# layout and a Docker archive named kconsumerd:VERSION, the name
# conf/kubernetes/statefulset.yaml runs; its configuration runs
# kconsumerd -c /etc/kconsumerd/kconsumerd.yaml as a non-root user and
# stops it with SIGTERM; its root holds no shell, compiler, apt lists or
# docs. Under podman (runc, packaging/containers.conf): --version, the
# configuration refused without POD_NAME (78) and accepted with it, the
# demo to its summary, and a run with the StatefulSet's security settings
# (read-only root, no capabilities, its uid) answering /healthz, /readyz,
# /metrics, then SIGTERM to exit 0 within its grace period. The entrypoint,
# run in a chroot of the unpacked layers as the
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

# ---------------------------------------------------------------- podman
# The image under a real runtime: podman (runc, packaging/containers.conf)
# with a private store, so the machine's images are left alone; no
# network (--network none): its HTTP port is asked from inside the
# container's network namespace, on its loopback.
if ! command -v podman >/dev/null; then
	[ "${KCD_REQUIRE_LIVE:-0}" = 1 ] &&
	    bail_out "podman is not installed (./quickstart deps image) and KCD_REQUIRE_LIVE=1"
	skip "podman is not installed: the image was not run under podman" 16
else
	printf '[storage]\ndriver = "vfs"\nrunroot = "%s"\ngraphroot = "%s"\n' \
	    "$T/podman/run" "$T/podman/graph" >"$T/storage.conf"
	export CONTAINERS_STORAGE_CONF=$T/storage.conf
	export CONTAINERS_CONF=$top_srcdir/packaging/containers.conf
	# Remove the containers and the store on any exit (the status kept
	# for lib_cleanup).
	podman_cleanup() {
		local st=$?
		podman rm -f -a >/dev/null 2>&1
		podman rmi -a -f >/dev/null 2>&1
		rm -rf "$T/podman" 2>/dev/null
		return "$st"
	}
	trap 'podman_cleanup; lib_cleanup' EXIT
	podman load -q -i "$archive" >"$T/load.out" 2>&1
	like "$(cat "$T/load.out")" "Loaded image.*[:/]$PKG_IMAGE\$" "podman load takes the archive as $PKG_IMAGE"
	like "$(podman run --rm --network none "$PKG_IMAGE" --version 2>&1)" \
	    "^kconsumerd $PKG_VERSION " "podman run $PKG_IMAGE --version answers $PKG_VERSION"
	podman run --rm --network none "$PKG_IMAGE" >"$T/nopod.out" 2>&1
	is "$?" 78 "without POD_NAME the image's configuration is refused (exit 78, EX_CONFIG)"
	like "$(cat "$T/nopod.out")" "POD_NAME is not set" "and the error names POD_NAME"
	podman run --rm --network none -e POD_NAME=kconsumerd-0 "$PKG_IMAGE" \
	    -t -c /etc/kconsumerd/kconsumerd.yaml >"$T/pod.out" 2>&1
	is "$?" 0 "with POD_NAME, -t accepts the image's configuration" || diag "$(cat "$T/pod.out")"
	start=$SECONDS
	podman run --rm --network none "$PKG_IMAGE" --demo >"$T/demo.out" 2>&1
	is "$?" 0 "the demo runs in the container as its user and exits 0 ($((SECONDS - start)) s)"
	OUT=$(cat "$T/demo.out")
	like "$OUT" "Summary: protocol [A-Z]+, .*6 partitions" "the demo prints its summary"
	like "$OUT" "[0-9]+ \\+ [0-9]+ = [0-9]+: every record is accounted for" \
	    "and its records add up" || diag "$(tail -n 20 "$T/demo.out")"
	# The StatefulSet's security settings: read-only root, every
	# capability dropped, no privilege escalation, its uid and group, its
	# data volume (a folder of the run, as a persistent volume would be).
	read -r ss_uid ss_gid < <(sed -n 's/^ *runAsUser: *//p; s/^ *runAsGroup: *//p' \
	    "$top_srcdir/conf/kubernetes/statefulset.yaml" | tr '\n' ' ')
	grace=$(sed -n 's/^ *terminationGracePeriodSeconds: *//p' "$top_srcdir/conf/kubernetes/statefulset.yaml")
	install -d -o "$ss_uid" -g "$ss_gid" "$T/data"
	podman run -d --name kcd-secure --network none --read-only --cap-drop ALL \
	    --security-opt no-new-privileges --user "$ss_uid:$ss_gid" \
	    -v "$T/data:/var/lib/kconsumerd" -e POD_NAME=kconsumerd-0 "$PKG_IMAGE" \
	    >"$T/secure.id" 2>"$T/secure.err"
	is "$?" 0 "it starts with a read-only root, no capabilities, uid $ss_uid (the StatefulSet's)" ||
	    diag "$(cat "$T/secure.err")"
	pid=$(podman inspect -f '{{.State.Pid}}' kcd-secure 2>/dev/null)
	# Print the HTTP status of PATH on the container's port 9480.
	http_code() {
		nsenter -t "$pid" -n curl -s -o /dev/null -w '%{http_code}' \
		    "http://127.0.0.1:9480$1" 2>/dev/null
	}
	# True when /healthz answers 200.
	healthz_ok() {
		[ "$(http_code /healthz)" = 200 ]
	}
	ok "/healthz answers 200" wait_until 30 healthz_ok
	is "$(http_code /readyz)" 503 "/readyz answers 503 (no Kafka: not in the group)"
	is "$(http_code /metrics)" 200 "/metrics answers 200"
	start_ms=$(now_ms)
	podman stop -t "$grace" kcd-secure >/dev/null 2>&1
	stop_ms=$(($(now_ms) - start_ms))
	is "$(podman inspect -f '{{.State.ExitCode}}' kcd-secure 2>/dev/null)" 0 \
	    "SIGTERM (podman stop) ends it with exit 0"
	cmp_ok "$stop_ms" -lt $((grace * 1000)) \
	    "within terminationGracePeriodSeconds ($stop_ms ms < $grace s)"
	podman rm -f kcd-secure >/dev/null 2>&1
fi

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
