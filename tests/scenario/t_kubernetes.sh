#!/bin/bash
# t_kubernetes: the manifests in conf/kubernetes parse as YAML, the
# ConfigMap's configuration passes kconsumerd -t with the pod name the
# StatefulSet gives it, and the pieces fit: POD_NAME from the downward API,
# probes on /healthz and /readyz at the port http.listen serves, a grace
# period above the longest clean stop -t prints (shutdown.timeout_ms and
# the client's destroy) and above a clean stop measured on the mock
# cluster with the ConfigMap's configuration, a headless Service the
# StatefulSet names; a Deployment's generated pod name in the instance id
# is warned about.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

YAMLGET=$top_builddir/tests/yamlget
K=$top_srcdir/conf/kubernetes
require_tools "$YAMLGET"

# Print the scalar at PATH of a manifest: get FILE PATH.
get() {
	"$YAMLGET" "$K/$1" "$2"
}

for f in configmap.yaml statefulset.yaml service.yaml kustomization.yaml; do
	ok "$f parses as YAML" "$YAMLGET" "$K/$f"
done
is "$(get configmap.yaml kind) $(get statefulset.yaml kind) $(get service.yaml kind)" \
    "ConfigMap StatefulSet Service" "the manifests are a ConfigMap, a StatefulSet and a Service"

get configmap.yaml data/kconsumerd.yaml >"$T/kconsumerd.yaml"
# -t checks that the sink file can be created: the pod's
# /var/lib/kconsumerd (the image makes it) stands in as $T here.
sed "s|/var/lib/kconsumerd/|$T/|" "$T/kconsumerd.yaml" >"$T/here.yaml"
POD_NAME=kconsumerd-0 "$KCONSUMERD" -t -c "$T/here.yaml" >"$T/t.out" 2>"$T/t.err"
is "$?" 0 "the ConfigMap's configuration passes kconsumerd -t" ||
    diag "$(cat "$T/t.err")"
POD_NAME=kconsumerd-0 "$KCONSUMERD" -p -c "$T/kconsumerd.yaml" >"$T/p.out" 2>&1
like "$(grep '^group.instance_id' "$T/p.out")" '"\$\{POD_NAME\}-%i"' \
    "its instance id is the pod name and the consumer index"
env -u POD_NAME "$KCONSUMERD" -t -c "$T/kconsumerd.yaml" 2>"$T/nopod.err"
is "$?" 78 "without POD_NAME the configuration is refused (exit 78)"

C=spec/template/spec/containers/0
is "$(get statefulset.yaml $C/env/0/name)=$(get statefulset.yaml $C/env/0/valueFrom/fieldRef/fieldPath)" \
    "POD_NAME=metadata.name" "POD_NAME comes from the downward API"
is "$(get statefulset.yaml $C/livenessProbe/httpGet/path)" /healthz \
    "the liveness probe asks /healthz"
is "$(get statefulset.yaml $C/readinessProbe/httpGet/path)" /readyz \
    "the readiness probe asks /readyz"
listen=$(sed -n 's/^http.listen = "\(.*\)"$/\1/p' "$T/p.out")
is "$(get statefulset.yaml $C/ports/0/containerPort)" "${listen##*:}" \
    "the container port is the one http.listen ($listen) serves"
timeout_ms=$(sed -n 's/^shutdown.timeout_ms = //p' "$T/p.out")
grace=$(get statefulset.yaml spec/template/spec/terminationGracePeriodSeconds)
cmp_ok "$((grace * 1000))" -gt "$timeout_ms" \
    "terminationGracePeriodSeconds ($grace s) is above shutdown.timeout_ms ($timeout_ms ms)"
is "$(get service.yaml spec/clusterIP)" None "the Service is headless"
is "$(get statefulset.yaml spec/serviceName)" "$(get service.yaml metadata/name)" \
    "the StatefulSet names the headless Service"
is "$(get statefulset.yaml spec/template/spec/volumes/0/configMap/name)" \
    "$(get configmap.yaml metadata/name)" "the StatefulSet mounts the ConfigMap"

is "$(get statefulset.yaml spec/template/spec/volumes/1/secret/secretName)" \
    kconsumerd-kafka "the StatefulSet mounts the Secret kconsumerd-kafka"
is "$(get statefulset.yaml $C/volumeMounts/2/name):$(get statefulset.yaml $C/volumeMounts/2/mountPath)" \
    "kafka-secret:/run/secrets/kafka" "at /run/secrets/kafka"
# the ConfigMap's secured lines uncommented, the Secret's files in $T
mkdir -p "$T/secret"
echo "k8s-secret-$$" >"$T/secret/password"
echo "ca" >"$T/secret/ca.pem"
sed -e 's|^\(  \)# \([a-z]*\.[a-z.]*: \)|\1\2|' -e "s|/run/secrets/kafka|$T/secret|" \
    "$T/here.yaml" >"$T/secured.yaml"
