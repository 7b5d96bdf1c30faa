"""The runway: how long the funded positions stay funded, and the grant cliffs ahead.

Definitions (docs/funding.md says the same for users), as of a day D:

- A source pays from `start_on` through `end_on` (inclusive; no end date: ongoing).
  Past `end_on` it goes on paying only if its renewal is *renewed*, or, in the hopeful
  reading, *pending*. None and denied end on `end_on`. A renewed or pending source has
  no known end: it counts as ongoing, never as an invented new end date.
- A *funded position* is a position open on D that at least one source pays on D.
- A position is funded until the last day of the unbroken run of days, from D on, on
  which at least one of its sources pays (a source that starts the day after another
  ends carries the run on). Two sources on one position: the later end counts; the day
  the first ends, the share paid falls, which is shown as `share_falls_on`.
- *Funded until* reads pending renewals as granted; *if pending renewals fail* reads
  them as ending on their end date. The runway counts the second: a renewal asked for
  is not money yet, and the warning must come before the cliff, not after the letter.
- The runway ends on the earliest "funded until" of the funded positions (the first
  position to lose its money); days = that last funded day minus D; months = days /
  30.4375 (365.25 / 12). No end recorded for any funded position: no runway end.
- A *grant cliff* is a source, not renewed, whose end date falls from D to D + 180
  days: warning; within 90 days: critical.

Pure functions over plain rows (`Term`, `Link`, `OpenPosition`); the reading from the
database is `read_funding` (a query helper: takes a Session, never commits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.funding_enums import FundingKind, RenewalStatus
from console.data.models import FundedPosition, FundingSource, Position
from console.services.program_scope import current_program_id_or_none

DAY = dt.timedelta(days=1)
DAYS_PER_MONTH = 365.25 / 12
WARNING_DAYS = 180
CRITICAL_DAYS = 90


@dataclass(frozen=True)
class Term:
    """A funding source as the runway reads it."""

    id: int
    name: str
    kind: FundingKind
    start_on: dt.date
    end_on: dt.date | None
    renewal: RenewalStatus
    annual_cents: int = 0

    def pays_until(self, pending_granted: bool) -> dt.date | None:
        """The last day it pays; None: no end known."""
        if self.end_on is None or self.renewal is RenewalStatus.RENEWED:
            return None
        if self.renewal is RenewalStatus.PENDING and pending_granted:
            return None
        return self.end_on

    def pays_on(self, day: dt.date, pending_granted: bool) -> bool:
        end = self.pays_until(pending_granted)
        return self.start_on <= day and (end is None or day <= end)


@dataclass(frozen=True)
class Link:
    source_id: int
    position_id: int
    share_percent: int


@dataclass(frozen=True)
class OpenPosition:
    id: int
    title: str
    authorized_on: dt.date
    abolished_on: dt.date | None  # the first day it is gone

    def open_on(self, day: dt.date) -> bool:
        return self.authorized_on <= day and (self.abolished_on is None or day < self.abolished_on)


@dataclass(frozen=True)
class PositionRunway:
    position_id: int
    title: str
    share_percent: int  # paid on the as-of day, all sources together
    sources: tuple[str, ...]  # paying on the as-of day
    funded_until: dt.date | None  # pending renewals granted; None: no end known
    funded_until_if_pending_fail: dt.date | None
    share_falls_on: dt.date | None  # the first day it is paid less (pending renewals fail)
    relies_on_pending: bool  # a pending renewal makes the difference


@dataclass(frozen=True)
class Cliff:
    source_id: int
    name: str
    kind: FundingKind
    end_on: dt.date
    days: int  # from the as-of day to the end date
    critical: bool  # within 90 days; else within 180 (warning)
    renewal: RenewalStatus
    annual_cents: int
    positions: tuple[str, ...]  # "Title (50%)"


@dataclass(frozen=True)
class Runway:
    as_of: dt.date
    positions: tuple[PositionRunway, ...]  # the funded positions
    unfunded: tuple[str, ...]  # open positions no source pays on the as-of day
    ends_on: dt.date | None  # the runway's last funded day, pending renewals failing
    ends_on_if_pending_granted: dt.date | None
    cliffs: tuple[Cliff, ...]

    @property
    def days(self) -> int | None:
        """Days from the as-of day to the last funded day; 0 when a pending renewal's
        source has already run past its end date."""
        return None if self.ends_on is None else max(0, (self.ends_on - self.as_of).days)

    @property
    def months(self) -> float | None:
        return None if self.days is None else round(self.days / DAYS_PER_MONTH, 1)

    @property
    def first_to_lose(self) -> tuple[str, ...]:
        """The positions whose funding ends on the runway's last day."""
        return tuple(p.title for p in self.positions
                     if self.ends_on is not None and p.funded_until_if_pending_fail == self.ends_on)


def _run_until(day: dt.date, terms: Sequence[Term], pending_granted: bool) -> dt.date | None:
    """The last day of the unbroken run of paid days from `day` (paid on `day` assumed);
    None: it never ends."""
    spans = [(t.start_on, t.pays_until(pending_granted)) for t in terms]
    reach: dt.date | None = day - DAY
    grew = True
    while grew:
        grew = False
        for start, end in spans:
            if reach is None:
                return None
            if start <= reach + DAY and (end is None or end > reach):
                reach, grew = end, True
    return reach


def _share_on(day: dt.date, paid: Sequence[tuple[Term, int]], pending_granted: bool) -> int:
    return sum(share for t, share in paid if t.pays_on(day, pending_granted))


