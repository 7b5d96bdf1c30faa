"""Backups and restores on real SQLite files: what comes back, what is refused, rotation."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from console.data import audit, migrate
from console.data.crypto import Vault
from console.data.engine import Database, open_database, sqlite_url
from console.data.enums import AgencyKind, EventKind, UserRole
from console.data.identity import Unlocked, unlock
from console.data.models import Agency, Call, Program, ProgramEvent
from console.errors import UserError
from console.services import backup_service as backups
from console.services.access import Access, Action, Actor, PermissionDenied

ROOT = Path(__file__).resolve().parent.parent

Snapshot = dict[str, list[tuple[object, ...]]]


@dataclass
class Live:
    db: Database
    access: Access
    unlocked: Unlocked

    @property
    def path(self) -> Path:
        assert self.db.sqlite_path is not None
        return self.db.sqlite_path


def _open(path: Path, *, calls: int = 3) -> Live:
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    unlocked = unlock(db, create_demo=True)
    access = Access(db.session_factory, Actor.workstation("tester"), unlocked.vault)
    with access.writing(Action.EDIT_PROGRAM) as s:
        program = Program(name=f"Program of {path.stem}", jurisdiction="Springfield",
                          started_on=dt.date(2024, 1, 1))
        agency = Agency(program=program, name="Springfield PD", kind=AgencyKind.POLICE,
                        is_lead=True)
        s.add_all([program, agency])
        s.flush()
        s.add(ProgramEvent(program_id=program.id, occurred_on=dt.date(2024, 2, 1),
                           kind=EventKind.BRIEFING, title="Roll call"))
        for n in range(calls):
            s.add(Call(program_id=program.id, agency_id=agency.id, incident_number=f"I-{n}",
                       received_at=dt.datetime(2024, 3, 1, 8, n)))
    return Live(db, access, unlocked)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    opened = _open(tmp_path / "live.sqlite")
    yield opened
    opened.db.dispose()


def snapshot(path: Path) -> Snapshot:
    """Every table's rows, in a fixed order, read through a connection of its own."""
    conn = sqlite3.connect(path)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out: Snapshot = {}
        for table in tables:
            ncols = len(conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description)
            order = ", ".join(str(i + 1) for i in range(ncols))
            out[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
        return out
    finally:
        conn.close()


def change_things(live: Live) -> None:
    with live.access.writing(Action.EDIT_PROGRAM) as s:
        program = s.scalars(select(Program)).one()
        program.description = "changed after the backup"
        s.add(ProgramEvent(program_id=program.id, occurred_on=dt.date(2024, 5, 1),
                           kind=EventKind.RIDE_ALONG, title="After the backup"))
        s.delete(s.scalars(select(Call).where(Call.incident_number == "I-0")).one())


def trail_ok(db: Database, vault: Vault) -> bool:
    with db.engine.connect() as conn:
        return audit.verify(conn, vault).ok


def without_trail(snap: Snapshot) -> Snapshot:
    return {k: v for k, v in snap.items() if k not in ("audit_entry", "audit_head")}


# --- backup and restore ------------------------------------------------------------------


def test_restore_gives_back_the_backup_moment_and_keeps_the_state_before(
        live: Live, tmp_path: Path) -> None:
    at_backup = snapshot(live.path)
    info = backups.backup_database(live.access, live.db, tmp_path / "b.sqlite")
    assert info.call_count == 3 and info.database_uuid == live.unlocked.identity.database_uuid
    assert info.demo and info.schema_revision == migrate.HEAD_REVISION
    assert snapshot(info.path) == at_backup
    change_things(live)
    before_restore = snapshot(live.path)
    assert without_trail(before_restore) != without_trail(at_backup)
    bystander = sqlite3.connect(live.path)  # a connection open across the restore

    result = backups.restore_backup(live.access, live.db, info.path)

    restored = snapshot(live.path)
    assert without_trail(restored) == without_trail(at_backup)
    entries = restored["audit_entry"]
    assert entries[:-1] == at_backup["audit_entry"]
    assert entries[-1][4:6] == ("restore", "b.sqlite")  # table_name, record_id
    assert snapshot(result.safety_copy) == before_restore
    assert result.safety_copy.parent == live.path.parent
    assert result.safety_copy.name.startswith("live.sqlite.before-restore-")
    assert bystander.execute('SELECT count(*) FROM "call"').fetchone() == (3,)
    bystander.close()
    assert trail_ok(live.db, live.access.vault)
    with live.db.engine.connect() as conn:  # the pool reopened, WAL kept
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert snapshot(info.path) == at_backup  # the backup itself never changes


def test_backup_is_recorded_in_the_live_trail_only(live: Live, tmp_path: Path) -> None:
    info = backups.backup_database(live.access, live.db, tmp_path / "b.sqlite")
    live_entries = snapshot(live.path)["audit_entry"]
    assert live_entries[-1][3:6] == ("event", "backup", "b.sqlite")
    assert len(live_entries) == info.audit_entries + 1
    assert trail_ok(live.db, live.access.vault)


def test_backup_succeeds_while_another_connection_holds_a_write_transaction(
        live: Live, tmp_path: Path) -> None:
    writer = sqlite3.connect(live.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE program SET description = 'uncommitted'")
    at_backup = snapshot(live.path)  # what other readers see
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, _text: str) -> None:
        seen.append((done, total))
        if done == total and writer.in_transaction:
            writer.execute("COMMIT")  # the writer finishes once the copy is complete

    info = backups.backup_database(live.access, live.db, tmp_path / "b.sqlite",
                                   progress=progress)
    writer.close()
    assert seen and seen[-1][0] == seen[-1][1]
    assert snapshot(info.path) == at_backup
    with sqlite3.connect(live.path) as conn:  # committed after the copy, so not in it
        assert conn.execute("SELECT description FROM program").fetchone() == ("uncommitted",)


def test_backup_refuses_to_overwrite_and_missing_folders(live: Live, tmp_path: Path) -> None:
    target = tmp_path / "b.sqlite"
    target.write_text("keep me")
    with pytest.raises(UserError, match="already exists"):
        backups.backup_database(live.access, live.db, target)
    assert target.read_text() == "keep me"
    with pytest.raises(UserError, match="does not exist"):
        backups.backup_database(live.access, live.db, tmp_path / "nowhere" / "b.sqlite")
    with pytest.raises(UserError, match="onto itself"):
        backups.backup_database(live.access, live.db, live.path, overwrite=True)
    info = backups.backup_database(live.access, live.db, target, overwrite=True)
    assert info.call_count == 3


def test_cancel_removes_the_partial_file(live: Live, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "STEP_PAGES", 1)
    target = tmp_path / "b.sqlite"
    part = tmp_path / "b.sqlite.part"
    steps: list[int] = []

    def progress(done: int, _total: int, _text: str) -> None:
        assert part.exists()
        steps.append(done)

    with pytest.raises(backups.BackupCancelled, match="cancelled"):
        backups.backup_database(live.access, live.db, target, progress=progress,
                                cancelled=lambda: len(steps) >= 2)
    assert steps == [1, 2]
    assert not list(tmp_path.glob("b.sqlite*"))


def test_postgresql_is_backed_up_on_the_server(live: Live, tmp_path: Path) -> None:
    engine = create_engine("postgresql+psycopg://someone@db.example/console")
    server = Database(engine, sessionmaker(engine), "postgresql+psycopg://someone@db.example")
    with pytest.raises(UserError, match="pg_dump"):
        backups.backup_database(live.access, server, tmp_path / "b.sqlite")
    with pytest.raises(UserError, match="pg_dump"):
        backups.restore_backup(live.access, server, tmp_path / "b.sqlite")
    engine.dispose()


# --- refusals ----------------------------------------------------------------------------


def _text_file(tmp: Path, _live: Live) -> Path:
    path = tmp / "notes.sqlite"
    path.write_text("call the hospital back on Monday\n" * 20)
    return path


def _renamed_zip(tmp: Path, _live: Live) -> Path:
    with zipfile.ZipFile(tmp / "x.zip", "w") as z:
        z.writestr("a.txt", "hello")
    return (tmp / "x.zip").rename(tmp / "backup.sqlite")


def _truncated(tmp: Path, live: Live) -> Path:
    path = backups.backup_database(live.access, live.db, tmp / "whole.sqlite").path
    data = path.read_bytes()
    cut = tmp / "cut.sqlite"
    cut.write_bytes(data[: len(data) // 2])
    return cut


def _damaged(tmp: Path, live: Live) -> Path:
    path = backups.backup_database(live.access, live.db, tmp / "whole.sqlite").path
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 2: page * 4] = b"\xa5" * (page * 2)  # scribble over two b-tree pages
    bad = tmp / "bad.sqlite"
    bad.write_bytes(bytes(data))
    return bad


def _index_out_of_step(tmp: Path, live: Live) -> Path:
    """A call's incident number changed in the table's page only: every page is still a
    sound b-tree page and every table reads, but the unique index on (agency, incident
    number) no longer matches the table. Only PRAGMA integrity_check sees it."""
    path = backups.backup_database(live.access, live.db, tmp / "whole.sqlite").path
    conn = sqlite3.connect(path)
    try:
        (page_size,), = conn.execute("PRAGMA page_size").fetchall()
        (root,), = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'call'")
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    at = data.find(b"I-1", start, start + page_size)
    assert at >= 0 and b"I-9" not in data
    data[at:at + 3] = b"I-9"
    bad = tmp / "bad.sqlite"
    bad.write_bytes(bytes(data))
    return bad


def _foreign_sqlite(tmp: Path, _live: Live) -> Path:
    path = tmp / "recipes.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO recipe (name) VALUES ('soup')")
    conn.commit()
    conn.close()
    return path


def _newer_schema(tmp: Path, live: Live) -> Path:
    path = backups.backup_database(live.access, live.db, tmp / "future.sqlite").path
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    return path


def _other_database(tmp: Path, _live: Live) -> Path:
    (tmp / "other").mkdir()
    other = _open(tmp / "other" / "other.sqlite")
    try:
        return backups.backup_database(other.access, other.db, tmp / "other.sqlite").path
    finally:
        other.db.dispose()


def _missing(tmp: Path, _live: Live) -> Path:
    return tmp / "never-written.sqlite"


@pytest.mark.parametrize(("make", "message"), [
    (_text_file, "not a SQLite database file"),
    (_renamed_zip, "not a SQLite database file"),
    (_truncated, "cut short"),
    (_damaged, "damaged"),
    (_index_out_of_step, "damaged"),
    (_foreign_sqlite, "not a Co-Response Console database"),
    (_newer_schema, "newer than this program knows"),
    (_other_database, "is a backup of database .* not of"),
    (_missing, "does not exist"),
], ids=["text", "zip", "truncated", "damaged", "index", "foreign", "newer", "other-db", "missing"])
def test_restore_refuses_and_leaves_the_live_database_alone(
        live: Live, tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "files").mkdir()
    bad = make(tmp_path / "files", live)
    before = snapshot(live.path)
    bad_bytes = bad.read_bytes() if bad.exists() else None
    with pytest.raises(UserError, match=message) as raised:
        backups.restore_backup(live.access, live.db, bad)
    assert "\n" not in str(raised.value) and str(bad) in str(raised.value)
    assert snapshot(live.path) == before
    assert not list(tmp_path.glob("*.before-restore-*"))
    if bad_bytes is not None:
        assert bad.read_bytes() == bad_bytes


@dataclass
class DictStore:
    keys: dict[str, bytes]
    label: str = "the test's key store"

    def load(self, database_uuid: str) -> bytes | None:
        return self.keys.get(database_uuid)

    def save(self, database_uuid: str, key: bytes) -> None:
        self.keys[database_uuid] = key


def test_restore_of_another_database_needs_consent_and_its_key(
        live: Live, tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    other = _open(tmp_path / "other" / "other.sqlite", calls=5)
    backup = backups.backup_database(other.access, other.db, tmp_path / "other-b.sqlite").path
    other_vault, other_uuid = other.unlocked.vault, other.unlocked.identity.database_uuid
    other.db.dispose()
    before = snapshot(live.path)

    with pytest.raises(UserError, match="import it first"):
        backups.restore_backup(live.access, live.db, backup, allow_other_database=True)
    assert snapshot(live.path) == before

    store = DictStore({other_uuid: other_vault.data_key})
    result = backups.restore_backup(live.access, live.db, backup, allow_other_database=True,
                                    store=store)
    assert result.info.database_uuid == other_uuid
    assert snapshot(result.safety_copy) == before
    reopened = unlock(live.db, store=store)
    assert reopened.identity.database_uuid == other_uuid
    assert trail_ok(live.db, reopened.vault)
    assert len(snapshot(live.path)["call"]) == 5


# --- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [UserRole.ANALYST, UserRole.RESPONDER, UserRole.REVIEWER])
def test_roles_without_backup_may_neither_back_up_nor_restore(
        live: Live, tmp_path: Path, role: UserRole) -> None:
    access = live.access.as_actor(Actor(username="someone", role=role))
    with pytest.raises(PermissionDenied):
        backups.backup_database(access, live.db, tmp_path / "b.sqlite")
    with pytest.raises(PermissionDenied):
        backups.auto_backup(access, live.db, tmp_path)
    with pytest.raises(PermissionDenied):
        backups.restore_backup(access, live.db, tmp_path / "b.sqlite")
    assert not (tmp_path / "b.sqlite").exists()


def test_a_director_may_back_up_but_not_restore(live: Live, tmp_path: Path) -> None:
    director = live.access.as_actor(Actor(username="dana", role=UserRole.DIRECTOR))
    info = backups.backup_database(director, live.db, tmp_path / "b.sqlite")
    assert snapshot(live.path)["audit_entry"][-1][2] == "dana"
    before = snapshot(live.path)
    with pytest.raises(PermissionDenied, match="restore"):
        backups.restore_backup(director, live.db, info.path)
    assert snapshot(live.path) == before


# --- automatic backups -------------------------------------------------------------------


def test_auto_backup_rotates_and_skips_when_recent(live: Live, tmp_path: Path) -> None:
    folder = tmp_path / "auto"
    folder.mkdir()
    bystanders = [folder / "other-auto-20200101-000000.sqlite", folder / "live-notes.txt",
                  folder / "live-auto-20200101-000000.sqlite.bak"]
    for path in bystanders:
        path.write_text("not ours to delete")
    start = dt.datetime(2026, 3, 1, 2, 0, 0)
    written = []
    for day in range(5):
        path = backups.auto_backup(live.access, live.db, folder, keep=3,
                                   now=start + dt.timedelta(days=day))
        assert path is not None
        written.append(path)
    assert written[0].name == "live-auto-20260301-020000.sqlite"
    kept = [p for _, p in backups.list_auto_backups(live.db, folder)]
    assert kept == written[-3:]
    assert all(p.exists() for p in bystanders)
    assert backups.auto_backup(live.access, live.db, folder, keep=3,
                               now=start + dt.timedelta(days=4, hours=23)) is None
    assert backups.inspect_backup(kept[-1]).call_count == 3
    later = backups.auto_backup(live.access, live.db, folder, keep=3,
                                every=dt.timedelta(hours=6),
                                now=start + dt.timedelta(days=4, hours=7))
    assert later is not None and len(backups.list_auto_backups(live.db, folder)) == 3


def test_backups_dir_is_in_the_user_data_folder() -> None:
    from console.paths import user_data_dir

    assert backups.backups_dir() == user_data_dir() / "backups"
    assert backups.backups_dir().is_dir()


# --- command line ------------------------------------------------------------------------


def _cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "console", *argv], capture_output=True,
                          text=True, cwd=cwd, env=env, stdin=subprocess.DEVNULL, timeout=120)


