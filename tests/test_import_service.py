"""Importing calls: validation row by row, upsert by incident number, one transaction.

Real files written with csv/openpyxl in tmp_path, real databases (SQLite, and PostgreSQL
given a server), a real data key. `table_dump` compares whole databases before/after.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import access_for, program_access_for, seed_program
from sqlalchemy import insert, inspect, select, text

from console.data.engine import Database
from console.data.enums import Activation, AgencyKind, AuditAction, CallSource, Disposition
from console.data.importers.fields import DateOrder, Mapping
from console.data.models import Agency, AuditEntry, Call, Person, Program
from console.errors import UserError
from console.services import import_service
from console.services.access import Access, Actor, PermissionDenied
from console.services.import_service import (
    ImportCancelled,
    import_calls,
    preview,
    write_rejects_csv,
)
from console.services.importing.locations import block_address, location_key
from console.services.importing.survey import Survey
from console.services.people_service import NAME, NARRATIVE, person_key

HEADER = ["Event No", "Received", "Arrived", "Initial Type", "Final Type", "Priority",
          "Source", "How", "Clearance", "Arrest", "Force", "Name", "DOB", "Address",
          "Narrative", "Beat"]
MAPPING = Mapping(
    columns={"incident_number": "Event No", "received_at": "Received",
             "arrived_at": "Arrived", "initial_call_type": "Initial Type",
             "final_call_type": "Final Type", "priority": "Priority", "source": "Source",
             "activation": "How", "disposition": "Clearance", "arrest_made": "Arrest",
             "use_of_force": "Force", "person_name": "Name", "person_birth_date": "DOB",
             "address": "Address", "narrative": "Narrative", "beat": "Beat"},
    date_order=DateOrder.MONTH_FIRST,
    scope={"MENTAL HEALTH": True, "WELFARE CHECK": True, "THEFT": False},
    dispositions={"RESOLVED": Disposition.RESOLVED_ON_SCENE,
                  "TRANSPORTED": Disposition.ED_TRANSPORT, "NO ACTION": None},
    sources={"911": CallSource.E911, "ONVIEW": CallSource.ON_VIEW},
    activations={"DISP": Activation.DISPATCH, "PATROL": Activation.PATROL_REQUEST},
)


def row(n: int, **changes: str) -> list[str]:
    """A good row; incident numbers 2024-0000n, a few people and addresses repeating."""
    values = {
        "Event No": f"2024-{n:05d}", "Received": f"03/{1 + n % 28:02d}/2024 {n % 12 + 1}:05:09 PM",
        "Arrived": f"03/{1 + n % 28:02d}/2024 11:59:00 PM",
        "Initial Type": "WELFARE CHECK", "Final Type": ["MENTAL HEALTH", "THEFT", ""][n % 3],
        "Priority": str(n % 4 + 1), "Source": ["911", "ONVIEW"][n % 2],
        "How": ["DISP", "PATROL", ""][n % 3], "Clearance": ["RESOLVED", "TRANSPORTED",
                                                           "NO ACTION"][n % 3],
        "Arrest": "N", "Force": ["Y", "N", ""][n % 3], "Name": f"Person {n % 5}",
        "DOB": "07/04/1980", "Address": f"{1200 + n % 7} Main Street Apt {n}",
        "Narrative": f"Narrative of call {n}", "Beat": f"B{n % 3}",
    }
    values.update({k.replace("_", " "): v for k, v in changes.items()})
    return [values[h] for h in HEADER]


def write_csv(path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def table_dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, and the schema's indexes: "the database unchanged"."""
    with database.engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        dump = {name: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"'))),
                             key=repr) for name in names}
        dump["(indexes)"] = sorted((n, tuple(i["column_names"])) for n in names
                                   for i in inspect(conn).get_indexes(n))
    return dump


@pytest.fixture
def program_access(any_db: Database, tmp_path: Path) -> Access:
    """A supervisor on a database with program 1 and its lead police agency 1."""
    return program_access_for(any_db, tmp_path)


def calls(access: Access) -> dict[str, Any]:
    with access.factory() as session:
        return {c.incident_number: c for c in session.scalars(select(Call))}


