"""A measure as a tile: its value, out of how many, what it could not use, and its
definition as the tooltip; shared by the Outcomes and Repeat calls tabs."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from console.services.outcomes_service import Kind, Measure
from console.services.repeat_calls_service import BEFORE_AFTER_DEFINITION, BeforeAfter

MUTED_STYLE = "color: #9ca3af;"
BEFORE_AFTER_LABEL = "Calls per person, 6 months before → after"


def percent(value: float) -> str:
    """0.716 -> "72%", 0.0227 -> "2.3%": small rates keep a decimal."""
    return f"{value * 100:.1f}%" if value < 0.1 else f"{value * 100:.0f}%"


def measure_value(m: Measure) -> str:
    if not m.available:
        return "n/a"
    value = m.value
    if value is None:
        return "—"
    if m.kind is Kind.RATE:
        return percent(value)
    if m.kind in (Kind.HOURS, Kind.MEDIAN_HOURS):
        return f"{value:,.0f} h"
    if m.kind is Kind.MONEY:
        return f"{'−' if value < 0 else ''}${abs(value):,.0f}"
    return f"{value:,.0f}"


def measure_note(m: Measure) -> str:
    """The line under a value: out of how many, how many could not be used, the comparison."""
    if not m.available:
        return unavailable_short(m.unavailable or "")
    if m.kind is Kind.HOURS:
        parts = [f"over {m.denominator:,} calls"]
    elif m.kind is Kind.MONEY:
        parts = [f"over {m.denominator:,} {m.unit}", "formula and sources: hover"]
    elif m.kind is Kind.MEDIAN_HOURS:
        parts = [f"median of {m.denominator:,} {m.unit}"]
    else:
        parts = [f"{m.numerator:,.0f} of {m.denominator:,} {m.unit}"]
    if m.blank:
        parts.append(f"{m.blank:,} blank")
    line = " · ".join(parts)
    if m.kind is Kind.MEDIAN_HOURS:
        if m.comparison is not None and m.comparison[1]:
            line += f"\nPatrol alone: {m.comparison[0]:,.0f} h"
    elif m.comparison is not None and m.comparison_rate is not None:
        line += f"\nPatrol alone: {percent(m.comparison_rate)}"
    return line


def unavailable_short(reason: str) -> str:
    """"not available: referral records arrive with … (detail)" -> "Referral records
    arrive with …": the tile's line; the tooltip keeps the whole reason."""
    text = reason.removeprefix("not available: ")
    for stop in (" (", ";"):
        text = text.split(stop, 1)[0]
    return text[:1].upper() + text[1:]


def measure_tooltip(m: Measure) -> str:
    text = f"<b>{m.label}</b><br>{m.definition}"
    if not m.available:
        return f"{text}<br><br><i>{m.unavailable}</i>"
    if m.kind is Kind.RATE:
        text += (f"<br><br>{m.numerator:,.0f} of {m.denominator:,} {m.unit}; "
                 f"{m.blank:,} calls could not be used (a field was blank).")
        if m.comparison is not None and m.comparison_rate is not None:
            text += (f"<br>Patrol alone: {m.comparison[0]:,.0f} of {m.comparison[1]:,} "
                     f"in-scope calls ({percent(m.comparison_rate)}).")
        if m.note:
            text += f"<br>{m.note[:1].upper()}{m.note[1:]}."
    elif m.kind is Kind.MONEY:
        lines = "".join(f"<br>{html.escape(line)}" for line in m.note.splitlines())
        text += f"<br><br>Over {m.denominator:,} {m.unit}:{lines}"
    elif m.kind is Kind.MEDIAN_HOURS:
        text += (f"<br><br>Median {m.numerator:,.1f} hours over {m.denominator:,} {m.unit}; "
                 f"{m.blank:,} without a first service recorded.")
        if m.comparison is not None and m.comparison[1]:
            text += (f"<br>Patrol alone: median {m.comparison[0]:,.1f} hours over "
                     f"{m.comparison[1]:,} {m.unit}.")
        if m.note:
            text += f"<br>{m.note[:1].upper()}{m.note[1:]}."
    else:
        text += (f"<br><br>{m.numerator:,.1f} hours over {m.denominator:,} calls; "
                 f"{m.blank:,} calls could not be used (a time was blank).")
    return text


class MeasureTile(QFrame):
    """One measure: its value, out of how many, and its definition as the tooltip."""

    def __init__(self, label: str, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(1)
        self.label = QLabel(label)
        self.label.setObjectName("tileLabel")
        self.label.setWordWrap(True)
        self.value = QLabel("…")
        self.value.setObjectName("tileValue")
        self.note = QLabel("")
        self.note.setObjectName("tileNote")
        self.note.setWordWrap(True)
        if compact:
            self.value.setText("Not available yet")
            self.value.setStyleSheet(MUTED_STYLE)
            self.value.setObjectName("tileNote")
        # Tiles keep the height their text needs; the charts below give way.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._compact = compact
        box.addWidget(self.label)
        box.addWidget(self.value)
        box.addWidget(self.note)
        box.addStretch(1)
        self.measure: Measure | None = None

    def set_measure(self, m: Measure) -> None:
        self.measure = m
        self.label.setText(m.label)
        # A compact tile waits for records that do not exist yet; once they do (referrals
        # recorded), it shows its value like any other.
        waiting = self._compact and not m.available
        self.value.setText("Not available yet" if waiting else measure_value(m))
        self.value.setStyleSheet("" if m.available else MUTED_STYLE)
        name = "tileNote" if waiting else "tileValue"
        if self.value.objectName() != name:
            self.value.setObjectName(name)
            self.value.style().unpolish(self.value)
            self.value.style().polish(self.value)
        self.note.setText(measure_note(m))
        self.setToolTip(measure_tooltip(m))


def _per_person(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def show_before_after(tile: MeasureTile, result: BeforeAfter) -> None:
    """Calls per person in the half year before -> after their first co-response."""
    tile.label.setText(BEFORE_AFTER_LABEL)
    tile.value.setText(f"{_per_person(result.per_person_before)} → "
                       f"{_per_person(result.per_person_after)}")
    tile.note.setText(f"{result.people:,} people · {result.fewer_after:,} fewer after, "
                      f"{result.more_after:,} more")
    tile.setToolTip(
        f"<b>Calls per person before and after</b><br>{BEFORE_AFTER_DEFINITION}<br><br>"
        f"{result.calls_before:,} calls before and {result.calls_after:,} after, for "
        f"{result.people:,} people; {result.left_out:,} people left out (a window runs "
        "outside the record).")
