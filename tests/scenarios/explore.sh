#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `cca-sim explore` through the real binary, the three results of its first version:
#   - under --profile tf-rmm, deny_runnable_target (its own answers replaced by the
#     explorer's) breaks "a failed command changes nothing": TR1, a refused DENY that still
#     completes the request; the spec profile explores it clean;
#   - under 1.0-eac2 the realm's PSCI_CPU_ON can never receive PSCI_DENIED, under 1.0-rel0 it
#     can (the spec change the 2023 thread asked for);
#   - the shipped hotplug scenarios explore clean under 1.0-rel0 and the spec profile.
# Also: --json is one object, and a scenario with host steps (no automatic VMM) is refused.
set -u
bin=$1 python=$2 top=$3 out=$4
fail() {
	echo "explore: $*" >&2
	exit 1
}
mkdir -p "$out"
cd "$top" || exit 1
"$bin" explore --profile tf-rmm scenarios/deny_runnable_target.yaml >"$out/tr1.txt"
[ $? -eq 1 ] || fail "tf-rmm: TR1 is not found (exit code)"
grep -q '^VIOLATION failed_command_changes_nothing at event [0-9]*: RMI_PSCI_COMPLETE failed (RMI_ERROR_INPUT, condition status) yet changed' "$out/tr1.txt" ||
	fail "tf-rmm: the violation is not TR1's"
grep -q 'reproduce with host answers \[{call: PSCI_CPU_ON, status: PSCI_DENIED}\]' "$out/tr1.txt" ||
	fail "tf-rmm: the counterexample's answers are not given"
"$bin" explore scenarios/deny_runnable_target.yaml >"$out/spec.txt" ||
	fail "spec profile: deny_runnable_target does not explore clean"
"$bin" explore --spec 1.0-eac2 scenarios/hotplug_deny.yaml >"$out/eac2.txt" || fail "eac2 run"
"$bin" explore --spec 1.0-rel0 scenarios/hotplug_deny.yaml >"$out/rel0.txt" || fail "rel0 run"
grep -q '^  REC 0, its PSCI_CPU_ON number 1:' "$out/eac2.txt" || fail "eac2: no CPU_ON results"
grep '^  REC 0, its PSCI_CPU_ON number 1:' "$out/eac2.txt" | grep -q DENIED &&
	fail "eac2: the realm could receive PSCI_DENIED"
grep '^  REC 0, its PSCI_CPU_ON number 1:' "$out/rel0.txt" | grep -q 'PSCI_DENIED' ||
	fail "rel0: the realm cannot receive PSCI_DENIED"
for f in hotplug_allow hotplug_deny plug_then_allow unplug_replug already_on; do
	"$bin" explore "scenarios/$f.yaml" >"$out/$f.txt" || fail "$f does not explore clean"
	grep -q '^every guarantee held in every run$' "$out/$f.txt" || fail "$f: no clean summary"
done
grep -q '^explore plug_then_allow: 21 runs, 5 decision points' "$out/plug_then_allow.txt" ||
	fail "plug_then_allow: not every answer at every decision point was run"
"$bin" explore --json --profile tf-rmm scenarios/deny_runnable_target.yaml >"$out/tr1.json"
"$python" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["violations"][0]["invariant"] == "failed_command_changes_nothing", d
assert d["violations"][0]["answers"] == ["PSCI_DENIED"], d
assert d["runs"] == 5 and d["decision_points"] == 1, d
' "$out/tr1.json" || fail "--json is not the summary"
# The counterexample replays through `cca-sim run --check-invariants`: the shipped tf-rmm
# scenario has the explorer's answers; its own expectations hold, the invariant does not.
"$bin" run --quiet --check-invariants scenarios/deny_runnable_target_tf_rmm.yaml >/dev/null \
	2>"$out/replay.err"
[ $? -eq 1 ] || fail "the TR1 replay does not fail --check-invariants"
grep -q 'deny_runnable_target_tf_rmm.yaml: invariant failed_command_changes_nothing broken at event [0-9]*: RMI_PSCI_COMPLETE failed' \
	"$out/replay.err" || fail "the replay does not name the invariant"
"$bin" run --quiet scenarios/deny_runnable_target_tf_rmm.yaml >/dev/null ||
	fail "without --check-invariants the tf-rmm scenario's own expectations do not hold"
"$bin" run --quiet --check-invariants scenarios/hotplug_deny.yaml >/dev/null ||
	fail "hotplug_deny breaks an invariant"
"$bin" explore scenarios/enter_before_complete.yaml >/dev/null 2>"$out/steps.err"
[ $? -eq 2 ] && grep -q 'a scenario with host steps has none' "$out/steps.err" ||
	fail "a scenario with host steps is not refused"
exit 0
