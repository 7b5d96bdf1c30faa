"""Import profiles: saved mappings in the database and in JSON files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import access_for
from sqlalchemy import select

from console.data.engine import Database
from console.data.enums import AuditAction, CallSource, Disposition
from console.data.importers.fields import DateOrder, Mapping
from console.data.models import AuditEntry
from console.errors import UserError
from console.services import profiles_service as profiles
from console.services.access import Access, Actor, PermissionDenied

MAPPING = Mapping(columns={"incident_number": "CAD Event Number",
                           "received_at": "Original Time Queued"},
                  date_order=DateOrder.MONTH_FIRST,
                  scope={"--CRISIS COMPLAINT - GENERAL": True},
                  dispositions={"ASSISTANCE RENDERED": Disposition.RESOLVED_ON_SCENE,
                                "CANCELLED": None},
                  sources={"ONVIEW": CallSource.ON_VIEW})


def test_save_list_load_replace_delete(any_db: Database, tmp_path: Path) -> None:
    access = access_for(any_db, tmp_path)
    assert profiles.list_profiles(access) == []
    info = profiles.save_profile(access, "  Seattle   CAD ", MAPPING)
    assert info.name == "Seattle CAD" and info.fields == 2
    assert profiles.load_profile(access, "seattle cad") == MAPPING
    changed = Mapping.from_json(MAPPING.to_json())
    changed.columns["beat"] = "Beat"
    profiles.save_profile(access, "SEATTLE CAD", changed)  # the same profile, replaced
    listed = profiles.list_profiles(access)
    assert [(p.name, p.fields, p.saved_by) for p in listed] == [("Seattle CAD", 3,
                                                                 "sgt.rivera")]
    assert profiles.load_profile(access, "Seattle CAD").columns["beat"] == "Beat"
    with pytest.raises(UserError, match=r"no import profile named 'Other' \(saved profiles: "
                                        r"Seattle CAD\)"):
        profiles.load_profile(access, "Other")
    assert profiles.delete_profile(access, "seattle cad")
    assert not profiles.delete_profile(access, "seattle cad")
    assert profiles.list_profiles(access) == []
    with access.factory() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.table_name == "import_profile").order_by(AuditEntry.seq)).all()
    assert actions == [AuditAction.INSERT, AuditAction.UPDATE, AuditAction.DELETE]


def test_saving_the_same_mapping_again_changes_nothing(access: Access) -> None:
    profiles.save_profile(access, "A", MAPPING)
    with access.factory() as session:
        before = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))
    profiles.save_profile(access, "A", MAPPING)
    with access.factory() as session:
        assert session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())) == before


def test_only_roles_that_edit_calls_save(access: Access) -> None:
    from console.data.enums import UserRole

    analyst = access.as_actor(Actor("ann", UserRole.ANALYST))
    with pytest.raises(PermissionDenied):
        profiles.save_profile(analyst, "A", MAPPING)
    profiles.save_profile(access, "A", MAPPING)
    assert [p.name for p in profiles.list_profiles(analyst)] == ["A"]


def test_export_then_read_round_trips(access: Access, tmp_path: Path) -> None:
    profiles.save_profile(access, "Seattle CAD", MAPPING)
    path = profiles.export_profile(access, "Seattle CAD", tmp_path / "seattle.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["name"] == "Seattle CAD" and data["columns"] == MAPPING.columns
    assert data["dispositions"]["CANCELLED"] is None
    loaded = profiles.read_mapping_file(path)
    assert loaded.name == "Seattle CAD" and loaded.mapping == MAPPING
    assert not list(tmp_path.glob("*.part"))


def test_a_hand_written_file_is_named_after_itself(tmp_path: Path) -> None:
    path = tmp_path / "county cad.json"
    path.write_text(json.dumps({"columns": {"incident_number": "No",
                                            "received_at": "When"}}), encoding="utf-8")
    loaded = profiles.read_mapping_file(path)
    assert loaded.name == "county cad" and loaded.mapping.columns["received_at"] == "When"


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not a mapping file (not UTF-8 text)"),
    (b"{\"columns\": {\"incident_number\": ", "not valid JSON (line 1"),
    (b"[1, 2]", "not a mapping (expected a JSON object)"),
    (b"{\"format\": 7}", "mapping format 7 is not supported"),
    (b"{\"columns\": {\"shoe_size\": \"Shoes\"}}", "unknown field 'shoe_size'"),
    (b"{\"date_order\": \"sideways\"}", "sideways"),
    (b"{\"dispositions\": {\"X\": \"vanished\"}}", "vanished"),
])
def test_bad_mapping_files_are_one_line_errors(tmp_path: Path, content: bytes | None,
                                               message: str) -> None:
    path = tmp_path / "mapping.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError) as err:
        profiles.read_mapping_file(path)
    assert message in err.value.message and "\n" not in err.value.message
    assert str(path) in err.value.message


def test_profile_names_are_checked(access: Access) -> None:
    with pytest.raises(UserError, match="needs a name"):
        profiles.save_profile(access, "   ", MAPPING)
    with pytest.raises(UserError, match="under 80 characters"):
        profiles.save_profile(access, "x" * 81, MAPPING)
