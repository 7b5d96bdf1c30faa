"""roster check and coverage on the command line: text, JSON and the exit status."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import insert

from console.__main__ import main
from console.data.engine import open_database, sqlite_url
from console.data.enums import StaffRole
from console.data.models import Call, Shift, ShiftAssignment, StaffMember
from tests.conftest import program_database

D = dt.datetime


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    path = program_database(tmp_path / "roster.sqlite")
    db = open_database(sqlite_url(path), create=False)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(StaffMember).values(
                id=1, program_id=1, staff_key="B1", display_name="Ana Ortiz",
                role=StaffRole.MH_RESPONDER, hired_on=dt.date(2024, 1, 1)))
            for i, (a, b) in enumerate([(D(2026, 3, 2, 14), D(2026, 3, 2, 22)),
                                        (D(2026, 3, 3, 6), D(2026, 3, 3, 14))], start=1):
                conn.execute(insert(Shift).values(id=i, program_id=1, starts_at=a, ends_at=b,
                                                  label="Late" if i == 1 else "Early"))
                conn.execute(insert(ShiftAssignment).values(shift_id=i, staff_id=1))
            conn.execute(insert(Call), [
                dict(id=i, program_id=1, agency_id=1, incident_number=f"I{i}", received_at=at,
                     in_scope=True)
                for i, at in enumerate([D(2026, 3, 2, 15), D(2026, 3, 2, 23),
                                        D(2026, 3, 2, 23, 30)], start=1)])
    finally:
        db.dispose()
    return path


def test_roster_check_exits_one_with_the_breach(roster_file: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(roster_file), "roster", "check", "--from", "2026-03-02",
            "--to", "2026-03-08"]
    assert main([*args, "--json"]) == 1
    [breach] = json.loads(capsys.readouterr().out)
    assert breach["rule"] == "rest" and breach["staff"] == "Ana Ortiz"
    assert breach["shift"] == "Tue 2026-03-03 06:00-14:00 (Early)"
    assert breach["explanation"].startswith("Ana Ortiz has 8 h of rest between ")
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out.startswith("1 breach of the roster rules, 2026-03-02 to 2026-03-08:")
    assert main(["--db", str(roster_file), "roster", "check", "--from", "2026-03-02",
                 "--to", "2026-03-02"]) == 0
    assert "keeps every rule" in capsys.readouterr().out


def test_coverage_json_and_text(roster_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(roster_file), "coverage", "--from", "2026-03-02", "--to", "2026-03-03"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["demand_calls"] == 3 and data["demand_covered_share"] == pytest.approx(0.3333)
    assert data["staffed_hours"] == 16 and data["after_hours_hours"] == 6  # Mon 18-22, Tue 06-08
    assert data["uncovered_hours"] == [{"weekday": "Mon", "hour": 23, "calls": 2}]
    assert main(args) == 0
    assert "Hours of highest uncovered demand: Mon 23:00 (2)." in capsys.readouterr().out


def test_a_backwards_period_is_a_one_line_error(roster_file: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(roster_file), "coverage", "--from", "2026-03-05",
                 "--to", "2026-03-01"]) == 2
    assert "before" in capsys.readouterr().err


def test_roster_rules_are_shown_and_set(roster_file: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(roster_file), "roster"]
    assert main([*base, "rules", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rest_hours"] == 10
    assert main([*base, "rules", "--set", "rest_hours=8", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rest_hours"] == 8
    # With 8 h of rest allowed, the Late-then-Early pair keeps the rule.
    assert main([*base, "check", "--from", "2026-03-02", "--to", "2026-03-08"]) == 0
    capsys.readouterr()
    assert main([*base, "rules", "--set", "rest=8"]) == 2
    assert "NAME one of rest_hours, max_week_hours" in capsys.readouterr().err


def test_roster_suggest_moves_a_shift_to_the_demand(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = program_database(tmp_path / "suggest.sqlite")
    db = open_database(sqlite_url(path), create=False)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(StaffMember).values(
                id=1, program_id=1, staff_key="B1", display_name="Ana Ortiz",
                role=StaffRole.MH_RESPONDER, hired_on=dt.date(2024, 1, 1)))
            conn.execute(insert(Shift).values(id=1, program_id=1, starts_at=D(2026, 6, 2, 8),
                                              ends_at=D(2026, 6, 2, 16), label="Day"))
            conn.execute(insert(ShiftAssignment).values(shift_id=1, staff_id=1))
            conn.execute(insert(Call), [  # Tuesday evenings of the weeks before
                dict(id=i, program_id=1, agency_id=1, incident_number=f"I{i}",
                     received_at=D(2026, 5, 26, 18) - dt.timedelta(weeks=i), in_scope=True)
                for i in range(6)])
    finally:
        db.dispose()
    args = ["--db", str(path), "roster", "suggest", "--from", "2026-06-01", "--to",
            "2026-06-07"]
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == (
        "Move the Tuesday 08:00-16:00 shift to 11:00-19:00: +100% of demand covered")
    assert main([*args, "--json"]) == 0
    [move] = json.loads(capsys.readouterr().out)
    assert move["shift_id"] == 1 and move["gain"] == 1.0


def test_publish_refused_with_a_breach_then_versions_and_diff(
        roster_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(roster_file), "roster"]
    period = ["--from", "2026-03-02", "--to", "2026-03-08"]
    assert main([*base, "publish", *period]) == 2
    assert "not published: Ana Ortiz has 8 h of rest" in capsys.readouterr().err
    assert main([*base, "rules", "--set", "rest_hours=8"]) == 0
    assert main([*base, "publish", *period]) == 0
    assert main([*base, "publish", *period]) == 0
    assert "as version 2" in capsys.readouterr().out
    assert main([*base, "versions", "--json"]) == 0
    assert [v["number"] for v in json.loads(capsys.readouterr().out)] == [1, 2]
    assert main([*base, "diff", "1", "2"]) == 0
    assert capsys.readouterr().out.strip() == "versions 1 and 2 are the same"


def test_templates_then_generate(roster_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(roster_file), "roster"]
    assert main([*base, "template", "Late", "14:00", "8", "xxxxx--", "--requires",
                 "solo follow-up"]) == 0
    assert capsys.readouterr().out.strip() == \
        "Late         14:00 8 h  xxxxx--  needs solo follow-up"
    assert main([*base, "template", "Late", "2pm", "8", "xxxxx--"]) == 2
    period = ["--from", "2026-04-06", "--to", "2026-04-12"]
    assert main([*base, "generate", *period]) == 0
    assert capsys.readouterr().out.startswith("5 open shifts added")
    assert main([*base, "generate", *period]) == 0
    assert capsys.readouterr().out.startswith("0 open shifts added")


def test_minimum_staffing_bands_are_set_on_the_command_line(
        roster_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(roster_file), "roster"]
    assert main([*base, "rules", "--add-minimum", "18", "24", "sworn_officer", "1",
                 "--json"]) == 0
    [band] = json.loads(capsys.readouterr().out)["minimums"]
    assert band == {"id": band["id"], "start_hour": 18, "end_hour": 24,
                    "role": "sworn_officer", "minimum": 1}
    assert main([*base, "check", "--from", "2026-03-02", "--to", "2026-03-02", "--json"]) == 1
    [breach] = json.loads(capsys.readouterr().out)
    assert breach["rule"] == "min_staffing" and "short in 18:00-24:00" in breach["explanation"]
    assert main([*base, "rules", "--remove-minimum", str(band["id"])]) == 0
    assert "minimum " not in capsys.readouterr().out
    assert main([*base, "rules", "--add-minimum", "18", "24", "chef", "1"]) == 2
    assert "ROLE one of sworn_officer" in capsys.readouterr().err


def test_a_trade_on_the_command_line_is_blocked_by_a_breach(
        roster_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(sqlite_url(roster_file), create=False)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(StaffMember).values(
                id=2, program_id=1, staff_key="B2", display_name="Ben Cole",
                role=StaffRole.SWORN_OFFICER, hired_on=dt.date(2024, 1, 1)))
            conn.execute(insert(Shift).values(id=3, program_id=1, starts_at=D(2026, 3, 3, 20),
                                              ends_at=D(2026, 3, 4, 4), label="Night"))
            conn.execute(insert(ShiftAssignment).values(shift_id=3, staff_id=2))
    finally:
        db.dispose()
    base = ["--db", str(roster_file), "roster", "trade"]
    # Ana ends at 14:00 on Tuesday: a night from 20:00 leaves her 6 h of rest.
    assert main([*base, "request", "3", "B2", "B1"]) == 0
    assert capsys.readouterr().out.strip() == "trade 1 requested"
    assert main([*base, "approve", "1"]) == 2
    assert "trade not approved: Ana Ortiz has 6 h of rest" in capsys.readouterr().err
    assert main([*base, "refuse", "1"]) == 0
    assert main(base) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("Ben Cole to Ana Ortiz  Refused")
    assert main([*base, "request", "3", "B2", "B9"]) == 2
    assert "no staff member with badge 'B9'" in capsys.readouterr().err
