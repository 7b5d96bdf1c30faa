"""The weekly series behind the indicators, on small hand-built programs whose answers
are counted by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import program_access_for
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import Activation, CallSource, EventKind, StaffRole
from console.data.models import (
    Call,
    Person,
    Position,
    PositionAssignment,
    ProgramEvent,
    Shift,
    ShiftAssignment,
    StaffMember,
    call_responder,
)
from console.services.access import Access, Action
from console.services.indicators.series import (
    Reading,
    Weeks,
    last_complete_week,
    week_start,
)

D, T = dt.date, dt.datetime
MON = D(2025, 3, 3)  # a Monday
AXIS = Weeks(MON, MON + dt.timedelta(weeks=7))  # eight weeks


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)


def _rows(access: Access, table: Any, rows: list[dict[str, Any]]) -> None:
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(table), rows)


def _staff(access: Access, *people: tuple[int, StaffRole]) -> None:
    _rows(access, StaffMember, [
        {"id": i, "program_id": 1, "staff_key": f"B{i}", "display_name": f"Staff {i}",
         "role": role, "hired_on": D(2020, 1, 1)} for i, role in people])


_n = 0


def _call(at: dt.datetime, **values: Any) -> dict[str, Any]:
    global _n
    _n += 1
    row = {"program_id": 1, "agency_id": 1, "incident_number": f"I{_n}", "received_at": at,
           "activation": None, "in_scope": None, "source": None, "person_id": None,
           "requesting_officer_id": None}
    row.update(values)
    return row


AS_OF, UNTIL = D(2025, 4, 30), D(2025, 4, 27)


@contextmanager
def _reading(access: Access, as_of: dt.date = AS_OF,
             calls_until: dt.date | None = UNTIL) -> Iterator[Reading]:
    """A Reading on the eight-week axis, in a read session."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        yield Reading(session, AXIS, as_of, calls_until)


def test_weeks_start_on_monday_and_the_last_is_complete() -> None:
    assert week_start(D(2025, 3, 9)) == MON  # a Sunday belongs to the week before
    assert week_start(D(2025, 3, 10)) == MON + dt.timedelta(weeks=1)
    assert last_complete_week(D(2025, 3, 9)) == MON  # the Sunday completes its week
    assert last_complete_week(D(2025, 3, 8)) == MON - dt.timedelta(weeks=1)
    assert len(AXIS) == 8 and AXIS.index(MON + dt.timedelta(weeks=7)) == 7
    assert AXIS.index(MON - dt.timedelta(weeks=1)) is None


def test_patrol_requests_per_week_at_the_week_boundary(access: Access) -> None:
    _rows(access, Call, [
        _call(T(2025, 3, 3, 0, 0, 0), activation=Activation.PATROL_REQUEST),
        _call(T(2025, 3, 9, 23, 59, 59), activation=Activation.PATROL_REQUEST),
        _call(T(2025, 3, 10, 0, 0, 0), activation=Activation.PATROL_REQUEST),
        _call(T(2025, 3, 10, 8, 0), activation=Activation.DISPATCH),
        _call(T(2025, 3, 20, 8, 0)),
    ])
    with _reading(access) as r:
        weeks = r.call_weeks
        assert weeks.patrol_requests[:4] == (2.0, 1.0, 0.0, 0.0)
        assert weeks.calls[:4] == (2.0, 2.0, 1.0, 0.0)


def test_weeks_after_the_newest_call_are_unknown_not_zero(access: Access) -> None:
    _rows(access, Call, [_call(T(2025, 3, 4, 9, 0), activation=Activation.PATROL_REQUEST)])
    with _reading(access, calls_until=D(2025, 3, 22)) as r:  # a Saturday: week 3 partial
        assert r.call_weeks.patrol_requests == (1.0, 0.0, None, None, None, None, None, None)


def test_distinct_officers_over_four_weeks(access: Access) -> None:
    _staff(access, (10, StaffRole.SWORN_OFFICER), (11, StaffRole.SWORN_OFFICER),
           (12, StaffRole.SWORN_OFFICER))
    asks = [(0, 10), (0, 10), (1, 11), (3, 10), (4, 12), (7, 12)]
    _rows(access, Call, [
        _call(T(2025, 3, 4, 10) + dt.timedelta(weeks=w), activation=Activation.PATROL_REQUEST,
              requesting_officer_id=officer) for w, officer in asks])
    with _reading(access) as r:
        assert r.distinct_officers(4) == (None, None, None, 2.0, 3.0, 2.0, 2.0, 1.0)
        assert r.officers_between(MON, MON + dt.timedelta(weeks=1)) == 2


