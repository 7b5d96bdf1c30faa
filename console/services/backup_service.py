"""Backing up and restoring a SQLite database, by hand and automatically.

Copies go through SQLite's online backup API, so they are consistent while the console
is in use (WAL mode lets readers copy past an open write transaction). A backup is one
self-contained .sqlite file; it does not hold the encryption key (docs/backups.md).
A restore never replaces the live database without first copying it beside itself, and
copies the backup *into* the live file so every connection sees the restored content.
A shared PostgreSQL server is backed up on the server with pg_dump, not here.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import OperationalError

from console.data import audit, audit_anchor, migrate
from console.data.crypto import Vault
from console.data.db_errors import SQLITE_BUSY, SQLITE_LOCKED, sqlite_problem
from console.data.engine import Database
from console.data.identity import key_store, read_identity
from console.data.keystore import KeyStore
from console.data.location import SQLITE_MAGIC
from console.errors import UserError
from console.private_files import create_private_file, private_folder
from console.services.access import Access, Action, require

log = logging.getLogger(__name__)

GUIDE = "docs/backups.md"
STEP_PAGES = 1024  # pages copied between progress reports and cancel checks (4 MiB)
BUSY_TIMEOUT_S = 10.0  # how long a copy waits for another writer before giving up
_STAMP = "%Y%m%d-%H%M%S"
_SIDE_FILES = ("-journal", "-wal", "-shm")  # what SQLite may leave beside a failed copy

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, read without changing it."""

    path: Path
    database_uuid: str
    demo: bool
    schema_revision: str
    created_at: dt.datetime  # the file's modification time, local
    size_bytes: int
    call_count: int
    audit_entries: int
    key_fingerprint: str  # which key opens it (not the key)


@dataclass(frozen=True)
class RestoreResult:
    safety_copy: Path  # the live database as it was just before the restore
    info: BackupInfo


class BackupCancelled(UserError):
    """The person cancelled a copy; nothing was left behind."""


class _Cancel(Exception):
    """Raised inside the backup API's progress callback to stop the copy."""


def backups_dir() -> Path:
    """The default folder for backups, in the user data folder (created on first use, 0700)."""
    from console.paths import user_data_dir

    return private_folder(user_data_dir() / "backups")


def _sqlite_path(db: Database, what: str) -> Path:
    path = db.sqlite_path
    if path is None:
        raise UserError(
            f"cannot {what} {db.label} here: backups of a shared server are made on the "
            f"server with pg_dump, see {GUIDE}"
        )
    return path


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_S)


