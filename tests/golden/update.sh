#!/usr/bin/env bash
# update.sh [CCA_SIM]: regenerates the golden files from the current binary (default
# build/cca-sim). Run it only when a change of the flow or of a view is intended, then
# review `git diff tests/golden` before committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/cca-sim}
for name in hotplug_allow hotplug_deny; do
	scenario=$root/scenarios/$name.yaml
	"$bin" run --quiet --no-color --json "$here/$name.jsonl" "$scenario" >/dev/null
	for ext in svg mmd puml; do
		"$bin" run --quiet --no-color --diagram "$here/$name.$ext" "$scenario" >/dev/null
	done
done
# cca-sim diff of hotplug_deny under 1.0-eac2 and 1.0-rel0, from the top folder (diff_check.sh)
(cd "$root" && "$bin" diff scenarios/hotplug_deny.yaml --spec 1.0-eac2 --spec 1.0-rel0 \
	--diagram "$here/hotplug_deny_eac2_rel0.mmd" >"$here/hotplug_deny_eac2_rel0.diff") || true
echo "golden files regenerated in $here; review them with: git diff tests/golden"
