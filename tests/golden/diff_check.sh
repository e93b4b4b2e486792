#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# diff_check.sh CCA_SIM TOP GOLDEN_DIR OUTDIR: `cca-sim diff` of hotplug_deny under 1.0-eac2
# and 1.0-rel0 (from the repository's top folder, so that the labels name the file as the
# goldens do) must exit 1 (the flows differ), say that they part in exactly one place, and
# match the golden narration and diagram byte for byte.
set -u
bin=$1 top=$2 golden=$3 out=$4
mkdir -p "$out"
cd "$top" || exit 1
"$bin" diff scenarios/hotplug_deny.yaml --spec 1.0-eac2 --spec 1.0-rel0 \
	--diagram "$out/hotplug_deny_eac2_rel0.mmd" >"$out/hotplug_deny_eac2_rel0.diff"
rc=$?
[ $rc -eq 1 ] || { echo "cca-sim diff exited $rc, expected 1 (the flows differ)" >&2; exit 1; }
grep -q '^the flows part in 1 place; ' "$out/hotplug_deny_eac2_rel0.diff" ||
	{ echo "the flows do not part in exactly one place" >&2; exit 1; }
grep -q '^! .*RMI_PSCI_COMPLETE(rec0, rec1) -> RMI_SUCCESS .*| .*RMI_PSCI_COMPLETE(rec0, rec1, PSCI_DENIED) -> RMI_SUCCESS$' \
	"$out/hotplug_deny_eac2_rel0.diff" || { echo "the completion is not where they part" >&2; exit 1; }
for f in hotplug_deny_eac2_rel0.diff hotplug_deny_eac2_rel0.mmd; do
	if ! diff -u "$golden/$f" "$out/$f"; then
		echo "$out/$f differs from the golden $golden/$f (see the diff above)." >&2
		echo "If the change is intended, run tests/golden/update.sh and review the diff." >&2
		exit 1
	fi
done
# the same run twice is not a diff (exit 2), nor is one file without two revisions
"$bin" diff scenarios/hotplug_deny.yaml --spec 1.0-rel0 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "one file and one --spec is not a usage error" >&2; exit 1; }
"$bin" diff scenarios/hotplug_deny.yaml scenarios/hotplug_deny.yaml >/dev/null 2>&1
[ $? -eq 2 ] || { echo "the same run twice is not a usage error" >&2; exit 1; }
# two files: allow against deny (the host's policy is what differs)
"$bin" diff scenarios/hotplug_allow.yaml scenarios/hotplug_deny.yaml >"$out/allow_deny.diff"
[ $? -eq 1 ] || { echo "allow and deny do not differ" >&2; exit 1; }
grep -q 'VMM decides: allow vCPU 1 .*| .*VMM decides: deny vCPU 1' "$out/allow_deny.diff" ||
	{ echo "allow/deny: the decisions are not side by side" >&2; exit 1; }
# a run against itself under the same revision but another profile where nothing differs
"$bin" diff scenarios/hotplug_deny.yaml --profile spec --profile tf-rmm >"$out/profiles.diff"
rc=$?
[ $rc -eq 0 ] && grep -q '^the two runs narrate the same flow$' "$out/profiles.diff" ||
	{ echo "hotplug_deny under spec and tf-rmm should narrate the same flow ($rc)" >&2; exit 1; }
exit 0
