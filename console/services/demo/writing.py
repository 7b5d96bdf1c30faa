"""Writing the demo's rows, and loading big demos fast on SQLite."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session, sessionmaker

from console.data.bulk import sqlite_bulk
from console.services.demo.timeline import APPEND_ORDERED_INDEXES, BATCH_ROWS, Row


class _Writer:
    """Writes rows with executemany on the Core tables and counts them per table.

    The bulk tables (person, call, call_responder) come as tuples in a fixed column order.
    On SQLite those go to the connection as they are (their datetimes already in
    SQLAlchemy's storage format): SQLAlchemy's per-value processing would cost more than
    SQLite itself. On other databases they go through the Core insert like the rest.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.counts: dict[str, int] = {}

    def write(self, table: Any, rows: list[Row]) -> None:
        for i in range(0, len(rows), BATCH_ROWS):
            self.session.execute(insert(table), rows[i:i + BATCH_ROWS])
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def write_tuples(self, table: Any, columns: Sequence[str],
                     rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if not self.sqlite:
            self.write(table, [dict(zip(columns, r, strict=True)) for r in rows])
            return
        sql = (f'INSERT INTO "{table.name}" ({", ".join(columns)}) '
               f'VALUES ({", ".join("?" * len(columns))})')
        self.session.connection().exec_driver_sql(sql, rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)


@contextmanager
def _sqlite_bulk_load(session: Session, tables: Sequence[str]) -> Iterator[None]:
    """Load big tables the way SQLite loads fastest, inside the open transaction
    (console/data/bulk.py): indexes dropped and rebuilt, CHECKs relaxed, a big cache.

    Indexes whose keys arrive in order (calls are written in time order) stay: appending
    to them costs less than rebuilding them. The values come from the enums; the
    default-sized demo, which the tests check, is written with every constraint on.
    """
    with sqlite_bulk(session.connection()) as bulk:
        if bulk is None or not bulk.in_transaction:
            yield  # DDL outside a transaction would commit on its own: load the plain way
            return
        bulk.drop_indexes(tables, keep=APPEND_ORDERED_INDEXES)
        bulk.relax_checks()
        bulk.set_cache_size(-131072)  # 128 MiB while loading
        yield
        bulk.rebuild_indexes()


@contextmanager
def _bulk_load_settings(session_factory: sessionmaker[Session], bulk: bool) -> Iterator[None]:
    """Load a big SQLite demo through a rollback journal without foreign-key lookups.

    In WAL mode every page of a new file is written twice (log, then checkpoint); a
    rollback journal of a new file holds almost nothing, and a cancel still rolls back.
    The generator writes parents before children with ids it assigned itself, so the
    four foreign-key lookups per call prove nothing (tests run foreign_key_check on the
    result). SQLite refuses the journal switch while another connection has the file
    open: then the load simply stays in WAL. Both settings are restored afterwards.
    """
    bind = session_factory.kw.get("bind")
    if not bulk or bind is None or bind.dialect.name != "sqlite":
        yield
        return
    # Outside any transaction (SQLite ignores or refuses these pragmas inside one): on
    # the driver's connection, which begins none of its own (console.data.engine).
    with bind.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA journal_mode=DELETE")
        raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        with bind.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute("PRAGMA journal_mode=WAL")


def _sync_sequences(session: Session, tables: Sequence[str]) -> None:
    """On PostgreSQL, move each id sequence past the ids written explicitly."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in tables:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f"GREATEST((SELECT MAX(id) FROM \"{name}\"), 1))"))
