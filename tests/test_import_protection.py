"""The importer's protection of personal data and the correctness of what it writes.

Real CSV files in tmp_path, real SQLite databases with a real data key; the command
line run in-process as a user runs it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import SUPERVISOR, program_access_for, program_database, seed_program
from sqlalchemy import select

from console.data.engine import Database
from console.data.enums import Disposition
from console.data.importers.fields import DateOrder, Mapping
from console.data.models import Call, Person
from console.errors import UserError
from console.services import import_service
from console.services.access import Access
from console.services.import_service import import_calls
from console.services.people_service import NAME, person_key

HEADER = ["Incident", "Queued", "Clearance", "Name", "DOB", "Address", "Narrative"]
MAPPING = Mapping(
    columns={"incident_number": "Incident", "received_at": "Queued",
             "disposition": "Clearance", "person_name": "Name",
             "person_birth_date": "DOB", "address": "Address", "narrative": "Narrative"},
    date_order=DateOrder.MONTH_FIRST,
    dispositions={"HANDLED": Disposition.RESOLVED_ON_SCENE})


def line(n: int, **changes: str) -> list[str]:
    values = {"Incident": f"E{n}", "Queued": f"12/{13 + n % 15}/2023 10:{n % 60:02d}",
              "Clearance": "HANDLED", "Name": f"Person {n % 7}", "DOB": "07/04/1980",
              "Address": f"{100 + n} Main St", "Narrative": f"Call {n}"}
    values.update(changes)
    return [values[h] for h in HEADER]


def write_csv(path: Path, rows: Sequence[Sequence[Any]],
              header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


@pytest.fixture
def program_access(db: Database, tmp_path: Path) -> Access:
    """A supervisor on a real (not demo) database with program 1 and its agency 1."""
    return program_access_for(db, tmp_path)


def stored_calls(access: Access) -> dict[str, Call]:
    with access.factory() as session:
        return {c.incident_number: c for c in session.scalars(select(Call))}


# --- a corrected export that changes only a call's person ---------------------------------
@pytest.mark.parametrize("change", [{"Name": "Someone Else"}, {"DOB": "08/04/1981"}])
def test_a_changed_person_updates_the_call(program_access: Access, tmp_path: Path,
                                           change: dict[str, str]) -> None:
    rows = [line(n) for n in range(1, 6)]
    import_calls(program_access, write_csv(tmp_path / "a.csv", rows), MAPPING)
    before = stored_calls(program_access)
    rows[2] = line(3, **change)
    dry = import_calls(program_access, write_csv(tmp_path / "b.csv", rows), MAPPING,
                       dry_run=True)
    assert dry.counts.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 4,
                                    "rejected": 0}
    result = import_calls(program_access, tmp_path / "b.csv", MAPPING)
    assert result.counts.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 4,
                                       "rejected": 0}
    assert result.persons_added == 1
    after = stored_calls(program_access)
    assert after["E3"].person_id != before["E3"].person_id and after["E3"].version == 2
    name = change.get("Name", "Person 3")
    born = dt.date(1981, 8, 4) if "DOB" in change else dt.date(1980, 7, 4)
    with program_access.factory() as session:
        person = session.get(Person, after["E3"].person_id)
        assert person is not None
        assert person.person_key == person_key(program_access.vault, name, born)
        assert program_access.vault.open(person.name or "", purpose=NAME) == name
    again = import_calls(program_access, tmp_path / "b.csv", MAPPING)
    assert again.counts.unchanged == 5


# --- duplicates across the chunks of a large file -----------------------------------------
@pytest.mark.parametrize("chunk", [7, import_service.CHUNK_ROWS])
def test_a_duplicate_in_a_later_chunk_is_rejected(program_access: Access, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  chunk: int) -> None:
    monkeypatch.setattr(import_service, "CHUNK_ROWS", chunk)
    count = chunk * 2 + 3
    rows = [line(n, Name="", DOB="", Address="", Narrative="") for n in range(1, count)]
    rows.append(line(5, Name="", DOB="", Address="", Narrative=""))  # row 2 + count - 1
    mapping = Mapping(columns={"incident_number": "Incident", "received_at": "Queued"},
                      date_order=DateOrder.MONTH_FIRST)
    result = import_calls(program_access, write_csv(tmp_path / "big.csv", rows), mapping)
    assert result.counts.inserted == count - 1 and result.counts.rejected == 1
    (reject,) = result.rejects
    assert (reject.row, reject.column, reject.value, reject.reason) == (
        count + 1, "Incident", "E5", "duplicate of row 6")


# --- real identities under a demo key -----------------------------------------------------
@pytest.fixture
def demo_access(db: Database) -> Access:
    """A supervisor on a demo database: its key kept in a file beside it."""
    from console.data.identity import unlock

    with db.engine.begin() as conn:
        seed_program(conn)
    return Access(db.session_factory, SUPERVISOR, unlock(db, create_demo=True).vault)


@pytest.mark.parametrize("field", ["person_name", "person_birth_date", "address",
                                   "narrative"])
def test_a_demo_database_takes_no_identities(demo_access: Access, db: Database,
                                             tmp_path: Path, field: str) -> None:
    mapping = Mapping(columns={"incident_number": "Incident", "received_at": "Queued",
                               field: MAPPING.columns[field]},
                      date_order=DateOrder.MONTH_FIRST)
    path = write_csv(tmp_path / "a.csv", [line(n) for n in range(1, 4)])
    before = table_dump(db)
    for dry_run in (True, False):
        with pytest.raises(UserError) as err:
            import_calls(demo_access, path, mapping, dry_run=dry_run)
        message = err.value.message
        assert "demo" in message and MAPPING.columns[field] in message
        assert "\n" not in message
    assert table_dump(db) == before
    # The same file without the identity column imports.
    plain = Mapping(columns={"incident_number": "Incident", "received_at": "Queued"},
                    date_order=DateOrder.MONTH_FIRST)
    assert import_calls(demo_access, path, plain).counts.inserted == 3


def test_a_real_database_takes_identities(program_access: Access, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [line(n) for n in range(1, 4)])
    assert import_calls(program_access, path, MAPPING).counts.inserted == 3


def table_dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    from sqlalchemy import inspect, text

    with database.engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return {name: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"'))),
                             key=repr) for name in names}


# --- the command line, as a user runs it --------------------------------------------------
def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from console.__main__ import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def demo_database(tmp_path: Path) -> Path:
    """A demo database (key in demo.sqlite.demo-key beside it) with its program."""
    return program_database(tmp_path / "demo.sqlite")


def test_import_calls_with_names_into_the_demo_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from console.data.engine import open_database, sqlite_url

    database = demo_database(tmp_path)
    file = write_csv(tmp_path / "calls.csv", [line(n) for n in range(1, 4)])
    code, out, err = run(capsys, "--db", str(database), "import-calls", str(file))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "demo" in err and "Name" in err
    opened = open_database(sqlite_url(database), create=False)
    try:
        assert table_dump(opened)["call"] == [] and table_dump(opened)["person"] == []
    finally:
        opened.dispose()


# --- personal data outside sealed columns -------------------------------------------------
def test_a_value_the_suggestion_cannot_place_is_not_guessed() -> None:
    from console.data.enums import Activation, CallSource
    from console.data.importers.suggest import complete_codes

    mapping = Mapping(columns={"source": "Src", "disposition": "Dispo", "activation": "How"})
    done = complete_codes(mapping, {"Src": ["911", "Jane Roe", "Walk-in"],
                                    "Dispo": ["ARREST", "Jane Roe", "REPORT WRITTEN"],
                                    "How": ["Patrol request", "Jane Roe"]})
    assert done.sources == {"911": CallSource.E911, "Walk-in": CallSource.OTHER}
    assert done.dispositions == {"ARREST": Disposition.ARREST, "REPORT WRITTEN": None}
    assert done.activations == {"Patrol request": Activation.PATROL_REQUEST}


def test_rejected_identity_cells_are_withheld(program_access: Access, tmp_path: Path) -> None:
    rows = [line(1), line(2, DOB="31/31/1980"), line(3, Name="Jane " + "Roe" * 80),
            line(4, DOB="07/04/2099")]
    result = import_calls(program_access, write_csv(tmp_path / "a.csv", rows), MAPPING)
    assert result.counts.rejected == 3
    found = {(r.row, r.column): r for r in result.rejects}
    assert found[(3, "DOB")].value == "(withheld: birth date)"
    assert found[(4, "Name")].value == "(withheld: name)"
    assert found[(5, "DOB")].value == "(withheld: birth date)"
    assert "in the future" in found[(5, "DOB")].reason
    report = import_service.write_rejects_csv(result.rejects, tmp_path / "rejects.csv")
    text = report.read_text(encoding="utf-8-sig")
    for secret in ("31/31", "1980", "2099", "Roe"):
        assert secret not in text and all(secret not in r.reason for r in result.rejects)


@pytest.fixture
def real_database(tmp_path: Path, secret_service: str) -> Path:
    """A real database for the command line: its key in the (test) Secret Service."""
    from console.data import migrate
    from console.data.engine import open_database, sqlite_url

    path = tmp_path / "console.sqlite"
    database = open_database(sqlite_url(path))
    try:
        migrate.upgrade(database)
        with database.engine.begin() as conn:
            seed_program(conn)
    finally:
        database.dispose()
    return path


def database_text(path: Path) -> str:
    """Every value of every table, as text: what someone reading the file would see."""
    from console.data.engine import open_database, sqlite_url

    opened = open_database(sqlite_url(path), create=False)
    try:
        return repr(table_dump(opened))
    finally:
        opened.dispose()


def test_a_name_in_a_code_column_stays_out_of_profiles_and_the_audit_trail(
        real_database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = ["Incident", "Queued", "Call Source", "Name", "DOB"]
    rows = [[f"E{n}", f"12/{13 + n}/2023 10:00", "911", f"Person {n}", "07/04/1980"]
            for n in range(1, 6)]
    rows.append(["E6", "12/20/2023 10:00", "Jane Roe", "Person 6", "07/04/1980"])
    rows.append(["E7", "12/21/2023 10:00", "ONVIEW", "Person 7", "31/31/1980"])
    rows.append(["E8", "12/22/2023 10:00", "ONVIEW", "Person 8", "07/04/1980"])
    file = write_csv(tmp_path / "calls.csv", rows, header)
    report = tmp_path / "rejects.csv"
    code, out, err = run(capsys, "--db", str(real_database), "import-calls", str(file),
                         "--report", str(report), "--save-profile", "Metro CAD")
    assert code == 1, err
    assert "6 inserted, 0 updated, 0 unchanged, 2 rejected" in out
    assert "unknown call source code 'Jane Roe'" in out  # a code column: shown
    assert "31/31/1980" not in out and "(withheld: birth date)" in out
    assert "31/31/1980" not in report.read_text(encoding="utf-8-sig")
    stored = database_text(real_database)
    assert "Jane Roe" not in stored and "Person" not in stored and "1980" not in stored
    # The profile keeps the codes seen often (911), not the rare ones (ONVIEW, twice).
    code, out, _ = run(capsys, "--db", str(real_database), "profiles", "export",
                       "Metro CAD", str(tmp_path / "metro.json"))
    import json
    saved = json.loads((tmp_path / "metro.json").read_text(encoding="utf-8"))
    assert saved["sources"] == {"911": "911"}
