#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Quick start, step 1: install what is needed, build, and run the headline scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
./build/cca-sim run scenarios/hotplug_deny.yaml
