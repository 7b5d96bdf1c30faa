"""Repeat calls: do crises stop cycling back after the unit has seen someone?

People are matched by their keyed pseudonym (Call.person_id), places by the block-level
location key; names are opened only for the roles allowed to see them. The rules:

- a *repeat* is another crisis call (any call but a planned follow-up visit, whoever
  answered it) about the same person after a co-response to them;
- the 30- and 90-day shares follow each person from their first co-response in the
  period; people whose window runs past the newest call on record are left out (we
  cannot yet know), and co-responses with no person recorded could not be used;
- before/after counts each person's crisis calls in the 182 days before and after their
  first co-response ever (that call itself in neither), for people whose first contact
  falls in the period and whose two windows both lie inside the call record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from console.data.base import sealed_purpose
from console.data.enums import Activation, Disposition
from console.data.models import Call, Person
from console.errors import UserError
from console.services.access import Access, Action
from console.services.outcomes_service import Kind, Measure
from console.services.populations import (
    Period,
    attended,
    attended_flag,
    crisis_call,
    first_and_last_call,
    in_period,
)
from console.services.portable_sql import (
    month_of,
    months_between,
    parse_month,
    plus_days,
    scan_key,
)

HALF_YEAR_DAYS = 182
REPEAT_WINDOWS = (30, 90)
KEY_PREFIX = 8  # characters of a keyed hash shown where a name may not be
NAME = sealed_purpose("person", "name")


def repeat_key(days: int) -> str:
    return f"repeat_{days}"


def repeat_definition(days: int) -> str:
    return (
        f"Share of people with another crisis call within {days} days after a co-response "
        "(from each person's first co-response in the period; any call but a planned "
        "follow-up visit, whoever answered it). People seen in the last "
        f"{days} days of the record are left out: their {days} days are not over. "
        "Co-responses with no person recorded could not be used. Lower is better."
    )


@dataclass(frozen=True)
class RepeatRates:
    """The 30- and 90-day repeat shares over the period and by month of the first contact."""

    measures: tuple[Measure, ...]  # one per REPEAT_WINDOWS
    months: tuple[tuple[dt.date, tuple[Measure, ...]], ...]

    def measure(self, days: int) -> Measure:
        return next(m for m in self.measures if m.key == repeat_key(days))


def _last_call(session: Session) -> dt.datetime | None:
    return session.scalar(select(func.max(Call.received_at)))


def repeat_rates(access: Access, period: Period) -> RepeatRates:
    """Share of people called about again within 30 and 90 days (see repeat_definition)."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        last = _last_call(session)
        if last is None:
            return RepeatRates(_repeat_measures([0] * 2 * len(REPEAT_WINDOWS), 0, 0), ())
        person = scan_key(Call.person_id)
        first_co = (
            select(person.label("person_id"), func.min(Call.received_at).label("first_at"))
            .where(*in_period(period), attended(), crisis_call(), Call.person_id.is_not(None))
            .group_by(person)
            .subquery("first_co")
        )
        later = aliased(Call, name="later")
        next_at = (
            select(func.min(later.received_at))
            .where(later.person_id == first_co.c.person_id,
                   later.received_at > first_co.c.first_at, crisis_call(later))
            .scalar_subquery()
        )
        # Materialized: each reference to next_at would otherwise run its subquery again.
        people = (
            select(first_co.c.first_at, next_at.label("next_at"))
            .cte("people").prefix_with("MATERIALIZED")
        )
        columns: list[ColumnElement[int]] = []
        for days in REPEAT_WINDOWS:
            cutoff = last - dt.timedelta(days=days)
            over = people.c.first_at <= literal(cutoff, Call.received_at.type)
            columns.append(func.sum(case((over, 1), else_=0)))
            columns.append(func.sum(case(
                (and_(over, people.c.next_at.is_not(None),
                      people.c.next_at <= plus_days(session, people.c.first_at, days)), 1),
                else_=0)))
        month = month_of(session, people.c.first_at).label("month")
        rows = session.execute(
            select(month, func.count(), *columns).group_by(month)
        ).all()
        blank = session.scalar(
            select(func.count()).select_from(Call)
            .where(*in_period(period), attended(), crisis_call(), Call.person_id.is_(None))
        ) or 0

    by_month = {r[0]: r for r in rows}
    totals = [sum(int(r[2 + i] or 0) for r in rows) for i in range(2 * len(REPEAT_WINDOWS))]
    months: list[tuple[dt.date, tuple[Measure, ...]]] = []
    if by_month:
        for m in months_between(parse_month(min(by_month)), parse_month(max(by_month))):
            r = by_month.get(f"{m:%Y-%m}")
            months.append((m, _repeat_measures(r[2:], r[1], 0) if r else _repeat_measures(
                [0] * len(totals), 0, 0)))
    return RepeatRates(_repeat_measures(totals, sum(r[1] for r in rows), blank), tuple(months))


