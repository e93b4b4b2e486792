#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An independent verifier of CCA attestation tokens (RMM spec A7.2.3).

It shares no code with cca-sim: CBOR is Debian's python3-cbor2, ECDSA and HKDF are
python3-cryptography. It decodes the collection, checks every claim's presence, type and
size, both ES384 COSE_Sign1 signatures (RFC 9052 4.4, with the CPAK from a PEM file for the
platform token and the COSE_Key in the realm token for the realm token), the binding
(platform challenge == hash of the realm public key claim, with the algorithm that token
names), and that each CBOR item is in deterministic encoding. Optionally it recomputes the
keys from a seed as docs/attestation.md describes, checks the simulated platform's claim
values, and compares claims with expected values.

    verify_token.py TOKEN --cpak PEM [--seed S [--rak-vmid N]] [--sim-platform VERSION]
                    [--expect NAME=VALUE ...]

Prints one line per check ("ok ..." or "FAIL ..."); exits 0 if all hold, 1 otherwise.
"""
import argparse
import hashlib
import io
import sys

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PLATFORM_PROFILE = "tag:arm.com,2023:cca_platform#1.0.0"
REALM_PROFILE = "tag:arm.com,2023:realm#1.0.0"
HASHLIB = {"sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512"}
HASH_SIZE = {"sha-256": 32, "sha-384": 48, "sha-512": 64}
# The order of P-384's base point (FIPS 186-5 / SEC 2).
P384_N = int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973", 16)


class Failed(Exception):
    pass


class Report:
    def __init__(self):
        self.failures = 0

    def check(self, ok, what, why=""):
        if ok:
            print(f"ok   {what}")
        else:
            self.failures += 1
            print(f"FAIL {what}" + (f": {why}" if why else ""))
        return ok


def load_exact(data, what):
    """Exactly one CBOR item, in deterministic encoding."""
    fp = io.BytesIO(data)
    try:
        obj = cbor2.CBORDecoder(fp).decode()
    except Exception as e:  # cbor2 raises several types for bad input
        raise Failed(f"{what}: not CBOR: {e}")
    if fp.tell() != len(data):
        raise Failed(f"{what}: {len(data) - fp.tell()} bytes after the item")
    if cbor2.dumps(obj, canonical=True) != data:
        raise Failed(f"{what}: not in deterministic (canonical) encoding")
    return obj


def is_hash(v):
    return isinstance(v, bytes) and len(v) in (32, 48, 64)


def is_text(v):
    return isinstance(v, str)


def fixed(n):
    return lambda v: isinstance(v, bytes) and len(v) == n


def lifecycle_ok(v):
    return isinstance(v, int) and 0 <= v <= 0xffff and (v >> 8) in (0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60)


SW_COMPONENT = {  # label: (name, required, type check)
    1: ("component type", False, is_text),
    2: ("measurement value", True, is_hash),
    4: ("version", False, is_text),
    5: ("signer ID", True, is_hash),
    6: ("hash algorithm", False, is_text),
}


def sw_components_ok(v):
    return (isinstance(v, list) and len(v) >= 1 and
            all(isinstance(c, dict) and claims_ok(c, SW_COMPONENT) is None for c in v))


PLATFORM = {
    265: ("profile", True, lambda v: v == PLATFORM_PROFILE),
    10: ("challenge", True, is_hash),
    2396: ("implementation ID", True, fixed(32)),
    256: ("instance ID", True, lambda v: fixed(33)(v) and v[0] == 0x01),
    2401: ("config", True, lambda v: isinstance(v, bytes)),
    2395: ("lifecycle", True, lifecycle_ok),
    2399: ("software components", True, sw_components_ok),
    2400: ("verification service", False, is_text),
    2402: ("hash algorithm ID", True, is_text),
}

REALM = {
    10: ("challenge", True, fixed(64)),
    265: ("profile", False, lambda v: v == REALM_PROFILE),
    44235: ("personalization value", True, fixed(64)),
    44238: ("initial measurement", True, is_hash),
    44239: ("extensible measurements", True, lambda v: isinstance(v, list) and len(v) == 4 and all(map(is_hash, v))),
    44236: ("hash algorithm ID", True, lambda v: v in HASHLIB),
    44237: ("public key", True, lambda v: isinstance(v, bytes)),
    44240: ("public key hash algorithm ID", True, lambda v: v in HASHLIB),
}


def claims_ok(claims, spec):
    """None if the map holds exactly the spec's claims with the right types, else why not."""
    if not isinstance(claims, dict):
        return "not a map"
    for label in claims:
        if label not in spec:
            return f"unknown claim {label!r}"
    for label, (name, required, ok) in spec.items():
        if label not in claims:
            if required:
                return f"claim {label} ({name}) missing"
        elif not ok(claims[label]):
            return f"claim {label} ({name}) has the wrong type or size: {claims[label]!r}"
    return None


