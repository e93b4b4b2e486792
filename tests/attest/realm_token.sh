#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A token a realm fetched through the real machine (scenarios/attestation_chunks.yaml, three
# RSI_ATTESTATION_TOKEN_CONTINUE chunks), written by --token-out, verified by cca-sim token
# and by the independent verifier (python3-cbor2, python3-cryptography): both signatures,
# the binding, the CPAK and the realm's RAK (VMID 1) recomputed from the default seed, the
# simulated platform's claims, and the challenge the realm passed in X1..X8. The decoded token
# in docs/attestation.md is this run's, byte for byte.
set -u
bin=$1 python=$2 version=$3 scenario=$4 out=$5 seeded=$6 doc=$7
here=$(cd "$(dirname "$0")" && pwd)
fail() {
	echo "realm_token: $*" >&2
	exit 1
}
mkdir -p "$out"
rm -f "$out"/token.cbor*
"$bin" run --quiet --token-out "$out/token.cbor" "$scenario" >/dev/null || fail "run failed"
[ -s "$out/token.cbor" ] || fail "no token written"
# The claims in the views: the report's token table and the diagram's note carry the RIM
# that the token itself holds (checked against the independent verifier below).
"$bin" run --quiet --report "$out/report.html" --diagram "$out/diagram.mmd" "$scenario" \
	>/dev/null || fail "run with views failed"
[ ! -e "$out/token.cbor.2" ] || fail "one token fetched, more written"
(cd "$out" && "$bin" token token.cbor) >"$out/decoded.txt" || fail "cca-sim token does not verify it"
rim=$(sed -n 's/^  initial measurement *//p' "$out/decoded.txt")
grep -q '<h2>Attestation tokens</h2>' "$out/report.html" || fail "the report has no token table"
grep -q "<tr><td>rim</td><td>$rim</td></tr>" "$out/report.html" || fail "the report's RIM is not $rim"
grep -q "holds its attestation token (1120 bytes, RIM ${rim:0:16}...)" "$out/diagram.mmd" ||
	fail "the diagram does not show the token"
awk '/<!-- realm_token.sh: the decoded token -->/ {on = 1; next}
	on && /^```text/ {body = 1; next} body && /^```/ {exit} body && !/^\$ / {print}' "$doc" |
	diff -u - "$out/decoded.txt" >&2 || fail "docs/attestation.md no longer shows this token"
"$bin" keys >"$out/cpak.pem" || fail "cca-sim keys failed"
challenge=""
for w in 1111 2222 3333 4444 5555 6666 7777 8888; do
	challenge="$challenge${w}000000000000" # each doubleword little-endian
done
"$python" "$here/verify_token.py" "$out/token.cbor" --cpak "$out/cpak.pem" --seed cca-sim \
	--rak-vmid 1 --sim-platform "$version" --expect "realm.challenge=$challenge" \
	>"$out/independent.txt" || { cat "$out/independent.txt" >&2; fail "the independent verifier refuses it"; }
# machine.attestation_seed: the keys follow it (one CONTINUE of a whole granule fetches all).
"$bin" run --quiet --token-out "$out/seeded.cbor" "$seeded" >/dev/null || fail "seeded run failed"
"$bin" token "$out/seeded.cbor" --seed "lab bench 3" >/dev/null || fail "not the seed's keys"
if "$bin" token "$out/seeded.cbor" >/dev/null 2>&1; then fail "the default CPAK verifies it"; fi
"$bin" keys --seed "lab bench 3" >"$out/seeded.pem" || fail "cca-sim keys --seed failed"
"$python" "$here/verify_token.py" "$out/seeded.cbor" --cpak "$out/seeded.pem" \
	--seed "lab bench 3" --rak-vmid 1 >"$out/seeded.txt" || fail "independent: not the seed's keys"
# An unwritable --token-out is an output error (exit 2).
"$bin" run --quiet --token-out "$out/no/such/dir/t.cbor" "$scenario" >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unwritable --token-out is not exit 2"
exit 0
