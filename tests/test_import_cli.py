"""The import-calls and profiles subcommands, run in-process on real files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import program_database
from sqlalchemy import text

from console.__main__ import main
from console.data.engine import open_database, sqlite_url

HEADER = ["Incident", "Queued", "Disposition", "Beat"]
MAPPING = {"name": "Metro CAD",
           "columns": {"incident_number": "Incident", "received_at": "Queued",
                       "disposition": "Disposition", "beat": "Beat"},
           "date_order": "month_first",
           "dispositions": {"HANDLED": "resolved_on_scene", "NO ACTION": None}}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A database with its program and lead agency; its key in a file beside it (demo)."""
    return program_database(tmp_path / "console.sqlite")


def export(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


GOOD = [["E1", "01/05/2024 10:00", "HANDLED", "B1"],
        ["E2", "01/06/2024 11:30", "NO ACTION", "B2"],
        ["E3", "01/07/2024 09:15", "HANDLED", "B1"]]


def call_count(database: Path) -> int:
    db = open_database(sqlite_url(database), create=False)
    try:
        with db.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM call")).scalar() or 0)
    finally:
        db.dispose()


def audit_entries(database: Path) -> int:
    db = open_database(sqlite_url(database), create=False)
    try:
        with db.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() or 0)
    finally:
        db.dispose()


def mapping_file(tmp_path: Path) -> Path:
    path = tmp_path / "metro.json"
    path.write_text(json.dumps(MAPPING), encoding="utf-8")
    return path


def test_json_output_has_the_mapping_and_the_counts(database: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    file = export(tmp_path / "calls.csv", GOOD)
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(file),
                         "--mapping", str(mapping_file(tmp_path)), "--json")
    assert code == 0, err
    data = json.loads(out)  # exactly one JSON object
    assert data["counts"] == {"inserted": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert data["mapping"]["columns"] == MAPPING["columns"]
    assert data["committed"] and data["agency"] == "Metro PD"
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)), "--json")
    assert code == 0
    assert json.loads(out)["counts"] == {"inserted": 0, "updated": 0, "unchanged": 3,
                                         "rejected": 0}


def test_text_output_prints_the_mapping_and_counts(database: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    file = export(tmp_path / "calls.csv", GOOD)
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)))
    assert code == 0
    assert "Incident number" in out and "<- Incident" in out
    assert "3 inserted, 0 updated, 0 unchanged, 0 rejected" in out


def test_dry_run_writes_nothing(database: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    file = export(tmp_path / "calls.csv", GOOD)
    before = audit_entries(database)
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)), "--dry-run", "--json")
    data = json.loads(out)
    assert code == 0 and data["dry_run"] and not data["committed"]
    assert data["counts"]["inserted"] == 3
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)), "--dry-run")
    assert code == 0 and "dry run, nothing written: 3 would be inserted" in out
    assert call_count(database) == 0 and audit_entries(database) == before


def test_rejected_rows_exit_1_and_go_to_the_report(database: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rows = [*GOOD, ["E4", "13/45/2024 10:00", "HANDLED", "B1"],
            ["E5", "01/08/2024 10:00", "LOST", "B1"]]
    file = export(tmp_path / "calls.csv", rows)
    report = tmp_path / "rejects.csv"
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)), "--report", str(report))
    assert code == 1
    assert "3 inserted, 0 updated, 0 unchanged, 2 rejected" in out
    with report.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["row", "column", "value", "reason"]
    assert [line[:3] for line in lines[1:]] == [["5", "Queued", "13/45/2024 10:00"],
                                                ["6", "Disposition", "LOST"]]
    assert "unknown disposition code 'LOST'" in lines[2][3]
    assert call_count(database) == 3


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = export(tmp_path / "calls.csv", [*GOOD, ["", "01/08/2024 10:00", "HANDLED", "B1"]])
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)), "--all-or-nothing",
                       "--json")
    data = json.loads(out)
    assert code == 1 and not data["committed"]
    assert data["counts"] == {"inserted": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    assert data["rejects"] == [{"row": 5, "column": "Incident", "value": "",
                                "reason": "no incident number"}]
    assert call_count(database) == 0


def test_user_errors_exit_2_with_one_line(database: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.csv"
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(missing))
    assert code == 2 and out == "" and err.count("\n") == 1 and "nowhere.csv" in err
    file = export(tmp_path / "calls.csv", GOOD)
    code, _, err = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--profile", "Unknown")
    assert code == 2 and "no import profile named 'Unknown'" in err
    code, _, err = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)), "--agency", "Nobody PD")
    assert code == 2 and "has no agency 'Nobody PD'" in err
    assert call_count(database) == 0


def test_save_profile_then_list_export_and_import_again(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = export(tmp_path / "calls.csv", GOOD)
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--mapping", str(mapping_file(tmp_path)), "--save-profile", "Metro")
    assert code == 0 and "saved as the import profile 'Metro'" in out
    code, out, _ = run(capsys, "--db", str(database), "profiles", "list", "--json")
    listed = json.loads(out)["profiles"]
    assert code == 0 and [(p["name"], p["fields"]) for p in listed] == [("Metro", 4)]
    exported = tmp_path / "out.json"
    code, out, _ = run(capsys, "--db", str(database), "profiles", "export", "metro",
                       str(exported))
    assert code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["name"] == "Metro" and data["columns"] == MAPPING["columns"]
    code, out, _ = run(capsys, "--db", str(database), "profiles", "import", str(exported),
                       "--name", "Metro copy")
    assert code == 0 and "'Metro copy' saved (4 fields)" in out
    code, out, _ = run(capsys, "--db", str(database), "profiles", "list")
    assert out.splitlines()[0].startswith("Metro\t") and "Metro copy" in out
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--profile", "Metro copy", "--json")
    assert code == 0 and json.loads(out)["counts"]["unchanged"] == 3
    code, _, _ = run(capsys, "--db", str(database), "profiles", "delete", "Metro copy")
    assert code == 0
    code, _, err = run(capsys, "--db", str(database), "profiles", "delete", "Metro copy")
    assert code == 2 and "no import profile named" in err


def test_dry_run_cannot_save_a_profile(database: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    file = export(tmp_path / "calls.csv", GOOD)
    code, _, err = run(capsys, "--db", str(database), "import-calls", str(file),
                       "--dry-run", "--save-profile", "X")
    assert code == 2 and "a dry run writes nothing" in err


def test_without_a_profile_the_suggested_mapping_is_used(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "cad.csv"
    with file.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["CAD Event Number", "Original Time Queued", "Beat"])
        writer.writerows([["2024001", "03/14/2024 10:00:00 PM", "B1"],
                          ["2024002", "03/15/2024 11:30:00 AM", "B2"]])
    code, out, _ = run(capsys, "--db", str(database), "import-calls", str(file), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["mapping"]["columns"] == {"incident_number": "CAD Event Number",
                                          "received_at": "Original Time Queued",
                                          "beat": "Beat"}
    assert data["mapping"]["date_order"] == "month_first"
    assert data["counts"]["inserted"] == 2 and data["profile"] is None
