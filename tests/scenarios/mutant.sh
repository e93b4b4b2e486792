#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Changes the first top-level `expect:` pattern of a scenario so that it can no longer match,
# and checks that cca-sim then exits 1 and reports that pattern's line. Proves every shipped
# scenario's expectations are really checked.
set -u
bin=$1 src=$2 out=$3
mkdir -p "$out"
name=$(basename "$src" .yaml)
mut="$out/$name.yaml"
# Line of the first list item under a top-level `expect:` key.
line=$(awk '/^expect:/ {in_e = 1; next} /^[a-z]/ {in_e = 0} in_e && /^ *- / {print NR; exit}' "$src")
if [ -z "$line" ]; then
	echo "$src has no top-level expect patterns to mutate" >&2
	exit 1
fi
# Swap one value for another of the same kind that the run cannot produce at that point.
sed -E "${line}{
	s/(condition: *)[a-z_]+/\1no_such_condition/; t
	s/RMI_SUCCESS/RMI_ERROR_REC/; t
	s/RMI_ERROR_INPUT/RMI_ERROR_RTT/; t
	s/(result: *)[A-Z_]+/\1PSCI_INTERNAL_FAILURE/; t
	s/(decision: *)[a-z_]+/\1nothing/; t
	s/(reason: *)[A-Z_]+/\1SERROR/; t
	s/(access: *)[a-z]+/\1fetch/; t
	s/\{/{seq: 0, /
}" "$src" >"$mut"
if cmp -s "$src" "$mut"; then
	echo "no mutation rule applies to line $line of $src" >&2
	exit 1
fi
"$bin" run --quiet --no-color "$mut" >"$out/$name.out" 2>"$out/$name.err"
rc=$?
if [ $rc -ne 1 ]; then
	echo "mutant of $src exited $rc, expected 1" >&2
	cat "$out/$name.err" >&2
	exit 1
fi
if ! grep -q "^$mut:$line:" "$out/$name.err"; then
	echo "the report does not name $mut:$line" >&2
	cat "$out/$name.err" >&2
	exit 1
fi
