#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `cca-sim explore` through the real binary (docs/explore.md):
#   - under --profile tf-rmm, deny_runnable_target (its own answers replaced by the
#     explorer's) breaks "a failed command changes nothing": TR1, a refused DENY that still
#     completes the request. Its counterexample is written as explicit host steps, shortened
#     to the three that matter, and replays through `cca-sim run --check-invariants` (exit 1,
#     naming the guarantee); the spec profile explores the scenario clean;
#   - under 1.0-eac2 the realm's PSCI_CPU_ON can never receive PSCI_DENIED, under 1.0-rel0 it
#     can (the spec change the 2023 thread asked for);
#   - the shipped hotplug scenarios explore clean under 1.0-rel0 and the spec profile, with
#     every PSCI answer, the REC schedules and one tampering action per run;
#   - a guarantee broken on purpose in this test build (CCA_SIM_TEST_FAULT) is caught, with a
#     counterexample that fails only where the fault is;
#   - --depth 1 runs each alternative of the first decision point once; --shard I/N splits a
#     search into parts that together make every run of the whole once (without merging:
#     the same count), and find the same results;
#   - --json is one object; a scenario with host steps (no automatic VMM) is refused.
set -u
bin=$1 python=$2 top=$3 out=$4 faults=${5:-0}
fail() {
	echo "explore: $*" >&2
	exit 1
}
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1

# TR1, and its counterexample
"$bin" explore --profile tf-rmm --out "$out/cx" scenarios/deny_runnable_target.yaml >"$out/tr1.txt"
[ $? -eq 1 ] || fail "tf-rmm: TR1 is not found (exit code)"
grep -q '^VIOLATION failed_command_changes_nothing at event [0-9]*: RMI_PSCI_COMPLETE failed (RMI_ERROR_INPUT, condition status) yet changed' "$out/tr1.txt" ||
	fail "tf-rmm: the violation is not TR1's"
grep -q "complete REC 0's PSCI_CPU_ON for REC 2 with PSCI_DENIED" "$out/tr1.txt" ||
	fail "tf-rmm: the decision that leads there is not given"
cx=$out/cx/deny_runnable_target_failed_command_changes_nothing.yaml
[ -f "$cx" ] || fail "tf-rmm: no counterexample written"
grep -q "written as $cx (3 host steps)" "$out/tr1.txt" || fail "tf-rmm: not shortened to 3 steps"
grep -A3 '^  steps:' "$cx" | grep -q 'psci_complete: {calling: rec0, target: rec2, status: PSCI_DENIED}' ||
	fail "tf-rmm: the counterexample does not deny"
"$bin" run --quiet --check-invariants "$cx" >/dev/null 2>"$out/cx.err"
[ $? -eq 1 ] || fail "the TR1 counterexample does not fail --check-invariants"
grep -q "invariant failed_command_changes_nothing broken at event" "$out/cx.err" ||
	fail "the counterexample's replay does not name the invariant"
"$bin" run --quiet --check-invariants --profile spec "$cx" >/dev/null 2>&1 ||
	fail "the counterexample fails under the spec profile too"
"$bin" explore scenarios/deny_runnable_target.yaml >"$out/spec.txt" ||
	fail "spec profile: deny_runnable_target does not explore clean"

# eac2 cannot deny, rel0 can
"$bin" explore --spec 1.0-eac2 scenarios/hotplug_deny.yaml >"$out/eac2.txt" || fail "eac2 run"
"$bin" explore --spec 1.0-rel0 scenarios/hotplug_deny.yaml >"$out/rel0.txt" || fail "rel0 run"
grep -q '^  REC 0, its PSCI_CPU_ON number 1:' "$out/eac2.txt" || fail "eac2: no CPU_ON results"
grep '^  REC 0, its PSCI_CPU_ON number 1:' "$out/eac2.txt" | grep -q DENIED &&
	fail "eac2: the realm could receive PSCI_DENIED"
grep '^  REC 0, its PSCI_CPU_ON number 1:' "$out/rel0.txt" | grep -q 'PSCI_DENIED' ||
	fail "rel0: the realm cannot receive PSCI_DENIED"

# the shipped hotplug scenarios
for f in hotplug_allow hotplug_deny plug_then_allow unplug_replug already_on hotplug_four; do
	"$bin" explore --max-runs 1000 "scenarios/$f.yaml" >"$out/$f.txt" ||
		fail "$f does not explore clean"
	grep -q '^every guarantee held in every run$' "$out/$f.txt" || fail "$f: no clean summary"
done

