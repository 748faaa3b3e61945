#!/bin/sh
# Entry point of capstan.local/k3s-fake (built by tests/local/build-node-image.sh):
# a stand-in for the `k3s` binary that honours the CLI surface Capstan uses.
#
#   k3s server [--cluster-init] [--tls-san X]... [--token T] [--kubelet-arg K=V]... [other args: logged, ignored]
#   k3s agent  [--token T] [--server URL] [--kubelet-arg K=V]...
#   k3s --version
#   env: K3S_TOKEN, K3S_URL=https://<server>:6443, K3S_KUBECONFIG_OUTPUT
#
# Real: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubelet
# (the test cluster's Kubernetes build), containerd as the node's container
# runtime (its own per node, at k3s's paths, as k3s embeds it; runc and CNI
# bridge/host-local/portmap), certificates with the --tls-san entries and the
# container IP, node registration and Ready as the kubelet reports it, image
# archives in /var/lib/rancher/k3s/agent/images imported at start.
# Substituted (say so in tests): agents authenticate with the shared token as
# a token-file user instead of k3s's token -> node certificate exchange, and
# skip verifying the server certificate; no flannel (each node's pods get a
# bridge of their own, not routed between nodes), CoreDNS, traefik; the
# sandbox image is busybox made at image-build time. HA (3 servers): etcd
# members talk plain HTTP on the cluster network and the bootstrap data (CA and
# service-account keys) is stored in etcd under the token's hash unencrypted,
# where k3s encrypts it with the token.
set -eu

DATA=/var/lib/rancher/k3s
TLS="$DATA/server/tls"
RUN=/run/k3s-fake
# k3s's paths for its embedded containerd.
CONTAINERD_DIR="$DATA/agent/containerd"
CONTAINERD_CONFIG="$DATA/agent/etc/containerd/config.toml"
CNI_CONF_DIR="$DATA/agent/etc/cni/net.d"
CONTAINERD_SOCK=/run/k3s/containerd/containerd.sock
IMAGES_DIR="$DATA/agent/images"
PAUSE_IMAGE=capstan.local/pause:1
PAUSE_ARCHIVE=/usr/share/k3s-fake/pause.tar
mkdir -p "$RUN" /var/log

log() { echo "time=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" level=info msg=\"$*\""; }
die() { echo "time=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" level=fatal msg=\"$*\""; exit 1; }

role="${1:-}"
[ $# -gt 0 ] && shift
TOKEN="${K3S_TOKEN:-}"
URL="${K3S_URL:-}"
SANS=""
CLUSTER_INIT=0
KUBELET_ARGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tls-san) SANS="$SANS $2"; shift ;;
    --tls-san=*) SANS="$SANS ${1#--tls-san=}" ;;
    --token|-t) TOKEN="$2"; shift ;;
    --token=*) TOKEN="${1#--token=}" ;;
    --server|-s) URL="$2"; shift ;;
    --server=*) URL="${1#--server=}" ;;
    --cluster-init) CLUSTER_INIT=1 ;;
    # As k3s: `key=value`, leading dashes optional, passed on to the kubelet.
    --kubelet-arg) KUBELET_ARGS="$KUBELET_ARGS --${2#--}"; shift ;;
    --kubelet-arg=*) a="${1#--kubelet-arg=}"; KUBELET_ARGS="$KUBELET_ARGS --${a#--}" ;;
    *) log "argument not interpreted by the fake k3s: $1" ;;
  esac
  shift
done

NODE_NAME="$(hostname)"
NODE_IP="$(ip -4 -o addr show dev eth0 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}')"
[ -n "$NODE_IP" ] || NODE_IP="$(hostname -i | awk '{print $1}')"

