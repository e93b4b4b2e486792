#!/usr/bin/env bash
# Configures and builds cca-sim into build/ (Release with assertions kept by the code itself).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
