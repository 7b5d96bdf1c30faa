"""An import after the criteria exist: each call takes the scope of the version in force
on its day; call types the criteria do not list fall back to the mapping's call-type map
and are reported as not in the criteria yet."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import program_access_for
from sqlalchemy import select

from console.data.engine import Database
from console.data.importers.fields import Mapping
from console.data.models import Call
from console.services.access import Access, Action
from console.services.criteria.reclassify import apply_spec
from console.services.criteria.versions import EntrySpec, VersionSpec
from console.services.import_service import import_calls

MAP = {"incident_number": "No", "received_at": "Received", "final_call_type": "Type"}


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    access = program_access_for(any_db, tmp_path)
    apply_spec(access, VersionSpec(
        "Refined", dt.date(2024, 3, 10),
        (EntrySpec("Welfare check", False, "patrol handles it"),
         EntrySpec("Mental health", True, "the unit's core")),
        approved_by="Lt. Ortiz", policy_reference="GO 4.12"))
    return access


def _file(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "calls.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([("No", "Received", "Type"), *rows])
    return path


def _scopes(access: Access) -> dict[str, bool | None]:
    with access.reading(Action.VIEW_CALLS) as s:
        return dict(s.execute(select(Call.incident_number, Call.in_scope)).tuples().all())


def test_imported_calls_take_the_criteria_of_their_day(access: Access, tmp_path: Path) -> None:
    path = _file(tmp_path, [
        ("1", "2024-03-09 23:59:59", "WELFARE CHECK"),   # before the version: the map
        ("2", "2024-03-10 00:00:00", "WELFARE CHECK"),   # the version's first second
        ("3", "2024-03-10 08:00:00", "mental health"),   # only the criteria know it
        ("4", "2024-03-09 08:00:00", "MENTAL HEALTH"),   # before them nobody does
        ("5", "2024-03-11 08:00:00", "THEFT"),           # not in the criteria yet
    ])
    mapping = Mapping(columns=MAP,
                      scope={"WELFARE CHECK": True, "THEFT": False})
    result = import_calls(access, path, mapping)
    assert [r.row for r in result.rejects] == [5]  # the file's fifth line: incident 4
    assert "activation criteria" in result.rejects[0].reason
    assert result.not_in_criteria == {"THEFT": 1}
    assert _scopes(access) == {"1": True, "2": False, "3": True, "5": False}


def test_criteria_decide_even_where_the_mapping_decides_nothing(
        access: Access, tmp_path: Path) -> None:
    path = _file(tmp_path, [("1", "2024-03-12 10:00:00", "Welfare check"),
                            ("2", "2024-03-12 11:00:00", "Theft"),
                            ("3", "2024-03-01 11:00:00", "Welfare check")])
    result = import_calls(access, path, Mapping(columns=MAP))
    assert not result.rejects and result.not_in_criteria == {"Theft": 1}
    assert _scopes(access) == {"1": False, "2": None, "3": None}
