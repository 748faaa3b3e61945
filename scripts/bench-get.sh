#!/usr/bin/env bash
# Wall time of `capstan get <args> -o json` against `kubectl get <args> -o json`
# on the test cluster (bench-10k holds 10 000 pods): median of N runs each,
# output to /dev/null, and the ratio capstan/kubectl (lower is better).
# Usage: scripts/bench-get.sh [runs=5] [get args... default: pods -A]
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash tests/cluster/cluster.sh env)"
export KUBECONFIG=$CAPSTAN_TEST_KUBECONFIG
RUNS=${1:-5}
shift || true
ARGS=("$@")
[ ${#ARGS[@]} -eq 0 ] && ARGS=(pods -A)
cargo build --release -q -p capstan-cli
BIN=${CARGO_TARGET_DIR:-target}/release/capstan

# median <cmd...>: seconds, median of $RUNS wall times.
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

count=$("$BIN" get "${ARGS[@]}" -o name | wc -l)
echo "objects: $count"
ours=$(median "$BIN" get "${ARGS[@]}" -o json)
theirs=$(median "$CAPSTAN_TEST_KUBECTL" get "${ARGS[@]}" -o json)
echo "capstan get ${ARGS[*]} -o json: median ${ours}s of $RUNS"
echo "kubectl get ${ARGS[*]} -o json: median ${theirs}s of $RUNS"
echo "ratio capstan/kubectl: $(echo "scale=3; $ours / $theirs" | bc)"
