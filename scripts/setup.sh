#!/usr/bin/env bash
# Quick start, step 1: install what is needed, build, and run the headline scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
if [ -f scenarios/hotplug_deny.yaml ] && ./build/cca-sim run --help >/dev/null 2>&1; then
	./build/cca-sim run scenarios/hotplug_deny.yaml
else
	./build/cca-sim --version
fi
