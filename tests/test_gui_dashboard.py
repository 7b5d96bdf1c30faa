"""The Dashboard's indicator tiles and drill-down: hand-built evaluations for the widgets,
the real engine on the demo program for the page (offscreen)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from conftest import DEMO_END
from indicator_values import acknowledged, evaluation
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from test_gui import window  # noqa: F401  (the fixture: the console on the demo program)

from console.data.engine import Database
from console.data.enums import UserRole
from console.data.identity import unlock
from console.reports.indicator_style import SEVERITY_COLOURS
from console.services.access import Access, Actor
from console.services.indicators.model import Severity, Thresholds
from console.views.dashboard_page import BANNER_ITEMS, EVALUATING, DashboardPage, banner_html
from console.views.dialogs.indicator_actions import (
    NOTE_NEEDED,
    AcknowledgeDialog,
    ThresholdsDialog,
    thresholds_problem,
)
from console.views.dialogs.indicator_detail import IndicatorDetailDialog
from console.views.indicator_tile import IndicatorTile, sparkline_image
from console.views.main_window import MainWindow
from console.views.tasks import TaskRunner

# --- The tile ----------------------------------------------------------------------------


def _tile(qtbot: Any, e: Any) -> IndicatorTile:
    tile = IndicatorTile(e)
    qtbot.addWidget(tile)
    tile.set_evaluation(e, sparkline_image(e, 1.0))
    tile.resize(300, tile.heightForWidth(300) if tile.hasHeightForWidth() else 160)
    tile.show()
    qtbot.waitExposed(tile)
    return tile


def test_tile_says_value_baseline_and_severity_in_words(qtbot: Any) -> None:
    e = evaluation(severity=Severity.CRITICAL, title="Patrol requests")
    tile = _tile(qtbot, e)
    assert tile.title.text() == "Patrol requests"
    assert tile.value.text() == "20"
    assert tile.note.text() == "requests a week · baseline 30"
    assert tile.badge.text() == "Critical"  # never colour alone
    assert SEVERITY_COLOURS[Severity.CRITICAL].soft in tile.badge.styleSheet()
    assert not tile.acknowledged.isVisible()
    assert "fell 33%" in tile.toolTip()
    assert tile.accessibleName() == "Patrol requests: Critical"
    image = tile.sparkline.image
    assert image is not None and not image.isNull() and image.width() >= 200


def test_tile_marks_an_acknowledged_alert_and_an_indicator_without_baseline(
        qtbot: Any) -> None:
    tile = _tile(qtbot, acknowledged(evaluation()))
    assert tile.acknowledged.isVisible()
    assert "Raised with the new chief" in tile.acknowledged.toolTip()
    fixed = replace(evaluation("positions_filled", unit="", severity=Severity.WATCH),
                    baseline=None, baseline_note="fixed thresholds, no baseline",
                    thresholds=Thresholds(0.95, 0.85, 0.7, above=False), percent=True)
    tile.set_evaluation(fixed)
    assert tile.note.text() == "watch line 95%" and tile.badge.text() == "Watch"
    share = replace(evaluation(unit="share", severity=Severity.OK), baseline=None,
                    baseline_note="not enough history: 20 of 104 weeks")
    tile.set_evaluation(share)
    assert tile.badge.text() == "No baseline yet"
    assert tile.value.text() == "20%"
    assert tile.note.text() == "not enough history: 20 of 104 weeks"
    assert not tile.acknowledged.isVisible()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_keyboard_opens_a_focused_tile(qtbot: Any, key: Qt.Key) -> None:
    tile = _tile(qtbot, evaluation("requesting_officers"))
    assert tile.focusPolicy() & Qt.FocusPolicy.TabFocus
    tile.setFocus()
    with qtbot.waitSignal(tile.opened) as opened:
        qtbot.keyClick(tile, key)
    assert opened.args == ["requesting_officers"]


def test_a_click_opens_a_tile_and_other_keys_do_not(qtbot: Any) -> None:
    tile = _tile(qtbot, evaluation("vacancy_age"))
    seen: list[str] = []
    tile.opened.connect(seen.append)
    qtbot.keyClick(tile, Qt.Key.Key_A)
    assert seen == []
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert seen == ["vacancy_age"]


# --- The action dialogs: what they refuse before asking the service -----------------------


def test_acknowledging_needs_a_note(qtbot: Any) -> None:
    dialog = AcknowledgeDialog(None, TaskRunner(synchronous=True), evaluation())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.note.setPlainText("   ")
    dialog.ok.click()
    assert dialog.error.isVisible()
    assert dialog.error.text() == NOTE_NEEDED[:1].upper() + NOTE_NEEDED[1:]
    assert dialog.result() == 0 and dialog.isVisible()
    assert dialog.review_date() is None
    dialog.review.setChecked(True)
    assert dialog.review_date() == dt.date.today() + dt.timedelta(days=14)


@pytest.mark.parametrize(("values", "above", "fine"), [
    ((2.0, 4.0, 6.0), True, True),
    ((4.0, 2.0, 6.0), True, False),
    ((0.8, 0.7, 0.5), False, True),
    ((0.5, 0.7, 0.8), False, False),
])
def test_thresholds_must_run_from_watch_to_critical(
        qtbot: Any, values: tuple[float, float, float], above: bool, fine: bool) -> None:
    e = replace(evaluation(), thresholds=Thresholds(2.0, 4.0, 6.0, above=above))
    dialog = ThresholdsDialog(None, TaskRunner(synchronous=True), e)
    qtbot.addWidget(dialog)
    for level, value in zip((Severity.WATCH, Severity.WARNING, Severity.CRITICAL), values,
                            strict=True):
        dialog.spins[level].setValue(value)
    t = dialog.thresholds()
    assert (t.watch, t.warning, t.critical, t.above) == (*values, above)
    problem = thresholds_problem(t, "CUSUM")
    assert (problem == "") is fine
    if not fine:
        dialog.show()
        dialog.ok.click()  # refused here: the service is never asked (access is None)
        assert dialog.error.isVisible() and "watch to warning to critical" in \
            dialog.error.text()
        assert ("higher" if above else "lower") in dialog.error.text()


def test_sparkline_is_drawn_at_the_screen_ratio(qapp: QApplication) -> None:
    image = sparkline_image(evaluation(), 2.0)
    assert image.devicePixelRatio() == 2.0
    assert image.width() == 480 and image.height() == 88


# --- The page on the demo program, with the real engine ----------------------------------


def _as_of(page: DashboardPage, qtbot: Any, day: dt.date) -> None:
    page.as_of.setDate(QDate(day.year, day.month, day.day))
    qtbot.waitUntil(lambda: page.evaluated_as_of == day and not page.tasks._live,
                    timeout=60_000)


def test_tiles_appear_worst_first_without_blocking(qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: bool(page.tiles_in_order()), timeout=60_000)
    page.evaluate()
    # The evaluation runs on a worker: its result can only arrive through the event loop.
    assert page.state.text() == EVALUATING
    qtbot.waitUntil(lambda: page.state.text() != EVALUATING, timeout=60_000)
    tiles = page.tiles_in_order()
    ids = [t.indicator_id for t in tiles]
    assert {"patrol_requests", "requesting_officers", "vacancy_age"} <= set(ids)
    severities = [t.evaluation.severity for t in tiles]
    assert severities == sorted(severities, reverse=True)
    assert all(t.isVisibleTo(page) and t.sparkline.image is not None for t in tiles)
    assert [e.id for e in page.evaluations] == ids
    assert page.note.isHidden()

    _as_of(page, qtbot, DEMO_END)  # the last day of the demo: the erosion is flagged
    tiles = page.tiles_in_order()
    assert tiles[0].evaluation.severity >= Severity.WARNING
    assert all(t.evaluation.as_of in (None, DEMO_END) for t in tiles)
    # Tab goes from tile to tile in the order they read, after the date.
    assert _next_by_tab(page, page.today) is tiles[0]
    assert [_next_by_tab(page, t) for t in tiles[:-1]] == tiles[1:]
    # The weekly calls stay below the tiles.
    assert page.weekly.y() > page.tiles.y()


def _next_by_tab(page: QWidget, widget: QWidget) -> QWidget:
    """The widget Tab moves to from `widget` (the focus chain less what takes no Tab)."""
    after = widget.nextInFocusChain()
    while not (after.focusPolicy() & Qt.FocusPolicy.TabFocus and after.isVisibleTo(page)):
        after = after.nextInFocusChain()
    return after


def _flagged_tile(page: DashboardPage) -> IndicatorTile:
    return next(t for t in page.tiles_in_order()
                if t.evaluation.flagged_since is not None and not t.evaluation.acknowledged)


def test_keyboard_opens_a_drilldown_where_the_alert_is_acknowledged(
        qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.evaluated_as_of is not None, timeout=60_000)
    _as_of(page, qtbot, DEMO_END)
    tile = _flagged_tile(page)
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)
    detail = page.detail
    assert isinstance(detail, IndicatorDetailDialog) and detail.isVisible()
    assert detail.evaluation.id == tile.indicator_id
    assert detail.explanation.text() == tile.evaluation.explanation
    assert detail.canvas is not None and len(detail.figure.axes) == 2
    qtbot.waitUntil(lambda: not page.tasks._live, timeout=30_000)
    before = len(detail.episodes)

    assert detail.acknowledge_button is not None and detail.acknowledge_button.isEnabled()
    assert detail.thresholds_button is not None  # the demo signs in a supervisor
    detail.acknowledge_button.click()
    ack = detail.action_dialog
    assert isinstance(ack, AcknowledgeDialog)
    ack.note.setPlainText("Raised with the patrol commander; briefings restart in July")
    ack.review.setChecked(True)
    ack.review_on.setDate(QDate(2026, 12, 31))
    ack.ok.click()
    qtbot.waitUntil(lambda: detail.evaluation.acknowledged, timeout=30_000)
    qtbot.waitUntil(lambda: not page.tasks._live, timeout=30_000)
    assert not ack.isVisible()
    assert tile.acknowledged.isVisibleTo(page)
    assert "briefings restart in July" in tile.acknowledged.toolTip()
    assert page.tile(tile.indicator_id) is tile and tile.evaluation.acknowledged
    notes = [a.note for e in detail.episodes for a in e.acknowledgements]
    assert "Raised with the patrol commander; briefings restart in July" in notes
    assert len(detail.episodes) >= max(before, 1)
    model = detail.history.source
    cells = [model.index(r, c).data() for r in range(model.rowCount())
             for c in range(model.columnCount())]
    assert any("briefings restart in July" in str(c) and "review on 31 Dec 2026" in str(c)
               for c in cells)
    assert "briefings restart in July" in detail.facts["Acknowledged"].text()
    detail.close()


@pytest.mark.parametrize(("role", "acknowledges", "edits_thresholds"), [
    (UserRole.ANALYST, False, False),
    (UserRole.DIRECTOR, True, False),
    (UserRole.SUPERVISOR, True, True),
])
def test_only_allowed_roles_see_acknowledge_and_thresholds(
        qtbot: Any, demo_db: Database, role: UserRole, acknowledges: bool,
        edits_thresholds: bool) -> None:
    from console.services.indicators.engine import evaluate_one

    access = Access(demo_db.session_factory, Actor(f"x.{role.value}", role, "X"),
                    unlock(demo_db).vault)
    e = evaluate_one(access, "patrol_requests", DEMO_END)
    dialog = IndicatorDetailDialog(access, TaskRunner(synchronous=True), e)
    qtbot.addWidget(dialog)
    assert (dialog.acknowledge_button is not None) is acknowledges
    assert (dialog.thresholds_button is not None) is edits_thresholds
    names = {b.text() for b in dialog.buttons.buttons()}
    assert ("Acknowledge…" in names) is acknowledges
    assert ("Thresholds…" in names) is edits_thresholds
    assert dialog.history_note.text() != "The alert history could not be loaded; see the log."


def test_banner_tells_what_became_worse_once_and_is_dismissed(
        qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    from console.services.indicators.alerts_service import changes_since_last_look

    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.evaluated_as_of is not None, timeout=60_000)
    qtbot.waitUntil(lambda: not page.tasks._live, timeout=30_000)
    assert page.evaluated_as_of == dt.date.today()
    changes = page.banner.changes
    assert page.banner.isVisibleTo(page) is bool(changes)
    for change in changes[:BANNER_ITEMS]:
        assert change.title in page.banner.text.text()
        assert change.explanation[:40] in page.banner.toolTip()
    # Looked at now: nothing more became worse since.
    assert changes_since_last_look(window.ctx.access, page.evaluations) == []  # type: ignore[union-attr]
    if changes:
        page.banner.dismiss.click()
        assert not page.banner.isVisibleTo(page)


def test_banner_names_the_worst_few_and_what_they_were() -> None:
    from console.services.indicators.alerts_service import Change

    first = [Change(f"i{n}", f"Indicator {n}", None, Severity.WARNING, "why") for n in range(7)]
    text = banner_html(first)
    assert text.startswith("7 indicators are flagged (your first look):")
    assert "Indicator 4" in text and "Indicator 5" not in text
    assert text.endswith(", and 2 more.")
    worse = [Change("a", "Patrol requests", Severity.WATCH, Severity.CRITICAL, "why"),
             Change("b", "Oldest vacancy", None, Severity.WATCH, "why")]
    text = banner_html(worse)
    assert text.startswith("2 indicators became worse since you last looked:")
    assert "<b>Patrol requests</b>: Critical (was Watch) · <b>Oldest vacancy</b>: Watch." \
        in text


def test_supervisor_moves_thresholds_and_resets_them(qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.evaluated_as_of is not None, timeout=60_000)
    tile = page.tile("vacancy_age")
    default = tile.evaluation.thresholds
    page.open_indicator("vacancy_age")
    detail = page.detail
    assert detail.thresholds_button is not None
    detail.thresholds_button.click()
    dialog = detail.action_dialog
    assert isinstance(dialog, ThresholdsDialog)
    for level, value in ((Severity.WATCH, 400.0), (Severity.WARNING, 500.0),
                         (Severity.CRITICAL, 600.0)):
        dialog.spins[level].setValue(value)
    dialog.ok.click()
    moved = Thresholds(400.0, 500.0, 600.0, default.above)
    qtbot.waitUntil(lambda: detail.evaluation.thresholds == moved, timeout=30_000)
    assert tile.evaluation.thresholds == moved  # the tile follows the dialog
    assert "at 400 or above: watch" in detail.facts["Thresholds"].text()
    assert detail.evaluation.severity is Severity.OK  # no vacancy is that old

    detail.thresholds_button.click()
    again = detail.action_dialog
    assert isinstance(again, ThresholdsDialog) and again is not dialog
    again.reset.click()
    qtbot.waitUntil(lambda: detail.evaluation.thresholds == default, timeout=30_000)
    qtbot.waitUntil(lambda: not page.tasks._live, timeout=30_000)
    detail.close()


def test_a_new_program_without_calls_evaluates_without_error(
        qtbot: Any, db: Database, tmp_path: Any) -> None:
    from conftest import program_access_for
    from test_calls_table_model import context_for

    access = program_access_for(db, tmp_path)
    page = DashboardPage(context_for(db, access), TaskRunner(synchronous=True))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.activate()
    tiles = page.tiles_in_order()
    assert tiles and all(t.evaluation.severity is Severity.OK for t in tiles)
    assert page.note.isHidden() and page.state.text().endswith("OK.")
    assert not page.banner.isVisible()  # nothing is flagged on a first look
    page.open_indicator(tiles[0].indicator_id)
    detail = page.detail
    assert detail.acknowledge_button is not None
    assert not detail.acknowledge_button.isEnabled()  # nothing to acknowledge
    assert detail.history_note.text() == "No alerts so far."
    detail.close()


def test_share_thresholds_are_typed_as_percentages(qtbot: Any) -> None:
    e = replace(evaluation("positions_filled", unit=""), statistic_label="share filled",
                thresholds=Thresholds(0.95, 0.85, 0.70, above=False))
    dialog = ThresholdsDialog(None, TaskRunner(synchronous=True), e)
    qtbot.addWidget(dialog)
    watch = dialog.spins[Severity.WATCH]
    assert watch.value() == 95.0 and watch.suffix() == " %"
    watch.setValue(90.0)
    t = dialog.thresholds()
    assert (round(t.watch, 6), round(t.warning, 6), round(t.critical, 6), t.above) == \
        (0.9, 0.85, 0.7, False)


def test_an_evaluation_that_fails_says_so_and_keeps_the_page(
        qtbot: Any, db: Database, tmp_path: Any) -> None:
    from conftest import program_access_for
    from sqlalchemy import text
    from test_calls_table_model import context_for

    access = program_access_for(db, tmp_path)
    page = DashboardPage(context_for(db, access), TaskRunner(synchronous=True))
    qtbot.addWidget(page)
    page.activate()
    assert page.evaluated_as_of == dt.date.today()
    with db.engine.begin() as conn:  # a damaged database: the thresholds table is gone
        conn.execute(text("DROP TABLE indicator_threshold"))
    page.evaluate()
    assert page.note.isVisibleTo(page)
    assert page.note.text().startswith("The indicators could not be evaluated:")
    assert page.state.text() == f"The tiles still show {dt.date.today().day} " \
        f"{dt.date.today():%b %Y}."
    assert page.tiles_in_order()  # the last evaluation stays on screen
