"""The requesting officer of a call: a badge or employee number matched to staff.

Real CSV and XLSX files in tmp_path, real databases (SQLite, and PostgreSQL given a
server). An officer the console does not know is added as a staff record to complete;
a second import of the same file adds nobody.
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
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select

from console.__main__ import main
from console.data.engine import Database
from console.data.enums import AuditAction, StaffRole
from console.data.importers.fields import DateOrder, Mapping
from console.data.importers.suggest import suggest_columns
from console.data.models import AuditEntry, Call, StaffMember
from console.services.access import Access
from console.services.import_service import import_calls, preview, survey_file
from console.services.importing.validate import staff_key_of

HEADER = ["Incident", "Queued", "Requesting Officer"]
MAPPING = Mapping(columns={"incident_number": "Incident", "received_at": "Queued",
                           "requesting_officer": "Requesting Officer"},
                  date_order=DateOrder.MONTH_FIRST)
ROWS: list[list[Any]] = [
    ["E1", "03/05/2024 10:00", "04417"],    # known as 4417 (leading zero: same officer)
    ["E2", "03/06/2024 11:30", " papd-0212 "],  # known as PAPD-0212 (case, spacing)
    ["E3", "03/04/2024 09:15", "5120"],     # unknown: added, hired on its earliest call
    ["E4", "03/02/2024 08:00", "5120"],     # ... which is this one
    ["E5", "03/07/2024 08:00", ""],         # no requesting officer
    ["E6", "03/08/2024 08:00", "7001"],     # unknown, once
]


@pytest.fixture
def program_access(any_db: Database, tmp_path: Path) -> Access:
    access = program_access_for(any_db, tmp_path)
    with any_db.engine.begin() as conn:
        for staff_id, key, name in ((11, "4417", "Ofc. Lee"), (12, "PAPD-0212", "Ofc. Diaz")):
            conn.execute(insert(StaffMember).values(
                id=staff_id, program_id=1, agency_id=1, staff_key=key, display_name=name,
                role=StaffRole.SWORN_OFFICER, hired_on=dt.date(2015, 1, 1)))
    return access


def write_csv(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    """Badges typed as numbers where they are digits: Excel drops leading zeros."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for incident, queued, badge in rows:
        value: Any = int(badge) if badge.strip().isdigit() else badge
        sheet.append([incident, dt.datetime.strptime(queued, "%m/%d/%Y %H:%M"), value or None])
    book.save(path)
    return path


def officers(access: Access) -> dict[str, str | None]:
    """Incident number -> the requesting officer's staff key."""
    with access.factory() as session:
        keys = dict(session.execute(select(StaffMember.id, StaffMember.staff_key)).all())
        return {c.incident_number: keys.get(c.requesting_officer_id)
                for c in session.scalars(select(Call))}


def staff(access: Access) -> dict[str, StaffMember]:
    with access.factory() as session:
        return {s.staff_key: s for s in session.scalars(select(StaffMember))}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_badges_match_staff_and_unknown_officers_are_added_to_complete(
        program_access: Access, tmp_path: Path, kind: str) -> None:
    path = (write_csv(tmp_path / "calls.csv", ROWS) if kind == "csv"
            else write_xlsx(tmp_path / "calls.xlsx", ROWS))
    result = import_calls(program_access, path, MAPPING)
    assert result.counts.inserted == 6 and result.counts.rejected == 0
    assert result.requesting_officers_added == 2
    assert officers(program_access) == {"E1": "4417", "E2": "PAPD-0212", "E3": "5120",
                                        "E4": "5120", "E5": None, "E6": "7001"}
    people = staff(program_access)
    assert set(people) == {"4417", "PAPD-0212", "5120", "7001"}
    added = people["5120"]
    assert added.display_name == "Badge 5120 (to complete)"
    assert added.role is StaffRole.SWORN_OFFICER and added.agency_id == 1
    assert added.program_id == 1
    assert added.hired_on == dt.date(2024, 3, 2)  # the earliest call naming them
    assert people["4417"].display_name == "Ofc. Lee"  # known staff untouched

    again = import_calls(program_access, path, MAPPING)
    assert again.requesting_officers_added == 0
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 6)
    assert len(staff(program_access)) == 4


