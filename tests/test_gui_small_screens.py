"""Small screens and display scaling: every tile's text fits its tile and every chart keeps a
readable height at the window's minimum size, on a 1366x768 screen and on a 1920x1080
screen at 150% (1280x720 logical pixels); the window fits the screen and remembers itself.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from layout_fit import page_problems, settle, tab_bar_problems
from PySide6.QtCore import QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot
from test_gui import window  # noqa: F401  (the fixture: the console on the demo program)

from console.views.calls_page import TAB_CALLS, CallsPage
from console.views.main_window import MainWindow
from console.views.tasks import TaskRunner
from console.views.tile_grid import TileGrid
from console.views.window_placement import (
    FRAME,
    GEOMETRY_KEY,
    MINIMUM_SIZE,
    PREFERRED_SIZE,
    fit_to_screen,
    fitted,
    reachable,
    settings_path,
    window_settings,
)

# The window's inside on a maximised window: the screen less a taskbar and a title bar.
SMALL_LAPTOP = QSize(1366, 768 - 40 - 30)
SCALED_LAPTOP = QSize(1280, 720 - 32 - 30)  # 1920x1080 at 150%


@pytest.mark.parametrize("size", ["minimum", "1366x768", "1920x1080 at 150%"])
def test_every_tile_reads_whole_and_charts_keep_their_height(
        window: MainWindow, size: str) -> None:  # noqa: F811
    target = {"minimum": MINIMUM_SIZE, "1366x768": SMALL_LAPTOP,
              "1920x1080 at 150%": SCALED_LAPTOP}[size]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems = page_problems(app, window, target)
    assert not problems, "\n".join(problems)


def test_the_period_leaves_the_tab_bar_when_both_do_not_fit(
        window: MainWindow) -> None:  # noqa: F811
    page = window.show_area("calls")
    assert isinstance(page, CallsPage)
    page.period_bar.set_custom(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size, beside in ((QSize(780, 600), False), (QSize(1600, 900), True),
                         (MINIMUM_SIZE, None), (SMALL_LAPTOP, None)):
        window.resize(size)
        settle(app, window)
        assert list(tab_bar_problems(page)) == []
        assert page.period_bar.isVisible()
        in_corner = page.tabs.cornerWidget() is page.period_bar
        assert page.period_row.isVisible() is not in_corner
        if beside is not None:
            assert in_corner is beside
    page.tabs.setCurrentIndex(TAB_CALLS)
    assert not page.period_bar.isVisible() and not page.period_row.isVisible()


@pytest.mark.parametrize(("env", "options"), [({"QT_SCALE_FACTOR": "1.5"}, []),
                                              ({}, ["--font-scale", "1.3"])],
                         ids=["scale-150", "larger-text"])
def test_pages_read_whole_when_scaled(demo_db_path: Path, env: dict[str, str],
                                      options: list[str]) -> None:
    """A child process: Qt reads the scale factor once, before it starts, and the fonts
    must be larger before the window is built."""
    here = Path(__file__).parent
    result = subprocess.run(
        [sys.executable, str(here / "layout_fit.py"), str(demo_db_path), *options,
         "min", "1280x658",
         "1077x540"],  # the last: 1366x768 at 125%, smaller than the minimum window
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        capture_output=True, text=True, timeout=300, cwd=here.parent)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]


# --- Where the window opens ---------------------------------------------------------


def test_first_open_fits_the_available_area() -> None:
    laptop = QRect(0, 0, 1366, 728)  # 1366x768 less the taskbar
    inside = fitted(laptop)
    assert laptop.contains(inside.marginsAdded(FRAME))  # title bar and status bar on screen
    assert inside.width() >= 1340 and inside.height() >= 680
    big = QRect(0, 0, 2560, 1400)
    assert fitted(big).size() == PREFERRED_SIZE
    assert fitted(big).center() == big.marginsRemoved(FRAME).center()
    second = QRect(1920, 0, 1280, 688)  # a scaled laptop beside a first screen
    assert second.contains(fitted(second))


def test_a_window_left_off_every_screen_is_not_reachable() -> None:
    screens = [QRect(0, 0, 1920, 1040), QRect(1920, 0, 1366, 728)]
    assert reachable(QRect(100, 100, 1200, 800), screens)
    assert reachable(QRect(3100, 200, 1200, 800), screens)  # mostly off the right screen
    assert not reachable(QRect(3400, 100, 1200, 800), screens)  # a screen unplugged
    assert not reachable(QRect(100, -790, 1200, 800), screens)  # title bar above the top


def _window(qtbot: QtBot, settings: QSettings | None) -> MainWindow:
    win = MainWindow(TaskRunner(synchronous=True), label="test.sqlite", settings=settings)
    qtbot.addWidget(win)
    return win


def test_the_window_remembers_its_place_in_the_user_config_folder(qtbot: QtBot) -> None:
    folder = Path(os.environ["XDG_CONFIG_HOME"])
    first = _window(qtbot, window_settings())
    available = first.screen().availableGeometry()
    assert available.contains(first.geometry())
    assert first.minimumSize().width() <= available.width()
    moved = QRect(available.topLeft() + QPoint(4, 30), first.minimumSize() + QSize(4, 4))
    first.setGeometry(moved)
    first.show()
    first.close()
    written = settings_path()
    assert written.is_file() and folder in written.parents
    assert "geometry" in written.read_text()

    second = _window(qtbot, window_settings())
    assert second.geometry().size() == moved.size()
    assert second.geometry().topLeft() == moved.topLeft()


def test_a_place_off_every_screen_is_forgotten(qtbot: QtBot) -> None:
    settings = window_settings()
    away = _window(qtbot, None)
    away.setGeometry(QRect(20_000, 20_000, 1000, 700))
    settings.setValue(GEOMETRY_KEY, away.saveGeometry())
    settings.sync()
    win = _window(qtbot, window_settings())
    available = win.screen().availableGeometry()
    assert reachable(win.geometry(), [available])
    assert available.contains(win.geometry())


# --- The reflowing grid ----------------------------------------------------------------


def test_tiles_take_fewer_columns_and_more_rows_as_the_width_shrinks(qtbot: QtBot) -> None:
    grid = TileGrid(max_columns=5)
    qtbot.addWidget(grid)
    layout = grid.grid
    layout.min_column_width = 180
    tiles = [QLabel(f"A measure whose label wraps on narrow tiles {n}") for n in range(7)]
    for tile in tiles:
        tile.setWordWrap(True)
        tile.setMinimumWidth(100)
        grid.add(tile)
    grid.start_new_row()
    extra = QLabel("not available yet")
    grid.add(extra)
    assert [layout.columns_for(w) for w in (2000, 1000, 700, 370, 100)] == [5, 5, 3, 2, 1]
    heights = [layout.heightForWidth(w) for w in (1000, 700, 370, 180)]
    assert heights == sorted(heights) and heights[0] < heights[-1]

    grid.resize(700, layout.heightForWidth(700))
    grid.show()
    qtbot.waitExposed(grid)
    assert {t.width() for t in tiles} == {(700 - 2 * 8) // 3}
    assert tiles[3].y() > tiles[0].y() and tiles[3].x() == tiles[0].x()  # second row
    assert extra.x() == tiles[0].x() and extra.y() > tiles[6].y()  # a row of its own
    for tile in (*tiles, extra):
        assert grid.rect().contains(tile.geometry())
        assert tile.height() >= tile.heightForWidth(tile.width())


def test_a_tall_dialog_is_no_larger_than_its_screen(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    room = dialog.screen().availableGeometry().marginsRemoved(FRAME).size()
    fit_to_screen(dialog, QSize(5000, 5000))
    assert dialog.size() == room
    fit_to_screen(dialog, QSize(300, 200))
    assert dialog.size() == QSize(300, 200)
