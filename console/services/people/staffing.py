"""Staffing as the page and the command line read it: the series over the program's
life, vacancies with their age and history, leave, separations, credentials about to
lapse and cross training."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from console.data.enums import StaffRole
from console.data.models import Credential, CrossTraining, StaffMember
from console.data.people_enums import CredentialKind, LeaveKind, SeparationReason
from console.services.access import Access, Action
from console.services.people.facts import (
    leave_facts,
    position_facts,
    program_start,
    staff_names,
)
from console.services.people.history import (
    StaffingSeries,
    Vacancy,
    staffing_series,
    vacancies,
    weekly_days,
)
from console.services.staffing_service import in_unit

LAPSE_WARNING_DAYS = 60


@dataclass(frozen=True)
class StaffingOverview:
    as_of: dt.date
    series: StaffingSeries
    vacancies: tuple[Vacancy, ...]  # every vacancy known on as_of, oldest first

    @property
    def open_vacancies(self) -> list[Vacancy]:
        return [v for v in self.vacancies if v.until is None]


def staffing_overview(access: Access, as_of: dt.date) -> StaffingOverview:
    """Authorized against filled week by week from the program's start to `as_of`."""
    with access.reading(Action.VIEW_STAFF) as session:
        positions = position_facts(session)
        start = program_start(session)
    if start is None and positions:
        start = min(p.authorized_on for p in positions)
    days = weekly_days(start, as_of) if start is not None and start <= as_of else [as_of]
    return StaffingOverview(as_of, staffing_series(positions, days),
                            tuple(vacancies(positions, as_of)))


@dataclass(frozen=True)
class LeaveRow:
    id: int
    staff_id: int
    name: str
    kind: LeaveKind
    starts_on: dt.date
    ends_on: dt.date | None

    @property
    def days(self) -> int | None:
        return (self.ends_on - self.starts_on).days if self.ends_on else None


def leave_list(access: Access) -> list[LeaveRow]:
    """Leave of the unit's staff, newest first."""
    with access.reading(Action.VIEW_STAFF) as session:
        names = staff_names(session)
        rows = [LeaveRow(x.id, x.staff_id, names.get(x.staff_id, "?"), x.kind, x.start, x.end)
                for x in leave_facts(session)]
    return sorted(rows, key=lambda r: (r.starts_on, r.id), reverse=True)


@dataclass(frozen=True)
class SeparationRow:
    staff_id: int
    name: str
    role: StaffRole
    hired_on: dt.date
    separated_on: dt.date
    reason: SeparationReason | None


def separations(access: Access) -> list[SeparationRow]:
    """Unit staff who left, newest first, with the reason where recorded (interns'
    placements end by design: they are the pipeline, not separations)."""
    stmt = (select(StaffMember).where(in_unit(), StaffMember.separated_on.is_not(None),
                                      StaffMember.role != StaffRole.INTERN)
            .order_by(StaffMember.separated_on.desc(), StaffMember.id))
    with access.reading(Action.VIEW_STAFF) as session:
        return [SeparationRow(s.id, s.display_name, s.role, s.hired_on,
                              s.separated_on, s.separation_reason)
                for s in session.scalars(stmt) if s.separated_on is not None]


@dataclass(frozen=True)
class CredentialRow:
    id: int
    staff_id: int
    name: str  # the staff member's
    kind: CredentialKind
    credential: str
    issued_on: dt.date
    expires_on: dt.date | None
    days_left: int | None  # from as_of to the last valid day; negative once lapsed
    state: str  # "lapsed", "lapsing", "valid", "renewed", "no expiry"

    @property
    def warn(self) -> bool:
        return self.state in ("lapsed", "lapsing")


def credential_state(expires_on: dt.date | None, as_of: dt.date) -> str:
    """A credential is valid through its expiry date; within 60 days of it, it is lapsing."""
    if expires_on is None:
        return "no expiry"
    if expires_on < as_of:
        return "lapsed"
    if (expires_on - as_of).days <= LAPSE_WARNING_DAYS:
        return "lapsing"
    return "valid"


def credentials(access: Access, as_of: dt.date) -> list[CredentialRow]:
    """Credentials of the staff in post on `as_of`, most urgent first.

    A credential renewed (the same name, a later expiry for the same person) is shown as
    renewed and never warned about.
    """
    with access.reading(Action.VIEW_STAFF) as session:
        staff = {s.id: s for s in session.scalars(select(StaffMember).where(in_unit()))}
        creds = list(session.scalars(select(Credential).order_by(Credential.id)))
        active = {i: s.display_name for i, s in staff.items() if s.active_on(as_of)}
    latest: dict[tuple[int, str], dt.date] = {}
    for c in creds:
        key = (c.staff_id, c.name.casefold())
        if c.expires_on is not None and c.issued_on <= as_of:
            latest[key] = max(latest.get(key, c.expires_on), c.expires_on)
    rows = []
    for c in creds:
        if c.staff_id not in active or c.issued_on > as_of:
            continue
        state = credential_state(c.expires_on, as_of)
        if c.expires_on is not None and latest[(c.staff_id, c.name.casefold())] > c.expires_on:
            state = "renewed"
        left = (c.expires_on - as_of).days if c.expires_on else None
        rows.append(CredentialRow(c.id, c.staff_id, active[c.staff_id], c.kind, c.name,
                                  c.issued_on, c.expires_on, left, state))
    order = {"lapsed": 0, "lapsing": 1, "valid": 2, "no expiry": 3, "renewed": 4}
    return sorted(rows, key=lambda r: (order[r.state], r.days_left or 0, r.name))


def lapsing(access: Access, as_of: dt.date) -> list[CredentialRow]:
    """Credentials lapsing within 60 days of `as_of`, or lapsed already."""
    return [r for r in credentials(access, as_of) if r.warn]


@dataclass(frozen=True)
class CrossTrainingRow:
    staff_id: int
    name: str
    subject: str
    completed_on: dt.date
    hours: int | None


def cross_training(access: Access) -> list[CrossTrainingRow]:
    with access.reading(Action.VIEW_STAFF) as session:
        names = staff_names(session)
        return [CrossTrainingRow(x.staff_id, names.get(x.staff_id, "?"), x.subject,
                                 x.completed_on, x.hours)
                for x in session.scalars(select(CrossTraining)
                                         .order_by(CrossTraining.completed_on.desc()))]
