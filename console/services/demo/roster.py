"""The demo unit's staff and shifts: who works when."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from console.data.enums import StaffRole
from console.services.demo.timeline import DemoTimeline, Row
from console.services.demo.world import DAY


@dataclass
class _Member:
    """A unit member as the roster sees them: role, time in the unit, leave days."""

    id: int
    role: StaffRole
    start: date
    end: date | None
    leave: set[date] = field(default_factory=set)

    def in_unit(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d < self.end)


@dataclass(frozen=True)
class _Officer:
    """A patrol officer who may ask for the unit, and how that changes under the new chief."""

    id: int
    precinct: int
    weight: float
    hired: date
    separated: date | None
    stops_on: date  # from this day `after` multiplies the weight
    after: float


@dataclass(frozen=True)
class _Slot:
    """A staffed shift as calls see it; times in seconds from the first midnight."""

    start: int
    end: int
    label: str
    responder: int | None
    officer: int | None
    intern: int | None


@dataclass
class _Roster:
    shifts: list[Row] = field(default_factory=list)
    assignments: list[Row] = field(default_factory=list)
    cover: list[list[_Slot]] = field(default_factory=list)  # by day: shifts covering part of it
    field_hours: list[float] = field(default_factory=list)  # by day: hours of shifts starting


def _shift_templates(tl: DemoTimeline, d: date) -> list[tuple[str, int]]:
    if d >= tl.schedule_cut:
        return [("Day", 8), ("Mid", 12)]
    shifts = [("Day", 8), ("Evening", 14)]
    if d >= tl.late_shift_added and d.weekday() in (3, 4, 5):
        shifts.append(("Late", 18))
    return shifts


def _plan_shifts(rng: random.Random, tl: DemoTimeline, program_id: int,
                 unit: list[_Member]) -> _Roster:
    """Eight-hour shifts of one responder and one officer (an intern some days).

    Nobody works more than five shifts a week or comes back with less than ten hours' rest;
    a shift nobody can work is not staffed.
    """
    n_days = (tl.end - tl.start).days
    roster = _Roster(cover=[[] for _ in range(n_days + 1)], field_hours=[0.0] * n_days)
    week_count: dict[tuple[int, date], int] = {}
    last_end: dict[int, datetime] = {}
    for i in range(n_days):
        d = tl.start + timedelta(days=i)
        week = d - timedelta(days=d.weekday())
        today: set[int] = set()
        for label, hour in _shift_templates(tl, d):
            start = datetime.combine(d, time(hour))
            end = start + timedelta(hours=8)
            roles = [StaffRole.MH_RESPONDER, StaffRole.SWORN_OFFICER]
            if label == "Day" and d.weekday() in (1, 2, 3):
                roles.append(StaffRole.INTERN)
            picked: dict[StaffRole, int] = {}
            for role in roles:
                free = [m for m in unit if m.role is role and m.id not in today
                        and m.in_unit(d) and d not in m.leave
                        and week_count.get((m.id, week), 0) < 5
                        and last_end.get(m.id, datetime.min) <= start - timedelta(hours=10)]
                free.sort(key=lambda m: (week_count.get((m.id, week), 0), rng.random()))
                if free:
                    picked[role] = free[0].id
            if not picked:
                continue
            shift_id = len(roster.shifts) + 1
            roster.shifts.append({"id": shift_id, "program_id": program_id, "starts_at": start,
                                  "ends_at": end, "label": label})
            for staff_id in picked.values():
                roster.assignments.append({"shift_id": shift_id, "staff_id": staff_id})
                today.add(staff_id)
                week_count[(staff_id, week)] = week_count.get((staff_id, week), 0) + 1
                last_end[staff_id] = end
            at = i * DAY + hour * 3600
            slot = _Slot(at, at + 8 * 3600, label, picked.get(StaffRole.MH_RESPONDER),
                         picked.get(StaffRole.SWORN_OFFICER), picked.get(StaffRole.INTERN))
            roster.cover[i].append(slot)
            if end.date() > d:
                roster.cover[i + 1].append(slot)
            roster.field_hours[i] += 8.0
    return roster
