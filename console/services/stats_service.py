"""Row counts and the span of the call record: what `stats` prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from console.data.models import Base, Call, call_responder
from console.services.access import Access, Action


@dataclass(frozen=True)
class DatabaseStats:
    row_counts: dict[str, int]
    first_call: dt.datetime | None
    last_call: dt.datetime | None


def database_stats(access: Access) -> DatabaseStats:
    """Rows per table (in schema order) and the first and last call received.

    Counted through the mapped classes, so a database holding several programs counts the
    current program's rows (console.services.program_scope); the one table without a
    class, the call-responder pairs, is counted through its calls.
    """
    classes = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}
    with access.reading(Action.VIEW_AGGREGATES) as session:
        counts = {}
        for name in sorted(Base.metadata.tables):
            if name in classes:
                stmt = select(func.count()).select_from(classes[name])
            else:
                stmt = (select(func.count()).select_from(Call)
                        .join(call_responder, call_responder.c.call_id == Call.id))
                assert name == call_responder.name, f"{name}: count it through its parent"
            counts[name] = session.scalar(stmt) or 0
        first, last = session.execute(
            select(func.min(Call.received_at), func.max(Call.received_at))
        ).one()
    return DatabaseStats(row_counts=counts, first_call=first, last_call=last)
