"""Reading a period's roster from the database into the rules' snapshot, and checking it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from console.data.models import (
    Credential,
    DutyAway,
    Program,
    Shift,
    ShiftAssignment,
    ShiftRequirement,
    StaffingMinimum,
    StaffLeave,
    StaffMember,
)
from console.errors import UserError
from console.services.access import Access, Action
from console.services.schedule.rules import (
    PAY_PERIOD_ANCHOR,
    Breach,
    Minimum,
    Roster,
    RosterShift,
    RosterStaff,
    check,
)
from console.services.schedule.settings import rule_values

DAY = dt.timedelta(days=1)


def check_roster(access: Access, first: dt.date, last: dt.date) -> list[Breach]:
    """Every breach of the shifts starting from `first` to `last`, both days included."""
    return check(load_roster(access, first, last))


def load_roster(access: Access, first: dt.date, last: dt.date,
                also_staff: frozenset[int] = frozenset()) -> Roster:
    """The period's shifts, and before them enough history for the week, pay-period and
    rest rules (from the start of the pay period that holds `first`). also_staff: people
    to read even if no shift names them yet (someone a change would put on one).

    A credential counts for the period only if it is valid on every day of it: one that
    lapses mid-period is not trusted for any of its shifts (conservative, and simple).
    """
    if last < first:
        raise UserError(f"roster period: {last} is before {first}; give the earlier day first")
    values = rule_values(access)
    days = values.pay_period_days
    period_start = PAY_PERIOD_ANCHOR + dt.timedelta(
        days=(first - PAY_PERIOD_ANCHOR).days // days * days)
    since = min(period_start, first - dt.timedelta(days=first.weekday())) - DAY
    with access.reading(Action.VIEW_STAFF) as s:
        zone = s.scalar(select(Program.timezone).order_by(Program.id)) or "America/Chicago"
        shifts = _shifts(s, since, last + 2 * DAY)
        staff_ids = {i for sh in shifts for i in sh.staff_ids} | also_staff
        staff = _staff(s, staff_ids, first, last)
        minimums = tuple(
            Minimum(m.start_hour, m.end_hour, m.role, m.minimum)
            for m in s.scalars(select(StaffingMinimum).order_by(StaffingMinimum.id))
        )
    return Roster(first, last, tuple(shifts), tuple(staff), minimums, zone, values)


def _shifts(s: Session, since: dt.date, until: dt.date) -> list[RosterShift]:
    start = dt.datetime.combine(since, dt.time())
    end = dt.datetime.combine(until, dt.time())
    rows = s.execute(
        select(Shift.id, Shift.starts_at, Shift.ends_at, Shift.label)
        .where(Shift.starts_at < end, Shift.ends_at > start)
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    ids = [r.id for r in rows]
    people: dict[int, list[int]] = defaultdict(list)
    needs: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        for shift_id, staff_id in s.execute(
            select(ShiftAssignment.shift_id, ShiftAssignment.staff_id)
            .where(ShiftAssignment.shift_id.in_(chunk))
        ):
            people[shift_id].append(staff_id)
        for shift_id, credential in s.execute(
            select(ShiftRequirement.shift_id, ShiftRequirement.credential)
            .where(ShiftRequirement.shift_id.in_(chunk))
        ):
            needs[shift_id].append(credential)
    return [RosterShift(r.id, r.starts_at, r.ends_at, r.label, tuple(sorted(people[r.id])),
                        tuple(sorted(needs[r.id]))) for r in rows]


def _staff(s: Session, ids: set[int], first: dt.date, last: dt.date) -> list[RosterStaff]:
    credentials: dict[int, list[str]] = defaultdict(list)
    away: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    members: list[StaffMember] = []
    for chunk in _chunks(sorted(ids)):
        members += s.scalars(select(StaffMember).where(StaffMember.id.in_(chunk))).all()
        for c in s.scalars(select(Credential).where(
                Credential.staff_id.in_(chunk), Credential.issued_on <= first,
                or_(Credential.expires_on.is_(None), Credential.expires_on > last))):
            credentials[c.staff_id].append(c.name)
        for leave in s.scalars(select(StaffLeave).where(
                StaffLeave.staff_id.in_(chunk), StaffLeave.starts_on <= last + DAY,
                or_(StaffLeave.ends_on.is_(None), StaffLeave.ends_on > first - DAY))):
            day = max(leave.starts_on, first - DAY)
            end = min(leave.ends_on or last + 2 * DAY, last + 2 * DAY)
            while day < end:
                away[leave.staff_id].append((day, f"{leave.kind.label.lower()} leave"))
                day += DAY
        for d in s.scalars(select(DutyAway).where(
                DutyAway.staff_id.in_(chunk), DutyAway.day >= first - DAY,
                DutyAway.day <= last + DAY)):
            away[d.staff_id].append((d.day, d.kind.label.lower()))
    return [RosterStaff(m.id, m.display_name, m.role, tuple(sorted(credentials[m.id])),
                        tuple(sorted(away[m.id]))) for m in sorted(members, key=lambda m: m.id)]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
