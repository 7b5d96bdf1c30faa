"""Small reusable widgets: stat tiles and empty / loading notes; sizes in characters."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


def text_width(widget: QWidget, chars: float) -> int:
    """The width of `chars` average characters of the widget's font: fixed widths follow
    the font, so they grow with a larger font or a higher font DPI."""
    widget.ensurePolished()  # the style sheet's font
    return round(widget.fontMetrics().averageCharWidth() * chars)


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
        self._label.setWordWrap(True)
        self._value = QLabel("…")
        self._value.setObjectName("tileValue")
        self._note = QLabel("")
        self._note.setObjectName("tileNote")
        self._note.setWordWrap(True)
        for w in (self._label, self._value, self._note):
            box.addWidget(w)
        box.addStretch(1)

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


def scroll_area(body: QWidget, name: str = "pageScroll") -> QScrollArea:
    """`body` in a frameless vertical scroll area: when the window is too small for it,
    it scrolls instead of squashing (the body keeps the height its layout needs)."""
    area = QScrollArea()
    area.setObjectName(name)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(body)
    area.viewport().setAutoFillBackground(False)
    body.setAutoFillBackground(False)
    return area
