"""Which database to open, decided without importing SQLAlchemy.

Start-up paints the window before the database layer is imported (SQLAlchemy alone
costs more than a bare Qt window), so choosing and checking the location must be cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from console.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class DatabaseLocation:
    """A SQLite file, or the URL of a server (checked when it is opened)."""

    path: Path | None = None
    url: str | None = None

    @property
    def label(self) -> str:
        if self.path is not None:
            return str(self.path)
        # Hide anything after a colon in the user part, should a password slip in.
        text = self.url or ""
        scheme, _, rest = text.partition("://")
        user, at, host = rest.rpartition("@")
        return f"{scheme}://{user.split(':')[0]}{at}{host}" if at else text


def locate(db_path: str | Path | None, db_url: str | None, default: Path) -> DatabaseLocation:
    """The location that --db / --db-url name, else the default file; checks a SQLite path."""
    if db_path is not None and db_url is not None:
        raise UserError("give either --db or --db-url, not both")
    if db_url is not None:
        return DatabaseLocation(url=db_url)
    path = Path(db_path) if db_path is not None else default
    check_sqlite_file(path, create=True)
    return DatabaseLocation(path=path)


def chosen_location(db_path: str | None, db_url: str | None, *, demo: bool) -> DatabaseLocation:
    """The location the command line names: --db, --db-url, --demo or the default file."""
    from console.paths import default_database_path, demo_database_path

    return locate(db_path, db_url, demo_database_path() if demo else default_database_path())


def check_sqlite_file(path: Path, *, create: bool) -> None:
    """Refuse, in one line, a path that cannot hold a console database."""
    if path.is_dir():
        raise UserError(f"cannot open database {path}: it is a folder, not a file")
    if not path.parent.is_dir():
        raise UserError(f"cannot open database {path}: folder {path.parent} does not exist")
    if path.exists():
        if path.stat().st_size == 0:
            return
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise UserError(f"cannot open database {path}: {exc.strerror}") from None
        if head != SQLITE_MAGIC:
            raise UserError(f"cannot open database {path}: it is not a SQLite database file")
    elif not create:
        raise UserError(f"database {path} does not exist")
