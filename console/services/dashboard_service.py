"""What the Dashboard draws under its indicator tiles: the weekly call series and the
program events that mark it. (The indicators come from console.services.indicators.)"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Date, cast, func, select
from sqlalchemy.orm import Session

from console.data.models import Call
from console.services.access import Access, Action
from console.services.program_service import ProgramEventRow, program_events


@dataclass(frozen=True)
class WeeklySeries:
    """Counts per week; weeks start on Monday and run without gaps."""

    weeks: tuple[dt.date, ...]
    counts: tuple[int, ...]
    # The last week is partial when the data stops before its Sunday.
    last_week_partial: bool


@dataclass(frozen=True)
class Overview:
    weekly_calls: WeeklySeries
    events: tuple[ProgramEventRow, ...]
    as_of: dt.date | None  # the day of the newest call


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _day_expr(session: Session):  # type: ignore[no-untyped-def]
    # SQLite stores datetimes as text: date() is its way to cut them to the day.
    if session.get_bind().dialect.name == "sqlite":
        return func.date(Call.received_at)
    return cast(Call.received_at, Date)


def weekly_calls(session: Session) -> WeeklySeries:
    """Calls per week over the whole record, zero-filled between the first and last."""
    day = _day_expr(session)
    per_day = session.execute(select(day, func.count()).group_by(day)).all()
    if not per_day:
        return WeeklySeries((), (), False)
    weeks: Counter[dt.date] = Counter()
    last_day = dt.date.min
    for value, count in per_day:
        d = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        weeks[week_start(d)] += count
        last_day = max(last_day, d)
    first, last = min(weeks), max(weeks)
    n = (last - first).days // 7 + 1
    series = [first + dt.timedelta(weeks=i) for i in range(n)]
    return WeeklySeries(
        weeks=tuple(series),
        counts=tuple(weeks.get(w, 0) for w in series),
        last_week_partial=last_day.weekday() != 6,
    )


def dashboard_overview(access: Access) -> Overview:
    """Everything the Dashboard draws, in one read (run off the GUI thread)."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        series = weekly_calls(session)
        last_call = session.scalar(select(func.max(Call.received_at)))
    return Overview(
        weekly_calls=series,
        events=tuple(program_events(access)),
        as_of=last_call.date() if last_call else None,
    )
