"""A scheduling system's roster export through the shared importer: shifts, days off,
staff added to complete, row rejects, and a second import that changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from console.__main__ import main
from console.data.engine import open_database, sqlite_url
from console.data.enums import StaffRole
from console.data.models import DutyAway, Shift, ShiftAssignment, StaffLeave, StaffMember
from console.data.schedule_enums import DutyAwayKind
from tests.conftest import program_database

# As a scheduling system prints it: US dates, 12-hour times, a name column, leave codes.
EXPORT = [
    ["Work Date", "Employee ID", "Employee Name", "Shift", "Start Time", "End Time",
     "Leave Code"],
    ["03/15/2027", "C-12", "Ruiz, Ana", "DAY", "8:00 AM", "4:00 PM", ""],
    ["03/15/2027", "4417", "Lee, Sam", "DAY", "8:00 AM", "4:00 PM", ""],
    ["03/15/2027", "5120", "Diaz, Max", "NIGHT", "10:00 PM", "6:00 AM", ""],  # unknown
    ["03/16/2027", "C-12", "Ruiz, Ana", "", "", "", "VACATION"],
    ["03/17/2027", "4417", "Lee, Sam", "", "", "", "COURT"],
    ["03/18/2027", "4417", "Lee, Sam", "DAY", "25:00", "4:00 PM", ""],  # a bad time
    ["03/19/2027", "", "Nobody", "DAY", "8:00 AM", "4:00 PM", ""],  # no badge
    ["03/20/2027", "C-12", "Ruiz, Ana", "", "", "", "JURY"],  # unknown leave code
]


@pytest.fixture
def export(tmp_path: Path) -> tuple[Path, Path]:
    db_path = program_database(tmp_path / "unit.sqlite")
    db = open_database(sqlite_url(db_path), create=False)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(StaffMember), [
                dict(id=1, program_id=1, staff_key="C-12", display_name="Ana Ruiz",
                     role=StaffRole.MH_RESPONDER, hired_on=dt.date(2022, 9, 12)),
                dict(id=2, program_id=1, staff_key="4417", display_name="Sam Lee",
                     role=StaffRole.SWORN_OFFICER, hired_on=dt.date(2019, 4, 1))])
    finally:
        db.dispose()
    path = tmp_path / "roster-export.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(EXPORT)
    return db_path, path


def _run(db_path: Path, path: Path, capsys: pytest.CaptureFixture[str],
         *extra: str) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    code = main(["--db", str(db_path), "roster", "import", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_roster_import_writes_shifts_days_off_and_new_staff(
        export: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db_path, path = export
    code, dry = _run(db_path, path, capsys, "--dry-run")
    assert code == 1 and dry["dry_run"] is True
    assert dry["counts"]["inserted"] == 5 and dry["counts"]["rejected"] == 3  # type: ignore
    code, out = _run(db_path, path, capsys)
    assert code == 1
    assert out["mapping"]["columns"] == {  # type: ignore[index]
        "day": "Work Date", "staff_key": "Employee ID", "display_name": "Employee Name",
        "shift_name": "Shift", "start": "Start Time", "end": "End Time",
        "leave_type": "Leave Code"}
    assert out["counts"]["inserted"] == 5 and out["staff_added"] == 1  # type: ignore
    reasons = sorted((r["row"], r["reason"].split(":")[0])  # type: ignore[index]
                     for r in out["rejects"])  # type: ignore[attr-defined]
    assert reasons == [(7, "not a time of day"), (8, "no badge or employee number"),
                       (9, "unknown leave type code 'JURY'")]
    db = open_database(sqlite_url(db_path), create=False)
    try:
        with db.session_factory() as s:
            shifts = {(sh.starts_at, sh.ends_at, sh.label): sorted(
                a.staff_id for a in s.scalars(select(ShiftAssignment)
                                              .where(ShiftAssignment.shift_id == sh.id)))
                for sh in s.scalars(select(Shift))}
            max_ = s.scalar(select(StaffMember).where(StaffMember.staff_key == "5120"))
            assert max_ is not None and max_.display_name == "Diaz, Max"
            assert shifts == {
                (dt.datetime(2027, 3, 15, 8), dt.datetime(2027, 3, 15, 16), "DAY"): [1, 2],
                (dt.datetime(2027, 3, 15, 22), dt.datetime(2027, 3, 16, 6), "NIGHT"): [max_.id]}
            [leave] = s.scalars(select(StaffLeave)).all()
            assert (leave.staff_id, leave.starts_on, leave.kind.value) == (
                1, dt.date(2027, 3, 16), "annual")
            [court] = s.scalars(select(DutyAway)).all()
            assert (court.staff_id, court.day, court.kind) == (
                2, dt.date(2027, 3, 17), DutyAwayKind.COURT)
    finally:
        db.dispose()
    code, again = _run(db_path, path, capsys)
    assert again["counts"]["inserted"] == 0 and again["counts"]["unchanged"] == 5  # type: ignore
    assert again["staff_added"] == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "roster", "check", "--from", "2027-03-15",
                 "--to", "2027-03-17"]) == 0  # the imported roster keeps the rules


def test_an_exported_roster_imports_back_the_same(export: tuple[Path, Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db_path, path = export
    _run(db_path, path, capsys)
    xlsx = tmp_path / "roster.xlsx"
    assert main(["--db", str(db_path), "roster", "export", str(xlsx), "--from", "2027-03-15",
                 "--to", "2027-03-21"]) == 0
    assert capsys.readouterr().out.startswith("3 roster rows from 2027-03-15 to 2027-03-21")
    fresh = program_database(tmp_path / "fresh.sqlite")
    code, out = _run(fresh, xlsx, capsys)
    assert code == 0 and out["counts"]["inserted"] == 3 and out["staff_added"] == 3  # type: ignore

    def shifts(db_file: Path) -> set[tuple[dt.datetime, dt.datetime, str, str]]:
        db = open_database(sqlite_url(db_file), create=False)
        try:
            with db.session_factory() as s:
                return {(sh.starts_at, sh.ends_at, sh.label, m.staff_key)
                        for sh, m in s.execute(
                            select(Shift, StaffMember)
                            .join(ShiftAssignment, ShiftAssignment.shift_id == Shift.id)
                            .join(StaffMember, StaffMember.id == ShiftAssignment.staff_id))}
        finally:
            db.dispose()

    assert shifts(fresh) == shifts(db_path)


def test_a_roster_prints_a_week_per_page(export: tuple[Path, Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    db_path, path = export
    _run(db_path, path, capsys)
    pdf = tmp_path / "roster.pdf"
    assert main(["--db", str(db_path), "roster", "export", str(pdf), "--from", "2027-03-15",
                 "--to", "2027-03-28"]) == 0
    assert capsys.readouterr().out.startswith("2 weeks from 2027-03-15 to 2027-03-28")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert "roster, week of 15 March 2027" in pages[0]
    assert "Ruiz, Ana" not in pages[0]  # staff known before keep their own names
    assert "Ana Ruiz" in pages[0] and "Diaz, Max" in pages[0]
    assert "keeps every roster rule" in pages[0]
    assert "roster, week of 22 March 2027" in pages[1]
    assert main(["--db", str(db_path), "roster", "export", str(tmp_path / "r.csv")]) == 2


def test_a_calendar_file_per_person(export: tuple[Path, Path], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    db_path, path = export
    _run(db_path, path, capsys)
    folder = tmp_path / "cal"
    folder.mkdir()
    assert main(["--db", str(db_path), "roster", "calendars", str(folder), "--from",
                 "2027-03-15", "--to", "2027-03-21"]) == 0
    assert capsys.readouterr().out.startswith("3 calendar files written")
    assert sorted(p.name for p in folder.iterdir()) == [
        "ROSTER-4417.ics", "ROSTER-5120.ics", "ROSTER-C-12.ics"]
    cal = Calendar.from_ical((folder / "ROSTER-5120.ics").read_bytes())
    [event] = cal.walk("VEVENT")
    chicago = ZoneInfo("America/Chicago")
    assert event.decoded("dtstart") == dt.datetime(2027, 3, 15, 22, tzinfo=chicago)
    assert event.decoded("dtend") == dt.datetime(2027, 3, 16, 6, tzinfo=chicago)
    assert str(event["summary"]) == "NIGHT shift"
