"""Responder-officer pairs on hand-built rosters, and the month view's days read from a
database: open shifts, unpaired shifts and breaches on the day they happen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import StaffRole
from console.data.models import DutyAway, Shift, ShiftAssignment, StaffingMinimum, StaffMember
from console.data.schedule_enums import DutyAwayKind
from console.services.access import Access
from console.services.schedule.month import month_of, month_roster
from console.services.schedule.pairings import (
    NO_OFFICER,
    NO_RESPONDER,
    OPEN,
    PAIRED,
    pairs,
    unpaired,
)
from console.services.schedule.rules import RosterStaff
from tests.conftest import program_access_for
from tests.test_schedule_rules import ANA, BEN, at, roster, shift

IVY = RosterStaff(3, "Ivy Park", StaffRole.INTERN)
SAM = RosterStaff(4, "Sam Lee", StaffRole.SUPERVISOR)
STAFF = (ANA, BEN, IVY, SAM)


def test_a_shift_names_its_pair_and_one_without_an_officer_is_unpaired() -> None:
    r = roster(shift(1, at(0, 8), 8, 1, 2, 3), shift(2, at(0, 14), 8, 1),
               shift(3, at(1, 8), 8, 2, 4), shift(4, at(1, 14), 8), staff=STAFF)
    found = {p.shift_id: p for p in pairs(r)}
    assert [found[i].status for i in (1, 2, 3, 4)] == [PAIRED, NO_OFFICER, NO_RESPONDER, OPEN]
    assert found[1].label == "Ana Ortiz + Ben Cole"  # the intern makes no pair
    assert found[2].explanation == ("Ana Ortiz is on Mon 2026-03-02 14:00-22:00 (Day) with "
                                    "no co-responding officer (pairing).")
    assert found[3].explanation == ("Ben Cole is on Tue 2026-03-03 08:00-16:00 (Day) with no "
                                    "mental-health first responder (pairing).")
    assert [p.shift_id for p in unpaired(r)] == [2, 3]  # an open shift is open, not unpaired


def test_pairs_are_not_a_rule_so_the_rules_ids_stay_seven() -> None:
    from console.services.schedule.rules import RULES, check

    assert RULES == ("min_staffing", "rest", "max_week_hours", "max_period_hours",
                     "qualification", "double_booking", "leave")
    assert check(roster(shift(1, at(0, 8), 8, 1), staff=STAFF)) == []


@given(st.lists(st.sets(st.sampled_from([1, 2, 3, 4])), min_size=1, max_size=8))
def test_unpaired_exactly_when_one_of_responder_and_officer_is_missing(
        crews: list[set[int]]) -> None:
    r = roster(*(shift(i, at(i, 8), 8, *sorted(c)) for i, c in enumerate(crews)),
               staff=STAFF, days=8)
    got = {p.shift_id for p in unpaired(r)}
    assert got == {i for i, c in enumerate(crews) if (1 in c) != (2 in c)}


def test_month_of_steps_across_years() -> None:
    assert month_of(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
    assert month_of(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)
    assert month_of(dt.date(2026, 3, 9)) == dt.date(2026, 3, 1)


@pytest.fixture
def unit(db: Database, tmp_path: Path) -> Access:
    access = program_access_for(db, tmp_path)
    with db.engine.begin() as conn:
        for i, (name, role) in enumerate([("Ana Ortiz", StaffRole.MH_RESPONDER),
                                          ("Ben Cole", StaffRole.SWORN_OFFICER)], start=1):
            conn.execute(insert(StaffMember).values(
                id=i, program_id=1, staff_key=f"B{i}", display_name=name, role=role,
                hired_on=dt.date(2024, 1, 1)))
        rows = [(1, dt.datetime(2026, 2, 28, 22), 8, (1, 2)),  # February's, into March
                (2, dt.datetime(2026, 3, 2, 8), 8, (1, 2)),
                (3, dt.datetime(2026, 3, 2, 14), 8, (1,)),  # no officer; Ana double-booked
                (4, dt.datetime(2026, 3, 31, 12), 8, ())]  # open
        for i, starts, hours, staff in rows:
            conn.execute(insert(Shift).values(id=i, program_id=1, starts_at=starts,
                                              ends_at=starts + dt.timedelta(hours=hours),
                                              label="Day"))
            for s in staff:
                conn.execute(insert(ShiftAssignment).values(shift_id=i, staff_id=s))
        conn.execute(insert(DutyAway).values(staff_id=2, day=dt.date(2026, 3, 2),
                                             kind=DutyAwayKind.COURT))
        conn.execute(insert(StaffingMinimum).values(
            program_id=1, start_hour=8, end_hour=10, role=StaffRole.MH_RESPONDER, minimum=1))
    return access


def test_a_month_lists_each_days_shifts_with_open_unpaired_and_breaches(unit: Access) -> None:
    month = month_roster(unit, dt.date(2026, 3, 17))
    assert month.first == dt.date(2026, 3, 1) and month.last == dt.date(2026, 3, 31)
    assert len(month.days) == 31
    by_day = {d.day: d for d in month.days}
    assert [s.id for d in month.days for s in d.shifts] == [2, 3, 4]  # Feb 28's left out
    day2 = by_day[dt.date(2026, 3, 2)]
    assert [s.line for s in day2.shifts] == ["08:00 Day (2)", "14:00 Day (1)"]
    first, second = day2.shifts
    assert first.people == ("Ana Ortiz", "Ben Cole") and not first.unpaired
    assert any("is away on Mon 2026-03-02 (court) (leave)." in b for b in first.breaches)
    assert second.unpaired and not second.open
    assert any("(double_booking)." in b for b in second.breaches)
    open_ = by_day[dt.date(2026, 3, 31)].shifts[0]
    assert open_.open and open_.line == "12:00 Day (open)" and not open_.unpaired
    # Every day's breaches, a band short of a responder included, on the day it happens.
    for d in month.days:
        assert all(b.startswith(f"{d.day:%a %Y-%m-%d}") or f"{d.day:%a %Y-%m-%d}" in b
                   for b in d.breaches), d.day
    assert any("(min_staffing)." in b for b in by_day[dt.date(2026, 3, 3)].breaches)
    assert month.open_shifts == 1 and month.unpaired_shifts == 1


def test_moving_an_assignment_is_one_change_and_refused_when_stale(unit: Access,
                                                                     db: Database) -> None:
    from sqlalchemy import select

    from console.errors import UserError
    from console.services.schedule.week import move

    move(unit, 3, 4, 1)
    with db.session_factory() as s:
        assert sorted(s.execute(select(ShiftAssignment.shift_id, ShiftAssignment.staff_id)
                                .where(ShiftAssignment.shift_id.in_([3, 4]))).tuples()) == [
            (4, 1)]
    with pytest.raises(UserError, match="no longer on the shift"):
        move(unit, 3, 4, 1)
    with pytest.raises(UserError, match="Ana Ortiz is already on that shift"):
        move(unit, 2, 4, 1)
    month = month_roster(unit, dt.date(2026, 3, 1))
    assert month.unpaired_shifts == 1 and month.open_shifts == 1  # 3 open, 4 unpaired


def test_the_print_preview_shades_and_lists_breaches_and_unpaired_shifts() -> None:
    """The preview's pages (what Print preview shows) carry what the PDF carries."""
    from console.services.schedule.pairings import pairs as all_pairs
    from console.services.schedule.rules import check
    from console.services.schedule.week import StaffChoice, WeekRoster, WeekShift
    from console.views.roster_print import BREACH, UNPAIRED, roster_html

    away = RosterStaff(2, "Ben Cole", StaffRole.SWORN_OFFICER,
                       away=((dt.date(2026, 3, 2), "court"),))
    r = roster(shift(1, at(0, 8), 8, 1, 2), shift(2, at(1, 8), 8, 1), staff=(ANA, away))
    people = {1: StaffChoice(1, "Ana Ortiz", "Mental-health first responder"),
              2: StaffChoice(2, "Ben Cole", "Sworn officer")}
    week = WeekRoster(r.first, tuple(WeekShift(s.id, s.starts_at, s.ends_at, s.label,
                                               tuple(people[i] for i in s.staff_ids))
                                     for s in r.shifts), tuple(check(r)),
                      tuple(people.values()), tuple(all_pairs(r)))
    html = roster_html([week, week], "Metro")
    assert html.count("roster, week of 02 March 2026") == 2
    assert html.count("page-break-before: always") == 1  # a week a page
    assert html.count(f"bgcolor='{BREACH}'") == 2 and html.count(f"bgcolor='{UNPAIRED}'") == 2
    assert "leave: Ben Cole is rostered on Mon 2026-03-02 08:00-16:00 (Day)" in html
    assert ("pairing: Ana Ortiz is on Tue 2026-03-03 08:00-16:00 (Day) with no "
            "co-responding officer (pairing).") in html