def _too_recent(n: int, days: int) -> str:
    return f"{n:,} {'person' if n == 1 else 'people'} seen in the last {days} days left out"


def _repeat_measures(counts: Sequence[int], people: int, blank: int) -> tuple[Measure, ...]:
    """Measures from (followed, repeated) pairs per window, people first seen, blank calls."""
    out = []
    for i, days in enumerate(REPEAT_WINDOWS):
        followed, repeated = int(counts[2 * i] or 0), int(counts[2 * i + 1] or 0)
        out.append(Measure(
            repeat_key(days), f"Repeat within {days} days", repeat_definition(days),
            Kind.RATE, numerator=repeated, denominator=followed, blank=blank,
            unit="people", note=_too_recent(people - followed, days),
        ))
    return tuple(out)


@dataclass(frozen=True)
class BeforeAfter:
    """Crisis calls per person in the half year before and after their first co-response."""

    people: int  # people counted (both windows inside the record)
    calls_before: int
    calls_after: int
    fewer_after: int  # people with fewer calls after than before
    more_after: int
    left_out: int  # first contact in the period, but a window runs outside the record
    days: int = HALF_YEAR_DAYS

    @property
    def per_person_before(self) -> float | None:
        return self.calls_before / self.people if self.people else None

    @property
    def per_person_after(self) -> float | None:
        return self.calls_after / self.people if self.people else None


BEFORE_AFTER_DEFINITION = (
    f"For people whose first co-response ever falls in the period: their crisis calls in "
    f"the {HALF_YEAR_DAYS} days before it and the {HALF_YEAR_DAYS} days after it (that call "
    "in neither; planned follow-up visits left out), per person. People whose windows "
    "run before the first or after the newest call on record are left out."
)


def before_after(access: Access, period: Period) -> BeforeAfter:
    """Calls per person in the 6 months before vs after first co-response contact."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        first, last = first_and_last_call(session)
        if first is None or last is None:
            return BeforeAfter(0, 0, 0, 0, 0, 0)
        first_at = func.min(Call.received_at)
        person = scan_key(Call.person_id)
        # A first contact in the period lies before its end: calls after it cannot be first.
        before_end = in_period(Period(None, period.end))
        contact = (
            select(person.label("person_id"), first_at.label("first_at"))
            .where(attended(), crisis_call(), Call.person_id.is_not(None), *before_end)
            .group_by(person)
            .having(*in_period(period, first_at))
            .subquery("contact")
        )
        typ = Call.received_at.type
        inside = and_(
            contact.c.first_at >= literal(first + dt.timedelta(days=HALF_YEAR_DAYS), typ),
            contact.c.first_at <= literal(last - dt.timedelta(days=HALF_YEAR_DAYS), typ),
        )
        # One row per person: people left out join no calls and count 0 before and after.
        other = aliased(Call, name="other")
        before = func.sum(case((other.received_at < contact.c.first_at, 1), else_=0))
        after = func.sum(case((other.received_at > contact.c.first_at, 1), else_=0))
        per_person = (
            select(case((inside, 1), else_=0).label("inside"),
                   before.label("before"), after.label("after"))
            .select_from(contact)
            .outerjoin(other, and_(
                inside,
                other.person_id == contact.c.person_id,
                other.received_at >= plus_days(session, contact.c.first_at, -HALF_YEAR_DAYS),
                other.received_at <= plus_days(session, contact.c.first_at, HALF_YEAR_DAYS),
                crisis_call(other),
            ))
            .group_by(contact.c.person_id, contact.c.first_at)
            .subquery("per_person")
        )
        pp = per_person.c
        total, people, calls_before, calls_after, fewer, more = session.execute(select(
            func.count(), func.sum(pp.inside), func.sum(pp.before), func.sum(pp.after),
            func.sum(case((pp.after < pp.before, 1), else_=0)),
            func.sum(case((pp.after > pp.before, 1), else_=0)),
        )).one()
        left_out = (total or 0) - int(people or 0)
        people = int(people or 0)
    return BeforeAfter(people or 0, int(calls_before or 0), int(calls_after or 0),
                       int(fewer or 0), int(more or 0), left_out)


# --- Who and where calls come back from ----------------------------------------------


@dataclass(frozen=True)
class RepeatPerson:
    person_id: int
    key_prefix: str
    name: str | None  # None: not allowed to see names, or none recorded
    calls: int  # crisis calls in the period
    co_responses: int
    first_call: dt.datetime
    last_call: dt.datetime


@dataclass(frozen=True)
class RepeatPlace:
    location_key: str
    key_prefix: str
    area: str  # the beat (else sector, else precinct) most recently recorded there
    calls: int
    co_responses: int
    people: int  # distinct people known on those calls
    first_call: dt.datetime
    last_call: dt.datetime


def repeat_people(access: Access, period: Period, limit: int = 50) -> list[RepeatPerson]:
    """The people with the most crisis calls in the period, most first.

    Names are opened only for roles that may view identities; others get None and show
    the pseudonymous key prefix.
    """
    with access.reading(Action.VIEW_AGGREGATES) as session:
        person = scan_key(Call.person_id)
        stmt = (
            select(person, func.count(), func.sum(attended_flag()),
                   func.min(Call.received_at), func.max(Call.received_at))
            .where(*in_period(period), crisis_call(), Call.person_id.is_not(None))
            .group_by(person)
            .order_by(func.count().desc(), person)
            .limit(limit)
        )
        rows = session.execute(stmt).all()
        ids = [r[0] for r in rows]
        people = {
            p.id: (p.person_key, p.name)
            for p in session.execute(
                select(Person.id, Person.person_key, Person.name).where(Person.id.in_(ids)))
        }
    names = access.allows(Action.VIEW_IDENTITIES)
    out = []
    for person_id, calls, co, first, last in rows:
        key, sealed = people[person_id]
        name = access.vault.open(sealed, purpose=NAME) if names and sealed else None
        out.append(RepeatPerson(person_id, key[:KEY_PREFIX], name, calls, int(co or 0),
                                first, last))
    return out


def repeat_places(access: Access, period: Period, limit: int = 50) -> list[RepeatPlace]:
    """The block-level addresses with the most crisis calls in the period, most first."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        place = scan_key(Call.location_key)
        stmt = (
            select(place, func.count(), func.sum(attended_flag()),
                   func.count(func.distinct(Call.person_id)),
                   func.min(Call.received_at), func.max(Call.received_at))
            .where(*in_period(period), crisis_call(), Call.location_key.is_not(None))
            .group_by(place)
            .order_by(func.count().desc(), place)
            .limit(limit)
        )
        rows = session.execute(stmt).all()
        areas = _latest_areas(session, [r[0] for r in rows])
    return [
        RepeatPlace(key, key[:KEY_PREFIX], areas.get(key, ""), calls, int(co or 0), people,
                    first, last)
        for key, calls, co, people, first, last in rows
    ]


