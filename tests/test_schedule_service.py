"""The roster read from the database and checked; coverage on a hand-computed case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from console.data.engine import Database
from console.data.enums import StaffRole
from console.data.models import (
    AuditEntry,
    Call,
    Credential,
    DutyAway,
    Shift,
    ShiftAssignment,
    ShiftRequirement,
    StaffingMinimum,
    StaffLeave,
    StaffMember,
)
from console.data.people_enums import CredentialKind, LeaveKind
from console.data.schedule_enums import DutyAwayKind
from console.errors import UserError
from console.services.access import Access
from console.services.schedule import settings
from console.services.schedule.coverage import ShiftSpan, compute, coverage
from console.services.schedule.roster_service import check_roster
from tests.conftest import program_access_for

D = dt.datetime


@pytest.fixture
def unit(db: Database, tmp_path: Path) -> Access:
    access = program_access_for(db, tmp_path)
    with db.engine.begin() as conn:
        for i, (name, role) in enumerate([("Ana Ortiz", StaffRole.MH_RESPONDER),
                                          ("Ben Cole", StaffRole.SWORN_OFFICER),
                                          ("Ivy Park", StaffRole.INTERN)], start=1):
            conn.execute(insert(StaffMember).values(
                id=i, program_id=1, staff_key=f"B{i}", display_name=name, role=role,
                hired_on=dt.date(2024, 1, 1)))
    return access


def _shift(db: Database, i: int, starts: D, ends: D, *staff: int, label: str = "Day") -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(Shift).values(id=i, program_id=1, starts_at=starts, ends_at=ends,
                                          label=label))
        for s in staff:
            conn.execute(insert(ShiftAssignment).values(shift_id=i, staff_id=s))


def test_roster_check_reads_leave_court_credentials_and_minimums(db: Database,
                                                                 unit: Access) -> None:
    _shift(db, 1, D(2026, 3, 2, 14), D(2026, 3, 2, 22), 1, 2, label="Late")
    _shift(db, 2, D(2026, 3, 3, 6), D(2026, 3, 3, 14), 1)  # 8 h after: short rest
    _shift(db, 3, D(2026, 3, 4, 8), D(2026, 3, 4, 16), 2)  # Ben at court
    _shift(db, 4, D(2026, 3, 5, 8), D(2026, 3, 5, 16), 1)  # Ana on leave Thu-Fri
    with db.engine.begin() as conn:
        conn.execute(insert(DutyAway).values(staff_id=2, day=dt.date(2026, 3, 4),
                                             kind=DutyAwayKind.COURT))
        conn.execute(insert(StaffLeave).values(staff_id=1, kind=LeaveKind.ANNUAL,
                                               starts_on=dt.date(2026, 3, 5),
                                               ends_on=dt.date(2026, 3, 7)))
        conn.execute(insert(ShiftRequirement).values(shift_id=1, credential="solo follow-up"))
        conn.execute(insert(ShiftRequirement).values(shift_id=2, credential="solo follow-up"))
        conn.execute(insert(Credential).values(staff_id=1, kind=CredentialKind.CERTIFICATION,
                                               name="solo follow-up",
                                               issued_on=dt.date(2025, 1, 1),
                                               expires_on=dt.date(2026, 3, 3)))
        conn.execute(insert(StaffingMinimum).values(program_id=1, start_hour=14, end_hour=22,
                                                    role=StaffRole.SWORN_OFFICER, minimum=1))
    # Over Monday only, Ana's credential is valid: no qualification breach on shift 1.
    monday = check_roster(unit, dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    assert monday == []
    breaches = check_roster(unit, dt.date(2026, 3, 2), dt.date(2026, 3, 5))
    got = [(b.rule, b.staff, b.shift_id) for b in breaches]
    assert ("rest", "Ana Ortiz", 2) in got
    assert ("leave", "Ben Cole", 3) in got and ("leave", "Ana Ortiz", 4) in got
    # The credential lapses on Tuesday: not trusted for the period, so shift 1 and 2 fail.
    assert ("qualification", None, 1) in got and ("qualification", None, 2) in got
    assert [b for b in breaches if b.rule == "min_staffing"
            ][0].explanation.startswith("Tue 2026-03-03 14:00-22:00 needs 1 Sworn officer")
    court = next(b for b in breaches if b.shift_id == 3)
    assert court.explanation == ("Ben Cole is rostered on Wed 2026-03-04 08:00-16:00 (Day) but "
                                 "is away on Wed 2026-03-04 (court) (leave).")
    assert "(annual leave)" in next(b for b in breaches if b.shift_id == 4).explanation


def test_rule_values_are_audited_settings(db: Database, unit: Access) -> None:
    _shift(db, 1, D(2026, 3, 2, 14), D(2026, 3, 2, 22), 1)
    _shift(db, 2, D(2026, 3, 3, 6), D(2026, 3, 3, 14), 1)
    assert [b.rule for b in check_roster(unit, dt.date(2026, 3, 2), dt.date(2026, 3, 8))] == \
        ["rest"]
    settings.set_rule_value(unit, settings.REST_HOURS, 8)
    assert check_roster(unit, dt.date(2026, 3, 2), dt.date(2026, 3, 8)) == []
    with db.session_factory() as s:
        key = "program.1.roster_rest_hours"  # the program's own
        assert s.scalar(select(AuditEntry).where(AuditEntry.record_id == key))
    with pytest.raises(UserError, match="out of range"):
        settings.set_rule_value(unit, settings.REST_HOURS, 30)


def _call(i: int, at: D, in_scope: bool | None = True) -> dict[str, object]:
    return dict(id=i, program_id=1, agency_id=1, incident_number=f"I{i}", received_at=at,
                in_scope=in_scope)


def test_coverage_by_hand_across_midnight_and_the_autumn_clock_change(db: Database,
                                                                     unit: Access) -> None:
    # Chicago leaves daylight time at 02:00 on Sunday 1 Nov 2026: the night shift below
    # is 8 h on the clock and 9 h worked.
    _shift(db, 1, D(2026, 10, 31, 22), D(2026, 11, 1, 6), 1, 2, label="Night")
    _shift(db, 2, D(2026, 11, 1, 10), D(2026, 11, 1, 14), 3)  # an intern: covers, not staffed
    _shift(db, 3, D(2026, 11, 2, 16), D(2026, 11, 2, 20), 1)  # Monday: 2 office + 2 after
    calls = [D(2026, 10, 31, 21, 30), D(2026, 10, 31, 23), D(2026, 11, 1, 1, 30),
             D(2026, 11, 1, 6), D(2026, 11, 1, 12), D(2026, 11, 1, 21, 15),
             D(2026, 11, 1, 21, 45)]
    with db.engine.begin() as conn:
        conn.execute(insert(Call), [_call(i, at) for i, at in enumerate(calls, start=1)])
        conn.execute(insert(Call), [_call(20, D(2026, 11, 1, 3), in_scope=False),
                                    _call(21, D(2026, 10, 30, 23))])  # out of scope / period
    c = coverage(unit, dt.date(2026, 10, 31), dt.date(2026, 11, 2))
    assert (c.demand_calls, c.covered_calls) == (7, 3)
    assert c.demand_covered_share == pytest.approx(3 / 7)
    assert c.staffed_hours == 22.0  # 9 + 9 + 4
    assert c.after_hours_hours == 20.0  # all of the weekend night, 18:00-20:00 on Monday
    assert [(u.label, u.calls) for u in c.uncovered_hours] == [
        ("Sun 21:00", 2), ("Sat 21:00", 1), ("Sun 06:00", 1)]
    assert c.staffed_by_hour[6][1] == 4.0  # Sunday 01:00-02:00 lived twice, by two people
    assert sum(map(sum, c.demand_by_hour)) == 7


def test_spring_night_shift_is_seven_hours_and_top_ten_only() -> None:
    zone = ZoneInfo("America/Chicago")
    night = ShiftSpan(D(2026, 3, 7, 22), D(2026, 3, 8, 6), 1, True)
    calls = [D(2026, 3, 9, h) for h in range(24) for _ in range(h + 1)]
    c = compute(calls, [night], dt.date(2026, 3, 7), dt.date(2026, 3, 9), zone)
    assert c.staffed_hours == 7.0
    assert c.demand_covered_share == 0.0
    assert len(c.uncovered_hours) == 10
    assert [u.hour for u in c.uncovered_hours] == list(range(23, 13, -1))
    assert compute([], [], dt.date(2026, 3, 7), dt.date(2026, 3, 9), zone
                   ).demand_covered_share is None


def test_a_trade_that_would_break_a_rule_is_not_approved(db: Database, unit: Access) -> None:
    from console.data.models import ShiftTrade
    from console.data.schedule_enums import TradeStatus
    from console.services.schedule import trades

    today = dt.date(2026, 3, 1)
    _shift(db, 1, D(2026, 3, 2, 14), D(2026, 3, 2, 22), 1, label="Late")  # Ana
    _shift(db, 2, D(2026, 3, 3, 6), D(2026, 3, 3, 14), 2)  # Ben, early next day
    _shift(db, 3, D(2026, 3, 5, 8), D(2026, 3, 5, 16), 2)  # Ben, Thursday
    assert check_roster(unit, dt.date(2026, 3, 2), dt.date(2026, 3, 8)) == []
    # Ben giving Tuesday's early shift to Ana leaves her 8 h of rest: refused, unchanged.
    blocked = trades.request_trade(unit, 2, 2, 1, today)
    with pytest.raises(UserError, match=r"^trade not approved: Ana Ortiz has 8 h of rest "):
        trades.approve_trade(unit, blocked, today)
    with db.session_factory() as s:
        assert s.get(ShiftAssignment, (2, 2)) is not None and s.get(ShiftAssignment, (2, 1)) \
            is None
        assert s.get(ShiftTrade, blocked).status is TradeStatus.REQUESTED  # type: ignore
    trades.refuse_trade(unit, blocked, today)
    # Thursday's shift handed to Ana keeps every rule: approved, the roster changes.
    ok = trades.request_trade(unit, 3, 2, 1, today)
    trades.approve_trade(unit, ok, today)
    with db.session_factory() as s:
        assert s.get(ShiftAssignment, (3, 1)) is not None and s.get(ShiftAssignment, (3, 2)) \
            is None
        decided = s.get(ShiftTrade, ok)
        assert decided is not None and decided.status is TradeStatus.APPROVED
        assert decided.decided_by == "Sgt. Dana Rivera"
    assert [(t.id, t.status) for t in trades.trades(unit)] == [
        (blocked, TradeStatus.REFUSED), (ok, TradeStatus.APPROVED)]
    with pytest.raises(UserError, match="already approved"):
        trades.approve_trade(unit, ok, today)
    with pytest.raises(UserError, match="is not on this shift"):
        trades.request_trade(unit, 3, 2, 1, today)


def test_publishing_keeps_versions_and_shows_their_differences(db: Database,
                                                               unit: Access) -> None:
    from console.services.schedule import versions
    from console.services.schedule.week import assign, unassign

    now = D(2026, 2, 27, 9, 30)
    _shift(db, 1, D(2026, 3, 2, 8), D(2026, 3, 2, 16), 1)
    _shift(db, 2, D(2026, 3, 3, 6), D(2026, 3, 3, 14), 2, label="Early")
    first, last = dt.date(2026, 3, 2), dt.date(2026, 3, 8)
    assert versions.publish(unit, first, last, now) == 1
    unassign(unit, 2, 2)
    assign(unit, 2, 1)
    assert versions.publish(unit, first, last, now) == 2
    assert versions.differences(unit, 1, 2) == [
        "+ Tue 2026-03-03 06:00-14:00 (Early): Ana Ortiz",
        "- Tue 2026-03-03 06:00-14:00 (Early): Ben Cole"]
    rows = versions.versions(unit)
    assert [(v.number, v.published_by, v.assignments) for v in rows] == [
        (1, "Sgt. Dana Rivera", 2), (2, "Sgt. Dana Rivera", 2)]
    # A roster that breaks a rule is not published.
    _shift(db, 3, D(2026, 3, 2, 12), D(2026, 3, 2, 20), 1)
    with pytest.raises(UserError, match=r"^not published: Ana Ortiz is booked on "):
        versions.publish(unit, first, last, now)
    assert len(versions.versions(unit)) == 2
    with pytest.raises(UserError, match="no published version 7"):
        versions.differences(unit, 1, 7)


def test_a_period_is_generated_from_templates_once(db: Database, unit: Access) -> None:
    from console.services.schedule import templates

    templates.add_template(unit, "Day", dt.time(8), 8, "xxxxx--")
    templates.add_template(unit, "Late", dt.time(18), 8.5, "xxxxxxx", ("solo follow-up",))
    with pytest.raises(UserError, match="seven of x and -"):
        templates.add_template(unit, "Bad", dt.time(8), 8, "mon-fri")
    assert [(t.label, t.hours, t.requires) for t in templates.templates(unit)] == [
        ("Day", 8.0, ()), ("Late", 8.5, ("solo follow-up",))]
    # Friday to Monday: Day on Friday and Monday, Late every night (past midnight).
    assert templates.generate(unit, dt.date(2026, 3, 6), dt.date(2026, 3, 9)) == 6
    assert templates.generate(unit, dt.date(2026, 3, 6), dt.date(2026, 3, 9)) == 0
    with db.session_factory() as s:
        shifts = sorted((sh.starts_at, sh.ends_at, sh.label) for sh in s.scalars(select(Shift)))
        needs = s.scalars(select(ShiftRequirement.credential)).all()
    assert shifts[0] == (D(2026, 3, 6, 8), D(2026, 3, 6, 16), "Day")
    assert (D(2026, 3, 7, 18), D(2026, 3, 8, 2, 30), "Late") in shifts
    assert len(needs) == 4
    # Open shifts break the qualification rule until staffed.
    assert {b.rule for b in check_roster(unit, dt.date(2026, 3, 6), dt.date(2026, 3, 9))} == \
        {"qualification"}
