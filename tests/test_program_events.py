"""Program events edited and deleted through the service: versioned, audited, permitted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import program_access_for
from sqlalchemy import select

from console.data.engine import Database
from console.data.enums import EventKind, UserRole
from console.data.models import AuditEntry
from console.errors import UserError
from console.services import program_service
from console.services.access import Access, Actor, EditConflict, PermissionDenied
from console.services.program_service import EventEdit

D = dt.date


@pytest.fixture
def program_access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)


def _add(access: Access, title: str = "Roll call, nights") -> int:
    return program_service.add_program_event(access, D(2024, 5, 6), EventKind.BRIEFING, title,
                                             "10 officers")


def test_an_edit_saves_every_field_and_bumps_the_version(program_access: Access) -> None:
    event_id = _add(program_access)
    read = program_service.program_event(program_access, event_id)
    saved = program_service.update_program_event(
        program_access, event_id, read.version,
        EventEdit(D(2024, 5, 7), EventKind.RIDE_ALONG, "  Ride-along, Sgt. Okafor ", " nights "))
    assert (saved.occurred_on, saved.kind, saved.title, saved.notes) == \
        (D(2024, 5, 7), EventKind.RIDE_ALONG, "Ride-along, Sgt. Okafor", "nights")
    assert saved.version == read.version + 1
    assert program_service.program_events(program_access) == [saved]


def test_a_stale_edit_is_a_conflict_with_both_versions(program_access: Access) -> None:
    event_id = _add(program_access)
    director = program_access.as_actor(Actor("dir.okafor", UserRole.DIRECTOR, "Dir. Okafor"))
    mine = program_service.program_event(program_access, event_id)
    theirs = program_service.program_event(director, event_id)
    saved = program_service.update_program_event(
        director, event_id, theirs.version,
        EventEdit(D(2024, 5, 6), EventKind.BRIEFING, "Roll call, days", "8 officers"))
    with pytest.raises(EditConflict) as conflict:
        program_service.update_program_event(
            program_access, event_id, mine.version,
            EventEdit(D(2024, 5, 6), EventKind.PATROL_TRAINING, "CIT class", ""))
    c = conflict.value
    assert c.saved_by == "dir.okafor" and c.theirs_version == saved.version
    assert ("Title", "CIT class", "Roll call, days") in c.fields
    assert ("Kind", "Training for patrol", "Roll-call briefing") in c.fields
    assert program_service.program_event(program_access, event_id) == saved  # nothing lost
    # Saving over theirs knowingly: with the version the conflict reports.
    over = program_service.update_program_event(
        program_access, event_id, c.theirs_version,
        EventEdit(D(2024, 5, 6), EventKind.PATROL_TRAINING, "CIT class", ""))
    assert over.title == "CIT class"


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_bad_title_changes_nothing(program_access: Access, title: str) -> None:
    event_id = _add(program_access)
    before = program_service.program_event(program_access, event_id)
    with pytest.raises(UserError) as err:
        program_service.update_program_event(program_access, event_id, before.version,
                                             EventEdit(D(2024, 1, 1), EventKind.OTHER, title))
    assert "\n" not in err.value.message and "title" in err.value.message
    assert program_service.program_event(program_access, event_id) == before
    with pytest.raises(UserError):
        program_service.add_program_event(program_access, D(2024, 1, 1), EventKind.OTHER, title)


def test_delete_is_audited_and_a_second_delete_says_so(program_access: Access) -> None:
    event_id = _add(program_access)
    program_service.delete_program_event(program_access, event_id)
    assert program_service.program_events(program_access) == []
    with program_access.factory() as session:
        kinds = [(e.action.value, e.table_name) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.record_id == str(event_id)))]
    assert ("delete", "program_event") in kinds and ("insert", "program_event") in kinds
    with pytest.raises(UserError, match="already deleted"):
        program_service.delete_program_event(program_access, event_id)
    with pytest.raises(UserError, match="deleted by someone else"):
        program_service.update_program_event(program_access, event_id, 1,
                                             EventEdit(D(2024, 1, 1), EventKind.OTHER, "x"))


@pytest.mark.parametrize("role", [UserRole.ANALYST, UserRole.RESPONDER, UserRole.REVIEWER])
def test_only_supervisors_and_directors_edit_or_delete(program_access: Access,
                                                       role: UserRole) -> None:
    event_id = _add(program_access)
    other = program_access.as_actor(Actor("someone", role, "Someone"))
    read = program_service.program_event(other, event_id)  # everyone reads
    with pytest.raises(PermissionDenied):
        program_service.update_program_event(other, event_id, read.version,
                                             EventEdit(D(2024, 1, 1), EventKind.OTHER, "x"))
    with pytest.raises(PermissionDenied):
        program_service.delete_program_event(other, event_id)
    assert program_service.program_event(program_access, event_id) == read
