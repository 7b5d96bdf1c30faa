"""A card holding one matplotlib chart, made on first use.

The page's query imports matplotlib off the GUI thread (the slowest import we have);
the canvas is created when the first result arrives, on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from console.views.widgets import NoteLabel

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def import_matplotlib() -> None:
    """Call from a worker before a chart's first result reaches the GUI thread."""
    import matplotlib.backends.backend_qtagg  # noqa: F401
    import matplotlib.figure  # noqa: F401


class ChartBox(QFrame):
    def __init__(self, name: str, min_height: int = 260, loading: str = "Loading…",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._name, self._min_height = name, min_height
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(12, 12, 12, 12)
        self.status = NoteLabel(loading)
        self.status.setMinimumHeight(min_height)
        self.box.addWidget(self.status)
        self.canvas: Any = None
        self.figure: Figure | None = None

    def draw(self, paint: Callable[[Figure], Any]) -> Any:
        """Draw with `paint(figure)`; returns what it returns."""
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        if self.canvas is None:
            self.figure = Figure(figsize=(8, 3.4), dpi=100, facecolor="white",
                                 layout="constrained")
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setObjectName(self._name)
            self.canvas.setMinimumHeight(self._min_height)
            # Under anything put above the chart, over anything put under it (a caption).
            self.box.insertWidget(self.box.indexOf(self.status) + 1, self.canvas, 1)
            self.status.hide()
        assert self.figure is not None
        result = paint(self.figure)
        self.canvas.draw_idle()
        return result

    def fail(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
