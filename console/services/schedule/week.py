"""One week of the roster for the Schedule page, and the edits made there (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from console.data.models import Shift, ShiftAssignment, StaffMember
from console.errors import UserError
from console.services.access import Access, Action
from console.services.schedule.pairings import ShiftPair, pairs
from console.services.schedule.roster_service import load_roster
from console.services.schedule.rules import Breach, check

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class WeekShift:
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    label: str
    staff: tuple[StaffChoice, ...]

    @property
    def slot(self) -> str:
        """The row of the week grid it sits in: its times and name."""
        return f"{self.starts_at:%H:%M}-{self.ends_at:%H:%M} {self.label}".strip()


@dataclass(frozen=True)
class WeekRoster:
    monday: dt.date
    shifts: tuple[WeekShift, ...]
    breaches: tuple[Breach, ...]
    staff: tuple[StaffChoice, ...]  # who may be assigned: the unit's active staff
    pairs: tuple[ShiftPair, ...] = ()  # responder-officer pair of each shift

    def pair(self, shift_id: int) -> ShiftPair | None:
        return next((p for p in self.pairs if p.shift_id == shift_id), None)


def default_monday(access: Access, today: dt.date) -> dt.date:
    """This week, or the week of the last shift on record if the roster stops earlier."""
    with access.reading(Action.VIEW_STAFF) as s:
        last = s.scalar(select(func.max(Shift.starts_at)))
    day = min(today, last.date()) if last is not None else today
    return day - dt.timedelta(days=day.weekday())


def week_roster(access: Access, monday: dt.date) -> WeekRoster:
    """The shifts starting in the week from `monday`, who is on them, and the breaches."""
    monday = monday - dt.timedelta(days=monday.weekday())
    roster = load_roster(access, monday, monday + WEEK - dt.timedelta(days=1))
    breaches = tuple(check(roster))
    with access.reading(Action.VIEW_STAFF) as s:
        people = {m.id: m for m in s.scalars(select(StaffMember))}
        active = tuple(
            StaffChoice(m.id, m.display_name, m.role.label)
            for m in sorted(people.values(), key=lambda m: (m.role.label, m.display_name))
            if m.hired_on <= monday + WEEK and (m.separated_on is None
                                                 or m.separated_on > monday))
    shifts = tuple(
        WeekShift(sh.id, sh.starts_at, sh.ends_at, sh.label, tuple(
            StaffChoice(i, people[i].display_name, people[i].role.label)
            for i in sh.staff_ids if i in people))
        for sh in roster.shifts if monday <= sh.starts_at.date() < monday + WEEK)
    return WeekRoster(monday, shifts, breaches, active, tuple(pairs(roster)))


def assign(access: Access, shift_id: int, staff_id: int) -> None:
    """Put a person on a shift; the rules judge the result, they do not refuse it (a
    supervisor may need to staff a shift short of rest, and sees the breach)."""
    with access.writing(Action.EDIT_STAFF, "shift assignment") as s:
        shift = s.get(Shift, shift_id)
        member = s.get(StaffMember, staff_id)
        if shift is None or member is None:
            raise UserError("assign: that shift or staff member no longer exists; reload")
        if s.get(ShiftAssignment, (shift_id, staff_id)) is not None:
            raise UserError(f"assign: {member.display_name} is already on this shift")
        s.add(ShiftAssignment(shift_id=shift_id, staff_id=staff_id))


def unassign(access: Access, shift_id: int, staff_id: int) -> None:
    with access.writing(Action.EDIT_STAFF, "shift assignment") as s:
        row = s.get(ShiftAssignment, (shift_id, staff_id))
        if row is None:
            raise UserError("remove: that person is no longer on this shift; reload")
        s.delete(row)


def move(access: Access, from_shift_id: int, to_shift_id: int, staff_id: int) -> None:
    """Take a person off one shift and put them on another, in one audited change (an
    assignment dragged between shifts); like assign, the rules judge the result."""
    if from_shift_id == to_shift_id:
        return
    with access.writing(Action.EDIT_STAFF, "shift assignment") as s:
        old = s.get(ShiftAssignment, (from_shift_id, staff_id))
        member = s.get(StaffMember, staff_id)
        if old is None or member is None or s.get(Shift, to_shift_id) is None:
            raise UserError("move: that person is no longer on the shift; reload")
        if s.get(ShiftAssignment, (to_shift_id, staff_id)) is not None:
            raise UserError(f"move: {member.display_name} is already on that shift")
        s.delete(old)
        s.add(ShiftAssignment(shift_id=to_shift_id, staff_id=staff_id))
