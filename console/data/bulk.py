"""Loading many rows into SQLite quickly, inside one transaction, undone on failure.

The demo generator and the call import both load tables of up to millions of rows.
Two things cost SQLite most there: inserting into every secondary index row by row
(a random B-tree insert each; dropping the indexes and rebuilding them from their own
SQL at the end is one sort each), and CHECK (x IN (...)) constraints, evaluated through
an ephemeral table on every insert (about 15 µs a row on the call table). Indexes are
dropped only inside an open transaction: SQLite's DDL is transactional, so a rollback
(a cancel, an error) brings them back together with the rows. Constraints are relaxed
only for values the caller takes from the console's own enums.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection


class SqliteBulk:
    """The bulk-load settings of one connection; `restore` puts the pragmas back."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.indexes: list[tuple[str, str]] = []
        self._checks_off = False
        self._cache_size: int | None = None

    @property
    def in_transaction(self) -> bool:
        """Whether DDL would stay inside the open transaction (outside, it commits alone)."""
        return bool(getattr(self.conn.connection.driver_connection, "in_transaction", False))

    def relax_checks(self) -> None:
        """CHECK constraints not evaluated on this connection until `restore`."""
        self.conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
        self._checks_off = True

    def set_cache_size(self, pragma_value: int) -> None:
        """A bigger page cache until `restore` (PRAGMA cache_size; negative means KiB)."""
        if self._cache_size is None:
            self._cache_size = int(
                self.conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
        self.conn.exec_driver_sql(f"PRAGMA cache_size = {int(pragma_value)}")

    def drop_indexes(self, tables: Sequence[str],
                     keep: Collection[str] = frozenset()) -> bool:
        """Drop the tables' secondary indexes (not those in `keep`) for `rebuild_indexes`.

        Only inside a transaction and only once; False when nothing was done.
        """
        if not self.in_transaction or self.indexes:
            return False
        names = ", ".join(f"'{t}'" for t in tables)
        self.indexes = [(name, sql) for name, sql in self.conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({names}) ORDER BY name") if name not in keep]
        for name, _ in self.indexes:
            self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        return True

    def rebuild_indexes(self) -> None:
        for _, sql in self.indexes:
            self.conn.exec_driver_sql(sql)
        self.indexes = []

    def restore(self) -> None:
        """Checks and cache as they were (the indexes come back by rebuild or rollback)."""
        if self._checks_off:
            self.conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
            self._checks_off = False
        if self._cache_size is not None:
            self.conn.exec_driver_sql(f"PRAGMA cache_size = {self._cache_size}")
            self._cache_size = None


@contextmanager
def sqlite_bulk(conn: Connection) -> Iterator[SqliteBulk | None]:
    """The connection's bulk-load settings on SQLite (None elsewhere), restored at the end."""
    if conn.dialect.name != "sqlite":
        yield None
        return
    bulk = SqliteBulk(conn)
    try:
        yield bulk
    finally:
        bulk.restore()
