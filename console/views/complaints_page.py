"""Complaints: the queue with its deadlines (overdue first), one case at a time, and the
measures. Cases are for the supervisor, the director and the assigned reviewer; everyone
else sees the measures only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.context import AppContext
from console.data.enums import UserRole
from console.services.access import Action
from console.services.complaints import case_detail, queue, subject_choices
from console.services.complaints.measures import ComplaintMeasures, complaint_measures
from console.services.complaints.records import CaseDetail, QueueRow, StaffChoice
from console.services.complaints.settings import DeadlineSettings
from console.views.complaint_case import CaseView
from console.views.page import Page
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner
from console.views.tile_grid import TileGrid
from console.views.widgets import StatTile, scroll_area

QUEUE_COLUMNS: list[Column[QueueRow]] = [
    Column("Case", lambda r: r.reference),
    Column("State", lambda r: r.state),
    Column("Due", lambda r: r.due_on, alert=lambda r: r.overdue),
    Column("Late", lambda r: r.business_days_late or None, alert=lambda r: r.overdue,
           tooltip="Business days past the step's deadline"),
    Column("Reviewer", lambda r: r.reviewer),
    Column("Step", lambda r: r.step or None),
    Column("Received", lambda r: r.received_on),
]
SHOW = {"Open cases": (False, False), "Overdue only": (False, True),
        "All cases": (True, False)}


class ComplaintsPage(Page):
    title = "Complaints"
    subtitle = ("A documented, supervised and confidential review of complaints about the "
                "unit's work. The complainant and the account are encrypted and shown only "
                "to the case's supervisor, director and assigned reviewer; every showing is "
                "recorded.")
    scrolls = False

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        access = ctx.access
        self.may_view = access.allows(Action.VIEW_COMPLAINTS)
        self.may_record = self.may_view and access.actor.role in (UserRole.SUPERVISOR,
                                                                  UserRole.DIRECTOR)
        tiles = TileGrid(max_columns=4, spacing=10, min_column_chars=20)
        self.tile_open = StatTile("Open cases")
        self.tile_overdue = StatTile("Overdue steps", "Steps past their deadline today")
        self.tile_close = StatTile("Median business days to close",
                                   "From receipt to closing, by classification")
        self.tile_rate = StatTile("Per 1,000 co-response calls",
                                  "Complaints received per 1,000 calls the unit attended")
        for tile in (self.tile_open, self.tile_overdue, self.tile_close, self.tile_rate):
            tiles.add(tile)
        self.layout_.addWidget(tiles)
        self.rows: list[QueueRow] = []
        self.selected: int | None = None
        if not self.may_view:
            note = QLabel("Complaint cases are shown to the supervisor, the director and "
                          "the reviewer assigned to each case; your role sees the measures.")
            note.setObjectName("muted")
            note.setWordWrap(True)
            self.layout_.addWidget(note)
            self.layout_.addStretch(1)
            return
        bar = QHBoxLayout()
        self.show_filter = QComboBox()
        self.show_filter.addItems(list(SHOW))
        self.show_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by case, state or reviewer")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.show_filter)
        bar.addWidget(self.search, 1)
        if self.may_record:
            self.new_button = QPushButton("New complaint…")
            self.new_button.clicked.connect(self._intake)
            bar.addWidget(self.new_button)
        if access.allows(Action.EDIT_SETTINGS):
            self.deadlines_button = QPushButton("Deadlines…")
            self.deadlines_button.clicked.connect(self._deadlines)
            bar.addWidget(self.deadlines_button)
        self.layout_.addLayout(bar)
        self.queue_table = RecordTable(QUEUE_COLUMNS, stretch=5)
        self.queue_table.proxy.setFilterKeyColumn(-1)
        self.queue_table.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.queue_table.keep_rows(4)
        self.queue_table.clicked.connect(self._picked)
        self.queue_table.activated.connect(self._picked)
        self.case_view = CaseView(access, tasks)
        self.case_view.changed.connect(self._case_changed)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        self.queue_title = QLabel("Queue")
        self.queue_title.setObjectName("sectionTitle")
        left_box.addWidget(self.queue_title)
        left_box.addWidget(self.queue_table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(scroll_area(self.case_view, "caseScroll"))
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 5)
        split.setChildrenCollapsible(False)
        self.layout_.addWidget(split, 1)

    def first_activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        today = dt.date.today()
        self.load(lambda access: complaint_measures(access, today), self._show_measures)
        if not self.may_view:
            return
        include_finished, overdue_only = SHOW[self.show_filter.currentText()]
        self.load(lambda access: queue(access, today=today, include_finished=include_finished,
                                       overdue_only=overdue_only), self._show_queue)

    def _show_measures(self, m: ComplaintMeasures) -> None:
        self.tile_open.set_value(f"{m.open_cases}", f"{m.withdrawn} withdrawn to date")
        self.tile_overdue.set_value(f"{m.overdue_steps}",
                                    "none overdue" if not m.overdue_steps else "act on these first")
        medians = m.median_days_to_close
        self.tile_close.set_value(
            f"{m.median_days_all:g}" if m.median_days_all is not None else "—",
            "; ".join(f"{c.label.lower()} {v:g}" for c, v in medians.items())
            or "no closed cases yet")
        today = dt.date.today()
        current = f"{today.year} Q{(today.month - 1) // 3 + 1}"
        rated = [q for q in m.by_quarter if q.per_1000 is not None]
        whole = [q for q in rated if q.quarter != current] or rated  # a whole quarter
        if whole:
            last = whole[-1]
            self.tile_rate.set_value(f"{last.per_1000:.1f}",
                                     f"{last.quarter}: {last.complaints} complaint(s), "
                                     f"{last.calls:,} calls")
        else:
            self.tile_rate.set_value("—", "no co-response calls yet")

    def _show_queue(self, rows: list[QueueRow]) -> None:
        self.rows = rows
        overdue = sum(1 for r in rows if r.overdue)
        self.queue_title.setText(f"Queue: {len(rows)} case(s)"
                                 + (f", {overdue} overdue" if overdue else ""))
        self.queue_table.set_rows(rows)
        self._filter(self.search.text())
        if self.selected is None and rows:
            self.selected = rows[0].id  # the most urgent case, open at once
        if self.selected is not None:
            self._load_case(self.selected)
            for i, row in enumerate(rows):
                if row.id == self.selected:
                    index = self.queue_table.proxy.mapFromSource(
                        self.queue_table.source.index(i, 0))
                    self.queue_table.selectRow(index.row())

    def _filter(self, text: str) -> None:
        self.queue_table.proxy.setFilterFixedString(text.strip())

    def _picked(self, index: QModelIndex) -> None:
        row = self.queue_table.source.rows[self.queue_table.proxy.mapToSource(index).row()]
        self.selected = row.id
        self._load_case(row.id)

    def _load_case(self, case_id: int) -> None:
        self.load(lambda access: case_detail(access, case_id), self._show_case)

    def _show_case(self, case: CaseDetail) -> None:
        self.case_view.show_case(case)

    def _case_changed(self, case_id: int) -> None:
        self.selected = case_id
        self.reload()

    def _intake(self) -> None:
        self.load(subject_choices, self._open_intake)

    def _open_intake(self, subjects: list[StaffChoice]) -> None:
        from console.views.dialogs.complaint_forms import IntakeDialog

        self.intake = IntakeDialog(self.ctx.access, self.tasks, subjects, self.reload, self)
        self.intake.show()

    def _deadlines(self) -> None:
        from console.services.complaints.settings import deadline_settings

        self.load(deadline_settings, self._open_deadlines)

    def _open_deadlines(self, current: DeadlineSettings) -> None:
        from console.views.dialogs.complaint_deadlines import DeadlinesDialog

        self.deadlines = DeadlinesDialog(self.ctx.access, self.tasks, current, self.reload, self)
        self.deadlines.show()
