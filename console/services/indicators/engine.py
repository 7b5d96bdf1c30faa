"""Evaluate every indicator as of a day: read, judge, grade, explain.

One read-only session per run; the calls are scanned a few times in all, whatever the
number of indicators (series.Reading keeps each scan).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.data.models import Call, IndicatorThreshold, Program
from console.errors import UserError
from console.services.access import Access, Action
from console.services.indicators import alerts_service
from console.services.indicators.catalog import BY_ID, INDICATORS, Indicator
from console.services.indicators.explain import explain
from console.services.indicators.model import (
    Acknowledgement,
    Evaluation,
    Marker,
    Severity,
    Thresholds,
)
from console.services.indicators.series import (
    Reading,
    Weeks,
    last_complete_week,
    week_start,
)
from console.services.program_scope import current_program_id_or_none


def evaluate_all(access: Access, as_of: dt.date | None = None) -> list[Evaluation]:
    """Every indicator as of `as_of` (default today), worst first."""
    day = as_of or dt.date.today()
    with access.reading(Action.VIEW_AGGREGATES) as session:
        run = _Run(session, day)
        evaluations = [run.evaluate(indicator) for indicator in INDICATORS]
    order = {ind.id: n for n, ind in enumerate(INDICATORS)}
    return sorted(evaluations, key=lambda e: (-e.severity, e.acknowledged, order[e.id]))


def evaluate_one(access: Access, indicator_id: str, as_of: dt.date | None = None) -> Evaluation:
    indicator = BY_ID.get(indicator_id)
    if indicator is None:
        raise UserError(f"no indicator called {indicator_id!r}; known: {', '.join(BY_ID)}")
    with access.reading(Action.VIEW_AGGREGATES) as session:
        return _Run(session, as_of or dt.date.today()).evaluate(indicator)


def thresholds_for(session: Session, indicator: Indicator) -> Thresholds:
    """The supervisor's thresholds where set, else the indicator's defaults."""
    program = current_program_id_or_none(session)
    row = None if program is None else session.get(IndicatorThreshold, (program, indicator.id))
    default = indicator.thresholds
    if row is None:
        return default
    return Thresholds(row.watch, row.warning, row.critical, default.above)


class _Run:
    def __init__(self, session: Session, as_of: dt.date) -> None:
        self.session, self.as_of = session, as_of
        first_call, last_call = session.execute(
            select(func.min(Call.received_at), func.max(Call.received_at))).one()
        started = session.scalar(select(func.min(Program.started_on)))
        starts = [d for d in (first_call.date() if first_call else None, started) if d]
        last = last_complete_week(as_of)
        first = week_start(min(starts)) if starts else last
        self.reading = Reading(session, Weeks(min(first, last), last), as_of,
                               last_call.date() if last_call else None,
                               first_call.date() if first_call else None)
        self.markers = tuple(
            Marker(day, kind, title, kind.is_structural)
            for day, kind, title in self.reading.structural_events())
        self.acks = alerts_service.latest_acknowledgements(session)

    def evaluate(self, indicator: Indicator) -> Evaluation:
        reading, weeks = self.reading, self.reading.weeks.mondays
        judged = indicator.rule.judge(indicator.read(reading))
        thresholds = thresholds_for(self.session, indicator)
        grades = [thresholds.severity(s) for s in judged.statistic]
        known = [i for i, s in enumerate(judged.statistic) if s is not None]
        current = known[-1] if known else len(weeks) - 1
        severity = grades[current] if known else Severity.OK
        since: int | None = None
        if severity > Severity.OK:
            since = current
            while since > 0 and grades[since - 1] > Severity.OK:
                since -= 1
        detail = ""
        if since is not None and indicator.detail is not None and weeks:
            detail = indicator.detail(reading, (weeks[since], weeks[current]))
        text = explain(indicator, judged, current, since, severity, thresholds, self.markers,
                       weeks, detail) if weeks else "No data yet."
        flagged = weeks[since] if since is not None else None
        return Evaluation(
            id=indicator.id, title=indicator.title, why=indicator.why, unit=indicator.unit,
            rule=indicator.rule.text, baseline_note=judged.baseline_note, severity=severity,
            value=judged.values[current] if weeks else None,
            baseline=judged.expected[current] if weeks else None,
            explanation=text, flagged_since=flagged, weeks=weeks, values=judged.values,
            expected=judged.expected, band_low=judged.band_low, band_high=judged.band_high,
            statistic=judged.statistic, statistic_label=indicator.rule.statistic_label,
            thresholds=thresholds, markers=self.markers,
            acknowledgement=self._acknowledged(indicator.id, flagged, severity),
            as_of=self.as_of, percent=indicator.percent,
        )

    def _acknowledged(self, indicator_id: str, flagged: dt.date | None,
                      severity: Severity) -> Acknowledgement | None:
        """The acknowledgement of this very alert, while its review date has not passed
        and the alert has not grown worse than what was acknowledged."""
        ack = self.acks.get(indicator_id)
        if ack is None or severity is Severity.OK or ack.flagged_since != flagged:
            return None
        if ack.review_on is not None and ack.review_on < self.as_of:
            return None
        return ack if severity <= ack.severity else None
