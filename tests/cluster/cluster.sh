#!/usr/bin/env bash
# The real Kubernetes test cluster: Kubernetes 1.20.2 built from Debian's
# `kubernetes` source package, etcd from `etcd-server`, the Docker engine from
# `docker.io` (through the kubelet's dockershim), one node in a network
# namespace of its own. See tests/cluster/README.md.
#
# Usage: cluster.sh deps|build|up|down|status|env|seed|restart-apiserver|
#                   pause-apiserver SECONDS|compact-etcd|kill-container NS POD [CONTAINER]|
#                   seed-pending N [NS]|cordon|uncordon
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${CAPSTAN_K8S_CACHE:-$HOME/.cache/capstan-k8s}"
STATE="${CAPSTAN_K8S_STATE:-/var/tmp/capstan-k8s}"
BIN="$CACHE/bin"
K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubelet)

# Addresses: a /30 on a veth pair that exists only inside this machine.
NETNS_NAME=capstan-k8s
VETH_HOST=capk8s-host
VETH_NODE=capk8s-node
HOST_IP=10.233.254.1
NODE_IP=10.233.254.2
SERVICE_CIDR=10.233.0.0/24
KUBERNETES_SVC_IP=10.233.0.1
API_PORT="${CAPSTAN_K8S_API_PORT:-16443}"
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800
KUBELET_PORT=10250
NODE_NAME=capstan-node
DOCKER_SOCK="$STATE/docker/docker.sock"
DOCKER_HOST_URL="unix://$DOCKER_SOCK"
BUSYBOX_IMAGE=capstan.local/busybox:1
PAUSE_IMAGE=capstan.local/pause:1

