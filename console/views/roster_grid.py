"""The Schedule page's week grid and the staff list beside it: drag a person from the list
onto a shift to put them on it (the same service call as the Assign dialog), and the
shifts that break a rule or lack their responder-officer pair are marked in the grid."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from console.services.schedule.week import StaffChoice, WeekRoster

STAFF_MIME = "application/x-coresponse-staff-id"
FROM_SHIFT_MIME = "application/x-coresponse-from-shift-id"  # an assignment being moved
BREACH_COLOUR = QColor("#fbe3e1")
UNPAIRED_COLOUR = QColor("#fff1c2")
OPEN_COLOUR = QColor("#eef1f5")
SHIFT_ROLE = Qt.ItemDataRole.UserRole
PEOPLE_ROLE = Qt.ItemDataRole.UserRole + 1  # the staff ids of a cell's lines, in order
ROLE_ORDER = {"Mental-health first responder": 0, "Sworn officer": 1, "Intern": 2,
              "Supervisor": 3}  # a cell lists the pair first: responder over officer
ROLE_MARKS = {"Mental-health first responder": "R", "Sworn officer": "O", "Intern": "I",
              "Supervisor": "S"}


def staff_mime(staff_id: int, from_shift_id: int | None = None) -> QMimeData:
    data = QMimeData()
    data.setData(STAFF_MIME, QByteArray(str(staff_id).encode()))
    if from_shift_id is not None:
        data.setData(FROM_SHIFT_MIME, QByteArray(str(from_shift_id).encode()))
    data.setText(str(staff_id))
    return data


def _number(data: QMimeData, kind: str) -> int | None:
    if not data.hasFormat(kind):
        return None
    text = bytes(data.data(kind).data()).decode(errors="replace")
    return int(text) if text.isdigit() else None


def dropped_staff_id(data: QMimeData) -> int | None:
    return _number(data, STAFF_MIME)


class StaffList(QListWidget):
    """The unit's active staff, each a drag source carrying their id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffList")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setToolTip("Drag a person onto a shift in the week grid to put them on it")

    def fill(self, staff: tuple[StaffChoice, ...]) -> None:
        self.clear()
        for p in sorted(staff, key=lambda p: (p.role, p.name)):
            item = QListWidgetItem(f"{p.name}  ·  {ROLE_MARKS.get(p.role, '?')}")
            item.setData(SHIFT_ROLE, p.id)
            item.setToolTip(f"{p.name}, {p.role}")
            self.addItem(item)

    def mimeTypes(self) -> list[str]:
        return [STAFF_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # type: ignore[override]
        return staff_mime(int(items[0].data(SHIFT_ROLE))) if items else QMimeData()


class RosterGrid(QTableWidget):
    """A week: shifts by time slot down the side, days across. Accepts a person dropped
    on a shift's cell and says so with `staff_dropped(shift_id, staff_id)`; a name
    dragged from one shift's cell to another's says `staff_moved(from, to, staff_id)`."""

    staff_dropped = Signal(int, int)
    staff_moved = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setObjectName("weekGrid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setWordWrap(True)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_rows)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._refit.start())
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self._pressed_at: QPoint | None = None

    # --- dropping a person on a shift -------------------------------------------------
    def _shift_at(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        item = self.itemAt(event.position().toPoint())
        if item is None or item.data(SHIFT_ROLE) is None:
            return None
        return int(item.data(SHIFT_ROLE))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(STAFF_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(STAFF_MIME) and self._shift_at(event) is not None:
            item = self.itemAt(event.position().toPoint())
            if item is not None:
                self.setCurrentItem(item)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        staff_id = dropped_staff_id(event.mimeData())
        shift_id = self._shift_at(event)
        from_shift = _number(event.mimeData(), FROM_SHIFT_MIME)
        if staff_id is None or shift_id is None or from_shift == shift_id:
            event.ignore()
            return
        if from_shift is None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.staff_dropped.emit(shift_id, staff_id)
        else:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            self.staff_moved.emit(from_shift, shift_id, staff_id)

    # --- dragging a name from a shift ---------------------------------------------------
    def person_at(self, point: QPoint) -> tuple[int, int] | None:
        """(shift id, staff id) of the name under a point of the viewport: a cell lists a
        name a line, so the line under the point is the person."""
        item = self.itemAt(point)
        if item is None or item.data(SHIFT_ROLE) is None:
            return None
        people = item.data(PEOPLE_ROLE) or []
        rect = self.visualItemRect(item)
        lines = max(1, len(item.text().split("\n")))
        line_height = self.fontMetrics().lineSpacing()
        top = rect.center().y() - lines * line_height / 2  # the text is centred
        index = int((point.y() - top) // line_height)
        if not 0 <= index < len(people):
            return None
        return int(item.data(SHIFT_ROLE)), int(people[index])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position().toPoint()
        super().mousePressEvent(event)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        picked = self.person_at(self._pressed_at) if self._pressed_at is not None else None
        if picked is None:
            return
        drag = QDrag(self)
        drag.setMimeData(staff_mime(picked[1], from_shift_id=picked[0]))
        drag.exec(Qt.DropAction.MoveAction)

    # --- showing a week -----------------------------------------------------------------
    def fill(self, week: WeekRoster) -> None:
        flagged: dict[int, list[str]] = {}
        for b in week.breaches:
            if b.shift_id is not None:
                flagged.setdefault(b.shift_id, []).append(b.explanation)
        pairs = {p.shift_id: p for p in week.pairs}
        slots = sorted({s.slot for s in week.shifts})
        self.clear()
        self.setRowCount(len(slots))
        self.setHorizontalHeaderLabels(
            [f"{week.monday + dt.timedelta(days=d):%a %d}" for d in range(7)])
        self.setVerticalHeaderLabels(slots)
        for s in week.shifts:
            row, col = slots.index(s.slot), (s.starts_at.date() - week.monday).days
            on = sorted(s.staff, key=lambda p: (ROLE_ORDER.get(p.role, 9), p.name))
            lines = [p.name for p in on]
            pair = pairs.get(s.id)
            tips = [f"{s.starts_at:%A %d %B} {s.slot}"]
            tips += [f"{p.name} ({p.role})" for p in on]
            if not lines:
                lines = ["(open shift)"]
            elif pair is not None and pair.unpaired:
                lines.append(f"⚑ {pair.status}")
                tips.append(pair.explanation)
            elif pair is not None:
                tips.append(f"Pair: {pair.label}")
            problems = flagged.get(s.id)
            if problems:
                lines[0] = f"⚠ {lines[0]}"
                tips += problems
            text = "\n".join(lines)
            item = self.item(row, col)
            shared = item is not None
            if item is not None:  # two shifts of one slot on a day: shown together
                text = f"{item.text()}\n{text}"
            item = QTableWidgetItem(text)
            item.setData(SHIFT_ROLE, s.id)
            # A shared cell's lines are two shifts' people: no name is dragged from it.
            item.setData(PEOPLE_ROLE, [] if shared else [p.id for p in on])
            if problems:
                item.setBackground(QBrush(BREACH_COLOUR))
            elif pair is not None and pair.unpaired:
                item.setBackground(QBrush(UNPAIRED_COLOUR))
            elif not s.staff:
                item.setBackground(QBrush(OPEN_COLOUR))
            item.setToolTip("\n".join(tips))
            self.setItem(row, col, item)
        self.fit_rows()

    def fit_rows(self) -> None:
        """Rows as tall as their names, and the grid as tall as its rows (the page
        scrolls, not the grid)."""
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(max(120, rows + self.horizontalHeader().height() + 4))

    def viewportEvent(self, event: QEvent) -> bool:
        # The stretched columns follow the viewport, which narrows when the slot names
        # widen the row header: measure the wrapped names again once it settles.
        if event.type() == QEvent.Type.Resize:
            self._refit.start()
        return super().viewportEvent(event)

    def cells(self, colour: QColor) -> set[int]:
        """The shifts shown with this background (what a user sees highlighted)."""
        out = set()
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = self.item(r, c)
                if item is not None and item.background().color() == colour:
                    out.add(int(item.data(SHIFT_ROLE)))
        return out

    def cell_of(self, shift_id: int) -> QTableWidgetItem | None:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = self.item(r, c)
                if item is not None and item.data(SHIFT_ROLE) == shift_id:
                    return item
        return None
