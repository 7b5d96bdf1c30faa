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
from console.services.access import Access, Action, EditConflict
from console.services.program_scope import current_program, current_program_id_or_none

TITLE_LIMIT = 200  # ProgramEvent.title


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
    version: int = 1  # the version read, for an edit (see update_program_event)


@dataclass(frozen=True)
class EventEdit:
    """What the event dialog sends: a new event, or the fields of one being edited."""

    occurred_on: dt.date
    kind: EventKind
    title: str
    notes: str = ""


def has_program(session_factory: sessionmaker[Session]) -> bool:
    """Whether the database holds a program yet (asked before anyone signs in)."""
    with read_session(session_factory) as session:
        return session.scalar(select(Program.id).limit(1)) is not None


def program_summary(access: Access) -> ProgramSummary | None:
    """The current program (console.services.program_scope), or None when empty."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        program = current_program(session)
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
        return [_row(e) for e in session.scalars(stmt)]


def _row(e: ProgramEvent) -> ProgramEventRow:
    return ProgramEventRow(e.id, e.occurred_on, e.kind, e.title, e.notes, e.version)


def add_program_event(access: Access, occurred_on: dt.date, kind: EventKind, title: str,
                      notes: str = "") -> int:
    """Record a visibility or structural event of the program (the current program)."""
    _check_title(title)
    with access.writing(Action.EDIT_PROGRAM, "a program event") as session:
        program_id = current_program_id_or_none(session)
        if program_id is None:
            raise UserError("the database holds no program yet")
        event = ProgramEvent(program_id=program_id, occurred_on=occurred_on, kind=kind,
                             title=title.strip(), notes=notes.strip())
        session.add(event)
        session.flush()
        return event.id


def program_event(access: Access, event_id: int) -> ProgramEventRow:
    """One event as an edit form shows it, with the version it was read at."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        event = session.get(ProgramEvent, event_id)
        if event is None:
            raise UserError(f"program event {event_id} no longer exists (deleted?)")
        return _row(event)


def update_program_event(access: Access, event_id: int, read_version: int,
                         edit: EventEdit) -> ProgramEventRow:
    """Save an edit made to the version read; EditConflict if someone saved in between.

    The conflict carries both versions field by field and who saved theirs, so the user
    chooses (views/dialogs/conflict.py); to save over theirs, call again with the version
    the conflict reports.
    """
    _check_title(edit.title)
    label = f"Program event {edit.title.strip()!r}"
    try:
        with access.writing(Action.EDIT_PROGRAM, label) as session:
            event = session.get(ProgramEvent, event_id)
            if event is None:
                raise UserError(f"program event {edit.title.strip()!r} was deleted by "
                                "someone else")
            if event.version != read_version:
                raise EditConflict(label)
            event.occurred_on, event.kind = edit.occurred_on, edit.kind
            event.title, event.notes = edit.title.strip(), edit.notes.strip()
            session.flush()  # the UPDATE checks the version in the database too
            return _row(event)
    except EditConflict:
        raise _conflict(access, label, event_id, edit) from None


def delete_program_event(access: Access, event_id: int) -> None:
    """Delete an event (the audit trail keeps what it was); UserError if already gone."""
    with access.writing(Action.EDIT_PROGRAM, "a program event") as session:
        event = session.get(ProgramEvent, event_id)
        if event is None:
            raise UserError(f"program event {event_id} was already deleted")
        session.delete(event)


def _check_title(title: str) -> None:
    if not title.strip():
        raise UserError("an event needs a title (what took place, in a few words)")
    if len(title.strip()) > TITLE_LIMIT:
        raise UserError(f"the event's title is {len(title.strip())} characters long; keep "
                        f"it under {TITLE_LIMIT} (put the rest in the notes)")


def _conflict(access: Access, label: str, event_id: int, mine: EventEdit) -> EditConflict:
    from console.services.audit_service import last_change

    theirs = program_event(access, event_id)
    fields = [("Date", f"{mine.occurred_on:%Y-%m-%d}", f"{theirs.occurred_on:%Y-%m-%d}"),
              ("Kind", mine.kind.label, theirs.kind.label),
              ("Title", mine.title.strip(), theirs.title),
              ("Notes", mine.notes.strip(), theirs.notes)]
    saved = last_change(access, "program_event", str(event_id))
    return EditConflict(label, fields, theirs.version,
                        saved_by=saved.actor if saved else "",
                        saved_at=saved.at[:16].replace("T", " ") + " UTC" if saved else "")
