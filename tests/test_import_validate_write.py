"""RowConverter and CallWriter edge by edge: what the import's mutation run found untested.

Each test pins one rule of console/services/importing/validate.py or write.py that a
mutant (a flipped comparison, a dropped condition, an off-by-one) got past; the converter
works on real cells, the writer on a real SQLite file with a real data key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import program_access_for
from sqlalchemy import select, text

from console.data.crypto import Vault
from console.data.engine import Database
from console.data.enums import CallSource, Disposition
from console.data.importers.fields import DateOrder, Mapping
from console.data.models import Call, Person
from console.services.access import Access
from console.services.import_service import import_calls
from console.services.importing.cells import Invalid
from console.services.importing.validate import Converted, RowConverter
from console.services.importing.write import CallWriter
from console.services.people_service import NAME, NARRATIVE

NOW = dt.datetime(2024, 6, 1, 12, 0)
HEADER = ("No", "When", "Initial", "Final", "Priority", "Source", "Clearance", "Arrest",
          "Name", "DOB", "Narrative", "Force")


def converter(columns: dict[str, str], *, order: DateOrder | None = DateOrder.MONTH_FIRST,
              **codes: Any) -> RowConverter:
    mapping = Mapping(columns={"incident_number": "No", "received_at": "When", **columns},
                      date_order=order, **codes)
    return RowConverter(HEADER, mapping, vault=Vault(Vault.new_key()), now=NOW,
                        raw_sqlite=True)


def cells(n: int, **values: Any) -> tuple[int, list[Any]]:
    """Row n + 1 of a file: incident A<n>, received at 2024-05-<n> 10:00, the rest blank."""
    row: dict[str, Any] = {"No": f"A{n}", "When": f"05/{n:02d}/2024 10:00"}
    row.update(values)
    return n + 1, [row.get(h) for h in HEADER]


def rejects(converted: Converted) -> list[tuple[int, str, str, str]]:
    return [(r.row, r.column, r.value, r.reason) for r in converted.rejects]


# --- validate.py ----------------------------------------------------------------------------
def test_a_missing_received_time_alone_rejects_its_row() -> None:
    out = converter({}).convert([cells(1), cells(2, When=""), cells(3)])
    assert rejects(out) == [(3, "When", "", "no received time")]
    assert out.rows == [2, 4] and out.rejected_rows == 1


def test_a_missing_incident_number_alone_rejects_its_row() -> None:
    out = converter({}).convert([cells(1), cells(2, No=" "), cells(3)])
    assert rejects(out) == [(3, "No", "", "no incident number")]
    assert out.rows == [2, 4]


def test_a_duplicate_within_a_clean_chunk() -> None:
    convert = converter({})
    out = convert.convert([cells(1), cells(2), cells(3, No="A1")])
    assert rejects(out) == [(4, "No", "A1", "duplicate of row 2")]
    later = convert.convert([cells(4, No="A2"), cells(5)])
    assert rejects(later) == [(5, "No", "A2", "duplicate of row 3")]
    assert later.rows == [6]


def test_the_same_bad_cell_in_two_chunks_rejects_both_rows() -> None:
    convert = converter({"priority": "Priority"})
    first = convert.convert([cells(1, Priority="high"), cells(2, Priority="2")])
    second = convert.convert([cells(3, Priority="high"), cells(4, Priority="2")])
    assert [r[:2] for r in rejects(first) + rejects(second)] == [(2, "Priority"),
                                                                 (4, "Priority")]
    assert second.values and not any(isinstance(v, Invalid) for v in second.values[0])


def test_a_priority_out_of_range() -> None:
    out = converter({"priority": "Priority"}).convert(
        [cells(1, Priority=str(2**31)), cells(2, Priority=str(2**31 - 1)),
         cells(3, Priority=str(-(2**31)))])
    assert rejects(out) == [(2, "Priority", str(2**31), f"out of range: {2**31}")]
    assert out.rows == [3, 4]


def test_the_consoles_own_codes_and_labels_are_always_known() -> None:
    out = converter({"source": "Source", "disposition": "Clearance"}).convert(
        [cells(1, Source="on_view", Clearance="ED transport"),
         cells(2, Source="911", Clearance="unable_to_locate")])
    assert not out.rejects
    by_column = dict(zip(converter({"source": "Source", "disposition": "Clearance"}).columns,
                         zip(*out.values, strict=True), strict=True))
    assert by_column["source"] == (CallSource.ON_VIEW.value, CallSource.E911.value)
    assert by_column["disposition"] == (Disposition.ED_TRANSPORT.value,
                                        Disposition.UNABLE_TO_LOCATE.value)


def test_scope_from_a_final_call_type_alone() -> None:
    convert = converter({"final_call_type": "Final"}, scope={"CRISIS": True, "THEFT": False})
    out = convert.convert([cells(1, Final="crisis"), cells(2, Final="THEFT"), cells(3),
                           cells(4, Final="PARKING")])
    assert [v[-1] for v in out.values] == [True, False, None]
    assert rejects(out) == [(5, "Final", "PARKING",
                             "unknown call type 'PARKING': say in the mapping whether it "
                             "is in scope")]


def test_scope_from_an_initial_call_type_alone() -> None:
    convert = converter({"initial_call_type": "Initial"}, scope={"CRISIS": True})
    out = convert.convert([cells(1, Initial="CRISIS"), cells(2, Initial="PARKING")])
    assert [v[-1] for v in out.values] == [True]
    assert rejects(out)[0][:3] == (3, "Initial", "PARKING")


def test_an_unknown_initial_type_is_reported_on_its_own_column() -> None:
    convert = converter({"initial_call_type": "Initial", "final_call_type": "Final"},
                        scope={"CRISIS": True})
    out = convert.convert([cells(1, Initial="PARKING", Final="CRISIS"),
                           cells(2, Initial="PARKING"), cells(3, Final="THEFT")])
    assert [v[-1] for v in out.values] == [True]
    assert [r[:3] for r in rejects(out)] == [(3, "Initial", "PARKING"),
                                             (4, "Final", "THEFT")]


def test_a_birth_date_today_is_not_in_the_future() -> None:
    out = converter({"person_name": "Name", "person_birth_date": "DOB"}).convert(
        [cells(1, Name="Ann", DOB=NOW.strftime("%m/%d/%Y")),
         cells(2, Name="Bob", DOB=(NOW + dt.timedelta(days=1)).strftime("%m/%d/%Y"))])
    assert out.rows == [2]
    assert rejects(out) == [(3, "DOB", "(withheld: birth date)", "in the future")]


@pytest.mark.parametrize(("dob", "order", "reason"), [
    ("31/31/1980 10:30", DateOrder.MONTH_FIRST, "not a date"),
    ("07/04/1980", None, "day/month order unknown"),
])
def test_a_bad_birth_date_is_withheld_to_its_last_character(
        dob: str, order: DateOrder | None, reason: str) -> None:
    convert = converter({"person_name": "Name", "person_birth_date": "DOB"}, order=order)
    out = convert.convert([("2", ["A1", "2024-05-01 10:00", *[None] * 6, "Ann", dob, None,
                                  None])])  # type: ignore[list-item]
    assert rejects(out) == [("2", "DOB", "(withheld: birth date)", reason)]


def test_persons_with_no_birth_date_column_blank_names_and_names_without_letters() -> None:
    vault = Vault(Vault.new_key())
    mapping = Mapping(columns={"incident_number": "No", "received_at": "When",
                               "person_name": "Name"}, date_order=DateOrder.MONTH_FIRST)
    convert = RowConverter(HEADER, mapping, vault=vault, now=NOW, raw_sqlite=True)
    out = convert.convert([cells(1, Name="Ann Lee"), cells(2), cells(3, Name="?!"),
                           cells(4, Name="Bob Ray"), cells(5, Name="ann  lee")])
    assert out.persons is not None and len(out.persons) == 5
    from console.services.people_service import person_key
    ann, bob = person_key(vault, "Ann Lee"), person_key(vault, "Bob Ray")
    assert [p[0] if p else None for p in out.persons] == [ann, None, None, bob, ann]
    again = convert.convert([cells(6, Name="Ann Lee")])
    assert again.persons == [(ann, "Ann Lee")]


# --- write.py, on a real database ----------------------------------------------------------
@pytest.fixture
def program_access(db: Database, tmp_path: Path) -> Access:
    return program_access_for(db, tmp_path)


def write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def line(n: int, **values: Any) -> list[Any]:
    return cells(n, **values)[1]


FULL = Mapping(columns={"incident_number": "No", "received_at": "When",
                        "final_call_type": "Final", "priority": "Priority",
                        "source": "Source", "disposition": "Clearance",
                        "person_name": "Name", "narrative": "Narrative",
                        "use_of_force": "Force"},
               date_order=DateOrder.MONTH_FIRST, scope={"CRISIS": True, "THEFT": False},
               sources={"911": CallSource.E911},
               dispositions={"HANDLED": Disposition.RESOLVED_ON_SCENE, "NONE": None})


def stored(access: Access) -> dict[str, Call]:
    with access.factory() as session:
        return {c.incident_number: c for c in session.scalars(select(Call))}


def test_every_field_is_written_then_compared(program_access: Access, tmp_path: Path) -> None:
    rows = [line(1, Final="CRISIS", Priority="1", Source="911", Clearance="HANDLED",
                 Name="Ann Lee", Narrative="first", Force="Y"),
            line(2, Final="THEFT", Priority="2", Clearance="NONE", Name="Bob Ray"),
            line(3)]
    first = import_calls(program_access, write_csv(tmp_path / "a.csv", rows), FULL)
    assert first.counts.as_dict() == {"inserted": 3, "updated": 0, "unchanged": 0,
                                      "rejected": 0}
    assert first.persons_added == 2
    calls = stored(program_access)
    one = calls["A1"]
    assert (one.final_call_type, one.in_scope, one.priority, one.source, one.disposition,
            one.use_of_force, one.version) == ("CRISIS", True, 1, CallSource.E911,
                                               Disposition.RESOLVED_ON_SCENE, True, 1)
    assert program_access.vault.open(one.narrative or "", purpose=NARRATIVE) == "first"
    assert calls["A2"].narrative is None and calls["A3"].person_id is None
    assert calls["A2"].use_of_force is False and calls["A2"].in_scope is False
    with program_access.factory() as session:
        names = {program_access.vault.open(p.name or "", purpose=NAME)
                 for p in session.scalars(select(Person))}
    assert names == {"Ann Lee", "Bob Ray"}
    # Each field alone changed: that row is updated, the others are unchanged.
    for change in ({"Priority": "3"}, {"Narrative": "second"}, {"Narrative": ""},
                   {"Name": "Cy Dee"}, {"Name": ""}, {"Force": "N"}, {"Clearance": "NONE"}):
        before = stored(program_access)["A1"].version
        rows[0] = line(1, **{**{"Final": "CRISIS", "Priority": "1", "Source": "911",
                                "Clearance": "HANDLED", "Name": "Ann Lee",
                                "Narrative": "first", "Force": "Y"}, **change})
        result = import_calls(program_access, write_csv(tmp_path / "b.csv", rows), FULL)
        assert result.counts.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 2,
                                           "rejected": 0}, change
        assert stored(program_access)["A1"].version == before + 1
        back = import_calls(program_access, write_csv(tmp_path / "c.csv", [
            line(1, Final="CRISIS", Priority="1", Source="911", Clearance="HANDLED",
                 Name="Ann Lee", Narrative="first", Force="Y"), rows[1], rows[2]]), FULL)
        assert back.counts.updated == 1
    rows[0] = line(1, Final="CRISIS", Priority="1", Source="911", Clearance="HANDLED",
                   Name="Ann Lee", Narrative="first", Force="Y")
    same = import_calls(program_access, write_csv(tmp_path / "d.csv", rows), FULL)
    assert same.counts.as_dict() == {"inserted": 0, "updated": 0, "unchanged": 3,
                                     "rejected": 0}
    assert same.persons_added == 0


def test_a_file_of_new_and_known_calls_in_one_chunk(program_access: Access,
                                                    tmp_path: Path) -> None:
    narrow = Mapping(columns={"incident_number": "No", "received_at": "When",
                              "priority": "Priority"}, date_order=DateOrder.MONTH_FIRST)
    import_calls(program_access, write_csv(tmp_path / "a.csv", [line(1, Priority="1")]),
                 narrow)
    result = import_calls(program_access, write_csv(tmp_path / "b.csv", [
        line(1, Priority="1"), line(2, Priority="2"), line(3, Priority="3")]), narrow)
    assert result.counts.as_dict() == {"inserted": 2, "updated": 0, "unchanged": 1,
                                       "rejected": 0}
    calls = stored(program_access)
    assert {k: (c.priority, c.program_id, c.agency_id, c.use_of_force) for k, c in
            calls.items()} == {"A1": (1, 1, 1, False), "A2": (2, 1, 1, False),
                               "A3": (3, 1, 1, False)}


def test_many_incident_numbers_are_looked_up_in_batches(program_access: Access,
                                                        tmp_path: Path) -> None:
    from console.services.importing import write

    narrow = Mapping(columns={"incident_number": "No", "received_at": "When",
                              "priority": "Priority"}, date_order=DateOrder.MONTH_FIRST)
    rows = [line(n % 28 + 1, No=f"A{n}", Priority="1") for n in range(1, 1201)]
    import_calls(program_access, write_csv(tmp_path / "a.csv", rows), narrow)
    rows[1100] = line(1, No="A1101", Priority="2")
    assert write.LOOKUP_CHUNK < 1100
    result = import_calls(program_access, write_csv(tmp_path / "b.csv", rows), narrow)
    assert result.counts.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 1199,
                                       "rejected": 0}


def test_a_dry_run_writer_counts_people_it_would_add(program_access: Access,
                                                     tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [line(1, Name="Ann Lee"), line(2, Name="Ann Lee"),
                                          line(3, Name="Bob Ray")])
    dry = import_calls(program_access, path, FULL, dry_run=True)
    assert dry.counts.inserted == 3 and dry.persons_added == 0
    with program_access.factory() as session:
        assert session.execute(text("SELECT count(*) FROM person")).scalar() == 0
    real = import_calls(program_access, path, FULL)
    assert real.persons_added == 2
    calls = stored(program_access)
    assert calls["A1"].person_id == calls["A2"].person_id != calls["A3"].person_id


def test_a_writer_with_write_off_changes_nothing(program_access: Access) -> None:
    engine = program_access.factory.kw["bind"]
    convert = converter({"priority": "Priority"})
    chunk = convert.convert([cells(1, Priority="1")])
    with engine.begin() as conn:
        writer = CallWriter(conn, columns=convert.columns, program_id=1, agency_id=1,
                            vault=convert.vault, has_person=False, has_narrative=False)
        writer.write = False
        writer.add(chunk)
        assert writer.inserted == 1
        assert conn.execute(text("SELECT count(*) FROM call")).scalar() == 0
        writing = CallWriter(conn, columns=convert.columns, program_id=1, agency_id=1,
                             vault=convert.vault, has_person=False, has_narrative=False)
        writing.add(chunk)  # writes unless told not to
        assert conn.execute(text("SELECT count(*) FROM call")).scalar() == 1


# --- more of validate.py ----------------------------------------------------------------------
def test_short_rows_are_padded_and_long_rows_cut() -> None:
    convert = converter({"beat": "Force"})
    out = convert.convert([(2, ["A1", "05/01/2024 10:00"]),
                           (3, ["A2", "05/02/2024 10:00", *[None] * 9, "B7", "extra"])])
    assert not out.rejects
    assert [v[-1] for v in out.values] == [None, "B7"]


def test_mapped_columns_are_found_whatever_their_case_and_spacing() -> None:
    mapping = Mapping(columns={"incident_number": " no ", "received_at": "WHEN",
                               "priority": "priority"}, date_order=DateOrder.MONTH_FIRST)
    convert = RowConverter(HEADER, mapping, vault=Vault(Vault.new_key()), now=NOW,
                           raw_sqlite=True)
    out = convert.convert([cells(1, Priority="3")])
    assert out.values == [("A1", "2024-05-01 10:00:00", 3)]


def test_a_clock_a_little_ahead_is_not_in_the_future() -> None:
    ahead = (NOW + dt.timedelta(minutes=10)).strftime("%m/%d/%Y %H:%M")
    beyond = (NOW + dt.timedelta(minutes=20)).strftime("%m/%d/%Y %H:%M")
    out = converter({}).convert([(2, ["A1", ahead]), (3, ["A2", beyond])])
    assert out.rows == [2] and rejects(out)[0][:2] == (3, "When")
    assert "in the future" in rejects(out)[0][3]


def test_an_ambiguous_date_names_its_column() -> None:
    from console.errors import UserError

    with pytest.raises(UserError, match="column 'When'"):
        converter({}, order=None).convert([cells(1)])


@pytest.mark.parametrize(("field", "column", "limit"), [
    ("incident_number", "No", 40), ("final_call_type", "Final", 80), ("beat", "Force", 40),
    ("person_name", "Name", 200)])
def test_text_at_its_limit_is_kept_one_more_is_rejected(field: str, column: str,
                                                        limit: int) -> None:
    columns = {} if field == "incident_number" else {field: column}
    convert = converter(columns)
    out = convert.convert([cells(1, **{column: "x" * limit}),
                           cells(2, **{column: "y" * (limit + 1)})])
    assert out.rows == [2]
    assert rejects(out)[0][1:] == (column, "(withheld: name)" if field == "person_name"
                                   else "y" * (limit + 1), f"longer than {limit} characters")


def test_whole_numbers_a_spreadsheet_stored_as_floats_are_identifiers() -> None:
    convert = converter({})
    out = convert.convert([(2, [2023000319821.0, "2024-05-01 10:00"]),
                           (3, [5.0, "2024-05-01 10:00"])])
    assert [v[0] for v in out.values] == ["2023000319821", "5"]
    mixed = convert.convert([(4, [7.5, "2024-05-01 10:00"]), (5, [8.0, "2024-05-01 10:00"])])
    assert [v[0] for v in mixed.values] == ["7.5", "8"]


def test_narratives_and_people_stay_with_their_rows_around_a_bad_row() -> None:
    convert = converter({"narrative": "Narrative", "person_name": "Name",
                         "priority": "Priority"})
    out = convert.convert([cells(1, Narrative="one", Name="Ann"),
                           cells(2, Narrative="two", Name="Bob", Priority="bad"),
                           cells(3, Narrative="three", Name="Cy")])
    assert out.narratives == ["one", "three"]
    assert out.persons is not None and [p[1] for p in out.persons if p] == ["Ann", "Cy"]


def test_a_disposition_column_alone_writes_dispositions() -> None:
    convert = converter({"disposition": "Clearance"},
                        dispositions={"HANDLED": Disposition.RESOLVED_ON_SCENE})
    assert "disposition" in convert.columns and not convert.keep_when_blank
    out = convert.convert([cells(1, Clearance="HANDLED")])
    assert out.values[0][-1] == Disposition.RESOLVED_ON_SCENE.value
    both = converter({"disposition": "Clearance", "arrest_made": "Arrest"})
    assert not both.keep_when_blank
    alone = converter({"arrest_made": "Arrest"})
    assert alone.keep_when_blank == frozenset({"disposition"})


# --- more of write.py ----------------------------------------------------------------------------
def test_a_blank_in_a_corrected_export_clears_the_field_but_an_arrest_flag_does_not(
        program_access: Access, tmp_path: Path) -> None:
    from console.services.people_service import set_disposition

    mapping = Mapping(columns={"incident_number": "No", "received_at": "When",
                               "priority": "Priority", "arrest_made": "Arrest"},
                      date_order=DateOrder.MONTH_FIRST)
    import_calls(program_access, write_csv(tmp_path / "a.csv", [line(1, Priority="2")]),
                 mapping)
    call = stored(program_access)["A1"]
    set_disposition(program_access, call.id, call.version, Disposition.REFERRED)
    result = import_calls(program_access, write_csv(tmp_path / "b.csv", [line(1)]), mapping)
    assert result.counts.updated == 1
    after = stored(program_access)["A1"]
    assert after.priority is None  # the corrected export blanked it
    assert after.disposition is Disposition.REFERRED  # no arrest: the hand-set one stays


def test_narratives_without_names(program_access: Access, tmp_path: Path) -> None:
    mapping = Mapping(columns={"incident_number": "No", "received_at": "When",
                               "narrative": "Narrative"}, date_order=DateOrder.MONTH_FIRST)
    path = write_csv(tmp_path / "a.csv", [line(1, Narrative="one"), line(2)])
    assert import_calls(program_access, path, mapping).counts.inserted == 2
    calls = stored(program_access)
    assert program_access.vault.open(calls["A1"].narrative or "",
                                     purpose=NARRATIVE) == "one"
    assert calls["A2"].narrative is None
    assert import_calls(program_access, path, mapping).counts.unchanged == 2


def test_counts_add_up_over_chunks(program_access: Access, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from console.services import import_service

    monkeypatch.setattr(import_service, "CHUNK_ROWS", 3)
    rows = [line(n, Name=f"Person {n}") for n in range(1, 11)]
    first = import_calls(program_access, write_csv(tmp_path / "a.csv", rows), FULL)
    assert first.counts.inserted == 10 and first.persons_added == 10
    rows = [line(n, Name=f"Person {n}", Priority=str(n)) for n in range(1, 11)]
    again = import_calls(program_access, write_csv(tmp_path / "b.csv", rows), FULL)
    assert again.counts.as_dict() == {"inserted": 0, "updated": 10, "unchanged": 0,
                                      "rejected": 0}


def test_many_new_people_in_one_chunk(program_access: Access, tmp_path: Path) -> None:
    mapping = Mapping(columns={"incident_number": "No", "received_at": "When",
                               "person_name": "Name"}, date_order=DateOrder.MONTH_FIRST)
    rows = [line(n % 28 + 1, No=f"A{n}", Name=f"Person {n}") for n in range(1, 1201)]
    result = import_calls(program_access, write_csv(tmp_path / "a.csv", rows), mapping)
    assert result.persons_added == 1200
    assert all(c.person_id is not None for c in stored(program_access).values())


def test_a_small_import_into_a_big_table_keeps_its_indexes(
        program_access: Access, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from console.services import import_service

    narrow = Mapping(columns={"incident_number": "No", "received_at": "When"},
                     date_order=DateOrder.MONTH_FIRST)
    import_calls(program_access, write_csv(tmp_path / "a.csv", [
        line(n % 28 + 1, No=f"A{n}") for n in range(1, 101)]), narrow)
    # The first chunk tells how large the import is: 10 rows, against 100 stored.
    monkeypatch.setattr(import_service, "BULK_MIN_ROWS", 10)
    monkeypatch.setattr(import_service, "CHUNK_ROWS", 10)
    small = import_calls(program_access, write_csv(tmp_path / "b.csv", [
        line(n % 28 + 1, No=f"B{n}") for n in range(1, 13)]), narrow)
    assert small.counts.inserted == 12 and small.timings["indexes"] == 0
    monkeypatch.setattr(import_service, "CHUNK_ROWS", 60)  # 60 rows, against 112 stored
    big = import_calls(program_access, write_csv(tmp_path / "c.csv", [
        line(n % 28 + 1, No=f"C{n}") for n in range(1, 81)]), narrow)
    assert big.counts.inserted == 80 and big.timings["indexes"] > 0


def test_an_exact_column_name_wins_over_one_that_differs_in_case() -> None:
    header = ("No", "When", "Beat", "BEAT")
    for column, expected in (("BEAT", "upper"), ("Beat", "title"), ("beat", "title")):
        mapping = Mapping(columns={"incident_number": "No", "received_at": "When",
                                   "beat": column}, date_order=DateOrder.MONTH_FIRST)
        convert = RowConverter(header, mapping, vault=Vault(Vault.new_key()), now=NOW,
                               raw_sqlite=True)
        out = convert.convert([(2, ["A1", "05/01/2024 10:00", "title", "upper"])])
        assert out.values[0][-1] == expected, column
