#!/usr/bin/env bash
# Builds Packline and runs a simulated packing shift through the real station:
#   ./scripts/demo.sh [--orders N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target packline packline-stationd
exec build/bin/packline demo "$@"
