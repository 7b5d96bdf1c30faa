"""Importing a list of program events through the same importer as calls.

Real CSV and XLSX lists in tmp_path with the faults people make (a bad date, a kind
nobody knows, a blank title, a row pasted twice), real databases (SQLite, and
PostgreSQL given a server). Events are keyed by (program, date, kind, title).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import program_access_for, program_database
from sqlalchemy import select

from console.__main__ import main
from console.data.engine import Database
from console.data.enums import EventKind, UserRole
from console.data.importers.fields import CALLS, PROGRAM_EVENTS, DateOrder, Mapping
from console.data.importers.suggest import suggest_mapping
from console.data.models import ProgramEvent
from console.errors import UserError
from console.services import profiles_service
from console.services.access import Access, Actor, PermissionDenied
from console.services.import_service import import_calls, import_file, survey_file
from console.services.importing.codes import savable_mapping

HEADER = ["Date", "Type", "Title", "Notes"]
ROWS: list[list[Any]] = [
    ["2024-01-08", "Roll call briefing", "North precinct nights", "12 officers"],
    ["2024-01-15", "Ride along", "Sgt. Okafor rode with the unit", ""],
    ["2024-02-02", "In-service", "CIT refresher for patrol", "4 hours"],
    ["2024-02-20", "Office move", "Unit moved to the annex", ""],
    ["2024-13-45", "Briefing", "Bad date", ""],                # row 6: not a date
    ["2024-03-01", "Bake sale", "Fundraiser", ""],             # row 7: unknown kind
    ["2024-03-05", "Briefing", "", "who?"],                    # row 8: no title
    ["2024-01-08", "Roll call briefing", "North precinct nights", "again"],  # 9: duplicate
    ["2024-03-09", "Training", "Verbal de-escalation", ""],
]
GOOD = 5


@pytest.fixture
def program_access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)


def write_csv(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    """Real dates as date cells (the bad one stays text), and a cover sheet first."""
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "About"
    cover.append(["Events of the co-responder unit, kept by the sergeant"])
    cover.append(["Updated", "monthly"])
    sheet = book.create_sheet("Events")
    sheet.append(HEADER)
    for day, kind, title, notes in rows:
        try:
            cell: Any = dt.date.fromisoformat(day)
        except ValueError:
            cell = day
        sheet.append([cell, kind, title or None, notes or None])
    book.save(path)
    return path


def events(access: Access) -> list[tuple[dt.date, EventKind, str, str]]:
    with access.factory() as session:
        return sorted((e.occurred_on, e.kind, e.title, e.notes)
                      for e in session.scalars(select(ProgramEvent)))


def suggested(path: Path) -> Mapping:
    return survey_file(path, kind=PROGRAM_EVENTS).suggested


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_events_list_imports_with_each_bad_row_rejected_and_reimports_nothing(
        program_access: Access, tmp_path: Path, kind: str) -> None:
    path = (write_csv(tmp_path / "events.csv", ROWS) if kind == "csv"
            else write_xlsx(tmp_path / "events.xlsx", ROWS))
    survey = survey_file(path, kind=PROGRAM_EVENTS)
    if kind == "xlsx":
        assert survey.sheet == "Events"  # the sheet that looks like events, not the cover
    mapping = survey.suggested
    assert mapping.kind == "program_events"
    assert mapping.columns == {"occurred_on": "Date", "kind": "Type", "title": "Title",
                               "notes": "Notes"}
    assert "Bake sale" not in mapping.code_map("event_kinds")  # no guessing
    assert mapping.code_map("event_kinds")["Roll call briefing"] is EventKind.BRIEFING

    result = import_file(program_access, path, mapping)
    assert result.committed and result.kind is PROGRAM_EVENTS
    assert (result.counts.inserted, result.counts.rejected) == (GOOD, 4)
    reasons = {(r.row, r.column): r.reason for r in result.rejects}
    assert reasons[(6, "Date")] == "not a date: '2024-13-45'"
    assert reasons[(7, "Type")].startswith("unknown event kind code 'Bake sale'")
    assert reasons[(8, "Title")] == "no title"
    assert reasons[(9, "Title")] == "duplicate of row 2"
    assert events(program_access) == [
        (dt.date(2024, 1, 8), EventKind.BRIEFING, "North precinct nights", "12 officers"),
        (dt.date(2024, 1, 15), EventKind.RIDE_ALONG, "Sgt. Okafor rode with the unit", ""),
        (dt.date(2024, 2, 2), EventKind.PATROL_TRAINING, "CIT refresher for patrol",
         "4 hours"),
        (dt.date(2024, 2, 20), EventKind.OFFICE_MOVE, "Unit moved to the annex", ""),
        (dt.date(2024, 3, 9), EventKind.PATROL_TRAINING, "Verbal de-escalation", ""),
    ]

    again = import_file(program_access, path, mapping)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == \
        (0, 0, GOOD)
    assert len(events(program_access)) == GOOD


def test_a_changed_note_updates_the_event_and_a_new_title_adds_one(
        program_access: Access, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", ROWS[:2])
    mapping = suggested(first)
    import_file(program_access, first, mapping)
    changed = [["2024-01-08", "Roll call briefing", "North precinct nights", "14 officers"],
               ["2024-01-15", "Ride along", "Sgt. Okafor rode along again", ""]]
    result = import_file(program_access, write_csv(tmp_path / "b.csv", changed), mapping)
    assert (result.counts.inserted, result.counts.updated) == (1, 1)
    assert len(events(program_access)) == 3
    assert events(program_access)[0][3] == "14 officers"


def test_all_or_nothing_writes_no_event_when_a_row_is_bad(program_access: Access,
                                                         tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", ROWS)
    result = import_file(program_access, path, suggested(path), all_or_nothing=True)
    assert not result.committed and result.counts.rejected == 4
    assert events(program_access) == []


def test_a_dry_run_and_a_cancel_write_nothing(program_access: Access, tmp_path: Path) -> None:
    from console.services.import_service import ImportCancelled

    path = write_csv(tmp_path / "events.csv", ROWS)
    dry = import_file(program_access, path, suggested(path), dry_run=True)
    assert dry.counts.inserted == GOOD and not dry.committed
    with pytest.raises(ImportCancelled):
        import_file(program_access, path, suggested(path), cancelled=lambda: True)
    assert events(program_access) == []


def test_day_first_dates_follow_the_mapping(program_access: Access, tmp_path: Path) -> None:
    rows = [["04/11/2024", "Briefing", "Day-first briefing", ""],
            ["25/11/2024", "Briefing", "Only reads day first", ""]]
    path = write_csv(tmp_path / "events.csv", rows)
    mapping = suggested(path)
    assert mapping.date_order is DateOrder.DAY_FIRST  # 25/11 decides
    import_file(program_access, path, mapping)
    assert [e[0] for e in events(program_access)] == [dt.date(2024, 11, 4),
                                                      dt.date(2024, 11, 25)]


def test_a_list_without_a_kind_column_is_refused_whole(program_access: Access,
                                                      tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", [["2024-01-08", "Briefing"]],
                     header=["Date", "Title"])
    with pytest.raises(UserError, match="leaves out Event kind"):
        import_file(program_access, path, suggested(path))


def test_events_need_edit_program_and_calls_refuse_an_events_mapping(
        program_access: Access, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", ROWS[:2])
    analyst = program_access.as_actor(Actor("a", UserRole.ANALYST, "Analyst"))
    with pytest.raises(PermissionDenied, match="edit the program"):
        import_file(analyst, path, suggested(path))
    with pytest.raises(UserError, match="for events, not calls"):
        import_calls(program_access, path, suggested(path))


def test_no_program_means_nowhere_to_put_events(db: Database, tmp_path: Path) -> None:
    from conftest import access_for

    path = write_csv(tmp_path / "events.csv", ROWS[:2])
    with pytest.raises(UserError, match="no program yet"):
        import_file(access_for(db, tmp_path), path, suggested(path))


def test_profiles_belong_to_one_kind(program_access: Access, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", ROWS)
    survey = survey_file(path, kind=PROGRAM_EVENTS)
    mapping = survey.suggested.with_code_map("event_kinds", {
        **survey.suggested.code_map("event_kinds"), "Bake sale": EventKind.OTHER})
    kept = savable_mapping(mapping, survey, confirmed=mapping)
    profiles_service.save_profile(program_access, "Unit events sheet", kept)
    profiles_service.save_profile(program_access, "Metro CAD",
                                  Mapping(columns={"incident_number": "Incident",
                                                   "received_at": "Queued"}))
    names = {kind.name: [p.name for p in profiles_service.list_profiles(program_access, kind)]
             for kind in (CALLS, PROGRAM_EVENTS)}
    assert names == {"calls": ["Metro CAD"], "program_events": ["Unit events sheet"]}
    loaded = profiles_service.load_profile(program_access, "unit events SHEET", PROGRAM_EVENTS)
    assert loaded.code_map("event_kinds")["Bake sale"] is EventKind.OTHER
    with pytest.raises(UserError, match="maps events, not calls"):
        profiles_service.load_profile(program_access, "Unit events sheet", CALLS)
    with pytest.raises(UserError, match="maps calls"):
        profiles_service.save_profile(program_access, "Metro CAD", kept)
    # The profile now places the bake sale: the row imports.
    result = import_file(program_access, path, loaded)
    assert result.counts.inserted == GOOD + 1 and result.counts.rejected == 3


def test_the_event_kind_suggestions() -> None:
    values = ["Roll call briefing", "Briefing", "Ride along", "Ride-along", "Training",
              "In-service", "Office move", "Schedule change", "New chief", "Other",
              "Bake sale", "Ride-along"]
    mapping = suggest_mapping(["Date", "Kind", "Title"], [["2024-01-01", v, "x"]
                                                          for v in values],
                              kind=PROGRAM_EVENTS)
    kinds = mapping.code_map("event_kinds")
    assert kinds == {
        "Roll call briefing": EventKind.BRIEFING, "Briefing": EventKind.BRIEFING,
        "Ride along": EventKind.RIDE_ALONG, "Ride-along": EventKind.RIDE_ALONG,
        "Training": EventKind.PATROL_TRAINING, "In-service": EventKind.PATROL_TRAINING,
        "Office move": EventKind.OFFICE_MOVE, "Schedule change": EventKind.SCHEDULE_CHANGE,
        "New chief": EventKind.LEADERSHIP_CHANGE, "Other": EventKind.OTHER}


def test_an_events_mapping_round_trips_as_json() -> None:
    mapping = Mapping(columns={"occurred_on": "Date", "kind": "Type", "title": "Title"},
                      kind="program_events", date_order=DateOrder.MONTH_FIRST)
    mapping.code_map("event_kinds")["Muster"] = EventKind.BRIEFING
    data = mapping.to_json()
    assert data["kind"] == "program_events" and data["event_kinds"] == {"Muster": "briefing"}
    assert "scope" not in data
    back = Mapping.from_json(json.loads(json.dumps(data)))
    assert back == mapping
    with pytest.raises(UserError, match="unknown field 'incident_number'"):
        Mapping.from_json({**data, "columns": {"incident_number": "x"}})
    with pytest.raises(UserError, match="unknown kind 'complaints'"):
        Mapping.from_json({**data, "kind": "complaints"})


# --- the command line -------------------------------------------------------------------
def test_import_events_cli_json_shape_and_reimport(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    database = program_database(tmp_path / "console.sqlite")
    path = write_csv(tmp_path / "events.csv", ROWS)
    report = tmp_path / "rejected.csv"
    argv = ["--db", str(database), "import-events", str(path), "--json",
            "--save-profile", "Unit events", "--report", str(report)]
    assert main(argv) == 1  # rows were rejected
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "program_events" and out["committed"] is True
    assert out["counts"] == {"inserted": GOOD, "updated": 0, "unchanged": 0, "rejected": 4}
    assert out["mapping"]["kind"] == "program_events" and out["agency"] == ""
    assert out["program"] == "Metro" and out["saved_profile"] == "Unit events"
    assert [r["row"] for r in out["rejects"]] == [6, 7, 8, 9]
    assert {"row", "column", "value", "reason"} == set(out["rejects"][0])
    assert "persons_added" not in out and "requesting_officers_added" not in out
    assert report.read_text(encoding="utf-8-sig").count("\n") == 5

    assert main(["--db", str(database), "import-events", str(path), "--json",
                 "--profile", "Unit events", "--dry-run"]) == 1
    dry = json.loads(capsys.readouterr().out)
    assert dry["counts"]["unchanged"] == GOOD and dry["counts"]["inserted"] == 0
    assert dry["dry_run"] is True and dry["profile"] == "Unit events"

    # A calls profile is not offered to events, nor an events one to calls.
    code = main(["--db", str(database), "import-calls", str(path), "--profile", "Unit events"])
    err = capsys.readouterr().err
    assert code == 2 and "maps events, not calls" in err
    assert main(["--db", str(database), "profiles", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["profiles"]
    assert [(p["name"], p["kind"]) for p in listed] == [("Unit events", "program_events")]


def test_import_events_cli_text_and_sheet(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    database = program_database(tmp_path / "console.sqlite")
    path = write_xlsx(tmp_path / "events.xlsx", ROWS[:4])
    assert main(["--db", str(database), "import-events", str(path), "--sheet", "Events"]) == 0
    out = capsys.readouterr().out
    assert "events.xlsx into Metro: imported: 4 inserted" in out
    assert "Event kind" in out and "scope" not in out
    assert main(["--db", str(database), "import-events", str(path), "--sheet", "About"]) == 2
    assert "'About'" in capsys.readouterr().err
