#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real binary on bad input: every malformed scenario gives exit 2 and FILE:LINE:COL on
# standard error, bad command lines give exit 2, and nothing crashes.
set -u
bin=$1 bad=$2 out=$3
mkdir -p "$out"
fail=0
expect_error() { # FILE LINE:COL
	"$bin" run --quiet "$bad/$1" >/dev/null 2>"$out/err"
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q "^$bad/$1:$2: error: " "$out/err"; then
		echo "FAIL: $1: exit $rc, wanted 2 and $bad/$1:$2: error:" >&2
		cat "$out/err" >&2
		fail=1
	fi
}
expect_error unknown_key.yaml 7:1
expect_error syntax.yaml 4:1 # the unclosed `[` is found at the end of the file, after its SPDX line
expect_error unknown_op.yaml 5:11
expect_error wrong_type.yaml 3:9
expect_error missing_name.yaml 1:1
expect_error bad_number.yaml 5:33
expect_error unknown_name.yaml 6:19
expect_error pa_bits.yaml 2:20 # above what the RMM supports: an input error, not a crash

usage() { # EXPECTED-EXIT ARGS...
	want=$1
	shift
	"$bin" "$@" >/dev/null 2>"$out/err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		echo "FAIL: cca-sim $*: exit $rc, wanted $want" >&2
		cat "$out/err" >&2
		fail=1
	fi
}
usage 2 run
usage 2 run --spec 9.9 "$bad/syntax.yaml"
usage 2 run --profile qemu "$bad/syntax.yaml"
usage 2 run --max-insns zero "$bad/syntax.yaml"
usage 2 run --bogus "$bad/syntax.yaml"
usage 2 run "$bad/does-not-exist.yaml"
usage 2 list "$bad/does-not-exist"
# --gdb with an address it cannot listen on: an input error before anything runs
good=$(dirname "$bad")/../../scenarios/hotplug_deny.yaml
# One reader of an instruction count for both commands: decimal or 0x, nothing else.
usage 0 run --quiet --max-insns 0x100000 "$good"
usage 0 explore --max-runs 2 --max-insns 0x100000 "$good"
usage 0 explore --max-runs 2 --max-insns 1048576 "$good"
usage 2 explore --max-insns zero "$good"
usage 2 explore --max-insns 0 "$good"
usage 2 explore --max-insns -5 "$good"
usage 2 run --max-insns 12abc "$good"
usage 2 run --gdb 127.0.0.1:99999 "$good"
usage 2 run --gdb not-an-address "$good"
usage 2 run --gdb
exit $fail
