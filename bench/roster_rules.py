"""roster_rules: checking a 3-month roster of 15 staff against every rule.

Baseline: one pass over the same roster's assignments taking each shift's real length in
the program's time zone (the least any hours rule costs). The rules make a few such
passes (pairs of shifts, weeks, pay periods, leave) and read minimum staffing hour by
hour; the target bounds them at 60 baselines. Median of `runs` after a warm-up.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from zoneinfo import ZoneInfo

from common import Result

from console.data.enums import StaffRole
from console.services.schedule.rules import (
    Minimum,
    Roster,
    RosterShift,
    RosterStaff,
    check,
    elapsed_hours,
)

TARGET = 60.0
STAFF, DAYS = 15, 91


def roster(seed: int = 7) -> Roster:
    rng = random.Random(seed)
    roles = [StaffRole.MH_RESPONDER, StaffRole.SWORN_OFFICER, StaffRole.SUPERVISOR]
    staff = tuple(RosterStaff(i, f"Person {i}", roles[i % 3], ("solo follow-up",) * (i % 2),
                              ((dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(DAYS)),
                                "annual leave"),)) for i in range(STAFF))
    shifts, n = [], 0
    for d in range(DAYS):
        day = dt.datetime(2026, 1, 5) + dt.timedelta(days=d)
        for start, hours, label in ((8, 8, "Day"), (12, 10, "Mid"), (22, 8, "Night")):
            n += 1
            on = tuple(sorted(rng.sample(range(STAFF), 3)))
            at = day + dt.timedelta(hours=start)
            shifts.append(RosterShift(n, at, at + dt.timedelta(hours=hours), label, on,
                                      ("solo follow-up",) if label == "Night" else ()))
    return Roster(dt.date(2026, 1, 5), dt.date(2026, 1, 5) + dt.timedelta(days=DAYS - 1),
                  tuple(shifts), staff,
                  (Minimum(8, 18, StaffRole.MH_RESPONDER, 1),
                   Minimum(18, 2, StaffRole.SWORN_OFFICER, 1)))


def run(runs: int = 5) -> Result:
    r = roster()
    zone = ZoneInfo(r.timezone)

    def baseline() -> float:
        return sum(elapsed_hours(s.starts_at, s.ends_at, zone)
                   for s in r.shifts for _ in s.staff_ids)

    baseline()
    found = len(check(r))
    base, value = [], []
    for _ in range(runs):
        start = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = len(check(r))
        value.append(time.perf_counter() - start)
    return Result("roster_rules", statistics.median(value), statistics.median(base), TARGET,
                  "s", f"{len(r.shifts)} shifts, {STAFF} staff, {DAYS} days: {found} breaches")
