#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --explain through the real binary: every line that names a failure condition or an RMM
# decision is followed by its reason, which names the same condition (or decision) and its
# spec section; without --explain there is none; --explain puts the reasons in the diagram as
# notes too.
set -u
bin=$1 top=$2 out=$3
fail() {
	echo "explain: $*" >&2
	exit 1
}
mkdir -p "$out"
cd "$top" || exit 1
"$bin" run --no-color --explain scenarios/hotplug_deny.yaml >"$out/deny.txt" || fail "hotplug_deny failed"
grep -A1 'RMI_PSCI_COMPLETE(rec0, rec1, PSCI_DENIED) -> RMI_SUCCESS' "$out/deny.txt" |
	grep -q '^ \{22\}why: PSCI_DENIED is permitted because the target REC is NOT_RUNNABLE .*(B4.3.7.3, decision on_denied)$' ||
	fail "the DENIED completion has no reason under it"
"$bin" run --no-color scenarios/hotplug_deny.yaml | grep -q 'why:' && fail "reasons without --explain"
# Every failure condition of a scenario that provokes many: the next line explains it.
"$bin" run --no-color --explain scenarios/psci_complete_conditions.yaml >"$out/conds.txt"
n=0
while IFS= read -r cond; do
	n=$((n + 1))
	grep -A1 "failure condition '$cond'" "$out/conds.txt" | grep -q "why: .*failure condition $cond)" ||
		fail "condition '$cond' is not explained"
done < <(grep -o "failure condition '[a-z_0-9]*'" "$out/conds.txt" | sed "s/.*'\(.*\)'/\1/" | sort -u)
[ "$n" -ge 8 ] || fail "only $n conditions seen"
"$bin" run --quiet --explain --diagram "$out/deny.mmd" scenarios/hotplug_deny.yaml >/dev/null
grep -q 'Note over p2: why: PSCI_DENIED is permitted' "$out/deny.mmd" || fail "no reason in the diagram"
"$bin" run --quiet --diagram "$out/plain.mmd" scenarios/hotplug_deny.yaml >/dev/null
grep -q 'why:' "$out/plain.mmd" && fail "reasons in the diagram without --explain"
# `cca-sim conditions` lists the decisions beside the conditions.
"$bin" conditions RMI_PSCI_COMPLETE | grep -q '^  on_denied  *PSCI_DENIED is permitted' ||
	fail "cca-sim conditions does not list RMI_PSCI_COMPLETE's decisions"
exit 0
