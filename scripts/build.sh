#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Configures and builds cca-sim into build/ (optimised, with debug information). The
# compiler's output goes to build/build.log and is shown only if the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
echo "cca-sim: building (log in build/build.log)"
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
	cmake --build build -j"$(nproc)"; } >build/build.log 2>&1; then
	tail -n 40 build/build.log >&2
	echo "cca-sim: build failed; see build/build.log" >&2
	exit 1
fi
