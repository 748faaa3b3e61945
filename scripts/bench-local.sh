#!/usr/bin/env bash
# Local cluster benchmark, on demand (not in CI): creates and deletes 1 server
# + 2 agents CAPSTAN_BENCH_ROUNDS times (default 3) with the k3s stand-in node
# image (no image can be pulled here) and prints the time to each step.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/setup.sh
source scripts/lib/setup.sh
ensure_docker
CAPSTAN_K3S_IMAGE="$(bash tests/local/build-node-image.sh)"
export CAPSTAN_K3S_IMAGE
# This engine cannot grant every capability (tests/local/node-image/README.md).
export CAPSTAN_LOCAL_UNPRIVILEGED_NODES=1
exec cargo bench -q -p capstan-local --bench create
