#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The long fuzzing runs (nightly; docs/fuzzing.md). Builds build-fuzz with clang, ASan and
# UBSan, the invariant checks of Debug builds and the libFuzzer harnesses, then runs
#   - fuzz_scenario_parser and fuzz_rmm for RUNS executions each (default 1000000), seeded
#     with the shipped scenarios, the regression inputs and the RMM seeds, the parser with
#     the YAML dictionary;
#   - gen_scenarios for SCENARIOS random scenarios (default 100000), split into JOBS shards
#     with seeds 1..JOBS (default 2).
# Corpora grow in build-fuzz/corpus-*; findings go to build-fuzz/findings (libFuzzer's crash-*,
# leak-*, timeout-*, oom-*; the generator's fail-*.yaml, or current.yaml after a crash or
# hang). Logs: build-fuzz/fuzz-*.log. The exit code is 0 only if nothing was found.
# Usage: scripts/fuzz.sh [RUNS [SCENARIOS [JOBS]]]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000} scenarios=${2:-100000} jobs=${3:-2}
scripts/deps.sh
mkdir -p build-fuzz
echo "cca-sim: building the fuzzing build (log in build-fuzz/build.log)"
if ! { CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCCA_SANITIZE=ON \
	-DCCA_FUZZ=ON && cmake --build build-fuzz -j"$(nproc)" --target fuzz_scenario_parser \
	fuzz_rmm gen_scenarios; } >build-fuzz/build.log 2>&1; then
	tail -n 40 build-fuzz/build.log >&2
	exit 1
fi
out=build-fuzz/findings
mkdir -p "$out" build-fuzz/corpus-parser build-fuzz/corpus-rmm
status=0
t0=$(date +%s)

fuzz() { # NAME HARNESS ARGS...
	local name=$1 bin=$2
	shift 2
	local start end
	start=$(date +%s)
	if ! "$bin" -runs="$runs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix="$out/$name-" "$@" >"build-fuzz/fuzz-$name.log" 2>&1; then
		echo "cca-sim: $name found something: see build-fuzz/fuzz-$name.log and $out" >&2
		status=1
	fi
	end=$(date +%s)
	echo "$name: $(grep -E '^#[0-9]+.*DONE' "build-fuzz/fuzz-$name.log" | tail -n 1) in $((end - start)) s"
}

fuzz parser build-fuzz/tests/fuzz/fuzz_scenario_parser -dict=tests/fuzz/scenario.dict \
	build-fuzz/corpus-parser scenarios tests/scenarios/regress tests/fuzz/regress &
fuzz rmm build-fuzz/tests/fuzz/fuzz_rmm build-fuzz/corpus-rmm tests/fuzz/corpus_rmm &
wait

per=$(((scenarios + jobs - 1) / jobs))
start=$(date +%s)
for ((j = 1; j <= jobs; j++)); do
	mkdir -p "$out/gen-$j"
	build-fuzz/tests/fuzz/gen_scenarios --seed "$j" --count "$per" --shipped scenarios \
		--keep "$out/gen-$j" >"build-fuzz/fuzz-gen-$j.log" 2>&1 &
done
for ((j = 1; j <= jobs; j++)); do
	if ! wait -n; then
		status=1
	fi
done
end=$(date +%s)
for ((j = 1; j <= jobs; j++)); do
	tail -n 1 "build-fuzz/fuzz-gen-$j.log"
done
echo "gen_scenarios: $((per * jobs)) scenarios in $((end - start)) s"
[ $status -ne 0 ] && echo "cca-sim: findings in $out" >&2
echo "cca-sim: fuzzing took $(($(date +%s) - t0)) s"
exit $status