# --- the happy paths ---------------------------------------------------------------------
def test_import_then_the_same_file_again_adds_nothing(program_access: Access,
                                                      tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", [row(n) for n in range(1, 31)])
    first = import_calls(program_access, path, MAPPING)
    assert first.counts.as_dict() == {"inserted": 30, "updated": 0, "unchanged": 0,
                                      "rejected": 0}
    assert first.committed and first.agency == "Metro PD" and first.program == "Metro"
    stored = calls(program_access)
    assert len(stored) == 30
    one = stored["2024-00001"]
    assert one.received_at == dt.datetime(2024, 3, 2, 14, 5, 9)
    assert one.final_call_type == "THEFT" and one.in_scope is False
    assert one.source is CallSource.ON_VIEW and one.activation is Activation.PATROL_REQUEST
    assert one.disposition is Disposition.ED_TRANSPORT and one.use_of_force is False
    assert one.priority == 2 and one.beat == "B1" and one.version == 1
    three = stored["2024-00003"]
    assert three.final_call_type == "MENTAL HEALTH" and three.in_scope is True
    assert three.use_of_force is True and three.disposition is Disposition.RESOLVED_ON_SCENE
    two = stored["2024-00002"]
    assert two.final_call_type is None and two.in_scope is True  # the initial type decides
    assert two.disposition is None and two.activation is None  # NO ACTION: no disposition
    before = table_dump(_db(program_access))
    second = import_calls(program_access, path, MAPPING)
    assert second.counts.as_dict() == {"inserted": 0, "updated": 0, "unchanged": 30,
                                       "rejected": 0}
    assert table_dump(_db(program_access)) == before  # not even an audit entry


def _db(access: Access) -> Database:
    engine = access.factory.kw["bind"]
    return Database(engine, access.factory, str(engine.url))


def test_a_corrected_export_updates_only_the_changed_rows(program_access: Access,
                                                          tmp_path: Path) -> None:
    rows = [row(n) for n in range(1, 21)]
    import_calls(program_access, write_csv(tmp_path / "a.csv", rows), MAPPING)
    before = calls(program_access)
    rows[4] = row(5, Clearance="RESOLVED", Arrest="Y")
    rows[9] = row(10, Narrative="Corrected narrative")
    # A mapping without the beat: stored beats stay as they are.
    narrower = Mapping.from_json(MAPPING.to_json())
    del narrower.columns["beat"]
    result = import_calls(program_access, write_csv(tmp_path / "b.csv", rows), narrower)
    assert result.counts.as_dict() == {"inserted": 0, "updated": 2, "unchanged": 18,
                                       "rejected": 0}
    after = calls(program_access)
    assert after["2024-00005"].disposition is Disposition.ARREST  # arrest made: yes
    assert after["2024-00005"].version == 2 and after["2024-00010"].version == 2
    assert all(after[k].version == 1 for k in after if k not in ("2024-00005", "2024-00010"))
    assert program_access.vault.open(after["2024-00010"].narrative or "",
                                     purpose=NARRATIVE) == "Corrected narrative"
    assert {k: c.beat for k, c in after.items()} == {k: c.beat for k, c in before.items()}


def test_names_narratives_and_addresses_are_never_stored_in_clear(
        program_access: Access, tmp_path: Path) -> None:
    rows = [row(1, Name="José O'Neil", Address="1234 Main Street Apt 5"),
            row(2, Name="jose  oneil", Address="1250 MAIN ST"),
            row(3, Name="Ann Lee", DOB="", Address="")]
    result = import_calls(program_access, write_csv(tmp_path / "p.csv", rows), MAPPING)
    assert result.persons_added == 2
    vault = program_access.vault
    with program_access.factory() as session:
        people = {p.person_key: p for p in session.scalars(select(Person))}
        stored = {c.incident_number: c for c in session.scalars(select(Call))}
    jose = person_key(vault, "José O'Neil", dt.date(1980, 7, 4))
    assert set(people) == {jose, person_key(vault, "Ann Lee", None)}
    assert vault.open(people[jose].name or "", purpose=NAME) == "José O'Neil"
    assert stored["2024-00001"].person_id == stored["2024-00002"].person_id == people[jose].id
    assert block_address("1234 Main Street Apt 5") == "1200 BLOCK MAIN ST"
    assert stored["2024-00001"].location_key == stored["2024-00002"].location_key == \
        location_key(vault, "1200 block of Main St")
    assert stored["2024-00003"].location_key is None
    with program_access.factory() as session:
        raw = session.execute(text("SELECT narrative FROM call")).scalars().all()
        names = session.execute(text("SELECT name FROM person")).scalars().all()
    assert all(v.startswith("enc1:") for v in [*raw, *names])


def test_xlsx_with_typed_cells(program_access: Access, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Incident", "Queued", "Priority", "Arrest"])
    sheet.append([2023000319821, dt.datetime(2023, 11, 4, 18, 8, 26), 2, True])
    sheet.append(["2023000154966", "2023-06-04 16:18:15", 7.0, False])
    path = tmp_path / "export.xlsx"
    book.save(path)
    mapping = Mapping(columns={"incident_number": "Incident", "received_at": "Queued",
                               "priority": "Priority", "arrest_made": "Arrest"})
    result = import_calls(program_access, path, mapping)
    assert result.counts.inserted == 2 and not result.rejects
    stored = calls(program_access)
    assert stored["2023000319821"].received_at == dt.datetime(2023, 11, 4, 18, 8, 26)
    assert stored["2023000319821"].disposition is Disposition.ARREST
    assert stored["2023000154966"].priority == 7


# --- rejected rows -------------------------------------------------------------------------
BAD_ROWS = {
    3: ({"Event_No": ""}, "Event No", "no incident number"),
    4: ({"Received": "02/30/2024 1:00 PM"}, "Received", "not a date"),
    5: ({"Priority": "high"}, "Priority", "not a whole number"),
    6: ({"Force": "maybe"}, "Force", "not yes or no"),
    7: ({"Clearance": "GONE FISHING"}, "Clearance", "unknown disposition code"),
    8: ({"Received": "01/01/2099 1:00 PM"}, "Received", "in the future"),
    9: ({"Event_No": "2024-00001"}, "Event No", "duplicate of row 2"),
    10: ({"Final_Type": "PARKING"}, "Final Type", "unknown call type 'PARKING'"),
    11: ({"Event_No": "X" * 41}, "Event No", "longer than 40 characters"),
}


def bad_file(tmp_path: Path) -> Path:
    """Rows 2-13 of the file (row 1 is the header); rows 3 to 11 are each wrong once."""
    rows = []
    for line in range(2, 14):
        changes, _, _ = BAD_ROWS.get(line, ({}, "", ""))
        rows.append(row(line - 1, **changes))
    return write_csv(tmp_path / "bad.csv", rows)


def test_commit_valid_rows_and_report_each_bad_row(program_access: Access,
                                                   tmp_path: Path) -> None:
    result = import_calls(program_access, bad_file(tmp_path), MAPPING)
    assert result.counts.as_dict() == {"inserted": 3, "updated": 0, "unchanged": 0,
                                       "rejected": 9}
    assert result.committed and result.valid_rows == 3
    found = {r.row: r for r in result.rejects}
    assert set(found) == set(BAD_ROWS)
    for line, (_, column, reason) in BAD_ROWS.items():
        assert found[line].column == column and reason in found[line].reason, found[line]
    assert found[7].value == "GONE FISHING"
    assert set(calls(program_access)) == {"2024-00001", "2024-00011", "2024-00012"}
    report = write_rejects_csv(result.rejects, tmp_path / "rejects.csv")
    with report.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["row", "column", "value", "reason"]
    assert ["7", "Clearance", "GONE FISHING", found[7].reason] in lines
    assert len(lines) == 1 + len(result.rejects)


def test_all_or_nothing_leaves_the_database_unchanged(program_access: Access,
                                                      tmp_path: Path) -> None:
    import_calls(program_access, write_csv(tmp_path / "old.csv", [row(1, Beat="OLD")]),
                 MAPPING)
    before = table_dump(_db(program_access))
    result = import_calls(program_access, bad_file(tmp_path), MAPPING, all_or_nothing=True)
    assert not result.committed
    assert result.counts.as_dict() == {"inserted": 0, "updated": 0, "unchanged": 0,
                                       "rejected": 9}
    assert len(result.rejects) == 9
    assert table_dump(_db(program_access)) == before


def test_dry_run_counts_and_writes_nothing(program_access: Access, tmp_path: Path) -> None:
    import_calls(program_access, write_csv(tmp_path / "a.csv", [row(n) for n in range(1, 6)]),
                 MAPPING)
    before = table_dump(_db(program_access))
    rows = [row(n) for n in range(1, 9)]
    rows[0] = row(1, Beat="NEW")
    result = import_calls(program_access, write_csv(tmp_path / "b.csv", rows), MAPPING,
                          dry_run=True)
    assert result.dry_run and not result.committed
    assert result.counts.as_dict() == {"inserted": 3, "updated": 1, "unchanged": 4,
                                       "rejected": 0}
    assert table_dump(_db(program_access)) == before


@pytest.mark.parametrize("chunk", [7, 5000])
def test_cancel_part_way_leaves_nothing_behind(program_access: Access, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               chunk: int) -> None:
    """Cancelled after the first chunks were written (and, on SQLite, the indexes dropped)."""
    import_calls(program_access, write_csv(tmp_path / "a.csv", [row(1)]), MAPPING)
    monkeypatch.setattr(import_service, "CHUNK_ROWS", chunk)
    monkeypatch.setattr(import_service, "BULK_MIN_ROWS", 10)
    before = table_dump(_db(program_access))
    path = write_csv(tmp_path / "b.csv", [row(n, Beat="X") for n in range(1, 60)])
    seen: list[int] = []

    def progress(done: int, total: int, text: str) -> None:
        seen.append(done)

    with pytest.raises(ImportCancelled) as err:
        import_calls(program_access, path, MAPPING, progress=progress,
                     cancelled=lambda: len(seen) >= (2 if chunk == 7 else 1))
    assert "\n" not in str(err.value) and "nothing was changed" in str(err.value)
    assert len(seen) == (2 if chunk == 7 else 1)
    assert table_dump(_db(program_access)) == before
    if _db(program_access).is_sqlite:
        with program_access.factory() as session:
            assert session.execute(text("PRAGMA ignore_check_constraints")).scalar() == 0


def test_a_large_sqlite_import_rebuilds_the_indexes(program_access: Access, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_service, "CHUNK_ROWS", 10)
    monkeypatch.setattr(import_service, "BULK_MIN_ROWS", 10)
    before = table_dump(_db(program_access))["(indexes)"]
    result = import_calls(program_access, write_csv(tmp_path / "a.csv",
                                                    [row(n) for n in range(1, 80)]), MAPPING)
    assert result.counts.inserted == 79
    assert table_dump(_db(program_access))["(indexes)"] == before
    if _db(program_access).is_sqlite:
        assert result.timings["indexes"] > 0
        with program_access.factory() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # Constraints hold again after the import.
    with pytest.raises(Exception, match="(?i)check|constraint"), \
            _db(program_access).engine.begin() as conn:
        conn.execute(text("UPDATE call SET disposition = 'bogus' WHERE id = 1"))


# --- the file or the mapping is wrong: nothing changes --------------------------------------
@pytest.mark.parametrize(("mutate", "message"), [
    (lambda m: m.columns.pop("received_at"), "the mapping leaves out Received"),
    (lambda m: m.columns.update(beat="Zone"), "the file has no column 'Zone'"),
    (lambda m: setattr(m, "date_order", None), "choose day/month or month/day"),
])
def test_file_level_problems_change_nothing(program_access: Access, tmp_path: Path,
                                            mutate: Any, message: str) -> None:
    mapping = Mapping.from_json(MAPPING.to_json())
    mutate(mapping)
    path = write_csv(tmp_path / "a.csv", [row(n) for n in range(1, 12)])
    before = table_dump(_db(program_access))
    with pytest.raises(UserError) as err:
        import_calls(program_access, path, mapping)
    assert message in err.value.message and "\n" not in err.value.message
    assert table_dump(_db(program_access)) == before


def test_an_unreadable_file_is_one_line_and_changes_nothing(program_access: Access,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(b"%PDF-1.7 not a spreadsheet")
    before = table_dump(_db(program_access))
    with pytest.raises(UserError) as err:
        import_calls(program_access, path, MAPPING)
    assert "PDF" in err.value.message and "\n" not in err.value.message
    assert table_dump(_db(program_access)) == before


# --- program, agency, permissions, audit ----------------------------------------------------
def test_a_database_without_a_program_gets_a_minimal_one(db: Database, tmp_path: Path) -> None:
    access = access_for(db, tmp_path)
    path = write_csv(tmp_path / "a.csv", [row(1)])
    dry = import_calls(access, path, MAPPING, agency="Springfield PD", dry_run=True)
    assert dry.created_program and dry.counts.inserted == 1
    with db.session_factory() as session:
        assert session.scalar(select(Program.id)) is None
    result = import_calls(access, path, MAPPING, agency="Springfield PD")
    assert result.created_program and result.agency == "Springfield PD"
    with db.session_factory() as session:
        agency = session.scalars(select(Agency)).one()
        assert agency.is_lead and agency.kind is AgencyKind.POLICE
        assert session.scalar(select(Call.agency_id)) == agency.id
    again = import_calls(access, path, MAPPING)
    assert not again.created_program and again.counts.unchanged == 1


def test_the_agency_is_named_or_the_lead_police_agency(program_access: Access,
                                                       tmp_path: Path) -> None:
    with program_access.factory.kw["bind"].begin() as conn:
        conn.execute(insert(Agency).values(id=2, program_id=1, name="County Sheriff",
                                           kind=AgencyKind.SHERIFF, is_lead=False))
    path = write_csv(tmp_path / "a.csv", [row(1)])
    assert import_calls(program_access, path, MAPPING).agency == "Metro PD"
    other = import_calls(program_access, path, MAPPING, agency="county  sheriff")
    assert other.agency == "County Sheriff" and other.counts.inserted == 1  # its own numbers
    with pytest.raises(UserError, match="has no agency 'State Patrol'.*Metro PD"):
        import_calls(program_access, path, MAPPING, agency="State Patrol")


def test_permissions(program_access: Access, tmp_path: Path) -> None:
    from console.data.enums import UserRole

    path = write_csv(tmp_path / "a.csv", [row(1)])
    analyst = program_access.as_actor(Actor("ann", UserRole.ANALYST))
    with pytest.raises(PermissionDenied, match="edit call records"):
        import_calls(analyst, path, MAPPING)
    responder = program_access.as_actor(Actor("rita", UserRole.RESPONDER))
    with pytest.raises(PermissionDenied):
        import_calls(responder, path, MAPPING)
    assert not calls(program_access)


def test_one_bulk_audit_entry_per_import(program_access: Access, tmp_path: Path) -> None:
    import hashlib

    path = write_csv(tmp_path / "a.csv", [row(n) for n in range(1, 4)])
    result = import_calls(program_access, path, MAPPING, profile_name="Metro CAD")
    with program_access.factory() as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action == AuditAction.BULK)).all()
    assert len(entries) == 1
    import json

    details = json.loads(entries[0].changes)
    assert details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() == result.sha256
    assert details["profile"] == "Metro CAD" and details["inserted"] == 3
    assert details["file"] == "a.csv"


def test_preview_shows_rows_as_stored_with_their_problems(tmp_path: Path) -> None:
    rows = [row(1), row(2, Priority="high"), row(3, Address="1234 Main Street")]
    survey = Survey(path=tmp_path / "x.csv", kind="csv", encoding="utf-8", sheet=None,
                    header=tuple(HEADER), sample=tuple((n + 2, tuple(r))
                                                       for n, r in enumerate(rows)),
                    row_count=3, distinct={}, date_evidence={}, suggested=MAPPING)
    shown = preview(survey, MAPPING, limit=3)
    assert [p.row for p in shown] == [2, 3, 4]
    assert shown[0].ok and shown[0].values["received_at"] == "2024-03-02 14:05:09"
    assert shown[0].values["disposition"] == "ED transport"
    assert shown[0].values["in_scope"] == "no" and shown[0].values["final_call_type"] == "THEFT"
    assert shown[1].problems == ("Priority: not a whole number: 'high'",)
    assert shown[2].values["address"] == "1200 BLOCK MAIN ST"


def test_block_addresses() -> None:
    assert block_address("1234 Main Street, Apt 5") == "1200 BLOCK MAIN ST"
    assert block_address("12XX BLOCK OF MAIN ST") == "1200 BLOCK MAIN ST"
    assert block_address("99 n. elm avenue #4") == "0 BLOCK N ELM AVE"
    assert block_address("Main St / 3rd Ave") == block_address("3RD AVENUE & MAIN STREET")
    assert block_address("  ,  ") is None



def test_a_database_locked_by_another_writer_is_a_one_line_error(
        db: Database, tmp_path: Path) -> None:
    """Another workstation holds the write lock past the busy timeout (10 s)."""
    import sqlite3

    with db.engine.begin() as conn:
        seed_program(conn)
    access = access_for(db, tmp_path)
    path = write_csv(tmp_path / "a.csv", [row(1)])
    assert db.sqlite_path is not None
    other = sqlite3.connect(db.sqlite_path)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(UserError) as err:
            import_calls(access, path, MAPPING)
    finally:
        other.rollback()
        other.close()
    assert "is busy" in err.value.message and "nothing was changed" in err.value.message
    assert not calls(access)


def test_an_arrest_flag_alone_keeps_a_disposition_set_by_hand(program_access: Access,
                                                              tmp_path: Path) -> None:
    from console.services.people_service import set_disposition

    mapping = Mapping(columns={"incident_number": "Event No", "received_at": "Received",
                               "final_call_type": "Final Type", "arrest_made": "Arrest"},
                      date_order=DateOrder.MONTH_FIRST)
    rows = [row(1), row(2)]
    import_calls(program_access, write_csv(tmp_path / "a.csv", rows), mapping)
    stored = calls(program_access)
    assert stored["2024-00001"].disposition is None and stored["2024-00001"].in_scope is None
    set_disposition(program_access, stored["2024-00001"].id, 1, Disposition.REFERRED)
    with program_access.factory.kw["bind"].begin() as conn:  # scope decided elsewhere
        conn.execute(text("UPDATE call SET in_scope = :yes"), {"yes": True})
    again = import_calls(program_access, write_csv(tmp_path / "b.csv", rows), mapping)
    assert again.counts.unchanged == 2
    rows[1] = row(2, Arrest="Y")
    last = import_calls(program_access, write_csv(tmp_path / "c.csv", rows), mapping)
    assert last.counts.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 1,
                                     "rejected": 0}
    after = calls(program_access)
    assert after["2024-00001"].disposition is Disposition.REFERRED
    assert after["2024-00002"].disposition is Disposition.ARREST
    assert after["2024-00001"].in_scope is True  # no scope decisions: left as stored


