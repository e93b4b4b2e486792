#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Perfetto trace of hotplug_deny: its metadata names the run and its time base, every
# RMI_REC_ENTER is one flow host -> RMM -> REC (start, step, end on those tracks, the end
# bound to the REC's running slice), and RMI_PSCI_COMPLETE's status reads PSCI_DENIED.
set -u
bin=$1 python=$2 top=$3 out=$4
mkdir -p "$out"
"$bin" run --quiet --perfetto "$out/deny.json" "$top/scenarios/hotplug_deny.yaml" >/dev/null ||
	{ echo "perfetto: the run failed" >&2; exit 1; }
"$python" - "$out/deny.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["metadata"]
assert m["spec"] == "1.0-rel0" and m["profile"] == "spec", m
assert m["timebase"].startswith("synthetic"), m
ev = d["traceEvents"]
flows = {}
for e in ev:
    if e.get("cat") == "flow":
        flows.setdefault(e["id"], []).append(e)
enters = [e for e in ev if e["name"] == "RMI_REC_ENTER" and e.get("ph") == "X" and e["pid"] == 1]
assert flows and len(flows) == len(enters), (len(flows), len(enters))
for steps in flows.values():
    assert [s["ph"] for s in steps] == ["s", "t", "f"], steps
    assert [s["pid"] for s in steps] == [1, 3, 3] and steps[2]["tid"] >= 100, steps
    assert steps[2]["bp"] == "e", steps
    run = [e for e in ev if e["name"] == "running" and e["tid"] == steps[2]["tid"] and e["ts"] == steps[2]["ts"]]
    assert run, steps
calls = [e["args"]["call"] for e in ev if e["name"] == "RMI_PSCI_COMPLETE" and "call" in e.get("args", {})]
assert "RMI_PSCI_COMPLETE(rec0, rec1, PSCI_DENIED)" in calls, calls
print("perfetto: metadata, %d flows, named statuses" % len(flows))
PY
