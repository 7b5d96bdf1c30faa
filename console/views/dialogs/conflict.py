"""The conflict dialog: someone else saved the record first; both versions side by side.

Nothing has been overwritten when it opens. The user keeps the saved version, saves
theirs over it knowingly, or goes back to editing.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME

if TYPE_CHECKING:
    from console.services.access import EditConflict


class Choice(enum.Enum):
    KEEP_THEIRS = "keep theirs"
    SAVE_MINE = "save mine"
    BACK = "back to editing"


class ConflictDialog(QDialog):
    def __init__(self, conflict: EditConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = Choice.BACK
        self.setWindowTitle(f"{APP_NAME} — Saved by someone else")
        self.setMinimumWidth(640)
        box = QVBoxLayout(self)
        title = QLabel(f"{conflict.record} was changed while you were editing")
        title.setObjectName("dialogTitle")
        box.addWidget(title)
        who = conflict.saved_by or "another user"
        when = f" at {conflict.saved_at}" if conflict.saved_at else ""
        intro = QLabel(f"{who} saved it{when}. Your changes have <b>not</b> been saved and "
                       "nothing was overwritten. Compare the two versions and choose.")
        intro.setWordWrap(True)
        box.addWidget(intro)

        # A small fixed comparison, not a data table: three columns, a handful of rows.
        table = QTableWidget(len(conflict.fields), 3)
        table.setObjectName("conflictTable")
        table.setHorizontalHeaderLabels(["Field", "Your version", f"Saved by {who}"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        differs = QBrush(QColor("#fff4d6"))
        for row, (label, mine, theirs) in enumerate(conflict.fields):
            items = [QTableWidgetItem(label), QTableWidgetItem(mine or "—"),
                     QTableWidgetItem(theirs or "—")]
            for col, item in enumerate(items):
                if mine != theirs and col:
                    item.setBackground(differs)
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        table.setFixedHeight(table.horizontalHeader().height() + 4
                             + sum(table.rowHeight(r) for r in range(table.rowCount())))
        box.addWidget(table)
        note = QLabel("Highlighted rows differ.")
        note.setObjectName("tileNote")
        box.addWidget(note)

        buttons = QHBoxLayout()
        back = QPushButton("Back to my edit")
        back.clicked.connect(lambda: self._choose(Choice.BACK))
        keep = QPushButton("Keep the saved version")
        keep.clicked.connect(lambda: self._choose(Choice.KEEP_THEIRS))
        save = QPushButton("Save mine over it")
        save.setObjectName("saveMine")
        save.clicked.connect(lambda: self._choose(Choice.SAVE_MINE))
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(keep)
        buttons.addWidget(save)
        keep.setDefault(True)
        box.addLayout(buttons)
        self.buttons = {Choice.BACK: back, Choice.KEEP_THEIRS: keep, Choice.SAVE_MINE: save}

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()
