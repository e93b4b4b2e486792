#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Outputs of the real binary: a write that fails (a full device, a file-size limit, a missing
# folder, standard output on /dev/full, also for `keys` and `list`) is a message and exit
# code 2, and leaves no partial file (an older file stays as it was); with several FILEs
# every view goes to
# OUT-<scenario name>.ext; two files with the same scenario name are an error.
set -u
bin=$1 scenarios=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
cd "$out" || exit 1
deny=$scenarios/hotplug_deny.yaml allow=$scenarios/hotplug_allow.yaml
fail=0
check() { # WANTED-EXIT STDERR-TEXT COMMAND...
	local want=$1 text=$2
	shift 2
	"$@" >stdout 2>stderr
	local rc=$?
	if [ $rc -ne "$want" ] || { [ -n "$text" ] && ! grep -qF -- "$text" stderr; }; then
		echo "FAIL: $*: exit $rc (wanted $want), standard error:" >&2
		cat stderr >&2
		echo "(wanted: $text)" >&2
		fail=1
	fi
}

for opt in --json --junit --diagram --perfetto --report --rmm-log; do
	[ $opt = --diagram ] && continue # a device's name does not end in .svg: see below
	file=/dev/full
	check 2 "cca-sim: error: cannot write /dev/full: No space left on device" \
		"$bin" run --quiet $opt $file "$deny"
	check 2 "cca-sim: error: cannot write missing/out: No such file or directory" \
		"$bin" run --quiet $opt missing/out "$deny"
done
check 2 "cca-sim: error: cannot write standard output: No space left on device" \
	bash -c "'$bin' run '$deny' >/dev/full"
check 2 "cca-sim: error: cannot write standard output" \
	bash -c "'$bin' run --quiet --json - '$deny' >/dev/full"
# the other commands' standard output too: a key that never reached its file is no key
check 2 "cca-sim: error: cannot write standard output: No space left on device" \
	bash -c "'$bin' keys >/dev/full"
check 2 "cca-sim: error: cannot write standard output: No space left on device" \
	bash -c "'$bin' list '$scenarios' >/dev/full"

# A file-size limit of 0 (EFBIG, as a full disk would give ENOSPC) on regular files: no partial
# file, and what was there before is still there.
# Only cca-sim runs under the limit; its messages reach our files through a pipe.
limited="set -o pipefail; trap '' XFSZ; (ulimit -f 0; exec"
for opt in --json --junit --diagram --perfetto --report; do
	name=out.txt
	[ $opt = --diagram ] && name=out.svg
	echo before >$name
	check 2 "cca-sim: error: cannot write $name: File too large" \
		bash -c "$limited '$bin' run --quiet $opt $name '$deny' 2>&1 >/dev/null) | cat >&2"
	if [ "$(cat $name)" != before ] || ls $name.tmp-* >/dev/null 2>&1; then
		echo "FAIL: $opt: a failed write changed $name or left a temporary file" >&2
		fail=1
	fi
	rm -f $name
	check 2 "cca-sim: error: cannot write $name: File too large" \
		bash -c "$limited '$bin' run --quiet $opt $name '$deny' 2>&1 >/dev/null) | cat >&2"
	if [ -e $name ] || ls $name.tmp-* >/dev/null 2>&1; then
		echo "FAIL: $opt: a failed write left $name or a temporary file" >&2
		fail=1
	fi
done

# Several files: each view, --json included, goes to OUT-<scenario name>.ext, each stream
# numbered from 1; JUnit is one file with a test case per scenario.
check 0 "" "$bin" run --quiet --json views.jsonl --diagram views.svg --rmm-log views.log \
	--junit junit.xml "$deny" "$allow"
for f in views-hotplug_deny.jsonl views-hotplug_allow.jsonl views-hotplug_deny.svg \
	views-hotplug_allow.svg views-hotplug_deny.log views-hotplug_allow.log junit.xml; do
	if [ ! -s $f ]; then
		echo "FAIL: several files: no $f" >&2
		fail=1
	fi
done
for f in views.jsonl views.svg views.log; do
	if [ -e $f ]; then
		echo "FAIL: several files: $f written besides the per-scenario files" >&2
		fail=1
	fi
done
for f in views-hotplug_deny.jsonl views-hotplug_allow.jsonl; do
	if ! head -n 1 $f | grep -q '"seq":1,'; then
		echo "FAIL: $f does not start at seq 1" >&2
		fail=1
	fi
done
if [ "$(grep -c '<testcase ' junit.xml)" != 2 ]; then
	echo "FAIL: junit.xml does not have one test case per scenario" >&2
	fail=1
fi

# Two files with the same scenario name: the second is an error at its name; the first runs.
cp "$deny" twin.yaml
check 2 "twin.yaml:1:7: error: scenario name \`hotplug_deny\` is also the name of $deny" \
	"$bin" run --quiet --json twin.jsonl "$deny" twin.yaml
if ! grep -q "hotplug_deny: PASS" stdout || [ ! -s twin-hotplug_deny.jsonl ]; then
	echo "FAIL: the first of two same-name files did not run or lost its output" >&2
	fail=1
fi
# --junit - is the JUnit report alone on standard output (the verdicts go to standard error).
"$bin" run --junit - "$deny" >junit-stdout.xml 2>junit-stderr.txt
if ! head -n 1 junit-stdout.xml | grep -q '^<?xml ' || ! grep -q '</testsuites>' junit-stdout.xml ||
	! grep -q 'hotplug_deny: PASS' junit-stderr.txt; then
	echo "FAIL: --junit - does not write the report alone on standard output" >&2
	fail=1
fi
# On a terminal (script(1) gives one) the verdict is coloured: FAIL red, PASS green; with
# NO_COLOR, or redirected, it is not.
if command -v script >/dev/null; then
	script -qc "'$bin' run --quiet --spec 1.0-eac2 '$deny'" /dev/null >tty.txt 2>&1
	if ! grep -q $'\e\\[1;31mFAIL\e\\[0m' tty.txt; then
		echo "FAIL: a failed verdict is not red on a terminal" >&2
		fail=1
	fi
	NO_COLOR=1 script -qc "'$bin' run --quiet '$deny'" /dev/null >tty-nocolor.txt 2>&1
	if grep -q $'\e' tty-nocolor.txt; then
		echo "FAIL: NO_COLOR still colours the verdict" >&2
		fail=1
	fi
fi
exit $fail
