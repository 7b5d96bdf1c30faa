"""Coverage against demand: were the unit's people on shift when crisis calls came in?

Demand is the in-scope calls received in the period; a call is covered when a shift with
at least one of the unit's staff assigned was running when it was received (the rule the
`coverage` indicator uses). Staffed hours are person-hours of co-responders (interns are
not), real elapsed hours in the program's time zone; after hours is what the indicators
call after hours (outside 08:00-18:00 on weekdays), one definition in series.py.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from console.data.enums import StaffRole
from console.data.models import Call, Program, Shift, ShiftAssignment, StaffMember
from console.errors import UserError
from console.services.access import Access, Action
from console.services.indicators.series import _hour_pieces, _office_hour
from console.services.schedule.rules import elapsed_hours

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TOP_UNCOVERED = 10


@dataclass(frozen=True)
class UncoveredHour:
    weekday: int  # 0 Monday
    hour: int
    calls: int

    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}:00"


@dataclass(frozen=True)
class ShiftSpan:
    starts_at: dt.datetime
    ends_at: dt.datetime
    staffed: int  # co-responders assigned (interns left out)
    anyone: bool  # anyone of the unit assigned: the shift covers calls


@dataclass(frozen=True)
class Coverage:
    first: dt.date
    last: dt.date
    demand_calls: int
    covered_calls: int
    demand_covered_share: float | None
    staffed_hours: float
    after_hours_hours: float
    uncovered_hours: tuple[UncoveredHour, ...]
    demand_by_hour: tuple[tuple[int, ...], ...]  # [weekday][hour] calls
    staffed_by_hour: tuple[tuple[float, ...], ...]  # [weekday][hour] person-hours


def coverage(access: Access, first: dt.date, last: dt.date) -> Coverage:
    """Coverage of the calls received from `first` to `last`, both days included."""
    if last < first:
        raise UserError(f"coverage period: {last} is before {first}; give the earlier day first")
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    with access.reading(Action.VIEW_AGGREGATES) as s:
        zone = s.scalar(select(Program.timezone).order_by(Program.id)) or "America/Chicago"
        times: dict[int, tuple[dt.datetime, dt.datetime]] = {}
        staffed: dict[int, int] = {}
        for shift_id, starts, ends, role in s.execute(
            select(Shift.id, Shift.starts_at, Shift.ends_at, StaffMember.role)
            .join(ShiftAssignment, ShiftAssignment.shift_id == Shift.id)
            .join(StaffMember, StaffMember.id == ShiftAssignment.staff_id)
            .where(Shift.ends_at > start, Shift.starts_at < end)
        ):
            times[shift_id] = (starts, ends)
            staffed[shift_id] = staffed.get(shift_id, 0) + (role != StaffRole.INTERN)
        shifts = [ShiftSpan(a, b, staffed[i], True) for i, (a, b) in times.items()]
        calls = s.scalars(
            select(Call.received_at)
            .where(Call.in_scope.is_(True), Call.received_at >= start, Call.received_at < end)
            .execution_options(yield_per=20_000)
        )
        return compute(calls, shifts, first, last, ZoneInfo(zone))


def compute(calls: Iterable[dt.datetime], shifts: list[ShiftSpan], first: dt.date,
            last: dt.date, zone: ZoneInfo) -> Coverage:
    """The coverage figures from the calls' received times and the period's shifts."""
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    starts, ends = _merged([(s.starts_at, s.ends_at) for s in shifts if s.anyone])
    demand = [[0] * 24 for _ in range(7)]
    uncovered = [[0] * 24 for _ in range(7)]
    total = covered = 0
    for at in calls:
        total += 1
        demand[at.weekday()][at.hour] += 1
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at < ends[i]:
            covered += 1
        else:
            uncovered[at.weekday()][at.hour] += 1
    staffed = [[0.0] * 24 for _ in range(7)]
    staffed_hours = after_hours = 0.0
    for s in shifts:
        if not s.staffed:
            continue
        for a, b in _hour_pieces(max(s.starts_at, start), min(s.ends_at, end)):
            hours = elapsed_hours(a, b, zone) * s.staffed
            staffed[a.weekday()][a.hour] += hours
            staffed_hours += hours
            if not _office_hour(a):
                after_hours += hours
    ranked = sorted(((uncovered[d][h], d, h) for d in range(7) for h in range(24)
                     if uncovered[d][h]), key=lambda t: (-t[0], t[1], t[2]))
    return Coverage(
        first, last, total, covered, covered / total if total else None,
        round(staffed_hours, 6), round(after_hours, 6),
        tuple(UncoveredHour(d, h, n) for n, d, h in ranked[:TOP_UNCOVERED]),
        tuple(tuple(row) for row in demand), tuple(tuple(row) for row in staffed),
    )


def _merged(spans: list[tuple[dt.datetime, dt.datetime]]
            ) -> tuple[list[dt.datetime], list[dt.datetime]]:
    """Overlapping shifts joined, so one bisection tells whether a moment is covered."""
    starts: list[dt.datetime] = []
    ends: list[dt.datetime] = []
    for a, b in sorted(spans):
        if starts and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends
