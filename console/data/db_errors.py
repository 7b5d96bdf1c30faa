"""Database errors that are the workstation's situation, not a bug, as one line for people.

A busy database, a read-only file or folder, a full disk, a file-size limit, a damaged
file: each is told in one line that says what, where and what to do (the traceback goes
to the log). Anything else is a bug and stays one. The command line (console.__main__),
the GUI's task runner and the services that add their own context use `database_error`.
No SQLAlchemy import: it reads the driver's error that SQLAlchemy wraps (`.orig`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from console.errors import UserError

# SQLite result codes (https://sqlite.org/rescode.html); extended = primary | (n << 8).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
SQLITE_READONLY_DIRECTORY = SQLITE_READONLY | (6 << 8)
SQLITE_READONLY_CANTINIT = SQLITE_READONLY | (5 << 8)
SQLITE_IOERR_WRITE = SQLITE_IOERR | (3 << 8)
SQLITE_IOERR_SHMSIZE = SQLITE_IOERR | (19 << 8)
# Less room than this on the database's disk makes a failed write a full disk: SQLite
# says SQLITE_FULL only for a write that ran out of room, while an -shm file it cannot
# grow (IOERR_SHMSIZE) or a quota (IOERR_WRITE) come as I/O errors.
NEARLY_FULL_BYTES = 1 << 20

_GUIDE = "docs/backups.md"


class DatabaseUnavailable(UserError):
    """The database cannot be used right now, for a reason outside the program."""


def _driver_error(exc: BaseException) -> BaseException:
    orig = getattr(exc, "orig", None)  # a SQLAlchemy DBAPIError wraps the driver's error
    return orig if isinstance(orig, BaseException) else exc


def file_size_limit() -> int | None:
    """This process's file-size limit in bytes (ulimit -f), or None when there is none."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


_FULL = "the disk is full; free some space and try again"


def _nearly_full(folder: Path | None) -> bool:
    """Whether the disk that holds `folder` has (almost) no room left for this user."""
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def sqlite_problem(exc: BaseException, folder: Path | None = None) -> str | None:
    """Why a SQLite write or open failed and what to do, or None for anything but the
    workstation's situation (a bug). `folder`: where the file lies, for a read-only folder
    or a full disk."""
    err = _driver_error(exc)
    if not isinstance(err, sqlite3.Error):
        return None
    code = getattr(err, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return ("busy: another console or command is writing to it (an import?); try again "
                "when it finishes")
    if code in (SQLITE_READONLY_DIRECTORY, SQLITE_READONLY_CANTINIT) or (
            primary == SQLITE_CANTOPEN and folder is not None and folder.is_dir()
            and not os.access(folder, os.W_OK)):
        where = f"its folder {folder}" if folder is not None else "its folder"
        return (f"{where} cannot be written (read-only folder or disk), and SQLite writes "
                "beside the file (-wal, -shm, -journal); make the folder writable, or copy "
                "the file to a folder you can write")
    if primary == SQLITE_READONLY:
        return ("the file is read-only (its permissions, or a read-only disk); make it "
                "writable, or open a writable copy")
    if primary == SQLITE_FULL:
        return _FULL
    if primary == SQLITE_IOERR:
        limit = file_size_limit()
        if _nearly_full(folder):
            return _FULL
        if limit is not None and code in (SQLITE_IOERR_WRITE, SQLITE_IOERR_SHMSIZE):
            return (f"the file-size limit of this session (ulimit -f: {limit:,} bytes) stops "
                    "the file from growing; raise the limit and try again")
        if code == SQLITE_IOERR_SHMSIZE:  # no room to grow the -shm file beside it
            return _FULL
        return "the disk reported an error (I/O); check the disk and try again"
    if primary == SQLITE_CANTOPEN:
        return "it cannot be opened (a missing or inaccessible folder?); check its folder"
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return f"the file is damaged; restore a backup, see {_GUIDE}"
    return None


def _server_problem(exc: BaseException) -> str | None:
    state = str(getattr(_driver_error(exc), "sqlstate", "") or "")
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return "the connection to the server was lost; check the network and try again"
    if state == "53100":
        return "the server's disk is full; ask IT to free space on the database server"
    if state.startswith("53"):
        return "the server is out of resources (memory, connections); try again later"
    if state in ("40001", "40P01", "55P03"):
        return "busy: another workstation was saving the same records; try again"
    return None


def database_error(exc: BaseException, where: str | None = None) -> DatabaseUnavailable | None:
    """The one line for a database error the user can act on, or None if it is a bug.

    where: the database's label; by default the one the engine put on the error.
    """
    where = where or getattr(exc, "console_database", None)
    folder = Path(where).parent if where and "://" not in where else None
    why = sqlite_problem(exc, folder) or _server_problem(exc)
    if why is None:
        return None
    name = f"the database {where}" if where else "the database"
    if why.startswith("busy"):
        return DatabaseUnavailable(f"{name} is {why}")
    return DatabaseUnavailable(f"cannot use {name}: {why}")