PIDS=""
start_bg() { # name cmd...: runs cmd, logging to /var/log/<name>.log, and remembers it
  name="$1"; shift
  "$@" >>"/var/log/$name.log" 2>&1 &
  LAST_PID=$!
  PIDS="$PIDS $LAST_PID"
}
SUPERVISOR=""
shutdown() {
  log "stopping"
  # The supervisor first, so that the components stopping here is no failure.
  [ -z "$SUPERVISOR" ] || kill "$SUPERVISOR" 2>/dev/null || true
  # In reverse start order, each one gone before the next: the kubelet first,
  # the API server finishes its shutdown against a live etcd (else it waits
  # for etcd until docker's stop timeout), containerd last.
  rev=""
  for p in $PIDS; do rev="$p $rev"; done
  for p in $rev; do stop_one "$p"; done
  exit 0
}
# SIGTERM, then SIGKILL after 3 s: the last server of an HA cluster has no
# etcd quorum left, and its API server would wait for one until the engine's
# stop timeout.
stop_one() { # pid
  kill "$1" 2>/dev/null || return 0
  (sleep 3; kill -9 "$1") 2>/dev/null &
  killer=$!
  wait "$1" 2>/dev/null || true # (set -e: a component's exit code is no failure here)
  kill "$killer" 2>/dev/null || true
}
trap shutdown TERM INT

