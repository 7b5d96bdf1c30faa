"""Reading the call record a page at a time: the Calls table's queries.

Pages are fetched by keyset (the sort value and the id of the last row shown), never by
OFFSET, so page 5,000 costs what page 1 costs when the sort column has an index.
Blank sort values always come last, in both directions, and the id breaks ties.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, inspect, literal, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import InstrumentedAttribute, Session

from console.data.enums import Activation, Disposition
from console.data.models import Call, StaffMember, call_responder
from console.services.access import Access, Action

SortValue = str | int | bool | dt.datetime

# Keys the table can sort on, in the order its columns show them.
SORT_KEYS: tuple[str, ...] = (
    "received_at",
    "incident_number",
    "final_call_type",
    "priority",
    "activation",
    "disposition",
    "in_scope",
    "beat",
)
# A sort key needs a composite (column, id) index on call (tests check it): with one a
# page costs a few ms at any depth; without one, SQL scans and sorts the table wherever
# a page crosses from one value to the next (0.2-1.5 s on 1M calls, off the GUI thread).
# Keys with a handful of values cross few boundaries and go without: every index costs
# each bulk load and import a sort of the whole table.
UNINDEXED_SORT_KEYS: frozenset[str] = frozenset({"priority", "in_scope"})

_SORT_COLUMNS: dict[str, InstrumentedAttribute[object]] = {
    "received_at": Call.received_at,
    "incident_number": Call.incident_number,
    "final_call_type": Call.final_call_type,
    "priority": Call.priority,
    "activation": Call.activation,
    "disposition": Call.disposition,
    "in_scope": Call.in_scope,
    "beat": Call.beat,
}
_NULLABLE_SORT_KEYS = frozenset(k for k in SORT_KEYS if inspect(Call).columns[k].nullable)
_TEXT_COLUMNS = (
    Call.incident_number,
    Call.final_call_type,
    Call.initial_call_type,
    Call.beat,
    Call.sector,
    Call.precinct,
)
_LIKE_ESCAPE = "\\"
# SQLite virtual-machine steps between two polls of cancelled() (well under a millisecond).
_PROGRESS_STEPS = 20_000


@dataclass(frozen=True)
class CallRow:
    """One line of the Calls table."""

    id: int
    incident_number: str
    received_at: dt.datetime
    final_call_type: str | None
    """The final call type, or the initial one where no final type was recorded."""
    call_type_is_initial: bool
    """True when final_call_type shows the initial call type (no final one recorded)."""
    priority: int | None
    activation: Activation | None
    disposition: Disposition | None
    in_scope: bool | None
    beat: str | None
    """The most specific area known: beat, else sector, else precinct."""
    area: str
    """Precinct, sector and beat as far as known, e.g. "Precinct 3 / Sector B / Beat 312"."""
    responders: str
    """Display names of the co-responders on the call, comma-joined ("" if none)."""


@dataclass(frozen=True)
class CallQuery:
    """What the user asked the table for: a filter text and a sort."""

    text: str = ""
    sort: str = "received_at"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.sort not in _SORT_COLUMNS:
            raise ValueError(f"cannot sort calls by {self.sort!r}; one of {SORT_KEYS}")

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(self.text.split())


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the sort value (None in the blanks) and id of the last row."""

    value: SortValue | None
    id: int


class QueryCancelled(Exception):
    """The caller's `cancelled()` turned true while the query ran; nothing was returned."""


