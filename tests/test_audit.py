"""The audit trail: every ORM write leaves an entry in the same transaction; edits show."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import access_for
from sqlalchemy import func, select, update

from console.data import audit
from console.data.engine import Database
from console.data.enums import EventKind, UserRole
from console.data.models import AuditEntry, AuditHead, Person, ProgramEvent, UserAccount
from console.services import audit_service, people_service, program_service, users_service
from console.services.access import Access, Action


def _entries(db: Database) -> list[AuditEntry]:
    with db.session_factory() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _program(access: Access) -> None:
    from console.data.models import Program

    with access.writing(Action.EDIT_PROGRAM) as s:
        s.add(Program(name="Metro co-response", jurisdiction="Metro",
                      started_on=dt.date(2023, 1, 1)))


@pytest.fixture
def trail(any_db: Database, tmp_path) -> Access:  # type: ignore[no-untyped-def]
    access = access_for(any_db, tmp_path)
    _program(access)
    return access


def test_insert_update_delete_each_leave_an_entry(trail: Access) -> None:
    db_entries = len(_entries_of(trail))
    event_id = program_service.add_program_event(trail, dt.date(2025, 2, 3),
                                                 EventKind.RIDE_ALONG, "Ride-along, Sgt. Cole")
    with trail.writing(Action.EDIT_PROGRAM) as s:
        s.get(ProgramEvent, event_id).title = "Ride-along with Sgt. Cole"  # type: ignore[union-attr]
    with trail.writing(Action.EDIT_PROGRAM) as s:
        s.delete(s.get(ProgramEvent, event_id))
    new = _entries_of(trail)[db_entries:]
    assert [(e.action.value, e.table_name, e.record_id) for e in new] == [
        ("insert", "program_event", str(event_id)),
        ("update", "program_event", str(event_id)),
        ("delete", "program_event", str(event_id)),
    ]
    assert all(e.actor == trail.actor.username for e in new)
    changes = [json.loads(e.changes) for e in new]
    assert changes[0]["title"] == [None, "Ride-along, Sgt. Cole"]
    assert changes[0]["kind"] == [None, "ride_along"]
    assert changes[1] == {"title": ["Ride-along, Sgt. Cole", "Ride-along with Sgt. Cole"]}
    assert changes[2]["title"] == ["Ride-along with Sgt. Cole", None]


def _entries_of(access: Access) -> list[AuditEntry]:
    with access.factory() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_every_write_of_a_workflow_is_audited_and_the_chain_verifies(trail: Access) -> None:
    before = len(_entries_of(trail))
    users_service.add_user(trail, "lee.analyst", "Lee Analyst", UserRole.ANALYST,
                           "a long password 0")
    person = people_service.record_person(trail, "Jordan Example", contact="555-0100")
    users_service.set_active(trail, "lee.analyst", False)
    new = _entries_of(trail)[before:]
    assert [(e.action.value, e.table_name) for e in new] == [
        ("insert", "user_account"), ("insert", "person"), ("update", "user_account")]
    assert new[1].record_id == str(person)
    check = audit_service.verify_trail(trail)
    assert check.ok and check.entries == len(_entries_of(trail))


def test_secrets_stay_secret_in_the_trail(trail: Access) -> None:
    users_service.add_user(trail, "lee.analyst", "Lee Analyst", UserRole.ANALYST,
                           "a long password 0")
    people_service.record_person(trail, "Jordan Example", contact="555-0100")
    entries = _entries_of(trail)
    user_entry = next(e for e in entries if e.table_name == "user_account")
    person_entry = next(e for e in entries if e.table_name == "person")
    assert json.loads(user_entry.changes)["password_hash"] == [None, audit.REDACTED]
    assert "argon2" not in user_entry.changes
    sealed = json.loads(person_entry.changes)["name"][1]
    assert sealed.startswith("enc1:")  # left encrypted, exactly as stored
    assert "Jordan" not in person_entry.changes and "555-0100" not in person_entry.changes


def test_a_write_and_its_entry_roll_back_together(trail: Access) -> None:
    before = len(_entries_of(trail))
    with pytest.raises(RuntimeError), trail.writing(Action.EDIT_PROGRAM) as s:
        s.add(ProgramEvent(program_id=1, occurred_on=dt.date(2025, 1, 1),
                           kind=EventKind.BRIEFING, title="Briefing"))
        s.flush()  # the entry is written here, inside the transaction
        raise RuntimeError("the user's action failed after the flush")
    assert len(_entries_of(trail)) == before
    with trail.factory() as s:
        assert s.scalar(select(func.count()).select_from(ProgramEvent)) == 0
    assert audit_service.verify_trail(trail).ok


def test_a_write_without_an_actor_is_refused(trail: Access) -> None:
    with pytest.raises(audit.AuditUnavailable), trail.factory.begin() as s:
        s.add(ProgramEvent(program_id=1, occurred_on=dt.date(2025, 1, 1),
                           kind=EventKind.BRIEFING, title="Unattributed"))
    with trail.factory() as s:
        assert s.scalar(select(func.count()).select_from(ProgramEvent)) == 0


# Entries of the `trail` fixture after four more events: 1 the database's setup, 2 the
# program, 3-6 the briefings. Each tamper case and the first problem verify must find.
TAMPERED: dict[str, tuple[str, int]] = {
    "changes": ("entry 3 was altered after it was written", 3),
    "actor": ("entry 3 was altered after it was written", 3),
    "rehash_without_key": ("entry 3 was altered after it was written", 3),
    "swap_contents": ("entry 2 was altered after it was written", 2),
    "reorder": ("entry 3 does not follow entry 2", 3),
    "delete_middle": ("entry 3 is missing", 3),
    "delete_last": ("the trail ends at entry 5 but its head says 6: entries were removed", 6),
    "head_moved_back": ("the head names entry 5 but the trail goes on to entry 6: the head "
                        "was moved back", 6),
    "truncated": ("the trail ends at entry 4 but this workstation has seen entry 6: entries "
                  "were removed", 5),
}


@pytest.mark.parametrize("tamper", list(TAMPERED))
def test_tampering_fails_verify_with_the_exact_problem(trail: Access, tamper: str) -> None:
    for i in range(4):
        program_service.add_program_event(trail, dt.date(2025, 1, 1 + i), EventKind.BRIEFING,
                                          f"Briefing {i}")
    assert audit_service.verify_trail(trail) == audit.ChainCheck(6, head=_head(trail, 6))
    entries = _entries_of(trail)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    target = entries[2]
    table, head = AuditEntry.__table__, AuditHead.__table__
    with trail.factory.kw["bind"].begin() as conn:
        if tamper == "changes":
            conn.execute(update(table).where(table.c.seq == 3).values(
                changes=target.changes.replace("Briefing", "Brefing")))
        elif tamper == "actor":
            conn.execute(update(table).where(table.c.seq == 3).values(actor="someone"))
        elif tamper == "rehash_without_key":  # a forger recomputes the hash with their key
            from console.data.crypto import Vault

            forged = Vault(Vault.new_key())
            new = target.changes.replace("Briefing", "Brefing")
            digest = audit.entry_hash(forged, target.prev_hash, target.seq, target.at,
                                      target.actor, target.action.value, target.table_name,
                                      target.record_id, new)
            conn.execute(update(table).where(table.c.seq == 3).values(changes=new,
                                                                      hash=digest))
        elif tamper == "swap_contents":
            a, b = entries[1], entries[2]
            conn.execute(update(table).where(table.c.seq == 2).values(changes=b.changes))
            conn.execute(update(table).where(table.c.seq == 3).values(changes=a.changes))
        elif tamper == "reorder":  # entries 3 and 4 change places, each keeping its hash
            for old, new_seq in ((3, -3), (4, 3), (-3, 4)):
                conn.execute(update(table).where(table.c.seq == old).values(seq=new_seq))
        elif tamper == "delete_middle":
            conn.execute(table.delete().where(table.c.seq == 3))
        elif tamper == "delete_last":
            conn.execute(table.delete().where(table.c.seq == 6))
        elif tamper == "head_moved_back":
            conn.execute(update(head).values(seq=5, hash=entries[4].hash))
        else:  # truncated: the newest entries removed and the head moved back to match
            conn.execute(table.delete().where(table.c.seq > 4))
            conn.execute(update(head).values(seq=4, hash=entries[3].hash))
    check = audit_service.verify_trail(trail)
    assert (check.problem, check.bad_seq) == TAMPERED[tamper]
    assert not check.ok and check.problem and "\n" not in check.problem


def _head(access: Access, seq: int) -> tuple[int, str]:
    with access.factory() as s:
        return seq, s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq)) or ""


def test_head_row_is_locked_by_each_writer(trail: Access) -> None:
    """The head names the newest entry: concurrent writers append in turn."""
    program_service.add_program_event(trail, dt.date(2025, 1, 1), EventKind.BRIEFING, "One")
    with trail.factory() as s:
        head = s.get(AuditHead, 1)
        last = s.scalar(select(func.max(AuditEntry.seq)))
    assert head is not None and head.seq == last


def test_cli_audit_verify(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from console.__main__ import main

    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--years", "1", "--calls", "400"]) == 0
    capsys.readouterr()
    assert main(["--db", str(path), "audit", "verify"]) == 0
    assert "audit trail intact" in capsys.readouterr().out
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE audit_entry SET actor = 'nobody' WHERE seq = 1")
    assert main(["--db", str(path), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "AUDIT TRAIL ALTERED" in err and "entry 1" in err


def test_users_and_names_never_appear_in_clear_columns(trail: Access) -> None:
    people_service.record_person(trail, "Jordan Example")
    with trail.factory() as s:
        stored = s.scalar(select(Person.name))
    assert stored is not None and stored.startswith("enc1:")
    with trail.factory() as s:
        assert s.scalar(select(func.count()).select_from(UserAccount)) == 0


def test_concurrent_writers_keep_one_unbroken_chain(trail: Access) -> None:
    """Writers on several connections append in turn (the head row's lock on a server)."""
    import threading

    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(8):
                program_service.add_program_event(
                    trail, dt.date(2025, 1, 1 + i), EventKind.BRIEFING, f"W{worker} #{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    seqs = [e.seq for e in _entries_of(trail)]
    assert seqs == list(range(1, len(seqs) + 1))
    check = audit_service.verify_trail(trail)
    assert check.ok and check.entries == len(seqs)
    with trail.factory() as s:
        assert s.scalar(select(func.count()).select_from(ProgramEvent)) == 32


def test_verify_while_others_write_reports_no_false_removal(trail: Access) -> None:
    """A check that reads the entries, then the head, must not take entries committed in
    between for a head that outruns its trail ("entries were removed"): on a server each
    statement of a transaction sees the newest commits unless the head is held."""
    import threading

    for i in range(150):  # a trail long enough that reading it takes a while
        program_service.add_program_event(trail, dt.date(2024, 1, 1), EventKind.BRIEFING,
                                          f"before #{i}")
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            i = 0
            while not stop.is_set():
                program_service.add_program_event(trail, dt.date(2025, 1, 1),
                                                  EventKind.BRIEFING, f"during #{i}")
                i += 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        checks = [audit_service.verify_trail(trail) for _ in range(25)]
    finally:
        stop.set()
        writer.join(60)
    assert not errors
    assert [c.problem for c in checks if not c.ok] == []