# A process that dies takes the node down (k3s is one process: same behaviour).
supervise() {
  while :; do
    for p in $PIDS; do
      if ! kill -0 "$p" 2>/dev/null; then
        echo "time=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" level=fatal msg=\"a component exited; last log lines follow\""
        tail -n 20 /var/log/*.log
        # shellcheck disable=SC2086
        kill $PIDS 2>/dev/null || true
        exit 1
      fi
    done
    sleep 2
  done
}

sign() { # name subject ext-lines...
  n="$1"; subj="$2"; shift 2
  openssl ecparam -name prime256v1 -genkey -noout -out "$TLS/$n.key" 2>/dev/null
  openssl req -new -key "$TLS/$n.key" -subj "$subj" -out "$TLS/$n.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" "$@" >"$TLS/$n.ext"
  openssl x509 -req -in "$TLS/$n.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$TLS/$n.ext" -out "$TLS/$n.crt" 2>/dev/null
  rm -f "$TLS/$n.csr" "$TLS/$n.ext"
}

kubeconfig() { # file server user-lines [name]
  nm="${4:-default}"
  cat >"$1.tmp" <<KC
apiVersion: v1
kind: Config
clusters:
- name: $nm
  cluster:
    server: $2
$5
users:
- name: $nm
  user:
$3
contexts:
- name: $nm
  context:
    cluster: $nm
    user: $nm
current-context: $nm
preferences: {}
KC
  chmod 600 "$1.tmp"
  mv "$1.tmp" "$1"
}
ca_lines() { printf '    certificate-authority-data: %s' "$(base64 -w0 <"$TLS/ca.crt")"; }
cert_lines() { printf '    client-certificate-data: %s\n    client-key-data: %s' "$(base64 -w0 <"$TLS/$1.crt")" "$(base64 -w0 <"$TLS/$1.key")"; }

make_pki() {
  mkdir -p "$TLS"
  chmod 700 "$TLS"
  # Kept across restarts (the volume), like k3s: a restarted server keeps its CA.
  if [ ! -s "$TLS/ca.crt" ]; then
    log "generating the cluster CA"
    openssl ecparam -name prime256v1 -genkey -noout -out "$TLS/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$TLS/ca.key" -subj "/CN=k3s-server-ca@$(date +%s)" -days 3650 -sha256 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -out "$TLS/ca.crt" 2>/dev/null
    openssl ecparam -name prime256v1 -genkey -noout -out "$TLS/sa.key" 2>/dev/null
    openssl ec -in "$TLS/sa.key" -pubout -out "$TLS/sa.pub" 2>/dev/null
  fi
  # This node's client certificates (a joining server got the CA above from
  # the bootstrap data and signs its own).
  if [ ! -s "$TLS/node.crt" ]; then
    sign admin "/O=system:masters/CN=system:admin" "extendedKeyUsage=clientAuth"
    sign apiserver-kubelet-client "/O=system:masters/CN=system:kube-apiserver" "extendedKeyUsage=clientAuth"
    sign controller "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
    sign scheduler "/CN=system:kube-scheduler" "extendedKeyUsage=clientAuth"
    sign node "/O=system:nodes/CN=system:node:$NODE_NAME" "extendedKeyUsage=clientAuth"
  fi
  # The serving certificate follows the current --tls-san list and IP (as k3s's
  # dynamic listener does), so it is signed again at every start.
  san="IP:127.0.0.1,IP:$NODE_IP,IP:10.43.0.1,DNS:localhost,DNS:$NODE_NAME,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  for s in $SANS; do
    case "$s" in
      *[!0-9.]*) san="$san,DNS:$s" ;;
      *) san="$san,IP:$s" ;;
    esac
  done
  sign serving-kube-apiserver "/CN=k3s" "extendedKeyUsage=serverAuth" "subjectAltName=$san"
  # The chain with the CA, which agents take from the TLS handshake (below).
  cat "$TLS/ca.crt" >>"$TLS/serving-kube-apiserver.crt"
  # The shared token admits agents (see the header: a substitute for k3s's exchange).
  printf '%s,k3s-agent,k3s-agent,"system:masters"\n' "$TOKEN" >"$TLS/tokens.csv"
  chmod 600 "$TLS/tokens.csv"
  kubeconfig "$RUN/controller.kubeconfig" https://127.0.0.1:6443 "$(cert_lines controller)" default "$(ca_lines)"
  kubeconfig "$RUN/scheduler.kubeconfig" https://127.0.0.1:6443 "$(cert_lines scheduler)" default "$(ca_lines)"
  kubeconfig "$RUN/kubelet.kubeconfig" https://127.0.0.1:6443 "$(cert_lines node)" default "$(ca_lines)"
}

# registries.yaml -> containerd hosts.toml files, as k3s does at every start
# (k3s-io/k3s pkg/agent/containerd/config.go, writeContainerdHosts: one
# certs.d/<host>/hosts.toml per mirror, its endpoints as `host` entries tried
# in order, the registry itself as `server`). Only `mirrors.<host>.endpoint`
# lists are read (no `configs`: auth/TLS, no rewrites); see the README.
REGISTRIES_YAML=/etc/rancher/k3s/registries.yaml
CERTS_D="$DATA/agent/etc/containerd/certs.d"
write_registry_hosts() {
  rm -rf "$CERTS_D"
  mkdir -p "$CERTS_D"
  [ -f "$REGISTRIES_YAML" ] || return 0
  awk -v dir="$CERTS_D" '
    function unq(s) { gsub(/^[ \t"\x27-]+|[ \t"\x27:]+$/, "", s); return s }
    /^mirrors:/ { inm = 1; next }
    /^[^ #]/ { inm = 0 }
    inm && /^  [^ ]/ { host = unq($0); f = dir "/" host "/hosts.toml"; system("mkdir -p \"" dir "/" host "\"");
      scheme = (host ~ /^(localhost|127\.)/) ? "http" : "https";
      print "server = \"" scheme "://" host "\"" > f; next }
    inm && /^      *- / && host != "" { ep = $0; sub(/^ *- */, "", ep); gsub(/"|\x27/, "", ep);
      print "[host.\"" ep "\"]\n  capabilities = [\"pull\", \"resolve\"]" >> f }
  ' "$REGISTRIES_YAML"
  for h in "$CERTS_D"/*/hosts.toml; do [ -f "$h" ] && log "registry mirror: $(dirname "$h" | xargs basename)"; done
  return 0
}

nctr() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

# The node's container runtime, as k3s runs its embedded containerd: root on
# the /var/lib/rancher/k3s volume (the overlayfs snapshotter needs a real
# filesystem under it, not the container's own overlay), state and socket
# under /run/k3s/containerd. restrict_oom_score_adj: this VM refuses negative
# oom_score_adj, which the kubelet asks for sandboxes; containerd clamps it
# to its own instead.
start_containerd() {
  # Without --privileged the engine mounts the node's cgroups read-only; runc
  # creates the pods' cgroups under them (inside the node's own cgroup).
  for m in $(awk '$3 ~ /^cgroup2?$/ && $4 ~ /(^|,)ro(,|$)/ {print $2}' /proc/self/mounts); do
    mount -o remount,rw,bind "$m" "$m" 2>/dev/null || log "could not make $m writable: pods may not start"
  done
  mkdir -p "$CONTAINERD_DIR" "$(dirname "$CONTAINERD_CONFIG")" "$CNI_CONF_DIR" "$IMAGES_DIR" /run/k3s/containerd
  # One bridge per node for its pods (k3s: flannel across the nodes; here no
  # route between nodes, pods are not meant to be run on these clusters).
  cat >"$CNI_CONF_DIR/10-k3s-fake.conflist" <<CNI
{
  "cniVersion": "1.0.0",
  "name": "cbr0",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.42.0.0/24"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
CNI
  cat >"$CONTAINERD_CONFIG" <<TOML
version = 2
root = "$CONTAINERD_DIR"
state = "/run/k3s/containerd"
oom_score = 0
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
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
    conf_dir = "$CNI_CONF_DIR"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CERTS_D"
TOML
  write_registry_hosts
  start_bg containerd containerd --config "$CONTAINERD_CONFIG"
}

# As k3s at every start: the sandbox image, then every archive in the images
# directory (`capstan cluster image import` and airgap archives put them there)
# into containerd's k8s.io namespace, where the kubelet looks. An archive that
# does not import is logged and skipped, as k3s does.
import_images() {
  i=0
  until nctr version >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt 120 ] || { tail -n 20 /var/log/containerd.log; die "containerd did not start"; }
    sleep 0.5
  done
  nctr images import "$PAUSE_ARCHIVE" >>/var/log/containerd-import.log 2>&1 ||
    { tail -n 5 /var/log/containerd-import.log; die "could not import the sandbox image"; }
  for f in "$IMAGES_DIR"/*; do
    [ -f "$f" ] || continue
    case "$f" in
      *.tar) unpack="cat" ;;
      *.tar.bz2 | *.tbz) unpack="bzcat" ;;
      # Debian's zstd reads gzip and lz4 too.
      *.tar.zst | *.tzst | *.tar.gz | *.tgz | *.tar.lz4 | *.tlz4) unpack="zstd -dcq" ;;
      *) continue ;;
    esac
    # shellcheck disable=SC2086 # unpack is a command with its flags
    if $unpack "$f" 2>>/var/log/containerd-import.log | nctr images import - >>/var/log/containerd-import.log 2>&1; then
      log "Imported images from $f"
    else
      echo "time=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" level=error msg=\"Error encountered while importing $f: $(tail -n 1 /var/log/containerd-import.log)\""
    fi
  done
}

start_kubelet() { # kubeconfig client-ca: the API server's client certificate is checked with client-ca
  mkdir -p /var/lib/kubelet
  # failCgroupV1: these machines mount cgroup v1 (hybrid), which 1.35 refuses
  # by default. The node container cannot manage cgroups of its own here
  # (read-only cgroup mounts without --privileged), hence no QoS cgroups and
  # no node-allocatable enforcement. oomScoreAdj 0: the VM refuses negatives.
  cat >"$RUN/kubelet.yaml" <<KY
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $2}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
clusterDomain: cluster.local
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%"}
serializeImagePulls: false
KY
  import_images
  # shellcheck disable=SC2086 # KUBELET_ARGS is a list of flags
  start_bg kubelet kubelet --config "$RUN/kubelet.yaml" --kubeconfig "$1" \
    --root-dir /var/lib/kubelet --cert-dir /var/lib/kubelet/pki \
    --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1 $KUBELET_ARGS
}

api_ready() { # https://host:port: 200 from /readyz (busybox wget's TLS helper crashes here, so openssl)
  hp="${1#https://}"; hp="${hp%%/*}"
  # (In a subshell whose stderr is dropped: the shell's "Terminated" when timeout fires.)
  (printf 'GET /readyz HTTP/1.0\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n' "$hp" "$TOKEN" |
    timeout 5 openssl s_client -quiet -connect "$hp" 2>/dev/null | head -n 1 | grep -q " 200") 2>/dev/null
}

# Waits for the local etcd member to answer (k3s also starts its API server
# only then): a member joining an HA cluster takes seconds to catch up, longer
# than the API server's storage deadline on a busy machine.
wait_etcd() { # pid of etcd
  i=0
  until etcdctl --endpoints http://127.0.0.1:2379 --command-timeout 3s endpoint health >/dev/null 2>&1; do
    kill -0 "$1" 2>/dev/null || { tail -n 20 /var/log/etcd.log; die "etcd exited"; }
    i=$((i + 1))
    [ "$i" -lt 180 ] || { tail -n 20 /var/log/etcd.log; die "etcd did not become ready"; }
    sleep 1
  done
}

ETCD_DATA="$DATA/server/db/etcd"
bootstrap_key() { printf '/k3s-fake/bootstrap/%s' "$(printf %s "$TOKEN" | sha256sum | cut -c1-64)"; }

# --cluster-init: etcd reachable by the other servers (by container name, which
# survives IP changes across restarts), as k3s's embedded etcd.
start_etcd_init() {
  start_bg etcd etcd --name "$NODE_NAME" --data-dir "$ETCD_DATA" \
    --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls "http://$NODE_NAME:2379" \
    --listen-peer-urls http://0.0.0.0:2380 --initial-advertise-peer-urls "http://$NODE_NAME:2380" \
    --initial-cluster "$NODE_NAME=http://$NODE_NAME:2380" --listen-metrics-urls http://127.0.0.1:2381
}

# A joining server: the bootstrap data from the first server's etcd (found
# only with the right token), then, as k3s does, `member add --learner`, a
# local member, and `member promote` once it has caught up: a voting member
# added before it runs would leave the cluster without quorum meanwhile
# (requests time out, and the first server's controller-manager exits). One
# server at a time (Capstan waits for each), as etcd requires.
join_etcd() {
  host="${URL#https://}"; host="${host%%:*}"
  ep="http://$host:2379"
  if [ ! -d "$ETCD_DATA/member" ]; then
    i=0
    until api_ready "$URL"; do
      i=$((i + 1)); [ "$i" -lt 180 ] || die "the server at $URL did not answer"; sleep 1
    done
    mkdir -p "$TLS"; chmod 700 "$TLS"
    i=0
    until b="$(etcdctl --endpoints "$ep" get --print-value-only "$(bootstrap_key)" 2>/dev/null)" && [ -n "$b" ]; do
      i=$((i + 1)); [ "$i" -lt 30 ] || die "no bootstrap data at $ep for this token: wrong K3S_TOKEN, or the first server was not started with --cluster-init"
      sleep 1
    done
    echo "$b" | base64 -d | tar -xz -C "$TLS"
    log "joining the etcd cluster at $ep"
    # etcd refuses a member add ("unhealthy cluster") until every voting
    # member's peer link has been up for its 5 s health interval: the server
    # before this one may have been promoted a moment ago. Transient, so retry.
    i=0
    until added="$(etcdctl --endpoints "$ep" member add "$NODE_NAME" --learner --peer-urls "http://$NODE_NAME:2380" 2>&1)"; do
      case "$added" in
        *"unhealthy cluster"* | *"not enough started members"* | *"deadline exceeded"*) ;;
        *) die "etcd member add failed: $added" ;;
      esac
      i=$((i + 1)); [ "$i" -lt 60 ] || die "etcd member add failed: $added"
      sleep 1
    done
    id="$(echo "$added" | sed -n 's/^Member \([0-9a-f]*\) added.*/\1/p')"
    ic="$(echo "$added" | sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p')"
    [ -n "$id" ] && [ -n "$ic" ] || die "unexpected answer to etcd member add: $added"
    start_bg etcd etcd --name "$NODE_NAME" --data-dir "$ETCD_DATA" \
      --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls "http://$NODE_NAME:2379" \
      --listen-peer-urls http://0.0.0.0:2380 --initial-advertise-peer-urls "http://$NODE_NAME:2380" \
      --initial-cluster "$ic" --initial-cluster-state existing --listen-metrics-urls http://127.0.0.1:2381
    # etcd refuses the promotion until the learner's log is in sync.
    i=0
    until out="$(etcdctl --endpoints "$ep" member promote "$id" 2>&1)"; do
      kill -0 "$LAST_PID" 2>/dev/null || { tail -n 20 /var/log/etcd.log; die "etcd exited while joining"; }
      i=$((i + 1))
      [ "$i" -lt 120 ] || { tail -n 20 /var/log/etcd.log; die "etcd member promote failed: $out"; }
      sleep 1
    done
    log "etcd member $NODE_NAME promoted to voting member"
  else
    # A restart: the member and its peers are in the data directory.
    start_bg etcd etcd --name "$NODE_NAME" --data-dir "$ETCD_DATA" \
      --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls "http://$NODE_NAME:2379" \
      --listen-peer-urls http://0.0.0.0:2380 --initial-advertise-peer-urls "http://$NODE_NAME:2380" \
      --listen-metrics-urls http://127.0.0.1:2381
  fi
}

