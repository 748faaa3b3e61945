#!/usr/bin/env bash
# Port-forward benchmark, on demand (not in CI): `capstan forward` against
# `kubectl port-forward` to the same pod of the test cluster in one run —
# throughput and first-byte latency as ratios capstan/kubectl (throughput:
# higher is better; latency: lower), plus 100 concurrent connections checked
# byte by byte. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash tests/cluster/cluster.sh env)"
exec cargo bench -q -p capstan-cli --bench forward
