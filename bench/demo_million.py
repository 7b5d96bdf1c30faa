"""demo_million: writing the demo program scaled to 1,000,000 calls into a new SQLite file.

Baseline: the standard sqlite3 module inserting 1,000,000 prepared rows of the same
width with one executemany into an unindexed table (the floor for any writer). The demo
writes three times as many rows (calls, responders, people), builds them first, and
indexes them; the target ratio of 9 is the 60-second budget of the issue on this
machine (60 s / about 6.5 s), and the note states the absolute time against 60 s.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Result

TARGET = 9.0
N = 1_000_000


def _raw_insert(path: Path) -> float:
    rows = [
        (i, 1, 1, f"2024-{i:09d}", "2024-01-01 12:00:00.000000", "2024-01-01 12:05:00.000000",
         "2024-01-01 12:15:00.000000", "2024-01-01 13:00:00.000000", "Welfare check",
         "Welfare check", 2, "911", "dispatch", 1, "resolved_on_scene", 0, 0, 0, 0,
         i % 5000, "abcdef", "North", "N1", "N12")
        for i in range(N)
    ]
    start = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(
        "CREATE TABLE call (id INTEGER PRIMARY KEY, program_id, agency_id, incident_number, "
        "received_at, dispatched_at, arrived_at, cleared_at, initial_call_type, "
        "final_call_type, priority, source, activation, in_scope, disposition, use_of_force, "
        "subject_injured, officer_injured, responder_injured, person_id, location_key, "
        "precinct, sector, beat)"
    )
    with con:
        con.executemany(f"INSERT INTO call VALUES ({', '.join('?' * 24)})", rows)
    con.close()
    return time.perf_counter() - start


def run(runs: int = 1) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        baseline = _raw_insert(Path(tmp) / "raw.sqlite")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(Path(tmp) / "demo.sqlite"),
             "demo", "--calls", str(N)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )
        value = time.perf_counter() - start
    verdict = "under" if value < 60 else "OVER"
    return Result("demo_million", value, baseline, TARGET, "s",
                  f"{value:.1f} s is {verdict} the 60 s limit")
