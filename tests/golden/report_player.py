#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Drives the HTML report of hotplug_deny in headless Chromium, as a reader would.

Chromium is started with its DevTools protocol on a free port; this script connects with
Debian's python3-websocket, presses keys (Input.dispatchKeyEvent: real key events, handled
by the page's own listener) and reads what the page shows (Runtime.evaluate on the DOM). It
checks the verdict, then the panels at the realm's PSCI_CPU_ON exit, at the host's DENIED
completion (with its reason) and at the last step, and that the page is legible at 800 and
1400 pixels wide (no horizontal overflow, panels of a usable width, text of at least 12px).

    report_player.py CHROMIUM REPORT.html
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

KEYS = {"ArrowRight": 39, "ArrowLeft": 37, "ArrowDown": 40, "ArrowUp": 38, "Home": 36, "End": 35}


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def key(self, name):
        code = KEYS[name]
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=name, code=name,
                      windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)

    def text(self, selector):
        return self.eval(f"document.querySelector({json.dumps(selector)}).textContent")

    def rows(self, table_id):
        return self.eval(
            f"Array.from(document.querySelectorAll('#{table_id} tr')).slice(1)"
            ".map(tr => Array.from(tr.children).map(td => td.textContent))")


failures = 0


def check(ok, what, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else f": {detail}"))
    failures += 0 if ok else 1
    return ok


def step_until(page, key, pattern, limit=300):
    """Presses `key` until the current step's text matches `pattern`; returns that text."""
    for _ in range(limit):
        text = page.text("#current-text")
        if re.search(pattern, text):
            return text
        page.key(key)
    raise RuntimeError(f"no step matches {pattern!r} pressing {key}")


def rec_row(page, rec):
    return next((r for r in page.rows("panel-recs-table") if r[0] == rec), None)


def start_chromium(chromium, url, profile):
    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1400,1000",
         url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"DevTools listening on (ws://[^/]+)/", line)
        if m:
            return proc, m.group(1).replace("ws://", "http://")
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError("chromium did not open its DevTools port")


def page_socket(http):
    for _ in range(100):
        with urllib.request.urlopen(http + "/json/list", timeout=10) as r:
            for t in json.load(r):
                if t.get("type") == "page" and t.get("url", "").startswith("file:"):
                    return t["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise RuntimeError("no page target")


def drive(page):
    for _ in range(100):
        if page.eval("document.readyState") == "complete" and page.eval(
                "!!document.querySelector('#panel-recs-table tr')"):
            break
        time.sleep(0.1)
    check(page.text("#verdict") == "PASS: 7 expectations checked", "the verdict is at the top",
          page.text("#verdict"))
    check(page.text("#position").startswith("step 1 of "), "the player starts at step 1")

    # 1. The realm's PSCI_CPU_ON exit: REC 0 waits for the host's answer.
    step_until(page, "ArrowRight", r"exits to the host: PSCI \(X0 = 0xc4000003")
    r0 = rec_row(page, "realm.rec0")
    check(r0 is not None and r0[1] == "RUNNABLE" and r0[2] == "PSCI request pending" and
          r0[3].startswith("PSCI (X0..X3 = 0xc4000003, 0x1"),
          "at the PSCI exit REC 0 is RUNNABLE with its CPU_ON pending", str(r0))
    r1 = rec_row(page, "realm.rec1")
    check(r1 is not None and r1[1] == "NOT_RUNNABLE", "REC 1 is NOT_RUNNABLE", str(r1))
    check(["realm", "ACTIVE"] in page.rows("panel-realms-table"), "the realm is ACTIVE")
    granules = page.rows("panel-granules-table")
    check(["rd", "RD"] in granules and ["rec0", "REC"] in granules and
          ["rec1", "REC"] in granules and ["data0", "DATA"] in granules,
          "the RMM's granule states: RD, RECs, DATA", str(granules))
    gpt = page.rows("panel-gpt-table")
    check(["rd", "REALM"] in gpt and ["rec1", "REALM"] in gpt, "the GPT: rd and rec1 are REALM",
          str(gpt))
    row = page.eval("(document.querySelector('#sequence-diagram g.row.current') || {})"
                    ".textContent || ''")
    check("exit PSCI: PSCI_CPU_ON" in row, "the diagram highlights the exit", row)

    # 2. The host's DENIED completion, reached by host call (down arrow), with its reason.
    text = step_until(page, "ArrowDown", r"calls RMI_PSCI_COMPLETE")
    text = step_until(page, "ArrowRight", r"RMI_PSCI_COMPLETE\(rec0, rec1, PSCI_DENIED\) -> RMI_SUCCESS")
    why = page.text("#current-why")
    check("PSCI_DENIED is permitted because the target REC is NOT_RUNNABLE" in why and
          "(B4.3.7.3, decision on_denied)" in why, "the DENIED completion says why", why)
    r0, r1 = rec_row(page, "realm.rec0"), rec_row(page, "realm.rec1")
    check(r0[2] == "-" and r1[1] == "NOT_RUNNABLE",
          "after it no request is pending and REC 1 stays NOT_RUNNABLE", f"{r0} {r1}")
    step_until(page, "ArrowRight", r"PSCI_CPU_ON\(.*\) returns PSCI_DENIED")
    r0 = rec_row(page, "realm.rec0")
    check(r0[4] == "PSCI_CPU_ON returned PSCI_DENIED", "REC 0 receives PSCI_DENIED", str(r0))
    page.key("ArrowLeft")
    check("PSCI_DENIED" not in rec_row(page, "realm.rec0")[4], "a step back undoes it")

    # 3. The last step: the realm is off and the teardown gave every granule back.
    page.key("End")
    pos = page.text("#position")
    m = re.match(r"step (\d+) of (\d+)", pos)
    check(m and m.group(1) == m.group(2), "End goes to the last step", pos)
    check(["realm", "SYSTEM_OFF"] in page.rows("panel-realms-table"), "the realm ends SYSTEM_OFF")
    check(all(g[1] == "NS" for g in page.rows("panel-gpt-table")),
          "every granule is back in the NS PAS", str(page.rows("panel-gpt-table")))
    check(all(g[1] == "UNDELEGATED" for g in page.rows("panel-granules-table")),
          "every granule is UNDELEGATED")
    page.key("Home")
    check(page.text("#position").startswith("step 1 of "), "Home goes back to step 1")

    # 4. Legible at 800 and 1400 pixels.
    for width in (800, 1400):
        page.call("Emulation.setDeviceMetricsOverride", width=width, height=1000,
                  deviceScaleFactor=1, mobile=False)
        time.sleep(0.2)
        over = page.eval("document.documentElement.scrollWidth - window.innerWidth")
        panel = page.eval("document.querySelector('#panel-recs').getBoundingClientRect().width")
        font = page.eval("parseFloat(getComputedStyle(document.querySelector('#current-text'))"
                         ".fontSize)")
        check(over <= 1 and panel >= 280 and font >= 12,
              f"legible at {width}px: no page overflow, panels {panel:.0f}px, text {font}px",
              f"overflow {over}px")


def main():
    chromium, report = sys.argv[1], os.path.abspath(sys.argv[2])
    profile = tempfile.mkdtemp(prefix="cca-report-")
    proc = None
    try:
        proc, http = start_chromium(chromium, "file://" + report, profile)
        page = Page(page_socket(http))
        drive(page)
    except (RuntimeError, OSError, websocket.WebSocketException) as e:
        check(False, "driving the report", str(e))
    finally:
        if proc:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    print("report player: " + ("all checks hold" if failures == 0 else f"{failures} failed"))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
