"""The program as a whole: who it is, which agencies take part, what happened to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.data.engine import read_session
from console.data.enums import AgencyKind, EventKind
from console.data.models import Agency, Program, ProgramEvent
from console.errors import UserError
from console.services.access import Access, Action


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


def has_program(session_factory: sessionmaker[Session]) -> bool:
    """Whether the database holds a program yet (asked before anyone signs in)."""
    with read_session(session_factory) as session:
        return session.scalar(select(Program.id).limit(1)) is not None


def program_summary(access: Access) -> ProgramSummary | None:
    """The first program in the database (a workstation runs one), or None when empty."""
    with access.reading(Action.VIEW_PROGRAM) as session:
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
    access: Access,
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
    with access.reading(Action.VIEW_PROGRAM) as session:
        return [
            ProgramEventRow(e.id, e.occurred_on, e.kind, e.title, e.notes)
            for e in session.scalars(stmt)
        ]


def add_program_event(access: Access, occurred_on: dt.date, kind: EventKind, title: str,
                      notes: str = "") -> int:
    """Record a visibility or structural event of the program (the first program)."""
    if not title.strip():
        raise UserError("an event needs a title")
    with access.writing(Action.EDIT_PROGRAM, "a program event") as session:
        program_id = session.scalar(select(Program.id).order_by(Program.id).limit(1))
        if program_id is None:
            raise UserError("the database holds no program yet")
        event = ProgramEvent(program_id=program_id, occurred_on=occurred_on, kind=kind,
                             title=title.strip(), notes=notes.strip())
        session.add(event)
        session.flush()
        return event.id
