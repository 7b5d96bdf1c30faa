"""The weekly series behind the indicators, read from the data in a few SQL scans.

Weeks start on Monday. A `Weeks` axis runs from the first week with data to the week
being judged (the last complete week on or before the as-of day). Readers return one
value per week of the axis, None where the source has no record yet (a roster begun
later than the calls, say). Several indicators share one scan of the calls; a `Reading`
keeps each scan for the evaluation run.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, and_, case, cast, exists, func, select
from sqlalchemy.orm import Session

from console.data.enums import VISIBILITY_EVENTS, Activation, CallSource, EventKind, StaffRole
from console.data.models import (
    Call,
    Position,
    PositionAssignment,
    ProgramEvent,
    Shift,
    ShiftAssignment,
    StaffMember,
    call_responder,
)
from console.services.office_hours import office_hour as _office_hour
from console.services.populations import crisis_call
from console.services.portable_sql import dialect, plus_days

WEEK = dt.timedelta(weeks=1)
REPEAT_DAYS = 30


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_complete_week(as_of: dt.date) -> dt.date:
    """The Monday of the last week whose Sunday is on or before `as_of`."""
    return week_start(as_of + dt.timedelta(days=1)) - WEEK


@dataclass(frozen=True)
class Weeks:
    """Mondays from `first` to `last`, both included."""

    first: dt.date
    last: dt.date

    @property
    def mondays(self) -> tuple[dt.date, ...]:
        return tuple(self.first + i * WEEK for i in range(len(self)))

    def __len__(self) -> int:
        return max(0, (self.last - self.first).days // 7 + 1)

    def index(self, monday: dt.date) -> int | None:
        i = (monday - self.first).days // 7
        return i if 0 <= i < len(self) else None

    @property
    def end(self) -> dt.datetime:
        """The first moment after the axis (the Monday after its last week)."""
        return dt.datetime.combine(self.last + WEEK, dt.time())

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time())


Values = tuple[float | None, ...]


@dataclass(frozen=True)
class CallWeeks:
    """The counts one scan of the calls gives, per week of the axis."""

    calls: Values
    patrol_requests: Values
    in_scope: Values
    in_scope_on_shift: Values
    dispatch_eligible: Values  # in scope, on shift, via dispatch (not on view, not own work)
    dispatched: Values  # of those, the unit was sent by dispatch
    attended_known_scope: Values  # co-responses whose scope is known
    attended_out_of_scope: Values


def week_of(session: Session, column: Any) -> Any:
    """The Monday of a datetime column's week, as a date (SQLite: ISO text)."""
    if dialect(session) == "sqlite":
        return func.date(column, "weekday 0", "-6 days")
    return cast(func.date_trunc("week", column), Date)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


