#!/usr/bin/env bash
# Regenerates icons/ from icons/source.svg with Tauri's icon generator.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/ui"
npx --yes @tauri-apps/cli@2 icon "$root/icons/source.svg" -o "$root/icons"
# Capstan ships for desktop only.
rm -rf "$root/icons/android" "$root/icons/ios"
