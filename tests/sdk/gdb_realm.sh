#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debugging a realm with Debian's gdb-multiarch against `cca-sim run --gdb`, on the SDK's hello
# example (docs/debugging.md, "Debugging a realm"): the threads, a breakpoint at a realm symbol,
# registers, memory read through stage 1 and stage 2, stepping instruction by instruction up
# to the SMC that issues PSCI_CPU_ON and over it, a watchpoint on a variable REC 1 sets, detaching; the run's verdict is the one it
# has without gdb. Then gdb kills a run.
#
#   gdb_realm.sh GDB CCA_SIM SCENARIO ELF WORKDIR
set -u
gdb=$1 sim=$2 scenario=$3 elf=$4 work=$5
mkdir -p "$work"
fail=0
# shellcheck source=../gdb/client_lib.sh
. "$(dirname "$0")/../gdb/client_lib.sh"

# start NAME: cca-sim serving gdb on a free port, in $port
start() {
	timeout 120 "$sim" run --quiet --gdb 127.0.0.1:0 "$scenario" >"$work/$1.sim" \
		2>"$work/$1.sim.err" &
	sim_pid=$!
	wait_port "$work/$1.sim.err" 's/.*waiting for gdb on port \([0-9]*\) .*/\1/p'
}

start session
cat >"$work/session.gdb" <<GDB
set architecture aarch64
set pagination off
file $elf
target remote 127.0.0.1:$port
info threads
break main
continue
info threads
p \$pc
p/x \$cpsr
p/x \$vbar_el1
p/x \$sctlr_el1
x/i \$pc
break cca_psci_cpu_on
continue
while (*(unsigned int *)\$pc != 0xd4000003)
  stepi
end
x/i \$pc
p/x \$x0
p/x \$x1
set \$after = \$pc + 4
stepi
p \$pc == \$after
p/x \$x0
p/x *(unsigned long *)&rec1_done
delete
watch *(unsigned long *)&rec1_done
continue
info threads
p/x *(unsigned long *)&rec1_done
delete
monitor narrate 3
monitor events 2
detach
GDB
timeout 120 "$gdb" -batch -nx -x "$work/session.gdb" >"$work/session.out" 2>&1
wait "$sim_pid"
rc=$?
expect session 'Thread 1 "host NS-EL2" (Non-secure world, EL2)'
expect session 'Thread 2 "REC 0 R-EL1 (realm)" hit Breakpoint 1'
expect session 'main () at '
expect session 'Thread 3 "REC 1 R-EL1 (realm)" (Realm world, EL1, REC 1)'
expect session '$1 = (void (*)()) 0x'
expect session '<main>'
expect session ' hit Breakpoint 2'
expect session 'smc	#0x0'
expect session '= 0xc4000003'
expect session '= 0x1'
expect session '= 1'
expect session 'Hardware watchpoint 3: *(unsigned long *)&rec1_done'
expect session 'Old value = 0'
expect session 'New value = 1'
expect session '* 3    Thread 3 "REC 1 R-EL1 (realm)"'
expect session 'RMM     R-EL2   enters REC'
expect session '{"seq":'
expect session '[Inferior 1 (Remote target) detached]'
if [ "$rc" != 0 ] || ! grep -q "sdk_hello: PASS" "$work/session.sim"; then
	echo "FAIL session: the run under gdb ended with $rc" >&2
	cat "$work/session.sim" "$work/session.sim.err" >&2
	fail=1
fi

# gdb kills the run: it ends at once, with the error saying so (exit code 3).
start kill
timeout 60 "$gdb" -batch -nx -ex 'set architecture aarch64' -ex "file $elf" \
	-ex "target remote 127.0.0.1:$port" -ex 'break main' -ex 'continue' -ex 'kill' \
	>"$work/kill.out" 2>&1
wait "$sim_pid"
rc=$?
expect kill 'hit Breakpoint 1'
if [ "$rc" != 3 ] || ! grep -q "the run was ended by gdb (kill)" "$work/kill.sim.err"; then
	echo "FAIL kill: exit $rc" >&2
	cat "$work/kill.sim.err" >&2
	fail=1
fi
[ "$fail" = 0 ] && cat "$work/session.out"
exit "$fail"
