"""Does every page read whole at a given window size? Checks shared by the small-screen GUI
tests, in this process and in a child process: one started with QT_SCALE_FACTOR (read once,
before QApplication starts), one with every font larger (the application's and the style
sheet's, as a user who asks for larger text gets; set before the window is built).

`python tests/layout_fit.py DEMO.sqlite [--font-scale F] WIDTHxHEIGHT…` opens the console
on a copy of the demo program, visits every page at each size and prints one line per
problem (exit 1 if any; "min" is the window's minimum size, 960x620).

Qt 6 turns a screen's higher DPI (QT_FONT_DPI, a 150% display) into a device pixel ratio:
the layout in logical pixels is that of a smaller screen, which the sizes given cover.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QElapsedTimer, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QTabBar, QTabWidget, QWidget

from console.views.areas import AREAS
from console.views.main_window import MainWindow
from console.views.window_placement import MINIMUM_SIZE

# Charts narrower or lower than this (logical pixels) cannot be read.
CHART_MIN_HEIGHT = 240
CHART_MIN_AXES_WIDTH = 200
BOXES = ("tile", "card")


def text_size(label: QLabel, width: int) -> QSize:
    """The size the label's text needs when laid out at `width` (wrapped if it wraps)."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if rich:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(label.font())
        doc.setHtml(text)
        if label.wordWrap():
            doc.setTextWidth(width)
        size = doc.size()
        return QSize(math.ceil(doc.idealWidth()), math.ceil(size.height()))
    flags = int(label.alignment().value)
    if label.wordWrap():
        flags |= Qt.TextFlag.TextWordWrap.value
    rect = QFontMetrics(label.font()).boundingRect(QRect(0, 0, width, 100_000), flags, text)
    return rect.size()


def label_problem(label: QLabel, box: QWidget) -> str | None:
    """Why the label's text does not fit the label, or the label its box (None: it fits)."""
    if not label.isVisibleTo(box) or not label.text().strip():
        return None
    inner = label.contentsRect()
    margin = label.margin() * 2 + max(label.indent(), 0)
    room = QSize(inner.width() - margin, inner.height() - label.margin() * 2)
    need = text_size(label, room.width())
    name = " ".join(label.text().split())[:40]
    if need.height() > room.height() + 1:
        return f"text needs {need.height()} px of height, has {room.height()}: {name!r}"
    if need.width() > room.width() + 1:
        return f"text needs {need.width()} px of width, has {room.width()}: {name!r}"
    top_left = label.mapTo(box, label.rect().topLeft())
    if not box.rect().contains(QRect(top_left, label.size())):
        return f"label runs outside its {box.objectName()} ({box.width()}x{box.height()}): {name!r}"
    return None


def tile_problems(root: QWidget) -> Iterator[str]:
    """Every tile or card under root whose text does not fit (visible ones only)."""
    for box in root.findChildren(QFrame):
        if box.objectName() not in BOXES or not box.isVisibleTo(root):
            continue
        for label in box.findChildren(QLabel):
            problem = label_problem(label, box)
            if problem:
                yield f"{box.objectName()} {box.width()}x{box.height()}: {problem}"


def chart_problems(root: QWidget) -> Iterator[str]:
    """Every visible chart canvas lower than CHART_MIN_HEIGHT."""
    for canvas in root.findChildren(QWidget):
        if not canvas.objectName().endswith(("Chart", "Canvas")) or not canvas.isVisibleTo(root):
            continue
        if not type(canvas).__name__.startswith("FigureCanvas"):
            continue
        if canvas.height() < CHART_MIN_HEIGHT:
            yield f"chart {canvas.objectName()} is {canvas.height()} px high"
        # The widest plot (not a colour bar) must keep a readable width.
        widths = [ax.get_position().width * canvas.width()
                  for ax in canvas.figure.axes if ax.axison]  # type: ignore[attr-defined]
        if widths and max(widths) < CHART_MIN_AXES_WIDTH:
            yield f"chart {canvas.objectName()}: its plot is squeezed to {max(widths):.0f} px"


def tab_bar_problems(root: QWidget) -> Iterator[str]:
    """Every visible tab bar too narrow for its tabs (their titles cut or scrolled)."""
    for bar in root.findChildren(QTabBar):
        if bar.isVisibleTo(root) and bar.width() < bar.sizeHint().width():
            titles = ", ".join(bar.tabText(i) for i in range(bar.count()))
            yield f"tab bar {bar.width()} px for {bar.sizeHint().width()} px of tabs: {titles}"


