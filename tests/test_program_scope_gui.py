"""Program scoping in the window: the program is chosen at sign-in when the database holds
several, shown in the status bar, and the pages read only its data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel
from sqlalchemy import insert

from console.app import Startup
from console.data.engine import open_database, sqlite_url
from console.data.enums import AgencyKind
from console.data.location import DatabaseLocation
from console.data.models import Agency, Call, Program
from console.services.calls_service import CallQuery, count_calls
from console.views.main_window import MainWindow
from console.views.tasks import TaskRunner
from tests.test_gui import copy_demo

SECOND = "Northside Co-Response"


def _with_a_second_program(path: Path) -> None:
    database = open_database(sqlite_url(path), create=False)
    try:
        with database.engine.begin() as conn:
            program = conn.execute(insert(Program).values(
                name=SECOND, jurisdiction="Northside", started_on=dt.date(2025, 1, 1))
                .returning(Program.id)).scalar_one()
            agency = conn.execute(insert(Agency).values(
                program_id=program, name="Northside PD", kind=AgencyKind.POLICE,
                is_lead=True).returning(Agency.id)).scalar_one()
            conn.execute(insert(Call), [
                {"program_id": program, "agency_id": agency, "incident_number": f"N-{i}",
                 "received_at": dt.datetime(2026, 3, 1, 9) + dt.timedelta(hours=i)}
                for i in range(3)])
    finally:
        database.dispose()


@pytest.mark.parametrize("name", [SECOND, "northside co-response"])
def test_the_program_named_at_start_is_the_one_shown(  # type: ignore[no-untyped-def]
        qtbot, demo_db_path: Path, tmp_path: Path, name: str) -> None:
    path = copy_demo(demo_db_path, tmp_path)
    _with_a_second_program(path)
    tasks = TaskRunner()
    win = MainWindow(tasks, label=str(path))
    qtbot.addWidget(win)
    startup = Startup(win, tasks, DatabaseLocation(path=path), area="calls", demo=False,
                      program=name)
    win.first_painted.connect(startup.open_database)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.show()
    try:
        assert win.ctx is not None and win.ctx.program == SECOND
        texts = [w.text() for w in win.statusBar().findChildren(QLabel) if w.isVisible()]
        assert f"Program: {SECOND}" in texts
        assert count_calls(win.ctx.access, CallQuery()) == 3
    finally:
        tasks.wait()
        if startup.db is not None:
            startup.db.dispose()


@pytest.mark.parametrize("pick", [1, None])
def test_without_a_name_the_user_chooses_or_cancels(  # type: ignore[no-untyped-def]
        qtbot, demo_db_path: Path, tmp_path: Path, pick: int | None) -> None:
    """The choice at sign-in: the list names every program; picking the second works in
    it, cancelling closes the window without opening any program."""
    path = copy_demo(demo_db_path, tmp_path)
    _with_a_second_program(path)
    tasks = TaskRunner()
    win = MainWindow(tasks, label=str(path))
    qtbot.addWidget(win)
    startup = Startup(win, tasks, DatabaseLocation(path=path), area="calls", demo=False)
    offered: list[list[str]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(50, answer)
            return
        offered.append(dialog.comboBoxItems())
        if pick is None:
            dialog.reject()
        else:
            dialog.setTextValue(dialog.comboBoxItems()[pick])
            dialog.accept()

    QTimer.singleShot(50, answer)
    win.first_painted.connect(startup.open_database)
    try:
        if pick is None:
            win.show()
            qtbot.waitUntil(lambda: not win.isVisible(), timeout=30_000)
            assert win.ctx is None
        else:
            with qtbot.waitSignal(win.ready, timeout=30_000):
                win.show()
            assert win.ctx is not None and win.ctx.program == SECOND
            assert count_calls(win.ctx.access, CallQuery()) == 3
        assert len(offered) == 1 and len(offered[0]) == 2
        assert offered[0][1] == f"{SECOND} (Northside)"
    finally:
        tasks.wait()
        if startup.db is not None:
            startup.db.dispose()
