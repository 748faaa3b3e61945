#!/usr/bin/env bash
# Start-up benchmark, on demand (not in CI): builds the app and measures warm
# start to interactive window and idle memory under Xvfb.
set -euo pipefail
# shellcheck source=scripts/lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
ensure_apt "${APP_PACKAGES[@]}" xvfb
ensure_toolchains
ensure_ui_modules
build_ui
build_app
cargo build --quiet -p capstan-e2e --bin bench-startup
exec xvfb-run -a -s "-screen 0 1280x800x24" "$CARGO_TARGET_DIR/debug/bench-startup"
