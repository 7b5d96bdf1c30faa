"""Published roster versions: who published each, when, for which days, and what one
version changed from another, in lines naming the shift and the person."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.errors import UserError
from console.services.access import Access
from console.services.schedule import versions as version_service
from console.services.schedule.versions import VersionRow
from console.views.tasks import TaskRunner, report_bug


class VersionsDialog(QDialog):
    def __init__(self, access: Access, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks = access, tasks
        self.rows: list[VersionRow] = []
        self.setWindowTitle(f"{APP_NAME} — Published rosters")
        self.resize(860, 560)
        box = QVBoxLayout(self)
        self.table = QTreeWidget()
        self.table.setObjectName("versionTable")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Version", "Days", "Published by", "Published",
                                    "Assignments"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setColumnWidth(1, 220)
        box.addWidget(self.table, 2)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("What changed from version"))
        self.older = QComboBox()
        self.older.setObjectName("olderVersion")
        pick.addWidget(self.older)
        pick.addWidget(QLabel("to version"))
        self.newer = QComboBox()
        self.newer.setObjectName("newerVersion")
        pick.addWidget(self.newer)
        self.compare_button = QPushButton("Show differences")
        self.compare_button.setObjectName("compareVersions")
        pick.addWidget(self.compare_button)
        pick.addStretch(1)
        box.addLayout(pick)
        self.summary = QLabel()
        self.summary.setObjectName("diffSummary")
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.lines = QListWidget()
        self.lines.setObjectName("diffLines")
        box.addWidget(self.lines, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        box.addWidget(close)
        self.compare_button.clicked.connect(self.compare)
        self.compare_button.setEnabled(False)
        access_ = access
        tasks.run(lambda _c: version_service.versions(access_), self._fill, self._failed,
                  owner=self)

    def _fill(self, rows: list[VersionRow]) -> None:
        self.rows = rows
        self.table.clear()
        for v in reversed(rows):
            self.table.addTopLevelItem(QTreeWidgetItem([
                str(v.number), f"{v.first:%a %d %b %Y} to {v.last:%a %d %b}",
                v.published_by, f"{v.published_at:%Y-%m-%d %H:%M}", str(v.assignments)]))
        for column in range(self.table.columnCount()):
            self.table.resizeColumnToContents(column)
        for combo in (self.older, self.newer):
            combo.clear()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            for v in rows:
                combo.addItem(f"{v.number} ({v.first:%d %b} to {v.last:%d %b %Y})", v.number)
        older, newer = _default_pair(rows)
        if newer is not None:
            self.older.setCurrentIndex(self.older.findData(older))
            self.newer.setCurrentIndex(self.newer.findData(newer))
        self.compare_button.setEnabled(len(rows) >= 2)
        if not rows:
            self.summary.setText("No roster has been published yet: publish a week from the "
                                 "Schedule page.")

    def compare(self) -> None:
        a, b = self.older.currentData(), self.newer.currentData()
        if a is None or b is None:
            return
        access = self.access
        self.tasks.run(lambda _c: version_service.differences(access, a, b),
                       lambda lines: self._show(a, b, lines), self._failed, owner=self)

    def _show(self, a: int, b: int, lines: list[str]) -> None:
        self.lines.clear()
        self.lines.addItems(lines)
        removed = sum(line.startswith("-") for line in lines)
        text = (f"Version {b} against version {a}: {len(lines) - removed} assignment"
                f"{'s' * (len(lines) - removed != 1)} added (+), {removed} removed (-)."
                if lines else f"Versions {a} and {b} hold the same roster.")
        days = {v.number: (v.first, v.last) for v in self.rows}
        if days.get(a) != days.get(b):
            text += " They cover different days, so their shifts differ by their dates too."
        self.summary.setText(text)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.summary.setText(exc.message[0].upper() + exc.message[1:])
            return
        report_bug(exc)


def _default_pair(rows: list[VersionRow]) -> tuple[int | None, int | None]:
    """The latest republished period's last two versions (a change to a roster already
    out), else the last two versions."""
    for i in range(len(rows) - 1, 0, -1):
        same = [v for v in rows[:i] if (v.first, v.last) == (rows[i].first, rows[i].last)]
        if same:
            return same[-1].number, rows[i].number
    if len(rows) >= 2:
        return rows[-2].number, rows[-1].number
    return None, None
