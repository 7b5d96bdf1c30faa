"""The funding_runway early warning: watch a year ahead, warning at 180 days, critical at
90, exact to the as-of day; quiet one day outside each window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import access_for, program_access_for, seed_program
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from console.data import migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.enums import StaffRole
from console.data.funding_enums import FundingKind, RenewalStatus
from console.data.models import Position
from console.services.access import Access
from console.services.funding import sources
from console.services.indicators.engine import evaluate_one
from console.services.indicators.model import Severity

ENDS = dt.date(2027, 3, 15)  # a Monday: windows must not depend on the weekday


@pytest.fixture(scope="module")
def access(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Access]:
    folder = tmp_path_factory.mktemp("runway")
    database = open_database(sqlite_url(folder / "f.sqlite"))
    migrate.upgrade(database)
    with database.engine.begin() as conn:
        seed_program(conn)
        conn.execute(insert(Position).values(id=1, program_id=1, title="Responder",
                                             role=StaffRole.MH_RESPONDER,
                                             authorized_on=dt.date(2023, 1, 1)))
    a = access_for(database, Path(folder))
    sources.add_source(a, sources.SourceEdit(
        "State grant", FundingKind.STATE, 10_000_000, dt.date(2023, 1, 1), ENDS,
        RenewalStatus.PENDING, positions=((1, 100),)))
    yield a
    database.dispose()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=420))
def test_date_windows(access: Access, days_left: int) -> None:
    e = evaluate_one(access, "funding_runway", ENDS - dt.timedelta(days=days_left))
    expected = (Severity.CRITICAL if days_left <= 90 else Severity.WARNING
                if days_left <= 180 else Severity.WATCH if days_left <= 365 else Severity.OK)
    assert e.severity is expected and e.value == days_left


@pytest.mark.parametrize(("days_left", "severity"), [
    (90, Severity.CRITICAL), (91, Severity.WARNING), (180, Severity.WARNING),
    (181, Severity.WATCH), (365, Severity.WATCH), (366, Severity.OK)])
def test_the_boundaries(access: Access, days_left: int, severity: Severity) -> None:
    e = evaluate_one(access, "funding_runway", ENDS - dt.timedelta(days=days_left))
    assert e.severity is severity
    if severity >= Severity.WARNING:
        assert "State grant ends 15 Mar 2027 (renewal pending)" in e.explanation


def test_nothing_to_judge_without_funding_records(db: Database, tmp_path: Path) -> None:
    e = evaluate_one(program_access_for(db, tmp_path), "funding_runway", dt.date(2026, 12, 1))
    assert e.severity is Severity.OK and e.value is None
