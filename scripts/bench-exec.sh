#!/usr/bin/env bash
# Exec benchmark, on demand (not in CI): `capstan exec` against `kubectl exec`
# on the same pod of the test cluster in one run — keystroke echo round trip
# through a TTY (median, ms; lower is better) and `cat` of 100 MiB (MB/s;
# higher is better), each as a ratio capstan/kubectl. Needs `script`
# (util-linux) for the clients' pseudo-terminal. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash tests/cluster/cluster.sh env)"
exec cargo bench -q -p capstan-cli --bench exec
