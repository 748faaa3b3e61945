#!/usr/bin/env bash
# The real Kubernetes test cluster: Kubernetes built from the k8s.io/kubernetes
# Go module (version pinned in gomod/kubernetes/go.mod), etcd built from its
# module, containerd, runc and the CNI plugins from Debian, one node in a
# network namespace of its own; metrics-server beside it, helm and kwok built
# for the tests that need them. See tests/cluster/README.md.
#
# Usage: cluster.sh deps|build|up|down|status|env|seed|restart-apiserver|
#                   pause-apiserver SECONDS|compact-etcd|kill-container NS POD [CONTAINER]|
#                   seed-pending N [NS]|cordon|uncordon
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${CAPSTAN_K8S_CACHE:-$HOME/.cache/capstan-k8s}"
STATE="${CAPSTAN_K8S_STATE:-/var/tmp/capstan-k8s}"
BIN="$CACHE/bin"
GOMOD="$HERE/gomod"

# Addresses: a /30 on a veth pair that exists only inside this machine.
NETNS_NAME=capstan-k8s
VETH_HOST=capk8s-host
VETH_NODE=capk8s-node
HOST_IP=10.233.254.1
NODE_IP=10.233.254.2
POD_CIDR=10.233.253.0/24
SERVICE_CIDR=10.233.0.0/24
KUBERNETES_SVC_IP=10.233.0.1
API_PORT="${CAPSTAN_K8S_API_PORT:-16443}"
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800
KUBELET_PORT=10250
METRICS_PORT=24443
NODE_NAME=capstan-node
BUSYBOX_IMAGE=capstan.local/busybox:1
PAUSE_IMAGE=capstan.local/pause:1

log() { printf '\033[1;34m[cluster]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[cluster] %s\033[0m\n' "$*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "this needs root (network namespace, containerd, kubelet)"; }

# The kubectl built with the cluster, at the server's version.
kubectl_bin() {
  [ -x "$BIN/kubectl" ] || die "no kubectl in $BIN: run $0 build"
  echo "$BIN/kubectl"
}
kc() { "$(kubectl_bin)" --kubeconfig "$STATE/admin.kubeconfig" --request-timeout=20s "$@"; }

# ---------------------------------------------------------------- deps
DEB_PACKAGES=(containerd runc containernetworking-plugins iptables jq socat openssl iproute2
  busybox-static util-linux procps curl)
GO_MIN_MINOR=25

cmd_deps() {
  need_root
  local missing=() p
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  go_bin >/dev/null
}

# The Go toolchain that builds the cluster: `go` on PATH or /usr/local/go, at
# least 1.$GO_MIN_MINOR (what k8s.io/kubernetes requires). Debian's golang-go
# is older, so it is not installed for you.
go_bin() {
  local g v
  for g in "${CAPSTAN_GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
    [ -n "$g" ] && [ -x "$g" ] || continue
    v="$("$g" env GOVERSION 2>/dev/null)" || continue
    v="${v#go1.}"
    [ "${v%%.*}" -ge "$GO_MIN_MINOR" ] 2>/dev/null && { echo "$g"; return 0; }
  done
  die "Go 1.$GO_MIN_MINOR or newer is needed to build the test cluster: install it (https://go.dev/doc/install) or set CAPSTAN_GO to its go binary"
}

# ---------------------------------------------------------------- build
# Each tool is a Go module of ours under gomod/ that requires the real one and
# names its commands with `tool` directives; its binaries are rebuilt when its
# go.mod, go.sum or this recipe changes.
BUILD_RECIPE=2
K8S_TOOLS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl)

module_version() { # module-dir module-path: the version our go.mod requires
  awk -v m="$2" '$1 == "require" && $2 == m {print $3} $1 == m && $2 ~ /^v/ {print $2}' "$GOMOD/$1/go.mod" | head -n1
}

k8s_ldflags() {
  local v minor
  v="$(module_version kubernetes k8s.io/kubernetes)"
  minor="${v#v1.}"
  minor="${minor%%.*}"
  local p f out="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    for f in "gitVersion=$v" gitMajor=1 "gitMinor=$minor" gitTreeState=clean; do out="$out -X $p.$f"; done
  done
  echo "$out"
}

# build_module DIR LDFLAGS NAME=PACKAGE...: go build each package to $BIN/NAME.
build_module() {
  local dir="$1" ldflags="$2"
  shift 2
  local stamp want pair names=()
  want="$(cat "$GOMOD/$dir/go.mod" "$GOMOD/$dir/go.sum" | sha256sum | cut -c1-16) $BUILD_RECIPE $ldflags"
  stamp="$BIN/.stamp-$dir"
  for pair in "$@"; do names+=("${pair%%=*}"); done
  # The stamp also records each binary's size and time, so a binary that
  # something else replaced is built again.
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want $(binaries_id "${names[@]}")" ]; then
    return 0
  fi
  local go t0=$SECONDS
  go="$(go_bin)"
  log "building ${names[*]} from gomod/$dir (cold: minutes)"
  mkdir -p "$BIN" "$CACHE/gomod" "$CACHE/go-build"
  for pair in "$@"; do
    (
      cd "$GOMOD/$dir"
      GOMODCACHE="$CACHE/gomod" GOCACHE="$CACHE/go-build" GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0 \
        "$go" build -trimpath -ldflags "$ldflags" -o "$BIN/${pair%%=*}.new" "${pair#*=}"
    ) >>"$CACHE/build-$dir.log" 2>&1 || { tail -n 40 "$CACHE/build-$dir.log" >&2; die "building ${pair%%=*} failed (log: $CACHE/build-$dir.log)"; }
    mv "$BIN/${pair%%=*}.new" "$BIN/${pair%%=*}"
  done
  echo "$want $(binaries_id "${names[@]}")" >"$stamp"
  log "built ${names[*]} in $((SECONDS - t0)) s"
}

