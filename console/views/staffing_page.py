"""Staffing: authorized against filled positions over the program's life, vacancies with
their age and history, the people, leave, separations, credentials about to lapse,
cross training and the leadership bench."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.context import AppContext
from console.services.access import Access, Action
from console.services.people import bench, staffing
from console.services.people.bench import BenchRole
from console.services.people.edits import PositionDetail, position_detail
from console.services.program_service import ProgramEventRow, program_events
from console.services.staffing_service import (
    PositionRow,
    StaffDetail,
    StaffRow,
    positions_on,
    staff_detail,
    unit_staff,
)
from console.views.bench_view import BenchView
from console.views.chart_box import ChartBox, import_matplotlib
from console.views.page import Page
from console.views.record_table import RecordTable
from console.views.staffing_columns import (
    CREDENTIAL_COLUMNS,
    CROSS_TRAINING_COLUMNS,
    LEAVE_COLUMNS,
    POSITION_COLUMNS,
    SEPARATION_COLUMNS,
    STAFF_COLUMNS,
    VACANCY_COLUMNS,
)
from console.views.tasks import TaskControl, TaskRunner
from console.views.widgets import scroll_area

TABLE_MIN_ROWS = 6  # a table never gets lower than this many rows
CHART_MIN_HEIGHT = 240
TABS_MIN_HEIGHT = 560  # the chart and six rows of vacancies under it


@dataclass(frozen=True)
class StaffingView:
    """Everything the page shows, read in one task."""

    overview: staffing.StaffingOverview
    positions: list[PositionRow]
    staff: list[StaffRow]
    leave: list[staffing.LeaveRow]
    separations: list[staffing.SeparationRow]
    credentials: list[staffing.CredentialRow]
    cross_training: list[staffing.CrossTrainingRow]
    bench: list[BenchRole]
    events: list[ProgramEventRow]


def read_staffing(access: Access, today: dt.date) -> StaffingView:
    return StaffingView(
        staffing.staffing_overview(access, today), positions_on(access, today),
        unit_staff(access), staffing.leave_list(access), staffing.separations(access),
        staffing.credentials(access, today), staffing.cross_training(access),
        bench.bench(access, today), program_events(access))


def _titled(title: QLabel, widget: QWidget) -> QWidget:
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 6, 0, 0)
    title.setObjectName("sectionTitle")
    box.addWidget(title)
    box.addWidget(widget, 1)
    return holder


def _table(columns: list, stretch: int = -1) -> RecordTable:  # type: ignore[type-arg]
    table = RecordTable(columns, stretch=stretch)
    table.keep_rows(TABLE_MIN_ROWS)
    return table


class StaffingPage(Page):
    title = "Staffing"
    subtitle = (
        "Authorized against filled positions over the life of the program, each vacancy "
        "with its age, leave and separations, credentials about to lapse, and the bench "
        "that can step into the roles that must never be empty."
    )
    # The page scrolls on a small window rather than squeeze the chart or the tables.

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("staffingSummary")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("staffingTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setMinimumHeight(TABS_MIN_HEIGHT)
        self.layout_.addWidget(self.tabs, 1)
        may_edit = ctx.access.allows(Action.EDIT_STAFF)

        self.chart = ChartBox("staffingChart", min_height=CHART_MIN_HEIGHT)
        self.series_choice = QComboBox()
        self.series_choice.setObjectName("seriesChoice")
        self.series_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.series_choice.currentIndexChanged.connect(self._draw)
        self.event_caption = QLabel()
        self.event_caption.setObjectName("tileNote")
        self.event_caption.setWordWrap(True)
        chart_top = QHBoxLayout()
        chart_top.addWidget(QLabel("Show"))
        chart_top.addWidget(self.series_choice)
        chart_top.addStretch(1)
        self.chart.box.insertLayout(0, chart_top)
        self.chart.box.addWidget(self.event_caption)
        self.vacancies = _table(VACANCY_COLUMNS, stretch=6)
        self.vacancies_title = QLabel("Vacancies")
        over_time = QSplitter(Qt.Orientation.Vertical)
        over_time.addWidget(self.chart)
        over_time.addWidget(_titled(self.vacancies_title, self.vacancies))
        over_time.setStretchFactor(0, 3)
        over_time.setStretchFactor(1, 2)
        self.tabs.addTab(over_time, "Over time")

        # The funding column stretches: its sources are the longest text of a row.
        self.positions = _table(POSITION_COLUMNS, stretch=len(POSITION_COLUMNS) - 1)
        self.positions_title = QLabel("Positions")
        positions_tab = QWidget()
        box = QVBoxLayout(positions_tab)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.positions_title, 1)
        self.positions_title.setObjectName("sectionTitle")
        if may_edit:
            for name, text, slot in (("addPosition", "Add position…",
                                      lambda: self._open_position(None)),
                                     ("fillPosition", "Fill…", self._fill),
                                     ("vacatePosition", "Vacate…", self._vacate)):
                button = QPushButton(text)
                button.setObjectName(name)
                button.clicked.connect(slot)
                row.addWidget(button)
            self.positions.setToolTip("Double-click a position to edit it")
            self.positions.doubleClicked.connect(self._edit_position)
        box.addLayout(row)
        box.addWidget(self.positions, 1)
        self.tabs.addTab(positions_tab, "Positions")

        self.staff = _table(STAFF_COLUMNS, stretch=0)
        people_tab = QWidget()
        box = QVBoxLayout(people_tab)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        people_title = QLabel("People of the unit")
        people_title.setObjectName("sectionTitle")
        row.addWidget(people_title, 1)
        if may_edit:
            self.staff.setToolTip("Double-click a person to edit")
            self.staff.doubleClicked.connect(self._edit)
            separate = QPushButton("Record separation…")
            separate.setObjectName("recordSeparation")
            separate.clicked.connect(self._separate)
            row.addWidget(separate)
        box.addLayout(row)
        box.addWidget(self.staff, 1)
        self.tabs.addTab(people_tab, "People")

        self.leave = _table(LEAVE_COLUMNS, stretch=0)
        self.separations = _table(SEPARATION_COLUMNS, stretch=4)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_titled(QLabel("Leave"), self.leave))
        split.addWidget(_titled(QLabel("Separations"), self.separations))
        self.tabs.addTab(split, "Leave")
        self.tabs.setTabToolTip(self.tabs.count() - 1, "Leave, and separations with their reason")

        self.credentials = _table(CREDENTIAL_COLUMNS, stretch=1)
        self.cross_training = _table(CROSS_TRAINING_COLUMNS, stretch=1)
        self.credentials_title = QLabel("Credentials")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_titled(self.credentials_title, self.credentials))
        split.addWidget(_titled(QLabel("Cross training"), self.cross_training))
        self.tabs.addTab(split, "Credentials")

        self.bench = BenchView()
        bench_tab = QWidget()
        box = QVBoxLayout(bench_tab)
        box.setContentsMargins(0, 0, 0, 0)
        if may_edit:
            row = QHBoxLayout()
            row.addStretch(1)
            add = QPushButton("Add to the bench…")
            add.setObjectName("addSuccessor")
            add.clicked.connect(self._add_successor)
            row.addWidget(add)
            box.addLayout(row)
            self.bench.chosen.connect(self._open_successor)
            self.bench.setToolTip("Double-click a successor to reassess them or add an acting "
                                  "assignment or training")
        box.addWidget(scroll_area(self.bench, "benchScroll"), 1)
        self.tabs.addTab(bench_tab, "Bench")
        self.tabs.setTabToolTip(self.tabs.count() - 1, "The leadership bench: who can step "
                                "into the roles that must never be empty")
        self.view: StaffingView | None = None
        self.move_dialog: QDialog | None = None

    def first_activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._activated = True
        access, today = self.ctx.access, dt.date.today()

        def work(control: TaskControl) -> StaffingView:
            import_matplotlib()
            control.check()
            return read_staffing(access, today)

        self.tasks.run(work, self._show, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("Staffing could not be loaded; see the log file.")
        self.chart.fail("Staffing could not be loaded.")

    def _edit(self, index: QModelIndex) -> None:
        row = self.staff.source.rows[self.staff.proxy.mapToSource(index).row()]
        access = self.ctx.access
        self.load(lambda _a: staff_detail(access, row.id), self._open_editor)

    def _open_editor(self, detail: StaffDetail) -> None:
        from console.views.dialogs.staff_edit import StaffEditDialog

        self.editor = StaffEditDialog(self.ctx.access, self.tasks, detail, self.refresh, self)
        self.editor.show()

    def _edit_position(self, index: QModelIndex) -> None:
        row = self.positions.source.rows[self.positions.proxy.mapToSource(index).row()]
        self.load(lambda access: position_detail(access, row.id), self._open_position)

    def _open_position(self, detail: PositionDetail | None) -> None:
        from console.views.dialogs.position_edit import PositionEditDialog

        self.position_editor = PositionEditDialog(self.ctx.access, self.tasks, detail,
                                                  self.refresh, self)
        self.position_editor.show()

    def _draw(self) -> None:
        from console.reports.people_charts import draw_staffing

        if self.view is None:
            return
        points, events = self.series_choice.currentData(), self.view.events
        marked = self.chart.draw(lambda fig: draw_staffing(fig, points, events))
        self.event_caption.setText("   ".join(
            f"<b>{n}</b> {e.occurred_on:%d %b %Y} {escape(e.title)}"
            for n, e in enumerate(marked, start=1)))

    def _selected(self, table: RecordTable) -> object | None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            self.summary.setText("Select a row first, then choose what to do with it.")
            return None
        return table.source.rows[table.proxy.mapToSource(rows[0]).row()]

    def _fill(self) -> None:
        from console.views.dialogs.staffing_moves import FillPositionDialog

        row = self._selected(self.positions)
        if not isinstance(row, PositionRow) or self.view is None:
            return
        people = [(s.id, s.name) for s in self.view.staff if s.separated_on is None]
        self.move_dialog = FillPositionDialog(self.ctx.access, self.tasks, row.id, row.title,
                                              people, self.refresh, self)
        self.move_dialog.show()

    def _vacate(self) -> None:
        from console.services.people.edits import holding

        row = self._selected(self.positions)
        if not isinstance(row, PositionRow):
            return
        today = dt.date.today()
        self.load(lambda access: holding(access, row.id, today),
                  lambda held: self._open_vacate(row, held))

    def _open_vacate(self, row: PositionRow, held: object) -> None:
        from console.views.dialogs.staffing_moves import VacatePositionDialog

        if held is None:
            self.summary.setText(f"{escape(row.title)} is vacant already.")
            return
        self.move_dialog = VacatePositionDialog(self.ctx.access, self.tasks, held, row.title,
                                                self.refresh, self)
        self.move_dialog.show()

    def _separate(self) -> None:
        from console.views.dialogs.staffing_moves import SeparationDialog

        row = self._selected(self.staff)
        if not isinstance(row, StaffRow):
            return
        self.move_dialog = SeparationDialog(self.ctx.access, self.tasks, row.id, row.name,
                                            self.refresh, self)
        self.move_dialog.show()

    def _add_successor(self) -> None:
        from console.views.dialogs.bench_forms import AddSuccessorDialog

        people = [(s.id, s.name) for s in (self.view.staff if self.view else [])
                  if s.separated_on is None]
        self.move_dialog = AddSuccessorDialog(self.ctx.access, self.tasks, people,
                                              self.refresh, self)
        self.move_dialog.show()

    def _open_successor(self, successor: object) -> None:
        from console.services.people.bench import Successor
        from console.views.dialogs.bench_forms import SuccessorDialog

        if isinstance(successor, Successor):
            self.move_dialog = SuccessorDialog(self.ctx.access, self.tasks, successor,
                                               self.refresh, self)
            self.move_dialog.show()

    def _show(self, view: StaffingView) -> None:
        self.view = view
        o = view.overview
        today = o.as_of
        now = o.series.total[-1]
        open_ = o.open_vacancies
        lapsing = [c for c in view.credentials if c.warn]
        thin = [r.role.label.lower() for r in view.bench if r.thin]
        parts = [f"<b>{now.filled} of {now.authorized}</b> positions filled today"]
        if open_:
            oldest = max(v.age(today) for v in open_)
            parts.append(f"{len(open_)} vacant, the oldest for {oldest} days")
        if lapsing:
            parts.append(f"<span style='color:#b91c1c'>{len(lapsing)} credential"
                         f"{'s' * (len(lapsing) != 1)} lapsing within 60 days</span>")
        if thin:
            parts.append(f"<span style='color:#b91c1c'>fewer than two ready to step in as "
                         f"{escape(', '.join(thin))}</span>")
        self.summary.setText(" · ".join(parts))
        self.series_choice.blockSignals(True)
        self.series_choice.clear()
        self.series_choice.addItem("All positions", o.series.total)
        for role, points in o.series.by_role.items():
            self.series_choice.addItem(f"{role.label} positions", points)
        for fund, points in o.series.by_funding.items():
            self.series_choice.addItem(f"Funded by {fund}", points)
        self.series_choice.blockSignals(False)
        self._draw()
        aged = [(v, v.age(today)) for v in reversed(o.vacancies)]
        self.vacancies_title.setText(f"Vacancies: {len(open_)} open, {len(aged)} since the "
                                     "program began")
        self.vacancies.set_rows(aged)
        vacant = sum(1 for p in view.positions if p.holder is None)
        self.positions_title.setText(
            f"Positions: {len(view.positions) - vacant} of {len(view.positions)} filled"
            + (f", {vacant} vacant" if vacant else ""))
        self.positions.set_rows(view.positions)
        self.staff.set_rows(view.staff)
        self.leave.set_rows(view.leave)
        self.separations.set_rows(view.separations)
        self.credentials_title.setText(
            f"Credentials: {len(lapsing)} lapsing within 60 days or lapsed" if lapsing
            else "Credentials: none lapsing within 60 days")
        self.credentials.set_rows(view.credentials)
        self.cross_training.set_rows(view.cross_training)
        self.bench.set_roles(view.bench)