def position_runway(day: dt.date, position: OpenPosition,
                    paid: Sequence[tuple[Term, int]]) -> PositionRunway | None:
    """One position's runway from `day`; None when no source pays it that day."""
    share = _share_on(day, paid, pending_granted=False)
    hopeful_share = _share_on(day, paid, pending_granted=True)
    if not hopeful_share:
        return None
    terms = [t for t, _ in paid]
    sure = _run_until(day, terms, pending_granted=False) if share else day - DAY
    hopeful = _run_until(day, terms, pending_granted=True)
    falls: dt.date | None = None
    ends = sorted({e + DAY for t in terms if (e := t.pays_until(False)) is not None and e >= day})
    for candidate in ends:
        if _share_on(candidate, paid, pending_granted=False) < share:
            falls = candidate
            break
    return PositionRunway(
        position.id, position.title, share,
        tuple(t.name for t in terms if t.pays_on(day, pending_granted=True)),
        hopeful, sure, falls, relies_on_pending=sure != hopeful)


def runway_on(day: dt.date, terms: Sequence[Term], links: Iterable[Link],
              positions: Sequence[OpenPosition]) -> Runway:
    """The runway and the cliffs as of `day` (the definitions are the module's)."""
    by_id = {t.id: t for t in terms}
    paid: dict[int, list[tuple[Term, int]]] = {}
    for link in links:
        if link.source_id in by_id:
            paid.setdefault(link.position_id, []).append((by_id[link.source_id],
                                                          link.share_percent))
    rows: list[PositionRunway] = []
    unfunded: list[str] = []
    for position in positions:
        if not position.open_on(day):
            continue
        row = position_runway(day, position, paid.get(position.id, []))
        if row is None:
            unfunded.append(position.title)
        else:
            rows.append(row)
    return Runway(day, tuple(rows), tuple(unfunded),
                  _earliest(r.funded_until_if_pending_fail for r in rows),
                  _earliest(r.funded_until for r in rows),
                  cliffs(day, terms, paid, positions))


def _earliest(ends: Iterable[dt.date | None]) -> dt.date | None:
    known = [e for e in ends if e is not None]
    return min(known) if known else None


def cliffs(day: dt.date, terms: Sequence[Term], paid: dict[int, list[tuple[Term, int]]],
           positions: Sequence[OpenPosition]) -> tuple[Cliff, ...]:
    """Sources not renewed whose end date falls within 180 days of `day`, soonest first."""
    titles = {p.id: p.title for p in positions}
    out: list[Cliff] = []
    for t in terms:
        if t.end_on is None or t.renewal is RenewalStatus.RENEWED or t.start_on > t.end_on:
            continue
        days = (t.end_on - day).days
        if not 0 <= days <= WARNING_DAYS:
            continue
        names = tuple(f"{titles[pid]} ({share}%)" for pid, shares in sorted(paid.items())
                      for term, share in shares if term.id == t.id and pid in titles)
        out.append(Cliff(t.id, t.name, t.kind, t.end_on, days, days <= CRITICAL_DAYS,
                         t.renewal, t.annual_cents, names))
    return tuple(sorted(out, key=lambda c: (c.end_on, c.name)))


@dataclass(frozen=True)
class Funding:
    """What the runway reads from the database, once."""

    terms: tuple[Term, ...]
    links: tuple[Link, ...]
    positions: tuple[OpenPosition, ...]

    def runway(self, day: dt.date) -> Runway:
        return runway_on(day, self.terms, self.links, self.positions)

    def paid_by(self, position_id: int, day: dt.date) -> str:
        """The sources paying a position on a day, e.g. "General fund 50%, County grant
        50%", or "State grant" when one pays all of it ("" when none): what the staffing
        tables show beside it."""
        terms = {t.id: t for t in self.terms}
        paying = sorted(((terms[link.source_id].name, link.share_percent)
                         for link in self.links
                         if link.position_id == position_id and link.source_id in terms
                         and terms[link.source_id].pays_on(day, pending_granted=False)),
                        key=lambda p: (-p[1], p[0]))
        if len(paying) == 1 and paying[0][1] == 100:
            return paying[0][0]
        return ", ".join(f"{name} {share}%" for name, share in paying)


def read_funding(session: Session) -> Funding:
    """The current program's sources, their position links and its positions."""
    program_id = current_program_id_or_none(session)
    if program_id is None:
        return Funding((), (), ())
    terms = tuple(
        Term(s.id, s.name, s.kind, s.start_on, s.end_on, s.renewal, s.annual_cents)
        for s in session.scalars(select(FundingSource)
                                 .where(FundingSource.program_id == program_id)
                                 .order_by(FundingSource.name)))
    links = tuple(
        Link(source_id, position_id, share)
        for source_id, position_id, share in session.execute(
            select(FundedPosition.source_id, FundedPosition.position_id,
                   FundedPosition.share_percent)
            .join(FundingSource, FundingSource.id == FundedPosition.source_id)
            .where(FundingSource.program_id == program_id)))
    positions = tuple(
        OpenPosition(p.id, p.title, p.authorized_on, p.abolished_on)
        for p in session.scalars(select(Position).where(Position.program_id == program_id)
                                 .order_by(Position.id)))
    return Funding(terms, links, positions)


def runway_days(session: Session, days: Sequence[dt.date]) -> tuple[float | None, ...]:
    """Days of runway left on each day (pending renewals failing); None where no funded
    position has an end recorded, or no funding is recorded at all."""
    funding = read_funding(session)
    if not funding.terms:
        return tuple(None for _ in days)
    out: list[float | None] = []
    for day in days:
        left = funding.runway(day).days
        out.append(None if left is None else float(left))
    return tuple(out)
