# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the scripts that drive gdb-multiarch (gdb_client.sh, tests/sdk/gdb_realm.sh);
# sourced, with $work (the folder of NAME.out files) and $fail set by the caller.

# wait_port FILE SED-EXPR: the port a server wrote to FILE, in $port (exits when it never does)
wait_port() {
	for _ in $(seq 200); do
		port=$(sed -n "$2" "$1")
		[ -n "$port" ] && return 0
		sleep 0.05
	done
	echo "$(basename "$0"): the server did not say its port" >&2
	cat "$1" >&2
	exit 1
}

# expect NAME TEXT: TEXT (a fixed string) is a line, or part of one, of NAME's gdb output
expect() {
	if grep -qF -- "$2" "$work/$1.out"; then
		echo "ok  $1: $2"
	else
		echo "FAIL $1: gdb did not print: $2" >&2
		fail=1
	fi
}
