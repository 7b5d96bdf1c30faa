"""Small reusable widgets: stat tiles and empty / loading notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class StatTile(QFrame):
    """A number with its label and a short line of context."""

    def __init__(self, label: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setToolTip(tooltip)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(2)
        self._label = QLabel(label)
        self._label.setObjectName("tileLabel")
        self._value = QLabel("…")
        self._value.setObjectName("tileValue")
        self._note = QLabel("")
        self._note.setObjectName("tileNote")
        self._note.setWordWrap(True)
        for w in (self._label, self._value, self._note):
            box.addWidget(w)

    def set_value(self, value: str, note: str = "") -> None:
        self._value.setText(value)
        self._note.setText(note)


class NoteLabel(QLabel):
    """A centred, muted message for empty, loading and failed states."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("note")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
