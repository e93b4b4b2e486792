# SPDX-License-Identifier: GPL-2.0-or-later
"""A hostile gdb against the real machine (`cca-sim run --gdb`): malformed packets while the
run is stopped at its first instruction are refused and the stub goes on serving; then the
run goes on to its end with its verdict unchanged. A second client goes away mid-packet: the
run ends as it would without gdb.

    gdb_malformed.py CCA_SIM SCENARIO
"""
import re
import socket
import subprocess
import sys

TIMEOUT = 20


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


def frame(payload: bytes) -> bytes:
    return b"$" + payload + b"#" + b"%02x" % (sum(payload) % 256)


def start(sim, scenario):
    proc = subprocess.Popen([sim, "run", "--quiet", "--gdb", "127.0.0.1:0", scenario],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"waiting for gdb on port (\d+)", line)
    if not m:
        fail(f"cca-sim did not say its port: {line!r}")
    sock = socket.create_connection(("127.0.0.1", int(m.group(1))), timeout=TIMEOUT)
    return proc, sock


class Reader:
    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def byte(self):
        if not self.buf:
            self.buf = self.sock.recv(65536)
            if not self.buf:
                fail("the stub closed the connection")
        b, self.buf = self.buf[0], self.buf[1:]
        return b

    def packet(self):
        while self.byte() != ord("$"):
            pass
        body = bytearray()
        while (c := self.byte()) != ord("#"):
            body.append(c)
        self.byte()
        self.byte()
        self.sock.sendall(b"+")
        return bytes(body)


def ask(sock, r, payload):
    sock.sendall(frame(payload))
    if r.byte() != ord("+"):
        fail(f"{payload!r} was not acknowledged")
    return r.packet()


def main():
    sim, scenario = sys.argv[1], sys.argv[2]
    proc, sock = start(sim, scenario)
    r = Reader(sock)
    sock.sendall(b"garbage between packets")
    sock.sendall(b"$qSupported#00")  # bad checksum: a nack, nothing else
    if r.byte() != ord("-"):
        fail("a bad checksum was not nacked")
    sock.sendall(b"$" + b"A" * 0x5000 + b"#00")  # longer than any packet
    if r.byte() != ord("-"):
        fail("an overlong packet was not nacked")
    for bad, want in [(b"mzz,4", b"E01"), (b"m0,zz", b"E01"), (b"Hg99", b"E02"),
                      (b"mffffffffffff0000,100", b"E0e"), (b"p999", b"E01"),
                      (b"Z0,notanaddr,4", b"E01"), (b"qXfer:features:read:nope.xml:0,10", b"E00")]:
        got = ask(sock, r, bad)
        if got != want:
            fail(f"{bad!r}: {got!r}, expected {want!r}")
    if not ask(sock, r, b"?").startswith(b"T05"):
        fail("the stop is lost after the bad packets")
    if len(ask(sock, r, b"g")) < 64:
        fail("registers no longer read after the bad packets")
    sock.sendall(frame(b"c"))
    if r.byte() != ord("+"):
        fail("c was not acknowledged")
    end = r.packet()
    if end != b"W00":
        fail(f"the run ended with {end!r}, expected W00")
    sock.close()
    out, err = proc.communicate(timeout=TIMEOUT)
    if proc.returncode != 0 or ": PASS" not in out:
        fail(f"the run under the hostile client ended with {proc.returncode}: {out} {err}")

    # Going away in the middle of a packet while stopped: the run finishes without gdb.
    proc, sock = start(sim, scenario)
    sock.sendall(b"$qSupp")
    sock.close()
    out, err = proc.communicate(timeout=TIMEOUT)
    if proc.returncode != 0 or ": PASS" not in out:
        fail(f"the run after the client went away ended with {proc.returncode}: {out} {err}")
    print("ok: refused, served on, and the runs ended cleanly")


main()
