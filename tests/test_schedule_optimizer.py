"""The optimizer's suggestions: a hand case, and on random rosters never a new breach and
never less coverage."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from console.data.enums import StaffRole
from console.services.schedule.optimizer import covered_share, optimize
from console.services.schedule.rules import Roster, RosterShift, RosterStaff, RuleValues, check

MON = dt.date(2026, 3, 2)
STAFF = tuple(RosterStaff(i, f"P{i}", StaffRole.MH_RESPONDER) for i in range(1, 5))


def _grid(hours: set[int], weight: float = 1.0) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(weight if h in hours else 0.0 for h in range(24)) for _ in range(7))


def test_a_day_shift_moves_to_the_evening_demand() -> None:
    day = RosterShift(1, dt.datetime(2026, 3, 3, 8), dt.datetime(2026, 3, 3, 16), "Day", (1,))
    roster = Roster(MON + dt.timedelta(days=1), MON + dt.timedelta(days=1), (day,), STAFF)
    demand = _grid({14, 15, 16, 17, 18, 19, 20, 21})
    [s] = optimize(roster, demand, max_moves=1)
    assert (s.new_starts_at, s.new_ends_at) == (dt.datetime(2026, 3, 3, 14),
                                                dt.datetime(2026, 3, 3, 22))
    assert s.sentence == ("move the Tuesday 08:00-16:00 shift to 14:00-22:00: "
                          "+75% of demand covered")


def test_a_move_that_would_cut_rest_is_not_proposed() -> None:
    late = RosterShift(1, dt.datetime(2026, 3, 3, 8), dt.datetime(2026, 3, 3, 16), "Day", (1,))
    early = RosterShift(2, dt.datetime(2026, 3, 4, 6), dt.datetime(2026, 3, 4, 14), "Early",
                        (1,))
    roster = Roster(MON + dt.timedelta(days=1), MON + dt.timedelta(days=1), (late, early),
                    STAFF)
    # Demand at 20:00-24:00 Tuesday: moving the day shift there leaves < 10 h before 06:00.
    suggestions = optimize(roster, _grid({20, 21, 22, 23}), max_moves=1)
    for s in suggestions:
        assert s.new_ends_at <= dt.datetime(2026, 3, 3, 20)  # 10 h before the early shift


@st.composite
def rosters(draw: st.DrawFn) -> tuple[Roster, tuple[tuple[float, ...], ...]]:
    shifts = []
    for i in range(draw(st.integers(1, 6))):
        day = draw(st.integers(0, 6))
        start = draw(st.integers(0, 23))
        length = draw(st.integers(4, 12))
        people = tuple(sorted(draw(st.sets(st.integers(1, 4), min_size=1, max_size=2))))
        at = dt.datetime.combine(MON + dt.timedelta(days=day), dt.time(start))
        shifts.append(RosterShift(i + 1, at, at + dt.timedelta(hours=length), "S", people))
    demand = tuple(tuple(float(draw(st.integers(0, 3))) for _ in range(24)) for _ in range(7))
    rest = draw(st.sampled_from([8, 10, 12]))
    return Roster(MON, MON + dt.timedelta(days=6), tuple(shifts), STAFF,
                  values=RuleValues(rest_hours=rest, max_week_hours=40)), demand


@settings(max_examples=20, deadline=None)
@given(rosters())
def test_suggestions_never_break_a_rule_nor_lower_coverage(
        case: tuple[Roster, tuple[tuple[float, ...], ...]]) -> None:
    roster, demand = case
    before = {(b.rule, b.staff_id, b.shift_id, b.explanation) for b in check(roster)}
    share = covered_share(roster, demand)
    current = roster
    for s in optimize(roster, demand, max_moves=2):
        current = dataclasses.replace(current, shifts=tuple(
            dataclasses.replace(x, starts_at=s.new_starts_at, ends_at=s.new_ends_at)
            if x.id == s.shift_id else x for x in current.shifts))
        assert {(b.rule, b.staff_id, b.shift_id, b.explanation)
                for b in check(current)} <= before
        new_share = covered_share(current, demand)
        assert new_share > share
        assert s.new_ends_at - s.new_starts_at == s.ends_at - s.starts_at
        share = new_share
    assert sum((x.ends_at - x.starts_at for x in current.shifts), dt.timedelta()) == \
        sum((x.ends_at - x.starts_at for x in roster.shifts), dt.timedelta())
