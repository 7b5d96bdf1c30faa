"""Copy one database's program into another, as a second program: the test data for
program scoping (two whole programs in one database, ids apart)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table, insert, select

from console.data.models import Base

# Not program data: accounts, the audit trail and console-wide settings stay behind.
_LEFT_BEHIND = {"user_account", "audit_entry", "audit_head", "database_identity", "setting",
                "import_profile", "indicator_threshold", "alert_acknowledgement",
                "indicator_seen"}
# Unique across the whole database, not per program.
_GLOBAL_KEYS = {("person", "person_key"), ("staff_member", "staff_key")}


def copy_program(source: Engine, target: Engine, *, offset: int, name: str) -> None:
    """Every program row of `source` into `target`: integer keys moved up by `offset`,
    globally unique keys prefixed, the program renamed, sealed values left empty (they
    are sealed with the other database's key)."""
    tables = [t for t in Base.metadata.sorted_tables if t.name not in _LEFT_BEHIND]
    with source.connect() as src, target.begin() as dst:
        for table in tables:
            rows = [_moved(table, dict(row), offset, name)
                    for row in src.execute(select(table)).mappings()]
            for start in range(0, len(rows), 5_000):
                dst.execute(insert(table), rows[start:start + 5_000])


def _moved(table: Table, row: dict[str, Any], offset: int, name: str) -> dict[str, Any]:
    for column in table.columns:
        value = row[column.name]
        if value is None:
            continue
        if column.info.get("sealed"):
            row[column.name] = None
        elif (column.primary_key or column.foreign_keys) and isinstance(value, int) \
                and not isinstance(value, bool):
            row[column.name] = value + offset
        elif (table.name, column.name) in _GLOBAL_KEYS:
            row[column.name] = f"B{value}"[: column.type.length]  # type: ignore[attr-defined]
    if table.name == "program":
        row["name"] = name
    return row