# a guarantee broken on purpose (only a test build has the faults)
if [ "$faults" = 1 ]; then
	CCA_SIM_TEST_FAULT=deny_runnable "$bin" explore scenarios/deny_runnable_target.yaml \
		>"$out/fault1.txt"
	[ $? -eq 1 ] && grep -q '^VIOLATION permitted_psci_result at event [0-9]*: REC 0.s PSCI_CPU_ON received PSCI_DENIED for a target that was RUNNABLE' \
		"$out/fault1.txt" || fail "a host allowed to deny a RUNNABLE target is not caught"
	CCA_SIM_TEST_FAULT=no_scrub "$bin" explore --tamper 0 --out "$out/fault" \
		scenarios/hotplug_deny.yaml >"$out/fault2.txt"
	[ $? -eq 1 ] && grep -q '^VIOLATION protected_memory_scrubbed' "$out/fault2.txt" ||
		fail "an RMM that does not scrub is not caught"
	f2=$out/fault/hotplug_deny_protected_memory_scrubbed.yaml
	CCA_SIM_TEST_FAULT=no_scrub "$bin" run --quiet --check-invariants "$f2" >/dev/null 2>&1
	[ $? -eq 1 ] || fail "the no_scrub counterexample does not fail with the fault"
	"$bin" run --quiet --check-invariants "$f2" >/dev/null 2>&1 ||
		fail "the no_scrub counterexample fails without the fault"
fi

# --depth 1: the first decision point's alternatives, each once
"$bin" explore --depth 1 --tamper 0 --json scenarios/hotplug_deny.yaml >"$out/depth1.json"
"$bin" explore --depth 1 --tamper 0 --json --spec 1.0-eac2 scenarios/hotplug_deny.yaml \
	>"$out/depth1_eac2.json"
"$python" -c '
import json, sys
d, e = (json.load(open(f)) for f in sys.argv[1:3])
assert d["runs"] == 12 and d["decision_points"] == 1, d   # ten statuses, wrong target, late
assert e["runs"] == 3 and e["decision_points"] == 1, e    # no status under 1.0-eac2
' "$out/depth1.json" "$out/depth1_eac2.json" || fail "--depth 1 does not run each alternative once"

# --shard: the parts make the whole
"$bin" explore --no-merge --json scenarios/hotplug_deny.yaml >"$out/whole.json"
"$bin" explore --json scenarios/hotplug_deny.yaml >"$out/whole_merged.json"
for i in 1 2 3; do
	"$bin" explore --no-merge --shard "$i/3" --json scenarios/hotplug_deny.yaml >"$out/part$i.json"
	"$bin" explore --shard "$i/3" --json scenarios/hotplug_deny.yaml >"$out/merged$i.json"
done
"$python" -c '
import json, sys
load = lambda f: json.load(open(f))
def results(ds):
    r = {}
    for d in ds:
        for c in d["calls"]:
            r.setdefault((c["rec"], c["call"], c["nth"]), set()).update(c["results"])
    return r
o = sys.argv[1]
whole, parts = load(o + "/whole.json"), [load(o + "/part%d.json" % i) for i in (1, 2, 3)]
assert all(p["shards"] == 3 for p in parts) and [p["shard"] for p in parts] == [1, 2, 3]
assert sum(p["runs"] for p in parts) == whole["runs"], (whole["runs"], [p["runs"] for p in parts])
assert sum(p["decision_points"] for p in parts) == whole["decision_points"]
assert all(0 < p["runs"] < whole["runs"] for p in parts), "a part is empty or the whole"
assert results(parts) == results([whole])
merged = [load(o + "/merged%d.json" % i) for i in (1, 2, 3)]
assert results(merged) == results([load(o + "/whole_merged.json")]) == results([whole])
' "$out" || fail "--shard parts do not make the whole"
"$bin" explore --shard 4/3 scenarios/hotplug_deny.yaml >/dev/null 2>&1
[ $? -eq 2 ] || fail "--shard 4/3 is not refused"

# --json, and what explore refuses
"$bin" explore --json --profile tf-rmm scenarios/deny_runnable_target.yaml >"$out/tr1.json"
"$python" -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d["violations"][0]
assert v["invariant"] == "failed_command_changes_nothing", d
assert "complete REC 0\u0027s PSCI_CPU_ON for REC 2 with PSCI_DENIED" in v["decisions"], v
assert d["runs"] > 1 and d["decision_points"] >= 1 and d["distinct_states"] >= 1, d
' "$out/tr1.json" || fail "--json is not the summary"
# The shipped replay of TR1 keeps the scenario's own expectations (answers, not steps).
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
