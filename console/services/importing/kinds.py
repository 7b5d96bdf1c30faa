"""How each kind of import is written: the services' half of an import kind.

The data half (console/data/importers/fields.py) declares a kind's fields, code maps and
key. Here a kind adds who may import it, where its rows go and how they are upserted;
everything else (reading, survey, suggestion, profiles, rejects, cancel, all or
nothing) is import_service's and the same for every kind. Adding a kind (the roster,
referrals) is a `Writing` here and an `ImportKind` there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from console.data.crypto import Vault
from console.data.enums import EventKind
from console.data.importers.fields import CALLS, PROGRAM_EVENTS, REFERRALS, ROSTER, ImportKind
from console.data.models import ProgramEvent
from console.errors import UserError
from console.services.access import Action
from console.services.importing.validate import Converted, RowConverter
from console.services.importing.write import CallWriter


class Writer(Protocol):
    """Upserts the converted chunks of one import; write=False compares and counts only."""

    write: bool
    inserted: int
    updated: int
    unchanged: int

    def add(self, chunk: Converted) -> None: ...

    def added(self) -> dict[str, int]:
        """What the import added beside its rows (people, officers), by name."""
        ...


@dataclass(frozen=True)
class Target:
    """Where one import writes: its session and connection, program, agency and key."""

    session: Session
    conn: Connection
    program_id: int | None
    agency_id: int | None
    vault: Vault
    converter: RowConverter


@dataclass(frozen=True)
class Writing:
    """The services' declaration of an import kind.

    action: the permission an import of this kind requires. creates_program: a first
    import into an empty database makes a minimal program (calls) instead of refusing.
    bulk_table: on SQLite, the table whose indexes a large import drops and rebuilds.
    """

    kind: ImportKind
    action: Action
    audit_what: str
    writer: Callable[[Target], Writer]
    creates_program: bool = False
    bulk_table: str | None = None


# --- calls ------------------------------------------------------------------------------
class _CallWriting(CallWriter):
    def added(self) -> dict[str, int]:
        return {"persons_added": self.persons_added,
                "requesting_officers_added": self.officers_added}


def _call_writer(target: Target) -> Writer:
    converter = target.converter
    return _CallWriting(target.conn, columns=converter.columns,
                        program_id=target.program_id, agency_id=target.agency_id,
                        vault=target.vault, has_person=converter.has_person,
                        has_narrative=converter.has_narrative,
                        keep_when_blank=converter.keep_when_blank)


# --- program events ---------------------------------------------------------------------
class EventWriter:
    """Upserts program events by (program, date, kind, title); a changed note updates.

    Through the ORM, so the audit trail records each event added or changed (an events
    list is a few hundred rows, not a million).
    """

    def __init__(self, session: Session, program_id: int | None, columns: list[str]) -> None:
        self.session, self.program_id, self.columns = session, program_id, columns
        self.inserted = self.updated = self.unchanged = 0
        self.write = True
        self.has_notes = "notes" in columns
        self._stored: dict[tuple[Any, str, str], ProgramEvent] = {}
        if program_id is not None:
            for event in session.scalars(select(ProgramEvent)
                                         .where(ProgramEvent.program_id == program_id)):
                self._stored.setdefault((event.occurred_on, event.kind.value, event.title),
                                        event)

    def add(self, chunk: Converted) -> None:
        for values in chunk.values:
            row = dict(zip(self.columns, values, strict=True))
            key = (row["occurred_on"], row["kind"], row["title"])
            notes = (row.get("notes") or "").strip()
            old = self._stored.get(key)
            if old is None:
                self.inserted += 1
                if self.write and self.program_id is not None:
                    event = ProgramEvent(program_id=self.program_id, occurred_on=key[0],
                                         kind=EventKind(key[1]), title=key[2], notes=notes)
                    self.session.add(event)
                    self._stored[key] = event
            elif self.has_notes and old.notes != notes:
                self.updated += 1
                if self.write:
                    old.notes = notes
            else:
                self.unchanged += 1
        if self.write:
            self.session.flush()

    def added(self) -> dict[str, int]:
        return {}


def _event_writer(target: Target) -> Writer:
    if target.program_id is None:
        raise UserError("the database holds no program yet: its events have nowhere to go")
    return EventWriter(target.session, target.program_id, target.converter.columns)


# --- the roster (console/services/schedule/roster_import.py) ----------------------------
def _roster_writer(target: Target) -> Writer:
    from console.services.schedule.roster_import import RosterWriter

    return RosterWriter(target)


# --- referrals (console/services/referrals/importing.py) -------------------------------------
def _referral_writer(target: Target) -> Writer:
    from console.services.referrals.importing import ReferralWriter

    return ReferralWriter(target)


WRITINGS: dict[str, Writing] = {w.kind.name: w for w in (
    Writing(CALLS, Action.EDIT_CALLS, "call import", _call_writer, creates_program=True,
            bulk_table="call"),
    Writing(PROGRAM_EVENTS, Action.EDIT_PROGRAM, "program event import", _event_writer),
    Writing(ROSTER, Action.EDIT_STAFF, "roster import", _roster_writer),
    Writing(REFERRALS, Action.EDIT_CALLS, "referral import", _referral_writer),
)}
