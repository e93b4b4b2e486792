#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `--trace insn` on the hello example, the Tarmac parts that a realm's own code shows:
# memory lines (a load's data is what lands in its register; PAs are the stage-2 output in the
# Realm PAS at the same page offset), the virtual IRQ's exception entry (E line, ELR_EL1, then
# the IRQ vector), and the handler's ERET returning to the ELR_EL1 the entry wrote.
set -u
bin=$1 yaml=$2 out=$3
fail() {
	echo "tarmac: $*" >&2
	exit 1
}
"$bin" run --quiet --no-color --trace insn "$yaml" >"$out" 2>&1 || fail "run failed"

# Every `ldr xN` with one 8-byte read: the next R XN line holds the data read.
awk '/ clk cpu1 IT .* : ldr x[0-9]+, /{ match($0, /: ldr x[0-9]+,/); reg = "X" substr($0, RSTART + 7, RLENGTH - 8); want = 1; data = ""; next }
     want && / clk cpu1 MR8 /{ data = toupper($NF); gsub("_", "", data); next }
     want && / clk cpu1 R X[0-9]+ /{ if ($5 == reg && data != "") { n++; if ($6 != data) { print "mismatch: " $0 " read " data; bad = 1 } } want = 0; next }
     / clk cpu1 I[TS] /{ want = 0 }
     END { if (n < 3) { print "only " n " loads checked"; exit 1 } exit bad }' "$out" ||
	fail "a load's register is not the data its memory line shows"

# Memory lines: VA:PA_RL, the PA in RAM (stage 2 output), same page offset as the IPA.
grep -Eq '^ +[0-9]+ clk cpu1 MW8 [0-9a-f]{16}:[0-9a-f]{12}_RL [0-9a-f]{8}_[0-9a-f]{8}$' "$out" ||
	fail "no 8-byte realm store line"
awk '/ clk cpu1 M[RW][0-9]+ /{ split($5, a, ":"); va = a[1]; pa = substr(a[2], 1, 12);
     if (substr(va, 14) != substr(pa, 10)) { print "offset: " $0; exit 1 }
     if (substr(a[2], 13) != "_RL") { print "pas: " $0; exit 1 } n++ }
     END { exit n > 0 ? 0 : 1 }' "$out" || fail "a realm memory line's PA is not its IPA's page"

# The timer's virtual IRQ: an E line at the IRQ vector offset of EL1 with SP_EL1, ELR_EL1,
# no ESR (an interrupt has no syndrome), then the first instruction at the vector.
awk '/ clk cpu1 E .* 00000280 CoreEvent_CURRENT_SPx_IRQ/{ e = 1; next }
     e == 1 && / clk cpu1 R ESR_EL1 /{ print "ESR written by an IRQ"; exit 1 }
     e == 1 && / clk cpu1 R ELR_EL1 /{ e = 2; next }
     e == 2 && / clk cpu1 IT /{ if ($0 !~ /<cca_vectors\+0x280>$/) { print "after: " $0; exit 1 } ok = 1; exit 0 }
     END { exit ok ? 0 : 1 }' "$out" || fail "no IRQ entry followed by its vector"

# The handler's eret goes back to the ELR_EL1 the entry wrote.
awk '/ clk cpu1 R ELR_EL1 /{ elr = tolower($NF) }
     / clk cpu1 IT .* : eret/{ after = 1; next }
     after && / clk cpu1 IT /{ if ($6 != elr) { print "eret to " $6 ", ELR_EL1 " elr; exit 1 } ok = 1; after = 0 }
     END { exit ok ? 0 : 1 }' "$out" || fail "eret does not return to ELR_EL1"
exit 0
