#!/usr/bin/env bash
# Kills packline-stationd with SIGKILL at random points of a long synced
# shift, restarts it each time, and checks at the end that the hub holds every
# confirmation exactly once (tests/e2e/kill_test.cpp; CI runs 50 kills).
#   ./scripts/kill-test.sh [KILLS] [SEED]     default 1000 kills
# About a second per kill. Needs a build (./scripts/test.sh or the README's
# build) and mosquitto.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-1000}
seed=${2:-20261207}
export CCACHE_BASEDIR="$PWD"
cmake --build build -j"${PACKLINE_JOBS:-2}" --target kill_test packline-stationd packline-hub
PACKLINE_KILLS="$kills" PACKLINE_KILL_SEED="$seed" build/tests/kill_test