binaries_id() { # name...: size and modification time of each binary in $BIN
  local n
  for n in "$@"; do stat -c '%s:%Y' "$BIN/$n" 2>/dev/null || echo missing; done | tr '\n' ' '
}

cmd_build() {
  local t0=$SECONDS pairs=() t
  for t in "${K8S_TOOLS[@]}"; do pairs+=("$t=k8s.io/kubernetes/cmd/$t"); done
  build_module kubernetes "$(k8s_ldflags)" "${pairs[@]}"
  build_module etcd "-s -w" etcd=./cmd/etcd etcdctl=go.etcd.io/etcd/etcdctl/v3
  build_module metrics-server "-s -w" metrics-server=sigs.k8s.io/metrics-server/cmd/metrics-server
  build_module helm "-s -w -X helm.sh/helm/v4/internal/version.version=$(module_version helm helm.sh/helm/v4)" \
    helm=helm.sh/helm/v4/cmd/helm
  build_module kwok "-s -w" kwok=sigs.k8s.io/kwok/cmd/kwok
  build_module echo "-s -w" echo-server=.
  log "binaries ready in $BIN ($((SECONDS - t0)) s)"
}

# ---------------------------------------------------------------- helpers
RUN="$STATE/run"
LOGS="$STATE/log"
PKI="$STATE/pki"
ETCD_DIR="${CAPSTAN_K8S_ETCD_DIR:-/dev/shm/capstan-k8s-etcd}"   # tmpfs: fsync is free
NETNS_PATH="/run/netns/$NETNS_NAME"
CGROUP_PARENT=/capstan-k8s
SERVER_URL="https://127.0.0.1:$API_PORT"
# Start/stop order; `down` stops in reverse.
COMPONENTS=(etcd kube-apiserver relay containerd kube-controller-manager kube-scheduler kubelet metrics-server)
CONTAINERD_DIR="$STATE/containerd"
CONTAINERD_SOCK="$CONTAINERD_DIR/containerd.sock"

# containerd's own CLI against the cluster's containerd, in the CRI namespace.
nctr() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

starttime() { # the kernel's start time of a process: tells a recycled pid apart
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $stat
  echo "${20}"
}

pid_of() { # prints the pid of a component we started, if it still runs
  local f="$RUN/$1.pid" pid started now
  [ -f "$f" ] || return 1
  read -r pid started <"$f" || true
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  now="$(starttime "$pid")" || return 1
  [ "$now" = "$started" ] || return 1
  echo "$pid"
}

# Runs a component detached in its own session (pgid == pid), logs in $LOGS.
start_bg() {
  local name="$1"; shift
  mkdir -p "$RUN" "$LOGS"
  printf '\n==== %s start %s\n' "$name" "$(date -Is)" >>"$LOGS/$name.log"
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  local pid=$!
  echo "$pid $(starttime "$pid")" >"$RUN/$name.pid"
}

# Stops a component and its process group: SIGCONT (it may be paused), SIGTERM,
# then SIGKILL after a grace period.
stop_bg() {
  local name="$1" grace="${2:-15}" pid i
  pid="$(pid_of "$name")" || { rm -f "$RUN/$name.pid"; return 0; }
  kill -CONT -- "-$pid" 2>/dev/null || kill -CONT "$pid" 2>/dev/null || true
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
  rm -f "$RUN/$name.pid"
}

# wait_for TIMEOUT_SECONDS DESCRIPTION COMMAND...: polls until COMMAND succeeds.
wait_for() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

