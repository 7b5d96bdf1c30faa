"""Staffing: authorized against filled positions, and the people of the unit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from console.context import AppContext
from console.services.access import Action
from console.services.staffing_service import (
    PositionRow,
    StaffDetail,
    StaffRow,
    positions_on,
    staff_detail,
    unit_staff,
)
from console.views.page import Page
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner

POSITION_COLUMNS: list[Column[PositionRow]] = [
    Column("Position", lambda r: r.title),
    Column("Role", lambda r: r.role),
    Column("Held by", lambda r: r.holder or "VACANT", alert=lambda r: r.holder is None),
    Column("Vacant since", lambda r: r.vacant_since),
    Column("Days vacant", lambda r: r.vacancy_days, alert=lambda r: r.holder is None),
    Column("Funding", lambda r: r.funding_source),
]
STAFF_COLUMNS: list[Column[StaffRow]] = [
    Column("Name", lambda r: r.name),
    Column("Role", lambda r: r.role),
    Column("Rank", lambda r: r.rank),
    Column("Degree", lambda r: r.degree_level.value.capitalize()),
    Column("Discipline", lambda r: r.discipline),
    Column("Hired", lambda r: r.hired_on),
    Column("Separated", lambda r: r.separated_on),
]


TABLE_MIN_ROWS = 6  # the page scrolls before a table shows fewer rows


class StaffingPage(Page):
    title = "Staffing"
    subtitle = (
        "Authorized positions and who fills them today, and everyone who has worked in "
        "the unit. Leave, credentials and the leadership bench arrive in a later release."
    )

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.positions = RecordTable(POSITION_COLUMNS, stretch=0)
        self.staff = RecordTable(STAFF_COLUMNS, stretch=0)
        for table in (self.positions, self.staff):
            table.keep_rows(TABLE_MIN_ROWS)
        self.positions_title = QLabel("Positions")
        self.positions_title.setObjectName("sectionTitle")
        split = QSplitter(Qt.Orientation.Vertical)
        for title, table in ((self.positions_title, self.positions),
                             (QLabel("People of the unit"), self.staff)):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            title.setObjectName("sectionTitle")
            box.addWidget(title)
            box.addWidget(table)
            split.addWidget(holder)
        self.layout_.addWidget(split, 1)
        if ctx.access.allows(Action.EDIT_STAFF):
            self.staff.setToolTip("Double-click a person to edit")
            self.staff.doubleClicked.connect(self._edit)

    def first_activate(self) -> None:
        today = dt.date.today()
        self.load(lambda access: (positions_on(access, today), unit_staff(access)),
                  self._show)

    def refresh(self) -> None:
        self._activated = True
        self.first_activate()

    def _edit(self, index: QModelIndex) -> None:
        row = self.staff.source.rows[self.staff.proxy.mapToSource(index).row()]
        access = self.ctx.access
        self.load(lambda _a: staff_detail(access, row.id), self._open_editor)

    def _open_editor(self, detail: StaffDetail) -> None:
        from console.views.dialogs.staff_edit import StaffEditDialog

        self.editor = StaffEditDialog(self.ctx.access, self.tasks, detail, self.refresh, self)
        self.editor.show()

    def _show(self, result: tuple[list[PositionRow], list[StaffRow]]) -> None:
        positions, staff = result
        vacant = sum(1 for p in positions if p.holder is None)
        self.positions_title.setText(
            f"Positions: {len(positions) - vacant} of {len(positions)} filled"
            + (f", {vacant} vacant" if vacant else "")
        )
        self.positions.set_rows(positions)
        self.staff.set_rows(staff)
