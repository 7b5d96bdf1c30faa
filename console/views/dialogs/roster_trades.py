"""Shift trades: the requests on record, a supervisor's approval (refused, with the breach
it would bring, when the trade breaks a rule) or refusal, and a new request for a shift
of the week shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.data.schedule_enums import TradeStatus
from console.errors import UserError
from console.services.access import Access
from console.services.schedule import trades as trade_service
from console.services.schedule.trades import TradeRow
from console.services.schedule.week import WeekRoster
from console.views.tasks import TaskRunner, report_bug


class TradesDialog(QDialog):
    def __init__(self, access: Access, tasks: TaskRunner, week: WeekRoster,
                 changed: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks, self.week, self.changed = access, tasks, week, changed
        self.rows: list[TradeRow] = []
        self.setWindowTitle(f"{APP_NAME} — Shift trades")
        self.resize(760, 520)
        box = QVBoxLayout(self)
        intro = QLabel("A trade hands one person's shift to another. It is approved only if "
                       "the roster after it keeps every rule the roster before it kept.")
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.table = QTreeWidget()
        self.table.setObjectName("tradeTable")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Shift", "From", "To", "Status", "Requested"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setColumnWidth(0, 250)
        box.addWidget(self.table, 1)
        decide = QHBoxLayout()
        self.approve_button = QPushButton("Approve")
        self.approve_button.setObjectName("approveTrade")
        self.refuse_button = QPushButton("Refuse")
        self.refuse_button.setObjectName("refuseTrade")
        decide.addWidget(self.approve_button)
        decide.addWidget(self.refuse_button)
        decide.addStretch(1)
        box.addLayout(decide)
        self.status = QLabel()
        self.status.setObjectName("tradeStatus")
        self.status.setWordWrap(True)
        box.addWidget(self.status)
        group = QGroupBox(f"Request a trade, week of {week.monday:%d %B %Y}")
        form = QFormLayout(group)
        self.shift = QComboBox()
        self.shift.setObjectName("tradeShift")
        for s in week.shifts:
            if s.staff:
                self.shift.addItem(f"{s.starts_at:%a %d %b} {s.slot}", s.id)
        self.giver = QComboBox()
        self.giver.setObjectName("tradeFrom")
        self.taker = QComboBox()
        self.taker.setObjectName("tradeTo")
        self.request_button = QPushButton("Request")
        self.request_button.setObjectName("requestTrade")
        form.addRow("Shift", self.shift)
        form.addRow("From", self.giver)
        form.addRow("To", self.taker)
        form.addRow("", self.request_button)
        box.addWidget(group)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        box.addWidget(close)
        self.shift.currentIndexChanged.connect(self._people)
        self.table.itemSelectionChanged.connect(self._selection)
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.refuse_button.clicked.connect(lambda: self._decide(False))
        self.request_button.clicked.connect(self._request)
        self._people()
        self._selection()
        self.reload()

    def reload(self) -> None:
        access = self.access
        self.tasks.run(lambda _c: trade_service.trades(access), self._fill, self._failed,
                       owner=self)

    def _fill(self, rows: list[TradeRow]) -> None:
        chosen = self.selected()
        self.rows = rows
        self.table.clear()
        for t in reversed(rows):  # newest first
            item = QTreeWidgetItem([t.shift, t.from_name, t.to_name, t.status.value,
                                    f"{t.requested_on:%Y-%m-%d}" if t.requested_on else ""])
            item.setData(0, 256, t.id)
            if t.decided_by:
                item.setToolTip(3, f"{t.status.value} by {t.decided_by}")
            self.table.addTopLevelItem(item)
        if chosen is not None:
            self.select_trade(chosen.id)
        self._selection()

    def _people(self) -> None:
        shift_id = self.shift.currentData()
        shift = next((s for s in self.week.shifts if s.id == shift_id), None)
        self.giver.clear()
        self.taker.clear()
        on = {p.id for p in shift.staff} if shift else set()
        for p in shift.staff if shift else ():
            self.giver.addItem(p.name, p.id)
        for p in self.week.staff:
            if p.id not in on:
                self.taker.addItem(f"{p.name} ({p.role})", p.id)
        self.request_button.setEnabled(shift is not None and self.taker.count() > 0)

    def selected(self) -> TradeRow | None:
        item = self.table.currentItem()
        if item is None:
            return None
        trade_id = item.data(0, 256)
        return next((t for t in self.rows if t.id == trade_id), None)

    def select_trade(self, trade_id: int) -> None:
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            if item is not None and item.data(0, 256) == trade_id:
                self.table.setCurrentItem(item)

    def _selection(self) -> None:
        t = self.selected()
        open_ = t is not None and t.status is TradeStatus.REQUESTED
        self.approve_button.setEnabled(open_)
        self.refuse_button.setEnabled(open_)

    def _decide(self, approve: bool) -> None:
        t = self.selected()
        if t is None:
            return
        access, today, trade_id = self.access, dt.date.today(), t.id
        work = trade_service.approve_trade if approve else trade_service.refuse_trade
        self.status.setText("Checking the rules…" if approve else "")
        self.tasks.run(lambda _c: work(access, trade_id, today),
                       lambda _v: self._done(f"Trade {'approved' if approve else 'refused'}: "
                                             f"{t.shift}, {t.from_name} to {t.to_name}."),
                       self._failed, writes=True, owner=self)

    def _request(self) -> None:
        shift_id, giver, taker = (self.shift.currentData(), self.giver.currentData(),
                                  self.taker.currentData())
        if shift_id is None or giver is None or taker is None:
            return
        access, today = self.access, dt.date.today()
        self.tasks.run(
            lambda _c: trade_service.request_trade(access, shift_id, giver, taker, today),
            lambda _v: self._done(f"Trade requested: {self.shift.currentText()}, "
                                  f"{self.giver.currentText()} to {self.taker.currentText()}."),
            self._failed, writes=True, owner=self)

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.reload()
        self.changed()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.setText(exc.message[0].upper() + exc.message[1:])
            self.reload()
            return
        report_bug(exc)
