"""Program scoping: one database holding two whole programs, and nothing of one shows in
the other's pages, measures, indicators or commands (issue 15)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from console.data import migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.enums import EventKind
from console.data.identity import unlock
from console.data.models import Call, Program, ProgramEvent, StaffMember
from console.services import (
    calls_service,
    dashboard_service,
    outcomes_service,
    program_service,
    repeat_calls_service,
    staffing_service,
    stats_service,
)
from console.services.access import Access, Action, Actor
from console.services.complaints import queries as complaint_queries
from console.services.criteria.versions import list_versions
from console.services.demo import generate_demo
from console.services.funding.overview import funding_overview
from console.services.governance.records import governance
from console.services.indicators.engine import evaluate_all
from console.services.people import bench, pipeline, staffing
from console.services.populations import Period
from console.services.program_scope import current_program_id, program_named, programs
from console.services.referrals.providers import list_providers
from console.services.referrals.scorecard import provider_scorecard
from console.services.schedule import coverage, roster_service
from tests.conftest import BACKEND_IDS, BACKENDS, DEMO_END, SUPERVISOR, database_on
from tests.program_copy import copy_program

OFFSET = 1_000_000
SECOND = "Second program"
MONTH = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))


def everything_shown(access: Access) -> dict[str, Any]:
    """What the pages, measures and indicators show, in one comparable dict."""
    year = Period(dt.date(2025, 7, 1), DEMO_END)
    everything = Period()
    page, _cursor = calls_service.fetch_page(access, calls_service.CallQuery(), None, 50)
    return {
        "stats": stats_service.database_stats(access),
        "dashboard": dashboard_service.dashboard_overview(access),
        "outcomes": outcomes_service.outcome_report(access, year),
        "demand": outcomes_service.demand_by_hour_of_week(access, everything),
        "dispositions": outcomes_service.disposition_mix(access, everything),
        "repeat": repeat_calls_service.repeat_rates(access, year),
        "before_after": repeat_calls_service.before_after(access, everything),
        "repeat_people": repeat_calls_service.repeat_people(access, everything, 20),
        "repeat_places": repeat_calls_service.repeat_places(access, everything, 20),
        "calls": calls_service.count_calls(access, calls_service.CallQuery()),
        "call_page": page,
        "indicators": evaluate_all(access, DEMO_END),
        "staffing": staffing.staffing_overview(access, DEMO_END),
        "leave": staffing.leave_list(access),
        "separations": staffing.separations(access),
        "credentials": staffing.credentials(access, DEMO_END),
        "cross_training": staffing.cross_training(access),
        "partners": pipeline.partners(access),
        "board": pipeline.board(access, DEMO_END),
        "evaluations": pipeline.evaluations(access),
        "bench": bench.bench(access, DEMO_END),
        "complaints": complaint_queries.queue(access, today=DEMO_END, include_finished=True),
        "breaches": roster_service.check_roster(access, *MONTH),
        "coverage": coverage.coverage(access, *MONTH),
        "program": program_service.program_summary(access),
        "events": program_service.program_events(access),
        "staff": staffing_service.unit_staff(access),
        "governance": governance(access, DEMO_END),
        "funding": funding_overview(access, DEMO_END),
        "criteria": list_versions(access),
        "providers": list_providers(access),
        "scorecard": provider_scorecard(access, dt.date(2025, 7, 1), DEMO_END),
        "positions": staffing_service.positions_on(access, DEMO_END),
    }


@dataclasses.dataclass
class TwoPrograms:
    db: Database
    access: Access  # unscoped
    first_alone: dict[str, Any]  # what the first program showed before the second came
    first_id: int
    second_id: int
    second_calls: int


@pytest.fixture(scope="module", params=BACKENDS, ids=BACKEND_IDS)
def two(request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoPrograms]:
    folder = tmp_path_factory.mktemp("scope")
    with database_on(request.param, request, folder) as db:
        vault = unlock(db, create_demo=True).vault
        access = Access(db.session_factory, SUPERVISOR, vault)
        generate_demo(access.as_actor(Actor.system("demo")), seed=7, end=DEMO_END,
                      calls_total=4_000)
        first_alone = everything_shown(access)
        other = open_database(sqlite_url(folder / "other.sqlite"))
        try:
            migrate.upgrade(other)
            generate_demo(Access(other.session_factory, Actor.system("demo"),
                                 unlock(other, create_demo=True).vault),
                          seed=3, end=DEMO_END, calls_total=3_000)
            with other.engine.connect() as conn:
                second_calls = conn.scalar(select(func.count()).select_from(Call))
            copy_program(other.engine, db.engine, offset=OFFSET, name=SECOND)
        finally:
            other.dispose()
        first, second = programs(db.session_factory)
        yield TwoPrograms(db, access, first_alone, first.id, second.id, second_calls or 0)


def test_the_second_program_is_there_and_unscoped_queries_would_mix_them(
        two: TwoPrograms) -> None:
    assert [p.name for p in programs(two.db.session_factory)][1] == SECOND
    mixed = calls_service.count_calls(two.access, calls_service.CallQuery())
    assert mixed == two.first_alone["calls"] + two.second_calls


def test_nothing_of_the_second_program_shows_in_the_first(two: TwoPrograms) -> None:
    scoped = dataclasses.replace(two.access, program_id=two.first_id)
    shown = everything_shown(scoped)
    for key, before in two.first_alone.items():
        if key == "stats":  # people are not a program's: one person may meet two units
            assert {t: n for t, n in shown[key].row_counts.items() if t != "person"} \
                == {t: n for t, n in before.row_counts.items() if t != "person"}
        elif key == "outcomes":  # month by month, so a failure names the measure
            for now, then in zip(shown[key].months, before.months, strict=True):
                for m, b in zip(now.measures, then.measures, strict=True):
                    assert m == b, (now.month, m.key)
            assert shown[key] == before, key
        else:
            assert shown[key] == before, key


def test_the_second_program_sees_only_its_own(two: TwoPrograms) -> None:
    scoped = dataclasses.replace(two.access, program_id=two.second_id)
    shown = everything_shown(scoped)
    assert shown["calls"] == two.second_calls
    assert shown["stats"].row_counts["call"] == two.second_calls
    assert shown["stats"].row_counts["program"] == 1
    assert shown["program"].name == SECOND
    assert all(row.id > OFFSET for row in shown["call_page"])
    assert shown["staff"] and all(row.id > OFFSET for row in shown["staff"])
    assert all(e.id > OFFSET for e in shown["events"])
    # every table with rows of the second program counts only those
    mixed = stats_service.database_stats(two.access).row_counts
    for table, count in shown["stats"].row_counts.items():
        assert count <= mixed[table], table


def test_writes_go_to_the_current_program(two: TwoPrograms) -> None:
    scoped = dataclasses.replace(two.access, program_id=two.second_id)
    program_service.add_program_event(scoped, dt.date(2026, 6, 1), EventKind.BRIEFING,
                                      "Scoping check briefing")
    with two.db.session_factory() as session:
        owner = session.scalar(select(ProgramEvent.program_id)
                               .where(ProgramEvent.title == "Scoping check briefing"))
    assert owner == two.second_id
    first = dataclasses.replace(two.access, program_id=two.first_id)
    titles = {e.title for e in program_service.program_events(first)}
    assert "Scoping check briefing" not in titles


def test_current_program_follows_the_choice(two: TwoPrograms) -> None:
    for chosen in (two.first_id, two.second_id):
        with two.db.session_factory() as session:
            session.info["program_id"] = chosen
            assert current_program_id(session) == chosen
            assert session.scalar(select(Program.id)) == chosen
            assert session.scalar(select(func.min(StaffMember.program_id))) == chosen
    with two.db.session_factory() as session:
        assert current_program_id(session) == two.first_id  # none chosen: the oldest


def test_a_program_is_named_in_any_case(two: TwoPrograms) -> None:
    assert program_named(two.db.session_factory, " second PROGRAM ").id == two.second_id
    with pytest.raises(Exception, match="no such program.*Second program"):
        program_named(two.db.session_factory, "Nowhere")


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console", *args], capture_output=True,
                          text=True, timeout=120)


def test_the_command_line_reads_the_program_it_names(two: TwoPrograms) -> None:
    if two.db.engine.dialect.name != "sqlite":
        pytest.skip("the command line's --db is a file; the server case is the same code")
    path = str(two.db.engine.url.database)
    named = _console("--db", path, "--program", SECOND, "stats")
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout)["calls"]["count"] == two.second_calls
    oldest = _console("--db", path, "stats")
    assert oldest.returncode == 0, oldest.stderr
    assert json.loads(oldest.stdout)["calls"]["count"] == two.first_alone["calls"]
    assert "working in program" in oldest.stderr and SECOND in oldest.stderr
    wrong = _console("--db", path, "--program", "Nowhere", "stats")
    assert wrong.returncode != 0
    assert "no such program" in wrong.stderr and "Traceback" not in wrong.stderr


def test_thresholds_and_acknowledgements_stay_with_their_program(two: TwoPrograms) -> None:
    from console.services.indicators import alerts_service
    from console.services.indicators.catalog import BY_ID
    from console.services.indicators.engine import evaluate_one
    from console.services.indicators.model import Thresholds

    first = dataclasses.replace(two.access, program_id=two.first_id)
    second = dataclasses.replace(two.access, program_id=two.second_id)
    fixed = BY_ID["patrol_requests"].thresholds
    mine = Thresholds(fixed.watch + 1, fixed.warning + 1, fixed.critical + 1, fixed.above)
    alerts_service.set_thresholds(second, "patrol_requests", mine)
    try:
        assert evaluate_one(second, "patrol_requests", DEMO_END).thresholds == mine
        assert evaluate_one(first, "patrol_requests", DEMO_END).thresholds == fixed
        flagged = next(e for e in evaluate_all(second, DEMO_END) if e.severity.key != "ok")
        alerts_service.acknowledge(second, flagged, "Seen in the second program")
        with second.reading(Action.VIEW_AGGREGATES) as session:
            assert flagged.id in alerts_service.latest_acknowledgements(session)
        with first.reading(Action.VIEW_AGGREGATES) as session:
            assert flagged.id not in alerts_service.latest_acknowledgements(session)
    finally:
        alerts_service.reset_thresholds(second, "patrol_requests")


def test_an_id_of_the_other_program_is_refused(two: TwoPrograms) -> None:
    """An id kept from the other program (or typed) reads and changes nothing there."""
    from console.data.models import BudgetLine, FundingSource, Provider, UnitCost
    from console.errors import UserError
    from console.services.funding.budget import budget_row
    from console.services.funding.sources import source_row
    from console.services.funding.unit_costs import unit_cost_row
    from console.services.referrals.providers import delete_provider

    first = dataclasses.replace(two.access, program_id=two.first_id)
    second = dataclasses.replace(two.access, program_id=two.second_id)
    reads = [(BudgetLine, budget_row), (FundingSource, source_row), (UnitCost, unit_cost_row)]
    with two.db.session_factory() as session:
        theirs = {cls: session.scalar(select(func.min(cls.id))
                                      .where(cls.program_id == two.second_id))
                  for cls, _read in reads}
        provider = session.scalar(select(func.min(Provider.id))
                                  .where(Provider.program_id == two.second_id))
    for cls, read in reads:
        assert read(second, theirs[cls]) is not None  # its own program reads it
        with pytest.raises(UserError, match="no longer exists"):
            read(first, theirs[cls])
    with pytest.raises(UserError, match="no longer exists"):
        delete_provider(first, provider)
    with two.db.session_factory() as session:
        assert session.get(Provider, provider) is not None


def test_a_program_rule_setting_is_its_own(two: TwoPrograms) -> None:
    """The roster's rest hours, the follow-up window and the fiscal year set in one
    program leave the other's as they were; one saved database-wide before settings were
    per program is read until the program saves its own."""
    from console.data.models import Setting
    from console.services.funding.budget import FISCAL_YEAR_START
    from console.services.referrals.queue import FOLLOW_UP_HOURS
    from console.services.schedule.settings import REST_HOURS
    from console.services.settings_service import IDLE_LOCK_MINUTES, get_int, set_int

    first = dataclasses.replace(two.access, program_id=two.first_id)
    second = dataclasses.replace(two.access, program_id=two.second_id)
    settings = [(REST_HOURS, 12), (FOLLOW_UP_HOURS, 48), (FISCAL_YEAR_START, 10)]
    keys = [s.key for s, _v in settings] + [IDLE_LOCK_MINUTES.key]
    try:
        with two.access.writing(Action.EDIT_SETTINGS, "an older console") as session:
            session.add(Setting(key=REST_HOURS.key, value="11"))
        assert get_int(first, REST_HOURS) == get_int(second, REST_HOURS) == 11
        for setting, value in settings:
            set_int(second, setting, value)
            assert get_int(second, setting) == value
        assert get_int(first, REST_HOURS) == 11
        assert get_int(first, FOLLOW_UP_HOURS) == FOLLOW_UP_HOURS.default
        assert get_int(first, FISCAL_YEAR_START) == FISCAL_YEAR_START.default
        set_int(first, IDLE_LOCK_MINUTES, 5)  # the workstations': the same for both
        assert get_int(second, IDLE_LOCK_MINUTES) == 5
    finally:
        with two.access.writing(Action.EDIT_SETTINGS, "clean up") as session:
            for row in session.scalars(select(Setting)):
                if any(row.key.endswith(k) for k in keys):
                    session.delete(row)
