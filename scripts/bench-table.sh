#!/usr/bin/env bash
# Resource-table benchmarks, on demand (not in CI): the backend on 10 000
# Pending pods (store, rows, memory, event rate, replayed pipeline), then the
# same pods through the real window. Needs the test cluster (started here).
set -euo pipefail
# shellcheck source=scripts/lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
ensure_apt "${APP_PACKAGES[@]}" xvfb webkit2gtk-driver
ensure_toolchains
ensure_ui_modules
bash "$ROOT/tests/cluster/cluster.sh" up >/dev/null
eval "$(bash "$ROOT/tests/cluster/cluster.sh" env)"
CAPSTAN_BENCH_KEEP=1 cargo bench -p capstan-kube --bench table_10k
build_ui
# Release build: a debug build projects rows several times slower.
cargo build --quiet --release -p capstan --features capstan/custom-protocol
cargo build --quiet -p capstan-e2e --bin bench-table
CAPSTAN_APP_BIN="$CARGO_TARGET_DIR/release/capstan-app" "$CARGO_TARGET_DIR/debug/bench-table"
