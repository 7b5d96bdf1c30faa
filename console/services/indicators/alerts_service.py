"""What people do with alerts: edit thresholds, acknowledge, and remember what they saw.

Thresholds and acknowledgements are program data (audited like any write); what a user
last saw is theirs alone and drives the sign-in banner. The history of alerts is not
stored: it is read back from the series (runs of weeks at watch or worse), with the
acknowledgements made during each run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.models import AlertAcknowledgement, IndicatorSeen, IndicatorThreshold
from console.errors import UserError
from console.services.access import Access, Action, require
from console.services.indicators.catalog import BY_ID, Indicator
from console.services.indicators.model import (
    Acknowledgement,
    AlertEpisode,
    Evaluation,
    Severity,
    Thresholds,
)
from console.services.program_scope import current_program_id, current_program_id_or_none

NOTE_CHARS = 2000


def _indicator(indicator_id: str) -> Indicator:
    indicator = BY_ID.get(indicator_id)
    if indicator is None:
        raise UserError(f"no indicator called {indicator_id!r}")
    return indicator


def set_thresholds(access: Access, indicator_id: str, thresholds: Thresholds) -> None:
    """Replace an indicator's thresholds (supervisors; audited). The direction (above or
    below is worse) belongs to the indicator and cannot be changed."""
    indicator = _indicator(indicator_id)
    fixed = Thresholds(thresholds.watch, thresholds.warning, thresholds.critical,
                       indicator.thresholds.above)
    if not fixed.ordered():
        order = "watch <= warning <= critical" if fixed.above else \
            "watch >= warning >= critical"
        raise UserError(f"{indicator.title} thresholds {fixed.watch:g}, {fixed.warning:g}, "
                        f"{fixed.critical:g}: they must run {order}")
    with access.writing(Action.EDIT_SETTINGS, f"{indicator.title} thresholds") as session:
        program = current_program_id(session)
        row = session.get(IndicatorThreshold, (program, indicator_id))
        if row is None:
            session.add(IndicatorThreshold(program_id=program, indicator_id=indicator_id,
                                           watch=fixed.watch,
                                           warning=fixed.warning, critical=fixed.critical))
        else:
            row.watch, row.warning, row.critical = fixed.watch, fixed.warning, fixed.critical


def reset_thresholds(access: Access, indicator_id: str) -> None:
    """Back to the indicator's defaults."""
    indicator = _indicator(indicator_id)
    with access.writing(Action.EDIT_SETTINGS, f"{indicator.title} thresholds") as session:
        row = session.get(IndicatorThreshold, (current_program_id(session), indicator_id))
        if row is not None:
            session.delete(row)


def acknowledge(access: Access, evaluation: Evaluation, note: str,
                review_on: dt.date | None = None) -> None:
    """Say an alert was seen and what is being done, until `review_on` (audited)."""
    require(access.actor, Action.ACKNOWLEDGE_ALERTS)
    text = note.strip()
    if not text:
        raise UserError("an acknowledgement needs a note: what is being done about it")
    if len(text) > NOTE_CHARS:
        raise UserError(f"the note is {len(text)} characters; keep it under {NOTE_CHARS}")
    if evaluation.severity is Severity.OK:
        raise UserError(f"{evaluation.title} is not flagged: there is nothing to acknowledge")
    today = dt.date.today()
    if review_on is not None and review_on < today:
        raise UserError(f"review date {review_on:%d %b %Y} is in the past")
    with access.writing(Action.ACKNOWLEDGE_ALERTS, f"{evaluation.title} alert") as session:
        session.add(AlertAcknowledgement(
            program_id=current_program_id(session), indicator_id=_indicator(evaluation.id).id,
            flagged_since=evaluation.flagged_since, severity=evaluation.severity.key,
            note=text, review_on=review_on,
            acknowledged_by=access.actor.display_name or access.actor.username,
            acknowledged_at=dt.datetime.now().replace(microsecond=0)))


def _ack(row: AlertAcknowledgement) -> Acknowledgement:
    return Acknowledgement(row.indicator_id, row.flagged_since, Severity.from_key(row.severity),
                           row.note, row.review_on, row.acknowledged_by, row.acknowledged_at)


def latest_acknowledgements(session: Session) -> dict[str, Acknowledgement]:
    """The newest acknowledgement of each indicator."""
    out: dict[str, Acknowledgement] = {}
    for row in session.scalars(select(AlertAcknowledgement).order_by(AlertAcknowledgement.id)):
        out[row.indicator_id] = _ack(row)
    return out


def alert_history(access: Access, evaluation: Evaluation) -> list[AlertEpisode]:
    """Every run of weeks at watch or worse in the evaluation's series, newest first,
    with the acknowledgements made for it."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        acks = [_ack(row) for row in session.scalars(
            select(AlertAcknowledgement)
            .where(AlertAcknowledgement.indicator_id == evaluation.id)
            .order_by(AlertAcknowledgement.id))]
    episodes: list[AlertEpisode] = []
    start: int | None = None
    peak = Severity.OK
    grades = [evaluation.thresholds.severity(s) for s in evaluation.statistic]
    for i, grade in enumerate([*grades, Severity.OK]):
        if grade > Severity.OK:
            start = i if start is None else start
            peak = max(peak, grade)
            continue
        if start is not None:
            first = evaluation.weeks[start]
            ended = evaluation.weeks[i] if i < len(evaluation.weeks) else None
            episodes.append(AlertEpisode(
                evaluation.id, first, ended, peak,
                tuple(a for a in acks if a.flagged_since == first)))
            start, peak = None, Severity.OK
    return episodes[::-1]


@dataclass(frozen=True)
class Change:
    """An indicator that is worse than when this user last looked."""

    indicator_id: str
    title: str
    before: Severity | None  # None: never seen
    now: Severity
    explanation: str


def changes_since_last_look(access: Access, evaluations: list[Evaluation]) -> list[Change]:
    """Indicators now worse than the severity this user last saw, worst first; a first
    look reports everything at watch or worse."""
    with access.reading(Action.NOTE_SEEN) as session:
        seen = {row.indicator_id: Severity.from_key(row.severity) for row in session.scalars(
            select(IndicatorSeen).where(IndicatorSeen.username == access.actor.username))}
    changes = [Change(e.id, e.title, seen.get(e.id), e.severity, e.explanation)
               for e in evaluations
               if e.severity > seen.get(e.id, Severity.OK)]
    return sorted(changes, key=lambda c: -c.now)


def mark_seen(access: Access, evaluations: list[Evaluation]) -> None:
    """Remember the severities this user has now seen."""
    now = dt.datetime.now().replace(microsecond=0)
    with access.writing(Action.NOTE_SEEN, "warnings seen") as session:
        program = current_program_id_or_none(session)
        if program is None:  # nothing on record yet: nothing was seen
            return
        rows = {row.indicator_id: row for row in session.scalars(
            select(IndicatorSeen).where(IndicatorSeen.username == access.actor.username))}
        for e in evaluations:
            row = rows.get(e.id)
            if row is None:
                session.add(IndicatorSeen(username=access.actor.username,
                                          program_id=program, indicator_id=e.id,
                                          severity=e.severity.key, seen_at=now))
            elif row.severity != e.severity.key:
                row.severity, row.seen_at = e.severity.key, now