server() {
  [ -n "$TOKEN" ] || TOKEN="$(openssl rand -hex 16)"
  # The runtime starts alongside the control plane, as in k3s.
  start_containerd
  HA=false
  mkdir -p "$DATA/server/db"
  if [ -n "$URL" ]; then
    HA=true
    join_etcd
  elif [ "$CLUSTER_INIT" = 1 ]; then
    HA=true
    log "--cluster-init: embedded etcd, other servers may join"
    start_etcd_init
  else
    start_bg etcd etcd --name "$NODE_NAME" --data-dir "$ETCD_DATA" \
      --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
      --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
      --initial-cluster "$NODE_NAME=http://127.0.0.1:2380" --listen-metrics-urls http://127.0.0.1:2381
  fi
  ETCD_PID=$LAST_PID
  make_pki
  wait_etcd "$ETCD_PID"
  start_bg kube-apiserver kube-apiserver --bind-address 0.0.0.0 --secure-port 6443 \
    --advertise-address "$NODE_IP" \
    --etcd-servers http://127.0.0.1:2379 \
    --tls-cert-file "$TLS/serving-kube-apiserver.crt" --tls-private-key-file "$TLS/serving-kube-apiserver.key" \
    --client-ca-file "$TLS/ca.crt" --token-auth-file "$TLS/tokens.csv" \
    --authorization-mode Node,RBAC --allow-privileged=true --service-cluster-ip-range 10.43.0.0/16 \
    --service-account-key-file "$TLS/sa.pub" --service-account-signing-key-file "$TLS/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --kubelet-client-certificate "$TLS/apiserver-kubelet-client.crt" --kubelet-client-key "$TLS/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP --profiling=false --v=1
  i=0
  APISERVER_PID=$LAST_PID
  until api_ready https://127.0.0.1:6443; do
    kill -0 "$APISERVER_PID" 2>/dev/null || { tail -n 20 /var/log/kube-apiserver.log; die "the API server exited"; }
    i=$((i + 1))
    [ "$i" -lt 120 ] || { tail -n 20 /var/log/kube-apiserver.log; die "the API server did not become ready"; }
    sleep 1
  done
  if [ "$CLUSTER_INIT" = 1 ] && [ -z "$URL" ]; then
    tar -C "$TLS" -cz ca.crt ca.key sa.key sa.pub | base64 -w0 | etcdctl --endpoints http://127.0.0.1:2379 put "$(bootstrap_key)" >/dev/null ||
      die "could not store the bootstrap data in etcd"
  fi
  # Several servers: one active controller-manager and scheduler at a time.
  start_bg kube-controller-manager kube-controller-manager --kubeconfig "$RUN/controller.kubeconfig" \
    --leader-elect="$HA" --service-account-private-key-file "$TLS/sa.key" --root-ca-file "$TLS/ca.crt" \
    --cluster-signing-cert-file "$TLS/ca.crt" --cluster-signing-key-file "$TLS/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range 10.43.0.0/16 \
    --bind-address 127.0.0.1 --secure-port 0 --profiling=false --v=1
  start_bg kube-scheduler kube-scheduler --kubeconfig "$RUN/scheduler.kubeconfig" --leader-elect="$HA" \
    --bind-address 127.0.0.1 --secure-port 0 --profiling=false --v=1
  # Where k3s writes it, with k3s's names ("default") and URL.
  out="${K3S_KUBECONFIG_OUTPUT:-/etc/rancher/k3s/k3s.yaml}"
  mkdir -p "$(dirname "$out")"
  kubeconfig "$out" https://127.0.0.1:6443 "$(cert_lines admin)" default "$(ca_lines)"
  start_kubelet "$RUN/kubelet.kubeconfig" "$TLS/ca.crt"
  log "k3s is up and running"
}

