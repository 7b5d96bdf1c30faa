"""Complaint measures (open cases, overdue steps, time to close, findings, the rate per
1,000 co-response calls) and the weekly series behind the early warnings.

Counts only: no narrative, complainant or subject is read here, so every role that
sees aggregate measures sees these.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.data.complaint_enums import CaseEventKind, Classification, ComplaintState, Finding
from console.data.models import Call, CaseEvent, Complaint
from console.services.access import Access, Action
from console.services.complaints import engine
from console.services.populations import attended, crisis_call
from console.services.portable_sql import dialect, month_of

WEEK = dt.timedelta(weeks=1)


@dataclass(frozen=True)
class QuarterRate:
    quarter: str  # "2025 Q3"
    complaints: int
    calls: int  # co-response calls: attended by the unit, planned follow-ups aside

    @property
    def per_1000(self) -> float | None:
        return 1000 * self.complaints / self.calls if self.calls else None


@dataclass(frozen=True)
class ComplaintMeasures:
    open_cases: int
    overdue_steps: int
    # Business days from receipt to closing (or informal resolution), by classification.
    median_days_to_close: dict[Classification, float]
    median_days_all: float | None  # the same over every classification
    findings: dict[Finding, int]  # final findings of closed cases
    withdrawn: int
    by_quarter: tuple[QuarterRate, ...]


def complaint_measures(access: Access, today: dt.date | None = None) -> ComplaintMeasures:
    today = today or dt.date.today()
    with access.reading(Action.VIEW_AGGREGATES) as session:
        rows = session.execute(select(
            Complaint.state, Complaint.due_on, Complaint.received_on, Complaint.finished_on,
            Complaint.classification, Complaint.finding)).all()
        if not rows:
            return ComplaintMeasures(0, 0, {}, None, {}, 0, ())
        cal = engine.calendar(session, engine.program_id(session))
        days: dict[Classification, list[int]] = defaultdict(list)
        findings: Counter[Finding] = Counter()
        for r in rows:
            if r.state in (ComplaintState.CLOSED, ComplaintState.INFORMALLY_RESOLVED) and \
                    r.finished_on and r.classification:
                days[r.classification].append(cal.between(r.received_on, r.finished_on))
            if r.state is ComplaintState.CLOSED and r.finding:
                findings[r.finding] += 1
        return ComplaintMeasures(
            open_cases=sum(1 for r in rows if r.state.is_open),
            overdue_steps=sum(1 for r in rows if r.due_on is not None and r.due_on < today),
            median_days_to_close={c: float(statistics.median(days[c]))
                                  for c in Classification if days.get(c)},
            median_days_all=float(statistics.median([d for v in days.values() for d in v]))
            if days else None,
            findings={f: findings[f] for f in Finding if findings[f]},
            withdrawn=sum(1 for r in rows if r.state is ComplaintState.WITHDRAWN),
            by_quarter=_by_quarter(session, [r.received_on for r in rows]))


def _quarter(year: int, month: int) -> str:
    return f"{year} Q{(month - 1) // 3 + 1}"


def _by_quarter(session: Session, received: list[dt.date]) -> tuple[QuarterRate, ...]:
    month = month_of(session, Call.received_at)
    calls: Counter[str] = Counter()
    for key, n in session.execute(select(month, func.count())
                                  .where(attended(), crisis_call()).group_by(month)):
        calls[_quarter(int(key[:4]), int(key[5:7]))] += n
    complaints = Counter(_quarter(d.year, d.month) for d in received)
    quarters = sorted(set(calls) | set(complaints))
    return tuple(QuarterRate(q, complaints[q], calls[q]) for q in quarters)


# --- Weekly series for the early warnings ------------------------------------------------

def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeeklySeries:
    mondays: tuple[dt.date, ...]
    values: tuple[float | None, ...]


def overdue_steps_by_week(session: Session, first: dt.date, last: dt.date) -> WeeklySeries:
    """Steps overdue at the end of each week (its Sunday), Mondays first..last.

    Read from the case history: each transition records the deadline of the step it
    began, so a case counts in a week when, that Sunday, it sat in a step past its due day.
    """
    mondays = _mondays(first, last)
    spans: list[tuple[dt.date, dt.date, dt.date]] = []  # (from, until, due)
    events = session.execute(
        select(CaseEvent.complaint_id, CaseEvent.at, CaseEvent.due_on, CaseEvent.kind,
               Complaint.received_on)
        .join(Complaint, Complaint.id == CaseEvent.complaint_id)
        .where(CaseEvent.to_state.is_not(None))
        .order_by(CaseEvent.complaint_id, CaseEvent.at, CaseEvent.id)).all()
    far = dt.date.max
    for i, e in enumerate(events):
        nxt = events[i + 1] if i + 1 < len(events) else None
        until = nxt.at.date() if nxt is not None and nxt.complaint_id == e.complaint_id \
            else far
        # A complaint's first step runs from the day it was received, however late it
        # was recorded.
        start = e.received_on if e.kind is CaseEventKind.INTAKE else e.at.date()
        if e.due_on is not None:
            spans.append((start, until, e.due_on))
    values: list[float | None] = []
    for monday in mondays:
        sunday = monday + dt.timedelta(days=6)
        values.append(float(sum(1 for start, until, due in spans
                                if start <= sunday < until and due < sunday)))
    return WeeklySeries(tuple(mondays), tuple(values))


@dataclass(frozen=True)
class WeeklyCounts:
    mondays: tuple[dt.date, ...]
    complaints: tuple[float, ...]  # complaints received in the week
    calls: tuple[float, ...]  # co-response calls (attended, planned follow-ups aside)


def complaints_and_calls_by_week(session: Session, first: dt.date,
                                 last: dt.date) -> WeeklyCounts:
    """Complaints received and co-response calls, week by week (Mondays first..last)."""
    mondays = _mondays(first, last)
    if not mondays:
        return WeeklyCounts((), (), ())
    index = {m: i for i, m in enumerate(mondays)}
    calls = [0.0] * len(mondays)
    complaints = [0.0] * len(mondays)
    start = dt.datetime.combine(mondays[0], dt.time())
    end = dt.datetime.combine(mondays[-1] + WEEK, dt.time())
    day = func.substr(Call.received_at, 1, 10) if dialect(session) == "sqlite" \
        else func.to_char(Call.received_at, "YYYY-MM-DD")
    for key, n in session.execute(select(day, func.count())
                                  .where(attended(), crisis_call(), Call.received_at >= start,
                                         Call.received_at < end)
                                  .group_by(day)):
        i = index.get(week_start(dt.date.fromisoformat(key)))
        if i is not None:
            calls[i] += n
    for received_on, n in session.execute(
            select(Complaint.received_on, func.count())
            .where(Complaint.received_on >= mondays[0], Complaint.received_on < end.date())
            .group_by(Complaint.received_on)):
        i = index.get(week_start(received_on))
        if i is not None:
            complaints[i] += n
    return WeeklyCounts(tuple(mondays), tuple(complaints), tuple(calls))


def complaint_rate_by_week(session: Session, first: dt.date, last: dt.date,
                           window: int = 4, min_calls: int = 50) -> WeeklySeries:
    """Complaints received per 1,000 co-response calls over the `window` weeks ending with
    each week (None while fewer than `min_calls` calls fall in the window: too few to
    read, and weeks whose calls were never imported are not weeks without calls)."""
    counts = complaints_and_calls_by_week(session, first - (window - 1) * WEEK, last)
    values: list[float | None] = []
    for i in range(window - 1, len(counts.mondays)):
        n_calls = sum(counts.calls[i - window + 1:i + 1])
        n = sum(counts.complaints[i - window + 1:i + 1])
        values.append(1000 * n / n_calls if n_calls >= min_calls else None)
    return WeeklySeries(counts.mondays[window - 1:], tuple(values))


def _mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    m, end, out = week_start(first), week_start(last), []
    while m <= end:
        out.append(m)
        m += WEEK
    return out


def first_complaint(session: Session) -> dt.date | None:
    """The day the first complaint on record was received: weeks before it are unknown."""
    return session.scalar(select(func.min(Complaint.received_on)))
