"""How an indicator reads wherever it is shown (tiles, charts, documents): the severity
colours, in one place, and its numbers in words. No Qt and no matplotlib: the Dashboard
imports this on the GUI thread before matplotlib has loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from console.services.indicators.model import Evaluation, Severity


@dataclass(frozen=True)
class SeverityColours:
    strong: str  # lines, the last point of a sparkline, a badge's border
    soft: str  # a badge's background, a shaded alert period
    text: str  # text on `soft` (contrast above 7:1)


# Never colour alone: every use of these also writes the severity's label.
SEVERITY_COLOURS: dict[Severity, SeverityColours] = {
    Severity.OK: SeverityColours("#15803d", "#dcfce7", "#14532d"),
    Severity.WATCH: SeverityColours("#ca8a04", "#fef9c3", "#713f12"),
    Severity.WARNING: SeverityColours("#ea580c", "#ffedd5", "#7c2d12"),
    Severity.CRITICAL: SeverityColours("#dc2626", "#fee2e2", "#7f1d1d"),
}

def is_percent(e: Evaluation) -> bool:
    """Whether the indicator's values are shares (0-1), shown as percentages."""
    return e.percent


def statistic_is_share(e: Evaluation) -> bool:
    """A threshold rule compares the share itself ("share filled"): it reads as a %."""
    return e.statistic_label.lower().startswith("share")


def number(value: float | None, e: Evaluation) -> str:
    """A value of the indicator alone: "23", "1,204", "7.5", "72%", "—" for none."""
    if value is None:
        return "—"
    if is_percent(e):
        return percent(value)
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def percent(value: float) -> str:
    """0.716 -> "72%", 0.0227 -> "2.3%": small shares keep a decimal."""
    scaled = value * 100
    if abs(scaled) < 10 and round(scaled, 1) != round(scaled):
        return f"{scaled:.1f}%"
    return f"{scaled:.0f}%"


def unit_words(e: Evaluation) -> str:
    """What follows a number: "a week", "hours a week"; nothing for a share."""
    return "" if is_percent(e) else e.unit


def with_unit(value: float | None, e: Evaluation) -> str:
    """"23 a week", "72%", "—"."""
    text = number(value, e)
    words = unit_words(e)
    return f"{text} {words}" if words and value is not None else text


def statistic_number(value: float | None, e: Evaluation | None = None) -> str:
    """A detection statistic or a threshold: enough digits to tell thresholds apart."""
    if value is None:
        return "—"
    if e is not None and statistic_is_share(e):
        return percent(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def short_date(day: dt.date | None) -> str:
    return "—" if day is None else f"{day.day} {day:%b %Y}"


def severity_label(severity: Severity) -> str:
    """"OK", "Watch", "Warning", "Critical"."""
    return "OK" if severity is Severity.OK else severity.label


def severity_line(evaluation: Evaluation) -> str:
    """"Warning since 4 May 2026" or "OK"."""
    label = severity_label(evaluation.severity)
    if evaluation.severity is Severity.OK or evaluation.flagged_since is None:
        return label
    return f"{label} since {short_date(evaluation.flagged_since)}"
