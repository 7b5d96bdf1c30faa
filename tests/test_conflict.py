"""Two people edit the same record: the second save is refused, nothing is lost."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from conftest import access_for, seed_program
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import DegreeLevel, StaffRole, UserRole
from console.data.models import StaffMember
from console.services import staffing_service
from console.services.access import Access, Action, Actor, EditConflict
from console.services.staffing_service import StaffEdit


def _staff(db: Database) -> None:
    with db.engine.begin() as conn:
        seed_program(conn)
        conn.execute(insert(StaffMember).values(
            id=7, program_id=1, staff_key="E7", display_name="Rivera, Ana",
            role=StaffRole.MH_RESPONDER, hired_on=dt.date(2023, 1, 1)))


@pytest.fixture
def two_desks(any_db: Database, tmp_path: Path) -> tuple[Access, Access]:
    _staff(any_db)
    first = access_for(any_db, tmp_path, Actor("sgt.rivera", UserRole.SUPERVISOR, "Sgt. Rivera"))
    second = first.as_actor(Actor("dir.okafor", UserRole.DIRECTOR, "Director Okafor"))
    return first, second


def test_second_save_raises_conflict_with_both_versions(two_desks: tuple[Access, Access]) -> None:
    sergeant, director = two_desks
    seen_by_sergeant = staffing_service.staff_detail(sergeant, 7)
    seen_by_director = staffing_service.staff_detail(director, 7)
    saved = staffing_service.update_staff_member(
        sergeant, 7, seen_by_sergeant.version,
        StaffEdit("Rivera, Ana", "Clinician II", None, DegreeLevel.MASTER))
    assert saved.version == seen_by_sergeant.version + 1

    with pytest.raises(EditConflict) as conflict:
        staffing_service.update_staff_member(
            director, 7, seen_by_director.version,
            StaffEdit("Rivera, Ana M.", None, "Social work", DegreeLevel.BACHELOR))
    c = conflict.value
    assert c.saved_by == "sgt.rivera" and c.theirs_version == saved.version
    assert ("Rank", "", "Clinician II") in c.fields
    assert ("Name", "Rivera, Ana M.", "Rivera, Ana") in c.fields
    assert "\n" not in c.message and "not saved" in c.message

    # Nothing was lost: the sergeant's save stands untouched.
    now = staffing_service.staff_detail(sergeant, 7)
    assert (now.rank, now.degree_level, now.version) == \
        ("Clinician II", DegreeLevel.MASTER, saved.version)

    # The director, having seen both, deliberately saves over it with the reported version.
    final = staffing_service.update_staff_member(
        director, 7, c.theirs_version,
        StaffEdit("Rivera, Ana M.", "Clinician II", "Social work", DegreeLevel.MASTER))
    assert final.version == saved.version + 1 and final.display_name == "Rivera, Ana M."


def test_race_between_read_and_write_is_caught_by_the_version_column(
        two_desks: tuple[Access, Access]) -> None:
    """Both sessions hold the row in memory; the database's WHERE version=? decides.

    (PostgreSQL. On SQLite a writing session holds the write lock from its start: see the
    next test.)
    """
    sergeant, director = two_desks
    if sergeant.factory.kw["bind"].dialect.name == "sqlite":
        pytest.skip("on SQLite two writing sessions cannot overlap: see the next test")
    first_in = threading.Event()
    second_loaded = threading.Event()
    errors: list[BaseException] = []

    def sergeant_saves() -> None:
        try:
            with sergeant.writing(Action.EDIT_STAFF, "Staff member 7") as s:
                staff = s.get(StaffMember, 7)
                assert staff is not None
                second_loaded.wait(10)
                staff.rank = "Sergeant's edit"
            first_in.set()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            first_in.set()

    with director.writing(Action.EDIT_STAFF) as probe:  # make sure the row exists
        assert probe.get(StaffMember, 7) is not None
    worker = threading.Thread(target=sergeant_saves)
    worker.start()
    with pytest.raises(EditConflict), \
            director.writing(Action.EDIT_STAFF, "Staff member 7") as s:
        staff = s.get(StaffMember, 7)
        assert staff is not None  # loaded at version 1
        second_loaded.set()
        first_in.wait(10)  # the sergeant has committed version 2 meanwhile
        staff.rank = "Director's edit"
    worker.join(10)
    assert not errors
    detail = staffing_service.staff_detail(sergeant, 7)
    assert detail.rank == "Sergeant's edit" and detail.version == 2


def test_on_sqlite_a_second_writing_session_begins_after_the_first_commits(
        db: Database, tmp_path: Path) -> None:
    """The write lock is taken as a writing session begins (BEGIN IMMEDIATE), so what the
    second desk reads is what the first committed: it cannot decide on a stale row."""
    _staff(db)
    sergeant = access_for(db, tmp_path, Actor("sgt.rivera", UserRole.SUPERVISOR, "Sgt."))
    director = sergeant.as_actor(Actor("dir.okafor", UserRole.DIRECTOR, "Director"))
    holding = threading.Event()

    def sergeant_saves() -> None:
        with sergeant.writing(Action.EDIT_STAFF, "Staff member 7") as s:
            staff = s.get(StaffMember, 7)
            assert staff is not None
            staff.rank = "Sergeant's edit"
            holding.set()
            threading.Event().wait(0.3)

    worker = threading.Thread(target=sergeant_saves)
    worker.start()
    assert holding.wait(10)
    with director.writing(Action.EDIT_STAFF, "Staff member 7") as s:
        staff = s.get(StaffMember, 7)
        assert staff is not None
        assert (staff.rank, staff.version) == ("Sergeant's edit", 2)
    worker.join(10)
