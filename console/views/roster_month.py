"""The Schedule page's month view: a calendar of weeks, each day listing its shifts (start,
name, how many on them or "open"), breaches and unpaired shifts marked; a double click
opens that day's week."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from console.services.schedule.month import MonthRoster
from console.views.roster_grid import BREACH_COLOUR, UNPAIRED_COLOUR

DAY_ROLE = Qt.ItemDataRole.UserRole
OTHER_MONTH = QColor("#f4f5f7")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_LINES = 4  # shifts listed in a cell before "+N more"


class MonthGrid(QTableWidget):
    """Weeks down, Monday to Sunday across; `day_opened(date)` on a double click."""

    day_opened = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setObjectName("monthGrid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_rows)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._refit.start())
        self.setHorizontalHeaderLabels(list(WEEKDAYS))
        self.itemDoubleClicked.connect(self._opened)

    def _opened(self, item: QTableWidgetItem) -> None:
        day = item.data(DAY_ROLE)
        if isinstance(day, dt.date):
            self.day_opened.emit(day)

    def fill(self, month: MonthRoster) -> None:
        self.clear()
        self.setHorizontalHeaderLabels(list(WEEKDAYS))
        start = month.first - dt.timedelta(days=month.first.weekday())
        weeks = ((month.last - start).days // 7) + 1
        self.setRowCount(weeks)
        days = {d.day: d for d in month.days}
        for n in range(weeks * 7):
            day = start + dt.timedelta(days=n)
            item = QTableWidgetItem()
            item.setData(DAY_ROLE, day)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            info = days.get(day)
            if info is None:
                item.setText(f"{day:%d %b}")
                item.setForeground(QBrush(QColor("#8a8f98")))
                item.setBackground(QBrush(OTHER_MONTH))
                self.setItem(n // 7, n % 7, item)
                continue
            lines = [f"{day.day}"]
            for s in info.shifts[:MAX_LINES]:
                mark = "⚠ " if s.breaches else "⚑ " if s.unpaired else "○ " if s.open else ""
                lines.append(f"{mark}{s.line}")
            if len(info.shifts) > MAX_LINES:
                lines.append(f"+{len(info.shifts) - MAX_LINES} more")
            if not info.shifts:
                lines.append("no shifts")
            item.setText("\n".join(lines))
            tips = [f"{day:%A %d %B %Y}"]
            tips += [f"{s.starts_at:%H:%M}-{s.ends_at:%H:%M} {s.label}: "
                     f"{', '.join(s.people) or 'open shift'}"
                     + (" — unpaired" if s.unpaired else "") for s in info.shifts]
            tips += [f"⚠ {b}" for b in info.breaches]
            item.setToolTip("\n".join(tips))
            if info.breaches:
                item.setBackground(QBrush(BREACH_COLOUR))
            elif any(s.unpaired for s in info.shifts):
                item.setBackground(QBrush(UNPAIRED_COLOUR))
            self.setItem(n // 7, n % 7, item)
        self.fit_rows()

    def fit_rows(self) -> None:
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(max(160, rows + self.horizontalHeader().height() + 4))

    def viewportEvent(self, event: QEvent) -> bool:
        # The stretched columns follow the viewport, which narrows when the slot names
        # widen the row header: measure the wrapped names again once it settles.
        if event.type() == QEvent.Type.Resize:
            self._refit.start()
        return super().viewportEvent(event)

    def item_of(self, day: dt.date) -> QTableWidgetItem | None:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = self.item(r, c)
                if item is not None and item.data(DAY_ROLE) == day:
                    return item
        return None
