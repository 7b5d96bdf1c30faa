"""The Outcomes tab of Calls & outcomes: the headline measures over a period, intake beside
them, and the charts (monthly trends, a by-month table, demand by hour of week, dispositions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
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
    Measure,
    MonthOutcomes,
    OutcomeReport,
    demand_by_hour_of_week,
    measure_definitions,
    outcome_report,
)
from console.services.populations import Period
from console.services.repeat_calls_service import (
    BeforeAfter,
    RepeatRates,
    before_after,
    repeat_definition,
    repeat_rates,
)
from console.views.latest import LatestOnly, Loader
from console.views.measure_tile import MeasureTile, percent, show_before_after
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tile_grid import TileGrid
from console.views.widgets import NoteLabel, scroll_area, text_width

if TYPE_CHECKING:  # matplotlib loads off the GUI thread, with the first result
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    from console.services.access import Access


def import_matplotlib() -> None:
    """Import the chart modules (the slowest imports we have) where this runs: off the
    GUI thread, inside a query."""
    import matplotlib.backends.backend_qtagg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    import console.reports.outcome_charts  # noqa: F401


# --- Charts -------------------------------------------------------------------------

# The lowest a chart may get and stay readable (the page scrolls instead); the trends
# stack three panels.
CHART_MIN_HEIGHT = 260
TRENDS_MIN_HEIGHT = 340


class ChartBox(QWidget):
    """A matplotlib canvas made on the first draw (matplotlib is imported by then)."""

    def __init__(self, name: str, caption: str = "", parent: QWidget | None = None, *,
                 min_height: int = CHART_MIN_HEIGHT) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.min_height = min_height
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 8, 8, 8)
        self.note = NoteLabel("Loading…")
        self.note.setMinimumHeight(min_height)
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
            self.canvas.setMinimumHeight(self.min_height)
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
                  BEFORE_AFTER, "use_of_force", "injury", "cost_avoidance")
UNAVAILABLE_KEYS = ("warm_handoff", "referral_connected", "time_to_first_service",
                    "follow_up_completion")
TILE_COLUMNS = 5
INTAKE_CHARS = 30  # the intake card's width, in characters


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

        body = QWidget()
        body.setObjectName("outcomesBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(12)
        # As many columns as the width holds: five on a wide screen, fewer on a laptop.
        self.tile_grid = TileGrid(max_columns=TILE_COLUMNS)
        self.tiles: dict[str, MeasureTile] = {}
        for key in AVAILABLE_KEYS:
            self.tiles[key] = MeasureTile("…")
            self.tile_grid.add(self.tiles[key])
        self.tile_grid.start_new_row()
        for key in UNAVAILABLE_KEYS:
            self.tiles[key] = MeasureTile("…", compact=True)
            self.tile_grid.add(self.tiles[key])
        top.addWidget(self.tile_grid, 1)

        self.intake = QLabel("…")
        self.intake.setObjectName("intakeCard")
        self.intake.setTextFormat(Qt.TextFormat.RichText)
        self.intake.setWordWrap(True)
        self.intake.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        intake_card = QFrame()
        intake_card.setObjectName("card")
        intake_card.setFixedWidth(text_width(intake_card, INTAKE_CHARS))
        card_box = QVBoxLayout(intake_card)
        card_box.setContentsMargins(12, 10, 12, 10)
        card_box.addWidget(self.intake)
        card_box.addStretch(1)
        intake_card.setToolTip(
            "Intake is volume, not an outcome: how many calls came in, not what became "
            "of them. In scope: the call type was in the activation criteria of the day.")
        top.addWidget(intake_card, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)

        self.charts = QTabWidget()
        self.charts.setObjectName("outcomeCharts")
        self.trends = ChartBox("trendsChart", "Hollow markers: months with fewer than 20 "
                                              "usable calls (a noisy rate).",
                               min_height=TRENDS_MIN_HEIGHT)
        self.months_table = RecordTable(MONTH_COLUMNS)
        self.months_table.setObjectName("monthsTable")
        self.heat = ChartBox("hourOfWeekChart", DEMAND_DEFINITION)
        self.mix = ChartBox("dispositionChart", MIX_DEFINITION)
        self.charts.addTab(self.trends, "Monthly trends")
        self.charts.addTab(self.months_table, "By month")
        # Short titles: the four tabs fit whole on one line in the narrowest window.
        index = self.charts.addTab(self.heat, "Hour of week")
        self.charts.setTabToolTip(index, "Demand: calls in each hour of the week")
        self.charts.addTab(self.mix, "Disposition mix")
        outer.addWidget(self.charts, 1)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll_area(body, "outcomesScroll"))

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
