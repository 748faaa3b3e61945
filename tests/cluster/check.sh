#!/usr/bin/env bash
# Proves the test cluster with the real kubectl: node Ready, seeded pods
# Running, `logs -f` receives new lines, `exec` answers, `port-forward svc/web`
# carries an HTTP request. Every wait is bounded. Exits non-zero on a failure.
#
# Needs the cluster's environment: eval "$(tests/cluster/cluster.sh env)"
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${CAPSTAN_TEST_KUBECONFIG:-}" ]; then
  eval "$("$HERE/cluster.sh" env)"
fi
KUBECTL="${CAPSTAN_TEST_KUBECTL:?run: eval \"\$(tests/cluster/cluster.sh env)\"}"
# The version the cluster is built at (gomod/kubernetes/go.mod).
WANT_VERSION="$("$HERE/cluster.sh" version)"
NS=capstan-demo
TMP="$(mktemp -d)"
PF_PID=""
cleanup() {
  [ -n "$PF_PID" ] && kill "$PF_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

k() { timeout 60 "$KUBECTL" --kubeconfig "$CAPSTAN_TEST_KUBECONFIG" --request-timeout=30s "$@"; }

passed=0
failed=0
check() { # name command...
  local name="$1"
  shift
  if "$@" >"$TMP/out" 2>&1; then
    printf 'PASS  %s\n' "$name"
    passed=$((passed + 1))
  else
    printf 'FAIL  %s\n' "$name"
    sed 's/^/      /' "$TMP/out" | tail -n 20
    failed=$((failed + 1))
  fi
}

# retry SECONDS command...: retries until success or the deadline
retry() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

node_ready() {
  [ "$(k get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{end}')" = True ]
}

seeded_pods_running() {
  local phases
  phases="$(k -n "$NS" get pods -l 'app in (web,db)' -o jsonpath='{range .items[*]}{.metadata.name}={.status.phase}{"\n"}{end}')"
  echo "$phases"
  [ "$(grep -c '=Running$' <<<"$phases")" -ge 3 ] && ! grep -qv '=Running$' <<<"$phases"
}

same_version() {
  k version -o json | tee "$TMP/version"
  [ "$(jq -r .serverVersion.gitVersion "$TMP/version")" = "$WANT_VERSION" ] &&
    [ "$(jq -r .clientVersion.gitVersion "$TMP/version")" = "$WANT_VERSION" ]
}

# metrics-server answers through the aggregated metrics.k8s.io API.
metrics_api() {
  k top node && k -n "$NS" top pod --no-headers | grep -q .
}

# helm, built beside the cluster, talks to it.
helm_lists() {
  "$CAPSTAN_TEST_HELM" --kubeconfig "$CAPSTAN_TEST_KUBECONFIG" list -A
}

token_user() {
  timeout 30 "$KUBECTL" --kubeconfig "$CAPSTAN_TEST_TOKEN_KUBECONFIG" --request-timeout=20s get nodes
}

# logs -f must deliver lines written after it started: two distinct new
# numbered lines within 8 s, with --tail=1 so the first one is old.
logs_follow() {
  local pod
  pod="$(k -n "$NS" get pods -l app=web -o jsonpath='{.items[0].metadata.name}')"
  timeout 8 "$KUBECTL" --kubeconfig "$CAPSTAN_TEST_KUBECONFIG" -n "$NS" logs -f --tail=1 "$pod" >"$TMP/logs" 2>&1
  cat "$TMP/logs"
  local first last
  first="$(grep -m1 -oE '^line [0-9]+' "$TMP/logs" | cut -d' ' -f2)"
  last="$(grep -oE '^line [0-9]+' "$TMP/logs" | tail -n1 | cut -d' ' -f2)"
  [ -n "$first" ] && [ -n "$last" ] && [ "$last" -ge $((first + 3)) ]
}

exec_echo() {
  local out
  out="$(k -n "$NS" exec deploy/web -- echo capstan-exec-ok)"
  echo "$out"
  [ "$out" = capstan-exec-ok ]
}

free_port() {
  local p
  for p in $(shuf -i 20000-40000 -n 20); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

port_forward() {
  local port
  port="$(free_port)" || return 1
  timeout 60 "$KUBECTL" --kubeconfig "$CAPSTAN_TEST_KUBECONFIG" -n "$NS" port-forward svc/web "$port:80" >"$TMP/pf" 2>&1 &
  PF_PID=$!
  retry 20 grep -q "Forwarding from 127.0.0.1:$port" "$TMP/pf" || { cat "$TMP/pf"; return 1; }
  local body
  body="$(curl -sf --max-time 10 "http://127.0.0.1:$port/")"
  echo "$body"
  kill "$PF_PID" 2>/dev/null
  wait "$PF_PID" 2>/dev/null
  PF_PID=""
  grep -q 'capstan web' <<<"$body"
}

echo "kubectl: $KUBECTL ($("$KUBECTL" version --client -o json 2>/dev/null | grep -m1 gitVersion | tr -d ' ",'))"
echo "cluster: $CAPSTAN_TEST_SERVER"
check "kubectl $WANT_VERSION talks to the $WANT_VERSION server" same_version
check "node Ready" retry 60 node_ready
check "seeded pods (web x2, db-0) Running" retry 90 seeded_pods_running
check "token user can list nodes" token_user
check "logs -f receives new lines" logs_follow
check "exec -- echo answers" exec_echo
check "port-forward svc/web carries an HTTP request" port_forward
check "top node / top pod (metrics-server)" retry 60 metrics_api
check "helm list -A" helm_lists

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
