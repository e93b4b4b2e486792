#!/usr/bin/env bash
# Quick start, step 2: the whole test suite (unit tests per layer, lint, scenario tests through
# the real binary), from a fresh machine: installs what is missing and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)"
