"""Two consoles or commands on one SQLite file at once, as real processes on real files.

Every write transaction on SQLite takes the write lock when it begins (BEGIN IMMEDIATE), so
what a writer reads (the calls an import matches, the audit trail's head) cannot change
before it writes; the other writer waits a bounded time and then is told, in one line,
that the database is busy. None of these may end in "internal error".
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import program_database

from console.data import audit, migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.identity import unlock
from console.data.keystore import KEYRING_SERVICE
from console.errors import UserError
from console.services import backup_service as backups
from console.services.access import Access, Actor

ROOT = Path(__file__).resolve().parent.parent
MAPPING = {"name": "Metro CAD",
           "columns": {"incident_number": "Incident", "received_at": "Queued",
                       "disposition": "Disposition", "beat": "Beat"},
           "date_order": "month_first",
           "dispositions": {"HANDLED": "resolved_on_scene"}}
LONG_IMPORT_ROWS = 200_000  # about a second of writing: long enough to overlap, well
# under the time a writer waits for the lock


make_database = program_database


def make_export(folder: Path, rows: int) -> tuple[Path, Path]:
    export = folder / "calls.csv"
    with export.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Incident", "Queued", "Disposition", "Beat"])
        for i in range(rows):
            writer.writerow([f"E{i}", f"01/{1 + i % 28:02}/2024 10:{i % 60:02}", "HANDLED",
                             f"B{i % 7}"])
    mapping = folder / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    return export, mapping


def console(*argv: str, stdin: str | None = None, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "console", *argv], cwd=ROOT, text=True,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


def finish(proc: subprocess.Popen[str], stdin: str | None = None) -> tuple[int, str, str]:
    out, err = proc.communicate(stdin, timeout=120)
    return proc.returncode, out, err


def import_calls(db: Path, export: Path, mapping: Path) -> subprocess.Popen[str]:
    return console("--db", str(db), "import-calls", str(export), "--mapping", str(mapping))


def write_lock_held(db: Path) -> bool:
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def wait_for_write_lock(db: Path, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    """Until proc holds the database's write lock (the import is writing)."""
    deadline = time.monotonic() + seconds
    while not write_lock_held(db):
        assert proc.poll() is None, f"the import ended before writing: {proc.communicate()}"
        assert time.monotonic() < deadline, "the import never took the write lock"
        time.sleep(0.005)


def call_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM call").fetchone()[0])
    finally:
        conn.close()


def assert_clean(code: int, err: str) -> None:
    assert "internal error" not in err
    assert code == 0, err


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return make_database(tmp_path / "console.sqlite")


@pytest.fixture
def long_export(tmp_path: Path) -> tuple[Path, Path]:
    return make_export(tmp_path, LONG_IMPORT_ROWS)


def test_the_same_file_imported_twice_at_once_adds_its_calls_once(
        database: Path, long_export: tuple[Path, Path]) -> None:
    first = import_calls(database, *long_export)
    wait_for_write_lock(database, first)
    second = import_calls(database, *long_export)  # reads while the first one writes
    code1, out1, err1 = finish(first)
    code2, out2, err2 = finish(second)
    assert_clean(code1, err1)
    assert_clean(code2, err2)
    assert call_count(database) == LONG_IMPORT_ROWS


@pytest.fixture
def opened(database: Path) -> Iterator[tuple[Database, Access]]:
    db = open_database(sqlite_url(database), create=False)
    access = Access(db.session_factory, Actor.workstation("tester"), unlock(db).vault)
    yield db, access
    db.dispose()


def test_a_backup_during_an_import_succeeds_and_the_trail_stays_whole(
        database: Path, long_export: tuple[Path, Path], opened: tuple[Database, Access],
        tmp_path: Path) -> None:
    db, access = opened
    running = import_calls(database, *long_export)
    wait_for_write_lock(database, running)
    info = backups.backup_database(access, db, tmp_path / "during.sqlite")
    assert_clean(*finish(running)[::2])
    assert info.size_bytes > 0
    with db.engine.connect() as conn:
        assert audit.verify(conn, access.vault).ok


