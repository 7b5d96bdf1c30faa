"""Adding an import kind is a declaration: a toy roster kind, declared here and nowhere
else, goes through the importer (survey, suggestion, code map, rejects, upsert by key)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import program_access_for
from sqlalchemy import select

from console.data.engine import Database
from console.data.enums import StaffRole
from console.data.importers import fields
from console.data.importers.fields import CodeMap, Field, FieldKind, ImportKind
from console.data.models import StaffMember
from console.services.access import Action
from console.services.import_service import import_file, survey_file
from console.services.importing import kinds
from console.services.importing.kinds import Target, Writer, Writing
from console.services.importing.validate import Converted

ROSTER = ImportKind(
    "roster", "staff member", "staff", (
        Field("staff_key", "Badge / employee number", FieldKind.TEXT, True, limit=40,
              names=(("badge", "employee number"), ())),
        Field("display_name", "Name", FieldKind.TEXT, True, limit=200,
              names=(("name", "full name"), ())),
        Field("role", "Role", FieldKind.CODE, True, names=(("role", "title"), ())),
        Field("hired_on", "Hired", FieldKind.DATE, True, names=(("hired", "hire date"), ())),
    ),
    (CodeMap("roles", ("role",), StaffRole, "Roles", "role",
             rules=((r"OFFICER|DEPUTY", StaffRole.SWORN_OFFICER),
                    (r"CLINICIAN|RESPONDER", StaffRole.MH_RESPONDER))),),
    ("staff_key",))


class RosterWriter:
    def __init__(self, target: Target) -> None:
        self.target, self.write = target, True
        self.inserted = self.updated = self.unchanged = 0
        self.known = set(target.session.scalars(select(StaffMember.staff_key)))

    def add(self, chunk: Converted) -> None:
        for values in chunk.values:
            row = dict(zip(self.target.converter.columns, values, strict=True))
            if row["staff_key"] in self.known:
                self.unchanged += 1
                continue
            self.inserted += 1
            self.known.add(row["staff_key"])
            if self.write:
                self.target.session.add(StaffMember(
                    program_id=self.target.program_id, role=StaffRole(row["role"]),
                    staff_key=row["staff_key"], display_name=row["display_name"],
                    hired_on=row["hired_on"]))
        self.target.session.flush()

    def added(self) -> dict[str, int]:
        return {}


def roster_writer(target: Target) -> Writer:
    return RosterWriter(target)


@pytest.fixture
def roster(monkeypatch: pytest.MonkeyPatch) -> ImportKind:
    monkeypatch.setitem(fields.KINDS, "roster", ROSTER)
    monkeypatch.setitem(kinds.WRITINGS, "roster", Writing(ROSTER, Action.EDIT_STAFF,
                                                          "roster import", roster_writer))
    return ROSTER


def test_a_declared_kind_imports_through_the_shared_importer(
        roster: ImportKind, db: Database, tmp_path: Path) -> None:
    access = program_access_for(db, tmp_path)
    path = tmp_path / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Badge", "Full Name", "Title", "Hire Date"])
        out.writerows([["4417", "Lee, Sam", "Patrol officer", "2019-04-01"],
                       ["C-12", "Ruiz, Ana", "Clinician", "2022-09-12"],
                       ["C-13", "Park, Jo", "Janitor", "2023-01-01"],   # unknown role
                       ["4417", "Lee, Sam", "Patrol officer", "2019-04-01"]])  # duplicate
    mapping = survey_file(path, kind=roster).suggested
    assert mapping.kind == "roster" and mapping.columns == {
        "staff_key": "Badge", "display_name": "Full Name", "role": "Title",
        "hired_on": "Hire Date"}
    result = import_file(access, path, mapping)
    assert (result.counts.inserted, result.counts.rejected) == (2, 2)
    assert [r.reason.split(":")[0] for r in result.rejects] == [
        "unknown role code 'Janitor'", "duplicate of row 2"]
    with access.factory() as session:
        staff = {s.staff_key: (s.role, s.hired_on) for s in session.scalars(select(StaffMember))}
    assert staff == {"4417": (StaffRole.SWORN_OFFICER, dt.date(2019, 4, 1)),
                     "C-12": (StaffRole.MH_RESPONDER, dt.date(2022, 9, 12))}
    again = import_file(access, path, mapping)
    assert again.counts.inserted == 0 and again.counts.unchanged == 2
