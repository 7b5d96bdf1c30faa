"""startup: process start to first painted main window on 1,000,000 calls.

Baseline: a bare PySide6 script painting an empty QMainWindow, run alternately with
the console so both see the same machine load. Target: at most 3 times the baseline.
"""

from __future__ import annotations

import sys

from common import ROOT, Result, median_alternating, million_call_db

TARGET = 3.0


def run(runs: int = 5) -> Result:
    db = million_call_db()
    console = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--exit-after-paint"]
    bare = [sys.executable, str(ROOT / "bench" / "bare_window.py")]
    value, baseline = median_alternating(console, bare, runs)
    return Result("startup", value, baseline, TARGET, "s",
                  f"median of {runs} runs, database of 1,000,000 calls")
