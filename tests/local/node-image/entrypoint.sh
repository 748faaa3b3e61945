#!/bin/sh
# Entry point of capstan.local/k3s-fake (built by tests/local/build-node-image.sh):
# a stand-in for the `k3s` binary that honours the CLI surface Capstan uses.
#
#   k3s server [--cluster-init] [--tls-san X]... [--token T] [--kubelet-arg K=V]... [other args: logged, ignored]
#   k3s agent  [--token T] [--server URL] [--kubelet-arg K=V]...
#   env: K3S_TOKEN, K3S_URL=https://<server>:6443, K3S_KUBECONFIG_OUTPUT
#
# Real: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubelet
# (Kubernetes 1.20.2), certificates with the --tls-san entries and the container
# IP, node registration and Ready as the kubelet reports it.
# Substituted (say so in tests): the kubelet's runtime is the HOST Docker engine
# through a mounted /var/run/docker.sock (1.20 dockershim), so pods run as sibling
# containers on the host engine, not inside the node; agents authenticate with the
# shared token as a token-file user instead of k3s's token -> node certificate
# exchange, and skip verifying the server certificate; no flannel/CoreDNS/
# traefik. HA (3 servers): etcd members talk plain HTTP on the cluster network
# and the bootstrap data (CA and service-account keys) is stored in etcd under
# the token's hash unencrypted, where k3s encrypts it with the token.
set -eu

DATA=/var/lib/rancher/k3s
TLS="$DATA/server/tls"
RUN=/run/k3s-fake
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
  PIDS="$PIDS $!"
}
shutdown() {
  log "stopping"
  # shellcheck disable=SC2086
  kill $PIDS 2>/dev/null || true
  wait
  exit 0
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
  # The shared token admits agents (see the header: a substitute for k3s's exchange).
  printf '%s,k3s-agent,k3s-agent,"system:masters"\n' "$TOKEN" >"$TLS/tokens.csv"
  chmod 600 "$TLS/tokens.csv"
  kubeconfig "$RUN/controller.kubeconfig" https://127.0.0.1:6443 "$(cert_lines controller)" default "$(ca_lines)"
  kubeconfig "$RUN/scheduler.kubeconfig" https://127.0.0.1:6443 "$(cert_lines scheduler)" default "$(ca_lines)"
  kubeconfig "$RUN/kubelet.kubeconfig" https://127.0.0.1:6443 "$(cert_lines node)" default "$(ca_lines)"
}

start_kubelet() { # kubeconfig
  mkdir -p /var/lib/kubelet "$RUN/dockershim"
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
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
oomScoreAdj: 0
clusterDomain: cluster.local
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%"}
KY
  [ -S /var/run/docker.sock ] || die "no container runtime: mount the host Docker socket (-v /var/run/docker.sock:/var/run/docker.sock)"
  # Pods become sibling containers on the host engine (see the header).
  # shellcheck disable=SC2086 # KUBELET_ARGS is a list of flags
  start_bg kubelet kubelet --config "$RUN/kubelet.yaml" --kubeconfig "$1" \
    --container-runtime docker --docker-endpoint unix:///var/run/docker.sock \
    --pod-infra-container-image "${K3S_FAKE_PAUSE_IMAGE:-capstan.local/pause:1}" \
    --root-dir /var/lib/kubelet --cert-dir /var/lib/kubelet/pki \
    --experimental-dockershim-root-directory "$RUN/dockershim" \
    --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1 $KUBELET_ARGS
}

api_ready() { # https://host:port: 200 from /readyz (busybox wget's TLS helper crashes here, so openssl)
  hp="${1#https://}"; hp="${hp%%/*}"
  printf 'GET /readyz HTTP/1.0\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n' "$hp" "$TOKEN" |
    timeout 5 openssl s_client -quiet -connect "$hp" 2>/dev/null | head -n 1 | grep -q " 200"
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
# only with the right token), then `member add` and a local member. One server
# at a time (Capstan waits for each), as etcd requires.
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
    added="$(etcdctl --endpoints "$ep" member add "$NODE_NAME" --peer-urls "http://$NODE_NAME:2380")" ||
      die "etcd member add failed: $added"
    ic="$(echo "$added" | sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p')"
    start_bg etcd etcd --name "$NODE_NAME" --data-dir "$ETCD_DATA" \
      --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls "http://$NODE_NAME:2379" \
      --listen-peer-urls http://0.0.0.0:2380 --initial-advertise-peer-urls "http://$NODE_NAME:2380" \
      --initial-cluster "$ic" --initial-cluster-state existing --listen-metrics-urls http://127.0.0.1:2381
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
  make_pki
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
  until api_ready https://127.0.0.1:6443; do
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
    --bind-address 127.0.0.1 --port 0 --secure-port 0 --profiling=false --v=1
  start_bg kube-scheduler kube-scheduler --kubeconfig "$RUN/scheduler.kubeconfig" --leader-elect="$HA" \
    --bind-address 127.0.0.1 --port 0 --secure-port 0 --profiling=false --v=1
  # Where k3s writes it, with k3s's names ("default") and URL.
  out="${K3S_KUBECONFIG_OUTPUT:-/etc/rancher/k3s/k3s.yaml}"
  mkdir -p "$(dirname "$out")"
  kubeconfig "$out" https://127.0.0.1:6443 "$(cert_lines admin)" default "$(ca_lines)"
  start_kubelet "$RUN/kubelet.kubeconfig"
  log "k3s is up and running"
}

agent() {
  [ -n "$URL" ] || die "--server or K3S_URL is required for agent"
  [ -n "$TOKEN" ] || die "--token or K3S_TOKEN is required for agent"
  i=0
  until api_ready "$URL"; do
    i=$((i + 1))
    [ "$i" -lt 180 ] || die "the server at $URL did not answer"
    sleep 1
  done
  cat >"$RUN/kubelet.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: default
  cluster:
    server: $URL
    insecure-skip-tls-verify: true
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
  start_kubelet "$RUN/kubelet.kubeconfig"
  log "k3s agent is up and running"
}

case "$role" in
  server) server ;;
  agent) agent ;;
  --version|-v) echo "k3s version v1.20.2+k3s-fake (capstan test image)"; exit 0 ;;
  *) die "usage: k3s server|agent [flags]" ;;
esac
# k3d waits for this line on agents too
( i=0; until grep -q "Successfully registered node" /var/log/kubelet.log 2>/dev/null; do i=$((i+1)); [ $i -lt 300 ] || exit 0; sleep 1; done
  log "Successfully registered node $NODE_NAME" ) &
supervise &
wait $!
