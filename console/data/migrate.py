"""Keeping a database at the schema this program knows, through Alembic.

Opening a database that is already current costs one small query: Alembic itself is
imported only when an upgrade is due, which keeps start-up fast.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from console.data.engine import Database, open_location, reading
from console.data.location import DatabaseLocation
from console.errors import UserError
from console.private_files import create_private_file

log = logging.getLogger(__name__)

# The newest revision in console/data/migrations/versions; a test keeps them equal.
HEAD_REVISION = "0012_program_scope"
_UPGRADE_LOCK = 0x636F6E73  # PostgreSQL advisory lock key of schema upgrades ("cons")


def alembic_config(connection: Connection | None = None):  # type: ignore[no-untyped-def]
    """An Alembic Config for the migrations shipped inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "console.data:migrations")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The revision stamped in the database, or None for a database without one."""
    with reading(db.engine) as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database through the online backup API (safe while in use).

    The copy is owner-only (0600), like the database.
    """
    create_private_file(target)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def upgrade(db: Database) -> str | None:
    """Bring the database to HEAD_REVISION; returns the revision it had before.

    A SQLite file that holds data is copied beside itself before its schema changes.
    Raises UserError for a database of a newer schema or one that is not ours.
    """
    if current_revision(db) == HEAD_REVISION:  # the usual case, without waiting for a writer
        return HEAD_REVISION
    # Decided and done under the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
    # advisory lock), so of two first opens of a new database one creates the schema
    # and the other finds it made.
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        revision = _revision(conn)
        if revision == HEAD_REVISION:
            return revision
        _check_upgradable(db, conn, revision)
        if revision is not None and db.sqlite_path is not None:
            copy = db.sqlite_path.with_name(f"{db.sqlite_path.name}.before-{HEAD_REVISION}")
            backup_sqlite(db.sqlite_path, copy)
            log.info("copied %s to %s before upgrading from %s", db.label, copy, revision)

        from alembic import command

        command.upgrade(alembic_config(conn), "head")
    log.info("upgraded %s from %s to %s", db.label, revision, HEAD_REVISION)
    return revision


def _check_upgradable(db: Database, conn: Connection, revision: str | None) -> None:
    if revision is None:
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        if tables:
            raise UserError(
                f"{db.label} is not a Co-Response Console database "
                f"(it has tables such as {sorted(tables)[0]!r} but no console schema)"
            )
    elif revision not in known_revisions():
        raise UserError(
            f"{db.label} uses schema revision {revision}, newer than this program knows "
            f"({HEAD_REVISION}): install the newer Co-Response Console to open it"
        )


def open_upgraded(location: DatabaseLocation) -> Database:
    """Open a database and bring it to the newest schema (closing it again on failure)."""
    db = open_location(location)
    try:
        upgrade(db)
    except BaseException:
        db.dispose()
        raise
    return db


def downgrade(db: Database, revision: str) -> None:
    from alembic import command

    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
