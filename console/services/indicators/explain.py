"""The plain-language sentence of an evaluation, with the numbers behind it.

"Patrol requests fell 31% over 8 weeks against the same weeks of the 2 earlier years:
34 -> 23 a week. 6 fewer officers asked for the unit (19 -> 13). It follows: New chief
of police sworn in (6 Jul 2026)."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from console.services.indicators.catalog import Indicator
from console.services.indicators.model import Marker, Severity, Thresholds
from console.services.indicators.rules import CountRule, Judged, LevelRule, RateRule

RECENT_WEEKS = 4  # what an indicator at ok is described by
EVENTS_BEFORE = dt.timedelta(weeks=12)  # a structural event this long before an alert is named
MAX_EVENTS = 3


def number(value: float, indicator: Indicator) -> str:
    """A value as a tile or a sentence shows it."""
    if indicator.percent:
        return f"{value:.0%}"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.1f}"


def explain(indicator: Indicator, judged: Judged, current: int, since: int | None,
            severity: Severity, thresholds: Thresholds, markers: Sequence[Marker],
            weeks: Sequence[dt.date], detail: str = "") -> str:
    """The explanation of the indicator's state at week `current`; `since` is the first
    week of the current alert (None at ok)."""
    if judged.statistic[current] is None:
        return f"Not enough history to judge yet: {judged.baseline_note}."
    rule = indicator.rule
    first = since if since is not None else max(0, current - RECENT_WEEKS + 1)
    pairs = [p for p in judged.per_week[first: current + 1] if p is not None]
    span = current - first + 1
    if isinstance(rule, CountRule | LevelRule) and pairs:
        actual = sum(a for a, _ in pairs) / len(pairs)
        expected = sum(e for _, e in pairs) / len(pairs)
        scale = rule.window if isinstance(rule, CountRule) else 1
        text = _level_sentence(indicator, actual * scale, expected * scale, span,
                               judged.baseline_note, alert=since is not None)
        if isinstance(rule, LevelRule) and judged.trend is not None and \
                judged.trend.p_value < 0.05 and judged.trend.slope < 0:
            text += (f" Over the last {judged.trend.n} weeks a Mann-Kendall test finds a "
                     f"fall (p = {judged.trend.p_value:.2f}); Sen's slope "
                     f"{judged.trend.slope:+.1f} {indicator.unit.replace(' a week', '')} "
                     "a week.")
    elif isinstance(rule, RateRule) and pairs:
        actual = sum(a for a, _ in pairs) / len(pairs)
        expected = sum(e for _, e in pairs) / len(pairs)
        text = _share_sentence(indicator, actual, expected, span, judged.baseline_note,
                               worse_up=rule.worse_when_higher, alert=since is not None)
    else:
        text = _threshold_sentence(indicator, judged.values[current], severity, thresholds)
    if detail:
        text += f" {detail[0].upper()}{detail[1:]}."
    if since is not None:
        # The events that came before the alert began, nearest last.
        named = [m for m in markers
                 if weeks[since] - EVENTS_BEFORE <= m.on <= weeks[since] + dt.timedelta(days=6)]
        if named:
            text += " It follows: " + "; ".join(
                f"{m.title} ({m.on:%d %b %Y})" for m in named[-MAX_EVENTS:]) + "."
    return text


def _weeks(n: int) -> str:
    return f"{n} week" if n == 1 else f"{n} weeks"


def _level_sentence(ind: Indicator, actual: float, expected: float, span: int, note: str,
                    *, alert: bool) -> str:
    unit = f" {ind.unit}" if ind.unit else ""
    if not expected:
        return f"{ind.title}: {number(actual, ind)}{unit}; the baseline is zero ({note})."
    change = actual / expected - 1
    verb = "fell" if change < 0 else "rose"
    if alert:
        return (f"{ind.title} {verb} {abs(change):.0%} over {_weeks(span)} against {note}: "
                f"{number(expected, ind)} -> {number(actual, ind)}{unit}.")
    return (f"{ind.title}: {number(actual, ind)}{unit} over the last {_weeks(span)}, against "
            f"{number(expected, ind)} from {note} ({change:+.0%}); no sustained fall.")


def _share_sentence(ind: Indicator, actual: float, expected: float, span: int, note: str,
                    *, worse_up: bool, alert: bool) -> str:
    verb = "rose" if actual > expected else "fell"
    points = abs(actual - expected) * 100
    if alert:
        return (f"{ind.title} {verb} from {expected:.0%} to {actual:.0%} over "
                f"{_weeks(span)} ({points:.0f} points, against {note}).")
    direction = "rise" if worse_up else "fall"
    return (f"{ind.title}: {actual:.0%} over the last {_weeks(span)}, against {expected:.0%} "
            f"from {note}; no sustained {direction}.")


def _threshold_sentence(ind: Indicator, value: float | None, severity: Severity,
                        t: Thresholds) -> str:
    if value is None:
        return f"{ind.title}: no data for this week."
    shown = number(value, ind)
    unit = f" {ind.unit}" if ind.unit else ""
    line = {Severity.WATCH: t.watch, Severity.WARNING: t.warning,
            Severity.CRITICAL: t.critical}
    side = "above" if t.above else "below"
    if severity is Severity.OK:
        return (f"{ind.title}: {shown}{unit}, clear of the watch line "
                f"({number(t.watch, ind)}{unit}).")
    return (f"{ind.title}: {shown}{unit}, at or {side} the {severity.key} line "
            f"({number(line[severity], ind)}{unit}).")