def test_users_add_during_an_import_waits_for_it(
        database: Path, long_export: tuple[Path, Path]) -> None:
    running = import_calls(database, *long_export)
    wait_for_write_lock(database, running)
    adding = console("--db", str(database), "users", "add", "jdoe", "--name", "Jo Doe",
                     "--role", "analyst", stdin="a first password 1\n")
    code, _out, err = finish(adding, "a first password 1\n")
    assert_clean(*finish(running)[::2])
    assert_clean(code, err)


def test_a_writer_that_waited_too_long_is_told_the_database_is_busy_in_one_line(
        database: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from console.__main__ import main
    from console.data.engine import BUSY_TIMEOUT_S

    monkeypatch.setattr(sys, "stdin", io.StringIO("a first password 1\n"))
    holder = sqlite3.connect(database)
    holder.execute("BEGIN IMMEDIATE")  # another program keeps writing, longer than we wait
    try:
        started = time.monotonic()
        code = main(["--db", str(database), "users", "add", "jdoe", "--name", "Jo Doe",
                     "--role", "analyst"])
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "internal error" not in err
    assert f"the database {database} is busy" in err and "try again" in err
    assert BUSY_TIMEOUT_S - 1 < waited < BUSY_TIMEOUT_S + 20


def data_keys() -> set[str]:
    """The data keys in the (private) Secret Service, by their entry names."""
    import keyring

    collection = keyring.get_keyring().get_preferred_collection()  # type: ignore[attr-defined]
    return {item.get_attributes().get("username", "")
            for item in collection.search_items({"service": KEYRING_SERVICE})
            if item.get_attributes().get("username", "").startswith("data-key:")}


def test_two_first_opens_of_a_new_file_make_one_database_and_one_key(
        tmp_path: Path, secret_service: str) -> None:
    before = data_keys()
    path = tmp_path / "new.sqlite"
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": secret_service}
    procs = [console("--db", str(path), "stats", env=env) for _ in range(3)]
    results = [finish(p) for p in procs]
    for code, _out, err in results:
        assert_clean(code, err)
    conn = sqlite3.connect(path)
    try:
        (uuid,), = conn.execute("SELECT database_uuid FROM database_identity").fetchall()
    finally:
        conn.close()
    assert data_keys() - before == {f"data-key:{uuid}"}


def test_a_busy_database_in_a_service_is_a_user_error(database: Path) -> None:
    from console.data.db_errors import database_error

    holder = sqlite3.connect(database)
    holder.execute("BEGIN IMMEDIATE")
    db = open_database(sqlite_url(database), create=False, busy_timeout=0.2)
    try:
        vault = unlock(db).vault
        with pytest.raises(Exception) as caught, db.engine.begin() as conn:
            audit.record_event(conn, vault, "tester", "probe")
        error = database_error(caught.value)
        assert isinstance(error, UserError)
        assert error.message.startswith(f"the database {database} is busy")
    finally:
        holder.rollback()
        holder.close()
        db.dispose()


def test_reading_never_waits_for_a_writer(database: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Opening, unlocking and reading begin deferred: `stats` (or a page of the console)
    during a long import answers at once, with what was committed before it."""
    from console.__main__ import main
    from console.data.engine import BUSY_TIMEOUT_S

    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO call (program_id, agency_id, incident_number, received_at, "
                   "use_of_force, subject_injured, officer_injured, responder_injured, "
                   "version) VALUES (1, 1, 'X-1', '2024-01-01 10:00:00', 0, 0, 0, 0, 1)")
    try:
        started = time.monotonic()
        code = main(["--db", str(database), "stats"])
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["calls"]["count"] == 0
    assert waited < BUSY_TIMEOUT_S / 2


def test_first_opens_racing_in_threads_share_one_schema_and_one_key(
        any_empty_db: Database, secret_service: str) -> None:
    """The same race on each backend, in threads: schema and key are made once."""
    import threading

    before = data_keys()
    url = any_empty_db.engine.url
    start = threading.Barrier(3)
    fingerprints: list[str] = []
    errors: list[BaseException] = []

    def first_open() -> None:
        db = open_database(url)
        try:
            start.wait(10)
            migrate.upgrade(db)
            fingerprints.append(unlock(db).vault.fingerprint)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=first_open) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(fingerprints) == 3 and len(set(fingerprints)) == 1
    with any_empty_db.engine.connect() as conn:
        (uuid,), = conn.exec_driver_sql("SELECT database_uuid FROM database_identity").all()
    assert data_keys() - before == {f"data-key:{uuid}"}
