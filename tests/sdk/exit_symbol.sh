#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The narration names where a REC of an ELF image exits: `at 0xPC <symbol+off>`, and the
# symbol is right, checked with Debian's nm on the image (symbol address + off = PC); the JSON
# event carries the same pc and symbol. A generated program's exits get no symbol.
set -u
bin=$1 yaml=$2 elf=$3 plain=$4
fail() {
	echo "exit_symbol: $*" >&2
	exit 1
}
out=$("$bin" run --no-color "$yaml" 2>&1) || fail "run failed"
line=$(grep -E 'exits to the host: SYNC at 0x[0-9a-f]+ <[a-z_]+(\+0x[0-9a-f]+)?>$' <<<"$out" | head -1)
[ -n "$line" ] || fail "no MMIO exit narrated with its symbol"
pc=$(sed -E 's/.* at (0x[0-9a-f]+) <.*/\1/' <<<"$line")
sym=$(sed -E 's/.*<([a-z_]+).*/\1/' <<<"$line")
off=$(sed -E 's/.*<[a-z_]+(\+(0x[0-9a-f]+))?>$/\2/' <<<"$line")
addr=$(aarch64-linux-gnu-nm "$elf" | awk -v s="$sym" '$3 == s {print $1; exit}')
[ -n "$addr" ] || fail "nm does not know $sym"
[ $((16#$addr + ${off:-0})) -eq $((pc)) ] || fail "$sym+$off is not $pc ($sym is at 0x$addr)"
"$bin" run --quiet --json - "$yaml" 2>/dev/null | grep '"type":"rec_exit"' |
	grep -q "\"pc\":\"$pc\".*\"symbol\":\"$sym" || fail "the JSON rec_exit has not pc $pc and $sym"
if "$bin" run --no-color "$plain" 2>&1 | grep -E 'exits to the host: .* at 0x' >/dev/null; then
	fail "a generated program's exit has a symbol"
fi
exit 0
