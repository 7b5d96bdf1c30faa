"""Dashboard: the early-warning indicators of quiet erosion, worst first, and the calls per
week they stand on. A tile opens the indicator's drill-down."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from console.context import AppContext
from console.reports.indicator_style import severity_label, short_date
from console.services.indicators.model import Evaluation, Severity
from console.views.dialogs.form import picked
from console.views.indicator_tile import IndicatorTile, sparkline_image
from console.views.page import Page
from console.views.tasks import TaskControl, TaskHandle, TaskRunner
from console.views.tile_grid import TileGrid
from console.views.weekly_calls_card import WeeklyCallsCard
from console.views.widgets import NoteLabel

if TYPE_CHECKING:
    from console.services.dashboard_service import Overview
    from console.services.indicators.alerts_service import Change

log = logging.getLogger(__name__)
AS_OF_DELAY_MS = 400  # typing a date changes it digit by digit: evaluate once it rests
EVALUATING = "Evaluating indicators…"
BANNER_ITEMS = 5  # the banner names this many; the tiles show the rest


class DashboardPage(Page):
    title = "Dashboard"
    subtitle = (
        "Early warnings of quiet erosion, worst first: each indicator against its own "
        "baseline. Click a tile for its chart, the reasons and the alert's history."
    )

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.banner = ChangesBanner()
        self.layout_.addWidget(self.banner)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        as_of_label = QLabel("As of")
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setObjectName("asOf")
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("d MMM yyyy")
        self.as_of.setMaximumDate(QDate.currentDate())
        self.as_of.setToolTip("Evaluate every indicator as it stood at the end of this day.")
        as_of_label.setBuddy(self.as_of)
        self.today = QToolButton()
        self.today.setText("Today")
        self.today.clicked.connect(lambda: self.as_of.setDate(QDate.currentDate()))
        self.state = QLabel("")
        self.state.setObjectName("muted")
        self.state.setWordWrap(True)
        for w in (as_of_label, self.as_of, self.today):
            bar.addWidget(w)
        bar.addWidget(self.state, 1)
        self.layout_.addLayout(bar)
        self._as_of_timer = QTimer(self)
        self._as_of_timer.setSingleShot(True)
        self._as_of_timer.setInterval(AS_OF_DELAY_MS)
        self._as_of_timer.timeout.connect(self.evaluate)
        self.as_of.dateChanged.connect(lambda _d: self._as_of_timer.start())

        self.tiles = TileGrid(max_columns=4, spacing=12)
        self.layout_.addWidget(self.tiles)
        self.note = NoteLabel(EVALUATING)
        self.layout_.addWidget(self.note)
        self.weekly = WeeklyCallsCard()
        self.layout_.addWidget(self.weekly, 1)

        self._tiles: dict[str, IndicatorTile] = {}
        self.evaluations: list[Evaluation] = []
        self.evaluated_as_of: dt.date | None = None  # the day the tiles show
        self._running: TaskHandle | None = None
        self._generation = 0
        self._looked = False  # the first evaluation (today) tells what became worse

    # -- loading
    def first_activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.evaluate()
        self._load_weekly_calls()

    def as_of_date(self) -> dt.date:
        return picked(self.as_of)

    def evaluate(self) -> None:
        """Evaluate every indicator as of the chosen day, off the GUI thread; a newer
        request supersedes one still running."""
        from console.services.indicators.engine import evaluate_all

        if self._running is not None and not self._running.finished:
            self._running.cancel()
        self._generation += 1
        generation = self._generation
        access, as_of = self.ctx.access, self.as_of_date()
        ratio = self.devicePixelRatioF()
        self.state.setText(EVALUATING)
        if not self._tiles:
            self.note.setText(EVALUATING)
            self.note.show()

        def work(control: TaskControl) -> tuple[list[Evaluation], dict[str, QImage]]:
            evaluations = evaluate_all(access, as_of)
            images: dict[str, QImage] = {}
            for e in evaluations:
                control.check()
                images[e.id] = sparkline_image(e, ratio)
            return evaluations, images

        self._running = self.tasks.run(
            work, lambda result: self._evaluated(generation, as_of, *result),
            lambda exc: self._failed(generation, exc), owner=self)

    def _evaluated(self, generation: int, as_of: dt.date, evaluations: list[Evaluation],
                   images: dict[str, QImage]) -> None:
        if generation != self._generation:
            return  # a later date was asked for meanwhile
        self.evaluations = evaluations
        self.evaluated_as_of = as_of
        self._show_tiles(evaluations, images)
        self.note.setVisible(not evaluations)
        self.note.setText("No indicators to evaluate yet.")
        self.state.setText(summary(evaluations))
        if not self._looked and as_of == dt.date.today():
            self._looked = True
            self._tell_what_became_worse(evaluations)

    def _failed(self, generation: int, exc: BaseException) -> None:
        from console.errors import UserError
        from console.views.tasks import Cancelled

        if generation != self._generation or isinstance(exc, Cancelled):
            return
        reason = exc.message if isinstance(exc, UserError) else "see the log file"
        shown = self.evaluated_as_of
        self.state.setText(f"The tiles still show {short_date(shown)}." if shown else "")
        self.note.setText(f"The indicators could not be evaluated: {reason}.")
        self.note.show()

    def _show_tiles(self, evaluations: list[Evaluation], images: dict[str, QImage]) -> None:
        """The tiles in the order given (worst first); a tile already shown keeps its
        widget, and with it the keyboard focus."""
        grid = self.tiles.grid
        while grid.count():
            grid.takeAt(0)
        shown = {e.id for e in evaluations}
        for gone in set(self._tiles) - shown:
            self._tiles.pop(gone).deleteLater()
        for e in evaluations:
            tile = self._tiles.get(e.id)
            if tile is None:
                tile = IndicatorTile(e)
                tile.opened.connect(self.open_indicator)
                self._tiles[e.id] = tile
            tile.set_evaluation(e, images.get(e.id))
            grid.addWidget(tile)
        previous: QWidget = self.today
        for e in evaluations:  # Tab follows the tiles as they read, worst first
            QWidget.setTabOrder(previous, self._tiles[e.id])
            previous = self._tiles[e.id]
        grid.invalidate()
        self.tiles.updateGeometry()

    def tile(self, indicator_id: str) -> IndicatorTile:
        return self._tiles[indicator_id]

    def tiles_in_order(self) -> list[IndicatorTile]:
        grid = self.tiles.grid
        items = (grid.itemAt(i) for i in range(grid.count()))
        return [w for item in items if item is not None
                if isinstance(w := item.widget(), IndicatorTile)]

    def _load_weekly_calls(self) -> None:
        from console.services.dashboard_service import dashboard_overview

        access = self.ctx.access

        def work(control: TaskControl) -> Overview:
            # Import matplotlib here, off the GUI thread: it is the slowest import we have.
            import matplotlib.backends.backend_qtagg  # noqa: F401
            import matplotlib.figure  # noqa: F401

            control.check()
            return dashboard_overview(access)

        self.tasks.run(work, self.weekly.show_overview, lambda _exc: self.weekly.show_failure(),
                       owner=self)

    # -- what became worse since the last look
    def _tell_what_became_worse(self, evaluations: list[Evaluation]) -> None:
        from console.services.indicators.alerts_service import (
            changes_since_last_look,
            mark_seen,
        )

        access = self.ctx.access

        def work(_control: TaskControl) -> list[Change]:
            changes = changes_since_last_look(access, evaluations)
            mark_seen(access, evaluations)
            return changes

        def failed(exc: BaseException) -> None:  # the tiles say it all the same
            log.warning("could not tell what became worse since the last look: %s", exc)

        self.tasks.run(work, self.banner.show_changes, failed, writes=True, owner=self)

    # -- the drill-down
    def open_indicator(self, indicator_id: str) -> None:
        from console.views.dialogs.indicator_detail import IndicatorDetailDialog

        tile = self._tiles[indicator_id]
        dialog = IndicatorDetailDialog(self.ctx.access, self.tasks, tile.evaluation, self)
        dialog.changed.connect(self._changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.detail = dialog
        dialog.open()

    def _changed(self, e: Evaluation) -> None:
        """An acknowledgement or new thresholds: the tile shows what the dialog shows."""
        tile = self._tiles.get(e.id)
        if tile is None:
            return
        self.evaluations = [e if old.id == e.id else old for old in self.evaluations]
        tile.set_evaluation(e, sparkline_image(e, self.devicePixelRatioF()))


def summary(evaluations: list[Evaluation]) -> str:
    """"11 indicators evaluated: 2 critical, 1 warning, 8 OK."."""
    counts = {s: sum(1 for e in evaluations if e.severity is s) for s in Severity}
    parts = [f"{counts[s]} {severity_label(s).lower() if s is not Severity.OK else 'OK'}"
             for s in sorted(Severity, reverse=True) if counts[s]]
    return f"{len(evaluations)} indicators evaluated: {', '.join(parts)}." if parts else ""


class ChangesBanner(QFrame):
    """What became worse since this user last looked; hidden until there is something."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        self.text = QLabel()
        self.text.setObjectName("bannerText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.text, 1)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setToolTip("Hide this note; the tiles keep the same news.")
        self.dismiss.clicked.connect(self.hide)
        row.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.changes: list[Change] = []
        self.hide()

    def show_changes(self, changes: list[Change]) -> None:
        self.changes = list(changes)
        if not changes:
            self.hide()
            return
        self.text.setText(banner_html(self.changes))
        self.setToolTip(banner_tooltip(self.changes))
        self.show()


def banner_html(changes: list[Change]) -> str:
    """One short paragraph: which indicators, how bad now, how bad before (the tiles and
    the tooltip carry the reasons)."""
    from html import escape

    first_look = all(c.before is None for c in changes)
    n = len(changes)
    if first_look:
        head = f"{n} indicator{'s are' if n > 1 else ' is'} flagged (your first look):"
    else:
        head = (f"{n} indicator{'s' if n > 1 else ''} became worse since you last looked:")
    items = []
    for c in changes[:BANNER_ITEMS]:
        was = "" if c.before is None else f" (was {severity_label(c.before)})"
        items.append(f"<b>{escape(c.title)}</b>: {severity_label(c.now)}{was}")
    more = f", and {n - BANNER_ITEMS} more" if n > BANNER_ITEMS else ""
    return f"{escape(head)} {' · '.join(items)}{more}."


def banner_tooltip(changes: list[Change]) -> str:
    from html import escape

    return "<br><br>".join(f"<b>{escape(c.title)}</b>: {escape(c.explanation)}"
                           for c in changes)
