#!/usr/bin/env bash
# Chart benchmark, on demand (not in CI): time per egui_plot frame of
# 4 series x 1 000 points turned into SVG (target <= 4 ms), release build.
# CAPSTAN_BENCH_FRAMES sets how many frames are timed (default 500).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench -q -p capstan-charts --bench frame
