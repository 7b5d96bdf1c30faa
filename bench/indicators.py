"""indicators: evaluating every early-warning indicator over 5 years and 1,000,000 calls.

Baseline: one indexed GROUP BY week over the same calls in the same run (the least any
weekly series costs). The engine scans the calls a few times (one multi-count scan with
the on-shift test, officers, repeat calls) and reads shifts, events and positions; the
target ratio bounds it at 25 such scans. Median of `runs` alternated runs after a warm-up.
"""

from __future__ import annotations

import datetime as dt
import getpass
import statistics
import time

from common import Result, cached_demo
from sqlalchemy import func, select

from console.data import migrate
from console.data.identity import unlock
from console.data.location import chosen_location
from console.data.models import Call
from console.services.access import Access, Actor
from console.services.indicators.engine import evaluate_all
from console.services.indicators.series import week_of

TARGET = 25.0


def run(runs: int = 3) -> Result:
    path = cached_demo("million-5y.sqlite", calls=1_000_000, years=5)
    db = migrate.open_upgraded(chosen_location(str(path), None, demo=False))
    try:
        access = Access(db.session_factory, Actor.workstation(getpass.getuser()),
                        unlock(db).vault)
        with db.session_factory() as session:
            week = week_of(session, Call.received_at)
            group_by_week = select(week, func.count()).where(
                Call.received_at >= dt.datetime(1900, 1, 1)).group_by(week)

            def baseline() -> int:
                return len(session.execute(group_by_week).all())

            def engine() -> int:
                return len(evaluate_all(access))

            baseline()
            engine()
            base, value = [], []
            for _ in range(runs):
                start = time.perf_counter()
                weeks = baseline()
                base.append(time.perf_counter() - start)
                start = time.perf_counter()
                count = engine()
                value.append(time.perf_counter() - start)
    finally:
        db.dispose()
    return Result("indicators", statistics.median(value), statistics.median(base), TARGET, "s",
                  f"{count} indicators over {weeks} weeks of calls")