def test_dispatch_share_counts_in_scope_calls_on_staffed_shifts_through_dispatch(
        access: Access) -> None:
    _staff(access, (1, StaffRole.MH_RESPONDER))
    # Staffed Tuesday 10:00-18:00; the Wednesday shift has nobody on it.
    _rows(access, Shift, [
        {"id": 1, "program_id": 1, "starts_at": T(2025, 3, 4, 10), "ends_at": T(2025, 3, 4, 18),
         "label": "Day"},
        {"id": 2, "program_id": 1, "starts_at": T(2025, 3, 5, 10), "ends_at": T(2025, 3, 5, 18),
         "label": "Day"}])
    _rows(access, ShiftAssignment, [{"shift_id": 1, "staff_id": 1}])
    scope = {"in_scope": True, "source": CallSource.E911}
    _rows(access, Call, [
        _call(T(2025, 3, 4, 10, 0), activation=Activation.DISPATCH, **scope),  # eligible, hit
        _call(T(2025, 3, 4, 12, 0), **scope),  # eligible, missed
        _call(T(2025, 3, 4, 13, 0), activation=Activation.PATROL_REQUEST, **scope),  # missed
        _call(T(2025, 3, 4, 14, 0), activation=Activation.SELF_INITIATED, **scope),  # own work
        _call(T(2025, 3, 4, 15, 0), in_scope=True, source=CallSource.ON_VIEW),  # on view
        _call(T(2025, 3, 4, 16, 0), activation=Activation.DISPATCH, in_scope=False),
        _call(T(2025, 3, 4, 18, 0), **scope),  # the shift has ended
        _call(T(2025, 3, 5, 11, 0), **scope),  # nobody on shift
    ])
    with _reading(access) as r:
        w = r.call_weeks
        assert (w.dispatch_eligible[0], w.dispatched[0]) == (3.0, 1.0)
        assert (w.in_scope[0], w.in_scope_on_shift[0]) == (7.0, 5.0)


def test_out_of_scope_share_counts_the_unit_s_crisis_calls(access: Access) -> None:
    _staff(access, (1, StaffRole.MH_RESPONDER))
    _rows(access, Call, [
        _call(T(2025, 3, 4, 9), activation=Activation.DISPATCH, in_scope=False),
        _call(T(2025, 3, 4, 10), activation=Activation.DISPATCH, in_scope=True),
        _call(T(2025, 3, 4, 11), activation=Activation.FOLLOW_UP, in_scope=False),  # not crisis
        _call(T(2025, 3, 4, 12), activation=Activation.DISPATCH),  # scope unknown
        _call(T(2025, 3, 4, 13), in_scope=False),  # the unit was not there
    ])
    _rows(access, Call, [{**_call(T(2025, 3, 4, 14), in_scope=False), "id": 900}])
    _rows(access, call_responder, [{"call_id": 900, "staff_id": 1}])
    with _reading(access) as r:
        w = r.call_weeks
        assert (w.attended_out_of_scope[0], w.attended_known_scope[0]) == (2.0, 3.0)


def test_staffed_hours_split_office_and_after_hours_across_a_week_boundary(
        access: Access) -> None:
    _staff(access, (1, StaffRole.MH_RESPONDER), (2, StaffRole.SWORN_OFFICER),
           (3, StaffRole.INTERN))
    _rows(access, Shift, [
        # Friday 16:00 to midnight, a pair and an intern: 2 x 8 h, 2 x 6 h after 18:00.
        {"id": 1, "program_id": 1, "starts_at": T(2025, 3, 7, 16), "ends_at": T(2025, 3, 8, 0),
         "label": "Evening"},
        # Sunday 20:00 to Monday 04:00, one responder: 4 h in each week, all after hours.
        {"id": 2, "program_id": 1, "starts_at": T(2025, 3, 9, 20), "ends_at": T(2025, 3, 10, 4),
         "label": "Late"},
        # Monday 07:30-15:30: 30 minutes before office hours.
        {"id": 3, "program_id": 1, "starts_at": T(2025, 3, 10, 7, 30),
         "ends_at": T(2025, 3, 10, 15, 30), "label": "Day"}])
    _rows(access, ShiftAssignment, [
        {"shift_id": 1, "staff_id": 1}, {"shift_id": 1, "staff_id": 2},
        {"shift_id": 1, "staff_id": 3}, {"shift_id": 2, "staff_id": 1},
        {"shift_id": 3, "staff_id": 2}])
    with _reading(access) as r:
        total, after = r.staffed
        assert total[:3] == (20.0, 12.0, 0.0)
        assert after[:3] == (16.0, 4.5, 0.0)


def test_no_roster_means_no_staffed_hours_and_no_coverage(access: Access) -> None:
    _rows(access, Call, [_call(T(2025, 3, 4 + d, 10), in_scope=True) for d in range(3)])
    with _reading(access) as r:
        assert r.staffed == ((None,) * 8, (None,) * 8)
        assert r.coverage(2) == (None,) * 8


