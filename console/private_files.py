"""Creating files and folders that only their owner may read, whatever the umask.

A precinct workstation is shared by several accounts, and the usual umask (022) makes new
files readable by all of them. Everything the console writes holds program data or what
protects it (the database, backups, key files, logs, reports), so every file and folder it
creates goes through here: files 0600, folders 0700, set explicitly after creation because
the umask only ever removes bits. Used by every layer, so it imports nothing of the console.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation on the descriptor


def private_fd(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """os.open(path, flags) for a file that ends up owner-only (0600)."""
    fd = os.open(path, flags | _CLOEXEC | _BINARY, FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
        else:  # pragma: no cover - Windows has no POSIX modes to tighten
            os.chmod(path, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """open(path, mode, ...) for writing ("w", "wb", "a", "ab", "x", "xb"), owner-only."""
    base = mode.replace("b", "")
    flags = {"w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
             "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
             "x": os.O_WRONLY | os.O_CREAT | os.O_EXCL}.get(base)
    if flags is None:
        raise ValueError(f"open_private is for writing, not mode {mode!r}")
    fd = private_fd(path, flags)
    try:
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def create_private_file(path: Path) -> bool:
    """Create path as an empty owner-only file unless it exists; True when it was created.

    For files another program fills in (SQLite gives a database's -wal and -shm files the
    mode of the database file, so the database is created here before SQLite opens it).
    """
    try:
        fd = private_fd(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def write_private_bytes(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write data to path, owner-only; exclusive: never over an existing file."""
    with open_private(path, "xb" if exclusive else "wb") as stream:
        stream.write(data)


def replace_private_bytes(path: Path, data: bytes) -> None:
    """Write data to path whole or not at all, owner-only: into a new file beside it (a
    name of its own, so two writers at once never share it), renamed over path once written."""
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        write_private_bytes(tmp, data, exclusive=True)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def private_folder(path: Path) -> Path:
    """The folder path, created owner-only (0700) with any missing parents if needed.

    An existing folder is left as it is; see `own_private_folder` for the console's own.
    """
    if path.is_dir():
        return path
    if not path.parent.is_dir() and path.parent != path:
        private_folder(path.parent)
    try:
        path.mkdir(mode=FOLDER_MODE)
    except FileExistsError:
        if not path.is_dir():
            raise
        return path  # made by someone else meanwhile: theirs to set
    os.chmod(path, FOLDER_MODE)
    return path


def own_private_folder(path: Path) -> Path:
    """A folder that belongs to the console (its user data folder): created or tightened
    to 0700, which also closes the files inside it that earlier versions left readable."""
    private_folder(path)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        try:
            os.chmod(path, FOLDER_MODE)
        except OSError as exc:  # not ours (IT set it up): say so, but keep working
            log.warning("cannot make %s private to its owner: %s", path,
                        exc.strerror or exc)
    return path
