#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The SDK's attestation example (sdk/examples/attest.c), checked from outside cca-sim:
#   - the bytes the realm handed to the host over the console are the token --token-out wrote;
#   - the RIM that tests/attest/rim.py recomputes from the run's RMI calls (--json), the ELF
#     image (read by Python, the entry point by Debian's nm) and the realm's parameters equals
#     the `token` event's RIM and the token's, checked by the independent verifier with both
#     signatures, the binding and the keys from the default seed;
#   - REM0 is SHA-256(32 zero bytes || the workload text the realm measured);
#   - a RIM recomputed from wrong parameters is refused, so the comparison can fail.
# Run for the example as shipped and for attest_ripas.yaml (RMI_RTT_INIT_RIPAS at two levels).
set -u
bin=$1 python=$2 nm=$3 dir=$4 attest=$5 out=$6
fail() {
	echo "attest_token: $*" >&2
	exit 1
}
mkdir -p "$out"
"$bin" keys >"$out/cpak.pem" || fail "cca-sim keys failed"
entry=$("$nm" "$dir/attest.elf" | awk '$3 == "_start" { print "0x" $1 }')
[ -n "$entry" ] || fail "no _start in attest.elf"
challenge=$("$python" -c 'print(bytes(range(0xa0, 0xe0)).hex())')
rem0=$("$python" -c 'import hashlib; print(hashlib.sha256(bytes(32) + b"cca-sim attest example v1").hexdigest())')
# The automatic VMM's realm parameters (src/host/realm_build.c): s2sz = ipa_bits (33), two
# breakpoints and two watchpoints (encoded minus one), SHA-256, no SVE, no PMU.
params=(--s2sz 33 --num-bps 1 --num-wps 1 --hash sha-256)
for scenario in attest attest_ripas; do
	o=$out/$scenario
	rm -f "$o".*
	"$bin" run --quiet --json "$o.jsonl" --console "$o.console" --token-out "$o.cbor" \
		"$dir/$scenario.yaml" >/dev/null || fail "$scenario: run failed"
	"$python" - "$o.console" "$o.cbor" <<'PY' || fail "$scenario: the console does not hold the token"
import re, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("token")]
size = int(re.match(r"token: (\d+) bytes", lines[0]).group(1))
data = b"".join(bytes.fromhex(l.split(": ", 1)[1].strip()) for l in lines[1:])
token = open(sys.argv[2], "rb").read()
sys.exit(0 if len(data) == size == len(token) and data == token else 1)
PY
	rim=$("$python" "$attest/rim.py" "$o.jsonl" --elf "$dir/attest.elf" "${params[@]}" \
		--rec "runnable=1,pc=$entry") || fail "$scenario: rim.py refused the run"
	grep -q "\"type\":\"token\".*\"rim\":\"$rim\"" "$o.jsonl" ||
		fail "$scenario: the token event's RIM is not the recomputed $rim"
	"$python" "$attest/verify_token.py" "$o.cbor" --cpak "$out/cpak.pem" --seed cca-sim \
		--rak-vmid 1 --expect "realm.rim=$rim" --expect "realm.rem0=$rem0" \
		--expect "realm.challenge=$challenge" >"$o.verified" ||
		{ cat "$o.verified" >&2; fail "$scenario: the independent verifier refuses it"; }
	wrong=$("$python" "$attest/rim.py" "$o.jsonl" --elf "$dir/attest.elf" --s2sz 34 \
		--num-bps 1 --num-wps 1 --rec "runnable=1,pc=$entry")
	if "$python" "$attest/verify_token.py" "$o.cbor" --cpak "$out/cpak.pem" \
		--expect "realm.rim=$wrong" >/dev/null; then
		fail "$scenario: a RIM recomputed with s2sz 34 is accepted too"
	fi
done
# The RIPAS descriptors count: the two realms differ only by them.
[ "$(grep -o '"rim":"[0-9a-f]*"' "$out/attest.jsonl")" != \
	"$(grep -o '"rim":"[0-9a-f]*"' "$out/attest_ripas.jsonl")" ] || fail "RTT_INIT_RIPAS is not measured"
exit 0
