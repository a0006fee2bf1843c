# kconsumerd's image, for machines with Docker (docker build -t
# kconsumerd:0.1.0 .). It is the image packaging/image.sh builds offline
# (./quickstart image): the Debian package on Debian bookworm, the
# ConfigMap's configuration (conf/kubernetes/configmap.yaml) as
# /etc/kconsumerd/kconsumerd.yaml, the StatefulSet's non-root user. See
# README "Install".

# Build: the .deb, from this tree, with the package's own rules.
FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential debhelper pkg-config \
      librdkafka-dev libconfig-dev libyaml-dev libsystemd-dev libmicrohttpd-dev
WORKDIR /src/kconsumerd
COPY . .
RUN DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b \
 && mv ../kconsumerd_*.deb /kconsumerd.deb \
 && packaging/configmap-yaml.sh >/kconsumerd.yaml

# Run: the package and its runtime libraries, no apt lists, no docs.
FROM debian:bookworm-slim
COPY --from=build /kconsumerd.deb /tmp/kconsumerd.deb
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      /tmp/kconsumerd.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/kconsumerd.deb /usr/share/doc/* \
      /usr/share/man/* /etc/kconsumerd/kconsumerd.conf \
 && groupadd -g 65532 kconsumerd \
 && useradd -u 65532 -g 65532 -d /var/lib/kconsumerd -s /usr/sbin/nologin kconsumerd \
 && install -d -m 0750 -o 65532 -g 65532 /var/lib/kconsumerd
COPY --from=build /kconsumerd.yaml /etc/kconsumerd/kconsumerd.yaml
USER 65532:65532
WORKDIR /var/lib/kconsumerd
EXPOSE 9480
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/sbin/kconsumerd"]
CMD ["-c", "/etc/kconsumerd/kconsumerd.yaml"]
