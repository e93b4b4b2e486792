#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `cca-sim keys` and `cca-sim token` through the real binary: PEM keys, reproducible and
# distinct per seed and realm; a good token verified (exit 0) with its claims shown; a token
# whose signature or binding is broken refused (exit 1) naming the broken link; bad files and
# bad command lines refused (exit 2) with a clear error, never a crash.
# The example in docs/attestation.md is this output, byte for byte.
# Usage: cli.sh CCA-SIM PYTHON WRITE_TOKEN OUTDIR DOC
set -u
bin=$1 py=$2 write=$3 out=$4 doc=$5
here=$(dirname "$0")
mkdir -p "$out"
"$write" "$out" || { echo "FAIL: write_token" >&2; exit 1; }
fail=0

run() { # EXPECTED-EXIT PATTERN ARGS...: the pattern is looked for in stdout + stderr
	want=$1 pattern=$2
	shift 2
	"$bin" "$@" >"$out/stdout" 2>"$out/stderr"
	rc=$?
	cat "$out/stdout" "$out/stderr" >"$out/both"
	if [ $rc -ne "$want" ] || ! grep -q -- "$pattern" "$out/both"; then
		echo "FAIL: cca-sim $*: exit $rc (wanted $want), wanted '$pattern' in:" >&2
		cat "$out/both" >&2
		fail=1
	fi
}
same() { cmp -s "$1" "$2" || { echo "FAIL: $1 and $2 differ" >&2; fail=1; }; }
differ() { cmp -s "$1" "$2" && { echo "FAIL: $1 and $2 are the same" >&2; fail=1; }; }

# keys: PEM SubjectPublicKeyInfo, the same on every run, one per seed and per realm, and the
# very keys the library signs with (write_token's).
run 0 '^-----BEGIN PUBLIC KEY-----$' keys
cp "$out/stdout" "$out/default.pem"
run 0 'END PUBLIC KEY' keys
same "$out/stdout" "$out/default.pem"
run 0 'END PUBLIC KEY' keys --seed "fixture seed"
same "$out/stdout" "$out/cpak.pem"
run 0 'END PUBLIC KEY' keys --seed "fixture seed" --realm 1
same "$out/stdout" "$out/rak.pem"
run 0 'END PUBLIC KEY' keys --seed "fixture seed" --realm 2
differ "$out/stdout" "$out/rak.pem"
differ "$out/cpak.pem" "$out/default.pem"
"$py" -c "
import sys
from cryptography.hazmat.primitives import serialization
k = serialization.load_pem_public_key(open(sys.argv[1], 'rb').read())
assert k.curve.name == 'secp384r1', k.curve.name" "$out/default.pem" || { echo "FAIL: keys is not P-384 PEM" >&2; fail=1; }
run 2 'wants a VMID' keys --realm 70000
run 2 'wants a VMID' keys --realm one
run 2 'unexpected argument' keys --bogus
run 2 'unexpected argument' keys --seed

# token: verified, claims and the chain shown.
run 0 'verified$' token "$out/token.cbor" --seed "fixture seed"
for line in 'profile *tag:arm.com,2023:cca_platform#1.0.0' 'lifecycle *0x3000 (secured)' \
	'software component 1 *RMM, version' 'config *"cca-sim test machine"' \
	'initial measurement *a1a1a1a1' 'extensible measurement 3 *b3b3' \
	'challenge *000102030405' 'public key (RAK) *COSE_Key, EC2, P-384' \
	'platform signature *ok: verifies with the CPAK of seed "fixture seed"' \
	'binding *ok: platform challenge = sha-256(realm public key)' \
	'realm signature *ok: verifies with the realm public key (RAK)'; do
	grep -q -- "$line" "$out/stdout" || { echo "FAIL: token output lacks '$line'" >&2; fail=1; }
done
cp "$out/stdout" "$out/first"
run 0 'verified$' token "$out/token.cbor" --seed "fixture seed"
same "$out/stdout" "$out/first"
# the document's example: the lines after `$ cca-sim token token.cbor ...` up to the fence
awk '/^\$ cca-sim token token.cbor --seed "fixture seed"$/ {on = 1; next}
	on && /^```/ {exit} on {print}' "$doc" >"$out/doc-example"
(cd "$out" && "$bin" token token.cbor --seed "fixture seed") >"$out/example"
if [ ! -s "$out/doc-example" ] || ! diff -u "$out/doc-example" "$out/example" >&2; then
	echo "FAIL: $doc: the cca-sim token example is no longer what it prints" >&2
	fail=1
fi
run 0 'verified$' token "$out/token.cbor" --cpak "$out/cpak.pem"
run 0 'platform challenge = sha-384' token "$out/token-sha512.cbor" --seed "fixture seed"

# A broken link: exit 1, the claims still shown, the failed check named.
run 1 'platform signature *FAILED' token "$out/token.cbor"
run 1 'not verified: platform token: the signature does not verify' token "$out/token.cbor" \
	--cpak "$out/rak.pem"
run 1 'binding *FAILED' token "$out/token-wrong-binding.cbor" --seed "fixture seed"
for kind in platform-signature platform-claim realm-signature realm-claim truncate; do
	"$py" "$here/mutate_token.py" "$out/token.cbor" "$out/$kind.cbor" "$kind" || fail=1
done
run 1 'platform signature *FAILED' token "$out/platform-signature.cbor" --seed "fixture seed"
run 1 'platform signature *FAILED' token "$out/platform-claim.cbor" --seed "fixture seed"
run 1 'realm signature *FAILED' token "$out/realm-signature.cbor" --seed "fixture seed"
run 1 'realm signature *FAILED' token "$out/realm-claim.cbor" --seed "fixture seed"

# Not a token at all: exit 2 and FILE: error: ...
run 2 "^$out/truncate.cbor: error: token: truncated: the item at byte" token "$out/truncate.cbor"
printf 'hello, world\n' >"$out/text.cbor"
run 2 "^$out/text.cbor: error: token: " token "$out/text.cbor"
: >"$out/empty.cbor"
run 2 "^$out/empty.cbor: error: token: empty" token "$out/empty.cbor"
head -c 7 "$out/token.cbor" >"$out/short.cbor"
run 2 "^$out/short.cbor: error: token: truncated" token "$out/short.cbor"
run 2 "^$out/missing.cbor: error: cannot open" token "$out/missing.cbor"
run 2 "not a P-384 public key" token "$out/token.cbor" --cpak "$out/text.cbor"
run 2 'which token FILE' token
run 2 'both name the platform key' token "$out/token.cbor" --seed s --cpak "$out/cpak.pem"
run 2 'one token FILE at a time' token "$out/token.cbor" "$out/token.cbor"
run 2 'unexpected argument' token --frob "$out/token.cbor"
exit $fail
