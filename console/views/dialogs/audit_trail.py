"""The audit trail for supervisors: newest changes first, fetched a page at a time.

"Verify" recomputes the whole hash chain on the worker and says whether it is intact or
where it was altered.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.views.tasks import TaskRunner, report_bug
from console.views.window_placement import fit_to_screen

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.audit_service import EntryRow

PAGE = 200
COLUMNS = ("#", "When (UTC)", "Who", "Action", "Record", "Changes")
Index = QModelIndex | QPersistentModelIndex


def summary(changes: dict[str, Any]) -> str:
    """field: old → new; … in one line (sealed values shortened: they are ciphertext)."""
    def short(v: Any) -> str:
        text = "∅" if v is None else str(v)
        if text.startswith("enc1:"):
            return "[encrypted]"
        return text if len(text) <= 40 else text[:37] + "…"

    parts = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            parts.append(f"{field}: {short(new)}" if old is None else
                         f"{field}: {short(old)} → {short(new)}")
        else:
            parts.append(f"{field}: {short(value)}")
    return "; ".join(parts)


class AuditTableModel(QAbstractTableModel):
    """Entries newest first; more are fetched (off the GUI thread) as the view scrolls."""

    def __init__(self, access: Access, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks = access, tasks
        self.rows: list[EntryRow] = []
        self.text = ""
        self._exhausted, self._loading, self._generation = False, False, 0

    def restart(self, text: str = "") -> None:
        self.beginResetModel()
        self.rows, self.text, self._exhausted = [], text, False
        self._generation += 1
        self._loading = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.rows[index.row()]
        return (e.seq, e.at[:19].replace("T", " "), e.actor, e.action,
                f"{e.table_name} {e.record_id}".strip(), summary(e.changes))[index.column()]

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        from console.services.audit_service import recent_entries

        self._loading = True
        access, text, generation = self.access, self.text, self._generation
        before = self.rows[-1].seq if self.rows else None
        self.tasks.run(
            lambda _c: recent_entries(access, limit=PAGE, before_seq=before, text=text),
            lambda rows: self._append(generation, rows), report_bug, owner=self)

    def _append(self, generation: int, rows: list[EntryRow]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < PAGE
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()


class AuditTrailDialog(QDialog):
    def __init__(self, access: Access, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks = access, tasks
        self.setWindowTitle(f"{APP_NAME} — Audit trail")
        fit_to_screen(self, QSize(1180, 720))
        box = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by user, table or record id")
        self.filter.setClearButtonEnabled(True)
        top.addWidget(self.filter, 1)
        self.verify_button = QPushButton("Verify chain")
        self.verify_button.setToolTip("Recompute every entry's hash: any edit, removal or "
                                      "reordering of the trail shows here.")
        self.verify_button.clicked.connect(self.verify)
        top.addWidget(self.verify_button)
        box.addLayout(top)
        self.status = QLabel("Every change to the database, newest first. Encrypted values "
                             "stay encrypted here.")
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        box.addWidget(self.status)

        self.model = AuditTableModel(access, tasks, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for col, width in enumerate((60, 150, 150, 70, 170)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select an entry to see every changed field.")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([520, 160])
        box.addWidget(split, 1)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(lambda: self.model.restart(self.filter.text()))
        self.filter.textChanged.connect(self._debounce.start)
        self.model.restart()

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        e = self.model.rows[current.row()]
        lines = [f"Entry {e.seq} — {e.at} — {e.actor} — {e.action} {e.table_name} "
                 f"{e.record_id}", ""]
        for field, value in e.changes.items():
            if isinstance(value, list) and len(value) == 2:
                old, new = (json.dumps(v, ensure_ascii=False) for v in value)
                lines.append(f"{field}: {new}" if value[0] is None else f"{field}: {old} → {new}")
            else:
                lines.append(f"{field}: {json.dumps(value, ensure_ascii=False)}")
        self.detail.setPlainText("\n".join(lines))

    def verify(self) -> None:
        from console.services.audit_service import verify_trail

        self.verify_button.setEnabled(False)
        self.status.setText("Verifying the chain…")
        access = self.access

        def done(check: Any) -> None:
            self.verify_button.setEnabled(True)
            if check.ok:
                self.status.setText(f"✔ Chain intact: all {check.entries:,} entries verified.")
                self.status.setProperty("state", "ok")
            else:
                self.status.setText(f"✖ The audit trail was altered: {check.problem}.")
                self.status.setProperty("state", "bad")
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.status.setText("Could not verify the chain; the details are in the log.")
            report_bug(exc)

        self.tasks.run(lambda _c: verify_trail(access), done, failed)
