"""The shipped migrations build exactly the models' schema, and round-trip.

Tests on `any_db`/`any_empty_db` run on SQLite and, given a server, on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from console.data import migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.models import Base
from console.errors import UserError


def _drift(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_head_constant_matches_the_scripts() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.HEAD_REVISION]


def test_upgrade_of_empty_database_gives_exactly_the_models(any_db: Database) -> None:
    assert migrate.current_revision(any_db) == migrate.HEAD_REVISION
    assert _drift(any_db) == []
    with any_db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)


def test_upgrade_of_a_new_database_reports_no_revision_before(any_empty_db: Database) -> None:
    assert migrate.current_revision(any_empty_db) is None
    assert migrate.upgrade(any_empty_db) is None
    assert migrate.current_revision(any_empty_db) == migrate.HEAD_REVISION
    assert _drift(any_empty_db) == []


def test_downgrade_then_upgrade_round_trips(any_db: Database) -> None:
    migrate.downgrade(any_db, "base")
    with any_db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    assert migrate.current_revision(any_db) is None
    migrate.upgrade(any_db)
    assert migrate.current_revision(any_db) == migrate.HEAD_REVISION
    assert _drift(any_db) == []


def test_every_revision_downgrades_and_upgrades_again(any_empty_db: Database) -> None:
    """Step by step from base: each upgrade is undone by its downgrade and redone."""
    from alembic import command

    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    for revision in revisions:
        with any_empty_db.engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), revision)
        assert migrate.current_revision(any_empty_db) == revision
        with any_empty_db.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "-1")
        with any_empty_db.engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), revision)
        assert migrate.current_revision(any_empty_db) == revision
    assert _drift(any_empty_db) == []


def test_upgrade_is_a_no_op_when_current(any_db: Database) -> None:
    assert migrate.upgrade(any_db) == migrate.HEAD_REVISION


def test_sqlite_settings(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_newer_schema_is_refused_with_one_line(any_db: Database) -> None:
    with any_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(UserError) as err:
        migrate.upgrade(any_db)
    assert "newer than this program knows" in err.value.message
    assert "\n" not in err.value.message


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    other = open_database(sqlite_url(path))
    try:
        with pytest.raises(UserError, match="not a Co-Response Console database"):
            migrate.upgrade(other)
        with other.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {"recipes"}
    finally:
        other.dispose()


def test_foreign_database_is_refused_untouched(any_empty_db: Database) -> None:
    with any_empty_db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE recipes (id INTEGER PRIMARY KEY)"))
    with pytest.raises(UserError, match="not a Co-Response Console database"):
        migrate.upgrade(any_empty_db)
    with any_empty_db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"recipes"}


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda p: p.mkdir(), "it is a folder"),
        (lambda p: p.write_text("name,date\nx,y\n"), "not a SQLite database file"),
        (lambda p: None, "does not exist"),
    ],
)
def test_bad_paths_give_one_line_reasons(tmp_path: Path, setup, reason: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "bad.sqlite"
    if reason == "does not exist":
        target = tmp_path / "missing-folder" / "x.sqlite"
    setup(target)
    with pytest.raises(UserError, match=reason):
        open_database(sqlite_url(target))