class Reading:
    """One evaluation run's access to the data: the axis and the scans, each done once."""

    def __init__(self, session: Session, weeks: Weeks, as_of: dt.date,
                 calls_until: dt.date | None, calls_from: dt.date | None = None) -> None:
        self.session, self.weeks, self.as_of = session, weeks, as_of
        # The oldest and newest calls' days: weeks outside them were not imported, which
        # is not the same as weeks without calls.
        self.calls_until, self.calls_from = calls_until, calls_from

    def _calls_known(self, series: list[float | None]) -> list[float | None]:
        # The first week counts only when the record starts on its Monday: a record
        # that begins on a Thursday would make its first week read low.
        first = self.weeks.first
        if self.calls_from is not None:
            first = week_start(self.calls_from)
            if self.calls_from != first:
                first += WEEK
        for i, monday in enumerate(self.weeks.mondays):
            if self.calls_until is None or monday + dt.timedelta(days=6) > self.calls_until \
                    or monday < first:
                series[i] = None
        return series

    def _zeros(self) -> list[float | None]:
        return [0.0] * len(self.weeks)

    def _by_week(self, rows: Any, columns: int) -> list[list[float | None]]:
        out = [self._zeros() for _ in range(columns)]
        for row in rows:
            i = self.weeks.index(_as_date(row[0]))
            if i is None:
                continue
            for c in range(columns):
                out[c][i] = float(row[c + 1] or 0)
        return out

    @functools.cached_property
    def call_weeks(self) -> CallWeeks:
        """One scan of the calls, grouped by week and a few flags; the counts are summed
        here. Grouping on the flags evaluates each subquery (on shift, a responder
        listed) once per call, where counting them in several sums would repeat it."""
        s, weeks = self.session, self.weeks
        longest = s.scalar(select(func.max(_shift_days(s)))) or 0
        on_shift = case((Call.in_scope.is_(True), case((exists().where(
            Shift.starts_at <= Call.received_at,
            Shift.starts_at >= plus_days(s, Call.received_at, -int(longest) - 1),
            Shift.ends_at > Call.received_at,
            exists().where(ShiftAssignment.shift_id == Shift.id),
        ), 1), else_=0)), else_=0)
        present = case((Call.activation.is_not(None), 1),
                       (exists().where(call_responder.c.call_id == Call.id), 1), else_=0)
        flags = (week_of(s, Call.received_at), Call.in_scope, Call.activation,
                 Call.source == CallSource.ON_VIEW, on_shift, present)
        counts = [self._zeros() for _ in range(8)]
        for monday, in_scope, activation, on_view, shift, attended_, n in s.execute(
            select(*flags, func.count())
            .where(Call.received_at >= weeks.start, Call.received_at < weeks.end)
            .group_by(*flags)
        ):
            i = weeks.index(_as_date(monday))
            if i is None:
                continue
            crisis = activation != Activation.FOLLOW_UP
            own_work = activation in (Activation.SELF_INITIATED, Activation.FOLLOW_UP)
            # Dispatch decides on calls that reach it: not the unit's own work, and not
            # calls patrol came upon by itself (on view).
            eligible = bool(shift) and not own_work and not on_view
            for c, hit in enumerate((
                True,
                activation == Activation.PATROL_REQUEST,
                in_scope is True,
                bool(shift),
                eligible,
                eligible and activation == Activation.DISPATCH,
                bool(attended_) and crisis and in_scope is not None,
                bool(attended_) and crisis and in_scope is False,
            )):
                if hit:
                    counts[c][i] = (counts[c][i] or 0.0) + n
        return CallWeeks(*(tuple(self._calls_known(c)) for c in counts))

    def coverage(self, window: int) -> Values:
        """Share of in-scope calls in the `window` weeks ending at each week that were
        received while the unit was on shift."""
        weeks = self.call_weeks
        rostered = self.staffed[0]
        out: list[float | None] = []
        for i in range(len(self.weeks)):
            lo = i - window + 1
            if lo < 0 or rostered[lo] is None:  # no roster kept then: not judged
                out.append(None)
                continue
            if weeks.in_scope[i] is None:
                out.append(None)
                continue
            demand = sum(v or 0.0 for v in weeks.in_scope[lo: i + 1])
            covered = sum(v or 0.0 for v in weeks.in_scope_on_shift[lo: i + 1])
            out.append(covered / demand if demand else None)
        return tuple(out)

    @functools.cached_property
    def officer_weeks(self) -> dict[dt.date, set[int]]:
        """Which officers asked for the unit, week by week."""
        s = self.session
        week = week_of(s, Call.received_at)
        out: dict[dt.date, set[int]] = defaultdict(set)
        for monday, officer in s.execute(
            select(week, Call.requesting_officer_id).distinct()
            .where(Call.received_at >= self.weeks.start, Call.received_at < self.weeks.end,
                   Call.requesting_officer_id.is_not(None))
        ):
            out[_as_date(monday)].add(officer)
        return out

    def distinct_officers(self, window: int) -> Values:
        """Distinct requesting officers in the `window` weeks ending at each week."""
        by_week = self.officer_weeks
        mondays = self.weeks.mondays
        out: list[float | None] = []
        for i in range(len(mondays)):
            seen: set[int] = set()
            for monday in mondays[max(0, i - window + 1): i + 1]:
                seen |= by_week.get(monday, set())
            out.append(float(len(seen)) if i >= window - 1 else None)
        return tuple(self._calls_known(out))

    def officers_between(self, first: dt.date, last: dt.date) -> int:
        """Distinct officers who asked for the unit in the weeks from `first` to `last`."""
        seen: set[int] = set()
        for monday, officers in self.officer_weeks.items():
            if first <= monday <= last:
                seen |= officers
        return len(seen)

    @functools.cached_property
    def visibility(self) -> Values:
        s = self.session
        week = week_of(s, ProgramEvent.occurred_on)
        rows = s.execute(
            select(week, func.count())
            .where(ProgramEvent.kind.in_(sorted(VISIBILITY_EVENTS)),
                   ProgramEvent.occurred_on >= self.weeks.first,
                   ProgramEvent.occurred_on < self.weeks.last + WEEK)
            .group_by(week)
        ).all()
        return tuple(self._by_week(rows, 1)[0])

    @functools.cached_property
    def staffed(self) -> tuple[Values, Values]:
        """Co-responder hours on shifts per week, in total and after hours.

        Person-hours of the unit's staff assigned to shifts (interns are not
        co-responders and leave every summer); after hours is outside 08:00-18:00 on
        weekdays. A shift is cut at week boundaries; weeks before the first shift on
        record are None (no roster kept then), not zero.
        """
        s = self.session
        rows = s.execute(
            select(Shift.starts_at, Shift.ends_at, func.count())
            .join(ShiftAssignment, ShiftAssignment.shift_id == Shift.id)
            .join(StaffMember, StaffMember.id == ShiftAssignment.staff_id)
            .where(StaffMember.role != StaffRole.INTERN,
                   Shift.ends_at > self.weeks.start, Shift.starts_at < self.weeks.end)
            .group_by(Shift.id, Shift.starts_at, Shift.ends_at)
        ).all()
        total, after = self._zeros(), self._zeros()
        first_shift: dt.date | None = None
        for starts, ends, people in rows:
            first_shift = min(first_shift or starts.date(), starts.date())
            for piece_start, piece_end in _hour_pieces(starts, ends):
                i = self.weeks.index(week_start(piece_start.date()))
                if i is None:
                    continue
                hours = (piece_end - piece_start) / dt.timedelta(hours=1) * people
                total[i] = (total[i] or 0.0) + hours
                if not _office_hour(piece_start):
                    after[i] = (after[i] or 0.0) + hours
        if first_shift is None:
            return tuple([None] * len(total)), tuple([None] * len(after))
        cut = self.weeks.index(week_start(first_shift)) or 0
        for series in (total, after):
            for i in range(cut):
                series[i] = None
        return tuple(total), tuple(after)

    @functools.cached_property
    def positions(self) -> tuple[Values, Values]:
        """Per week (on its Sunday, or the as-of day for the last): the share of authorized
        positions filled, and the age in days of the oldest open vacancy.

        Intern seats are left out: they are academic-year placements, empty every summer
        by design; the intern pipeline judges them.
        """
        s = self.session
        positions = s.execute(
            select(Position.id, Position.authorized_on, Position.abolished_on)
            .where(Position.role != StaffRole.INTERN)
        ).all()
        spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for pid, start, end in s.execute(
            select(PositionAssignment.position_id, PositionAssignment.start_on,
                   PositionAssignment.end_on)
        ):
            spans[pid].append((start, end))
        filled_share, oldest = self._zeros(), self._zeros()
        for i, monday in enumerate(self.weeks.mondays):
            day = min(monday + dt.timedelta(days=6), self.as_of)
            authorized = filled = 0
            age: int | None = None
            for pid, authorized_on, abolished_on in positions:
                if authorized_on > day or (abolished_on is not None and abolished_on <= day):
                    continue
                authorized += 1
                held = spans.get(pid, [])
                if any(a <= day and (b is None or b > day) for a, b in held):
                    filled += 1
                    continue
                ended = [b for _a, b in held if b is not None and b <= day]
                since = max([authorized_on, *ended])
                age = max(age or 0, (day - since).days)
            filled_share[i] = filled / authorized if authorized else None
            oldest[i] = float(age) if age is not None else (0.0 if authorized else None)
        return tuple(filled_share), tuple(oldest)

    @functools.cached_property
    def repeat_weeks(self) -> tuple[Values, Values]:
        """Per week: co-responses to a known person, and those followed within 30 days
        by another crisis call about them. Weeks whose 30 days are not over are None.

        The next crisis call about each person comes from one window function (one sort
        of the calls with a person), not a lookup per co-response.
        """
        s = self.session
        horizon = min(self.as_of, self.calls_until or self.as_of)
        present = case((Call.activation.is_not(None), 1),
                       (exists().where(call_responder.c.call_id == Call.id), 1), else_=0)
        calls = (
            select(Call.received_at.label("at"), present.label("attended"),
                   func.lead(Call.received_at).over(
                       partition_by=Call.person_id, order_by=(Call.received_at, Call.id),
                   ).label("next_at"))
            .where(Call.person_id.is_not(None), crisis_call(),
                   Call.received_at >= self.weeks.start,
                   Call.received_at < dt.datetime.combine(horizon + dt.timedelta(days=1),
                                                          dt.time()))
            .subquery()
        )
        week = week_of(s, calls.c.at)
        again = and_(calls.c.next_at > calls.c.at,
                     calls.c.next_at <= plus_days(s, calls.c.at, REPEAT_DAYS))
        rows = s.execute(
            select(week, func.count(), func.sum(case((again, 1), else_=0)))
            .where(calls.c.attended == 1)
            .group_by(week)
        ).all()
        seen, repeated = map(self._calls_known, self._by_week(rows, 2))
        last = horizon - dt.timedelta(days=REPEAT_DAYS)
        for i, monday in enumerate(self.weeks.mondays):
            if monday + dt.timedelta(days=6) > last:
                seen[i] = repeated[i] = None
        return tuple(seen), tuple(repeated)

    def structural_events(self) -> list[tuple[dt.date, EventKind, str]]:
        return [
            (day, kind, title) for day, kind, title in self.session.execute(
                select(ProgramEvent.occurred_on, ProgramEvent.kind, ProgramEvent.title)
                .where(ProgramEvent.occurred_on <= self.as_of)
                .order_by(ProgramEvent.occurred_on, ProgramEvent.id))
            if kind not in VISIBILITY_EVENTS
        ]


def _shift_days(session: Session) -> Any:
    if dialect(session) == "sqlite":
        return func.julianday(Shift.ends_at) - func.julianday(Shift.starts_at)
    return func.extract("epoch", Shift.ends_at - Shift.starts_at) / 86400.0


def _hour_pieces(starts: dt.datetime, ends: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """A shift cut at whole hours, so each piece is wholly in or out of office hours
    (and wholly in one week)."""
    pieces = []
    at = starts
    while at < ends:
        nxt = min(ends, at.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1))
        pieces.append((at, nxt))
        at = nxt
    return pieces


Reader = Callable[[Reading], Any]
