"""The drill-down of one indicator: its chart, why it stands where it does, how it is
judged, and the history of its alerts; acknowledging and (for a supervisor) moving its
thresholds from here."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.reports.indicator_style import (
    severity_label,
    severity_line,
    short_date,
    statistic_number,
    with_unit,
)
from console.services.indicators.model import AlertEpisode, Evaluation, Marker
from console.views.dialogs.indicator_actions import AcknowledgeDialog, ThresholdsDialog
from console.views.indicator_tile import acknowledgement_text, set_badge
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskControl, TaskRunner
from console.views.weekly_calls_card import legend_columns
from console.views.widgets import scroll_area
from console.views.window_placement import fit_to_screen

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    from console.services.access import Access

PREFERRED = QSize(1040, 900)
CHART_HEIGHT = 400


def _acknowledgements(episode: AlertEpisode) -> str:
    return "; ".join(acknowledgement_text(a) for a in episode.acknowledgements) or "not yet"


HISTORY_COLUMNS: list[Column[AlertEpisode]] = [
    Column("Started", lambda a: a.started, "The Monday of the alert's first week"),
    Column("Ended", lambda a: a.ended or "still on",
           "The Monday of the first week back to OK"),
    Column("Worst", lambda a: severity_label(a.peak)),
    Column("Acknowledged", _acknowledgements),
]


def thresholds_words(e: Evaluation) -> str:
    t = e.thresholds
    side = "or above" if t.above else "or below"
    return (f"{e.statistic_label} at {statistic_number(t.watch, e)} {side}: watch; "
            f"at {statistic_number(t.warning, e)}: warning; "
            f"at {statistic_number(t.critical, e)}: critical.")


def marker_caption(markers: list[Marker]) -> str:
    return "<br>".join(
        f"<b>{n}</b> · {short_date(m.on)} · {escape(m.kind.label)}: {escape(m.title)}"
        for n, m in enumerate(markers, start=1))


class IndicatorDetailDialog(QDialog):
    """`changed` carries the indicator evaluated again after an acknowledgement or new
    thresholds, so the tile can follow."""

    changed = Signal(object)

    def __init__(self, access: Access, tasks: TaskRunner, e: Evaluation,
                 parent: QWidget | None = None) -> None:
        from console.services.access import Action

        super().__init__(parent)
        self.access, self.tasks, self.evaluation = access, tasks, e
        self.setWindowTitle(f"Indicator: {e.title}")
        fit_to_screen(self, PREFERRED)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 8)
        body = QWidget()
        outer.addWidget(scroll_area(body, "detailScroll"), 1)
        box = QVBoxLayout(body)
        box.setContentsMargins(18, 14, 18, 6)
        box.setSpacing(10)

        head = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("dialogTitle")
        self.heading.setWordWrap(True)
        head.addWidget(self.heading, 1)
        self.badge = QLabel()
        self.badge.setObjectName("severityBadge")
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(head)
        self.explanation = QLabel()
        self.explanation.setObjectName("explanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.explanation)

        facts = QGridLayout()
        facts.setHorizontalSpacing(14)
        facts.setVerticalSpacing(4)
        self.facts: dict[str, QLabel] = {}
        for row, name in enumerate(("Now", "Baseline", "Severity", "Acknowledged",
                                    "Rule", "Thresholds", "Why it matters")):
            label = QLabel(name)
            label.setObjectName("muted")
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addWidget(label, row, 0)
            facts.addWidget(value, row, 1)
            self.facts[name] = value
        facts.setColumnStretch(1, 1)
        box.addLayout(facts)

        self.chart_card = QFrame()
        self.chart_card.setObjectName("card")
        chart_box = QVBoxLayout(self.chart_card)
        chart_box.setContentsMargins(8, 8, 8, 8)
        self.chart_box = chart_box
        self.markers = QLabel()
        self.markers.setObjectName("muted")
        self.markers.setWordWrap(True)
        self.markers.setTextFormat(Qt.TextFormat.RichText)
        chart_box.addWidget(self.markers)
        box.addWidget(self.chart_card)
        self.canvas: FigureCanvasQTAgg | None = None
        self._legend_columns: int | None = None

        history_title = QLabel("Alert history")
        history_title.setObjectName("sectionTitle")
        box.addWidget(history_title)
        self.history_note = QLabel("Loading the alert history…")
        self.history_note.setObjectName("muted")
        box.addWidget(self.history_note)
        self.history = RecordTable(HISTORY_COLUMNS)
        self.history.setObjectName("alertHistory")
        self.history.setWordWrap(True)
        self.history.keep_rows(4)
        box.addWidget(self.history)
        self.episodes: list[AlertEpisode] = []
        self.action_dialog: QDialog | None = None  # the acknowledgement or thresholds open

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.acknowledge_button: QPushButton | None = None
        self.thresholds_button: QPushButton | None = None
        if access.allows(Action.ACKNOWLEDGE_ALERTS):
            self.acknowledge_button = QPushButton("Acknowledge…")
            self.acknowledge_button.setObjectName("acknowledge")
            self.acknowledge_button.clicked.connect(self.acknowledge)
            self.buttons.addButton(self.acknowledge_button,
                                   QDialogButtonBox.ButtonRole.ActionRole)
        if access.allows(Action.EDIT_SETTINGS):
            self.thresholds_button = QPushButton("Thresholds…")
            self.thresholds_button.setObjectName("thresholds")
            self.thresholds_button.clicked.connect(self.edit_thresholds)
            self.buttons.addButton(self.thresholds_button,
                                   QDialogButtonBox.ButtonRole.ActionRole)
        button_row = QHBoxLayout()
        button_row.setContentsMargins(18, 0, 18, 0)
        button_row.addWidget(self.buttons)
        outer.addLayout(button_row)

        self.show_evaluation(e)
        self.load_history()

    # -- what it shows
    def show_evaluation(self, e: Evaluation) -> None:
        self.evaluation = e
        self.heading.setText(e.title)
        set_badge(self.badge, e)
        self.explanation.setText(e.explanation)
        baseline = with_unit(e.baseline, e) if e.baseline is not None else "none"
        self.facts["Now"].setText(with_unit(e.value, e)
                                  + (f" (as of {short_date(e.as_of)})" if e.as_of else ""))
        self.facts["Baseline"].setText(f"{baseline}: {e.baseline_note}" if e.baseline_note
                                       else baseline)
        self.facts["Severity"].setText(severity_line(e))
        ack = e.acknowledgement
        self.facts["Acknowledged"].setText(acknowledgement_text(ack).removeprefix(
            "Acknowledged ") if ack else "not yet")
        self.facts["Rule"].setText(e.rule)
        self.facts["Thresholds"].setText(thresholds_words(e))
        self.facts["Why it matters"].setText(e.why)
        if self.acknowledge_button is not None:
            flagged = e.flagged_since is not None
            self.acknowledge_button.setEnabled(flagged)
            self.acknowledge_button.setToolTip(
                "Note what is being done about this alert." if flagged
                else "Nothing to acknowledge: the indicator is not flagged.")
        self._draw(None)

    def _draw(self, columns: int | None) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        from console.reports.indicator_charts import draw_drilldown

        if self.canvas is None:
            self.figure = Figure(figsize=(9, 4), dpi=100, facecolor="white",
                                 layout="constrained")
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setObjectName("indicatorChart")
            self.canvas.setMinimumHeight(CHART_HEIGHT)
            self.canvas.installEventFilter(self)
            self.chart_box.insertWidget(0, self.canvas)
        if columns is None:
            columns = legend_columns(self.width() - 60)
        self._legend_columns = columns
        marked = draw_drilldown(self.figure, self.evaluation, columns)
        self.markers.setText(marker_caption(marked))
        self.markers.setVisible(bool(marked))
        self.canvas.draw_idle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.canvas and event.type() == QEvent.Type.Resize:
            columns = legend_columns(self.canvas.width())
            if columns != self._legend_columns:
                self._draw(columns)
        return False

    def load_history(self) -> None:
        from console.services.indicators.alerts_service import alert_history

        access, e = self.access, self.evaluation

        def work(_control: TaskControl) -> list[AlertEpisode]:
            return alert_history(access, e)

        def failed(_exc: BaseException) -> None:
            self.history_note.setText("The alert history could not be loaded; see the log.")
            self.history_note.show()

        self.tasks.run(work, self._show_history, failed, owner=self)

    def _show_history(self, episodes: list[AlertEpisode]) -> None:
        self.episodes = list(episodes)
        self.history.set_rows(self.episodes)
        self.history.resizeRowsToContents()
        self.history_note.setText("No alerts so far." if not episodes else "")
        self.history_note.setVisible(not episodes)

    # -- what the user does
    def acknowledge(self) -> None:
        dialog = AcknowledgeDialog(self.access, self.tasks, self.evaluation, self)
        dialog.accepted.connect(self.reload)
        self.action_dialog = dialog
        dialog.open()

    def edit_thresholds(self) -> None:
        dialog = ThresholdsDialog(self.access, self.tasks, self.evaluation, self)
        dialog.accepted.connect(self.reload)
        self.action_dialog = dialog
        dialog.open()

    def reload(self) -> None:
        """Evaluate the indicator again (same day) and its history, after a change."""
        from console.services.indicators.engine import evaluate_one

        access, e = self.access, self.evaluation

        def work(_control: TaskControl) -> Evaluation:
            return evaluate_one(access, e.id, e.as_of)

        def done(fresh: Evaluation) -> None:
            self.show_evaluation(fresh)
            self.load_history()
            self.changed.emit(fresh)

        self.tasks.run(work, done, owner=self)
