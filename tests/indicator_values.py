"""Hand-built indicator evaluations (real dataclasses) for the chart and Dashboard tests:
a series that steps down with a CUSUM that climbs through its thresholds."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from console.data.enums import EventKind
from console.services.indicators.model import (
    Acknowledgement,
    Evaluation,
    Marker,
    Severity,
    Thresholds,
)

END = dt.date(2026, 6, 29)  # a Monday
THRESHOLDS = Thresholds(watch=2.0, warning=4.0, critical=6.0)
STRUCTURAL = Marker(END - dt.timedelta(weeks=12), EventKind.LEADERSHIP_CHANGE,
                    "New chief of patrol", structural=True)
MOVE = Marker(END - dt.timedelta(weeks=40), EventKind.OFFICE_MOVE, "Office moved to HQ",
              structural=True)
BRIEFING = Marker(END - dt.timedelta(weeks=20), EventKind.BRIEFING, "Roll call, north",
                  structural=False)


def evaluation(indicator_id: str = "patrol_requests", *, severity: Severity = Severity.WARNING,
               weeks: int = 104, drop_weeks: int = 10, gaps: tuple[int, ...] = (),
               title: str = "", unit: str = "requests a week",
               acknowledgement: Acknowledgement | None = None) -> Evaluation:
    """`weeks` Mondays up to END at 30 a week, 20 a week in the last `drop_weeks`; the
    weeks at the indexes in `gaps` have no value (and no statistic)."""
    mondays = tuple(END - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks))
    values: list[float | None] = [30.0 + (i % 5 - 2) for i in range(weeks - drop_weeks)]
    values += [20.0] * drop_weeks
    statistic: list[float | None] = [0.0] * (weeks - drop_weeks)
    statistic += [0.9 * (n + 1) for n in range(drop_weeks)]
    for i in gaps:
        values[i] = None
        statistic[i] = None
    flagged = mondays[-drop_weeks + 2] if severity is not Severity.OK and drop_weeks > 2 \
        else None
    share = unit == "share"
    scale = 0.01 if share else 1.0
    return Evaluation(
        id=indicator_id,
        title=title or indicator_id.replace("_", " ").capitalize(),
        why="Officers stop referring when the unit is no longer part of their work.",
        unit=unit,
        rule="one-sided CUSUM on weekly counts against a seasonal baseline",
        baseline_note="the same weeks of 2 earlier years",
        severity=severity,
        value=None if values[-1] is None else values[-1] * scale,
        baseline=30.0 * scale,
        explanation=f"{indicator_id} fell 33% over {drop_weeks} weeks: 30 -> 20 a week.",
        flagged_since=flagged,
        weeks=mondays,
        values=tuple(None if v is None else v * scale for v in values),
        expected=tuple([30.0 * scale] * weeks),
        band_low=tuple([24.0 * scale] * weeks),
        band_high=tuple([36.0 * scale] * weeks),
        statistic=tuple(statistic),
        statistic_label="CUSUM",
        thresholds=THRESHOLDS,
        markers=(MOVE, BRIEFING, STRUCTURAL),
        acknowledgement=acknowledgement,
        as_of=END + dt.timedelta(days=1),
        percent=share,
    )


def acknowledged(e: Evaluation, note: str = "Raised with the new chief") -> Evaluation:
    ack = Acknowledgement(e.id, e.flagged_since, e.severity, note, None, "sgt.rivera",
                          dt.datetime(2026, 6, 30, 9, 0))
    return replace(e, acknowledgement=ack)
