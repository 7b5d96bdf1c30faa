"""The leadership bench: for each role that must never be left empty, who holds it, who
could step in, how ready they are, and the acting assignments and training behind that."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from console.data.models import (
    BenchActivity,
    BenchCandidate,
    Position,
    PositionAssignment,
    StaffMember,
)
from console.data.people_enums import BenchActivityKind, ProtectedRole, Readiness
from console.errors import UserError
from console.services.access import Access, Action
from console.services.program_scope import current_program_id_or_none

READY_NEEDED = 2  # fewer people ready now than this, and the role is flagged


@dataclass(frozen=True)
class Activity:
    kind: BenchActivityKind
    title: str
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass(frozen=True)
class Successor:
    candidate_id: int
    staff_id: int
    name: str
    readiness: Readiness
    assessed_on: dt.date
    notes: str
    activities: tuple[Activity, ...]

    @property
    def acting(self) -> int:
        return sum(a.kind is BenchActivityKind.ACTING for a in self.activities)

    @property
    def training(self) -> int:
        return sum(a.kind is BenchActivityKind.TRAINING for a in self.activities)


@dataclass(frozen=True)
class BenchRole:
    role: ProtectedRole
    holder: str | None  # who holds the role's position on the day, if one is marked
    successors: tuple[Successor, ...]  # ready now first

    @property
    def ready(self) -> int:
        return sum(s.readiness is Readiness.READY_NOW for s in self.successors)

    @property
    def thin(self) -> bool:
        return self.ready < READY_NEEDED


def bench(access: Access, as_of: dt.date) -> list[BenchRole]:
    """Every protected role, with the successors still in the unit on `as_of`."""
    with access.reading(Action.VIEW_STAFF) as session:
        staff = {s.id: s for s in session.scalars(select(StaffMember))}
        holders: dict[ProtectedRole, str] = {}
        for pos, a in session.execute(
                select(Position, PositionAssignment).join(PositionAssignment)
                .where(Position.protected_role.is_not(None))).tuples():
            covers = a.start_on <= as_of and (a.end_on is None or a.end_on > as_of)
            if pos.protected_role is not None and _open(pos, as_of) and covers:
                holders[pos.protected_role] = staff[a.staff_id].display_name
        activities: dict[int, list[Activity]] = {}
        for x in session.scalars(select(BenchActivity).order_by(BenchActivity.starts_on)):
            if x.starts_on <= as_of:
                activities.setdefault(x.candidate_id, []).append(
                    Activity(x.kind, x.title, x.starts_on, x.ends_on))
        by_role: dict[ProtectedRole, list[Successor]] = {r: [] for r in ProtectedRole}
        for c in session.scalars(select(BenchCandidate).order_by(BenchCandidate.id)):
            person = staff[c.staff_id]
            if not person.active_on(as_of) or c.assessed_on > as_of:
                continue
            by_role[c.role].append(Successor(c.id, c.staff_id, person.display_name,
                                             c.readiness, c.assessed_on, c.notes,
                                             tuple(activities.get(c.id, ()))))
    order = list(Readiness)
    return [BenchRole(r, holders.get(r), tuple(sorted(
        s, key=lambda x: (order.index(x.readiness), x.name)))) for r, s in by_role.items()]


def _open(pos: Position, day: dt.date) -> bool:
    return pos.authorized_on <= day and (pos.abolished_on is None or day < pos.abolished_on)


def add_successor(access: Access, role: ProtectedRole, staff_id: int, readiness: Readiness,
                  assessed_on: dt.date, notes: str = "") -> int:
    """Put someone on the bench for a role (once per role)."""
    with access.writing(Action.EDIT_STAFF, f"bench for {role.label}") as session:
        person = session.get(StaffMember, staff_id)
        if person is None:
            raise UserError(f"staff member {staff_id} does not exist")
        if session.scalar(select(BenchCandidate.id).where(
                BenchCandidate.role == role, BenchCandidate.staff_id == staff_id)):
            raise UserError(f"{person.display_name} is already on the bench for {role.label}")
        program_id = current_program_id_or_none(session)
        if program_id is None:
            raise UserError("no program in this database yet")
        row = BenchCandidate(program_id=program_id, role=role, staff_id=staff_id,
                             readiness=readiness, assessed_on=assessed_on, notes=notes)
        session.add(row)
        session.flush()
        return row.id


def set_readiness(access: Access, candidate_id: int, readiness: Readiness,
                  assessed_on: dt.date) -> None:
    with access.writing(Action.EDIT_STAFF, f"bench candidate {candidate_id}") as session:
        row = session.get(BenchCandidate, candidate_id)
        if row is None:
            raise UserError(f"bench candidate {candidate_id} does not exist")
        row.readiness, row.assessed_on = readiness, assessed_on


def add_activity(access: Access, candidate_id: int, kind: BenchActivityKind, title: str,
                 starts_on: dt.date, ends_on: dt.date | None = None) -> None:
    """Record an acting assignment in the role, or training towards it."""
    if not title.strip():
        raise UserError("an acting assignment or training needs a title")
    if ends_on is not None and ends_on < starts_on:
        raise UserError(f"{title.strip()}: ends {ends_on} before it starts {starts_on}")
    with access.writing(Action.EDIT_STAFF, f"bench candidate {candidate_id}") as session:
        if session.get(BenchCandidate, candidate_id) is None:
            raise UserError(f"bench candidate {candidate_id} does not exist")
        session.add(BenchActivity(candidate_id=candidate_id, kind=kind, title=title.strip(),
                                  starts_on=starts_on, ends_on=ends_on))