log() { printf '\033[1;34m[cluster]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[cluster] %s\033[0m\n' "$*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "this needs root (network namespace, dockerd, kubelet)"; }

kubectl_bin() {
  local k
  for k in "${CAPSTAN_KUBECTL:-}" /usr/lib/google-cloud-sdk/bin/kubectl.1.27 /usr/lib/google-cloud-sdk/bin/kubectl.1.28 /usr/bin/kubectl; do
    if [ -n "$k" ] && [ -x "$k" ]; then echo "$k"; return; fi
  done
  command -v kubectl || die "no kubectl found"
}
kc() { "$(kubectl_bin)" --kubeconfig "$STATE/admin.kubeconfig" --request-timeout=20s "$@"; }

# ---------------------------------------------------------------- deps
DEB_PACKAGES=(docker.io containerd runc golang-go golang-github-modern-go-reflect2-dev rsync jq etcd-server socat openssl
  iproute2 dpkg-dev busybox-static util-linux procps curl make)

cmd_deps() {
  need_root
  local missing=() p
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  local src_added=0
  if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    log "adding the bookworm deb-src entry"
    cat >/etc/apt/sources.list.d/capstan-bookworm-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    src_added=1
  fi
  if [ "${#missing[@]}" -gt 0 ] || [ "$src_added" = 1 ]; then
    log "apt-get update"
    apt-get update -qq
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ---------------------------------------------------------------- build
# Bump when the build recipe changes, so cached binaries are rebuilt.
BUILD_RECIPE="1.20.2 CGO_ENABLED=0 reflect2-1.0.2"

have_binaries() {
  local b
  for b in "${K8S_BINS[@]}"; do [ -x "$BIN/$b" ] || return 1; done
  [ "$(cat "$BIN/.recipe" 2>/dev/null)" = "$BUILD_RECIPE" ]
}

# Kubernetes 1.20 vendors github.com/modern-go/reflect2 1.0.1, whose map
# iteration crashes the API server under Go >= 1.18 ("fatal error: fault" in
# mapiterinit, e.g. on the first custom resource written). 1.0.2 fixed it and
# has the same API: use Debian's copy of it.
patch_vendor() {
  local src="$1" fixed=/usr/share/gocode/src/github.com/modern-go/reflect2
  [ -f "$fixed/go_above_118.go" ] || die "$fixed missing (package golang-github-modern-go-reflect2-dev)"
  rsync -a --delete "$fixed/" "$src/vendor/github.com/modern-go/reflect2/"
}

cmd_build() {
  if have_binaries; then
    log "Kubernetes binaries cached in $BIN"
    return 0
  fi
  cmd_deps
  mkdir -p "$CACHE/src" "$BIN"
  local srcdir
  srcdir="$(find "$CACHE/src" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -n1)"
  if [ -z "$srcdir" ]; then
    log "apt-get source kubernetes"
    (cd "$CACHE/src" && apt-get source -qq kubernetes >/dev/null)
    srcdir="$(find "$CACHE/src" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -n1)"
    [ -n "$srcdir" ] || die "apt-get source kubernetes produced no source tree"
  fi
  patch_vendor "$srcdir"
  local gopath="$CACHE/.go"
  mkdir -p "$gopath/src/k8s.io"
  ln -sfn "$srcdir" "$gopath/src/k8s.io/kubernetes"
  log "building ${K8S_BINS[*]} from $srcdir (about 6.5 min on 2 cores)"
  local t0=$SECONDS
  (
    cd "$gopath/src/k8s.io/kubernetes"
    export GOPATH="$gopath" CGO_ENABLED=0 GO111MODULE=off GOFLAGS='' GOCACHE="$CACHE/go-build"
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet"
  ) >"$CACHE/build.log" 2>&1 || { tail -n 40 "$CACHE/build.log" >&2; die "build failed (log: $CACHE/build.log)"; }
  local b out
  for b in "${K8S_BINS[@]}"; do
    out="$(find "$srcdir/_output" -type f -name "$b" -perm -u+x | head -n1)"
    [ -n "$out" ] || die "build produced no $b (log: $CACHE/build.log)"
    install -m 0755 "$out" "$BIN/$b"
  done
  echo "$BUILD_RECIPE" >"$BIN/.recipe"
  log "built in $((SECONDS - t0)) s"
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
COMPONENTS=(etcd kube-apiserver relay containerd dockerd kube-controller-manager kube-scheduler kubelet)

dk() { docker -H "$DOCKER_HOST_URL" "$@"; }

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
    ! openssl x509 -noout -text -in "$PKI/apiserver.crt" | grep -q "IP Address:$HOST_IP"; then
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
make_images() {
  local want
  for want in "$BUSYBOX_IMAGE" "$PAUSE_IMAGE"; do
    dk image inspect "$want" >/dev/null 2>&1 || { build_images; return; }
  done
}

build_images() {
  log "importing images $BUSYBOX_IMAGE and $PAUSE_IMAGE from busybox-static"
  local root
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/www" "$root/root" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  local a
  for a in $("$root/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
  mkdir -p "$root/usr"
  ln -s ../bin "$root/usr/bin"
  ln -s bin "$root/sbin"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  # The sandbox ("pause") process: PID 1 that sleeps and exits on SIGTERM.
  cat >"$root/bin/pause" <<'EOF'
#!/bin/sh
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
EOF
  chmod 755 "$root/bin/pause"
  tar -C "$root" -c . | dk import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' - "$BUSYBOX_IMAGE" >/dev/null
  tar -C "$root" -c . | dk import --change 'CMD ["/bin/pause"]' --change 'ENV PATH=/bin' - "$PAUSE_IMAGE" >/dev/null
  rm -rf "$root"
}

# ---------------------------------------------------------------- components
start_etcd() {
  mkdir -p "$ETCD_DIR"
  chmod 700 "$ETCD_DIR"
  start_bg etcd /usr/bin/etcd --name capstan --data-dir "$ETCD_DIR" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "capstan=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
    --quota-backend-bytes 4294967296 --snapshot-count 10000 --log-level warn
  wait_for 30 etcd etcd_ready
}

start_apiserver() {
  # The watch cache is off and automatic compaction too, so that 410 Gone
  # answers come exactly when a test compacts (compact-etcd), not by chance.
  start_bg kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" --etcd-compaction-interval 0 --watch-cache=false \
    --bind-address 127.0.0.1 --secure-port "$API_PORT" --insecure-port 0 --advertise-address "$HOST_IP" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" --token-auth-file "$PKI/tokens.csv" \
    --authorization-mode Node,RBAC --allow-privileged=true \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP --profiling=false --v=1
  wait_for 90 "kube-apiserver /readyz" api_ready
}

start_relay() {
  # The kubelet lives in the node namespace and reaches the API server
  # through the host end of the veth.
  start_bg relay socat "TCP-LISTEN:$API_PORT,bind=$HOST_IP,reuseaddr,fork" "TCP:127.0.0.1:$API_PORT"
}

runtime_wrapper() {
  mkdir -p "$STATE/bin"
  # This VM refuses negative oom_score_adj values and the kubelet asks -998
  # for pod sandboxes: drop negative process.oomScoreAdj before runc sees it.
  cat >"$STATE/bin/capstan-runc" <<'EOF'
#!/bin/sh
# OCI runtime wrapper for the Capstan test cluster (see tests/cluster/cluster.sh).
prev=""
for a in "$@"; do
  f=""
  case "$prev" in
    --bundle|-b) f="$a/config.json" ;;
    --process|-p) f="$a" ;;
  esac
  case "$a" in
    --bundle=*) f="${a#--bundle=}/config.json" ;;
    --process=*) f="${a#--process=}" ;;
  esac
  if [ -n "$f" ] && [ -f "$f" ]; then
    if jq -e '(.process.oomScoreAdj // 0) < 0 or (.oomScoreAdj // 0) < 0' "$f" >/dev/null 2>&1; then
      jq -c 'if (.process.oomScoreAdj // 0) < 0 then del(.process.oomScoreAdj) else . end
             | if (.oomScoreAdj // 0) < 0 then del(.oomScoreAdj) else . end' "$f" >"$f.capstan" && mv "$f.capstan" "$f"
    fi
  fi
  prev="$a"
done
exec runc "$@"
EOF
  chmod 755 "$STATE/bin/capstan-runc"
}

start_containerd() {
  mkdir -p "$STATE/containerd"
  cat >"$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$STATE/containerd/containerd.sock"
[ttrpc]
  address = "$STATE/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
EOF
  start_bg containerd /usr/bin/containerd --config "$STATE/containerd/config.toml"
  wait_for 30 containerd test -S "$STATE/containerd/containerd.sock"
}

start_dockerd() {
  # A dockerd of our own (socket, data root, containerd, cgroup parent), in the
  # node's network namespace: its bridge and the pods' addresses live there,
  # next to the kubelet, and never touch the host's networks or another Docker.
  runtime_wrapper
  mkdir -p "$STATE/docker"
  echo '{}' >"$STATE/docker/daemon.json"
  start_bg dockerd nsenter --net="$NETNS_PATH" -- /usr/sbin/dockerd \
    --config-file "$STATE/docker/daemon.json" \
    --host "$DOCKER_HOST_URL" --data-root "$STATE/docker/root" --exec-root "$STATE/docker/exec" \
    --pidfile "$STATE/docker/docker.pid" \
    --containerd "$STATE/containerd/containerd.sock" --containerd-namespace capstan-k8s \
    --containerd-plugins-namespace capstan-k8s-plugins \
    --add-runtime "capstan-runc=$STATE/bin/capstan-runc" --default-runtime capstan-runc \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "$CGROUP_PARENT" --oom-score-adjust 0 \
    --iptables=false --ip-masq=false --bip 10.233.253.1/24 --userland-proxy=false
  wait_for 60 dockerd dk version
}

start_controller_manager() {
  start_bg kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$RUN/controller-manager.kubeconfig" --leader-elect=false \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range "$SERVICE_CIDR" \
    --bind-address 127.0.0.1 --port 0 --secure-port 0 --profiling=false --v=1
}

start_scheduler() {
  start_bg kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$RUN/scheduler.kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --port 0 --secure-port 0 --profiling=false --v=1
}

start_kubelet() {
  mkdir -p "$STATE/kubelet"
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
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
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
    --container-runtime docker --docker-endpoint "$DOCKER_HOST_URL" \
    --pod-infra-container-image "$PAUSE_IMAGE" \
    --root-dir "$STATE/kubelet" --cert-dir "$STATE/kubelet/pki" \
    --experimental-dockershim-root-directory "$STATE/dockershim" \
    --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1
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
export CAPSTAN_TEST_DOCKER_HOST=$DOCKER_HOST_URL
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
  have_binaries || cmd_build
  down_all quiet
  mkdir -p "$STATE" "$RUN" "$LOGS"
  touch "$STATE/up.stamp"
  make_pki
  make_netns
  log "starting etcd, kube-apiserver"
  start_etcd
  start_apiserver
  start_relay
  log "starting containerd, dockerd"
  start_containerd
  start_dockerd
  make_images
  log "starting controller-manager, scheduler, kubelet"
  start_controller_manager
  start_scheduler
  start_kubelet
  kc create clusterrolebinding capstan-token-user-admin --clusterrole cluster-admin --user capstan-token-user >/dev/null
  wait_for 120 "node $NODE_NAME Ready" node_ready || { show_logs; die "node did not become Ready"; }
  log "node Ready after $((SECONDS - t0)) s; seeding"
  cmd_seed
  kc -n capstan-demo rollout status deployment/web --timeout=120s >&2 || { show_logs; die "deployment web did not roll out"; }
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
  if pid_of dockerd >/dev/null && [ -S "$DOCKER_SOCK" ]; then
    local ids
    ids="$(dk ps -aq 2>/dev/null || true)"
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086
      dk rm -f $ids >/dev/null 2>&1 || true
    fi
  fi
  # The rest in parallel: nothing depends on an orderly stop any more.
  for c in "${COMPONENTS[@]}"; do
    [ "$c" = kubelet ] || stop_bg "$c" 10 &
  done
  wait
  # containerd shims of our containerd that outlived it (none normally)
  for pid in $(pgrep -f "containerd-shim.*$STATE/containerd" 2>/dev/null || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # pause helpers
  pid_of pause-resume >/dev/null && stop_bg pause-resume 1
  # mounts under the state dir (secret volumes, docker overlays, netns files), deepest first
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
  rm -rf "$ETCD_DIR" "$STATE/kubelet" "$STATE/dockershim" "$STATE/containerd" "$STATE/docker/exec" "$RUN"
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
    kc apply -f "$f" >/dev/null || die "applying $f failed"
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
  dk kill --signal KILL "${id#docker://}" >/dev/null
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
  deps | build | up | down | status | env | seed
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