def _reason(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, label: str,
          progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> None:
    """Copy src into dst page steps at a time; busy for too long raises OperationalError."""
    busy_since: list[float] = []

    def step(status: int, remaining: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise _Cancel
        if status in (SQLITE_BUSY, SQLITE_LOCKED):
            if not busy_since:
                busy_since.append(time.monotonic())
            elif time.monotonic() - busy_since[0] > BUSY_TIMEOUT_S:
                raise sqlite3.OperationalError("database is locked")
            return
        busy_since.clear()
        if progress is not None:
            progress(total - remaining, total, label)

    if cancelled is not None and cancelled():
        raise _Cancel
    src.backup(dst, pages=STEP_PAGES, progress=step, sleep=0.05)


def _write_copy(source: sqlite3.Connection, target: Path, label: str,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> None:
    """Copy into target through a `.part` file renamed when complete; no partial file stays.

    The copy is owner-only (0600), like the database it copies.
    """
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        create_private_file(part)
        dst = sqlite3.connect(part)
        try:
            _copy(source, dst, label, progress, cancelled)
            # A self-contained file: no -wal beside it, openable read-only anywhere.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        os.replace(part, target)
    except BaseException:
        for leftover in (part, *(part.with_name(part.name + s) for s in _SIDE_FILES)):
            leftover.unlink(missing_ok=True)
        raise


def _write_error(target: Path, exc: BaseException) -> UserError:
    reason = _reason(exc)
    why = sqlite_problem(exc, target.parent)
    if why is not None and not why.startswith("busy"):
        return UserError(f"cannot write {target}: {why}")
    if isinstance(exc, sqlite3.OperationalError) and "locked" in reason:
        return UserError(f"cannot copy the database to {target}: it stayed locked by another "
                         f"program for {BUSY_TIMEOUT_S:.0f} s; try again in a moment")
    if isinstance(exc, OSError) and exc.strerror:
        reason = exc.strerror
    return UserError(f"cannot write {target}: {reason}")


def backup_database(access: Access, db: Database, target: Path, *,
                    overwrite: bool = False, progress: Progress | None = None,
                    cancelled: Callable[[], bool] | None = None) -> BackupInfo:
    """Copy the live SQLite database into the file target, safely while it is in use.

    progress(done_pages, total_pages, text) is called between steps; cancelled() is
    checked between them too, and a cancel raises BackupCancelled with no file left.
    The backup is checked like any file to restore, then recorded in the audit trail.
    """
    require(access.actor, Action.BACKUP)
    source = _sqlite_path(db, "back up")
    target = Path(target)
    if target.is_dir():
        raise UserError(f"cannot back up to {target}: it is a folder; give a file name in it")
    if not target.parent.is_dir():
        raise UserError(f"cannot back up to {target}: folder {target.parent} does not exist")
    if target.exists():
        if target.resolve() == source.resolve():
            raise UserError(f"cannot back up {db.label} onto itself: choose another file")
        if not overwrite:
            raise UserError(f"cannot back up to {target}: the file already exists; "
                            "choose a new file name")
    started = time.perf_counter()
    try:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
        try:
            _write_copy(src, target, f"Backing up to {target.name}", progress, cancelled)
        finally:
            src.close()
    except _Cancel:
        raise BackupCancelled(f"backup to {target} cancelled; no file was written") from None
    except (sqlite3.Error, OSError) as exc:
        log.info("backup of %s to %s failed", db.label, target, exc_info=True)
        raise _write_error(target, exc) from None
    info = inspect_backup(target)
    log.info("backed up %s to %s (%d bytes) in %.2f s", db.label, target, info.size_bytes,
             time.perf_counter() - started)
    try:
        with db.engine.begin() as conn:
            audit.record_event(conn, access.vault, access.actor.username, "backup",
                               target.name[:60],
                               {"path": str(target), "size_bytes": info.size_bytes,
                                "calls": info.call_count, "audit_entries": info.audit_entries})
    except OperationalError as exc:
        log.warning("backup %s not recorded in the audit trail: %s", target, exc.orig)
        raise UserError(f"the backup {target} was written and checked, but recording it in "
                        f"the audit trail failed ({_reason(exc.orig or exc)}): back up "
                        "again once the database is free") from None
    return info


def _not_a_backup(path: Path, why: str) -> UserError:
    return UserError(f"cannot use {path} as a backup: {why}")


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        raise _not_a_backup(path, "the file does not exist") from None
    except OSError as exc:
        raise _not_a_backup(path, exc.strerror or str(exc)) from None
    if header[:16] != SQLITE_MAGIC:
        raise _not_a_backup(path, "it is not a SQLite database file (a console backup is a "
                                  ".sqlite file written by `coresponse-console backup`)")
    if len(header) < 100:
        raise _not_a_backup(path, "the file is damaged (cut short); copy it again")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is only valid when written with the change counter.
    if header[92:96] == header[24:28] and pages * page_size > size:
        raise _not_a_backup(path, f"the file is cut short ({size:,} of {pages * page_size:,} "
                                  "bytes); copy it again from where it was kept")


def inspect_backup(path: Path, *, thorough: bool = False) -> BackupInfo:
    """Describe a backup file, or raise UserError saying why it cannot be restored.

    The file is opened read-only and never changed. It is checked with SQLite's quick
    check, or with thorough: its full integrity check, which also compares every index
    with its table (what a restore needs; slower).
    """
    path = Path(path)
    if path.is_dir():
        raise _not_a_backup(path, "it is a folder")
    _check_header(path)
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise _not_a_backup(path, f"it cannot be opened ({_reason(exc)})") from None
    try:
        try:
            pragma = "integrity_check" if thorough else "quick_check"
            check = [row[0] for row in conn.execute(f"PRAGMA {pragma}").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise _not_a_backup(path, f"the file is damaged ({_reason(exc)})") from None
        if check != ["ok"]:
            raise _not_a_backup(path, f"the file is damaged ({check[0]})")
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables or "database_identity" not in tables:
            raise _not_a_backup(path, "it is a SQLite file but not a Co-Response Console "
                                      "database")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None:
            raise _not_a_backup(path, "it has no schema revision (not a console database)")
        if revision[0] != migrate.HEAD_REVISION and revision[0] not in migrate.known_revisions():
            raise _not_a_backup(path, f"it uses schema revision {revision[0]}, newer than this "
                                      "program knows: restore it with the newer console")
        identity = conn.execute("SELECT database_uuid, demo, key_fingerprint "
                                "FROM database_identity WHERE id = 1").fetchone()
        if identity is None:
            raise _not_a_backup(path, "it has no database identity (not a console database "
                                      "that was ever opened)")
        calls = conn.execute('SELECT count(*) FROM "call"').fetchone()[0] \
            if "call" in tables else 0
        entries = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0] \
            if "audit_entry" in tables else 0
    except sqlite3.DatabaseError as exc:
        raise _not_a_backup(path, f"the file is damaged ({_reason(exc)})") from None
    finally:
        conn.close()
    stat = path.stat()
    return BackupInfo(
        path=path, database_uuid=identity[0], demo=bool(identity[1]),
        schema_revision=revision[0],
        created_at=dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0),
        size_bytes=stat.st_size, call_count=calls, audit_entries=entries,
        key_fingerprint=identity[2],
    )


def _restore_vault(access: Access, db: Database, info: BackupInfo, *,
                   allow_other_database: bool, store: KeyStore | None) -> Vault:
    """The key that will open the restored database; refuses before anything changes."""
    live = read_identity(db)
    live_uuid = live.database_uuid if live is not None else "(none)"
    if info.database_uuid == live_uuid and info.key_fingerprint == access.vault.fingerprint:
        return access.vault
    if not allow_other_database:
        raise UserError(
            f"{info.path} is a backup of database {info.database_uuid}, not of {db.label} "
            f"(database {live_uuid}): to replace this database with the other one, restore "
            "with --other-database"
        )
    store = store or key_store(db, demo=info.demo)
    key = store.load(info.database_uuid)
    if key is None or Vault(key).fingerprint != info.key_fingerprint:
        raise UserError(
            f"the encryption key of database {info.database_uuid} (the backup's) is not in "
            f"{store.label}: import it first with `coresponse-console key import FILE`, then "
            "restore; nothing was changed"
        )
    return Vault(key)


def _safety_copy_path(live: Path, now: dt.datetime) -> Path:
    base = live.with_name(f"{live.name}.before-restore-{now:{_STAMP}}")
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def restore_backup(access: Access, db: Database, backup: Path, *,
                   allow_other_database: bool = False,
                   store: KeyStore | None = None) -> RestoreResult:
    """Replace the live SQLite database's content with a backup's.

    Refuses a file that is not a console backup, and a backup of another database unless
    allow_other_database (then that database's key must already be here: store, or where
    unlock would look). The live database is first copied to
    `<name>.before-restore-<time>` beside it; the backup is then copied into the live file,
    upgraded to this program's schema and the restore recorded in its audit trail. After
    restoring another database, unlock it again: `access` still holds the old key.
    """
    require(access.actor, Action.RESTORE)
    live = _sqlite_path(db, "restore")
    backup = Path(backup)
    info = inspect_backup(backup, thorough=True)
    if backup.resolve() == live.resolve():
        raise UserError(f"cannot restore {backup}: it is the live database itself")
    vault = _restore_vault(access, db, info, allow_other_database=allow_other_database,
                           store=store)
    safety = _safety_copy_path(live, dt.datetime.now())
    db.engine.dispose()
    try:
        src = sqlite3.connect(live, timeout=BUSY_TIMEOUT_S)
        try:
            _write_copy(src, safety, "Copying the current database")
        finally:
            src.close()
    except (sqlite3.Error, OSError) as exc:
        log.info("safety copy of %s failed", db.label, exc_info=True)
        raise UserError(f"nothing was restored: {_write_error(safety, exc).message}") from None
    kept = f"the database as it was before is kept in {safety}"
    try:
        src = _read_only(backup)
        try:
            dst = sqlite3.connect(live, timeout=BUSY_TIMEOUT_S)
            try:
                _copy(src, dst, f"Restoring {backup.name}")
            finally:
                dst.close()
        finally:
            src.close()
        db.engine.dispose()
        migrate.upgrade(db)
        with db.engine.begin() as conn:
            head = audit.record_event(
                conn, vault, access.actor.username, "restore", backup.name[:60],
                {"path": str(backup), "safety_copy": str(safety),
                 "database_uuid": info.database_uuid,
                 "backup_modified": info.created_at.isoformat(),
                 "schema_revision": info.schema_revision})
        # The trail went back to the backup's on purpose: anchor this workstation there.
        audit_anchor.rebase(db, info.database_uuid, head, store or key_store(db, demo=info.demo))
    except UserError as exc:
        raise UserError(f"restore of {backup} failed: {exc.message}; {kept}") from None
    except (sqlite3.Error, OSError) as exc:
        log.info("restore of %s into %s failed", backup, db.label, exc_info=True)
        reason = "the database stayed locked by another program (close the console " \
                 "elsewhere and retry)" if "locked" in _reason(exc) else _reason(exc)
        raise UserError(f"restore of {backup} failed: {reason}; {kept}") from None
    except Exception:
        log.exception("restore of %s into %s failed; safety copy %s", backup, db.label, safety)
        raise
    log.info("restored %s into %s; safety copy %s", backup, db.label, safety)
    return RestoreResult(safety_copy=safety, info=info)


def _auto_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(db_path.stem) + r"-auto-(\d{8}-\d{6})\.sqlite")


def list_auto_backups(db: Database, folder: Path) -> list[tuple[dt.datetime, Path]]:
    """This database's automatic backups in folder, oldest first, by the time in their name."""
    pattern = _auto_pattern(_sqlite_path(db, "back up"))
    found = []
    for path in folder.glob("*-auto-*.sqlite"):
        match = pattern.fullmatch(path.name)
        if match is None:
            continue
        try:
            found.append((dt.datetime.strptime(match.group(1), _STAMP), path))
        except ValueError:
            continue
    return sorted(found)


def auto_backup(access: Access, db: Database, folder: Path, *, keep: int = 14,
                every: dt.timedelta = dt.timedelta(days=1),
                now: dt.datetime | None = None) -> Path | None:
    """Write `<db stem>-auto-<time>.sqlite` into folder unless the newest is younger than every.

    Keeps the newest `keep` automatic backups of this database and deletes older ones;
    other files in the folder are never touched. Returns the new backup, or None.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    require(access.actor, Action.BACKUP)
    live = _sqlite_path(db, "back up")
    now = (now or dt.datetime.now()).replace(microsecond=0)
    folder = Path(folder)
    existing = list_auto_backups(db, folder) if folder.is_dir() else []
    if existing and dt.timedelta(0) <= now - existing[-1][0] < every:
        return None
    target = folder / f"{live.stem}-auto-{now:{_STAMP}}.sqlite"
    backup_database(access, db, target)
    for _stamp, old in list_auto_backups(db, folder)[:-keep]:
        try:
            old.unlink()
        except OSError as exc:
            log.warning("cannot delete old automatic backup %s: %s", old, exc)
    return target
