"""Identities at rest: what was typed never reaches the database file or a server dump.

Tests on `any_db` run on SQLite and, given a server, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import glob
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import access_for, seed_program
from sqlalchemy import insert, select

from console.data.crypto import SealError, Vault
from console.data.engine import Database
from console.data.enums import UserRole
from console.data.models import Call, Person
from console.services import people_service
from console.services.access import Access, Actor, PermissionDenied

NAMES = ["Marisol Quintanilla-Brightwater", "Thaddeus Okonkwo-Lindqvist"]
CONTACT = "cell 555-0147, sister Rosalind Featherstonehaugh"
NARRATIVE = ("Subject disclosed thoughts of self-harm after eviction notice; "
             "declined transport, accepted warm handoff to Riverbend Crisis Line.")
SECRETS = [*NAMES, CONTACT, NARRATIVE, "Quintanilla", "Featherstonehaugh", "eviction notice"]


def _world(db: Database) -> None:
    with db.engine.begin() as conn:
        seed_program(conn)
        conn.execute(insert(Call), [
            {"id": i, "program_id": 1, "agency_id": 1, "incident_number": f"24-{i:06d}",
             "received_at": dt.datetime(2024, 5, i, 14, 0)} for i in (1, 2, 3)])


def _enter_everything(access: Access) -> list[int]:
    ids = [people_service.record_person(access, NAMES[0], born=dt.date(1988, 4, 2),
                                        contact=CONTACT),
           people_service.record_person(access, NAMES[1])]
    people_service.link_person(access, 1, ids[0])
    people_service.set_call_narrative(access, 1, NARRATIVE)
    return ids


def _assert_absent(raw: bytes, where: str) -> None:
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in raw, f"{secret!r} in clear in {where}"


def test_sqlite_file_holds_no_plaintext(db: Database, tmp_path: Path) -> None:
    _world(db)
    access = access_for(db, tmp_path)
    ids = _enter_everything(access)
    # Read back through the service: the round trip works for allowed roles.
    assert people_service.person_identity(access, ids[0]).name == NAMES[0]
    assert people_service.person_identity(access, ids[0]).contact == CONTACT
    assert people_service.call_narrative(access, 1) == NARRATIVE
    path = db.sqlite_path
    assert path is not None
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*")
                   if not p.name.endswith(".demo-key"))
    assert len(raw) > 10_000
    _assert_absent(raw, "the SQLite file and its WAL")
    db.dispose()  # checkpoint the WAL into the main file, then look again
    _assert_absent(path.read_bytes(), "the checkpointed SQLite file")


def _pg_dump() -> str | None:
    found = shutil.which("pg_dump") or sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def test_postgresql_dump_holds_no_plaintext(pg_db: Database, tmp_path: Path) -> None:
    dump = _pg_dump()
    if dump is None:
        pytest.skip("pg_dump is not installed (Debian package postgresql-client)")
    _world(pg_db)
    access = access_for(pg_db, tmp_path)
    _enter_everything(access)
    url = pg_db.engine.url
    out = subprocess.run(
        [dump, "--data-only", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432),
         "-U", url.username or "postgres", url.database or ""],
        capture_output=True, check=True, timeout=60).stdout
    assert b"enc1:" in out and b"person" in out  # the dump did include the sealed rows
    _assert_absent(out, "the pg_dump output")


def test_repeat_calls_match_by_keyed_hash_without_decrypting(
        any_db: Database, tmp_path: Path) -> None:
    access = access_for(any_db, tmp_path)
    first = people_service.record_person(access, "José  O'Neil", born=dt.date(1990, 1, 2))
    again = people_service.record_person(access, "jose oneil", born=dt.date(1990, 1, 2))
    other = people_service.record_person(access, "Jose ONeil", born=dt.date(1991, 1, 2))
    assert first == again != other
    with any_db.session_factory() as s:
        keys = set(s.scalars(select(Person.person_key)))
    assert len(keys) == 2 and all(len(k) == 64 for k in keys)
    # Another database (another key) gives another pseudonym: keys never link databases.
    stranger = Vault(Vault.new_key())
    assert people_service.person_key(stranger, "jose oneil", dt.date(1990, 1, 2)) not in keys


def test_roles_without_identity_access_are_refused(any_db: Database, tmp_path: Path) -> None:
    _world(any_db)
    access = access_for(any_db, tmp_path)
    person = people_service.record_person(access, NAMES[0])
    for role in (UserRole.ANALYST, UserRole.REVIEWER):
        other = access.as_actor(Actor(f"x.{role.value}", role))
        with pytest.raises(PermissionDenied):
            people_service.person_identity(other, person)
        with pytest.raises(PermissionDenied):
            people_service.call_narrative(other, 1)
    responder = access.as_actor(Actor("r", UserRole.RESPONDER))
    assert people_service.person_identity(responder, person).name == NAMES[0]


def test_a_sealed_value_moved_to_another_column_does_not_open(
        any_db: Database, tmp_path: Path) -> None:
    _world(any_db)
    access = access_for(any_db, tmp_path)
    person = people_service.record_person(access, NAMES[0])
    with any_db.engine.begin() as conn:
        sealed = conn.execute(select(Person.name).where(Person.id == person)).scalar_one()
        conn.execute(Call.__table__.update().where(Call.id == 2).values(narrative=sealed))
    with pytest.raises(SealError):
        people_service.call_narrative(access, 2)


def test_every_sealed_column_is_text_and_declared() -> None:
    from console.data.models import Base

    sealed = sorted(f"{t.name}.{c.name}" for t in Base.metadata.tables.values()
                    for c in t.columns if c.info.get("sealed"))
    assert sealed == ["call.narrative", "candidate.contact", "candidate.name",
                      "complaint.closing_letter",
                      "complaint.complainant_contact", "complaint.complainant_name",
                      "complaint.narrative", "complaint_attachment.content",
                      "complaint_attachment.filename", "complaint_event.note",
                      "evaluation.notes", "follow_up_contact.note", "person.contact",
                      "person.name", "referral.outcome_notes"]
