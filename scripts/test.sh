#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine (only what is missing) and runs every
# test: formatting, lints, type checks, unit tests (Rust and UI), the real
# Kubernetes test cluster with its checks, and end-to-end tests through the
# real app window. .ci/run calls exactly this.
set -euo pipefail
# shellcheck source=scripts/lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

step() { log "$*"; STEP="$*"; }
trap 'code=$?; [ $code -ne 0 ] && printf "\033[1;31mFAILED during: %s\033[0m\n" "${STEP:-setup}" >&2' EXIT

step "set-up"
ensure_apt "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_toolchains
ensure_ui_modules
ensure_tauri_driver
ensure_docker
tests/cluster/cluster.sh deps

step "formatting (cargo fmt --check)"
cargo fmt --all --check

step "UI type check, lint, unit tests"
(cd ui && npm run --silent typecheck && npm run --silent lint && npm run --silent test)
build_ui

# One feature set everywhere, so clippy, tests and the e2e app share builds.
FEATURES=(--features capstan/custom-protocol)

step "clippy"
cargo clippy --quiet --workspace --all-targets "${FEATURES[@]}" -- -D warnings

step "real test cluster (build when not cached, start, check)"
tests/cluster/cluster.sh build
tests/cluster/cluster.sh up
trap 'code=$?; tests/cluster/cluster.sh down >/dev/null 2>&1 || true; [ $code -ne 0 ] && printf "\033[1;31mFAILED during: %s\033[0m\n" "${STEP:-setup}" >&2; exit $code' EXIT
eval "$(tests/cluster/cluster.sh env)"
tests/cluster/check.sh

step "Rust tests"
cargo test --workspace "${FEATURES[@]}"

step "OS keyring: Secret Service round trip in a private D-Bus session"
# A headless machine has no keyring daemon; this gives the test one, unlocked
# with a throwaway password, for the life of this command only.
dbus-run-session -- sh -c 'printf capstan | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
  exec cargo test -p capstan-kube --lib -- --ignored secret_service_round_trip'

step "generated TypeScript bindings are current"
if [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  git status --porcelain -- ui/src/bindings >&2
  die "ui/src/bindings differs from the Rust types: run cargo test and commit the result"
fi

step "end-to-end tests through the app window"
build_app
# The installed-package tests run in the next step, against the package.
cargo test -p capstan-e2e -- --ignored --test-threads=1 --skip installed_package

step "Linux packages: build .deb/.rpm, install, launch, upgrade, purge"
scripts/package-test.sh

step "done"
log "all tests passed"
