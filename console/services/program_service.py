"""The program as a whole: who it is, which agencies take part, what happened to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.data.enums import AgencyKind, EventKind
from console.data.models import Agency, Program, ProgramEvent


@dataclass(frozen=True)
class AgencyInfo:
    name: str
    kind: AgencyKind
    is_lead: bool


@dataclass(frozen=True)
class ProgramSummary:
    id: int
    name: str
    jurisdiction: str
    started_on: dt.date
    timezone: str
    agencies: tuple[AgencyInfo, ...]


@dataclass(frozen=True)
class ProgramEventRow:
    id: int
    occurred_on: dt.date
    kind: EventKind
    title: str
    notes: str


def program_summary(session_factory: sessionmaker[Session]) -> ProgramSummary | None:
    """The first program in the database (a workstation runs one), or None when empty."""
    with session_factory() as session:
        program = session.scalars(select(Program).order_by(Program.id).limit(1)).first()
        if program is None:
            return None
        agencies = session.scalars(
            select(Agency)
            .where(Agency.program_id == program.id)
            .order_by(Agency.is_lead.desc(), Agency.name)
        ).all()
        return ProgramSummary(
            id=program.id,
            name=program.name,
            jurisdiction=program.jurisdiction,
            started_on=program.started_on,
            timezone=program.timezone,
            agencies=tuple(AgencyInfo(a.name, a.kind, a.is_lead) for a in agencies),
        )


def program_events(
    session_factory: sessionmaker[Session],
    *,
    kinds: frozenset[EventKind] | None = None,
    since: dt.date | None = None,
) -> list[ProgramEventRow]:
    """Program events oldest first, optionally only some kinds or from a date on."""
    stmt = select(ProgramEvent).order_by(ProgramEvent.occurred_on, ProgramEvent.id)
    if kinds is not None:
        stmt = stmt.where(ProgramEvent.kind.in_(sorted(kinds)))
    if since is not None:
        stmt = stmt.where(ProgramEvent.occurred_on >= since)
    with session_factory() as session:
        return [
            ProgramEventRow(e.id, e.occurred_on, e.kind, e.title, e.notes)
            for e in session.scalars(stmt)
        ]