def test_an_earlier_call_in_a_later_chunk_moves_the_hire_date(
        program_access: Access, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from console.services import import_service

    monkeypatch.setattr(import_service, "CHUNK_ROWS", 2)
    rows = [["E1", "03/09/2024 10:00", "8800"], ["E2", "03/10/2024 10:00", "1"],
            ["E3", "03/11/2024 10:00", "2"], ["E4", "01/02/2024 10:00", "8800"]]
    result = import_calls(program_access, write_csv(tmp_path / "c.csv", rows), MAPPING)
    assert result.requesting_officers_added == 3
    assert staff(program_access)["8800"].hired_on == dt.date(2024, 1, 2)


def test_a_dry_run_counts_nobody_and_adds_nobody(program_access: Access,
                                                 tmp_path: Path) -> None:
    path = write_csv(tmp_path / "calls.csv", ROWS)
    dry = import_calls(program_access, path, MAPPING, dry_run=True)
    assert dry.counts.inserted == 6 and dry.requesting_officers_added == 0
    assert set(staff(program_access)) == {"4417", "PAPD-0212"}


def test_all_or_nothing_with_a_bad_row_adds_no_officer(program_access: Access,
                                                       tmp_path: Path) -> None:
    rows = [*ROWS, ["E9", "not a date", "9999"]]
    result = import_calls(program_access, write_csv(tmp_path / "c.csv", rows), MAPPING,
                          all_or_nothing=True)
    assert not result.committed and result.requesting_officers_added == 0
    assert set(staff(program_access)) == {"4417", "PAPD-0212"}


def test_the_import_is_audited_with_the_officers_added(program_access: Access,
                                                       tmp_path: Path) -> None:
    import_calls(program_access, write_csv(tmp_path / "calls.csv", ROWS), MAPPING)
    with program_access.factory() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == AuditAction.BULK)).one()
    details = json.loads(entry.changes)
    assert details["requesting_officers_added"] == 2 and details["inserted"] == 6


def test_a_long_badge_rejects_its_row(program_access: Access, tmp_path: Path) -> None:
    rows = [["E1", "03/05/2024 10:00", "X" * 41], ["E2", "03/05/2024 10:00", "12"]]
    result = import_calls(program_access, write_csv(tmp_path / "c.csv", rows), MAPPING)
    assert result.counts.inserted == 1 and result.counts.rejected == 1
    reject = result.rejects[0]
    assert (reject.row, reject.column) == (2, "Requesting Officer")
    assert "longer than 40" in reject.reason


def test_preview_shows_the_badge(program_access: Access, tmp_path: Path) -> None:
    survey = survey_file(write_csv(tmp_path / "calls.csv", ROWS))
    shown = preview(survey, MAPPING, limit=2)
    assert [r.values["requesting_officer"] for r in shown] == ["4417", "PAPD-0212"]


@pytest.mark.parametrize("header", ["Requesting Officer", "Req Officer Badge",
                                    "RequestingEmpNo", "Officer Requesting",
                                    "REQUESTING_OFFICER_ID", "Requested By"])
def test_the_suggestion_finds_the_requesting_officer(header: str) -> None:
    found = suggest_columns(["Incident Number", "Received", header],
                            [["E1", "03/05/2024 10:00", "4417"]])
    assert found.get("requesting_officer") == header


def test_the_field_is_not_an_identity_and_saves_in_a_profile() -> None:
    from console.data.importers.fields import IDENTITY_FIELDS

    assert "requesting_officer" not in IDENTITY_FIELDS
    assert Mapping.from_json(MAPPING.to_json()).columns["requesting_officer"] == \
        "Requesting Officer"


@given(st.text(alphabet="0123456789", min_size=1, max_size=12),
       st.integers(min_value=0, max_value=4))
def test_leading_zeros_of_a_number_do_not_matter(digits: str, zeros: int) -> None:
    assert staff_key_of("0" * zeros + digits) == staff_key_of(digits)
    assert staff_key_of(f"  {digits} ") == staff_key_of(digits)


@given(st.text(alphabet="ABCDEFGHabcdefgh-0123456789", min_size=1, max_size=12))
def test_case_and_spacing_do_not_matter(badge: str) -> None:
    assert staff_key_of(badge.lower()) == staff_key_of(badge.upper()) == \
        staff_key_of(f" {badge} ")


def test_letters_keep_their_zeros() -> None:
    assert staff_key_of("PAPD-0212") != staff_key_of("PAPD-212")
    assert staff_key_of("000") == "0"


def test_cli_json_says_how_many_officers_were_added(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = program_database(tmp_path / "console.sqlite")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING.to_json()), encoding="utf-8")
    path = write_csv(tmp_path / "calls.csv", ROWS)
    argv = ["--db", str(database), "import-calls", str(path), "--mapping", str(mapping),
            "--json"]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["requesting_officers_added"] == 4 and first["counts"]["inserted"] == 6
    assert main(argv) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["requesting_officers_added"] == 0 and second["counts"]["unchanged"] == 6
