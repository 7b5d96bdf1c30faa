"""The Schedule page on the demo program: a person put on a shift on their court day is
flagged in the week grid and the breach listed in a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert

from console.app import Startup
from console.data.location import DatabaseLocation
from console.data.models import DutyAway
from console.data.schedule_enums import DutyAwayKind
from console.views.main_window import MainWindow
from console.views.schedule_page import SchedulePage
from console.views.tasks import TaskRunner
from tests.test_gui import copy_demo


@pytest.fixture
def window(qtbot, demo_db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    location = DatabaseLocation(path=copy_demo(demo_db_path, tmp_path))
    tasks = TaskRunner()
    win = MainWindow(tasks, label=location.label)
    qtbot.addWidget(win)
    startup = Startup(win, tasks, location, area=None, demo=False)
    win.first_painted.connect(startup.open_database)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.show()
    yield win, startup
    tasks.wait()
    if startup.db is not None:
        startup.db.dispose()


def test_assigning_someone_on_their_court_day_is_flagged(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win, startup = window
    page = win.show_area("schedule")
    assert isinstance(page, SchedulePage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=30_000)
    assert page.view is not None
    week = page.view.week
    assert week.shifts, "the demo's week has shifts"
    before = {b.explanation for b in week.breaches}
    shift = week.shifts[0]
    on = {p.id for p in shift.staff}
    person = next(p for p in week.staff if p.id not in on)
    with startup.db.engine.begin() as conn:  # a court day the supervisor overlooks
        conn.execute(insert(DutyAway).values(staff_id=person.id, day=shift.starts_at.date(),
                                             kind=DutyAwayKind.COURT))
    page.select_shift(shift.id)
    assert page.assign_button.isEnabled()
    dialog = page.open_assign()
    assert dialog is not None
    dialog.person.setCurrentIndex(dialog.person.findData(person.id))
    old_view = page.view
    dialog.accept()
    qtbot.waitUntil(lambda: page.view is not old_view, timeout=30_000)
    new = [b for b in page.view.week.breaches if b.explanation not in before]
    assert [(b.rule, b.staff, b.shift_id) for b in new] == [("leave", person.name, shift.id)]
    assert f"is away on {shift.starts_at:%a %Y-%m-%d} (court) (leave)." in new[0].explanation
    assert shift.id in page.flagged_shift_ids()
    listed = [page.breaches.item(i).text() for i in range(page.breaches.count())]
    assert f"leave: {new[0].explanation}" in listed


def test_suggest_moves_answers_in_a_sentence(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win, _startup = window
    page = win.show_area("schedule")
    assert isinstance(page, SchedulePage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=30_000)
    page.suggest_button.click()
    qtbot.waitUntil(lambda: page.suggest_button.isEnabled(), timeout=60_000)
    text = page.suggestions.text()
    assert text.startswith("Move the ") or text.startswith("No move of a shift")


def test_publishing_a_week_says_its_version(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win, _startup = window
    page = win.show_area("schedule")
    assert isinstance(page, SchedulePage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=30_000)
    assert page.view is not None
    from console.services.schedule.versions import versions

    clean = not page.view.week.breaches
    published = len(versions(page.ctx.access))  # the demo's history
    page.publish_button.click()
    qtbot.waitUntil(lambda: page.publish_button.isEnabled() and page.status.isVisibleTo(page),
                    timeout=30_000)
    if clean:
        assert page.status.text().startswith("Published the week of ")
        assert page.status.text().endswith(f"as roster version {published + 1}.")
    else:
        assert page.status.text().startswith("Not published: ")


def test_a_stricter_rest_rule_flags_the_week(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    win, _startup = window
    page = win.show_area("schedule")
    assert isinstance(page, SchedulePage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=30_000)
    page.rules_button.click()
    qtbot.waitUntil(lambda: page.rules_dialog is not None and page.rules_dialog.isVisible(),
                    timeout=30_000)
    dialog = page.rules_dialog
    assert dialog.edits["roster_rest_hours"].text() == "10"  # type: ignore[union-attr]
    dialog.edits["roster_rest_hours"].setText("24")  # type: ignore[union-attr]
    old_view = page.view
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.view is not old_view, timeout=30_000)
    rest = [b for b in page.view.week.breaches if b.rule == "rest"]
    assert rest and all("under the minimum of 24 h (rest)" in b.explanation for b in rest)
    assert {b.shift_id for b in rest} <= page.flagged_shift_ids()
