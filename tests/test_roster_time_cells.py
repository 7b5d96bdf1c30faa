"""Times of day in a roster export as spreadsheets store them: a fraction of a day. A real
XLSX written by openpyxl gives time cells, General-formatted fractions, durations and
24:00 (Excel's day 1); each is read as the time it shows. A CSV's "0.3541" is refused
with the time it would be, because a fraction written out as text has lost precision."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from console.__main__ import main
from console.data.engine import open_database, sqlite_url
from console.data.models import Shift
from console.services.importing.validate import Invalid, _time
from tests.conftest import program_database

HEADER = ["Date", "Badge", "Name", "Shift", "Start", "End"]


def _import(db_path: Path, path: Path,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    code = main(["--db", str(db_path), "roster", "import", str(path), "--json"])
    return code, json.loads(capsys.readouterr().out)


def _shifts(db_path: Path) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    db = open_database(sqlite_url(db_path), create=False)
    try:
        with db.session_factory() as s:
            return {sh.label: (sh.starts_at, sh.ends_at) for sh in s.scalars(select(Shift))}
    finally:
        db.dispose()


def test_xlsx_time_cells_fractions_durations_and_24h_are_read_as_shown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = program_database(tmp_path / "unit.sqlite")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    day = dt.date(2027, 3, 15)
    sheet.append(HEADER)
    sheet.append([day, "A1", "Ana Ruiz", "TIMECELL", dt.time(8, 30), dt.time(16, 30)])
    sheet.append([day, "A2", "Sam Lee", "FORMATTED", 510 / 1440, 990 / 1440])
    sheet["E3"].number_format = sheet["F3"].number_format = "h:mm"
    sheet.append([day, "A3", "Max Diaz", "GENERAL", 0.3541666666666667, 0.6875])  # cleared
    sheet.append([day, "A4", "Ivy Park", "DURATION", dt.timedelta(hours=14),
                  dt.timedelta(hours=22)])
    sheet.append([day, "A5", "Kim Wu", "TOMIDNIGHT", dt.time(16), 1.0])
    sheet["F6"].number_format = "h:mm"  # 24:00 is stored as day 1
    sheet.append([day, "A6", "Lou Ng", "BAD", 1.5, dt.time(16)])  # a day and a half
    path = tmp_path / "roster.xlsx"
    book.save(path)
    code, out = _import(db_path, path, capsys)
    assert code == 1, out
    rejects = [(r["row"], r["reason"]) for r in out["rejects"]]  # type: ignore[attr-defined]
    assert rejects == [(7, "not a time of day: '1.5'")]
    at = dt.datetime.combine
    assert _shifts(db_path) == {
        "TIMECELL": (at(day, dt.time(8, 30)), at(day, dt.time(16, 30))),
        "FORMATTED": (at(day, dt.time(8, 30)), at(day, dt.time(16, 30))),
        "GENERAL": (at(day, dt.time(8, 30)), at(day, dt.time(16, 30))),
        "DURATION": (at(day, dt.time(14)), at(day, dt.time(22))),
        "TOMIDNIGHT": (at(day, dt.time(16)), at(day + dt.timedelta(days=1), dt.time())),
    }
    code, again = _import(db_path, path, capsys)
    assert again["counts"]["inserted"] == 0  # type: ignore[index]


def test_a_csv_fraction_of_a_day_is_refused_with_the_time_it_would_be(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = program_database(tmp_path / "unit.sqlite")
    path = tmp_path / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, ["2027-03-15", "A1", "Ana Ruiz", "DAY", "0.3541",
                                          "16:30"],
                                 ["2027-03-15", "A2", "Sam Lee", "DAY", "08:30", "16:30"]])
    code, out = _import(db_path, path, capsys)
    assert code == 1
    [reject] = out["rejects"]  # type: ignore[misc]
    assert reject["row"] == 2
    assert reject["reason"] == ("not a time of day: '0.3541' looks like a spreadsheet's "
                                "fraction of a day (08:29?); export times as HH:MM")
    assert list(_shifts(db_path)) == ["DAY"]


@given(st.integers(min_value=1, max_value=24 * 60 - 1), st.floats(-0.4, 0.4))
def test_every_minute_stored_as_a_fraction_is_that_minute(minute: int, jitter: float) -> None:
    """Float error a second either way of the minute still reads as the minute."""
    assert _time((minute * 60 + jitter) / 86400) == dt.time(minute // 60, minute % 60)


def test_times_outside_a_day_are_refused() -> None:
    assert isinstance(_time(dt.timedelta(hours=25)), Invalid)
    assert isinstance(_time(dt.date(2027, 3, 15)), Invalid)
    assert _time(dt.timedelta(hours=24)) == dt.time(0)
