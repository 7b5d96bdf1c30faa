"""import-calls reading what users hand it: workbooks with several sheets, standard
input and pipes, columns the mapping leaves out, the day/month order, the report's place.

In-process through console.__main__.main on real files, and a few runs of main.py as a
process, the way a user types them.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import program_database
from test_import_cli import audit_entries, call_count, run
from test_import_sources import workbook

from console.data.engine import open_database, sqlite_url

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["CAD Event Number", "Original Time Queued", "Final Call Type",
          "Event Clearance Description"]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A database with its program and lead agency; its key in a file beside it (demo)."""
    return program_database(tmp_path / "console.sqlite")


def rows(count: int, start: int = 1) -> list[list[object]]:
    return [[f"2024{start + i:06d}", f"03/{i % 15 + 14:02d}/2024 10:{i % 60:02d}",
             "PERSON IN CRISIS" if i % 2 else "TRAFFIC STOP", "ASSISTANCE RENDERED"]
            for i in range(count)]


def csv_file(path: Path, header: list[str], body: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(body)
    return path


def book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    return workbook(path, sheets)


def cover_and_calls(path: Path, count: int = 12) -> Path:
    return book(path, {"Cover": [["Calls for service export"], ["Records unit, 2024"]],
                       "Calls": [HEADER, *rows(count)]})


def main_py(*argv: str, stdin: bytes | None = None, timeout: float = 60,
            ) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], input=stdin,
                          capture_output=True, timeout=timeout, env=env, check=False,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


# --- 1. sheets ------------------------------------------------------------------------


def test_a_cover_sheet_first_imports_the_calls_sheet(database: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = cover_and_calls(tmp_path / "book.xlsx")
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path))
    assert (code, err) == (0, "")
    assert "sheet 'Calls' of book.xlsx (its sheets: 'Cover', 'Calls'" in out
    assert call_count(database) == 12


def test_sheet_by_name_or_number_and_a_wrong_one(database: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = cover_and_calls(tmp_path / "book.xlsx")
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path),
                         "--sheet", "Cover")
    assert code == 2 and out == ""
    assert err.strip() == ("coresponse-console: book.xlsx: the sheet 'Cover' has no header "
                           "row with two or more filled cells in its first 10 rows; its "
                           "sheets: 'Cover', 'Calls'")
    assert call_count(database) == 0
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path),
                         "--sheet", "2", "--dry-run", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["sheet"], data["sheets"], data["counts"]["inserted"]) == (
        "Calls", ["Cover", "Calls"], 12)
    code, _, err = run(capsys, "--db", str(database), "import-calls", str(path),
                       "--sheet", "Data")
    assert code == 2 and "no sheet named 'Data' (its sheets: 'Cover', 'Calls')" in err


def test_a_sheet_chosen_for_a_profile_import(database: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = cover_and_calls(tmp_path / "book.xlsx")
    mapping = tmp_path / "cad.json"
    mapping.write_text(json.dumps({"name": "CAD", "columns": {
        "incident_number": "CAD Event Number", "received_at": "Original Time Queued"},
        "date_order": "month_first"}), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path),
                         "--mapping", str(mapping), "--sheet", "Calls")
    assert code == 0, err
    assert call_count(database) == 12


# --- 2. columns the mapping leaves out --------------------------------------------------

SPANISH = ["Numero de incidente", "Fecha de recepcion", "Tipo de llamada", "Resolucion"]


def spanish(tmp_path: Path) -> Path:
    return csv_file(tmp_path / "llamadas.csv", SPANISH,
                    [[f"E{i}", f"2024-03-{i % 28 + 1:02d} 10:00", "CRISIS", "RESUELTO"]
                     for i in range(60)])


def test_unused_columns_are_listed_and_an_undecided_scope_warned(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(spanish(tmp_path)),
                         "--dry-run")
    assert code == 0, err
    assert "not used (2 of the file's columns): 'Tipo de llamada', 'Resolucion'" in out
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "no call-type column is mapped" in warnings[0]
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(spanish(tmp_path)),
                         "--dry-run", "--json")
    data = json.loads(out)
    assert data["unmapped"] == ["Tipo de llamada", "Resolucion"]
    assert len(data["warnings"]) == 1


def test_a_fully_used_file_has_no_unused_columns_nor_warning(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "calls.csv", HEADER, rows(6))
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["unmapped"] == [] and data["warnings"] == []
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path))
    assert "not used" not in out and "warning" not in out


# --- 3. the report's place --------------------------------------------------------------


def test_a_report_in_a_missing_folder_is_refused_before_importing(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "calls.csv", HEADER, rows(6))
    report = tmp_path / "nope" / "rejected.csv"
    before = audit_entries(database)
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path),
                         "--report", str(report))
    assert code == 2 and out == ""
    assert err.strip() == (f"coresponse-console: cannot write the report {report}: the "
                           f"folder {report.parent} does not exist; create it or choose "
                           "another place for the report")
    assert call_count(database) == 0 and audit_entries(database) == before
    code, _, err = run(capsys, "--db", str(database), "import-calls", str(path),
                       "--report", str(tmp_path))
    assert code == 2 and "it is a folder" in err and call_count(database) == 0


def test_a_report_that_fails_afterwards_keeps_the_import_and_its_status(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = rows(6)
    body[2][1] = "not a date"
    path = csv_file(tmp_path / "calls.csv", HEADER, body)
    report = tmp_path / "rejected.csv"
    (tmp_path / "rejected.csv.part").mkdir()  # the writer's temporary file cannot be made
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path),
                         "--report", str(report))
    assert code == 1  # rows were rejected: the status of what happened, not 2
    assert "5 inserted, 0 updated, 0 unchanged, 1 rejected" in out
    assert "written to" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "the rejects report was not written" in lines[0]
    assert call_count(database) == 5 and not report.exists()