@pytest.mark.parametrize("raw", [True, False], ids=["sqlite-text", "datetime"])
def test_cached_datetimes_agree_with_the_parser(raw: bool) -> None:
    """The converter's caches (date part, minute, clock) give what DateTimeParser gives,
    and refuse what it refuses, the first time and from the caches."""
    from console.data.crypto import Vault
    from console.data.importers.values import DateTimeParser
    from console.services.importing.cells import Invalid
    from console.services.importing.validate import RowConverter

    mapping = Mapping(columns={"incident_number": "n", "received_at": "r"},
                      date_order=DateOrder.MONTH_FIRST)
    converter = RowConverter(["n", "r"], mapping, vault=Vault(Vault.new_key()),
                             now=dt.datetime(2030, 1, 1), raw_sqlite=raw)
    convert = converter._columns["received_at"].convert
    parse = DateTimeParser(DateOrder.MONTH_FIRST)
    texts = ["11/04/2023 6:08:26 PM", "11/04/2023 6:08:27 PM", "11/04/2023 12:00:01 AM",
             "11/04/2023 12:59:59 PM", "11/04/2023 18:08:26", "11/04/2023 18:08:59",
             "11/04/2023 18:08:60", "11/04/2023 6:08:26PM", "11/04/2023 6:08:26 pm",
             "11/04/2023 13:08:26 PM", "11/04/2023 0:08:26 AM", "11/04/2023 6:08",
             "11/04/2023", "11/05/2023 9:9:09", "11/04/2023 6:08:2x PM",
             "2023-11-04 18:08:26", "2023-11-04T18:08:26", "11/04/2023 6:08:26 P.M.",
             "45234", "45234 6:08:26 PM", "12/31/2031 1:00:00 PM"]
    for text_, got in zip(texts * 2, convert(texts * 2), strict=True):  # a column's cells
        try:
            want: Any = parse(text_)
        except ValueError:
            assert isinstance(got, Invalid), text_
            continue
        if want > dt.datetime(2030, 1, 1):
            assert isinstance(got, Invalid) and "in the future" in got.reason
            continue
        assert got == (want.isoformat(" ") if raw else want), text_
