"""What the Dashboard shows: the weekly call series, its markers and a few plain counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Date, cast, func, or_, select
from sqlalchemy.orm import Session

from console.data.enums import Activation
from console.data.models import Call, Position, PositionAssignment
from console.services.access import Access, Action
from console.services.program_service import ProgramEventRow, program_events
from console.services.staffing_service import position_open_on


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
    calls_last_28_days: int
    calls_prior_28_days: int
    positions_authorized: int
    positions_filled: int
    patrol_requests_last_28_days: int
    patrol_requests_prior_28_days: int
    as_of: dt.date | None


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


def _filled_positions(session: Session, day: dt.date) -> tuple[int, int]:
    authorized = session.scalar(select(func.count()).where(position_open_on(day))) or 0
    filled = (
        session.scalar(
            select(func.count(func.distinct(PositionAssignment.position_id)))
            .join(Position)
            .where(
                position_open_on(day),
                PositionAssignment.start_on <= day,
                or_(PositionAssignment.end_on.is_(None), PositionAssignment.end_on > day),
            )
        )
        or 0
    )
    return authorized, filled


def _last_two_windows(
    session: Session, last: dt.datetime | None, *where: ColumnElement[bool]
) -> tuple[int, int]:
    """Calls in the 28 days up to `last`, and in the 28 days before those."""
    if last is None:
        return 0, 0
    cut = last - dt.timedelta(days=28)
    earlier = cut - dt.timedelta(days=28)

    def count(*window: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).where(*window, *where)) or 0

    return (count(Call.received_at > cut),
            count(Call.received_at > earlier, Call.received_at <= cut))


def dashboard_overview(access: Access) -> Overview:
    """Everything the Dashboard draws, in one read (run off the GUI thread)."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        series = weekly_calls(session)
        last_call = session.scalar(select(func.max(Call.received_at)))
        as_of = last_call.date() if last_call else None
        recent, prior = _last_two_windows(session, last_call)
        requests = _last_two_windows(
            session, last_call, Call.activation == Activation.PATROL_REQUEST
        )
        authorized, filled = _filled_positions(session, as_of or dt.date.today())
    return Overview(
        weekly_calls=series,
        events=tuple(program_events(access)),
        calls_last_28_days=recent,
        calls_prior_28_days=prior,
        positions_authorized=authorized,
        positions_filled=filled,
        patrol_requests_last_28_days=requests[0],
        patrol_requests_prior_28_days=requests[1],
        as_of=as_of,
    )