def test_cli_backup_and_restore(live: Live, tmp_path: Path) -> None:
    at_backup = snapshot(live.path)
    live.db.dispose()
    db = str(live.path)
    out = tmp_path / "out.sqlite"
    done = _cli("--db", db, "backup", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and "key is not in it" in done.stdout
    assert without_trail(snapshot(out)) == without_trail(at_backup)
    change_things(live)
    live.db.dispose()

    refused = _cli("--db", db, "restore", str(out), cwd=tmp_path)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    done = _cli("--db", db, "restore", str(out), "--yes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "before-restore" in done.stdout
    assert without_trail(snapshot(live.path)) == without_trail(at_backup)
    verified = _cli("--db", db, "audit", "verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stderr

    not_ours = _cli("--db", db, "restore", db + ".demo-key", "--yes", cwd=tmp_path)
    assert not_ours.returncode == 2
    assert not_ours.stderr.count("\n") == 1 and "not a SQLite database" in not_ours.stderr


def test_cli_refuses_to_restore_a_copy_of_itself(live: Live, tmp_path: Path) -> None:
    live.db.dispose()
    shutil.copy(live.path, tmp_path / "same.sqlite")
    done = _cli("--db", str(live.path), "restore", str(live.path), "--yes", cwd=tmp_path)
    assert done.returncode == 2 and "live database itself" in done.stderr
