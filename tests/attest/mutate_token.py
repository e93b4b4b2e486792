#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes a copy of a CCA attestation token with one thing broken, for the negative tests.

    mutate_token.py IN OUT KIND

KIND: platform-signature, realm-signature (one bit of the signature flipped),
platform-claim (the implementation ID), realm-claim (the RIM): the token stays well formed,
only a signature no longer matches; truncate (the last 10 bytes dropped).
Uses python3-cbor2 only, none of cca-sim's code.
"""
import sys

import cbor2


def flip(b, at):
    return b[:at] + bytes([b[at] ^ 0x01]) + b[at + 1:]


def main():
    src, dst, kind = sys.argv[1:4]
    data = open(src, "rb").read()
    if kind == "truncate":
        open(dst, "wb").write(data[:-10])
        return 0
    top = cbor2.loads(data)
    key = 44234 if kind.startswith("platform") else 44241
    sign1 = cbor2.loads(top.value[key])
    prot, unprot, payload, sig = sign1.value
    if kind.endswith("-signature"):
        sig = flip(sig, 10)
    elif kind == "platform-claim":
        claims = cbor2.loads(payload)
        claims[2396] = flip(claims[2396], 0)
        payload = cbor2.dumps(claims, canonical=True)
    elif kind == "realm-claim":
        claims = cbor2.loads(payload)
        claims[44238] = flip(claims[44238], 0)
        payload = cbor2.dumps(claims, canonical=True)
    else:
        sys.exit(f"mutate_token.py: unknown kind {kind}")
    top.value[key] = cbor2.dumps(cbor2.CBORTag(18, [prot, unprot, payload, sig]), canonical=True)
    open(dst, "wb").write(cbor2.dumps(top, canonical=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
