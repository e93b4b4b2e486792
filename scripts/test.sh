#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Quick start, step 2: the whole test suite, from a fresh machine: installs what is missing,
# builds, and runs every test twice over: the optimised build (unit tests, scenarios through
# the real binary, each also under valgrind, lint, benchmark smoke runs), then a build with
# AddressSanitizer and UndefinedBehaviorSanitizer (memory errors, leaks, undefined behaviour),
# built with clang in Debug: the invariant checks are on, and the libFuzzer harnesses get a
# short run each (the long ones are scripts/fuzz.sh). In between, the Release build type is
# built too (gcc): its -O3 warns about things -O2 does not.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")

# Every standard build type must build warning-free (-Werror); the suite above ran the
# optimised RelWithDebInfo build and the sanitizer build below is Debug, so Release, where
# gcc's -O3 analyses warn about more, is built here too (build only: same sources, same tests).
echo "cca-sim: building the Release type (log in build-release/build.log)"
mkdir -p build-release
if ! { cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release &&
	cmake --build build-release -j"$(nproc)"; } >build-release/build.log 2>&1; then
	tail -n 40 build-release/build.log >&2
	exit 1
fi

echo "cca-sim: building with ASan and UBSan (log in build-sanitize/build.log)"
mkdir -p build-sanitize
if ! { CC=clang cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCCA_SANITIZE=ON \
	-DCCA_FUZZ=ON &&
	cmake --build build-sanitize -j"$(nproc)"; } >build-sanitize/build.log 2>&1; then
	tail -n 40 build-sanitize/build.log >&2
	exit 1
fi
# Lint and benchmarks were covered above; here every program runs under the sanitizers.
(cd build-sanitize && ctest --output-on-failure -j"$(nproc)" -E '^(lint_|bench_)')
