#!/bin/sh
# packaging/configmap-yaml.sh [CONFIGMAP]: print the kconsumerd.yaml the
# ConfigMap (default conf/kubernetes/configmap.yaml) holds, de-indented:
# the image's /etc/kconsumerd/kconsumerd.yaml (packaging/image.sh, the
# Dockerfile). Fails when there is none.
set -eu
awk '/^  kconsumerd\.yaml: \|$/ { on = 1; next }
    on && /^    / { print substr($0, 5); n++; next }
    on && /^ *$/ { print ""; next }
    on { exit }
    END { exit !n }' "${1:-$(dirname "$0")/../conf/kubernetes/configmap.yaml}"
