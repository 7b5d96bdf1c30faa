"""Who works in the unit and which authorized positions they fill."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from console.data.enums import DegreeLevel, StaffRole
from console.data.models import Position, PositionAssignment, StaffMember

UNIT_ROLES = (StaffRole.MH_RESPONDER, StaffRole.SUPERVISOR, StaffRole.INTERN)


def in_unit() -> ColumnElement[bool]:
    """Staff of the unit itself, not the patrol officers who request it.

    Sworn officers count when they hold (or held) one of the unit's positions.
    """
    return or_(StaffMember.role.in_(UNIT_ROLES),
               StaffMember.id.in_(select(PositionAssignment.staff_id)))


def position_open_on(day: dt.date) -> ColumnElement[bool]:
    """Authorized by the day and not abolished (abolished_on is the first day gone)."""
    return and_(Position.authorized_on <= day,
                or_(Position.abolished_on.is_(None), Position.abolished_on > day))


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: StaffRole
    rank: str | None
    degree_level: DegreeLevel
    discipline: str | None
    hired_on: dt.date
    separated_on: dt.date | None


@dataclass(frozen=True)
class PositionRow:
    id: int
    title: str
    role: StaffRole
    funding_source: str | None
    holder: str | None
    vacant_since: dt.date | None
    vacancy_days: int | None


def unit_staff(
    session_factory: sessionmaker[Session], *, include_separated: bool = True
) -> list[StaffRow]:
    """Staff of the unit (see in_unit), earliest hire first."""
    stmt = select(StaffMember).where(in_unit()).order_by(StaffMember.hired_on, StaffMember.id)
    if not include_separated:
        stmt = stmt.where(StaffMember.separated_on.is_(None))
    with session_factory() as session:
        return [
            StaffRow(s.id, s.display_name, s.role, s.rank, s.degree_level, s.discipline,
                     s.hired_on, s.separated_on)
            for s in session.scalars(stmt)
        ]


def positions_on(session_factory: sessionmaker[Session], day: dt.date) -> list[PositionRow]:
    """Authorized positions open on a day, with their holder or how long they stood vacant."""
    stmt = (
        select(Position)
        .where(position_open_on(day))
        .options(selectinload(Position.assignments).selectinload(PositionAssignment.staff))
        .order_by(Position.id)
    )
    rows: list[PositionRow] = []
    with session_factory() as session:
        for position in session.scalars(stmt):
            current = next(
                (a for a in position.assignments
                 if a.start_on <= day and (a.end_on is None or a.end_on > day)),
                None,
            )
            if current is not None:
                rows.append(PositionRow(position.id, position.title, position.role,
                                        position.funding_source, current.staff.display_name,
                                        None, None))
                continue
            ended = [a.end_on for a in position.assignments if a.end_on and a.end_on <= day]
            since = max(ended) if ended else position.authorized_on
            rows.append(PositionRow(position.id, position.title, position.role,
                                    position.funding_source, None, since, (day - since).days))
    return rows
