#!/usr/bin/env bash
# Builds capstan.local/k3s-fake:<tag>, a node image that behaves like rancher/k3s at
# the edges Capstan relies on (CLI, env, kubeconfig location, log line, nodes
# registering), from the real components of the test cluster build: Kubernetes
# 1.20.2 binaries (tests/cluster/cluster.sh build), Debian's etcd, busybox-static
# and openssl. No image can be pulled on these machines, so the rootfs is
# assembled here and imported with `docker import`.
#
# Idempotent: the tag is a hash of everything that goes into the image; an image
# with that tag already present is reused. Prints the image reference on stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_BIN="${CAPSTAN_K8S_BIN:-/root/.cache/capstan-k8s/bin}"
REPO=capstan.local/k3s-fake
log() { printf 'build-node-image: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

BINS=("$K8S_BIN/kube-apiserver" "$K8S_BIN/kube-controller-manager" "$K8S_BIN/kube-scheduler" "$K8S_BIN/kubelet"
  /usr/bin/etcd /usr/bin/etcdctl /usr/bin/openssl /bin/busybox)
for b in "${BINS[@]}"; do
  [ -x "$b" ] || die "missing $b (build the test cluster: bash tests/cluster/cluster.sh build; apt-get install etcd-server busybox-static openssl)"
done
# Tests build it from several threads at once: one build, the others reuse it.
exec 9>"${TMPDIR:-/tmp}/capstan-node-image.lock"
flock 9
docker info >/dev/null 2>&1 || die "Docker is not running: start it (see scripts/lib/setup.sh ensure_docker) or set DOCKER_HOST"

tag="$(cat "${BINS[@]}" "$HERE/node-image/entrypoint.sh" "$HERE/node-image/ctr.sh" "$HERE/build-node-image.sh" | sha256sum | cut -c1-12)"
image="$REPO:$tag"
if docker image inspect "$image" >/dev/null 2>&1; then
  log "$image already present"
  echo "$image"
  exit 0
fi

log "assembling the rootfs for $image"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib/ssl,etc/rancher/k3s,tmp,run,var/run,var/lib,var/log,output,root,proc,sys,dev}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet; do cp "$K8S_BIN/$b" "$root/usr/bin/$b"; done
cp /usr/bin/etcd /usr/bin/etcdctl /usr/bin/openssl "$root/usr/bin/"
# etcd and openssl are dynamically linked: bring their libraries along.
for lib in $(ldd /usr/bin/etcd /usr/bin/etcdctl /usr/bin/openssl | awk '/=>/ {print $3} $1 ~ /^\/.*[^:]$/ {print $1}' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[ -f /usr/lib/ssl/openssl.cnf ] && cp -L /usr/lib/ssl/openssl.cnf "$root/usr/lib/ssl/openssl.cnf"
cp "$HERE/node-image/entrypoint.sh" "$root/bin/k3s"
chmod 755 "$root/bin/k3s"
cp "$HERE/node-image/ctr.sh" "$root/usr/bin/ctr"
chmod 755 "$root/usr/bin/ctr"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# The same VOLUMEs and entry point as rancher/k3s, so Capstan's "remove with
# volumes" and command line are exercised as they would be against the real image.
tar -C "$root" -c . | docker import \
  -c 'ENTRYPOINT ["/bin/k3s"]' -c 'CMD ["agent"]' \
  -c 'ENV PATH=/usr/bin:/bin:/usr/sbin:/sbin' \
  -c 'VOLUME /var/lib/kubelet' -c 'VOLUME /var/lib/rancher/k3s' -c 'VOLUME /var/lib/cni' -c 'VOLUME /var/log' \
  -c "LABEL capstan.test-image=k3s-fake" \
  - "$image" >/dev/null
docker tag "$image" "$REPO:latest"
log "built $image"
echo "$image"
