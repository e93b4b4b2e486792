#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `cca-sim run --trace insn` on hotplug_deny: the SMCs of the host stub (NS-EL2) and of the
# realm (R-EL1) appear with their disassembly, the realm's PSCI_CPU_ON `smc #0` has X0 =
# 0xC4000003 written just before it, register lines follow the instruction that changed them,
# every line of a --quiet run is Tarmac-shaped, two runs are byte-identical, and a run without
# the option prints no instruction line.
set -u
bin=$1 src=$2 out=$3
mkdir -p "$out"
fail() {
	echo "insn_trace: $*" >&2
	exit 1
}
for i in 1 2; do
	"$bin" run --no-color --trace insn "$src" >"$out/trace.$i.txt" 2>&1 || fail "run $i failed"
done
cmp "$out/trace.1.txt" "$out/trace.2.txt" || fail "two runs differ"
t="$out/trace.1.txt"

insn='^ +[0-9]+ clk cpu[0-9]+ I[TS] \([0-9]+\) [0-9a-f]{16} [0-9a-f]{8} O EL[12]h_[nr] : .+$'
sym='(  <[a-z0-9_.]+(\+0x[0-9a-f]+)?>)?$' # the PC's symbol, where there is one
reg='^ +[0-9]+ clk cpu[0-9]+ R (X([0-9]|[12][0-9]|30)|SP|ESR_EL[123]|ELR_EL[123]) [0-9A-F]{16}$|^ +[0-9]+ clk cpu[0-9]+ R NZCV [0-9A-F]{8}$'
mem='^ +[0-9]+ clk cpu[0-9]+ M[RW](1|2|4|8|16) [0-9a-f]{16}:[0-9a-f]{12}_(NS|RL) [0-9a-f_]+$'
exc='^ +[0-9]+ clk cpu[0-9]+ E [0-9a-f]{16} [0-9a-f]{8} CoreEvent_[A-Za-z0-9_]+'"$sym"

grep -Eq '^ +[0-9]+ clk cpu0 IT \([0-9]+\) 0000000080000000 d4000003 O EL2h_n : smc #0$' "$t" ||
	fail "no host stub smc #0 at NS-EL2"
grep -Eq '^ +[0-9]+ clk cpu1 IT \([0-9]+\) [0-9a-f]{16} d4000003 O EL1h_r : smc #0'"$sym" "$t" ||
	fail "no realm smc #0 at R-EL1"
# A generated program's instructions carry their op: the first op's first instruction.
grep -Eq '^ +[0-9]+ clk cpu1 IT \(1\) 0000000000000000 [0-9a-f]{8} O EL1h_r : .+  <rec0\.op1>$' "$t" ||
	fail "no <rec0.op1> on REC 0's first instruction"
grep -q ' clk cpu0 .* hvc #0$' "$t" || fail "no host stub hvc #0"

# The first realm SMC is PSCI_CPU_ON: X0 was last written 0xC4000003, by the instruction
# just before the SMC or one of the few argument moves in between (same PE, same block).
awk '/ clk cpu1 R X0 /{x0 = $NF; at = n}
     / clk cpu1 I[TS] /{n++}
     / clk cpu1 IT .* : smc #0(  <.*>)?$/{ if (x0 != "00000000C4000003" || n - at > 5) exit 1; ok = 1; exit 0 }
     END {exit ok ? 0 : 1}' "$t" || fail "realm smc #0 not preceded by X0 = 0xC4000003"
grep -Eq ' clk cpu1 IT \([0-9]+\) [0-9a-f]{16} [0-9a-f]{8} O EL1h_r : movk x0, #0xc400, lsl #16'"$sym" "$t" ||
	fail "no movk of the PSCI_CPU_ON FID"

# The realm's SMC is an exception taken to R-EL2 (a lower EL's, synchronous), with its
# syndrome (EC 0x17, SMC64) and, a trapped SMC, its own address as the return address.
grep -E -A2 ' clk cpu1 IT \([0-9]+\) [0-9a-f]{16} d4000003 O EL1h_r : smc #0' "$t" |
	grep -Eq ' clk cpu1 E [0-9a-f]{16} 00000400 CoreEvent_LOWER_AARCH64_SYNC' ||
	fail "realm smc #0 not followed by its exception entry"
awk '/ clk cpu1 IT .* d4000003 O EL1h_r : smc #0/{ pc = toupper($6); next }
     pc != "" && / clk cpu1 R ESR_EL2 /{ if ($6 != "000000005E000000") exit 1 }
     pc != "" && / clk cpu1 R ELR_EL2 /{ if ($6 != pc) exit 1; ok = 1; pc = "" }
     END { exit ok ? 0 : 1 }' "$t" || fail "the realm SMC's ESR_EL2/ELR_EL2 are wrong"
# PSCI_CPU_ON is denied: REC 0 is resumed (an ERET from the RMM) with X0 = PSCI_DENIED (-3)
# written into it, the first line of cpu1 after its resumption.
grep -E -A1 ' clk cpu1 E [0-9a-f]{16} 00000000 CoreEvent_ERET' "$t" |
	grep -Eq ' clk cpu1 R X0 FFFFFFFFFFFFFFFD$' || fail "no resumption of REC 0 with X0 = PSCI_DENIED"

# Register lines: right after an instruction or event line of the same time and PE (or
# another register line of it); the movk above is followed by R X0 00000000C4000003.
awk '/ clk cpu[0-9]+ (I[TS]|E) /{time = $1; cpu = $3; open = 1; next}
     / clk cpu[0-9]+ R /{ if (!open || $1 != time || $3 != cpu) { print "stray: " $0; exit 1 } next }
     {open = 0}' "$t" || fail "a register line does not follow its instruction"
grep -E -A1 ' : movk x0, #0xc400, lsl #16'"$sym" "$t" | grep -Eq ' clk cpu1 R X0 00000000C4000003$' ||
	fail "movk not followed by R X0 00000000C4000003"

# Time numbers count 1, 2, 3 ... over both PEs; each PE's (inst_id) counts on its own.
awk '/ clk cpu[0-9]+ I[TS] /{ if ($1 != ++n) exit 1; id = substr($5, 2, length($5) - 2);
     if (id != ++c[$3]) exit 1 } END {exit n > 0 ? 0 : 1}' "$t" || fail "numbering is not a count"

# --quiet: everything but the verdict line is Tarmac-shaped.
"$bin" run --quiet --no-color --trace insn "$src" >"$out/quiet.txt" 2>&1 || fail "quiet run failed"
bad=$(grep -Ev "$insn|$reg|$mem|$exc" "$out/quiet.txt" | grep -Ev '^[a-z0-9_]+: PASS ')
[ -z "$bad" ] || fail "lines not in the format: $bad"

# Off: no instruction line at all.
"$bin" run --no-color "$src" >"$out/off.txt" 2>&1 || fail "run without trace failed"
if grep -q ' clk cpu' "$out/off.txt"; then fail "instruction lines without --trace insn"; fi
exit 0
