#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The repository stands alone: every source file says its licence (an SPDX line), and no
file refers to a document that is not in the repository (design notes kept elsewhere, a
sibling checkout). Prints each offence as FILE:LINE: error: ... and exits 1 if there is any."""
import os
import re
import subprocess
import sys

SPDX = "SPDX-License-Identifier: GPL-2.0-or-later"
# Where the SPDX line goes: near the top, after a shebang; in YAML scenarios on the last line,
# so that the FILE:LINE:COL positions the goldens record stay where they are.
HEAD = (".c", ".h", ".S", ".ld", ".py", ".sh", ".cmake", ".dict", ".in")
TAIL = (".yaml", ".yaml.in")
NAMED = ("CMakeLists.txt", ".clang-tidy", ".clang-format", ".gitignore", "run")
OUTSIDE = re.compile(r"SPEC-NOTES|UNICORN-NOTES|SCENARIO-FORMAT|ARCHITECTURE\.md|\.\./shared/")


def tracked(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True, check=True)
    return [f for f in out.stdout.decode().split("\0") if f]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = 0
    for rel in tracked(root):
        path = os.path.join(root, rel)
        if not os.path.isfile(path) or rel.startswith("tests/golden/") or "/corpus" in rel:
            continue
        name = os.path.basename(rel)
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except UnicodeDecodeError:
            continue
        if rel.endswith(TAIL):
            if not lines or SPDX not in lines[-1]:
                print(f"{rel}:{len(lines)}: error: no '{SPDX}' on the last line")
                bad += 1
        elif rel.endswith(HEAD) or name in NAMED:
            if not any(SPDX in line for line in lines[:3]):
                print(f"{rel}:1: error: no '{SPDX}' in the first 3 lines")
                bad += 1
        if rel == "tests/lint_standalone.py":
            continue
        for no, line in enumerate(lines, 1):
            if OUTSIDE.search(line):
                print(f"{rel}:{no}: error: refers to a document outside the repository")
                bad += 1
    if bad:
        print(f"lint_standalone: {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
