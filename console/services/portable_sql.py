"""SQL expressions that read the same on SQLite and PostgreSQL.

SQLite stores datetimes as text and PostgreSQL as timestamps, so months, hours and day
offsets are spelled differently on each; these helpers hide that from the queries of
the outcome and repeat-call measures. Months come back as 'YYYY-MM' keys, which
parse_month and months_between turn into dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, cast, func, literal_column
from sqlalchemy.orm import Session


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def month_of(session: Session, column: Any) -> ColumnElement[str]:
    """'YYYY-MM' of a datetime column."""
    if dialect(session) == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def seconds_between(session: Session, later: Any, earlier: Any) -> ColumnElement[int]:
    """Whole seconds from `earlier` to `later`, an integer.

    Sums of these are exact, so a total does not change in its last digit with the
    order the database happens to return rows or groups in (floats would).
    """
    if dialect(session) == "sqlite":
        return cast(func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0),
                    Integer)
    return cast(func.round(func.extract("epoch", later - earlier)), BigInteger)


def plus_days(session: Session, column: Any, days: int) -> ColumnElement[Any]:
    """A datetime column moved by whole days (negative: back), comparable with the column."""
    if dialect(session) == "sqlite":
        return func.datetime(column, f"{days:+d} days")
    return column + func.make_interval(0, 0, 0, days)


def weekday_and_hour(session: Session, column: Any) -> tuple[ColumnElement[int], ...]:
    """Day of week (0 Sunday .. 6 Saturday, as both databases count) and hour (0-23)."""
    if dialect(session) == "sqlite":
        return (cast(func.strftime("%w", column), Integer),
                cast(func.strftime("%H", column), Integer))
    return (cast(func.extract("dow", column), Integer),
            cast(func.extract("hour", column), Integer))


def scan_key(column: Any) -> ColumnElement[Any]:
    """A column turned into an expression for GROUP BY (`+ 0`, or `|| ''` for text).

    Grouped by a bare indexed column, SQLite walks that index and looks up each call's
    row in random order (2.5-4 s on 1M calls); grouped by an expression it reads the
    table in storage order and sorts (about 1 s). PostgreSQL plans both alike.
    """
    if isinstance(column.type, Integer):
        return column + literal_column("0")
    return column.concat(literal_column("''"))


def parse_month(value: str) -> dt.date:
    return dt.date(int(value[:4]), int(value[5:7]), 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from first's month to last's, both included."""
    out, k = [], first.year * 12 + first.month - 1
    while k <= last.year * 12 + last.month - 1:
        out.append(dt.date(k // 12, k % 12 + 1, 1))
        k += 1
    return out