api_ready() {
  curl -sf --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "$SERVER_URL/readyz" >/dev/null
}
etcd_ready() { curl -sf --max-time 3 "http://127.0.0.1:$ETCD_CLIENT_PORT/health" | grep -q '"health":"true"'; }
node_ready() {
  [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

with_lock() { # serialises up/down/build across concurrent callers (test binaries)
  mkdir -p "$(dirname "$STATE")"
  exec 9>"$STATE.lock"
  flock -w 900 9 || die "could not take $STATE.lock within 15 min"
}

# ---------------------------------------------------------------- certificates
sign() { # name subject ext-lines...: key + certificate signed by the cluster CA
  local name="$1" subj="$2"; shift 2
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$name.key" 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" "$@" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

kubeconfig() { # file user: kubeconfig with embedded CA; the user part is passed as lines
  local file="$1" user="$2" userlines="$3"
  cat >"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: capstan-test
  cluster:
    server: ${4:-$SERVER_URL}
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $user
  user:
$userlines
contexts:
- name: $user@capstan-test
  context:
    cluster: capstan-test
    user: $user
    namespace: ${5:-default}
current-context: $user@capstan-test
EOF
  chmod 600 "$file.tmp"
  mv "$file.tmp" "$file"
}

cert_user() { # kubeconfig user lines for a client certificate
  printf '    client-certificate-data: %s\n    client-key-data: %s' \
    "$(base64 -w0 <"$PKI/$1.crt")" "$(base64 -w0 <"$PKI/$1.key")"
}

make_pki() {
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  if [ ! -s "$PKI/ca.crt" ] || ! openssl x509 -checkend 86400 -noout -in "$PKI/apiserver.crt" >/dev/null 2>&1 ||
    ! openssl x509 -noout -text -in "$PKI/apiserver.crt" | grep -q "IP Address:$HOST_IP" || [ ! -s "$PKI/metrics-server-serving.crt" ]; then
    log "generating certificates in $PKI"
    rm -f "$PKI"/*
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=capstan-test-ca" -days 3650 -sha256 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -out "$PKI/ca.crt" 2>/dev/null
    sign apiserver "/CN=kube-apiserver" "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,IP:$HOST_IP,IP:$KUBERNETES_SVC_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    sign admin "/O=system:masters/CN=capstan-admin" "extendedKeyUsage=clientAuth"
    sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
    sign controller-manager "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
    sign scheduler "/CN=system:kube-scheduler" "extendedKeyUsage=clientAuth"
    sign kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "extendedKeyUsage=clientAuth"
    sign kubelet-serving "/CN=$NODE_NAME" "extendedKeyUsage=serverAuth" "subjectAltName=IP:$NODE_IP,DNS:$NODE_NAME"
    # The aggregation layer: the API server proxies metrics.k8s.io to
    # metrics-server as front-proxy-client (allowed by name), which
    # metrics-server checks against the requestheader CA it reads from the
    # extension-apiserver-authentication ConfigMap.
    sign front-proxy-client "/CN=front-proxy-client" "extendedKeyUsage=clientAuth"
    sign metrics-server "/CN=capstan-metrics-server" "extendedKeyUsage=clientAuth"
    sign metrics-server-serving "/CN=metrics-server.kube-system.svc" "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:$HOST_IP,DNS:metrics-server.kube-system.svc"
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/sa.key" 2>/dev/null
    openssl ec -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
    printf '%s,capstan-token-user,capstan-token-user,"capstan:testers"\n' "$(openssl rand -hex 24)" >"$PKI/tokens.csv"
    rm -f "$PKI/ca.srl"
  fi
  # What the tests and people use
  cp "$PKI/ca.crt" "$STATE/ca.crt"
  kubeconfig "$STATE/admin.kubeconfig" capstan-admin "$(cert_user admin)"
  kubeconfig "$STATE/token.kubeconfig" capstan-token-user "    token: $(cut -d, -f1 "$PKI/tokens.csv")"
  # What the components use
  kubeconfig "$RUN/controller-manager.kubeconfig" system:kube-controller-manager "$(cert_user controller-manager)"
  kubeconfig "$RUN/scheduler.kubeconfig" system:kube-scheduler "$(cert_user scheduler)"
  kubeconfig "$RUN/kubelet.kubeconfig" "system:node:$NODE_NAME" "$(cert_user kubelet)" "https://$HOST_IP:$API_PORT"
  kubeconfig "$RUN/metrics-server.kubeconfig" capstan-metrics-server "$(cert_user metrics-server)"
}

# ---------------------------------------------------------------- network
make_netns() {
  if [ ! -e "$NETNS_PATH" ]; then
    ip netns add "$NETNS_NAME"
  fi
  if ! ip link show "$VETH_HOST" >/dev/null 2>&1; then
    ip link add "$VETH_HOST" type veth peer name "$VETH_NODE" netns "$NETNS_NAME"
    ip addr add "$HOST_IP/30" dev "$VETH_HOST"
    ip link set "$VETH_HOST" up
  fi
  nsenter --net="$NETNS_PATH" -- sh -c "
    ip link set lo up
    ip addr show dev $VETH_NODE | grep -q '$NODE_IP/' || ip addr add $NODE_IP/30 dev $VETH_NODE
    ip link set $VETH_NODE up"
}

# ---------------------------------------------------------------- images
# Images are made here, never pulled: a rootfs of Debian's busybox-static,
# written as a `docker save` archive (manifest.json, config, one layer) that
# `ctr images import` loads into the cluster's containerd. The archives are
# cached; containerd's store is new at every `up`.
IMAGES="$CACHE/images"

image_rootfs() { # dir: busybox with every applet, /bin/pause, /bin/echo-server, passwd/group
  local root="$1" a
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/www" "$root/root" "$root/proc" "$root/sys" "$root/dev" "$root/usr"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  cp "$BIN/echo-server" "$root/bin/echo-server"
  for a in $("$root/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
  ln -s ../bin "$root/usr/bin"
  ln -s bin "$root/sbin"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  # The sandbox ("pause") process: PID 1 that blocks forever and exits on SIGTERM.
  cat >"$root/bin/pause" <<'EOF'
#!/bin/sh
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
EOF
  chmod 755 "$root/bin/pause"
}

image_archive() { # out ref cmd-json layer.tar: a `docker save` style archive
  local out="$1" ref="$2" cmd="$3" layer="$4" dir diff cfg
  dir="$(mktemp -d)"
  diff="$(sha256sum "$layer" | cut -d' ' -f1)"
  mkdir -p "$dir/$diff"
  cp "$layer" "$dir/$diff/layer.tar"
  jq -cn --arg diff "sha256:$diff" --argjson cmd "$cmd" \
    '{architecture: "amd64", os: "linux", config: {Cmd: $cmd, Env: ["PATH=/bin"]},
      rootfs: {type: "layers", diff_ids: [$diff]}}' >"$dir/config.json"
  cfg="$(sha256sum "$dir/config.json" | cut -d' ' -f1)"
  mv "$dir/config.json" "$dir/$cfg.json"
  jq -cn --arg cfg "$cfg.json" --arg ref "$ref" --arg layer "$diff/layer.tar" \
    '[{Config: $cfg, RepoTags: [$ref], Layers: [$layer]}]' >"$dir/manifest.json"
  tar -C "$dir" -cf "$out.tmp" manifest.json "$cfg.json" "$diff/layer.tar"
  mv "$out.tmp" "$out"
  rm -rf "$dir"
}

# The archives, made once: busybox (the workloads) and pause (the sandbox).
image_archives() {
  local want
  want="$(cat /bin/busybox "$BIN/echo-server" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
  [ -s "$IMAGES/busybox.tar" ] && [ -s "$IMAGES/pause.tar" ] && [ "$(cat "$IMAGES/.stamp" 2>/dev/null)" = "$want" ] && return 0
  log "making images $BUSYBOX_IMAGE and $PAUSE_IMAGE from busybox-static"
  mkdir -p "$IMAGES"
  local root
  root="$(mktemp -d)"
  image_rootfs "$root"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$root.layer.tar" .
  image_archive "$IMAGES/busybox.tar" "$BUSYBOX_IMAGE" '["sh"]' "$root.layer.tar"
  image_archive "$IMAGES/pause.tar" "$PAUSE_IMAGE" '["/bin/pause"]' "$root.layer.tar"
  rm -rf "$root" "$root.layer.tar"
  echo "$want" >"$IMAGES/.stamp"
}

import_images() {
  image_archives
  local f
  for f in "$IMAGES/busybox.tar" "$IMAGES/pause.tar"; do
    nctr images import --no-unpack=false "$f" >/dev/null || die "ctr images import $f failed"
  done
}

# ---------------------------------------------------------------- components
start_etcd() {
  mkdir -p "$ETCD_DIR"
  chmod 700 "$ETCD_DIR"
  start_bg etcd "$BIN/etcd" --name capstan --data-dir "$ETCD_DIR" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "capstan=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
    --quota-backend-bytes 4294967296 --snapshot-count 10000 --log-level warn
  wait_for 30 etcd etcd_ready
}

start_apiserver() {
  # The watch cache is off and automatic compaction too, so that 410 Gone
  # answers come exactly when a test compacts (compact-etcd), not by chance.
  # Aggregator routing sends metrics.k8s.io to metrics-server's endpoint
  # directly: there is no kube-proxy to route a Service IP.
  start_bg kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" --etcd-compaction-interval 0 --watch-cache=false \
    --bind-address 127.0.0.1 --secure-port "$API_PORT" --advertise-address "$HOST_IP" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" --token-auth-file "$PKI/tokens.csv" \
    --authorization-mode Node,RBAC --allow-privileged=true \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
    --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true --profiling=false --v=1
  wait_for 90 "kube-apiserver /readyz" api_ready
}

start_relay() {
  # The kubelet lives in the node namespace and reaches the API server
  # through the host end of the veth.
  start_bg relay socat "TCP-LISTEN:$API_PORT,bind=$HOST_IP,reuseaddr,fork" "TCP:127.0.0.1:$API_PORT"
}

start_containerd() {
  # A containerd of our own (socket, root, state), in the node's network
  # namespace: the CNI bridge and the pods' addresses live there, next to the
  # kubelet, and never touch the host's networks or another runtime.
  # restrict_oom_score_adj: this VM refuses negative oom_score_adj, which the
  # kubelet asks for sandboxes; containerd clamps it to its own instead.
  mkdir -p "$CONTAINERD_DIR" "$STATE/cni/net.d"
  cat >"$STATE/cni/net.d/10-capstan.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "capstan",
  "plugins": [
    {"type": "bridge", "bridge": "capstan0", "isGateway": true, "ipMasq": false,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]],
              "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$STATE/cni/ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat >"$CONTAINERD_DIR/config.toml" <<EOF
version = 2
root = "$CONTAINERD_DIR/root"
state = "$CONTAINERD_DIR/state"
oom_score = 0
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
EOF
  start_bg containerd nsenter --net="$NETNS_PATH" -- /usr/bin/containerd --config "$CONTAINERD_DIR/config.toml"
  wait_for 30 containerd nctr version
}

start_controller_manager() {
  start_bg kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$RUN/controller-manager.kubeconfig" --leader-elect=false \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range "$SERVICE_CIDR" \
    --bind-address 127.0.0.1 --secure-port 0 --profiling=false --v=1
}

start_scheduler() {
  start_bg kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$RUN/scheduler.kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port 0 --profiling=false --v=1
}

start_kubelet() {
  mkdir -p "$STATE/kubelet"
  # The kubelet requires its cgroup root to exist in every hierarchy.
  local h
  for h in /sys/fs/cgroup/*/; do mkdir -p "$h${CGROUP_PARENT#/}"; done
  # failCgroupV1: these machines mount cgroup v1 (hybrid), which 1.35+
  # refuses by default. oomScoreAdj 0: the VM refuses negative values.
  cat >"$RUN/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_PARENT
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
clusterDomain: cluster.local
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
serializeImagePulls: false
EOF
  start_bg kubelet nsenter --net="$NETNS_PATH" -- "$BIN/kubelet" \
    --config "$RUN/kubelet.yaml" --kubeconfig "$RUN/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --cert-dir "$STATE/kubelet/pki" \
    --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1
}

# metrics-server as a process on the host, registered as the metrics.k8s.io
# APIService behind a Service without a selector and an Endpoints object of
# our own (the API server routes to the endpoint: --enable-aggregator-routing).
start_metrics_server() {
  kc apply -f - >/dev/null <<EOF || die "registering metrics-server failed"
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: metrics-server, namespace: kube-system, labels: {k8s-app: metrics-server}}
  spec:
    ports: [{name: https, port: 443, protocol: TCP, targetPort: $METRICS_PORT}]
- apiVersion: v1
  kind: Endpoints
  metadata: {name: metrics-server, namespace: kube-system, labels: {k8s-app: metrics-server}}
  subsets: [{addresses: [{ip: $HOST_IP}], ports: [{name: https, port: $METRICS_PORT, protocol: TCP}]}]
- apiVersion: apiregistration.k8s.io/v1
  kind: APIService
  metadata: {name: v1beta1.metrics.k8s.io, labels: {k8s-app: metrics-server}}
  spec:
    group: metrics.k8s.io
    version: v1beta1
    groupPriorityMinimum: 100
    versionPriority: 100
    service: {name: metrics-server, namespace: kube-system, port: 443}
    caBundle: $(base64 -w0 <"$PKI/ca.crt")
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: system:metrics-server}
  rules:
  - {apiGroups: [""], resources: [nodes/metrics], verbs: [get]}
  - {apiGroups: [""], resources: [pods, nodes], verbs: [get, list, watch]}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata:
    name: system:aggregated-metrics-reader
    labels:
      rbac.authorization.k8s.io/aggregate-to-admin: "true"
      rbac.authorization.k8s.io/aggregate-to-edit: "true"
      rbac.authorization.k8s.io/aggregate-to-view: "true"
  rules:
  - {apiGroups: [metrics.k8s.io], resources: [pods, nodes], verbs: [get, list, watch]}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: system:metrics-server}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:metrics-server}
  subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: capstan-metrics-server}]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: "metrics-server:system:auth-delegator"}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:auth-delegator}
  subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: capstan-metrics-server}]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: metrics-server-auth-reader, namespace: kube-system}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
  subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: capstan-metrics-server}]
