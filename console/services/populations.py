"""Which calls a measure counts: the rules, written once for the outcome and repeat-call
measures (DESIGN.md, "Outcome measures").

- a *co-response* is a call the unit attended: an activation is recorded, or a unit
  member is listed among its responders (`attended`);
- a *planned follow-up visit* (activation "follow-up") is not a crisis call, so it is
  left out of the outcome rates, of demand and of repeat calls (`crisis_call`);
- a *period* is the calls received from its first day to its last, both included
  (`in_period`); times are local wall-clock times, as stored.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, or_, select
from sqlalchemy.orm import Session

from console.data.enums import Activation
from console.data.models import Call, call_responder

# The co-response rule in words, for the definitions of the measures that follow it.
POPULATION = (
    "Counts co-responses: calls the unit attended (an activation recorded or a "
    "co-responder listed), planned follow-up visits left out."
)


def attended(call: Any = Call) -> ColumnElement[bool]:
    """The unit attended the call: an activation recorded, or a unit member responding."""
    return or_(
        call.activation.is_not(None),
        exists().where(call_responder.c.call_id == call.id),
    )


def attended_flag(call: Any = Call) -> ColumnElement[int]:
    """1 where the unit attended the call, else 0: a group key, or summed, a count."""
    return case((attended(call), 1), else_=0)


def crisis_call(call: Any = Call) -> ColumnElement[bool]:
    """Any call but a planned follow-up visit."""
    return or_(call.activation.is_(None), call.activation != Activation.FOLLOW_UP)


@dataclass(frozen=True)
class Period:
    """Calls received from `start` to `end`, both days included; None: no limit."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        if self.start is None and self.end is None:
            return "all calls on record"
        start = f"{self.start:%d %b %Y}" if self.start else "the first call"
        end = f"{self.end:%d %b %Y}" if self.end else "the last call"
        return f"{start} to {end}"


class Preset(enum.StrEnum):
    LAST_12_MONTHS = "Last 12 months"
    THIS_YEAR = "This year"
    LAST_YEAR = "Last year"
    ALL = "All calls"


def preset_period(preset: Preset, today: dt.date) -> Period:
    """The period a preset means on `today`; the last 12 months are whole calendar months,
    this one included (so a monthly chart has 12 bars)."""
    if preset is Preset.LAST_12_MONTHS:
        month = today.year * 12 + today.month - 1 - 11
        return Period(dt.date(month // 12, month % 12 + 1, 1), today)
    if preset is Preset.THIS_YEAR:
        return Period(dt.date(today.year, 1, 1), today)
    if preset is Preset.LAST_YEAR:
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    return Period()


def in_period(period: Period, column: Any = Call.received_at) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a period on a datetime column (they use its index)."""
    where: list[ColumnElement[bool]] = []
    if period.start is not None:
        where.append(column >= dt.datetime.combine(period.start, dt.time()))
    if period.end is not None:
        where.append(column < dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()))
    return where


def first_and_last_call(
    session: Session, period: Period = Period()
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When the period's first and last calls were received (None, None: no calls)."""
    first, last = session.execute(
        select(func.min(Call.received_at), func.max(Call.received_at))
        .where(*in_period(period))
    ).one()
    return first, last
