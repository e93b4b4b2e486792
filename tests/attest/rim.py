#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Recomputes a realm's Realm Initial Measurement independently of cca-sim (RMM spec A7.1.1).

It shares no code with cca-sim. It replays, in order, the RMI calls that changed the RIM as
the run's event stream (`cca-sim run --json`) records them, and hashes what the spec's
measurement descriptors hold:

  - RMI_REALM_CREATE (RimInit): a 4096-byte RmiRealmParams, zero but for the measured
    attributes (flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo), given here as
    options because the event records only the parameter granule's address;
  - RMI_DATA_CREATE: a 256-byte RmmMeasurementDescriptorData (type 0, length, current RIM,
    IPA, flags, and the hash of the granule's contents when flags.measure is set); the
    contents are the realm image's, read from its ELF file: PT_LOAD segments at their load
    address, zero where a page holds no file bytes;
  - RMI_REC_CREATE of a runnable REC: a 256-byte RmmMeasurementDescriptorRec holding the hash
    of a 4096-byte RmiRecParams, zero but for flags, pc and gprs[0..7] (--rec, one per
    REC_CREATE in order);
  - RMI_RTT_INIT_RIPAS: one RmmMeasurementDescriptorRipas per RTT entry of [base, out_top),
    each entry's size from the RTTs the run created (RMI_RTT_CREATE).
DATA_CREATE_UNKNOWN measures nothing; calls that failed measure nothing.

    rim.py EVENTS.jsonl --elf IMAGE --s2sz N [--num-bps N] [--num-wps N] [--hash sha-256]
           --rec runnable=1,pc=0x0 [--rec ...]

Prints the RIM in hex (as many bytes as the hash gives). Exits 1, saying why, when the
events do not describe one realm built from that image.
"""
import argparse
import hashlib
import json
import struct
import sys

GRANULE = 4096
HASHES = {"sha-256": (0, "sha256"), "sha-512": (1, "sha512")}
# RmiRealmParams (the RMI types chapter of the spec): offsets of the measured attributes.
REALM_PARAMS = {"flags": 0x0, "s2sz": 0x8, "sve_vl": 0x10, "num_bps": 0x18, "num_wps": 0x20,
                "pmu_num_ctrs": 0x28, "hash_algo": 0x30}
# RmiRecParams: flags, pc, gprs[0..7].
REC_FLAGS, REC_PC, REC_GPRS = 0x0, 0x200, 0x300
RUNNABLE = 1


class Refused(Exception):
    pass


def elf_pages(path):
    """{page IPA: 4096 bytes} of an ELF64 little-endian image's PT_LOAD segments."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise Refused(f"{path}: not a 64-bit little-endian ELF file")
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    pages = {}
    for i in range(phnum):
        p_type, _, p_offset, _, p_paddr, p_filesz, p_memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type != 1 or p_memsz == 0:  # PT_LOAD only
            continue
        first = p_paddr // GRANULE * GRANULE
        for page in range(first, p_paddr + p_memsz, GRANULE):
            pages.setdefault(page, bytearray(GRANULE))
        for k in range(p_filesz):
            addr = p_paddr + k
            pages[addr // GRANULE * GRANULE][addr % GRANULE] = data[p_offset + k]
    return {k: bytes(v) for k, v in pages.items()}


def level_size(level):
    return GRANULE << (9 * (3 - level))


def start_level(s2sz):
    """The stage 2 start level of a 4 KB-granule table with one starting table."""
    bits = s2sz - 12
    return 4 - (bits + 8) // 9


class Rim:
    def __init__(self, algo):
        self.algo = algo
        self.value = bytes(64)

    def hash(self, data):
        return hashlib.new(HASHES[self.algo][1], data).digest().ljust(64, b"\0")

    def extend(self, desc_type, body):
        """A 256-byte descriptor: type, length 0x100, the current RIM, then `body` at 0x50."""
        desc = bytearray(0x100)
        struct.pack_into("<QQ", desc, 0, desc_type, 0x100)
        desc[0x10:0x50] = self.value
        desc[0x50:0x50 + len(body)] = body
        self.value = self.hash(bytes(desc))


def num(v):
    return int(v, 16) if isinstance(v, str) else v


def replay(events, pages, args):
    rim = Rim(args.hash)
    rd = None
    rtts = []  # (level, base) of every RTT created: its entries are level-`level` entries
    recs = list(args.rec)
    measured_pages = set()
    for ev in events:
        if ev.get("type") != "rmi" or ev.get("status") != "RMI_SUCCESS":
            continue
        cmd, a = ev["cmd"], [num(x) for x in ev["args"]]
        if cmd == "RMI_REALM_CREATE":
            if rd is not None:
                raise Refused("the events create more than one realm")
            rd = a[0]
            params = bytearray(GRANULE)
            values = {"flags": args.flags, "s2sz": args.s2sz, "sve_vl": args.sve_vl,
                      "num_bps": args.num_bps, "num_wps": args.num_wps,
                      "pmu_num_ctrs": args.pmu_num_ctrs, "hash_algo": HASHES[args.hash][0]}
            for name, off in REALM_PARAMS.items():
                struct.pack_into("<Q", params, off, values[name])
            rim.value = rim.hash(bytes(params))
        elif rd is None or not a or a[0] != rd:
            continue
        elif cmd == "RMI_RTT_CREATE":
            rtts.append((a[3], a[2]))
        elif cmd == "RMI_DATA_CREATE":
            ipa, flags = a[2], a[4]
            if ipa not in pages:
                raise Refused(f"DATA_CREATE at IPA {ipa:#x}: no page of the image is there")
            content = rim.hash(pages[ipa]) if flags & 1 else bytes(64)
            rim.extend(0, struct.pack("<QQ", ipa, flags) + content)
            measured_pages.add(ipa)
        elif cmd == "RMI_REC_CREATE":
            if not recs:
                raise Refused("more REC_CREATE calls than --rec options")
            rec = recs.pop(0)
            if rec["runnable"]:
                params = bytearray(GRANULE)
                struct.pack_into("<Q", params, REC_FLAGS, RUNNABLE)
                struct.pack_into("<Q", params, REC_PC, rec["pc"])
                struct.pack_into("<8Q", params, REC_GPRS, *([0] * 8))
                rim.extend(1, rim.hash(bytes(params)))
        elif cmd == "RMI_RTT_INIT_RIPAS":
            base, top = a[1], a[2]
            out_top = num(ev.get("out_top", ev["args"][2]))
            ipa = base
            while ipa < out_top:
                size = level_size(entry_level(ipa, rtts, args.s2sz))
                rim.extend(2, struct.pack("<QQ", ipa, min(ipa + size, top)))
                ipa = ipa // size * size + size
    if rd is None:
        raise Refused("the events hold no successful RMI_REALM_CREATE")
    if recs:
        raise Refused(f"{len(recs)} --rec option(s) left over: fewer RECs were created")
    missing = sorted(set(pages) - measured_pages)
    if missing:
        raise Refused("pages of the image never measured: " + ", ".join(f"{p:#x}" for p in missing))
    return rim.value[:hashlib.new(HASHES[args.hash][1]).digest_size]


def entry_level(ipa, rtts, s2sz):
    """The level of the RTT entry that holds `ipa`: the deepest RTT created over it."""
    level = start_level(s2sz)
    for lvl, base in rtts:
        if lvl > level and base <= ipa < base + level_size(lvl - 1):
            level = lvl
    return level


def rec_option(text):
    fields = dict(kv.split("=", 1) for kv in text.split(","))
    return {"runnable": int(fields.get("runnable", "0"), 0) != 0, "pc": int(fields["pc"], 0)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("events")
    ap.add_argument("--elf", required=True)
    ap.add_argument("--s2sz", type=int, required=True)
    ap.add_argument("--flags", type=lambda s: int(s, 0), default=0)
    ap.add_argument("--sve-vl", type=int, default=0)
    ap.add_argument("--num-bps", type=int, default=0)
    ap.add_argument("--num-wps", type=int, default=0)
    ap.add_argument("--pmu-num-ctrs", type=int, default=0)
    ap.add_argument("--hash", choices=sorted(HASHES), default="sha-256")
    ap.add_argument("--rec", type=rec_option, action="append", default=[],
                    help="runnable=0|1,pc=ADDR: one per RMI_REC_CREATE, in order")
    args = ap.parse_args()
    try:
        events = [json.loads(line) for line in open(args.events) if line.startswith("{")]
        print(replay(events, elf_pages(args.elf), args).hex())
    except (Refused, OSError, ValueError, KeyError, struct.error) as e:
        print(f"rim.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