def sign1(raw, what):
    """(protected, payload, signature) of a tagged COSE_Sign1 with alg ES384."""
    obj = load_exact(raw, what)
    if not isinstance(obj, cbor2.CBORTag) or obj.tag != 18:
        raise Failed(f"{what}: not a COSE_Sign1_Tagged (tag 18)")
    if not isinstance(obj.value, list) or len(obj.value) != 4:
        raise Failed(f"{what}: COSE_Sign1 is not an array of 4")
    protected, unprotected, payload, signature = obj.value
    if not isinstance(protected, bytes) or not isinstance(unprotected, dict):
        raise Failed(f"{what}: bad headers")
    if load_exact(protected, f"{what} protected header").get(1) != -35:
        raise Failed(f"{what}: alg is not ES384 (-35)")
    if not isinstance(payload, bytes) or not isinstance(signature, bytes) or len(signature) != 96:
        raise Failed(f"{what}: payload or signature (96 bytes) missing")
    return protected, payload, signature


def signature_ok(key, protected, payload, signature):
    tbs = cbor2.dumps(["Signature1", protected, b"", payload])
    der = encode_dss_signature(int.from_bytes(signature[:48], "big"), int.from_bytes(signature[48:], "big"))
    try:
        key.verify(der, tbs, ec.ECDSA(hashes.SHA384()))
        return True
    except InvalidSignature:
        return False


def cose_key(raw):
    k = load_exact(raw, "realm public key (COSE_Key)")
    if not isinstance(k, dict) or k.get(1) != 2 or k.get(-1) != 2:
        raise Failed("realm public key: not an EC2 (kty 2) P-384 (crv 2) COSE_Key")
    x, y = k.get(-2), k.get(-3)
    if not (isinstance(x, bytes) and isinstance(y, bytes) and len(x) == len(y) == 48):
        raise Failed("realm public key: x and y must be 48 bytes each")
    try:
        return ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"),
                                             ec.SECP384R1()).public_key()
    except ValueError as e:
        raise Failed(f"realm public key: {e}")


def derive(seed, label, context=b""):
    """docs/attestation.md: HKDF-SHA-384, 56 bytes, then c mod (n - 1) + 1."""
    okm = HKDF(algorithm=hashes.SHA384(), length=56, salt=b"cca-sim attestation key v1",
               info=label + context).derive(seed)
    d = int.from_bytes(okm, "big") % (P384_N - 1) + 1
    return ec.derive_private_key(d, ec.SECP384R1()).public_key()


def point(key):
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def sha256(b):
    return hashlib.sha256(b).digest()


def check_sim_platform(r, p, cpak, version):
    """The simulated platform's documented claim values (docs/attestation.md)."""
    r.check(p[2396] == sha256(b"cca-sim platform"), "implementation ID = SHA-256(\"cca-sim platform\")")
    r.check(p[256] == b"\x01" + sha256(point(cpak)), "instance ID = 0x01 || SHA-256(CPAK point)")
    r.check(p[2395] == 0x3000, "lifecycle = 0x3000 (secured)")
    sw = p[2399]
    r.check([c.get(1) for c in sw] == ["BL31", "RMM"], "software components BL31 and RMM")
    for c in sw:
        kind = c.get(1)
        r.check(c.get(2) == sha256(f"cca-sim {kind} {version}".encode()) and c.get(4) == version and
                c.get(5) == sha256(b"cca-sim signer") and c.get(6) == "sha-256",
                f"software component {kind}: measurement, version, signer ID, hash algorithm")
    r.check(p.get(2400) == "cca-sim token", "verification service")
    r.check(p[2402] == "sha-256", "hash algorithm ID")


EXPECT = {  # name: (token, label, index in an array claim)
    "realm.challenge": ("realm", 10, None),
    "realm.rpv": ("realm", 44235, None),
    "realm.rim": ("realm", 44238, None),
    "realm.rem0": ("realm", 44239, 0),
    "realm.rem1": ("realm", 44239, 1),
    "realm.rem2": ("realm", 44239, 2),
    "realm.rem3": ("realm", 44239, 3),
    "realm.hash_algo": ("realm", 44236, None),
    "realm.pubkey_hash_algo": ("realm", 44240, None),
    "platform.config": ("platform", 2401, None),
    "platform.lifecycle": ("platform", 2395, None),
}


