"""coverage: coverage against demand over 1,000,000 calls and a year of shifts.

Baseline: tallying the same calls by hour of week (the least any heat map of demand
costs). Coverage adds one bisection per call into the merged shifts and the staffed
hours; the target bounds it at 4 baselines. The calls are in memory: reading their
received times from the database is not measured here. Median of `runs` after a warm-up.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from zoneinfo import ZoneInfo

from common import Result

from console.services.schedule.coverage import ShiftSpan, compute

TARGET = 4.0
CALLS = 1_000_000
FIRST = dt.date(2026, 1, 1)
DAYS = 365


def run(runs: int = 3) -> Result:
    rng = random.Random(7)
    start = dt.datetime.combine(FIRST, dt.time())
    seconds = DAYS * 86400
    calls = sorted(start + dt.timedelta(seconds=rng.randrange(seconds)) for _ in range(CALLS))
    shifts = [ShiftSpan(start + dt.timedelta(days=d, hours=h),
                        start + dt.timedelta(days=d, hours=h + 8), 2, True)
              for d in range(DAYS) if d % 7 < 5 for h in (8, 14)]
    zone = ZoneInfo("America/Chicago")
    last = FIRST + dt.timedelta(days=DAYS - 1)

    def baseline() -> int:
        grid = [[0] * 24 for _ in range(7)]
        for at in calls:
            grid[at.weekday()][at.hour] += 1
        return sum(map(sum, grid))

    baseline()
    share = compute(calls, shifts, FIRST, last, zone).demand_covered_share
    base, value = [], []
    for _ in range(runs):
        t = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        share = compute(calls, shifts, FIRST, last, zone).demand_covered_share
        value.append(time.perf_counter() - t)
    return Result("coverage", statistics.median(value), statistics.median(base), TARGET, "s",
                  f"{CALLS:,} calls, {len(shifts)} shifts: {share:.1%} covered")
