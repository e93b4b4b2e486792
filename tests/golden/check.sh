#!/usr/bin/env bash
# check.sh CCA_SIM SCENARIO GOLDEN OUTDIR: runs the scenario, writes the view that GOLDEN's
# extension names (.jsonl is the --json event stream), and compares it with GOLDEN.
set -u
bin=$1 scenario=$2 golden=$3 out=$4
mkdir -p "$out"
file=$(basename "$golden")
ext=${file##*.}
got="$out/$file"
rm -f "$got"
if [ "$ext" = jsonl ]; then
	"$bin" run --quiet --no-color --json "$got" "$scenario" >/dev/null
else
	"$bin" run --quiet --no-color --diagram "$got" "$scenario" >/dev/null
fi
rc=$?
if [ $rc -ne 0 ]; then
	echo "cca-sim exited with $rc on $scenario" >&2
	exit 1
fi
if ! diff -u "$golden" "$got"; then
	echo "$got differs from the golden $golden (see the diff above)." >&2
	echo "If the change is intended, run tests/golden/update.sh and review the diff." >&2
	exit 1
fi
