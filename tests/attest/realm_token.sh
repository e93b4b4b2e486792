#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A token a realm fetched through the real machine (scenarios/attestation_chunks.yaml, three
# RSI_ATTESTATION_TOKEN_CONTINUE chunks), written by --token-out, verified by cca-sim token
# and by the independent verifier (python3-cbor2, python3-cryptography): both signatures,
# the binding, the CPAK and the realm's RAK (VMID 1) recomputed from the default seed, the
# simulated platform's claims, and the challenge the realm passed in X1..X8.
set -u
bin=$1 python=$2 version=$3 scenario=$4 out=$5 seeded=$6
here=$(cd "$(dirname "$0")" && pwd)
fail() {
	echo "realm_token: $*" >&2
	exit 1
}
mkdir -p "$out"
rm -f "$out"/token.cbor*
"$bin" run --quiet --token-out "$out/token.cbor" "$scenario" >/dev/null || fail "run failed"
[ -s "$out/token.cbor" ] || fail "no token written"
[ ! -e "$out/token.cbor.2" ] || fail "one token fetched, more written"
"$bin" token "$out/token.cbor" >"$out/decoded.txt" || fail "cca-sim token does not verify it"
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