def check_expected(r, claims, expectations):
    for e in expectations:
        name, _, want = e.partition("=")
        if name not in EXPECT:
            raise Failed(f"--expect: unknown claim name {name!r} (known: {', '.join(EXPECT)})")
        token, label, index = EXPECT[name]
        got = claims[token][label]
        if index is not None:
            got = got[index]
        if isinstance(got, bytes):
            ok = got == bytes.fromhex(want)
        elif isinstance(got, int):
            ok = got == int(want, 0)
        else:
            ok = got == want
        r.check(ok, f"{name} = {want}", f"the token holds {got.hex() if isinstance(got, bytes) else got!r}")


def verify(args, r):
    data = open(args.token, "rb").read()
    with open(args.cpak, "rb") as f:
        cpak = serialization.load_pem_public_key(f.read())
    if not isinstance(cpak, ec.EllipticCurvePublicKey) or cpak.curve.name != "secp384r1":
        raise Failed(f"{args.cpak}: not a P-384 public key")

    top = load_exact(data, "token")
    if not isinstance(top, cbor2.CBORTag) or top.tag != 399:
        raise Failed("token: not tag 399 (CCA token collection)")
    coll = top.value
    if not isinstance(coll, dict) or set(coll) != {44234, 44241}:
        raise Failed("token: the collection must map exactly 44234 and 44241")
    if not all(isinstance(v, bytes) for v in coll.values()):
        raise Failed("token: both tokens must be byte strings")
    r.check(True, "collection: tag 399 {44234: platform token, 44241: realm token}, deterministic encoding")

    p_prot, p_payload, p_sig = sign1(coll[44234], "platform token")
    r_prot, r_payload, r_sig = sign1(coll[44241], "realm token")
    platform = load_exact(p_payload, "platform claims")
    realm = load_exact(r_payload, "realm claims")
    why = claims_ok(platform, PLATFORM)
    if not r.check(why is None, "platform claims: present, typed, sized", why or ""):
        raise Failed("platform claims unusable")
    why = claims_ok(realm, REALM)
    if not r.check(why is None, "realm claims: present, typed, sized", why or ""):
        raise Failed("realm claims unusable")
    size = HASH_SIZE[realm[44236]]
    r.check(len(realm[44238]) == size and all(len(m) == size for m in realm[44239]),
            f"realm measurements are {size} bytes ({realm[44236]})")

    rak = cose_key(realm[44237])
    r.check(signature_ok(cpak, p_prot, p_payload, p_sig), "platform signature (ES384, CPAK)")
    binder = hashlib.new(HASHLIB[realm[44240]], realm[44237]).digest()
    r.check(platform[10] == binder, f"binding: platform challenge = {realm[44240]}(realm public key claim)")
    r.check(signature_ok(rak, r_prot, r_payload, r_sig), "realm signature (ES384, RAK from the realm token)")

    if args.seed is not None:
        seed = args.seed.encode()
        r.check(point(derive(seed, b"CPAK")) == point(cpak), f"CPAK is the one derived from seed {args.seed!r}")
        if args.rak_vmid is not None:
            r.check(point(derive(seed, b"RAK", args.rak_vmid.to_bytes(8, "little"))) == point(rak),
                    f"RAK is the one derived from seed {args.seed!r} for VMID {args.rak_vmid}")
    if args.sim_platform is not None:
        check_sim_platform(r, platform, cpak, args.sim_platform)
    check_expected(r, {"realm": realm, "platform": platform}, args.expect)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("token")
    ap.add_argument("--cpak", required=True, help="the platform public key, PEM SubjectPublicKeyInfo")
    ap.add_argument("--seed", help="also check that the CPAK (and RAK) derive from this seed")
    ap.add_argument("--rak-vmid", type=int, help="with --seed: the realm's VMID")
    ap.add_argument("--sim-platform", metavar="VERSION", help="check the simulated platform's claim values")
    ap.add_argument("--expect", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    r = Report()
    try:
        verify(args, r)
    except (Failed, OSError, ValueError) as e:
        r.check(False, "token", str(e))
    print("verified" if r.failures == 0 else f"NOT verified: {r.failures} check(s) failed")
    return 0 if r.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
