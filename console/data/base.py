"""The one declarative base, its constraint naming convention and shared column types."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from sqlalchemy import DateTime, Enum, MetaData, String, Text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Named constraints make Alembic batch migrations on SQLite and drops on PostgreSQL
# deterministic; anonymous constraints cannot be altered later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

IntPk = Annotated[int, mapped_column(primary_key=True)]
Name = Annotated[str, mapped_column(String(200))]
ShortText = Annotated[str, mapped_column(String(80))]
# Wall-clock time of the program's own time zone (Program.timezone): CAD exports and
# shift rosters are local, and demand by hour of week must be read in local hours.
# Whole seconds, as CAD systems record them: on SQLite the text drops SQLAlchemy's
# ".000000" (shorter rows and indexes on millions of calls; same order when compared).
SQLITE_SECONDS = sqlite.DATETIME(
    storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"
)
LocalDateTime = Annotated[
    dt.datetime,
    mapped_column(DateTime(timezone=False).with_variant(SQLITE_SECONDS, "sqlite")),
]

# Protected text (names, contact details, narratives, clinical notes): only ciphertext
# from console.data.crypto.Vault.seal is ever stored. The column info lets tests and the
# audit trail find every such column; the purpose "table.column" is the cipher's AAD.
Sealed = Annotated[str | None, mapped_column(Text, info={"sealed": True})]


def sealed_purpose(table: str, column: str) -> str:
    """The associated data a sealed value is bound to: moved to another column, it won't open."""
    return f"{table}.{column}"


def str_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, storing the values.

    Native PostgreSQL enums need their own migrations for every new member; a checked
    VARCHAR behaves the same on SQLite and PostgreSQL.
    """
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),  # type: ignore[misc]
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Optimistic locking: every UPDATE checks and bumps `version`.

    Two workstations on a shared server may load the same record; the second save finds
    the version changed and raises instead of silently overwriting the first.
    """

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
