"""Row counts and the span of the call record: what `stats` prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from console.data.models import Base, Call
from console.services.access import Access, Action


@dataclass(frozen=True)
class DatabaseStats:
    row_counts: dict[str, int]
    first_call: dt.datetime | None
    last_call: dt.datetime | None


def database_stats(access: Access) -> DatabaseStats:
    """Rows per table (in schema order) and the first and last call received."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        counts = {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in sorted(Base.metadata.tables.items())
        }
        first, last = session.execute(
            select(func.min(Call.received_at), func.max(Call.received_at))
        ).one()
    return DatabaseStats(row_counts=counts, first_call=first, last_call=last)