def fetch_page(
    access: Access,
    query: CallQuery,
    after: Cursor | None,
    limit: int = 200,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[list[CallRow], Cursor | None]:
    """Up to `limit` calls matching `query` that sort after `after` (None: from the top).

    Returns the rows and the cursor of the next page, or None when no call is left.
    `cancelled` is polled while the query runs (SQLite interrupts a long filter scan;
    other databases stop between statements) and raises QueryCancelled once true.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    column = _SORT_COLUMNS[query.sort]
    with access.reading(Action.VIEW_CALLS) as session, _interruptible(session, cancelled):
        where = _filter(query, _dialect(session))
        # One row more than asked says whether another page exists.
        rows: list[_Fetched] = []
        for condition, order in _segments(query, column, after):
            if cancelled is not None and cancelled():
                raise QueryCancelled
            stmt = _select(column).where(condition)
            if where is not None:
                stmt = stmt.where(where)
            stmt = stmt.order_by(*order).limit(limit + 1 - len(rows))
            rows += session.execute(stmt).all()
            if len(rows) > limit:
                break
        more = len(rows) > limit
        rows = rows[:limit]
        names = _responder_names(session, [r.id for r in rows])
    page = [_call_row(r, names.get(r.id, ())) for r in rows]
    cursor = Cursor(value=rows[-1].sort_value, id=rows[-1].id) if more else None
    return page, cursor


def count_calls(
    access: Access,
    query: CallQuery,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """How many calls match the query's filter text (its sort does not matter)."""
    stmt = select(func.count()).select_from(Call)
    with access.reading(Action.VIEW_CALLS) as session, _interruptible(session, cancelled):
        where = _filter(query, _dialect(session))
        if where is not None:
            stmt = stmt.where(where)
        return session.scalar(stmt) or 0


def matching_dispositions(term: str) -> list[Disposition]:
    """Dispositions whose label (or stored value) contains the term, case-insensitive."""
    needle = _normalise(term)
    if not needle:
        return []
    return [d for d in Disposition if needle in _normalise(d.label) or needle in _normalise(d)]


def matching_activations(term: str) -> list[Activation]:
    """Activations whose label (or stored value) contains the term, case-insensitive."""
    needle = _normalise(term)
    if not needle:
        return []
    return [a for a in Activation if needle in _normalise(a.label) or needle in _normalise(a)]


# -- internals ---------------------------------------------------------------------


_Fetched = Row[Any]  # the columns of _COLUMNS, then sort_value

_COLUMNS = (
    Call.id,
    Call.incident_number,
    Call.received_at,
    Call.final_call_type,
    Call.initial_call_type,
    Call.priority,
    Call.activation,
    Call.disposition,
    Call.in_scope,
    Call.precinct,
    Call.sector,
    Call.beat,
)


def _select(column: InstrumentedAttribute[object]) -> Select[Any]:
    return select(*_COLUMNS, column.label("sort_value"))


def _segments(
    query: CallQuery, column: InstrumentedAttribute[object], after: Cursor | None
) -> list[tuple[ColumnElement[bool], tuple[ColumnElement[Any], ...]]]:
    """The conditions and orders that list the rows after the cursor, one index range each.

    Keyset pages are usually written `(col > v) OR (col = v AND id > i)`, but neither
    SQLite nor PostgreSQL can seek a (col, id) index with that OR: they walk the whole
    group of rows sharing v (100,000 calls share a disposition). Three ranges each
    seek the index directly: the rest of v's group, the values beyond v, the blanks.
    """
    desc = query.descending
    by_id = (Call.id.desc() if desc else Call.id.asc(),)
    by_value = (column.desc(), *by_id) if desc else (column.asc(), *by_id)
    segments: list[tuple[ColumnElement[bool], tuple[ColumnElement[Any], ...]]] = []
    if after is None:
        segments.append((column.is_not(None), by_value))
    elif after.value is not None:
        # literal(): True/False would otherwise be taken as SQL constants, not values.
        value = literal(after.value, column.type)
        beyond_id = Call.id < after.id if desc else Call.id > after.id
        segments.append((and_(column == value, beyond_id), by_id))
        segments.append((column < value if desc else column > value, by_value))
    if query.sort in _NULLABLE_SORT_KEYS:
        blanks: ColumnElement[bool] = column.is_(None)
        if after is not None and after.value is None:
            blanks = and_(blanks, Call.id < after.id if desc else Call.id > after.id)
        segments.append((blanks, by_id))
    return segments


def _filter(query: CallQuery, dialect: str) -> ColumnElement[bool] | None:
    """Every word of the text must match somewhere: a text column, or an enum's label."""
    clauses: list[ColumnElement[bool]] = []
    for term in query.terms:
        pattern = f"%{_escape_like(term)}%"
        # SQLite's LIKE already ignores ASCII case, exactly as its lower() does; ILIKE
        # would wrap six lower() calls round every row and make a scan twice as slow.
        if dialect == "sqlite":
            matches = [c.like(pattern, escape=_LIKE_ESCAPE) for c in _TEXT_COLUMNS]
        else:
            matches = [c.ilike(pattern, escape=_LIKE_ESCAPE) for c in _TEXT_COLUMNS]
        if dispositions := matching_dispositions(term):
            matches.append(Call.disposition.in_(dispositions))
        if activations := matching_activations(term):
            matches.append(Call.activation.in_(activations))
        clauses.append(or_(*matches))
    return and_(*clauses) if clauses else None


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


@contextmanager
def _interruptible(session: Session, cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """Raise QueryCancelled once cancelled() is true: before the first statement, after the
    last, and on SQLite inside a running statement too (polled every few ms).

    Elsewhere (PostgreSQL) a statement runs to its end; the polls around it still make a
    cancelled count or page raise rather than return a result nobody wants.
    """
    if cancelled is None:
        yield
        return
    if cancelled():
        raise QueryCancelled
    raw: Any = None
    if _dialect(session) == "sqlite":
        raw = session.connection().connection.driver_connection
        raw.set_progress_handler(lambda: 1 if cancelled() else 0, _PROGRESS_STEPS)
    try:
        yield
    except OperationalError:
        if cancelled():
            raise QueryCancelled from None
        raise
    finally:
        if raw is not None:
            raw.set_progress_handler(None, 0)
    if cancelled():
        raise QueryCancelled


def _escape_like(term: str) -> str:
    return (
        term.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )


def _normalise(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


def _responder_names(session: Session, call_ids: Sequence[int]) -> dict[int, list[str]]:
    if not call_ids:
        return {}
    stmt = (
        select(call_responder.c.call_id, StaffMember.display_name)
        .join(StaffMember, StaffMember.id == call_responder.c.staff_id)
        .where(call_responder.c.call_id.in_(call_ids))
        .order_by(call_responder.c.call_id, StaffMember.display_name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for call_id, name in session.execute(stmt):
        names[call_id].append(name)
    return names


def _call_row(r: _Fetched, responders: Sequence[str]) -> CallRow:
    (call_id, incident, received, final_type, initial_type, priority, activation,
     disposition, in_scope, precinct, sector, beat, _sort_value) = r
    area = " / ".join(
        f"{label} {value}"
        for label, value in (("Precinct", precinct), ("Sector", sector), ("Beat", beat))
        if value
    )
    return CallRow(
        id=call_id,
        incident_number=incident,
        received_at=received,
        final_call_type=final_type or initial_type,
        call_type_is_initial=not final_type and bool(initial_type),
        priority=priority,
        activation=activation,
        disposition=disposition,
        in_scope=in_scope,
        beat=beat or sector or precinct,
        area=area,
        responders=", ".join(responders),
    )
