"""Positions as plain facts, and what they say over time: authorized against filled,
and each vacancy with its age and history.

Pure functions over frozen values, so the rules are tested on hand-built histories and
the same facts serve the page, the command line and the weekly indicators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from console.data.enums import StaffRole


@dataclass(frozen=True)
class Hold:
    """Someone in the position from `start` up to, not including, `end`."""

    staff_id: int
    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class PositionFacts:
    id: int
    title: str
    role: StaffRole
    funding: str | None
    authorized_on: dt.date
    abolished_on: dt.date | None = None  # the first day it no longer exists
    reauthorizes_id: int | None = None
    holds: tuple[Hold, ...] = ()

    def open_on(self, day: dt.date) -> bool:
        return self.authorized_on <= day and (self.abolished_on is None or day < self.abolished_on)

    def filled_on(self, day: dt.date) -> bool:
        return self.open_on(day) and any(h.covers(day) for h in self.holds)

    def known_on(self, day: dt.date) -> PositionFacts | None:
        """The position as it was recorded on `day`: later events unknown, or None if
        it was not yet authorized."""
        if self.authorized_on > day:
            return None
        holds = tuple(replace(h, end=h.end if h.end is not None and h.end <= day else None)
                      for h in self.holds if h.start <= day)
        abolished = self.abolished_on if self.abolished_on and self.abolished_on <= day else None
        return replace(self, holds=holds, abolished_on=abolished)


@dataclass(frozen=True)
class Point:
    day: dt.date
    authorized: int
    filled: int


@dataclass(frozen=True)
class StaffingSeries:
    """Authorized and filled positions on each day, overall and by role and by funding."""

    total: tuple[Point, ...]
    by_role: dict[StaffRole, tuple[Point, ...]]
    by_funding: dict[str, tuple[Point, ...]]


def staffing_series(positions: Sequence[PositionFacts], days: Sequence[dt.date]) -> StaffingSeries:
    def points(group: Iterable[PositionFacts]) -> tuple[Point, ...]:
        members = list(group)
        return tuple(Point(d, sum(p.open_on(d) for p in members),
                           sum(p.filled_on(d) for p in members)) for d in days)

    roles = sorted({p.role for p in positions}, key=list(StaffRole).index)
    funds = sorted({p.funding or "Unfunded" for p in positions})
    return StaffingSeries(
        total=points(positions),
        by_role={r: points(p for p in positions if p.role is r) for r in roles},
        by_funding={f: points(p for p in positions if (p.funding or "Unfunded") == f)
                    for f in funds},
    )


def weekly_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every 7th day from `start` up to and including `end`, and `end` itself."""
    days = [start + dt.timedelta(days=7 * k) for k in range((end - start).days // 7 + 1)]
    if days and days[-1] != end:
        days.append(end)
    return days


@dataclass(frozen=True)
class Segment:
    """Part of a vacancy in one position (a vacancy carried across a re-authorization has
    one segment per position)."""

    position_id: int
    title: str
    funding: str | None
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Vacancy:
    position_id: int  # the position it is in now, or was in last
    title: str
    role: StaffRole
    since: dt.date
    until: dt.date | None  # filled or abolished on; None while open
    ended_by: str  # "filled", "abolished" or "" while open
    segments: tuple[Segment, ...]

    def age(self, on: dt.date) -> int:
        """Days vacant up to `on` (or to the day it ended)."""
        end = self.until if self.until is not None and self.until < on else on
        return (end - self.since).days


def _gaps(p: PositionFacts) -> list[tuple[dt.date, dt.date | None, str]]:
    """The position's vacant spans: (from, to, how it ended)."""
    gaps: list[tuple[dt.date, dt.date | None, str]] = []
    cursor: dt.date | None = p.authorized_on
    for hold in sorted(p.holds, key=lambda h: h.start):
        if cursor is None:
            break
        if hold.start > cursor:
            gaps.append((cursor, hold.start, "filled"))
        if hold.end is None:
            cursor = None
        elif hold.end > cursor:
            cursor = hold.end
    if cursor is not None:
        gaps.append((cursor, None, ""))
    out = []
    for start, end, how in gaps:
        if p.abolished_on is not None:
            if start >= p.abolished_on:
                continue
            if end is None or end > p.abolished_on:
                end, how = p.abolished_on, "abolished"
        out.append((start, end, how))
    return out


def vacancies(positions: Sequence[PositionFacts], as_of: dt.date) -> list[Vacancy]:
    """Every vacancy up to `as_of`, oldest first, as it was known on that day.

    A position that re-authorizes an abolished one (reauthorizes_id) and starts vacant
    continues the vacancy its predecessor was abolished with: the seat never stopped
    being empty, so the age runs from the predecessor's vacancy.
    """
    known = {p.id: k for p in positions if (k := p.known_on(as_of)) is not None}
    found: dict[int, list[Vacancy]] = {}
    for p in known.values():
        found[p.id] = [
            Vacancy(p.id, p.title, p.role, a, b, how, (Segment(p.id, p.title, p.funding, a, b),))
            for a, b, how in _gaps(p)
        ]
    carried: set[tuple[int, int]] = set()
    for p in sorted(known.values(), key=lambda x: x.authorized_on):
        before = known.get(p.reauthorizes_id) if p.reauthorizes_id is not None else None
        mine = found[p.id]
        if before is None or not mine or mine[0].since != p.authorized_on:
            continue
        theirs = found[before.id]
        if not theirs or theirs[-1].ended_by != "abolished":
            continue
        last, first = theirs[-1], mine[0]
        mine[0] = replace(first, since=last.since, segments=last.segments + first.segments)
        carried.add((before.id, len(theirs) - 1))
    out = [v for pid, vs in found.items() for i, v in enumerate(vs) if (pid, i) not in carried]
    return sorted(out, key=lambda v: (v.since, v.position_id))
