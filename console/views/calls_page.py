"""Calls & outcomes: the outcome measures (the default tab), repeat calls, and every call the
unit touched, searchable and sortable at any size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.context import AppContext
from console.services.access import Action
from console.views.calls_table_model import (
    COL_ACTIVATION,
    COL_BEAT,
    COL_CALL_TYPE,
    COL_DISPOSITION,
    COL_IN_SCOPE,
    COL_INCIDENT,
    COL_PRIORITY,
    COL_RECEIVED,
    COL_RESPONDERS,
    CallsTableModel,
)
from console.views.outcomes_view import OutcomesView
from console.views.page import Page
from console.views.period_bar import PeriodBar
from console.views.repeat_calls_view import RepeatCallsView
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.calls_service import CallRow
    from console.services.referrals.records import ProviderChoice

TAB_OUTCOMES, TAB_REPEAT, TAB_CALLS = range(3)

FILTER_DELAY_MS = 250
PERIOD_GAP = 16  # between the last tab and the period in the tab bar's corner
# Starting widths: the text a column must show whole (the responders column stretches).
_COLUMN_SAMPLES = {
    COL_RECEIVED: "2026-12-31 23:59",
    COL_INCIDENT: "PAPD-26-0000000",
    COL_CALL_TYPE: "Intoxicated person",
    COL_PRIORITY: "Pri",
    COL_ACTIVATION: "Patrol request",
    COL_DISPOSITION: "Voluntary transport",
    COL_IN_SCOPE: "In scope",
    COL_BEAT: "Beat",
    COL_RESPONDERS: "Dana Sandoval, Lena Brennan",
}


class CallsPage(Page):
    title = "Calls & outcomes"
    subtitle = (
        "What became of the calls the unit answered: resolved on scene, custody, holds, "
        "repeat calls and patrol time returned, for the period you choose; hover a measure "
        "for its definition. Repeat calls follows people and addresses; Calls lists every "
        "call, searchable and sortable."
    )
    scrolls = False  # the Outcomes and Repeat calls tabs scroll; the Calls table scrolls

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("callsTabs")
        self.tabs.setDocumentMode(True)
        self.period_bar = PeriodBar()
        self.tabs.setCornerWidget(self.period_bar, Qt.Corner.TopRightCorner)
        # Where the tab bar and the period do not fit on one line, the period goes above.
        self.period_row = QWidget()
        self.period_row.setObjectName("periodRow")
        self._period_row_box = QHBoxLayout(self.period_row)
        self._period_row_box.setContentsMargins(0, 0, 0, 0)
        self._period_row_box.addStretch(1)
        self._empty_corner = QWidget()
        self.period_row.hide()
        self.layout_.addWidget(self.period_row)
        self.outcomes = OutcomesView(self.load)
        self.repeats = RepeatCallsView(self.load, ctx.access)
        calls_tab = QWidget()
        calls_box = QVBoxLayout(calls_tab)
        calls_box.setContentsMargins(0, 8, 0, 0)
        calls_box.setSpacing(12)
        self.tabs.addTab(self.outcomes, "Outcomes")
        self.tabs.addTab(self.repeats, "Repeat calls")
        self.tabs.addTab(calls_tab, "Calls")
        self.layout_.addWidget(self.tabs, 1)
        self._shown_period: dict[int, object] = {}
        self.period_bar.changed.connect(self._period_changed)
        self.period_bar.changed.connect(lambda _p: self._place_period_bar())
        self.tabs.installEventFilter(self)
        self.tabs.currentChanged.connect(self._tab_changed)

        self.model = CallsTableModel(ctx.access, tasks, self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by incident, call type, disposition, beat…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            "Every word must match the incident number, a call type, the disposition, "
            "the activation, or the precinct, sector or beat"
        )
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self._apply_filter)

        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.reload_button = QPushButton("Reload")
        self.reload_button.setToolTip("Read the calls again from the database (F5)")
        self.reload_button.clicked.connect(self.model.reload)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.model.reload)

        bar = QHBoxLayout()
        bar.setSpacing(12)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.status)
        bar.addWidget(self.reload_button)
        # Quick entry: a referral of the selected call's person (responders and above).
        self.refer_button: QPushButton | None = None
        if ctx.access.allows(Action.EDIT_IDENTITIES):
            self.refer_button = QPushButton("Record referral…")
            self.refer_button.setObjectName("recordReferral")
            self.refer_button.setToolTip("Refer the person on the selected call to a provider "
                                         "(also in the row's right-click menu)")
            self.refer_button.setEnabled(False)
            self.refer_button.clicked.connect(self.record_referral)
            bar.addWidget(self.refer_button)
        calls_box.addLayout(bar)

        self.table = QTableView()
        self.table.setObjectName("callsTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("Pri") + 24)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = self.table.fontMetrics()
        for column, sample in _COLUMN_SAMPLES.items():
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 28)
        # The indicator shows the model's sort before sorting is enabled, so enabling it
        # does not ask the model to sort (and load) anything yet.
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_indicator_on_sortable_column)
        calls_box.addWidget(self.table, 1)
        if self.refer_button is not None:
            self.table.selectionModel().selectionChanged.connect(self._selection_changed)
            self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            self.table.customContextMenuRequested.connect(self._call_menu)

        self._failure = ""
        self.model.loading_changed.connect(self._loading_changed)
        self.model.total_changed.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.model.modelReset.connect(self._update_status)
        self.model.load_failed.connect(self._show_failure)

    def first_activate(self) -> None:
        self.model.reload()
        self._tab_changed(self.tabs.currentIndex())

    def _period_changed(self, _period: object) -> None:
        self._tab_changed(self.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        """Load the current tab for the chosen period, once per period (the period applies
        to Outcomes and Repeat calls; the Calls table lists everything)."""
        self._show_period_bar(index != TAB_CALLS)
        period = self.period_bar.period()
        if not self._activated or self._shown_period.get(index) == period:
            return
        if index == TAB_OUTCOMES:
            self.outcomes.show_period(period)
        elif index == TAB_REPEAT:
            self.repeats.show_period(period)
        else:
            return
        self._shown_period[index] = period

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.tabs and event.type() == QEvent.Type.Resize:
            self._place_period_bar()
        return False

    def _place_period_bar(self) -> None:
        """The period in the corner of the tab bar when both fit whole on one line (the
        tab titles would be cut otherwise), or on a line of its own above the tabs."""
        room = self.tabs.width() - self.tabs.tabBar().sizeHint().width() - PERIOD_GAP
        in_corner = self.tabs.cornerWidget(Qt.Corner.TopRightCorner) is self.period_bar
        fits = self.period_bar.sizeHint().width() <= room
        if fits and not in_corner:
            self._period_row_box.removeWidget(self.period_bar)
            self.tabs.setCornerWidget(self.period_bar, Qt.Corner.TopRightCorner)
        elif not fits and in_corner:
            self.tabs.setCornerWidget(self._empty_corner, Qt.Corner.TopRightCorner)
            self._period_row_box.addWidget(self.period_bar)
        else:
            return
        self._show_period_bar(self.tabs.currentIndex() != TAB_CALLS)

    def _show_period_bar(self, shown: bool) -> None:
        self.period_bar.setVisible(shown)
        in_corner = self.tabs.cornerWidget(Qt.Corner.TopRightCorner) is self.period_bar
        self.period_row.setVisible(shown and not in_corner)

    # --- a referral from a call ----------------------------------------------------------
    def _selection_changed(self) -> None:
        if self.refer_button is not None:
            self.refer_button.setEnabled(self.table.selectionModel().hasSelection())

    def _call_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self.table)
        menu.addAction("Record referral…", self.record_referral)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def record_referral(self) -> None:
        """Open the referral form for the selected call (providers loaded off the GUI thread)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        call = self.model.row_at(rows[0].row())
        from console.services.referrals.records import active_providers

        self.load(active_providers, lambda providers: self._open_referral(call, providers))

    def _open_referral(self, call: CallRow, providers: list[ProviderChoice]) -> None:
        from console.views.dialogs.referral_forms import ReferralDialog

        self.referral_dialog = ReferralDialog(
            self.ctx.access, self.tasks, self._referral_recorded, providers, call_id=call.id,
            incident=call.incident_number, received=call.received_at, parent=self)
        self.referral_dialog.show()

    def _referral_recorded(self) -> None:
        """The outcome measures changed: the current tab loads again, the others when shown."""
        self._shown_period.clear()
        self._tab_changed(self.tabs.currentIndex())
        self.data_changed.emit()

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter(self.filter_edit.text())

    def _keep_indicator_on_sortable_column(self, column: int, _order: Qt.SortOrder) -> None:
        if column != self.model.sort_column():  # e.g. Responders: put the arrow back
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            header.blockSignals(False)

    def _loading_changed(self, loading: bool) -> None:
        if loading:
            self._failure = ""
        self._update_status()

    def _show_failure(self, message: str) -> None:
        self._failure = message
        self._update_status()

    def _update_status(self) -> None:
        model = self.model
        shown, total, text = model.rowCount(), model.total, model.query.text
        matching = f" matching “{text}”" if text else ""
        if self._failure:
            self.status.setText(self._failure)
        elif shown == 0 and model.loading:
            self.status.setText("Loading…")
        elif shown == 0 and total == 0:
            self.status.setText(f"No calls{matching}" if text else
                                "No calls yet: they arrive with CAD import")
        elif total is None:
            self.status.setText(f"Showing {shown:,} calls{matching} (counting…)")
        else:
            self.status.setText(f"Showing {shown:,} of {total:,} calls{matching}")
