"""The Calls & outcomes page shows the measures of small hand-built databases (offscreen,
tasks run inline)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import access_for
from test_calls_table_model import context_for
from test_outcomes import twelve_calls
from test_repeat_calls import ANALYST, six_people

from console.data.engine import Database
from console.services.access import Access
from console.services.populations import Preset
from console.views.calls_page import TAB_CALLS, TAB_OUTCOMES, TAB_REPEAT, CallsPage
from console.views.dialogs.call_history import CallHistoryDialog
from console.views.period_bar import PeriodBar
from console.views.tasks import TaskRunner


@pytest.fixture
def sync_tasks(qapp: Any) -> TaskRunner:
    return TaskRunner(synchronous=True)


def _page(qtbot: Any, db: Database, access: Access, tasks: TaskRunner) -> CallsPage:
    page = CallsPage(context_for(db, access), tasks)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.period_bar.set_preset(Preset.ALL)  # the hand-built calls are from 2025
    page.activate()
    return page


def test_outcomes_tab_shows_the_measures(qtbot: Any, db: Database, access: Access,
                                         sync_tasks: TaskRunner) -> None:
    twelve_calls(access)
    page = _page(qtbot, db, access, sync_tasks)
    assert page.tabs.currentIndex() == TAB_OUTCOMES
    view = page.outcomes
    # 2 of 5 resolved, c8 blank; patrol alone 1 of 3 (see test_outcomes).
    resolved = view.tiles["resolved_on_scene"]
    assert resolved.value.text() == "40%"
    assert resolved.note.text() == "2 of 5 calls · 1 blank\nPatrol alone: 33%"
    assert "no transport, arrest or involuntary hold" in resolved.toolTip()
    assert "1 calls could not be used" in resolved.toolTip()
    assert view.tiles["custody"].value.text() == "20%"
    # 1.75 hours over 4 calls.
    assert view.tiles["patrol_hours_returned"].value.text() == "2 h"
    assert view.tiles["patrol_hours_returned"].note.text() == "over 4 calls · 3 blank"
    assert view.tiles["injury"].note.text() == "2 of 7 calls\nPatrol alone: 0.0%"
    warm = view.tiles["warm_handoff"]
    assert warm.value.text() == "Not available yet"
    assert warm.note.text() == "No referrals are recorded for these months"
    assert "not available" in warm.toolTip()
    # Intake beside the measures.
    assert "All calls" in view.intake.text() and "<b>12</b>" in view.intake.text()
    assert "<b>8</b>" in view.intake.text() and "<b>62%</b>" in view.intake.text()  # 5 of 8
    # Charts: two months of trends, the heat map, the mix; the by-month table newest first.
    assert view.trends.figure is not None and len(view.trends.figure.axes) == 3
    assert view.heat.figure is not None
    cells = view.heat.figure.axes[0].get_images()[0].get_array()
    assert cells is not None and cells.shape == (7, 24)
    assert view.mix.figure is not None
    table = view.months_table
    assert table.source.rowCount() == 2
    assert table.proxy.index(0, 0).data() == "2025-02"
    assert table.proxy.index(1, 2).data() == "67%"  # January: 2 of 3 resolved


def test_changing_the_period_reloads(qtbot: Any, db: Database, access: Access,
                                     sync_tasks: TaskRunner) -> None:
    twelve_calls(access)
    page = _page(qtbot, db, access, sync_tasks)
    page.period_bar.set_custom(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert page.period_bar.from_edit.isVisibleTo(page)
    view = page.outcomes
    assert view.report is not None and view.report.intake.calls == 6
    # February: c7 ED and c10 hold of 2 (c8 blank, c9 not found).
    assert view.tiles["resolved_on_scene"].value.text() == "0.0%"
    assert view.tiles["ed_transports"].value.text() == "50%"
    page.period_bar.set_preset(Preset.LAST_YEAR)
    assert not page.period_bar.from_edit.isVisibleTo(page)
    assert view.period == page.period_bar.period()


def test_repeat_calls_tab_and_drill_down(qtbot: Any, db: Database, access: Access,
                                         sync_tasks: TaskRunner) -> None:
    _, who = six_people(access)
    page = _page(qtbot, db, access, sync_tasks)
    page.tabs.setCurrentIndex(TAB_REPEAT)
    view = page.repeats
    assert view.tile_30.value.text() == "40%"  # A and E of A-E
    assert view.tile_30.note.text() == "2 of 5 people · 1 blank"
    assert view.tile_90.value.text() == "50%"
    people = view.people
    assert people.source.rowCount() == 6
    assert people.proxy.index(0, 0).data() == "Person D"  # the supervisor sees names
    assert people.proxy.index(0, 1).data() == "3"
    assert view.places.proxy.index(0, 2).data() == "5"  # L1

    view._open_person(people.proxy.index(0, 0))
    dialog = view.history_dialog
    assert isinstance(dialog, CallHistoryDialog)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Call history: Person D"
    assert dialog.table.source.rowCount() == 3
    assert dialog.table.proxy.index(0, 4).data() == "No"  # 3 January: patrol alone
    assert dialog.table.proxy.index(1, 4).data() == "Dispatch"


def test_analysts_see_no_names(qtbot: Any, db: Database, tmp_path: Any,
                               sync_tasks: TaskRunner) -> None:
    supervisor = access_for(db, tmp_path)
    six_people(supervisor)
    page = _page(qtbot, db, access_for(db, tmp_path, ANALYST), sync_tasks)
    page.tabs.setCurrentIndex(TAB_REPEAT)
    people = page.repeats.people
    first = people.proxy.index(0, 0).data()
    assert first.startswith("Person ") and first != "Person D"
    page.repeats._open_person(people.proxy.index(0, 0))
    dialog = page.repeats.history_dialog
    assert isinstance(dialog, CallHistoryDialog)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Call history: {first}"
    assert "Names show only to roles allowed" in dialog.intro.text()


def test_calls_tab_hides_the_period(qtbot: Any, db: Database, access: Access,
                                    sync_tasks: TaskRunner) -> None:
    twelve_calls(access)
    page = _page(qtbot, db, access, sync_tasks)
    page.show()
    assert page.period_bar.isVisible()
    page.tabs.setCurrentIndex(TAB_CALLS)
    assert not page.period_bar.isVisible()
    assert page.model.rowCount() == 12
    assert "Outcomes" in [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "later release" not in page.subtitle


def test_period_bar_presets(qtbot: Any) -> None:
    bar = PeriodBar(today=lambda: dt.date(2026, 3, 15))
    qtbot.addWidget(bar)
    seen: list[Any] = []
    bar.changed.connect(seen.append)
    assert bar.period().start == dt.date(2025, 4, 1)  # last 12 whole months
    bar.set_preset(Preset.THIS_YEAR)
    assert seen[-1].start == dt.date(2026, 1, 1) and seen[-1].end == dt.date(2026, 3, 15)
    bar.set_custom(dt.date(2026, 2, 10), dt.date(2026, 1, 5))  # reversed: put in order
    assert (seen[-1].start, seen[-1].end) == (dt.date(2026, 1, 5), dt.date(2026, 2, 10))
