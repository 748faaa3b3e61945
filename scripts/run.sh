#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine (only what is missing), builds Capstan and runs it.
set -euo pipefail
# shellcheck source=scripts/lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"

ensure_apt "${APP_PACKAGES[@]}"
ensure_toolchains
ensure_ui_modules
build_ui
build_app
log "starting Capstan"
exec "$CARGO_TARGET_DIR/debug/capstan-app" "$@"
