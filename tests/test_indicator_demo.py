"""The demo program's story, told by the indicators: as of its last day the erosion
episode is flagged by the indicators it should trigger and by no other; the day before
the episode nothing is above watch. On several seeds, not only the README's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import DEMO_END

from console.__main__ import main
from console.data import migrate
from console.data.engine import open_database, sqlite_url
from console.data.identity import unlock
from console.services.access import Access, Actor
from console.services.demo import generate_demo
from console.services.demo.timeline import demo_timeline
from console.services.indicators.engine import evaluate_all
from console.services.indicators.model import Severity

# What the episode does (DESIGN.md): patrol stops asking, visibility work stops, the late
# shift is cut, a responder leaves and the position stays vacant in a hiring freeze; the
# responder was one of the clinical lead's two ready successors, and the intern pipeline
# empties (no offers in the freeze, half the applicants leave). And the state grant that
# pays two responders ends within six months, its renewal still pending: a date window,
# at watch from a year before (so before the leadership change), not caused by it. And a
# provider of the network stops answering its night line (provider_after_hours).
EPISODE = {"patrol_requests", "requesting_officers", "visibility_events",
           "after_hours_hours", "vacancy_age", "bench_ready", "pipeline_cover",
           "funding_runway", "provider_after_hours"}
DATE_WINDOWS = {"funding_runway"}
SEEDS = (1, 2, 3, 7)


def _demo(folder: Path, seed: int) -> Path:
    path = folder / f"demo-{seed}.sqlite"
    database = open_database(sqlite_url(path))
    try:
        migrate.upgrade(database)
        vault = unlock(database, create_demo=True).vault
        generate_demo(Access(database.session_factory, Actor.system("demo"), vault),
                      seed=seed, end=DEMO_END)
    finally:
        database.dispose()
    return path


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def demo_access(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = _demo(tmp_path_factory.mktemp("demo"), request.param)
    database = open_database(sqlite_url(path), create=False)
    yield Access(database.session_factory, Actor.system("test"), unlock(database).vault)
    database.dispose()


def test_the_episode_is_flagged_by_its_indicators_and_no_other(demo_access: Access) -> None:
    evaluations = evaluate_all(demo_access, DEMO_END)
    flagged = {e.id for e in evaluations if e.severity >= Severity.WARNING}
    assert flagged == EPISODE, {e.id: e.severity.key for e in evaluations}
    lead = demo_timeline(DEMO_END).leadership_change
    for e in evaluations:
        if e.id in EPISODE - DATE_WINDOWS:
            assert e.flagged_since is not None and e.flagged_since >= lead - dt.timedelta(weeks=1)


def test_nothing_is_above_watch_the_day_before_the_episode(demo_access: Access) -> None:
    lead = demo_timeline(DEMO_END).leadership_change
    evaluations = evaluate_all(demo_access, lead - dt.timedelta(days=1))
    assert max(e.severity for e in evaluations) <= Severity.WATCH, \
        {e.id: e.severity.key for e in evaluations if e.severity > Severity.WATCH}


def test_explanations_name_the_leadership_change(demo_access: Access) -> None:
    patrol = next(e for e in evaluate_all(demo_access, DEMO_END) if e.id == "patrol_requests")
    assert "New chief of police sworn in" in patrol.explanation
    assert "fewer officers asked for the unit" in patrol.explanation


def test_indicators_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _demo(tmp_path, 7)
    code = main(["--db", str(path), "indicators", "--as-of", DEMO_END.isoformat(), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and isinstance(out, list) and len(out) >= 11
    for item in out:
        assert {"id", "severity", "value", "baseline", "explanation", "flagged_since"} <= set(item)
        assert item["severity"] in ("ok", "watch", "warning", "critical")
        assert item["flagged_since"] is None or dt.date.fromisoformat(item["flagged_since"])
        assert (item["flagged_since"] is None) == (item["severity"] == "ok")
        assert item["value"] is None or isinstance(item["value"], float | int)
    assert [i["severity"] for i in out] == sorted(
        (i["severity"] for i in out), key=("critical", "warning", "watch", "ok").index)
    code = main(["--db", str(path), "indicators", "--as-of", DEMO_END.isoformat()])
    text = capsys.readouterr().out
    assert code == 0 and text.splitlines()[0].startswith("critical")


def test_indicators_refuses_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "x.sqlite"), "indicators", "--as-of", "3/12/2026"])
    assert exit_.value.code == 2
    assert "'3/12/2026' is not a date: write YYYY-MM-DD" in capsys.readouterr().err