agent() {
  [ -n "$URL" ] || die "--server or K3S_URL is required for agent"
  [ -n "$TOKEN" ] || die "--token or K3S_TOKEN is required for agent"
  start_containerd
  i=0
  until api_ready "$URL"; do
    i=$((i + 1))
    [ "$i" -lt 180 ] || die "the server at $URL did not answer"
    sleep 1
  done
  # The cluster CA, trusted on first use: the last certificate of the chain
  # the server presents (k3s with a token that carries no CA hash does the same).
  hp="${URL#https://}"; hp="${hp%%/*}"
  timeout 10 openssl s_client -showcerts -connect "$hp" </dev/null 2>/dev/null |
    awk '/-BEGIN CERTIFICATE-/ {c = ""} {c = c $0 "\n"} /-END CERTIFICATE-/ {last = c} END {printf "%s", last}' >"$RUN/server-ca.crt"
  openssl x509 -in "$RUN/server-ca.crt" -noout -text 2>/dev/null | grep -q "CA:TRUE" ||
    die "the server at $URL did not present its CA"
  cat >"$RUN/kubelet.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: default
  cluster:
    server: $URL
    certificate-authority: $RUN/server-ca.crt
users:
- name: default
  user:
    token: $TOKEN
contexts:
- name: default
  context: {cluster: default, user: default}
current-context: default
KC
  chmod 600 "$RUN/kubelet.kubeconfig"
  start_kubelet "$RUN/kubelet.kubeconfig" "$RUN/server-ca.crt"
  log "k3s agent is up and running"
}

case "$role" in
  server) server ;;
  agent) agent ;;
  --version|-v) echo "k3s version $(cat /usr/share/k3s-fake/version)+k3s-fake (capstan test image)"; exit 0 ;;
  *) die "usage: k3s server|agent [flags]" ;;
esac
# k3d waits for this line on agents too
( i=0; until grep -q "Successfully registered node" /var/log/kubelet.log 2>/dev/null; do i=$((i+1)); [ $i -lt 300 ] || exit 0; sleep 1; done
  log "Successfully registered node $NODE_NAME" ) &
supervise &
SUPERVISOR=$!
wait "$SUPERVISOR"
