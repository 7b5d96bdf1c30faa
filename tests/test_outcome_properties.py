"""The outcome and repeat-call rules against a brute-force reference, on random sets of
calls (hypothesis) written into a real SQLite database: every rule that has a space of
inputs (periods, the 30/90-day windows, dispositions, scope, who attended) is checked
call by call in plain Python, the way the README and DESIGN.md word it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import access_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from test_outcomes import Calls, new_program

from console.data.engine import Database
from console.data.enums import Activation, Disposition
from console.data.models import Call, call_responder
from console.services.access import Access, Action
from console.services.outcomes_service import (
    CUSTODY,
    ED,
    FORCE,
    HOLDS,
    INJURY,
    NOT_FOUND,
    PATROL_HOURS,
    RESOLVED,
    RESOLVED_DISPOSITIONS,
    Kind,
    outcome_report,
)
from console.services.populations import Period
from console.services.repeat_calls_service import REPEAT_WINDOWS, repeat_rates

START = dt.datetime(2025, 1, 1)
PEOPLE = 4
EXAMPLES = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@dataclass(frozen=True)
class RandomCall:
    at: dt.datetime
    activation: Activation | None
    responder: bool
    in_scope: bool | None
    disposition: Disposition | None
    person: int | None  # index into the people, 0..PEOPLE-1
    force: bool
    injured: bool
    cleared: dt.datetime | None
    patrol: dt.datetime | None

    @property
    def attended(self) -> bool:
        return self.activation is not None or self.responder

    @property
    def crisis(self) -> bool:
        return self.activation is not Activation.FOLLOW_UP


@st.composite
def random_call(draw: st.DrawFn) -> RandomCall:
    # Whole days and three hours of the day: calls exactly 30 or 90 days apart, on the
    # first or last day of a period, or at midnight, come up often.
    at = START + dt.timedelta(days=draw(st.integers(0, 130)), hours=draw(st.sampled_from(
        [0, 10, 23])))
    minutes = st.one_of(st.none(), st.integers(0, 240))
    cleared, patrol = draw(minutes), draw(minutes)
    return RandomCall(
        at=at,
        activation=draw(st.one_of(st.none(), st.sampled_from(list(Activation)))),
        responder=draw(st.booleans()),
        in_scope=draw(st.sampled_from([True, False, None])),
        disposition=draw(st.one_of(st.none(), st.sampled_from(list(Disposition)))),
        person=draw(st.one_of(st.none(), st.integers(0, PEOPLE - 1))),
        force=draw(st.booleans()),
        injured=draw(st.booleans()),
        cleared=None if cleared is None else at + dt.timedelta(minutes=cleared),
        patrol=None if patrol is None else at + dt.timedelta(minutes=patrol),
    )


@st.composite
def random_period(draw: st.DrawFn) -> Period:
    days = st.one_of(st.none(), st.integers(0, 130).map(lambda d: (START + dt.timedelta(d)).date()))
    start, end = draw(days), draw(days)
    if start and end and start > end:
        start, end = end, start
    return Period(start, end)


@dataclass
class World:
    access: Access
    people: list[int]

    def write(self, calls: list[RandomCall]) -> None:
        """Replace every call with these (the program and people stay)."""
        with self.access.writing(Action.EDIT_CALLS) as s:
            conn = s.connection()
            conn.execute(delete(call_responder))
            conn.execute(delete(Call))
        rows = Calls(self.access)
        for c in calls:
            rows.add(c.at, c.activation, responder=c.responder, in_scope=c.in_scope,
                     disposition=c.disposition, cleared=c.cleared, patrol=c.patrol,
                     person=None if c.person is None else self.people[c.person],
                     force=c.force, subject_injured=c.injured)
        if rows.rows:
            rows.write()


@pytest.fixture
def world(db: Database, tmp_path: Path) -> Iterator[World]:
    """One SQLite database for all the examples of a test; each example replaces its calls."""
    from console.services.people_service import record_person

    access = access_for(db, tmp_path)
    new_program(access)
    yield World(access, [record_person(access, f"Person {i}") for i in range(PEOPLE)])


def in_period(c: RandomCall, period: Period) -> bool:
    return ((period.start is None or c.at.date() >= period.start)
            and (period.end is None or c.at.date() <= period.end))


def assert_share(value: float | None, out_of: int) -> None:
    """A rate is a share between 0 and 1, and None with nothing to divide by."""
    if out_of:
        assert value is not None and 0 <= value <= 1
    else:
        assert value is None


# --- Repeat calls within 30 and 90 days ---------------------------------------------------


@EXAMPLES
@given(calls=st.lists(random_call(), max_size=25), period=random_period())
def test_repeat_rates_match_a_call_by_call_count(world: World, calls: list[RandomCall],
                                                 period: Period) -> None:
    world.write(calls)
    rates = repeat_rates(world.access, period)
    if not calls:
        assert all(m.denominator == 0 and m.value is None for m in rates.measures)
        return
    last = max(c.at for c in calls)
    firsts: dict[int, dt.datetime] = {}  # person: first co-response in the period (crisis)
    for c in sorted(calls, key=lambda c: c.at):
        if c.person is not None and c.attended and c.crisis and in_period(c, period):
            firsts.setdefault(c.person, c.at)
    blank = sum(1 for c in calls if c.person is None and c.attended and c.crisis
                and in_period(c, period))
    for days in REPEAT_WINDOWS:
        window = dt.timedelta(days=days)
        followed = [p for p, first in firsts.items() if first + window <= last]
        repeated = [p for p in followed if any(
            c.person == p and c.crisis and firsts[p] < c.at <= firsts[p] + window
            for c in calls)]
        m = rates.measure(days)
        assert (m.numerator, m.denominator, m.blank) == (len(repeated), len(followed), blank)
        too_recent = len(firsts) - len(followed)
        assert m.note.startswith(f"{too_recent:,} {'person' if too_recent == 1 else 'people'}")
        assert_share(m.value, len(followed))
        # The months of first contact add up to the period.
        by_month = [dict(zip(REPEAT_WINDOWS, ms, strict=True))[days] for _, ms in rates.months]
        assert sum(x.numerator for x in by_month) == m.numerator
        assert sum(x.denominator for x in by_month) == m.denominator


# --- The headline measures -------------------------------------------------------------


@EXAMPLES
@given(calls=st.lists(random_call(), max_size=25), period=random_period())
def test_outcome_measures_match_a_call_by_call_count(world: World, calls: list[RandomCall],
                                                     period: Period) -> None:
    world.write(calls)
    report = outcome_report(world.access, period)
    here = [c for c in calls if in_period(c, period)]
    crisis = [c for c in here if c.crisis]
    unit = [c for c in crisis if c.attended]  # co-responses
    patrol = [c for c in crisis if not c.attended and c.in_scope is True]  # the comparison

    assert report.intake.calls == len(here)
    assert report.intake.follow_up_visits == len(here) - len(crisis)
    assert report.intake.co_responses == len(unit)
    assert report.intake.in_scope == sum(1 for c in crisis if c.in_scope is True)
    assert report.intake.in_scope_attended == sum(1 for c in unit if c.in_scope is True)

    def usable(group: list[RandomCall]) -> list[RandomCall]:
        return [c for c in group if c.disposition is not None and c.disposition != NOT_FOUND]

    blank = sum(1 for c in unit if c.disposition is None)
    for key, wanted in ((RESOLVED, RESOLVED_DISPOSITIONS),
                        (CUSTODY, {Disposition.ARREST}),
                        (HOLDS, {Disposition.INVOLUNTARY_HOLD}),
                        (ED, {Disposition.ED_TRANSPORT})):
        m = report.measure(key)
        assert m.kind is Kind.RATE
        assert (m.numerator, m.denominator, m.blank) == (
            sum(1 for c in usable(unit) if c.disposition in wanted), len(usable(unit)), blank)
        assert m.comparison == (sum(1 for c in usable(patrol) if c.disposition in wanted),
                                len(usable(patrol)))
        # Usable calls and blank ones never exceed the co-responses; rates are shares.
        assert m.denominator + m.blank <= len(unit)
        assert_share(m.value, m.denominator)
        assert_share(m.comparison_rate, len(usable(patrol)))

    for key, flag in ((FORCE, "force"), (INJURY, "injured")):
        m = report.measure(key)
        assert (m.numerator, m.denominator) == (
            sum(1 for c in unit if getattr(c, flag)), len(unit))
        assert m.comparison == (sum(1 for c in patrol if getattr(c, flag)), len(patrol))

    returned = [max((c.cleared - c.patrol).total_seconds(), 0) / 3600
                for c in unit if c.cleared is not None and c.patrol is not None]
    hours = report.measure(PATROL_HOURS)
    assert (hours.denominator, hours.blank) == (len(returned), len(unit) - len(returned))
    assert hours.value == pytest.approx(sum(returned))

    # The disposition mix: every crisis call, with the unit or without it.
    for rows, group in ((report.mix.attended, unit),
                        (report.mix.without_unit, [c for c in crisis if not c.attended])):
        expected = {d: sum(1 for c in group if c.disposition == d)
                    for d in (*Disposition, None)}
        assert dict(rows) == {d: n for d, n in expected.items() if n}
    # The months add up to the period.
    assert sum(m.intake.calls for m in report.months) == report.intake.calls
    for key in (RESOLVED, FORCE, PATROL_HOURS):
        assert sum(m.measure(key).denominator for m in report.months) == \
            report.measure(key).denominator
