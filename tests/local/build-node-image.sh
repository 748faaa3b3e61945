#!/usr/bin/env bash
# Builds capstan.local/k3s-fake:<tag>, a node image that behaves like rancher/k3s at
# the edges Capstan relies on (CLI, env, kubeconfig location, log line, nodes
# registering), from real components: the test cluster build's Kubernetes
# binaries and etcd ($CAPSTAN_K8S_BIN, made by `bash tests/cluster/cluster.sh
# build`), Debian's containerd, runc and CNI plugins (the node's container
# runtime, as k3s embeds containerd), busybox-static and openssl. No image can
# be pulled on these machines, so the rootfs is assembled here and imported
# with `docker import`; the sandbox ("pause") image the node's containerd needs
# is made from busybox here too and stored in the node image.
#
# Idempotent: the tag is a hash of everything that goes into the image; an image
# with that tag already present is reused. Prints the image reference on stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_BIN="${CAPSTAN_K8S_BIN:-${CAPSTAN_K8S_CACHE:-$HOME/.cache/capstan-k8s}/bin}"
REPO=capstan.local/k3s-fake
# The sandbox image the node's containerd is configured with (entrypoint.sh).
PAUSE_IMAGE=capstan.local/pause:1
log() { printf 'build-node-image: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

K8S=(kube-apiserver kube-controller-manager kube-scheduler kubelet etcd etcdctl)
RUNTIME=(/usr/bin/containerd /usr/bin/containerd-shim-runc-v2 /usr/bin/ctr /usr/sbin/runc)
# Image archives k3s imports may be zstd, gzip or lz4 compressed (Debian's zstd reads all three).
TOOLS=(/usr/bin/openssl /usr/bin/zstd /bin/busybox)
CNI=(bridge host-local portmap loopback)
for b in "${K8S[@]}"; do
  [ -x "$K8S_BIN/$b" ] || die "missing $K8S_BIN/$b: build the test cluster's binaries first (bash tests/cluster/cluster.sh build), or point CAPSTAN_K8S_BIN at them"
done
for b in "${RUNTIME[@]}"; do
  [ -x "$b" ] || die "missing $b (apt-get install containerd runc)"
done
for b in "${CNI[@]}"; do
  [ -x "/usr/lib/cni/$b" ] || die "missing /usr/lib/cni/$b (apt-get install containernetworking-plugins)"
done
for b in "${TOOLS[@]}"; do
  [ -x "$b" ] || die "missing $b (apt-get install busybox-static openssl zstd)"
done
command -v jq >/dev/null || die "missing jq (apt-get install jq)"
# The kubelet's configuration here (containerRuntimeEndpoint, failCgroupV1)
# needs 1.31 or newer; an older build in the cache is stale.
version="$("$K8S_BIN/kubelet" --version | awk '{print $2}')"
minor="${version#v1.}"
minor="${minor%%.*}"
[ "$minor" -ge 31 ] 2>/dev/null ||
  die "$K8S_BIN/kubelet is ${version:-of no known version}, older than the node image needs (1.31+): rebuild with bash tests/cluster/cluster.sh build"
for b in kube-apiserver kube-controller-manager kube-scheduler; do
  [ "$("$K8S_BIN/$b" --version | awk '{print $2}')" = "$version" ] ||
    die "$K8S_BIN/$b is not at the kubelet's version $version: rebuild with bash tests/cluster/cluster.sh build"
done
BINS=("${K8S[@]/#/$K8S_BIN/}" "${RUNTIME[@]}" "${CNI[@]/#//usr/lib/cni/}" "${TOOLS[@]}")

# Tests build it from several threads at once: one build, the others reuse it.
exec 9>"${TMPDIR:-/tmp}/capstan-node-image.lock"
flock 9
docker info >/dev/null 2>&1 || die "Docker is not running: start it (see scripts/lib/setup.sh ensure_docker) or set DOCKER_HOST"

tag="$(cat "${BINS[@]}" "$HERE/node-image/entrypoint.sh" "$HERE/build-node-image.sh" | sha256sum | cut -c1-12)"
image="$REPO:$tag"
if docker image inspect "$image" >/dev/null 2>&1; then
  log "$image already present"
  echo "$image"
  exit 0
fi

log "assembling the rootfs for $image"
root="$(mktemp -d)"
trap 'rm -rf "$root" "$root.pause"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib/ssl,usr/lib/cni,usr/share/k3s-fake,etc/rancher/k3s,tmp,run,var/run,var/lib,var/log,output,root,proc,sys,dev}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
for b in "${K8S[@]}"; do cp "$K8S_BIN/$b" "$root/usr/bin/$b"; done
cp /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 /usr/bin/ctr /usr/bin/openssl /usr/bin/zstd "$root/usr/bin/"
cp /usr/sbin/runc "$root/usr/sbin/runc"
for b in "${CNI[@]}"; do cp "/usr/lib/cni/$b" "$root/usr/lib/cni/$b"; done
# The Debian binaries are dynamically linked: bring their libraries along
# (the Kubernetes binaries and etcd are static Go builds).
dyn=(/usr/bin/openssl /usr/bin/zstd "${RUNTIME[@]}" "${CNI[@]/#//usr/lib/cni/}")
for lib in $(ldd "${dyn[@]}" 2>/dev/null | awk '/=>/ {print $3} $1 ~ /^\/.*[^:]$/ {print $1}' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[ -f /usr/lib/ssl/openssl.cnf ] && cp -L /usr/lib/ssl/openssl.cnf "$root/usr/lib/ssl/openssl.cnf"
# What `k3s --version` prints before "+k3s-fake", e.g. v1.35.4.
echo "$version" >"$root/usr/share/k3s-fake/version"
cp "$HERE/node-image/entrypoint.sh" "$root/bin/k3s"
chmod 755 "$root/bin/k3s"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# The sandbox image, as a `docker save` archive the node imports into its
# containerd at every start: busybox and a PID 1 that waits for SIGTERM.
pause="$root.pause"
mkdir -p "$pause/rootfs/bin" "$pause/archive"
cp /bin/busybox "$pause/rootfs/bin/busybox"
ln -s busybox "$pause/rootfs/bin/sh"
ln -s busybox "$pause/rootfs/bin/sleep"
cat >"$pause/rootfs/bin/pause" <<'EOF'
#!/bin/sh
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
EOF
chmod 755 "$pause/rootfs/bin/pause"
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$pause/rootfs" -cf "$pause/layer.tar" .
diff="$(sha256sum "$pause/layer.tar" | cut -d' ' -f1)"
mkdir -p "$pause/archive/$diff"
mv "$pause/layer.tar" "$pause/archive/$diff/layer.tar"
jq -cn --arg diff "sha256:$diff" \
  '{architecture: "amd64", os: "linux", config: {Entrypoint: ["/bin/pause"], Env: ["PATH=/bin"]},
    rootfs: {type: "layers", diff_ids: [$diff]}}' >"$pause/config.json"
cfg="$(sha256sum "$pause/config.json" | cut -d' ' -f1)"
mv "$pause/config.json" "$pause/archive/$cfg.json"
jq -cn --arg cfg "$cfg.json" --arg ref "$PAUSE_IMAGE" --arg layer "$diff/layer.tar" \
  '[{Config: $cfg, RepoTags: [$ref], Layers: [$layer]}]' >"$pause/archive/manifest.json"
tar -C "$pause/archive" -cf "$root/usr/share/k3s-fake/pause.tar" manifest.json "$cfg.json" "$diff/layer.tar"
rm -rf "$pause"

# The same VOLUMEs and entry point as rancher/k3s, so Capstan's "remove with
# volumes" and command line are exercised as they would be against the real image.
# CONTAINERD_ADDRESS: `ctr` in `docker exec` talks to the node's containerd, as
# k3s's bundled ctr does by default.
tar -C "$root" -c . | docker import \
  -c 'ENTRYPOINT ["/bin/k3s"]' -c 'CMD ["agent"]' \
  -c 'ENV PATH=/usr/bin:/bin:/usr/sbin:/sbin' \
  -c 'ENV CONTAINERD_ADDRESS=/run/k3s/containerd/containerd.sock' \
  -c 'VOLUME /var/lib/kubelet' -c 'VOLUME /var/lib/rancher/k3s' -c 'VOLUME /var/lib/cni' -c 'VOLUME /var/log' \
  -c "LABEL capstan.test-image=k3s-fake" \
  - "$image" >/dev/null
docker tag "$image" "$REPO:latest"
log "built $image"
echo "$image"