def settle(app: QApplication, window: MainWindow, ms: int = 60_000) -> None:
    """Let queued layouts and background loads finish."""
    timer = QElapsedTimer()
    timer.start()
    while True:
        app.processEvents()
        if not window.tasks._live and timer.elapsed() > 50:
            break
        if timer.elapsed() > ms:
            raise TimeoutError("the pages did not finish loading")
    for _ in range(3):
        app.processEvents()


def page_problems(app: QApplication, window: MainWindow, size: QSize) -> list[str]:
    """Visit every page (every tab of a page) at this window size; the problems seen."""
    window.resize(size)
    found: list[str] = []
    for area in AREAS:
        page = window.show_area(area.key)
        tab_widgets = [t for t in page.findChildren(QTabWidget)
                       if t.objectName() == "callsTabs"] or [None]
        for tabs in tab_widgets:
            for index in range(tabs.count() if tabs else 1):
                where = area.key
                if tabs is not None:
                    tabs.setCurrentIndex(index)
                    where += f"/{tabs.tabText(index)}"
                settle(app, window)
                found += [f"{size.width()}x{size.height()} {where}: {p}"
                          for p in (*tile_problems(page), *chart_problems(page),
                                    *tab_bar_problems(page))]
                found += [f"{size.width()}x{size.height()} {where}: {p}"
                          for p in inner_tab_problems(app, window, page)]
        settle(app, window)
    return found


def inner_tab_problems(app: QApplication, window: MainWindow, page: QWidget) -> list[str]:
    """The charts on every tab of the chart tabs shown on the page (Monthly trends, …)."""
    found: list[str] = []
    for tabs in page.findChildren(QTabWidget):
        if tabs.objectName() == "callsTabs" or not tabs.isVisibleTo(page):
            continue
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            settle(app, window)
            found += [f"{tabs.tabText(index)}: {p}" for p in chart_problems(page)]
        tabs.setCurrentIndex(current)
    return found


def _open_window(app: QApplication, demo: Path, folder: Path) -> MainWindow:
    from test_gui import copy_demo

    from console.app import Startup
    from console.data.location import DatabaseLocation
    from console.views.tasks import TaskRunner

    location = DatabaseLocation(path=copy_demo(demo, folder))
    tasks = TaskRunner()
    window = MainWindow(tasks, label=location.label)
    startup = Startup(window, tasks, location, area=None, demo=False)
    window.first_painted.connect(startup.open_database)
    window.show()
    timer = QElapsedTimer()
    timer.start()
    while window.ctx is None:
        app.processEvents()
        if timer.elapsed() > 60_000:
            raise TimeoutError("the console did not open its database")
    window._startup = startup  # type: ignore[attr-defined]  # kept alive
    return window


def enlarge_fonts(app: QApplication, scale: float) -> None:
    """Every font `scale` times larger: the application's and each size in the style sheet."""
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    app.setFont(font)
    app.setStyleSheet(re.sub(r"(\d+(?:\.\d+)?)pt",
                             lambda m: f"{float(m[1]) * scale:.1f}pt", app.styleSheet()))


def main(argv: list[str]) -> int:
    from console.app import make_application

    demo, sizes = Path(argv[0]), argv[1:]
    font_scale = 1.0
    if sizes[:1] == ["--font-scale"]:
        font_scale, sizes = float(sizes[1]), sizes[2:]
    app = make_application()
    if font_scale != 1.0:
        enlarge_fonts(app, font_scale)
    with tempfile.TemporaryDirectory() as folder:
        window = _open_window(app, demo, Path(folder))
        problems: list[str] = []
        for text in sizes:
            size = MINIMUM_SIZE if text == "min" else \
                QSize(*(int(n) for n in text.split("x")))
            problems += page_problems(app, window, size)
        window.tasks.wait(5_000)
        window.close()
    scaled = " ".join([f"{k}={os.environ[k]}" for k in ("QT_SCALE_FACTOR",) if k in os.environ]
                      + [f"fonts x{font_scale}"] * (font_scale != 1.0))
    for line in problems:
        print(f"{scaled}: {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main(sys.argv[1:]))