def _latest_areas(session: Session, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    newest = (
        select(Call.location_key, func.max(Call.id).label("id"))
        .where(Call.location_key.in_(keys))
        .group_by(Call.location_key)
        .subquery()
    )
    stmt = select(Call.location_key, Call.beat, Call.sector, Call.precinct).join(
        newest, Call.id == newest.c.id)
    return {key: beat or sector or precinct or "" for key, beat, sector, precinct
            in session.execute(stmt)}


# --- Drill-down ---------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryCall:
    id: int
    received_at: dt.datetime
    incident_number: str
    call_type: str | None  # final, else initial
    disposition: Disposition | None
    activation: Activation | None
    co_response: bool
    area: str


@dataclass(frozen=True)
class CallHistory:
    """Every call about one person or at one place, oldest first."""

    title: str  # the name where allowed, else "Person 3f9a1c2b" / "Address 3f9a1c2b"
    name_shown: bool
    calls: tuple[HistoryCall, ...]


HISTORY_LIMIT = 2000


def person_history(access: Access, person_id: int) -> CallHistory:
    """A person's calls; the title is their name only for roles that may view identities."""
    with access.reading(Action.VIEW_CALLS) as session:
        person = session.execute(
            select(Person.person_key, Person.name).where(Person.id == person_id)).one_or_none()
        if person is None:
            raise UserError(f"no person {person_id} on record")
        calls = _history(session, Call.person_id == person_id)
    key, sealed = person
    if access.allows(Action.VIEW_IDENTITIES) and sealed:
        return CallHistory(access.vault.open(sealed, purpose=NAME), True, calls)
    return CallHistory(f"Person {key[:KEY_PREFIX]}", False, calls)


def place_history(access: Access, location_key: str) -> CallHistory:
    """The calls at one block-level address (its key; addresses are never in clear)."""
    with access.reading(Action.VIEW_CALLS) as session:
        calls = _history(session, Call.location_key == location_key)
    return CallHistory(f"Address {location_key[:KEY_PREFIX]}", False, calls)


def _history(session: Session, where: ColumnElement[bool]) -> tuple[HistoryCall, ...]:
    stmt = (
        select(Call.id, Call.received_at, Call.incident_number, Call.final_call_type,
               Call.initial_call_type, Call.disposition, Call.activation, attended_flag(),
               Call.beat, Call.sector, Call.precinct)
        .where(where)
        .order_by(Call.received_at, Call.id)
        .limit(HISTORY_LIMIT)
    )
    return tuple(
        HistoryCall(i, received, incident, final or initial, disposition, activation,
                    bool(co), beat or sector or precinct or "")
        for i, received, incident, final, initial, disposition, activation, co, beat, sector,
        precinct in session.execute(stmt)
    )