EOF
  start_bg metrics-server "$BIN/metrics-server" \
    --kubeconfig "$RUN/metrics-server.kubeconfig" \
    --authentication-kubeconfig "$RUN/metrics-server.kubeconfig" \
    --authorization-kubeconfig "$RUN/metrics-server.kubeconfig" \
    --bind-address "$HOST_IP" --secure-port "$METRICS_PORT" \
    --tls-cert-file "$PKI/metrics-server-serving.crt" --tls-private-key-file "$PKI/metrics-server-serving.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
    --kubelet-use-node-status-port --metric-resolution 15s --v=1
}

# The metrics API answers once metrics-server has scraped the node twice.
metrics_ready() {
  kc get --raw "/apis/metrics.k8s.io/v1beta1/nodes/$NODE_NAME" | grep -q '"usage"'
}

# ---------------------------------------------------------------- up / down
healthy() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_of "$c" >/dev/null || return 1; done
  api_ready && node_ready
}

print_env() {
  cat <<EOF
export CAPSTAN_TEST_KUBECONFIG=$STATE/admin.kubeconfig
export CAPSTAN_TEST_TOKEN_KUBECONFIG=$STATE/token.kubeconfig
export CAPSTAN_TEST_CA=$STATE/ca.crt
export CAPSTAN_TEST_SERVER=$SERVER_URL
export CAPSTAN_TEST_KUBECTL=$(kubectl_bin)
export CAPSTAN_TEST_HELM=$BIN/helm
export CAPSTAN_TEST_KWOK=$BIN/kwok
export CAPSTAN_TEST_ETCDCTL=$BIN/etcdctl
export CAPSTAN_TEST_CONTAINERD_ADDRESS=$CONTAINERD_SOCK
export CAPSTAN_K8S_STATE=$STATE
EOF
}

