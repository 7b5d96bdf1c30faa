"""The Outcomes tab of Calls & outcomes: the headline measures over a period, intake beside
them, and the charts (monthly trends, a by-month table, demand by hour of week, dispositions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.services.outcomes_service import (
    CUSTODY,
    DEMAND_DEFINITION,
    ED,
    HOLDS,
    MIX_DEFINITION,
    PATROL_HOURS,
    RESOLVED,
    HourOfWeek,
    Kind,
    Measure,
    MonthOutcomes,
    OutcomeReport,
    Period,
    Preset,
    demand_by_hour_of_week,
    measure_definitions,
    outcome_report,
    preset_period,
)
from console.services.repeat_calls_service import (
    BEFORE_AFTER_DEFINITION,
    BeforeAfter,
    RepeatRates,
    before_after,
    repeat_definition,
    repeat_rates,
)
from console.views.latest import LatestOnly, Loader
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.widgets import NoteLabel

if TYPE_CHECKING:  # matplotlib loads off the GUI thread, with the first result
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    from console.services.access import Access

# Page.load: run a query off the GUI thread, hand its result to a callback on it.
CUSTOM = "Custom…"
MUTED_STYLE = "color: #9ca3af;"


def import_matplotlib() -> None:
    """Import the chart modules (the slowest imports we have) where this runs: off the
    GUI thread, inside a query."""
    import matplotlib.backends.backend_qtagg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    import console.reports.outcome_charts  # noqa: F401


# --- How measures read -------------------------------------------------------------


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
    if m.kind is Kind.HOURS:
        return f"{value:,.0f} h"
    return f"{value:,.0f}"


def measure_note(m: Measure) -> str:
    """The line under a value: out of how many, how many could not be used, the comparison."""
    if not m.available:
        return unavailable_short(m.unavailable or "")
    if m.kind is Kind.HOURS:
        parts = [f"over {m.denominator:,} calls"]
    else:
        parts = [f"{m.numerator:,.0f} of {m.denominator:,} {m.unit}"]
    if m.blank:
        parts.append(f"{m.blank:,} blank")
    line = " · ".join(parts)
    if m.comparison is not None and m.comparison_rate is not None:
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
        box.setContentsMargins(12, 8, 12, 8)
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
        if not self._compact:
            self.value.setText(measure_value(m))
            self.value.setStyleSheet("" if m.available else MUTED_STYLE)
        self.note.setText(measure_note(m))
        self.setToolTip(measure_tooltip(m))


# --- The period ---------------------------------------------------------------------


def qdate_to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class PeriodBar(QWidget):
    """A preset (last 12 months, this year, last year, all) or custom from/to dates."""

    changed = Signal(object)  # the new Period

    def __init__(self, today: Callable[[], dt.date] = dt.date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.combo = QComboBox()
        self.combo.addItems([p.value for p in Preset] + [CUSTOM])
        self.combo.setToolTip("The calls the measures count, by the day they were received")
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.to_label = QLabel("to")
        row.addWidget(QLabel("Period"))
        row.addWidget(self.combo)
        row.addWidget(self.from_edit)
        row.addWidget(self.to_label)
        row.addWidget(self.to_edit)
        self._set_dates(self.period())
        self._show_dates(False)
        self.combo.currentTextChanged.connect(self._preset_changed)
        self.from_edit.dateChanged.connect(self._dates_changed)
        self.to_edit.dateChanged.connect(self._dates_changed)

    def period(self) -> Period:
        text = self.combo.currentText()
        if text == CUSTOM:
            start = qdate_to_date(self.from_edit.date())
            end = qdate_to_date(self.to_edit.date())
            return Period(min(start, end), max(start, end))
        return preset_period(Preset(text), self._today())

    def set_preset(self, preset: Preset | None) -> None:
        """Choose a preset (None: custom dates)."""
        self.combo.setCurrentText(CUSTOM if preset is None else preset.value)

    def set_custom(self, start: dt.date, end: dt.date) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentText(CUSTOM)
        self.combo.blockSignals(False)
        self._show_dates(True)
        self._set_dates(Period(min(start, end), max(start, end)))
        self.changed.emit(self.period())

    def _show_dates(self, shown: bool) -> None:
        for w in (self.from_edit, self.to_label, self.to_edit):
            w.setVisible(shown)

    def _set_dates(self, period: Period) -> None:
        today = self._today()
        for edit, day in ((self.from_edit, period.start or today.replace(month=1, day=1)),
                          (self.to_edit, period.end or today)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _preset_changed(self, text: str) -> None:
        custom = text == CUSTOM
        if not custom:
            self._set_dates(self.period())
        self._show_dates(custom)
        self.changed.emit(self.period())

    def _dates_changed(self) -> None:
        if self.combo.currentText() == CUSTOM:
            self.changed.emit(self.period())


# --- Charts -------------------------------------------------------------------------


class ChartBox(QWidget):
    """A matplotlib canvas made on the first draw (matplotlib is imported by then)."""

    def __init__(self, name: str, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 8, 8, 8)
        self.note = NoteLabel("Loading…")
        self.box.addWidget(self.note, 1)
        self.caption = QLabel(caption)
        self.caption.setObjectName("muted")
        self.caption.setWordWrap(True)
        self.caption.setVisible(bool(caption))
        self.box.addWidget(self.caption)
        self.canvas: FigureCanvasQTAgg | None = None
        self.figure: Figure | None = None

    def loading(self) -> None:
        if self.canvas is None:
            self.note.setText("Loading…")

    def draw(self, draw: Callable[..., object], *args: object) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        if self.canvas is None:
            self.figure = Figure(figsize=(8, 3.5), dpi=100, facecolor="white",
                                 layout="constrained")
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setObjectName(f"{self.objectName()}Canvas")
            self.note.hide()
            self.box.insertWidget(0, self.canvas, 1)
        assert self.figure is not None
        draw(self.figure, *args)
        self.canvas.draw_idle()


class Pct(float):
    """A rate that sorts as a number and reads as a percentage ("—" for none)."""

    @property
    def label(self) -> str:
        return percent(self) if self == self else "—"


def _rate(m: Measure) -> Pct:
    return Pct(m.value if m.value is not None else float("nan"))


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    outcomes: MonthOutcomes
    repeat_30: Measure | None

    @property
    def label(self) -> str:
        return f"{self.month:%b %Y}"


_DEFINED = measure_definitions()
MONTH_COLUMNS: list[Column[MonthRow]] = [
    Column("Month", lambda r: r.month.strftime("%Y-%m")),
    Column("Co-responses", lambda r: r.outcomes.intake.co_responses,
           "Calls the unit attended, planned follow-up visits left out"),
    Column("Resolved", lambda r: _rate(r.outcomes.measure(RESOLVED)), _DEFINED[RESOLVED]),
    Column("Arrests", lambda r: _rate(r.outcomes.measure(CUSTODY)), _DEFINED[CUSTODY]),
    Column("Holds", lambda r: _rate(r.outcomes.measure(HOLDS)), _DEFINED[HOLDS]),
    Column("ED", lambda r: _rate(r.outcomes.measure(ED)), _DEFINED[ED]),
    Column("Patrol hours", lambda r: round(r.outcomes.measure(PATROL_HOURS).value or 0.0),
           _DEFINED[PATROL_HOURS]),
    Column("Repeat 30 d",
           lambda r: _rate(r.repeat_30) if r.repeat_30 is not None else None,
           repeat_definition(30) + " Here by the month of each person's first co-response."),
    Column("All calls", lambda r: r.outcomes.intake.calls,
           "Intake: every call received that month, whoever answered"),
]

# Tiles in reading order; the repeat measures come from repeat_calls_service.
BEFORE_AFTER = "before_after"
AVAILABLE_KEYS = (RESOLVED, CUSTODY, HOLDS, ED, PATROL_HOURS, "repeat_30", "repeat_90",
                  BEFORE_AFTER, "use_of_force", "injury")
UNAVAILABLE_KEYS = ("warm_handoff", "referral_connected", "time_to_first_service",
                    "follow_up_completion", "cost_avoidance")
TILE_COLUMNS = 5


# --- The tab ------------------------------------------------------------------------


class OutcomesView(QWidget):
    """Headline measures, intake beside them, and the charts, for the period it is given."""

    def __init__(self, load: Loader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomesView")
        self.period: Period | None = None
        self._latest = LatestOnly(load)
        self.report: OutcomeReport | None = None
        self.repeats: RepeatRates | None = None
        self.demand: HourOfWeek | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(12)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.tiles: dict[str, MeasureTile] = {}
        for i, key in enumerate(AVAILABLE_KEYS):
            tile = MeasureTile("…")
            tile.setObjectName("tile")
            self.tiles[key] = tile
            grid.addWidget(tile, i // TILE_COLUMNS, i % TILE_COLUMNS)
        first_free = len(AVAILABLE_KEYS)
        row = (first_free + TILE_COLUMNS - 1) // TILE_COLUMNS
        for i, key in enumerate(UNAVAILABLE_KEYS):
            tile = MeasureTile("…", compact=True)
            self.tiles[key] = tile
            grid.addWidget(tile, row + i // TILE_COLUMNS, i % TILE_COLUMNS)
        for c in range(TILE_COLUMNS):
            grid.setColumnStretch(c, 1)
        top.addLayout(grid, 1)

        self.intake = QLabel("…")
        self.intake.setObjectName("intakeCard")
        self.intake.setTextFormat(Qt.TextFormat.RichText)
        self.intake.setWordWrap(True)
        self.intake.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        intake_card = QFrame()
        intake_card.setObjectName("card")
        intake_card.setFixedWidth(230)
        card_box = QVBoxLayout(intake_card)
        card_box.setContentsMargins(12, 10, 12, 10)
        card_box.addWidget(self.intake)
        card_box.addStretch(1)
        intake_card.setToolTip(
            "Intake is volume, not an outcome: how many calls came in, not what became "
            "of them. In scope: the call type was in the activation criteria of the day.")
        top.addWidget(intake_card)
        outer.addLayout(top)

        self.charts = QTabWidget()
        self.charts.setObjectName("outcomeCharts")
        self.trends = ChartBox("trendsChart", "Hollow markers: months with fewer than 20 "
                                              "usable calls (a noisy rate).")
        self.months_table = RecordTable(MONTH_COLUMNS)
        self.months_table.setObjectName("monthsTable")
        self.heat = ChartBox("hourOfWeekChart", DEMAND_DEFINITION)
        self.mix = ChartBox("dispositionChart", MIX_DEFINITION)
        self.charts.addTab(self.trends, "Monthly trends")
        self.charts.addTab(self.months_table, "By month")
        self.charts.addTab(self.heat, "Demand by hour of week")
        self.charts.addTab(self.mix, "Disposition mix")
        outer.addWidget(self.charts, 1)

    # -- loading

    def show_period(self, period: Period) -> None:
        """Load the measures of `period` (results of an earlier period are dropped)."""
        self.period = period
        self._latest.restart()
        for key in AVAILABLE_KEYS:
            self.tiles[key].value.setText("…")
        for box in (self.trends, self.heat, self.mix):
            box.loading()

        def report(access: Access) -> OutcomeReport:
            import_matplotlib()
            return outcome_report(access, period)

        def demand(access: Access) -> HourOfWeek:
            import_matplotlib()
            return demand_by_hour_of_week(access, period)

        self._latest.load(report, self._show_report)
        self._latest.load(lambda access: repeat_rates(access, period), self._show_repeats)
        self._latest.load(demand, self._show_demand)
        self._latest.load(lambda access: before_after(access, period), self._show_before_after)


    def _show_report(self, report: OutcomeReport) -> None:
        from console.reports.outcome_charts import draw_disposition_mix, draw_monthly_outcomes

        self.report = report
        for m in report.measures:
            if m.key in self.tiles:
                self.tiles[m.key].set_measure(m)
        self.intake.setText(intake_html(report))
        self.trends.draw(draw_monthly_outcomes, report.months)
        self.mix.draw(draw_disposition_mix, report.mix)
        self._fill_months()

    def _show_repeats(self, rates: RepeatRates) -> None:
        self.repeats = rates
        for m in rates.measures:
            self.tiles[m.key].set_measure(m)
        self._fill_months()

    def _show_before_after(self, result: BeforeAfter) -> None:
        show_before_after(self.tiles[BEFORE_AFTER], result)

    def _show_demand(self, demand: HourOfWeek) -> None:
        from console.reports.outcome_charts import draw_hour_of_week

        self.demand = demand
        self.heat.draw(draw_hour_of_week, demand)

    def _fill_months(self) -> None:
        if self.report is None:
            return
        repeats: dict[dt.date, Measure] = {}
        if self.repeats is not None:
            repeats = {month: ms[0] for month, ms in self.repeats.months}
        self.months_table.set_rows(
            [MonthRow(m.month, m, repeats.get(m.month)) for m in reversed(self.report.months)])


def _per_person(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def show_before_after(tile: MeasureTile, result: BeforeAfter) -> None:
    """Calls per person in the half year before -> after their first co-response."""
    tile.label.setText("Calls per person, 6 months before → after")
    tile.value.setText(f"{_per_person(result.per_person_before)} → "
                       f"{_per_person(result.per_person_after)}")
    tile.note.setText(f"{result.people:,} people · {result.fewer_after:,} fewer after, "
                      f"{result.more_after:,} more")
    tile.setToolTip(
        f"<b>Calls per person before and after</b><br>{BEFORE_AFTER_DEFINITION}<br><br>"
        f"{result.calls_before:,} calls before and {result.calls_after:,} after, for "
        f"{result.people:,} people; {result.left_out:,} people left out (a window runs "
        "outside the record).")


def intake_html(report: OutcomeReport) -> str:
    i = report.intake
    attended = f"{i.in_scope_attended / i.in_scope:.0%}" if i.in_scope else "—"
    span = ""
    if report.first_call and report.last_call:
        span = (f"<p style='color:#6b7280'>Calls from {report.first_call:%d %b %Y} to "
                f"{report.last_call:%d %b %Y}</p>")
    rows: Sequence[tuple[str, str]] = (
        ("All calls", f"{i.calls:,}"),
        ("In scope", f"{i.in_scope:,}"),
        ("&nbsp;&nbsp;of which attended", attended),
        ("Co-responses", f"{i.co_responses:,}"),
        ("Follow-up visits", f"{i.follow_up_visits:,}"),
    )
    table = "".join(f"<tr><td style='padding:2px 10px 2px 0'>{label}</td>"
                    f"<td align='right'><b>{value}</b></td></tr>" for label, value in rows)
    return (f"<p style='font-weight:600;color:#374151'>INTAKE</p>"
            f"<p style='color:#6b7280'>Volume beside the outcomes, not one of them.</p>"
            f"<table>{table}</table>{span}")