is "$(grep -cE '^  (security.protocol: SASL_SSL|sasl.password: "@file:)' "$T/secured.yaml")" 2 \
    "the ConfigMap's secured lines, uncommented, read the password from the Secret"
POD_NAME=kconsumerd-0 "$KCONSUMERD" -t -c "$T/secured.yaml" >"$T/secured.out" 2>&1
is "$?" 0 "with them uncommented and the Secret's files there, it passes -t" ||
    diag "$(cat "$T/secured.out")"
POD_NAME=kconsumerd-0 "$KCONSUMERD" -p -c "$T/secured.yaml" 2>&1 |
    grep -c "k8s-secret-$$" >"$T/leak.count"
is "$(cat "$T/leak.count")" 0 "-p does not show the Secret's password"

# The longest clean stop, as -t prints it, against the grace period.
bound=$(sed -n 's/^a clean stop takes at most \([0-9]*\) ms .*/\1/p' "$T/t.out")
is "$bound" "$((timeout_ms + 1000))" \
    "-t prints the longest clean stop: shutdown.timeout_ms plus 1 s for the client's destroy"
cmp_ok "$((grace * 1000))" -gt "${bound:-999999999}" \
    "terminationGracePeriodSeconds ($grace s) is above that ($bound ms)"
session=$(sed -n 's/^group.session_timeout_ms = //p' "$T/p.out")
like "$(cat "$T/t.out")" "restart within $((session / 1000)) s: .* back without a rebalance" \
    "-t: a pod restarted within the session timeout gets its partitions back without a rebalance"
like "$(cat "$T/t.out")" "clean stop: up to $((session / 1000)) s .*does not leave the group" \
    "-t: a clean stop of a static member leaves its partitions waiting for the session"
nok "the StatefulSet's pod name draws no warning" grep -q warning "$T/t.err"
POD_NAME=kconsumerd-7d9f8b6c4-xk2p4 "$KCONSUMERD" -t -c "$T/here.yaml" >/dev/null 2>"$T/deploy.err"
is "$?" 0 "a Deployment's pod name still passes -t"
like "$(cat "$T/deploy.err")" "here.yaml:[0-9]+: warning: group.instance_id resolves to 'kconsumerd-7d9f8b6c4-xk2p4-0', whose '-7d9f8b6c4-xk2p4' looks like a Kubernetes Deployment's generated pod name" \
    "but is warned about at the instance id's line: each new pod would be a new static member"

# A clean stop measured: the ConfigMap's configuration on the mock
# cluster (its brokers, topic, sink and HTTP address replaced; the session
# timeout 10 s: the mock makes a later join wait the session timeout),
# SIGTERM once both members are assigned.
if [ -x "$MOCKCLUSTER" ] && command -v "$KCAT" >/dev/null && command -v jq >/dev/null; then
	ok "the mock cluster starts with topic orders (4 partitions)" cluster_start -b 1 orders:4
	ok "40 messages are produced" produce "$(topic orders)" 40
	sed -e "s|^  bootstrap.servers: .*|  bootstrap.servers: $BOOTSTRAP|" \
	    -e "s|^topics: .*|topics: [$(topic orders)]|" \
	    -e "s|^  id: .*|  id: $(group k8s)|" \
	    -e 's|^  session_timeout_ms: .*|  session_timeout_ms: 10000|' \
	    -e 's|^  listen: .*|  listen: "127.0.0.1:0"|' "$T/here.yaml" >"$T/mock.yaml"
	export POD_NAME=kconsumerd-0
	kc_start pod "$T/mock.yaml"
	ok "both members of the pod are assigned" \
	    wait_event "$(kc_log pod)" '.event == "assign"' 30 2
	ok "every message reaches the sink" wait_sink_count 40 30 "$T/orders.jsonl"
	t0=$(now_ms)
	kc_stop pod 60
	is "$?" 0 "the pod's kconsumerd stops cleanly on SIGTERM"
	took=$(($(now_ms) - t0))
	diag "clean stop: $took ms (bound $bound ms, grace $((grace * 1000)) ms)"
	cmp_ok "$took" -lt "${bound:-0}" "the clean stop ($took ms) stays under the bound -t prints"
	cmp_ok "$((grace * 1000))" -gt "$((timeout_ms + took))" \
	    "terminationGracePeriodSeconds is above shutdown.timeout_ms plus the measured stop"
else
	skip "needs the mock cluster, kcat and jq" 7
fi

printf 'a: [1, 2\n' >"$T/broken.yaml"
nok "the checker rejects a file that is not YAML" "$YAMLGET" "$T/broken.yaml"
done_testing
