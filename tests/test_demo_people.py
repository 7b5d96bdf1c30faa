"""The demo program's people: leave, separations with reasons, credentials (two lapsing
soon), a bench with one thin role, two partner programs with three cohorts, a pipeline
that thins out in the erosion, and the calls and shifts drawn exactly as before."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from console.data import migrate
from console.data.engine import open_database, sqlite_url
from console.data.identity import unlock
from console.data.people_enums import ProtectedRole, Stage
from console.services.access import Access, Actor
from console.services.demo import demo_timeline, generate_demo
from console.services.demo import generate as demo_generate
from console.services.people import bench, pipeline, staffing
from console.services.people.overview import pipeline_overview
from tests.conftest import DEMO_END


def test_two_credentials_lapse_within_60_days(demo_access: Access) -> None:
    rows = staffing.lapsing(demo_access, DEMO_END)
    assert sorted(r.credential for r in rows) == ["CIT 40-hour certification",
                                                  "First aid and CPR"]
    assert all(r.state == "lapsing" for r in rows)


def test_leave_and_separations_with_reasons(demo_access: Access) -> None:
    leave = staffing.leave_list(demo_access)
    assert len(leave) > 20
    assert any(r.starts_on > DEMO_END for r in leave)  # a planned leave the forecast sees
    gone = staffing.separations(demo_access)
    assert gone and all(r.reason is not None for r in gone)


def test_the_clinical_leads_bench_thins_in_the_erosion(demo_access: Access) -> None:
    roles = {r.role: r for r in bench.bench(demo_access, DEMO_END)}
    assert [r for r, b in roles.items() if b.thin] == [ProtectedRole.CLINICAL_LEAD]
    assert roles[ProtectedRole.SWORN_SUPERVISOR].holder is not None
    lead = demo_timeline(DEMO_END).leadership_change
    before = bench.bench(demo_access, lead - dt.timedelta(days=1))
    assert not [b for b in before if b.thin]  # the responder who left was one of two


def test_two_partners_three_cohorts_and_a_pipeline_that_thins(demo_access: Access) -> None:
    assert len(pipeline.partners(demo_access)) == 2
    overview = pipeline_overview(demo_access, DEMO_END)
    cohorts = {c.group: c for c in overview.by_cohort}
    assert list(cohorts) == ["2024-25", "2025-26", "2026-27"]
    first, last = cohorts["2024-25"], cohorts["2026-27"]
    assert last.candidates < first.candidates / 2 and first.hired == 2
    assert cohorts["2025-26"].hired == 0  # no offers under the hiring freeze
    assert cohorts["2025-26"].decided == cohorts["2025-26"].candidates  # all gone
    lead = demo_timeline(DEMO_END).leadership_change
    left = [c for c in pipeline.board(demo_access, DEMO_END)
            if c.stage is Stage.WITHDRAWN and c.stage_since >= lead]
    assert len(left) >= 2
    f = overview.forecast
    assert f.covered < f.expected_vacancies
    assert f.sentence == "the pipeline covers 0 of the 3 vacancies expected by June 2027"


def _tables(path: Path, tables: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    """Rows as stored; people by id and key only (names are sealed, never twice alike)."""
    con = sqlite3.connect(path)
    columns = {"person": "id, person_key"}
    try:
        return {t: con.execute(f'SELECT {columns.get(t, "*")} FROM "{t}" ORDER BY 1').fetchall()
                for t in tables}
    finally:
        con.close()


def _small(path: Path) -> None:
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    access = Access(db.session_factory, Actor.system("demo"), unlock(db, create_demo=True).vault)
    generate_demo(access, years=1, seed=11, end=dt.date(2025, 3, 1), calls_total=1500)
    db.dispose()


def test_people_leave_the_calls_and_shifts_as_they_were(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _small(tmp_path / "with.sqlite")
    monkeypatch.setattr(demo_generate, "write_people", lambda *args: None)
    _small(tmp_path / "without.sqlite")
    tables = ("call", "call_responder", "shift", "shift_assignment", "person", "program_event",
              "position_assignment")
    assert _tables(tmp_path / "with.sqlite", tables) == _tables(tmp_path / "without.sqlite",
                                                               tables)
    assert _tables(tmp_path / "with.sqlite", ("candidate",))["candidate"]