# --- 4. the day/month order -----------------------------------------------------------


def test_date_order_option_reads_ambiguous_dates(database: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "calls.csv", ["Incident", "Received"],
                    [["E1", "11/04/2023 10:00"], ["E2", "05/06/2023 09:00"]])
    code, _, err = run(capsys, "--db", str(database), "import-calls", str(path), "--dry-run")
    assert code == 2 and "--date-order day-first|month-first" in err
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path),
                         "--date-order", "day-first", "--json")
    data = json.loads(out)
    assert code == 0 and data["mapping"]["date_order"] == "day_first"
    db_rows = _received(database)
    assert db_rows == ["2023-04-11 10:00:00", "2023-06-05 09:00:00"]


def _received(database: Path) -> list[str]:
    from sqlalchemy import text

    db = open_database(sqlite_url(database), create=False)
    try:
        with db.engine.connect() as conn:
            return [str(v) for v in conn.execute(
                text("SELECT received_at FROM call ORDER BY incident_number")).scalars()]
    finally:
        db.dispose()


def clash(tmp_path: Path) -> Path:
    """Received reads only day first (row 15: 13/03), Cleared only month first (row 16)."""
    body = [[f"C{i}", f"{i:02d}/03/2024 10:00", f"03/{i:02d}/2024 11:00", "CRISIS"]
            for i in range(1, 13)]
    body += [["C13", "12/03/2024 10:00", "03/12/2024 11:00", "CRISIS"],
             ["C14", "13/03/2024 10:00", "03/12/2024 11:00", "CRISIS"],
             ["C15", "12/03/2024 10:00", "03/14/2024 11:00", "CRISIS"]]
    return csv_file(tmp_path / "clash.csv", ["Incident", "Received", "Cleared", "Type"], body)


def test_columns_that_disagree_on_the_order_are_named_with_a_row_each(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = clash(tmp_path)
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path))
    assert code == 2 and out == ""
    assert err.strip() == (
        "coresponse-console: clash.csv: the date columns disagree on the day/month order: "
        "'Received' row 15 '13/03/2024' reads only day first, 'Cleared' row 16 "
        "'03/14/2024' only month first; correct the file, or choose the order and let the "
        "other rows be rejected (--date-order day-first|month-first)")
    assert "either way" not in err and call_count(database) == 0
    mapping = tmp_path / "m.json"  # a saved mapping without an order: the same reason
    mapping.write_text(json.dumps({"columns": {
        "incident_number": "Incident", "received_at": "Received", "cleared_at": "Cleared"}}),
        encoding="utf-8")
    code, _, err = run(capsys, "--db", str(database), "import-calls", str(path),
                       "--mapping", str(mapping))
    assert code == 2 and "'Received' row 15" in err and "'Cleared' row 16" in err
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path),
                         "--date-order", "month-first")
    assert code == 1 and "row 15, Received '13/03/2024 10:00': not a date" in out


# --- 5. standard input and pipes --------------------------------------------------------


def test_standard_input_is_read(database: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = csv_file(tmp_path / "calls.csv", HEADER, rows(7))
    with path.open("r", encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        code, out, err = run(capsys, "--db", str(database), "import-calls", "-", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["file"] == "-" and data["counts"]["inserted"] == 7
    assert call_count(database) == 7
    leftovers = [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("coresponse-import-*")]
    assert not any((p / "standard input").exists() for p in leftovers)


def test_standard_input_that_is_empty_or_a_terminal(database: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with empty.open("r") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        code, _, err = run(capsys, "--db", str(database), "import-calls", "-")
    assert code == 2
    assert err.strip() == ("coresponse-console: standard input: the file is empty; export "
                           "the calls again")
    if not hasattr(os, "openpty"):
        return
    leader, follower = os.openpty()  # a real terminal: nothing is waited for
    try:
        with open(follower, closefd=False) as terminal:
            monkeypatch.setattr(sys, "stdin", terminal)
            code, _, err = run(capsys, "--db", str(database), "import-calls", "-")
    finally:
        os.close(leader)
        os.close(follower)
    assert code == 2 and "standard input is a terminal, not an export" in err
    assert call_count(database) == 0


def test_piped_export_as_a_user_types_it(database: Path, tmp_path: Path) -> None:
    data = csv_file(tmp_path / "calls.csv", HEADER, rows(9)).read_bytes()
    done = main_py("--db", str(database), "import-calls", "-", stdin=data)
    assert done.returncode == 0, done.stderr
    assert b"standard input into" in done.stdout and b"9 inserted" in done.stdout
    xlsx = cover_and_calls(tmp_path / "book.xlsx", 4).read_bytes()
    done = main_py("--db", str(database), "import-calls", "-", "--dry-run", stdin=xlsx)
    assert done.returncode == 0, done.stderr
    assert b"sheet 'Calls' of standard input" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_refused_not_waited_on(database: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "calls.csv"
    os.mkfifo(fifo)
    done = main_py("--db", str(database), "import-calls", str(fifo), timeout=60)
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        "coresponse-console: calls.csv: a named pipe (FIFO), not a file; save the export to "
        "a file and open that (on the command line, standard input is read with "
        "`import-calls -`)")
    assert call_count(database) == 0


# --- 6. UTF-16 without a byte-order mark ------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_imports(database: Path, tmp_path: Path, encoding: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    text = ",".join(HEADER) + "\r\n" + "".join(
        f"{r[0]},{r[1]},{r[2]} Ā,{r[3]}\r\n" for r in rows(5))
    path = tmp_path / "calls.csv"
    path.write_bytes(text.encode(encoding))
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(path))
    assert (code, err) == (0, ""), err
    assert "5 inserted" in out and call_count(database) == 5
