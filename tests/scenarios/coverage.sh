#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `cca-sim coverage DIR` through the real binary, on a folder of two scenarios: what they
# reach is listed with the first scenario that does, what they do not is NOT REACHED (exit
# 1); a bad scenario in the folder or a missing folder is exit 2.
set -u
bin=$1 top=$2 out=$3
fail() {
	echo "coverage: $*" >&2
	exit 1
}
rm -rf "$out"
mkdir -p "$out/two"
cp "$top/scenarios/hotplug_deny.yaml" "$top/scenarios/psci_complete_conditions.yaml" "$out/two/"
"$bin" coverage "$out/two" >"$out/two.txt"
rc=$?
[ $rc -eq 1 ] || fail "two scenarios leave conditions unreached, yet exit $rc"
grep -q '^RMI_PSCI_COMPLETE$' "$out/two.txt" || fail "no RMI_PSCI_COMPLETE section"
grep -q '^  pending  *condition  *reached by 1 scenario, first psci_complete_conditions$' \
	"$out/two.txt" || fail "'pending' is not reached by psci_complete_conditions"
grep -q '^  on_denied  *decision  *reached by 1 scenario, first hotplug_deny$' "$out/two.txt" ||
	fail "'on_denied' is not reached by hotplug_deny"
grep -q '^  on_success  *decision  *reached by 1 scenario, first psci_complete_conditions$' \
	"$out/two.txt" || fail "'on_success' is not reached by psci_complete_conditions"
grep -q '^  ipa_align  *condition  *NOT REACHED by any scenario$' "$out/two.txt" ||
	fail "an unreached condition is not listed as such"
grep -q '^2 scenarios in .*: [0-9]* of [0-9]* conditions and decisions reached' "$out/two.txt" ||
	fail "no summary line"
printf 'name: broken\nrealm: {recs: 3}\n' >"$out/two/broken.yaml"
"$bin" coverage "$out/two" >/dev/null 2>"$out/broken.err"
[ $? -eq 2 ] || fail "an invalid scenario is not exit 2"
grep -q 'broken.yaml:2:' "$out/broken.err" || fail "the invalid scenario is not named"
"$bin" coverage "$out/no-such-dir" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing folder is not exit 2"
exit 0
