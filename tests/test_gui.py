"""The main window opens every page on the demo program without an error."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from console.app import Startup
from console.data.keystore import demo_key_path
from console.data.location import DatabaseLocation
from console.views.areas import AREAS
from console.views.main_window import MainWindow
from console.views.planned_page import PlannedPage
from console.views.tasks import TaskRunner


def copy_demo(source: Path, folder: Path) -> Path:
    """The session's demo program and its key file, copied: signing in writes to it."""
    path = folder / "demo.sqlite"
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    shutil.copy(demo_key_path(source), demo_key_path(path))
    return path


@pytest.fixture
def window(qtbot, demo_db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The console started the way main.py starts it, without --demo: a demo database
    says so by itself and signs its demo supervisor in without asking."""
    location = DatabaseLocation(path=copy_demo(demo_db_path, tmp_path))
    tasks = TaskRunner()
    win = MainWindow(tasks, label=location.label)
    qtbot.addWidget(win)
    startup = Startup(win, tasks, location, area=None, demo=False)
    win.first_painted.connect(startup.open_database)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.show()
    yield win
    tasks.wait()
    if startup.db is not None:
        startup.db.dispose()


def test_title_and_status_bar_say_where_and_who(window: MainWindow) -> None:
    assert window.ctx is not None and window.ctx.demo
    assert window.ctx.access.actor.username == "demo"
    assert "DEMO" in window.windowTitle()
    texts = [w.text() for w in window.statusBar().findChildren(QLabel) if w.isVisible()]
    assert any(t.startswith("User: Demo Supervisor · Supervisor") for t in texts)
    assert any(window.label in t for t in texts)
    assert "DEMO DATA" in texts


def test_every_area_opens(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    for area in AREAS:
        page = window.show_area(area.key)
        assert window.stack.currentWidget() is page
        assert page.title == area.title
        qtbot.waitUntil(lambda: not window.tasks._live, timeout=20_000)
    planned = [a.key for a in AREAS if isinstance(window.page(a.key), PlannedPage)]
    assert planned == ["reports"]


def test_dashboard_draws_weekly_calls_with_markers(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.page("dashboard")
    qtbot.waitUntil(lambda: page.weekly.canvas is not None, timeout=20_000)
    ax = page.weekly.figure.axes[0]
    weekly = next(line for line in ax.get_lines() if line.get_label() == "Calls per week")
    assert len(weekly.get_xdata()) > 150  # three years of weeks
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert "Leadership change" in labels
    assert "Leadership change" in page.weekly.event_list.text()


def test_staffing_page_shows_a_vacancy(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_area("staffing")
    qtbot.waitUntil(lambda: page.positions.source.rowCount() > 0, timeout=20_000)
    assert "vacant" in page.positions_title.text()
    assert page.staff.source.rowCount() >= 10


def test_a_program_event_change_rebuilds_the_other_pages(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Events feed the Dashboard's indicators: after one is added on the Program page, the
    Dashboard is built again (with fresh data) when next shown; the Program page stays."""
    dashboard = window.show_area("dashboard")
    program = window.show_area("program")
    assert window.page("dashboard") is dashboard
    program.data_changed.emit()
    assert "dashboard" not in window._pages and window.page("program") is program
    assert window.show_area("dashboard") is not dashboard