cmd_up() {
  need_root
  with_lock
  if healthy; then
    log "already up and healthy"
    print_env
    return 0
  fi
  local t0=$SECONDS
  cmd_deps
  cmd_build
  down_all quiet
  mkdir -p "$STATE" "$RUN" "$LOGS"
  touch "$STATE/up.stamp"
  make_pki
  make_netns
  log "starting etcd, kube-apiserver"
  start_etcd
  start_apiserver
  start_relay
  log "starting containerd"
  start_containerd
  import_images
  log "starting controller-manager, scheduler, kubelet, metrics-server"
  start_controller_manager
  start_scheduler
  start_kubelet
  kc create clusterrolebinding capstan-token-user-admin --clusterrole cluster-admin --user capstan-token-user >/dev/null
  start_metrics_server
  wait_for 120 "node $NODE_NAME Ready" node_ready || { show_logs; die "node did not become Ready"; }
  log "node Ready after $((SECONDS - t0)) s; seeding"
  cmd_seed
  kc -n capstan-demo rollout status deployment/web --timeout=120s >&2 || { show_logs; die "deployment web did not roll out"; }
  wait_for 90 "the metrics API (metrics-server)" metrics_ready || { show_logs; die "metrics.k8s.io did not answer"; }
  log "up in $((SECONDS - t0)) s"
  print_env
}