def test_positions_leave_intern_seats_out_and_age_the_oldest_vacancy(access: Access) -> None:
    _staff(access, (1, StaffRole.MH_RESPONDER), (2, StaffRole.INTERN))
    _rows(access, Position, [
        {"id": 1, "program_id": 1, "title": "Responder", "role": StaffRole.MH_RESPONDER,
         "authorized_on": D(2024, 1, 1)},
        {"id": 2, "program_id": 1, "title": "Responder", "role": StaffRole.MH_RESPONDER,
         "authorized_on": D(2024, 1, 1)},
        {"id": 3, "program_id": 1, "title": "Intern", "role": StaffRole.INTERN,
         "authorized_on": D(2024, 1, 1)},
        # Abolished on the Sunday of week 2: gone from that day on.
        {"id": 4, "program_id": 1, "title": "Officer", "role": StaffRole.SWORN_OFFICER,
         "authorized_on": D(2025, 3, 1), "abolished_on": D(2025, 3, 16)}])
    _rows(access, PositionAssignment, [
        {"position_id": 1, "staff_id": 1, "start_on": D(2024, 1, 1), "end_on": None},
        # Position 2 held until Saturday 8 March: vacant from that day.
        {"position_id": 2, "staff_id": 1, "start_on": D(2024, 1, 1), "end_on": D(2025, 3, 8)}])
    with _reading(access) as r:
        filled, oldest = r.positions
        # Week 1 (Sunday 9 March): 1 of 3 filled; position 4 vacant since 1 March (8 days).
        assert filled[0] == pytest.approx(1 / 3) and oldest[0] == 8.0
        # Week 2 (Sunday 16 March): position 4 abolished; position 2 vacant 8 days.
        assert filled[1] == pytest.approx(1 / 2) and oldest[1] == 8.0
        assert oldest[2] == 15.0


def test_repeat_weeks_follow_each_person_thirty_days(access: Access) -> None:
    _staff(access, (1, StaffRole.MH_RESPONDER))
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(Person), [{"id": i, "person_key": f"p{i}"} for i in (1, 2, 3)])
    co = {"activation": Activation.DISPATCH}
    _rows(access, Call, [
        _call(T(2025, 3, 4, 10), person_id=1, **co),
        _call(T(2025, 4, 2, 10), person_id=1),  # 29 days later: a repeat
        _call(T(2025, 3, 5, 10), person_id=2, **co),
        _call(T(2025, 3, 20, 10), person_id=2, activation=Activation.FOLLOW_UP),  # a visit
        _call(T(2025, 4, 6, 10), person_id=2),  # 32 days later: too late
        _call(T(2025, 3, 6, 10), person_id=3),  # patrol alone: not a co-response
    ])
    with _reading(access, as_of=D(2025, 4, 27)) as r:
        seen, repeated = r.repeat_weeks
        # Week 1 has two co-responses (the follow-up visit is planned, not a crisis), one
        # repeated; weeks whose 30 days run past 27 April are unknown.
        assert (seen[0], repeated[0]) == (2.0, 1.0)
        assert seen[3:] == (None,) * 5 and seen[2] == 0.0


def test_visibility_counts_briefings_ride_alongs_and_trainings_only(access: Access) -> None:
    with access.writing(Action.EDIT_PROGRAM) as s:
        s.execute(insert(ProgramEvent), [
            {"program_id": 1, "occurred_on": D(2025, 3, 3), "kind": EventKind.BRIEFING,
             "title": "a"},
            {"program_id": 1, "occurred_on": D(2025, 3, 9), "kind": EventKind.RIDE_ALONG,
             "title": "b"},
            {"program_id": 1, "occurred_on": D(2025, 3, 10), "kind": EventKind.PATROL_TRAINING,
             "title": "c"},
            {"program_id": 1, "occurred_on": D(2025, 3, 10), "kind": EventKind.OFFICE_MOVE,
             "title": "d"}])
    with _reading(access) as r:
        assert r.visibility[:3] == (2.0, 1.0, 0.0)
        assert [t for _d, _k, t in r.structural_events()] == ["d"]


def test_a_record_starting_mid_week_leaves_its_first_week_unknown(access: Access) -> None:
    _rows(access, Call, [_call(T(2025, 3, 5, 9, 0), activation=Activation.PATROL_REQUEST),
                         _call(T(2025, 3, 11, 9, 0), activation=Activation.PATROL_REQUEST)])
    with access.reading(Action.VIEW_AGGREGATES) as session:
        wednesday = Reading(session, AXIS, AS_OF, UNTIL, calls_from=D(2025, 3, 5))
        assert wednesday.call_weeks.patrol_requests[:3] == (None, 1.0, 0.0)
        monday = Reading(session, AXIS, AS_OF, UNTIL, calls_from=D(2025, 3, 3))
        assert monday.call_weeks.patrol_requests[:3] == (1.0, 1.0, 0.0)


def test_weekend_daytime_hours_are_after_hours(access: Access) -> None:
    _staff(access, (1, StaffRole.MH_RESPONDER))
    _rows(access, Shift, [  # Saturday and Friday, 09:00-17:00
        {"id": 1, "program_id": 1, "starts_at": T(2025, 3, 8, 9), "ends_at": T(2025, 3, 8, 17),
         "label": "Day"},
        {"id": 2, "program_id": 1, "starts_at": T(2025, 3, 7, 9), "ends_at": T(2025, 3, 7, 17),
         "label": "Day"}])
    _rows(access, ShiftAssignment, [{"shift_id": 1, "staff_id": 1}, {"shift_id": 2, "staff_id": 1}])
    with _reading(access) as r:
        total, after = r.staffed
        assert (total[0], after[0]) == (16.0, 8.0)
