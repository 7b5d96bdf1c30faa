"""Deadlines in business days, on cases worked out by hand with a calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from complaint_world import build, new_case
from hypothesis import given
from hypothesis import strategies as st

from console.data.engine import Database
from console.data.models import ClosureDay, ComplaintSettings
from console.errors import UserError
from console.services.access import Action
from console.services.complaints import case_detail, queue
from console.services.complaints.deadlines import calendar_for, check_subdivision

D = dt.date
FEDERAL = calendar_for("US", None)
ILLINOIS = calendar_for("US", "IL")


def test_weekends_do_not_count() -> None:
    # Thursday 5 March 2026 + 3 business days: Fri 6, Mon 9, Tue 10.
    assert FEDERAL.add(D(2026, 3, 5), 3) == D(2026, 3, 10)
    # From a Saturday: Mon 9, Tue 10, Wed 11.
    assert FEDERAL.add(D(2026, 3, 7), 3) == D(2026, 3, 11)
    assert FEDERAL.between(D(2026, 3, 5), D(2026, 3, 10)) == 3


def test_a_deadline_that_would_fall_on_a_holiday_moves_past_it() -> None:
    # Wednesday 1 July 2026 + 2: Thu 2, then Fri 3 is Independence Day observed -> Mon 6.
    assert FEDERAL.add(D(2026, 7, 1), 2) == D(2026, 7, 6)
    assert FEDERAL.add(D(2026, 7, 1), 3) == D(2026, 7, 7)
    assert FEDERAL.holiday_name(D(2026, 7, 3)) is not None


def test_the_states_own_holidays_count() -> None:
    # Casimir Pulaski Day (Illinois, first Monday of March 2026: the 2nd) is a business
    # day federally but not in Illinois. Friday 27 Feb + 1.
    assert FEDERAL.add(D(2026, 2, 27), 1) == D(2026, 3, 2)
    assert ILLINOIS.add(D(2026, 2, 27), 1) == D(2026, 3, 3)


def test_closure_days_count_as_holidays() -> None:
    closed = calendar_for("US", "IL", [D(2026, 12, 24)])
    # Tuesday 22 Dec + 3: Wed 23, (Thu 24 closed, Fri 25 Christmas), Mon 28, Tue 29.
    assert closed.add(D(2026, 12, 22), 3) == D(2026, 12, 29)
    assert ILLINOIS.add(D(2026, 12, 22), 3) == D(2026, 12, 28)
    assert closed.holiday_name(D(2026, 12, 24)) == "program closure"


def test_thirty_business_days_across_thanksgiving() -> None:
    # From Monday 2 Nov 2026 (3 Nov is Election Day in Illinois, 11 Nov Veterans Day,
    # 26 Nov Thanksgiving; Illinois keeps the 27th too): 21 weekdays to 30 Nov minus
    # 4 holidays = 17; then December 1-17 holds 13 weekdays -> Thursday 17 December.
    assert ILLINOIS.add(D(2026, 11, 2), 30) == D(2026, 12, 17)


@given(st.dates(D(2020, 1, 1), D(2030, 12, 31)), st.integers(0, 120))
def test_add_lands_on_a_business_day_that_many_business_days_later(
        start: dt.date, days: int) -> None:
    due = ILLINOIS.add(start, days)
    assert ILLINOIS.between(start, due) == days
    if days:
        assert ILLINOIS.is_business_day(due)
        assert ILLINOIS.between(start, due - dt.timedelta(days=1)) == days - 1


def test_an_unknown_state_is_told() -> None:
    with pytest.raises(UserError, match="'ZZ'"):
        check_subdivision("US", "ZZ")
    check_subdivision("US", "IL")


def test_a_case_is_due_and_overdue_by_the_programs_calendar(db: Database,
                                                            tmp_path: Path) -> None:
    sup = build(db, tmp_path)
    with sup.writing(Action.EDIT_SETTINGS) as session:
        session.add(ComplaintSettings(program_id=1, country="US", subdivision="IL",
                                      acknowledge_days=3))
        session.add(ClosureDay(program_id=1, day=D(2026, 3, 4), label="Furlough day"))
    case_id = new_case(sup, received_on=D(2026, 2, 27))  # a Friday
    # Mon 2 Mar Pulaski Day, Tue 3 (1), Wed 4 closed, Thu 5 (2), Fri 6 (3).
    detail = case_detail(sup, case_id, today=D(2026, 3, 6))
    assert detail.due_on == D(2026, 3, 6) and not detail.overdue
    late = queue(sup, today=D(2026, 3, 10))
    assert [(r.id, r.overdue, r.business_days_late) for r in late] == [(case_id, True, 2)]


def test_settings_apply_to_steps_begun_after_the_change(db: Database, tmp_path: Path) -> None:
    from console.services.complaints.settings import (
        add_closure_day,
        deadline_settings,
        remove_closure_day,
        set_deadline_settings,
    )

    sup = build(db, tmp_path)
    before = new_case(sup, received_on=D(2026, 3, 5))  # Thursday: due Tue 10 (3 days)
    days = {"acknowledge": 5, "classify": 20, "review": 60, "decision": 5, "close": 5}
    saved = set_deadline_settings(sup, "us", "il", days)
    assert (saved.country, saved.subdivision, saved.days) == ("US", "IL", days)
    add_closure_day(sup, D(2026, 3, 9), "Furlough day")
    after = new_case(sup, received_on=D(2026, 3, 5))
    # Fri 6, (Mon 9 closed), Tue 10, Wed 11, Thu 12, Fri 13.
    assert case_detail(sup, after, today=D(2026, 3, 5)).due_on == D(2026, 3, 13)
    assert case_detail(sup, before, today=D(2026, 3, 5)).due_on == D(2026, 3, 10)
    assert deadline_settings(sup).closures == ((D(2026, 3, 9), "Furlough day"),)
    remove_closure_day(sup, D(2026, 3, 9))
    assert deadline_settings(sup).closures == ()


@pytest.mark.parametrize(("country", "state", "days", "why"), [
    ("US", "ZZ", {}, "'ZZ'"),
    ("USA", None, {}, "two-letter"),
    ("US", "IL", {"acknowledge": 0}, "acknowledge step needs 1"),
])
def test_bad_settings_change_nothing(db: Database, tmp_path: Path, country: str,
                                     state: str | None, days: dict[str, int], why: str) -> None:
    from console.services.complaints.settings import deadline_settings, set_deadline_settings

    sup = build(db, tmp_path)
    full = {"acknowledge": 3, "classify": 30, "review": 90, "decision": 10, "close": 10}
    with pytest.raises(UserError, match=why):
        set_deadline_settings(sup, country, state, {**full, **days})
    assert deadline_settings(sup).subdivision is None
