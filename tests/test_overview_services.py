"""Dashboard, staffing and program services against small hand-built programs, on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import access_for
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import AgencyKind, EventKind, StaffRole
from console.data.models import (
    Agency,
    Call,
    Position,
    PositionAssignment,
    Program,
    ProgramEvent,
    StaffMember,
)
from console.services.access import Access, Action
from console.services.dashboard_service import dashboard_overview, week_start
from console.services.program_service import program_events, program_summary
from console.services.staffing_service import positions_on, unit_staff

D = dt.date


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    """A supervisor on a new database of each backend (overrides conftest's SQLite one)."""
    return access_for(any_db, tmp_path)


def _program(access: Access) -> tuple[int, int]:
    with access.writing(Action.EDIT_PROGRAM) as s:
        program = Program(name="Test City Co-Response", jurisdiction="Test City",
                          started_on=D(2024, 1, 1))
        s.add(program)
        s.flush()
        agency = Agency(program_id=program.id, name="Test City PD", kind=AgencyKind.POLICE,
                        is_lead=True)
        s.add(agency)
        s.flush()
        return program.id, agency.id


def _calls(access: Access, program_id: int, agency_id: int,
           times: list[dt.datetime]) -> None:
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(Call), [
            {"program_id": program_id, "agency_id": agency_id, "incident_number": f"I{i}",
             "received_at": t} for i, t in enumerate(times)
        ])


def test_empty_database_overview(access: Access) -> None:
    overview = dashboard_overview(access)
    assert overview.weekly_calls.weeks == ()
    assert overview.events == () and overview.as_of is None
    assert program_summary(access) is None


def test_weekly_calls_are_zero_filled_monday_weeks(access: Access) -> None:
    pid, aid = _program(access)
    # Mon 1 Jan 2024 (2 calls), Sun 7 Jan (1, same week), nothing the week of 8 Jan,
    # Wed 17 Jan 23:59 (1): the last week is partial (ends before Sunday).
    _calls(access, pid, aid, [dt.datetime(2024, 1, 1, 0, 5), dt.datetime(2024, 1, 1, 13),
                          dt.datetime(2024, 1, 7, 23, 59), dt.datetime(2024, 1, 17, 23, 59)])
    series = dashboard_overview(access).weekly_calls
    assert series.weeks == (D(2024, 1, 1), D(2024, 1, 8), D(2024, 1, 15))
    assert series.counts == (3, 0, 1)
    assert series.last_week_partial
    assert dashboard_overview(access).as_of == D(2024, 1, 17)
    assert week_start(D(2024, 1, 7)) == D(2024, 1, 1)


def test_positions_filled_and_vacancy_age(access: Access) -> None:
    pid, _ = _program(access)
    with access.writing(Action.EDIT_STAFF) as s:
        ann = StaffMember(program_id=pid, staff_key="E1", display_name="Ann Lee",
                          role=StaffRole.MH_RESPONDER, hired_on=D(2024, 1, 1))
        bob = StaffMember(program_id=pid, staff_key="E2", display_name="Bob Ray",
                          role=StaffRole.MH_RESPONDER, hired_on=D(2024, 1, 1),
                          separated_on=D(2024, 6, 1))
        patrol = StaffMember(program_id=pid, staff_key="P9", display_name="Ofc. Kim",
                             role=StaffRole.SWORN_OFFICER, hired_on=D(2020, 1, 1))
        p1 = Position(program_id=pid, title="Responder 1", role=StaffRole.MH_RESPONDER,
                      authorized_on=D(2024, 1, 1))
        p2 = Position(program_id=pid, title="Responder 2", role=StaffRole.MH_RESPONDER,
                      authorized_on=D(2024, 1, 1))
        p3 = Position(program_id=pid, title="Abolished", role=StaffRole.INTERN,
                      authorized_on=D(2024, 1, 1), abolished_on=D(2024, 3, 1))
        s.add_all([ann, bob, patrol, p1, p2, p3])
        s.flush()
        s.add_all([
            PositionAssignment(position_id=p1.id, staff_id=ann.id, start_on=D(2024, 1, 1)),
            PositionAssignment(position_id=p2.id, staff_id=bob.id, start_on=D(2024, 1, 1),
                               end_on=D(2024, 6, 1)),
        ])
    rows = positions_on(access, D(2024, 7, 1))
    assert [(r.title, r.holder, r.vacancy_days) for r in rows] == [
        ("Responder 1", "Ann Lee", None), ("Responder 2", None, 30)]
    assert rows[1].vacant_since == D(2024, 6, 1)
    names = [r.name for r in unit_staff(access)]
    assert names == ["Ann Lee", "Bob Ray"]  # the patrol officer is not unit staff
    assert [r.name for r in unit_staff(access, include_separated=False)] == \
        ["Ann Lee"]


def test_program_summary_and_events(access: Access) -> None:
    pid, _ = _program(access)
    with access.writing(Action.EDIT_PROGRAM) as s:
        s.add_all([
            ProgramEvent(program_id=pid, occurred_on=D(2024, 5, 1), kind=EventKind.BRIEFING,
                         title="Roll call"),
            ProgramEvent(program_id=pid, occurred_on=D(2024, 2, 1),
                         kind=EventKind.LEADERSHIP_CHANGE, title="New chief"),
        ])
    summary = program_summary(access)
    assert summary is not None and summary.name == "Test City Co-Response"
    assert [a.name for a in summary.agencies] == ["Test City PD"]
    events = program_events(access)
    assert [e.title for e in events] == ["New chief", "Roll call"]
    only = program_events(access, kinds=frozenset({EventKind.BRIEFING}))
    assert [e.title for e in only] == ["Roll call"]
    assert program_events(access, since=D(2024, 3, 1))[0].title == "Roll call"
