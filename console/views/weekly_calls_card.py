"""The Dashboard's card of calls per week over the life of the program, with the events
that shaped it: the context under the indicator tiles (intake volume, never a headline)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QVBoxLayout, QWidget

from console.views.widgets import NoteLabel, text_width

if TYPE_CHECKING:  # matplotlib loads off the GUI thread, after the first paint
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    from console.services.dashboard_service import Overview
    from console.services.program_service import ProgramEventRow

CHART_MIN_HEIGHT = 280  # the page scrolls rather than squash the chart below this
EVENT_LIST_CHARS = 34  # the width of the list of events beside the chart
CHART_MIN_CHARS = 80  # narrower than this, the list of events goes under the chart
QWIDGETSIZE_MAX = (1 << 24) - 1
# The chart's legend in columns by the chart's width (pixels: matplotlib's fonts are in
# points at the figure's 100 dpi, whatever the screen's scale).
LEGEND_COLUMNS = ((900, 5), (600, 3), (0, 2))


class WeeklyCallsCard(QFrame):
    """The chart beside (or, when narrow, above) the numbered list of its events."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        row.setContentsMargins(12, 12, 12, 12)
        self.chart_row = row
        self.chart_box = QVBoxLayout()
        title = QLabel("Calls per week")
        title.setObjectName("sectionTitle")
        self.chart_box.addWidget(title)
        self.status = NoteLabel("Loading the weekly call series…")
        self.status.setMinimumHeight(CHART_MIN_HEIGHT)
        self.chart_box.addWidget(self.status)
        row.addLayout(self.chart_box, 1)
        self.event_list = QLabel()
        self.event_list.setObjectName("eventList")
        self.event_list.setWordWrap(True)
        self._events_width = text_width(self.event_list, EVENT_LIST_CHARS)
        self._chart_min_width = text_width(self.event_list, CHART_MIN_CHARS)
        self.event_list.setFixedWidth(self._events_width)
        self.event_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.event_list.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.event_list)
        self.installEventFilter(self)
        self.canvas: FigureCanvasQTAgg | None = None
        self._legend_columns: int | None = None
        self.overview: Overview | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            if watched is self:
                self._place_event_list(self.width())
            elif watched is self.canvas:
                self._fit_legend()
        return False

    def _fit_legend(self) -> None:
        """Draw the chart again when its width calls for another number of legend columns
        (a legend wider than the chart squeezes the chart itself to nothing)."""
        if self.canvas is None or self.overview is None:
            return
        columns = legend_columns(self.canvas.width())
        if columns != self._legend_columns:
            self._draw_chart(columns)

    def _draw_chart(self, legend_columns: int) -> list[ProgramEventRow]:
        from console.reports.charts import draw_weekly_calls

        assert self.canvas is not None and self.overview is not None
        self._legend_columns = legend_columns
        marked = draw_weekly_calls(self.figure, self.overview.weekly_calls,
                                   self.overview.events, legend_columns)
        self.canvas.draw_idle()
        return marked

    def _place_event_list(self, width: int) -> None:
        """The list of events beside the chart, or under it when the chart would be too
        narrow to read beside it."""
        beside = width >= self._events_width + self._chart_min_width
        direction = QBoxLayout.Direction.LeftToRight if beside else \
            QBoxLayout.Direction.TopToBottom
        if self.chart_row.direction() != direction:
            self.chart_row.setDirection(direction)
            if beside:
                self.event_list.setFixedWidth(self._events_width)
            else:
                self.event_list.setMinimumWidth(0)
                self.event_list.setMaximumWidth(QWIDGETSIZE_MAX)

    def show_failure(self) -> None:
        self.status.setText("The weekly call series could not be loaded; see the log file.")
        self.status.show()

    def show_overview(self, overview: Overview) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        if self.canvas is None:
            self.figure = Figure(figsize=(8, 4), dpi=100, facecolor="white", layout="constrained")
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setObjectName("weeklyCallsChart")
            self.canvas.setMinimumHeight(CHART_MIN_HEIGHT)
            self.canvas.installEventFilter(self)
            self.chart_box.addWidget(self.canvas, 1)
        self.overview = overview
        # The width the canvas has, or will have: a new one is not laid out yet (its
        # figure's 800 px), and a legend fitted to that would be drawn again at once.
        marked = self._draw_chart(legend_columns(self.chart_box.geometry().width()))
        self.event_list.setText(event_caption(marked))
        self.status.hide()


def legend_columns(width: int) -> int:
    """How many columns the chart's legend takes at this width."""
    return next(columns for least, columns in LEGEND_COLUMNS if width >= least)


def event_caption(events: list[ProgramEventRow]) -> str:
    """The numbered list that explains the markers on the chart."""
    if not events:
        return ""
    items = "".join(
        f"<tr><td style='padding:0 6px 6px 0'><b>{n}</b></td>"
        f"<td style='padding-bottom:6px'>{e.occurred_on:%d %b %Y} · {escape(e.kind.label)}"
        f"<br><span style='color:#4b5563'>{escape(e.title)}</span></td></tr>"
        for n, e in enumerate(events, start=1)
    )
    return f"<p style='font-weight:600'>Events on the chart</p><table>{items}</table>"
