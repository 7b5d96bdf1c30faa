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
from conftest import access_for, seed_program
from sqlalchemy import select

from console.data.engine import Database
from console.data.enums import Disposition
from console.data.importers.fields import DateOrder, Mapping
from console.data.models import Call, Person
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
    values = {"Incident": f"E{n}", "Queued": f"01/{1 + n % 28:02d}/2024 10:{n % 60:02d}",
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
    with db.engine.begin() as conn:
        seed_program(conn)
    return access_for(db, tmp_path)


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
