#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regression scenarios (tests/scenarios/regress): each file says in its header what cca-sim
# must do with it, and every run must end within the time limit (no hang):
#   # expect-exit: N                  the exit code
#   # expect-stderr: LINE:COL: TEXT   standard error has FILE:LINE:COL: TEXT (a located message)
#   # args: ...                       extra options for `cca-sim run`
set -u
bin=$1 dir=$2 out=$3
mkdir -p "$out"
fail=0
for f in "$dir"/*.yaml; do
	want=$(sed -n 's/^# expect-exit: //p' "$f")
	args=$(sed -n 's/^# args: //p' "$f")
	# shellcheck disable=SC2086 # args are words
	timeout 60 "$bin" run --quiet --no-color $args "$f" >"$out/stdout" 2>"$out/stderr"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $f: exit $rc, wanted $want" >&2
		cat "$out/stderr" >&2
		fail=1
		continue
	fi
	while IFS= read -r msg; do
		if ! grep -qF -- "$f:$msg" "$out/stderr"; then
			echo "FAIL: $f: standard error lacks '$f:$msg'" >&2
			cat "$out/stderr" >&2
			fail=1
		fi
	done < <(sed -n 's/^# expect-stderr: //p' "$f")
done
exit $fail
