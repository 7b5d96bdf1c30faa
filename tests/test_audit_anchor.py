"""The audit head anchored outside the database: removed newest entries are noticed.

The anchor is kept where the data key is: the OS keyring (a private Secret Service here,
never the developer's own) or, for a demo database, beside its demo key file.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import keyring
import pytest
from conftest import access_for
from sqlalchemy import delete, select, update

from console.data import migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.enums import EventKind, UserRole
from console.data.identity import unlock
from console.data.keystore import KEYRING_SERVICE, DemoKeyFile, OsKeyring
from console.data.models import AuditEntry, AuditHead, Program, ProgramEvent
from console.services import audit_service, program_service, users_service
from console.services.access import Access, Action, Actor

REMOVED = "the trail ends at entry {n} but this workstation has seen entry {m}: entries were " \
          "removed"


def _program(access: Access) -> None:
    with access.writing(Action.EDIT_PROGRAM) as s:
        s.add(Program(name="Metro", jurisdiction="Metro", started_on=dt.date(2023, 1, 1)))


def _events(access: Access, count: int) -> None:
    for i in range(count):
        program_service.add_program_event(access, dt.date(2025, 1, 1 + i), EventKind.BRIEFING,
                                          f"Briefing {i}")


def _head(db: Database) -> tuple[int, str]:
    with db.session_factory() as s:
        head = s.get(AuditHead, 1)
        assert head is not None
        return head.seq, head.hash


def _truncate_to(db: Database, seq: int) -> None:
    """What someone with write access to the database, but not the key, can do."""
    with db.engine.begin() as conn:
        kept = conn.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))
        conn.execute(delete(AuditEntry).where(AuditEntry.seq > seq))
        conn.execute(update(AuditHead).values(seq=seq, hash=kept))


def _uuid(access: Access) -> str:
    from console.data.identity import read_identity

    row = read_identity(Database(access.factory.kw["bind"], access.factory, "test"))
    assert row is not None
    return row.database_uuid


@pytest.fixture
def trail(db: Database, tmp_path: Path) -> Access:
    access = access_for(db, tmp_path)
    _program(access)
    return access


def test_every_committed_write_advances_the_anchor(trail: Access, tmp_path: Path) -> None:
    store = DemoKeyFile(tmp_path / "test-key")
    assert store.load_anchor(_uuid(trail)) == _head(trail_db(trail))
    _events(trail, 3)
    assert store.load_anchor(_uuid(trail)) == _head(trail_db(trail))
    # Several entries in one transaction: the anchor is the committed head.
    users_service.add_user(trail, "lee", "Lee Analyst", UserRole.ANALYST, "a long password 0")
    seq, _hash = _head(trail_db(trail))
    assert store.load_anchor(_uuid(trail)) == (seq, _hash)


def trail_db(access: Access) -> Database:
    return Database(access.factory.kw["bind"], access.factory, "test")


def test_a_rolled_back_write_does_not_advance_the_anchor(trail: Access,
                                                          tmp_path: Path) -> None:
    store = DemoKeyFile(tmp_path / "test-key")
    before = store.load_anchor(_uuid(trail))
    with pytest.raises(RuntimeError), trail.writing(Action.EDIT_PROGRAM) as s:
        s.add(ProgramEvent(program_id=1, occurred_on=dt.date(2025, 1, 1),
                           kind=EventKind.BRIEFING, title="Briefing"))
        s.flush()  # the entry is appended here, then rolled back with the transaction
        raise RuntimeError("the user's action failed after the flush")
    assert store.load_anchor(_uuid(trail)) == before == _head(trail_db(trail))
    assert audit_service.verify_trail(trail).ok


def test_a_released_savepoint_is_not_a_commit(trail: Access, tmp_path: Path) -> None:
    store = DemoKeyFile(tmp_path / "test-key")
    before = store.load_anchor(_uuid(trail))
    with pytest.raises(RuntimeError), trail.writing(Action.EDIT_PROGRAM) as s:
        s.add(ProgramEvent(program_id=1, occurred_on=dt.date(2025, 1, 1),
                           kind=EventKind.BRIEFING, title="Briefing"))
        s.flush()  # the transaction has begun (pysqlite begins it at the first write)
        with s.begin_nested():
            s.add(ProgramEvent(program_id=1, occurred_on=dt.date(2025, 1, 2),
                               kind=EventKind.BRIEFING, title="Briefing 2"))
        assert store.load_anchor(_uuid(trail)) == before  # the savepoint was released
        raise RuntimeError("then the whole transaction rolled back")
    assert store.load_anchor(_uuid(trail)) == before == _head(trail_db(trail))
    assert audit_service.verify_trail(trail).ok


def test_restoring_a_backup_here_moves_the_anchor_back_with_the_trail(
        trail: Access, tmp_path: Path) -> None:
    from console.services import backup_service

    db = open_database(sqlite_url(tmp_path / "test.sqlite"), create=False)
    try:
        access = access_for(db, tmp_path)
        backup = backup_service.backup_database(access, db, tmp_path / "b.sqlite").path
        _events(access, 3)
        backup_service.restore_backup(access, db, backup,
                                      store=DemoKeyFile(tmp_path / "test-key"))
        check = audit_service.verify_trail(access)
        assert check.ok, check.problem
        assert DemoKeyFile(tmp_path / "test-key").load_anchor(_uuid(access)) == _head(db)
    finally:
        db.dispose()


def test_truncation_is_reported_by_verify_and_at_sign_in(trail: Access) -> None:
    _events(trail, 4)  # entries 1-6
    assert audit_service.verify_trail(trail).ok
    assert audit_service.check_head(trail).ok
    _truncate_to(trail_db(trail), 4)
    check = audit_service.verify_trail(trail)
    assert (check.problem, check.bad_seq) == (REMOVED.format(n=4, m=6), 5)
    quick = audit_service.check_head(trail)
    assert (quick.problem, quick.bad_seq) == (REMOVED.format(n=4, m=6), 5)


def test_another_workstation_advancing_the_trail_still_verifies(
        trail: Access, tmp_path: Path) -> None:
    """A second workstation (its own connection, no anchor of ours) writes on: fine."""
    _events(trail, 2)
    seen = DemoKeyFile(tmp_path / "test-key").load_anchor(_uuid(trail))
    other_db = open_database(sqlite_url(tmp_path / "test.sqlite"), create=False)
    try:
        other = Access(other_db.session_factory, Actor("other.ws", UserRole.SUPERVISOR),
                       trail.vault)
        _events(other, 3)
    finally:
        other_db.dispose()
    assert DemoKeyFile(tmp_path / "test-key").load_anchor(_uuid(trail)) == seen
    check = audit_service.verify_trail(trail)
    assert check.ok and seen is not None and check.entries == seen[0] + 3
    assert audit_service.check_head(trail).ok


def test_a_trail_rewritten_past_what_was_seen_is_reported(trail: Access,
                                                          tmp_path: Path) -> None:
    """Entries this workstation saw were replaced by others with the same numbers."""
    _events(trail, 4)  # entries 1-6, anchored at 6
    _truncate_to(trail_db(trail), 4)
    other_db = open_database(sqlite_url(tmp_path / "test.sqlite"), create=False)
    try:
        other = Access(other_db.session_factory, Actor("other.ws", UserRole.SUPERVISOR),
                       trail.vault)
        _events(other, 3)  # 5, 6, 7: a valid chain, but not the 5 and 6 we saw
    finally:
        other_db.dispose()
    check = audit_service.verify_trail(trail)
    assert check.bad_seq == 6 and check.problem is not None
    assert check.problem.startswith("entry 6 is not the one this workstation saw")


def test_verify_advances_the_anchor_to_a_verified_head(trail: Access, tmp_path: Path) -> None:
    other_db = open_database(sqlite_url(tmp_path / "test.sqlite"), create=False)
    try:
        _events(Access(other_db.session_factory, Actor("o", UserRole.SUPERVISOR),
                       trail.vault), 2)
    finally:
        other_db.dispose()
    assert audit_service.verify_trail(trail).ok
    assert DemoKeyFile(tmp_path / "test-key").load_anchor(_uuid(trail)) == \
        _head(trail_db(trail))


def test_cli_verify_reports_a_truncated_demo_trail(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from console.__main__ import main

    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--years", "1", "--calls", "300"]) == 0
    anchor_file = Path(str(path) + ".demo-key.audit-anchor")
    assert anchor_file.exists()
    with sqlite3.connect(path) as conn:
        seq, = conn.execute("SELECT seq FROM audit_head").fetchone()
        keep = seq - 1
        conn.execute("DELETE FROM audit_entry WHERE seq > ?", (keep,))
        conn.execute("UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit_entry "
                     "WHERE seq = ?)", (keep, keep))
    conn.close()
    capsys.readouterr()
    assert main(["--db", str(path), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert REMOVED.format(n=f"{keep}", m=f"{seq}") in err


# --- in the OS keyring ---------------------------------------------------------------------


@pytest.fixture
def keyring_db(secret_service: str, tmp_path: Path) -> Database:
    database = open_database(sqlite_url(tmp_path / "unit.sqlite"))
    migrate.upgrade(database)
    yield database  # type: ignore[misc]
    database.dispose()


def test_the_anchor_lives_beside_the_key_in_the_os_keyring(keyring_db: Database) -> None:
    unlocked = unlock(keyring_db)
    access = Access(keyring_db.session_factory, Actor("sgt", UserRole.SUPERVISOR),
                    unlocked.vault)
    _program(access)
    _events(access, 2)
    database_uuid = unlocked.identity.database_uuid
    seq, digest = _head(keyring_db)
    assert OsKeyring().load_anchor(database_uuid) == (seq, digest)
    stored = keyring.get_password(KEYRING_SERVICE, f"audit-anchor:{database_uuid}")
    assert stored is not None and digest in stored
    _truncate_to(keyring_db, seq - 2)
    check = audit_service.verify_trail(access)
    assert (check.problem, check.bad_seq) == (REMOVED.format(n=seq - 2, m=seq), seq - 1)


def test_cli_verify_reports_a_truncated_trail_from_the_keyring(
        secret_service: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import io

    from console.__main__ import main

    path = tmp_path / "unit.sqlite"
    assert main(["--db", str(path), "key", "info"]) == 0  # the key goes to the keyring
    for name in ("lee", "kim"):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("sys.stdin", io.StringIO("a long password 9\n"))
            assert main(["--db", str(path), "users", "add", name, "--name", name.title(),
                         "--role", "analyst"]) == 0
    assert main(["--db", str(path), "audit", "verify"]) == 0
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM audit_entry WHERE seq = 3")
        conn.execute("UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_entry "
                     "WHERE seq = 2)")
    conn.close()
    capsys.readouterr()
    assert main(["--db", str(path), "audit", "verify"]) == 1
    assert REMOVED.format(n=2, m=3) in capsys.readouterr().err


def test_a_supervisor_may_accept_a_trail_that_went_back(trail: Access, tmp_path: Path) -> None:
    """After a restore done on another workstation: accepted, and the acceptance recorded."""
    import json

    from console.services.access import PermissionDenied

    _events(trail, 4)  # entries 1-6
    seen = DemoKeyFile(tmp_path / "test-key").load_anchor(_uuid(trail))
    _truncate_to(trail_db(trail), 4)
    assert not audit_service.verify_trail(trail).ok
    analyst = trail.as_actor(Actor("lee", UserRole.ANALYST))
    with pytest.raises(PermissionDenied):
        audit_service.accept_trail(analyst)
    accepted = audit_service.accept_trail(trail)
    assert accepted.ok and accepted.head == _head(trail_db(trail)) and accepted.entries == 5
    assert audit_service.verify_trail(trail).ok and audit_service.check_head(trail).ok
    entry = audit_service.recent_entries(trail, limit=1)[0]
    assert (entry.seq, entry.table_name, entry.actor) == (5, "audit anchor reset",
                                                          trail.actor.username)
    assert seen is not None
    assert entry.changes == {"seen_seq": seen[0], "seen_hash": seen[1], "accepted_seq": 4}
    assert json.dumps(entry.changes)


def test_a_broken_chain_is_not_accepted(trail: Access, tmp_path: Path) -> None:
    _events(trail, 2)
    before = DemoKeyFile(tmp_path / "test-key").load_anchor(_uuid(trail))
    with trail_db(trail).engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(actor="x"))
    check = audit_service.accept_trail(trail)
    assert (check.problem, check.bad_seq) == ("entry 2 was altered after it was written", 2)
    assert DemoKeyFile(tmp_path / "test-key").load_anchor(_uuid(trail)) == before


def test_cli_audit_accept(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from console.__main__ import main

    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--years", "1", "--calls", "300"]) == 0
    with sqlite3.connect(path) as conn:
        seq, = conn.execute("SELECT seq FROM audit_head").fetchone()
        conn.execute("DELETE FROM audit_entry WHERE seq = ?", (seq,))
        conn.execute("UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit_entry "
                     "WHERE seq = ?)", (seq - 1, seq - 1))
    conn.close()
    assert main(["--db", str(path), "audit", "verify"]) == 1
    capsys.readouterr()
    assert main(["--db", str(path), "audit", "accept"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and f"entry {seq}" in out and f"was entry {seq}" in out
    assert main(["--db", str(path), "audit", "verify"]) == 0


def test_an_anchor_left_by_another_database_or_damaged_is_none(tmp_path: Path) -> None:
    """A demo written again keeps its key file name: an old anchor must not count."""
    store = DemoKeyFile(tmp_path / "demo.sqlite")
    store.save_anchor("old-uuid", (40, "ab" * 32))
    assert store.load_anchor("old-uuid") == (40, "ab" * 32)
    assert store.load_anchor("new-uuid") is None
    assert oct(store.anchor_path.stat().st_mode & 0o777) == "0o600"
    store.anchor_path.write_text("{not json")
    assert store.load_anchor("old-uuid") is None
    store.save_anchor("old-uuid", (41, "cd" * 32))
    assert store.load_anchor("old-uuid") == (41, "cd" * 32)
    assert [p.name for p in tmp_path.iterdir()] == ["demo.sqlite.demo-key.audit-anchor"]


def test_every_opening_of_a_database_anchors_its_commits(tmp_path: Path) -> None:
    """A database opened again and again in one process (a test run, a workstation that
    switches databases): each opening's commits move the anchor, also when its session
    factory lies where a closed one's lay (event.contains went by id() and said yes)."""
    import gc

    path = tmp_path / "test.sqlite"
    database = open_database(sqlite_url(path))
    migrate.upgrade(database)
    _program(access_for(database, tmp_path))
    database.dispose()
    store = DemoKeyFile(tmp_path / "test-key")
    for i in range(60):
        database = open_database(sqlite_url(path), create=False)
        try:
            access = access_for(database, tmp_path)
            _events(access, 1)
            assert store.load_anchor(_uuid(access)) == _head(database), f"opening {i}"
        finally:
            database.dispose()
        del database, access
        if i % 2:
            gc.collect()
