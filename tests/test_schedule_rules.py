"""Each roster rule on hand-built rosters: the breach found, its sentence, and the boundary."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from console.data.enums import StaffRole
from console.services.schedule.rules import (
    Minimum,
    Roster,
    RosterShift,
    RosterStaff,
    RuleValues,
    check,
)

ANA = RosterStaff(1, "Ana Ortiz", StaffRole.MH_RESPONDER, credentials=("solo follow-up",))
BEN = RosterStaff(2, "Ben Cole", StaffRole.SWORN_OFFICER)
MON = dt.date(2026, 3, 2)  # a Monday


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MON + dt.timedelta(days=day), dt.time(hour, minute))


def shift(i: int, start: dt.datetime, hours: float, *staff: int, label: str = "Day",
          requires: tuple[str, ...] = ()) -> RosterShift:
    return RosterShift(i, start, start + dt.timedelta(hours=hours), label, staff, requires)


def roster(*shifts: RosterShift, days: int = 7, staff: tuple[RosterStaff, ...] = (ANA, BEN),
           minimums: tuple[Minimum, ...] = (), values: RuleValues | None = None,
           first: dt.date = MON) -> Roster:
    return Roster(first, first + dt.timedelta(days=days - 1), shifts, staff, minimums,
                  values=values or RuleValues())


def rules(r: Roster) -> list[str]:
    return [b.rule for b in check(r)]


def test_a_clean_roster_has_no_breach() -> None:
    assert check(roster(shift(1, at(0, 8), 8, 1, 2), shift(2, at(1, 8), 8, 1, 2))) == []


def test_rest_exactly_ten_hours_is_fine_and_less_is_a_breach() -> None:
    ok = roster(shift(1, at(0, 14), 8, 1, label="Late"), shift(2, at(1, 8), 8, 1))
    assert check(ok) == []
    short = roster(shift(1, at(0, 14), 8, 1, label="Late"), shift(2, at(1, 7, 30), 8, 1))
    [b] = check(short)
    assert (b.rule, b.staff, b.shift_id) == ("rest", "Ana Ortiz", 2)
    assert b.explanation == (
        "Ana Ortiz has 9.5 h of rest between Mon 2026-03-02 14:00-22:00 (Late) and "
        "Tue 2026-03-03 07:30-15:30 (Day), under the minimum of 10 h (rest).")


def test_rest_counts_real_hours_across_the_autumn_clock_change() -> None:
    # 1 Nov 2026, Chicago: clocks go back at 02:00, so 23:00 to 08:00 is 10 real hours.
    sunday = dt.date(2026, 11, 1)
    late = RosterShift(1, dt.datetime(2026, 10, 31, 15), dt.datetime(2026, 10, 31, 23), "Late",
                       (1,))
    early = RosterShift(2, dt.datetime(2026, 11, 1, 8), dt.datetime(2026, 11, 1, 16), "Day", (1,))
    assert check(roster(late, early, first=sunday - dt.timedelta(days=1))) == []


def test_double_booking_names_both_shifts() -> None:
    [b] = check(roster(shift(1, at(0, 8), 8, 2), shift(2, at(0, 15), 8, 2, label="Late")))
    assert b.rule == "double_booking" and b.staff == "Ben Cole"
    assert "Ben Cole is booked on Mon 2026-03-02 15:00-23:00 (Late) while still on " \
           "Mon 2026-03-02 08:00-16:00 (Day)" in b.explanation
    # Back to back is not a double booking (rest is judged by its own rule).
    assert rules(roster(shift(1, at(0, 8), 8, 2), shift(2, at(0, 16), 8, 2),
                        values=RuleValues(rest_hours=0))) == []


def test_week_hours_over_sixty_flag_the_shift_that_crosses() -> None:
    exactly = roster(*(shift(i, at(i, 8), 12, 1) for i in range(5)))  # 60 h
    assert check(exactly) == []
    over = roster(*(shift(i, at(i, 8), 12, 1) for i in range(5)), shift(9, at(5, 8), 4, 1))
    [b] = check(over)
    assert (b.rule, b.shift_id) == ("max_week_hours", 9)
    assert b.explanation == ("Ana Ortiz works 64 h in the week of 2026-03-02 with "
                             "Sat 2026-03-07 08:00-12:00 (Day), over the maximum of 60 h a "
                             "week (max_week_hours).")


def test_period_hours_count_overtime() -> None:
    values = RuleValues(max_week_hours=0, max_period_hours=90, period_normal_hours=80)
    # Pay periods start on Mondays fortnightly from 2024-01-01; 2026-03-09 starts one.
    first = MON + dt.timedelta(days=7)
    shifts = [shift(i, at(7 + i, 7), 10, 2) for i in range(9)]
    assert check(roster(*shifts, days=14, values=values, first=first)) == []  # 90 h: the limit
    [b] = check(roster(*shifts, shift(20, at(17, 7), 4, 2), days=14, values=values,
                       first=first))
    assert b.rule == "max_period_hours" and b.staff == "Ben Cole"
    assert "94 h in the pay period 2026-03-09 to 2026-03-22" in b.explanation
    assert "(14 h of it overtime beyond 80 h)" in b.explanation


def test_qualification_names_who_is_on() -> None:
    need = ("solo follow-up",)
    assert check(roster(shift(1, at(0, 8), 8, 1, 2, requires=need))) == []
    [b] = check(roster(shift(1, at(0, 8), 8, 2, requires=need)))
    assert b.rule == "qualification" and b.staff is None and b.shift_id == 1
    assert b.explanation == ("Mon 2026-03-02 08:00-16:00 (Day) needs someone holding "
                             "'solo follow-up', but Ben Cole does not (qualification).")


def test_leave_and_court_days_are_respected() -> None:
    away = RosterStaff(2, "Ben Cole", StaffRole.SWORN_OFFICER,
                       away=((MON + dt.timedelta(days=1), "court"),))
    staff = (ANA, away)
    assert check(roster(shift(1, at(0, 8), 8, 2), staff=staff)) == []
    # A night shift from Monday into Tuesday touches the court day.
    [b] = check(roster(shift(1, at(0, 22), 8, 2, label="Night"), staff=staff))
    assert b.rule == "leave"
    assert b.explanation == ("Ben Cole is rostered on Mon 2026-03-02 22:00-06:00 (Night) but "
                             "is away on Tue 2026-03-03 (court) (leave).")


def test_minimum_staffing_names_the_short_hours() -> None:
    mins = (Minimum(8, 20, StaffRole.MH_RESPONDER, 1),)
    full = roster(shift(1, at(0, 8), 12, 1), days=1, minimums=mins)
    assert check(full) == []
    [b] = check(roster(shift(1, at(0, 8), 10, 1), days=1, minimums=mins))
    assert b.rule == "min_staffing"
    assert b.explanation == ("Mon 2026-03-02 08:00-20:00 needs 1 Mental-health first "
                             "responder on shift every hour, but it is short in 18:00-20:00 "
                             "(on in the band: Ana Ortiz) (min_staffing).")
    # A band past midnight is read across the two days.
    night = (Minimum(22, 6, StaffRole.SWORN_OFFICER, 1),)
    assert check(roster(shift(1, at(0, 22), 8, 2), days=1, minimums=night)) == []
    [b] = check(roster(shift(1, at(0, 22), 6, 2), days=1, minimums=night))
    assert "short in 04:00-06:00 (on in the band: Ben Cole)" in b.explanation


@given(rest=st.integers(min_value=1, max_value=16), gap_minutes=st.integers(0, 20 * 60))
def test_rest_breach_exactly_when_gap_is_under_the_minimum(rest: int, gap_minutes: int) -> None:
    first = shift(1, at(0, 6), 8, 1)
    second = RosterShift(2, first.ends_at + dt.timedelta(minutes=gap_minutes),
                         first.ends_at + dt.timedelta(minutes=gap_minutes, hours=8), "B", (1,))
    found = rules(roster(first, second, values=RuleValues(rest_hours=rest)))
    assert found == (["rest"] if gap_minutes < rest * 60 else [])


def test_double_booking_is_seen_past_a_short_shift_in_between() -> None:
    long = shift(1, at(0, 8), 12, 1, label="Long")
    short = shift(2, at(0, 9), 1, 1, label="Brief")
    later = shift(3, at(0, 11), 1, 1, label="Meeting")
    found = [(b.rule, b.shift_id) for b in check(roster(long, short, later))]
    assert found == [("double_booking", 2), ("double_booking", 3)]
    assert "while still on Mon 2026-03-02 08:00-20:00 (Long)" in check(
        roster(long, short, later))[1].explanation
