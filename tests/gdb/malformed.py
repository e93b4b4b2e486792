# SPDX-License-Identifier: GPL-2.0-or-later
"""A hostile gdb: sends the stub malformed packets over TCP and checks that it refuses each one,
keeps serving, and that the run still ends cleanly when the client goes away mid-packet or
while the machine runs.

    malformed.py [WRAPPER...] FAKE_TARGET_SERVER   (WRAPPER: e.g. valgrind and its options)
"""
import re
import socket
import subprocess
import sys
import time

TIMEOUT = 10  # seconds for any one answer; the test fails rather than hangs
# How the fake run ends when gdb goes away: to its end, with no point left behind.
LOST_RUN = "ended: status 3, session lost, x0 2, mem 0x2, points 0"


def checksum(payload: bytes) -> bytes:
    return b"%02x" % (sum(payload) % 256)


def frame(payload: bytes) -> bytes:
    return b"$" + payload + b"#" + checksum(payload)


class Stub:
    def __init__(self, server, *args):
        self.proc = subprocess.Popen([*server, *args], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"port (\d+)$", line.strip())
        if not m:
            fail(f"server did not print its port: {line!r}")
        self.sock = socket.create_connection(("127.0.0.1", int(m.group(1))), timeout=TIMEOUT)
        self.buf = b""
        self.ack = True

    def send(self, raw: bytes):
        self.sock.sendall(raw)

    def byte(self) -> int:
        if not self.buf:
            data = self.sock.recv(65536)
            if not data:
                fail("server closed the connection")
            self.buf = data
        b, self.buf = self.buf[0], self.buf[1:]
        return b

    def expect_ack(self, want: bytes):
        got = bytes([self.byte()])
        if got != want:
            fail(f"expected {want!r}, got {got!r}")

    def packet(self) -> bytes:
        """The next packet from the server, checksum checked, acknowledged."""
        while self.byte() != ord("$"):
            pass
        body = bytearray()
        while (c := self.byte()) != ord("#"):
            body.append(c)
        sum_ = bytes([self.byte(), self.byte()])
        if sum_ != checksum(bytes(body)):
            fail(f"bad checksum from the server on {bytes(body)[:40]!r}")
        if self.ack:
            self.send(b"+")
        return bytes(body)

    def ask(self, payload: bytes) -> bytes:
        self.send(frame(payload))
        if self.ack:
            self.expect_ack(b"+")
        return self.packet()

    def finish(self) -> str:
        try:
            out, _ = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("server did not end after the client went away")
        if self.proc.returncode != 0:
            fail(f"server exited with {self.proc.returncode}")
        return out


def fail(msg):
    print(f"malformed.py: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def check(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")
    print(f"ok  {what}")


def garbage_then_cut_short(server):
    s = Stub(server)
    s.send(b"hello\x00\xff\x7f+-")  # noise between packets: ignored
    s.send(b"$qC#00")
    s.expect_ack(b"-")
    print("ok  bad checksum: nacked")
    s.send(b"$qC#zz")
    s.expect_ack(b"-")
    print("ok  checksum not hex: nacked")
    s.send(b"$" + b"a" * 20000 + b"#00")
    s.expect_ack(b"-")
    print("ok  overlong packet: nacked")
    s.send(b"$g$qC#b4")  # a '$' starts a new packet: the cut one is dropped
    s.expect_ack(b"+")
    check("packet restarted by '$'", s.packet(), b"QC1")
    check("bad hex in m", s.ask(b"mzz,4"), b"E01")
    check("m without a length", s.ask(b"m80000000"), b"E01")
    check("unknown thread", s.ask(b"Hg99"), b"E02")
    check("thread alive: unknown", s.ask(b"T99"), b"E02")
    check("huge m length is clamped", len(s.ask(b"m80000000,ffffffffffffffff")), 2 * 4096)
    check("m of unmapped memory", s.ask(b"m0,4"), b"E0e")
    check("huge M length", s.ask(b"M80000800,ffffffff:00"), b"E01")
    check("M data shorter than its length", s.ask(b"M80000800,4:0011"), b"E01")
    check("truncated binary escape in X", s.ask(b"X80000800,1:}"), b"E01")
    check("X longer than its length", s.ask(b"X80000800,1:ab"), b"E01")
    check("register out of range", s.ask(b"p999"), b"E01")
    check("G of the wrong size", s.ask(b"G00"), b"E01")
    check("vCont with an unknown action", s.ask(b"vCont;q"), b"E01")
    check("qXfer of an unknown annex", s.ask(b"qXfer:features:read:x.xml:0,10"), b"E00")
    check("monitor with odd hex", s.ask(b"qRcmd,657"), b"E01")
    check("unknown packet", s.ask(b"qSomethingNew"), b"")
    check("still serving", s.ask(b"qC"), b"QC1")
    s.send(b"$m80000000,")  # EOF in the middle of a packet
    s.sock.close()
    out = s.finish()
    check("ends as a lost session, run to its end", out.strip().splitlines()[-1], LOST_RUN)


def interrupt_then_disconnect(server):
    s = Stub(server, "--spin")
    check("no-ack mode", s.ask(b"QStartNoAckMode"), b"OK")
    s.ack = False
    check("breakpoint that the run never reaches", s.ask(b"Z0,80000010,4"), b"OK")
    s.send(frame(b"c"))
    time.sleep(0.05)
    s.send(b"\x03")
    check("^C stops the running machine", s.packet(), b"T02thread:1;")
    s.send(frame(b"c"))
    s.sock.close()  # gone while the machine runs: a detach, breakpoint removed
    out = s.finish()
    check("ends as a lost session without the breakpoint", out.strip().splitlines()[-1],
          LOST_RUN)


def silent_client(server):
    s = Stub(server)
    s.sock.close()
    check("a client that says nothing", s.finish().strip().splitlines()[-1], LOST_RUN)


if __name__ == "__main__":
    command = sys.argv[1:]
    garbage_then_cut_short(command)
    interrupt_then_disconnect(command)
    silent_client(command)