show_logs() {
  local c
  for c in "${COMPONENTS[@]}"; do
    [ -f "$LOGS/$c.log" ] || continue
    echo "---- $c (last lines)" >&2
    tail -n 15 "$LOGS/$c.log" >&2
  done
}

# Removes everything `up` made, also after a crash: processes, containers,
# mounts, the network namespace and veth, cgroups, the etcd data.
down_all() {
  local quiet="${1:-}" i c pid m
  # The kubelet first, so it does not restart what we remove.
  stop_bg kubelet 15
  if pid_of containerd >/dev/null && [ -S "$CONTAINERD_SOCK" ]; then
    local id
    for id in $(nctr tasks ls -q 2>/dev/null || true); do
      nctr tasks kill --signal SIGKILL "$id" >/dev/null 2>&1 || true
    done
  fi
  # The rest in parallel: nothing depends on an orderly stop any more.
  for c in "${COMPONENTS[@]}"; do
    [ "$c" = kubelet ] || stop_bg "$c" 10 &
  done
  wait
  # containerd shims of our containerd that outlived it (none normally)
  for pid in $(pgrep -f "containerd-shim.*$CONTAINERD_SOCK" 2>/dev/null || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # The pods' network namespaces, which containerd pins in /run/netns: with
  # its pods gone, those no process uses any more.
  local used ino
  used=" $({ stat -L -c %i /proc/[0-9]*/ns/net 2>/dev/null || true; } | sort -u | tr '\n' ' ')"
  for m in /run/netns/cni-*; do
    [ -e "$m" ] || continue
    ino="$(stat -L -c %i "$m" 2>/dev/null)" || continue
    case "$used" in *" $ino "*) continue ;; esac
    umount "$m" 2>/dev/null || true
    rm -f "$m"
  done
  # pause helpers
  pid_of pause-resume >/dev/null && stop_bg pause-resume 1
  # mounts under the state dir (secret volumes, overlay snapshots, netns files), deepest first
  for ((i = 0; i < 3; i++)); do
    awk -v s="$STATE/" -v e="$ETCD_DIR" '$2 ~ "^"s || $2 == e {print $2}' /proc/self/mounts | sort -r |
      while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
  if [ -e "$NETNS_PATH" ]; then ip netns del "$NETNS_NAME" 2>/dev/null || true; fi
  if ip link show "$VETH_HOST" >/dev/null 2>&1; then ip link del "$VETH_HOST" 2>/dev/null || true; fi
  for m in /sys/fs/cgroup/*"$CGROUP_PARENT"; do
    [ -d "$m" ] || continue
    find "$m" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  rm -rf "$ETCD_DIR" "$STATE/kubelet" "$CONTAINERD_DIR" "$STATE/cni" "$RUN"
  # pod logs our kubelet wrote (the kubelet always writes them to /var/log/pods)
  if [ -f "$STATE/up.stamp" ]; then
    find /var/log/pods -mindepth 1 -maxdepth 1 -type d -newer "$STATE/up.stamp" -exec rm -rf {} + 2>/dev/null || true
    find /var/log/containers -maxdepth 1 -xtype l -delete 2>/dev/null || true
    rm -f "$STATE/up.stamp"
  fi
  [ -n "$quiet" ] || log "down"
}

cmd_down() {
  need_root
  with_lock
  down_all
}

cmd_status() {
  local c pid rc=0
  for c in "${COMPONENTS[@]}"; do
    if pid="$(pid_of "$c")"; then printf '%-24s running (pid %s)\n' "$c" "$pid"; else printf '%-24s stopped\n' "$c"; rc=1; fi
  done
  if api_ready; then echo "api server              ready ($SERVER_URL)"; else echo "api server              not ready"; rc=1; fi
  if [ "$rc" = 0 ]; then kc get nodes -o wide; fi
  return "$rc"
}

# ---------------------------------------------------------------- seed
cmd_seed() {
  local f
  for f in "$HERE"/seed/*.yaml; do
    # Right after start the API server may not serve every group yet.
    wait_for 30 "applying $f" kc apply -f "$f" || { kc apply -f "$f" >/dev/null || true; die "applying $f failed"; }
    if grep -q '^kind: CustomResourceDefinition' "$f"; then
      kc wait --for condition=established --timeout=60s -f "$f" >/dev/null || die "CRDs of $f not established"
    fi
  done
  kc -n capstan-demo get secret demo-tls >/dev/null 2>&1 || generated_secrets | kc apply -f - >/dev/null ||
    die "creating the generated secrets failed"
}

# Secrets whose content must be made, not written down: a TLS pair, an SSH
# key, and a Helm release record.
generated_secrets() {
  local tmp
  tmp="$(mktemp -d)"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/tls.key" -out "$tmp/tls.crt" -days 365 -sha256 \
    -subj "/O=Capstan Demo/CN=demo.capstan.local" -addext "subjectAltName=DNS:demo.capstan.local,DNS:*.demo.capstan.local" 2>/dev/null
  openssl genpkey -algorithm ed25519 -out "$tmp/ssh.key" 2>/dev/null
  # Helm 3 stores a release as base64(gzip(JSON)) in the secret's "release" key.
  local now manifest release
  now="$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)"
  manifest=$'---\n# Source: demo/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo-chart-config\ndata:\n  greeting: hello\n'
  release="$(jq -cn --arg now "$now" --arg manifest "$manifest" '{
      name: "demo", namespace: "capstan-demo", version: 1,
      info: {first_deployed: $now, last_deployed: $now, deleted: "", description: "Install complete", status: "deployed", notes: "Thanks for installing demo."},
      chart: {metadata: {name: "demo", version: "0.1.0", appVersion: "1.0.0", apiVersion: "v2", description: "A demo chart for the Capstan test cluster", type: "application"},
              lock: null, templates: [{name: "templates/configmap.yaml", data: ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo-chart-config\ndata:\n  greeting: {{ .Values.greeting }}\n" | @base64)}],
              values: {greeting: "hello"}, schema: null, files: []},
      config: {}, manifest: $manifest, hooks: []}' | gzip -c -n | base64 -w0)"
  cat <<EOF
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: demo-tls, namespace: capstan-demo, labels: {capstan.dev/seed: "true"}}
  type: kubernetes.io/tls
  data:
    tls.crt: $(base64 -w0 <"$tmp/tls.crt")
    tls.key: $(base64 -w0 <"$tmp/tls.key")
- apiVersion: v1
  kind: Secret
  metadata: {name: demo-ssh, namespace: capstan-demo, labels: {capstan.dev/seed: "true"}}
  type: kubernetes.io/ssh-auth
  data:
    ssh-privatekey: $(base64 -w0 <"$tmp/ssh.key")
- apiVersion: v1
  kind: Secret
  metadata:
    name: sh.helm.release.v1.demo.v1
    namespace: capstan-demo
    labels: {name: demo, owner: helm, status: deployed, version: "1", capstan.dev/seed: "true"}
  type: helm.sh/release.v1
  data:
    release: $(printf '%s' "$release" | base64 -w0)
EOF
  rm -rf "$tmp"
}

# N pods that stay Pending, created by several kubectl processes in parallel,
# each sending a List of many pods. Their nodeSelector matches no node and
# their schedulerName names no scheduler, so they cost nothing once created.
# With CAPSTAN_PENDING_SCHEDULER=default-scheduler the real scheduler tries
# them (PodScheduled=False, FailedScheduling events), retrying every minute:
# with 10 000 pods that keeps ~half a core busy.
cmd_seed_pending() {
  local n="${1:-}" ns="${2:-capstan-pending}"
  [[ "$n" =~ ^[0-9]+$ ]] || die "usage: seed-pending N [NAMESPACE]"
  local scheduler="${CAPSTAN_PENDING_SCHEDULER:-capstan-unscheduled}" chunk=250 workers=4 t0=$SECONDS
  kc get namespace "$ns" >/dev/null 2>&1 || kc create namespace "$ns" >/dev/null
  # The controller-manager creates it; on a loaded 2-core machine that has taken over 30 s.
  wait_for 120 "service account default in $ns" kc -n "$ns" get serviceaccount default || die "no default service account in $ns"
  local run tmp i start
  run="$(openssl rand -hex 3)"
  tmp="$(mktemp -d)"
  for ((start = 1; start <= n; start += chunk)); do
    {
      printf '{"apiVersion":"v1","kind":"List","items":['
      for ((i = start; i < start + chunk && i <= n; i++)); do
        ((i == start)) || printf ','
        printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pending-%s-%05d","namespace":"%s","labels":{"app":"pending","capstan.dev/seed":"pending"}},"spec":{"schedulerName":"%s","nodeSelector":{"capstan.dev/nowhere":"true"},"automountServiceAccountToken":false,"terminationGracePeriodSeconds":0,"containers":[{"name":"main","image":"%s","imagePullPolicy":"Never","command":["sleep","3600"]}]}}' \
          "$run" "$i" "$ns" "$scheduler" "$BUSYBOX_IMAGE"
      done
      printf ']}'
    } >"$tmp/$start.json"
  done
  local kubectl
  kubectl="$(kubectl_bin)"
  find "$tmp" -name '*.json' -print0 |
    xargs -0 -P "$workers" -n 1 "$kubectl" --kubeconfig "$STATE/admin.kubeconfig" --request-timeout=60s create -o name -f |
    wc -l >"$tmp/count" || true
  local created
  created="$(cat "$tmp/count")"
  rm -rf "$tmp"
  [ "$created" -ge "$n" ] || die "created $created of $n pending pods"
  log "created $n pending pods in $ns in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- faults
cmd_restart_apiserver() {
  pid_of kube-apiserver >/dev/null || die "kube-apiserver is not running"
  # Its graceful shutdown waits ~20 s for open requests; tests want the drop.
  stop_bg kube-apiserver 3
  start_apiserver || die "kube-apiserver did not come back"
  log "kube-apiserver restarted"
}

cmd_pause_apiserver() {
  local secs="${1:-}" pid
  [[ "$secs" =~ ^[0-9]+$ ]] || die "usage: pause-apiserver SECONDS"
  pid="$(pid_of kube-apiserver)" || die "kube-apiserver is not running"
  kill -STOP "$pid"
  stop_bg pause-resume 1
  start_bg pause-resume sh -c "sleep $secs; kill -CONT $pid"
  log "kube-apiserver paused for $secs s (resumes by itself, or: $0 resume-apiserver)"
}

cmd_resume_apiserver() {
  local pid
  pid="$(pid_of kube-apiserver)" || die "kube-apiserver is not running"
  kill -CONT "$pid"
}

cmd_compact_etcd() {
  local rev
  rev="$(curl -sf --max-time 10 -X POST "http://127.0.0.1:$ETCD_CLIENT_PORT/v3/kv/range" -d '{"key":"AA=="}' | jq -r .header.revision)"
  [[ "$rev" =~ ^[0-9]+$ ]] || die "could not read the etcd revision"
  curl -sf --max-time 60 -X POST "http://127.0.0.1:$ETCD_CLIENT_PORT/v3/kv/compaction" \
    -d "{\"revision\": \"$rev\", \"physical\": true}" >/dev/null || die "etcd compaction failed"
  log "etcd compacted at revision $rev"
  echo "$rev"
}

cmd_kill_container() {
  local ns="${1:-}" pod="${2:-}" container="${3:-}"
  if [ -z "$ns" ] || [ -z "$pod" ]; then die "usage: kill-container NAMESPACE POD [CONTAINER]"; fi
  [ -n "$container" ] || container="$(kc -n "$ns" get pod "$pod" -o jsonpath='{.spec.containers[0].name}')"
  local q="{.status.containerStatuses[?(@.name==\"$container\")]"
  local id restarts
  id="$(kc -n "$ns" get pod "$pod" -o jsonpath="$q.containerID}")"
  restarts="$(kc -n "$ns" get pod "$pod" -o jsonpath="$q.restartCount}")"
  [ -n "$id" ] || die "pod $ns/$pod has no running container $container"
  nctr tasks kill --signal SIGKILL "${id#containerd://}" >/dev/null
  log "killed $ns/$pod/$container; waiting for the kubelet to restart it"
  restarted() {
    local now
    now="$(kc -n "$ns" get pod "$pod" -o jsonpath="$q.restartCount}")"
    [ -n "$now" ] && [ "$now" -gt "$restarts" ] &&
      [ -n "$(kc -n "$ns" get pod "$pod" -o jsonpath="$q.state.running.startedAt}")" ]
  }
  wait_for 90 "restart of $ns/$pod/$container" restarted || die "container was not restarted"
}

# ---------------------------------------------------------------- main
usage() {
  cat >&2 <<EOF
usage: $0 COMMAND
  deps | build | up | down | status | env | version | seed
  restart-apiserver | pause-apiserver SECONDS | resume-apiserver | compact-etcd
  kill-container NAMESPACE POD [CONTAINER] | seed-pending N [NAMESPACE] | cordon | uncordon
EOF
  exit 2
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  deps) cmd_deps ;;
  build) with_lock; cmd_build ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) print_env ;;
  version) module_version kubernetes k8s.io/kubernetes ;;
  seed) cmd_seed ;;
  restart-apiserver) cmd_restart_apiserver ;;
  pause-apiserver) cmd_pause_apiserver "$@" ;;
  resume-apiserver) cmd_resume_apiserver ;;
  compact-etcd) cmd_compact_etcd ;;
  kill-container) cmd_kill_container "$@" ;;
  seed-pending) cmd_seed_pending "$@" ;;
  cordon) kc cordon "$NODE_NAME" ;;
  uncordon) kc uncordon "$NODE_NAME" ;;
  *) usage ;;
esac
