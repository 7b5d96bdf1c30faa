"""The Dashboard's indicator tiles and drill-down: hand-built evaluations for the widgets,
the real engine on the demo program for the page (offscreen)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from indicator_values import acknowledged, evaluation
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from console.reports.indicator_style import SEVERITY_COLOURS
from console.services.indicators.model import Severity, Thresholds
from console.views.dialogs.indicator_actions import (
    NOTE_NEEDED,
    AcknowledgeDialog,
    ThresholdsDialog,
    thresholds_problem,
)
from console.views.indicator_tile import IndicatorTile, sparkline_image
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
    share = replace(evaluation(unit="share", severity=Severity.OK), baseline=None,
                    baseline_note="not enough history: 20 of 104 weeks")
    tile.set_evaluation(share)
    assert tile.badge.text() == "No baseline"
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
