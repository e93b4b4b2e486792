#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real client: Debian's gdb-multiarch, in batch mode, against the stub serving the fake
# machine (fake_target_server). Checks what gdb prints for each command a user would type,
# and how the run ended once gdb detached (or killed it).
#
#   gdb_client.sh GDB FAKE_TARGET_SERVER WORKDIR
set -u
gdb=$1 server=$2 work=$3
mkdir -p "$work"
fail=0
# shellcheck source=client_lib.sh
. "$(dirname "$0")/client_lib.sh"

# start_server NAME [ARGS]: the server in the background, its port in $port
start_server() {
	local name=$1
	shift
	: >"$work/$name.server"
	timeout 60 "$server" "$@" >"$work/$name.server" 2>"$work/$name.server.err" &
	server_pid=$!
	wait_port "$work/$name.server" 's/^port \([0-9]*\)$/\1/p'
}

# ended NAME LINE: the server ended with LINE
ended() {
	wait "$server_pid"
	local rc=$?
	local last
	last=$(tail -n 1 "$work/$1.server")
	if [ "$rc" -eq 0 ] && [ "$last" = "$2" ]; then
		echo "ok  $1: $2"
	else
		echo "FAIL $1: server exit $rc, last line: $last (want: $2)" >&2
		fail=1
	fi
}

run_gdb() {
	local name=$1
	shift
	local args=(-batch -nx -ex 'set pagination off' -ex 'set confirm off'
		-ex 'set architecture aarch64' -ex "target remote 127.0.0.1:$port")
	for cmd in "$@"; do
		args+=(-ex "$cmd")
	done
	timeout 60 "$gdb" "${args[@]}" >"$work/$name.out" 2>&1
}

# 1. A session: threads, registers, memory, a breakpoint in the REC, a step, a watchpoint
#    on the host's data, a monitor command, then detach: the run goes on to its end.
start_server session
run_gdb session 'info threads' 'thread 2' 'info registers' 'p $pc' 'p/x $sctlr_el1' \
	'p $cpsr' 'x/4xg 0x10100' 'thread 1' 'break *0x10104' 'continue' 'stepi' 'p $pc' \
	'p $x0' 'thread 1' 'watch *(long*)0x80000800' 'continue' 'monitor events' \
	'info threads' 'detach'
expect session '* 1    Thread 1 "host NS-EL2" (Non-secure world, EL2)'
expect session '  2    Thread 2 "REC 0 R-EL1 (realm)" (Realm world, EL1, REC 0, runnable)'
expect session '[Switching to thread 2 (Thread 2)]'
expect session 'pc             0x10100             0x10100'
expect session 'cpsr           0x3c5               [ SP EL=1 F I A D ]'
expect session 'currentel      0x4                 4'
expect session 'sp_el2         <unavailable>'
expect session '$1 = (void (*)()) 0x10100'
expect session '$2 = 0x30d00800'
expect session '0x10100:	0x0100080800000000	0x0000000004000000'
expect session 'Breakpoint 1 at 0x10104'
expect session 'Thread 2 "REC 0 R-EL1 (realm)" hit Breakpoint 1, 0x0000000000010104 in ?? ()'
expect session '0x0000000000010108 in ?? ()'
expect session '$4 = (void (*)()) 0x10108'
expect session '$5 = 1'
expect session 'Hardware watchpoint 2: *(long*)0x80000800'
expect session 'Thread 1 "host NS-EL2" hit Hardware watchpoint 2: *(long*)0x80000800'
expect session 'Old value = 1'
expect session 'New value = 2'
expect session '  1  host enters REC 0'
expect session '  2  REC 0 exits to the host'
expect session '[Inferior 1 (Remote target) detached]'
ended session 'ended: status 3, session detached, x0 2, mem 0x2, points 0'

# 2. Registers written, memory written, single steps of the host, then kill.
start_server kill
run_gdb kill 'set var $x5 = 0x1234' 'p/x $x5' 'set {int}0x80000800 = 7' 'x/1dw 0x80000800' \
	'stepi' 'stepi' 'stepi' 'p $pc' 'p $x0' 'p/x $currentel' 'kill'
expect kill '$1 = 0x1234'
expect kill '0x80000800:	7'
expect kill '$2 = (void (*)()) 0x8000000c'
expect kill '$3 = 1'
expect kill '$4 = 0x8'
expect kill '[Inferior 1 (Remote target) killed]'
ended kill 'ended: status -1, session killed, x0 1, mem 0x1, points 0'

# 3. Run to the end under gdb: gdb sees the exit status.
start_server exit
run_gdb exit 'continue'
expect exit '[Inferior 1 (Remote target) exited with code 03]'
ended exit 'ended: status 3, session exited, x0 2, mem 0x2, points 0'

[ "$fail" -eq 0 ] || {
	echo "gdb output in $work/*.out" >&2
	exit 1
}
