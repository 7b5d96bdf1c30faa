"""The main window opens every page on the demo program without an error."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from console.context import AppContext
from console.data.engine import Database
from console.views.areas import AREAS
from console.views.main_window import MainWindow
from console.views.planned_page import PlannedPage
from console.views.tasks import TaskRunner


@pytest.fixture
def window(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    win = MainWindow(tasks, label=demo_db.label, user="sgt.tester", demo=True)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.first_painted, timeout=10_000):
        win.show()
    with qtbot.waitSignal(win.ready, timeout=10_000):
        win.attach(AppContext(db=demo_db, user="sgt.tester", demo=True))
    yield win
    tasks.wait()


def test_title_and_status_bar_say_where_and_who(window: MainWindow) -> None:
    assert "DEMO" in window.windowTitle()
    texts = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert any("sgt.tester" in t for t in texts)
    assert any(window.label in t for t in texts)
    assert "DEMO DATA" in texts


def test_every_area_opens(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    for area in AREAS:
        page = window.show_area(area.key)
        assert window.stack.currentWidget() is page
        assert page.title == area.title
        qtbot.waitUntil(lambda: not window.tasks._live, timeout=20_000)
    planned = [a.key for a in AREAS if isinstance(window.page(a.key), PlannedPage)]
    assert planned == ["referrals", "schedule", "pipeline", "complaints", "reports"]


def test_dashboard_draws_weekly_calls_with_markers(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.page("dashboard")
    qtbot.waitUntil(lambda: page.canvas is not None, timeout=20_000)
    ax = page.figure.axes[0]
    weekly = next(line for line in ax.get_lines() if line.get_label() == "Calls per week")
    assert len(weekly.get_xdata()) > 150  # three years of weeks
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert "Leadership change" in labels
    assert page.tile_calls._value.text() not in ("…", "0")


def test_staffing_page_shows_a_vacancy(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_area("staffing")
    qtbot.waitUntil(lambda: page.positions.source.rowCount() > 0, timeout=20_000)
    assert "vacant" in page.positions_title.text()
    assert page.staff.source.rowCount() >= 10
