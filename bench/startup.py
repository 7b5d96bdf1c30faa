"""startup: process start to the first painted main window on 1,000,000 calls.

Baseline: a bare PySide6 script painting an empty QMainWindow, run alternately with
the console so both see the same machine load. Target: at most 3 times the baseline.
startup_ready is the same run up to the window being attached to its opened, checked and
unlocked database, its demo supervisor signed in (a demo database asks no one) and the
first page loading (target: at most 6 times the bare window).
"""

from __future__ import annotations

import sys

from common import ROOT, Result, median_alternating, million_call_db

TARGET = 3.0
READY_TARGET = 6.0


def run(runs: int = 7) -> list[Result]:
    db = million_call_db()
    console = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--exit-after-paint"]
    bare = [sys.executable, str(ROOT / "bench" / "bare_window.py")]
    times, baseline = median_alternating(console, ("painted", "ready"), bare, runs)
    note = f"median of {runs} runs, database of 1,000,000 calls"
    return [
        Result("startup", times["painted"], baseline, TARGET, "s", note),
        Result("startup_ready", times["ready"], baseline, READY_TARGET, "s", note),
    ]
