"""Files the console writes are its user's alone (0600, folders 0700), whatever the umask.

A precinct workstation is shared: under the usual umask 022 a new file is readable by every
account on the machine. Each test runs under umask 022 and checks the mode of every file and
folder the console created: the database and its -wal/-shm, backups and safety copies, key
files, the demo key, logs, reports.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.data import migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.identity import Identity, unlock
from console.data.models import Program
from console.services import backup_service as backups
from console.services import key_service
from console.services.access import Access, Action, Actor

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


@pytest.fixture(autouse=True)
def _umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private(*paths: Path) -> None:
    found = {str(p): oct(mode(p)) for p in paths}
    wanted = {str(p): oct(0o700 if p.is_dir() else 0o600) for p in paths}
    assert found == wanted


def _opened(path: Path) -> tuple[Database, Access, Identity]:
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    unlocked = unlock(db, create_demo=True)
    access = Access(db.session_factory, Actor.workstation("tester"), unlocked.vault)
    with access.writing(Action.EDIT_PROGRAM) as s:
        s.add(Program(name="Metro", jurisdiction="Metro", started_on=dt.date(2024, 1, 1)))
    return db, access, unlocked.identity


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[tuple[Database, Access, Identity]]:
    db, access, identity = _opened(tmp_path / "console.sqlite")
    yield db, access, identity
    db.dispose()


def test_a_new_database_its_wal_shm_and_demo_key_are_owner_only(
        opened: tuple[Database, Access, Identity], tmp_path: Path) -> None:
    path = tmp_path / "console.sqlite"
    assert (tmp_path / "console.sqlite-wal").exists()  # open while the engine is
    assert_private(path, tmp_path / "console.sqlite-wal", tmp_path / "console.sqlite-shm",
                   tmp_path / "console.sqlite.demo-key")


def test_backups_their_folder_and_the_restore_safety_copy_are_owner_only(
        opened: tuple[Database, Access, Identity], tmp_path: Path) -> None:
    db, access, _ = opened
    manual = tmp_path / "manual.sqlite"
    backups.backup_database(access, db, manual)
    folder = backups.backups_dir()
    auto = backups.auto_backup(access, db, folder)
    assert auto is not None
    result = backups.restore_backup(access, db, manual)
    assert_private(manual, folder, auto, result.safety_copy)


def test_the_copy_before_an_upgrade_is_owner_only(tmp_path: Path) -> None:
    db, _access, _ = _opened(tmp_path / "old.sqlite")
    try:
        migrate.downgrade(db, "0002_trust")
        os.chmod(tmp_path / "old.sqlite", 0o600)
        migrate.upgrade(db)
    finally:
        db.dispose()
    assert_private(tmp_path / f"old.sqlite.before-{migrate.HEAD_REVISION}")


def test_an_exported_key_file_is_owner_only(
        opened: tuple[Database, Access, Identity], tmp_path: Path) -> None:
    _db, access, identity = opened
    target = tmp_path / "moved.key"
    key_service.export_key_file(access, identity, "a long passphrase here", target)
    assert_private(target)


def test_the_data_folder_and_logs_are_owner_only_also_after_rotation() -> None:
    from console.logs import setup_logging
    from console.paths import user_data_dir

    path = setup_logging()
    assert path is not None
    try:
        logging.getLogger("console.test").warning("a line for the log")
        handler = next(h for h in logging.getLogger().handlers
                       if getattr(h, "baseFilename", None) == str(path))
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        handler.doRollover()
        logging.getLogger("console.test").warning("a line after rotation")
        assert_private(user_data_dir(), path.parent, path, path.with_name(path.name + ".1"))
    finally:
        setup_logging()  # a fresh handler set; the test's folder goes with tmp_path


def test_the_existing_data_folder_is_made_owner_only() -> None:
    from console.paths import user_data_dir

    folder = user_data_dir()
    os.chmod(folder, 0o755)
    assert_private(user_data_dir())


def test_a_report_written_by_the_replacing_writer_is_owner_only(tmp_path: Path) -> None:
    from console.services.text_files import replacing

    target = tmp_path / "rejects.csv"
    with replacing(target) as stream:
        stream.write("row,reason\n")
    assert_private(target)
