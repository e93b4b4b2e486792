#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fixture's tokens through the independent verifier (verify_token.py: python3-cbor2 and
# python3-cryptography, no cca-sim code): the good ones verify with the expected claim values,
# the keys derive from the seed as documented, and every broken one fails for its reason.
# The example in docs/attestation.md is this output, byte for byte.
# Usage: independent.sh PYTHON WRITE_TOKEN VERSION OUTDIR DOC
set -u
py=$1 write=$2 version=$3 out=$4 doc=$5
here=$(dirname "$0")
mkdir -p "$out"
"$write" "$out" || { echo "FAIL: write_token" >&2; exit 1; }
fail=0
hex() { "$py" -c "import sys; print(bytes(eval(sys.argv[1])).hex())" "$1"; }

verify() { # EXPECTED-EXIT PATTERN TOKEN ARGS...
	want=$1 pattern=$2 tok=$3
	shift 3
	"$py" "$here/verify_token.py" "$tok" "$@" >"$out/log" 2>&1
	rc=$?
	if [ $rc -ne "$want" ] || ! grep -q -- "$pattern" "$out/log"; then
		echo "FAIL: verify_token.py $tok $*: exit $rc (wanted $want), wanted '$pattern' in:" >&2
		cat "$out/log" >&2
		fail=1
	fi
}

cpak=(--cpak "$out/cpak.pem")
verify 0 '^verified' "$out/token.cbor" "${cpak[@]}" --seed "fixture seed" --rak-vmid 1 \
	--sim-platform "$version" \
	--expect "realm.challenge=$(hex 'range(64)')" \
	--expect "realm.rpv=$(hex 'range(0x40, 0x80)')" \
	--expect "realm.rim=$(hex '[0xa1] * 32')" \
	--expect "realm.rem0=$(hex '[0xb0] * 32')" --expect "realm.rem3=$(hex '[0xb3] * 32')" \
	--expect realm.hash_algo=sha-256 --expect realm.pubkey_hash_algo=sha-256 \
	--expect "platform.config=$(hex 'b"cca-sim test machine"')"
verify 0 '^verified' "$out/token-sha512.cbor" "${cpak[@]}" \
	--expect realm.hash_algo=sha-512 --expect realm.pubkey_hash_algo=sha-384 \
	--expect "realm.rim=$(hex '[0xa1] * 64')"

# the document's example: the lines after its `$ python3 ...` up to the fence
awk '/^\$ python3 tests\/attest\/verify_token.py token.cbor / {on = 1; next}
	on && /^```/ {exit} on {print}' "$doc" >"$out/doc-example"
(cd "$out" && "$py" "$here/verify_token.py" token.cbor --cpak cpak.pem --seed "fixture seed" \
	--rak-vmid 1) >"$out/example" 2>&1
if [ ! -s "$out/doc-example" ] || ! diff -u "$out/doc-example" "$out/example" >&2; then
	echo "FAIL: $doc: the verify_token.py example is no longer what it prints" >&2
	fail=1
fi

# Each broken token fails, and for its own reason.
verify 1 '^FAIL binding' "$out/token-wrong-binding.cbor" "${cpak[@]}"
verify 1 '^FAIL platform signature' "$out/token.cbor" --cpak "$out/rak.pem"
verify 1 '^FAIL CPAK is the one derived' "$out/token.cbor" "${cpak[@]}" --seed "another seed"
verify 1 '^FAIL realm.rim' "$out/token.cbor" "${cpak[@]}" --expect "realm.rim=$(hex '[0] * 32')"
for kind in platform-signature platform-claim realm-signature realm-claim truncate; do
	"$py" "$here/mutate_token.py" "$out/token.cbor" "$out/$kind.cbor" "$kind" || fail=1
done
verify 1 '^FAIL platform signature' "$out/platform-signature.cbor" "${cpak[@]}"
verify 1 '^FAIL platform signature' "$out/platform-claim.cbor" "${cpak[@]}"
verify 1 '^FAIL realm signature' "$out/realm-signature.cbor" "${cpak[@]}"
verify 1 '^FAIL realm signature' "$out/realm-claim.cbor" "${cpak[@]}"
verify 1 '^FAIL token: token: not CBOR' "$out/truncate.cbor" "${cpak[@]}"
# ... and the untouched checks still hold: a mutant breaks one link, not the parser.
verify 1 '^ok   binding' "$out/realm-claim.cbor" "${cpak[@]}"
exit $fail
