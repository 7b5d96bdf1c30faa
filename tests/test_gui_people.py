"""The Staffing and Intern pipeline pages on the demo program: a card dragged to the next
stage, a skip that asks for its reason, a final stage that stays final, a position edited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton

from console.app import Startup
from console.data.location import DatabaseLocation
from console.data.people_enums import Stage
from console.services.people import pipeline
from console.services.people.edits import position_detail
from console.views.main_window import MainWindow
from console.views.pipeline_board import StageColumn
from console.views.pipeline_page import PipelinePage
from console.views.staffing_page import StaffingPage
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
    yield win
    tasks.wait()
    if startup.db is not None:
        startup.db.dispose()


def drop(source: StageColumn, row: int, target: StageColumn) -> None:
    """What a mouse drag delivers: the source's drag data entering, moving over and
    dropped on the target column (Qt delivers a drop only after an accepted enter)."""
    data = source.mimeData([source.item(row)])
    pos = target.viewport().rect().center()
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, data, buttons, keys)
    QApplication.sendEvent(target.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target.viewport(), QDragMoveEvent(pos, actions, data, buttons, keys))
    QApplication.sendEvent(target.viewport(), QDropEvent(QPointF(pos), actions, data, buttons,
                                                         keys))


def _pipeline_page(qtbot, window: MainWindow) -> PipelinePage:  # type: ignore[no-untyped-def]
    page = window.show_area("pipeline")
    assert isinstance(page, PipelinePage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=20_000)
    return page


def _stage_of(window: MainWindow, candidate_id: int) -> Stage:
    assert window.ctx is not None
    cards = pipeline.board(window.ctx.access, dt.date.today())
    return next(c.stage for c in cards if c.id == candidate_id)


def test_dragging_a_card_to_the_next_stage_moves_the_candidate(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = _pipeline_page(qtbot, window)
    source = page.board.columns[Stage.INTERVIEWED]
    assert source.count() >= 1
    card = source.cards()[0]
    drop(source, 0, page.board.columns[Stage.PLACED])
    qtbot.waitUntil(lambda: card.id in [c.id for c in page.board.columns[Stage.PLACED].cards()],
                    timeout=20_000)
    assert _stage_of(window, card.id) is Stage.PLACED
    assert card.id not in [c.id for c in source.cards()]
    assert not page.status.isVisible()


def test_a_skip_asks_for_the_reason(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = _pipeline_page(qtbot, window)
    source = page.board.columns[Stage.INTERVIEWED]
    card = source.cards()[0]
    drop(source, 0, page.board.columns[Stage.MID_EVALUATION])
    qtbot.waitUntil(lambda: page.reason_dialog is not None and page.reason_dialog.isVisible(),
                    timeout=5_000)
    dialog = page.reason_dialog
    dialog._submit()  # type: ignore[attr-defined]
    assert dialog.error.text() == "give the reason for the skip"  # type: ignore[attr-defined]
    assert _stage_of(window, card.id) is Stage.INTERVIEWED  # nothing moved yet
    dialog.edits["reason"].setText("Placed with the county crisis team last spring")  # type: ignore[attr-defined]
    dialog._submit()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _stage_of(window, card.id) is Stage.MID_EVALUATION, timeout=20_000)
    qtbot.waitUntil(lambda: card.id in [
        c.id for c in page.board.columns[Stage.MID_EVALUATION].cards()], timeout=20_000)


def test_a_hired_candidate_stays_hired(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = _pipeline_page(qtbot, window)
    hired = page.board.columns[Stage.HIRED]
    assert not hired.dragEnabled()  # a final column's cards are not offered for dragging
    card = hired.cards()[0]
    drop(hired, 0, page.board.columns[Stage.WITHDRAWN])
    qtbot.waitUntil(lambda: page.status.isVisible(), timeout=20_000)
    assert "final stage" in page.status.text()
    assert _stage_of(window, card.id) is Stage.HIRED


def test_editing_a_position_saves_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_area("staffing")
    assert isinstance(page, StaffingPage)
    qtbot.waitUntil(lambda: page.positions.source.rowCount() > 0, timeout=20_000)
    index = page.positions.proxy.index(0, 0)
    row = page.positions.source.rows[page.positions.proxy.mapToSource(index).row()]
    page.positions.doubleClicked.emit(index)
    qtbot.waitUntil(lambda: getattr(page, "position_editor", None) is not None
                    and page.position_editor.isVisible(), timeout=10_000)
    editor = page.position_editor
    assert editor.edits["title"].text() == row.title
    editor.edits["title"].setText("Co-Response Unit Sergeant (day watch)")
    editor.edits["funding_source"].setText("Police general fund FY27")
    editor._submit()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=15_000)
    assert window.ctx is not None
    saved = position_detail(window.ctx.access, row.id)
    assert saved.edit.title == "Co-Response Unit Sergeant (day watch)"
    assert saved.edit.funding_source == "Police general fund FY27"
    qtbot.waitUntil(lambda: "Co-Response Unit Sergeant (day watch)" in
                    [p.title for p in page.positions.source.rows], timeout=20_000)


def test_the_staffing_page_shows_the_series_bench_and_lapsing_credentials(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_area("staffing")
    assert isinstance(page, StaffingPage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=20_000)
    ax = page.chart.figure.axes[0]
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"Authorized", "Filled", "Vacant", "Leadership change"} <= labels
    assert page.series_choice.count() > 3
    page.series_choice.setCurrentIndex(1)  # a role's own series draws without error
    assert "fewer than two ready" in page.summary.text()
    assert page.bench.titles and any("fewer than 2 ready" in t.text() for t in page.bench.titles)
    assert page.vacancies.source.rowCount() >= 1


def test_recording_a_separation_from_the_people_tab(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from console.data.people_enums import SeparationReason
    from console.services.people import staffing
    from console.views.dialogs.staffing_moves import SeparationDialog

    page = window.show_area("staffing")
    assert isinstance(page, StaffingPage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=20_000)
    rows = page.staff.source.rows
    target = next(i for i, r in enumerate(rows)
                  if r.separated_on is None and r.role.value == "mh_responder")
    page.staff.selectRow(page.staff.proxy.mapFromSource(page.staff.source.index(target, 0)).row())
    page._separate()
    dialog = page.move_dialog
    assert isinstance(dialog, SeparationDialog)
    dialog.reason.setCurrentIndex(list(SeparationReason).index(SeparationReason.RETIRED))
    dialog._submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15_000)
    assert window.ctx is not None
    gone = {r.staff_id: r for r in staffing.separations(window.ctx.access)}
    assert gone[rows[target].id].reason is SeparationReason.RETIRED


def test_adding_a_candidate_and_recording_an_evaluation(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from console.views.dialogs.pipeline_forms import AddCandidateDialog, EvaluationDialog

    page = _pipeline_page(qtbot, window)
    before = page.board.columns[Stage.APPLIED].count()
    page._add_candidate()
    dialog = page.form_dialog
    assert isinstance(dialog, AddCandidateDialog)
    dialog.name.setText("Rowan Achterberg")
    dialog.partner.setCurrentIndex(1)
    dialog._submit()
    qtbot.waitUntil(lambda: page.board.columns[Stage.APPLIED].count() == before + 1,
                    timeout=20_000)
    column = page.board.columns[Stage.APPLIED]
    row = next(i for i, c in enumerate(column.cards()) if c.label == "Rowan Achterberg")
    column.setCurrentRow(row)
    page._add_evaluation()
    evaluation = page.form_dialog
    assert isinstance(evaluation, EvaluationDialog)
    evaluation.scores["command"].setValue(2)
    evaluation.notes.setPlainText("Hesitant on the radio; calm with the family.")
    evaluation._submit()
    qtbot.waitUntil(lambda: not evaluation.isVisible(), timeout=15_000)
    assert window.ctx is not None
    [row_] = [e for e in pipeline.evaluations(window.ctx.access)
              if e.candidate == "Rowan Achterberg"]
    assert row_.scores[3] == 2 and row_.notes == "Hesitant on the radio; calm with the family."


def test_reassessing_a_successor_from_the_bench(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from console.data.people_enums import BenchActivityKind, ProtectedRole, Readiness
    from console.services.people import bench
    from console.views.dialogs.bench_forms import SuccessorDialog

    page = window.show_area("staffing")
    assert isinstance(page, StaffingPage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=20_000)
    clinical = next(r for r in page.view.bench if r.role is ProtectedRole.CLINICAL_LEAD)
    assert clinical.thin
    waiting = next(s for s in clinical.successors if s.readiness is Readiness.DEVELOPING)
    page.bench.chosen.emit(waiting)
    dialog = page.move_dialog
    assert isinstance(dialog, SuccessorDialog)
    dialog.readiness.setCurrentIndex(list(Readiness).index(Readiness.READY_NOW))
    dialog.record.setChecked(True)
    dialog.kind.setCurrentIndex(list(BenchActivityKind).index(BenchActivityKind.ACTING))
    dialog.title.setText("Acting clinical lead, two weeks")
    dialog._submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15_000)
    assert window.ctx is not None
    roles = {r.role: r for r in bench.bench(window.ctx.access, dt.date.today())}
    assert roles[ProtectedRole.CLINICAL_LEAD].ready == 2
    assert not roles[ProtectedRole.CLINICAL_LEAD].thin
    qtbot.waitUntil(lambda: "clinical lead" not in page.summary.text(), timeout=20_000)


def test_an_analyst_sees_the_board_without_names_or_notes(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    from console.data.enums import UserRole
    from console.data.identity import unlock
    from console.services.access import Access, Actor
    from tests.test_calls_table_model import context_for

    analyst = Access(demo_db.session_factory, Actor("eval", UserRole.ANALYST, "Evaluator"),
                     unlock(demo_db).vault)
    page = PipelinePage(context_for(demo_db, analyst), TaskRunner(synchronous=True))
    qtbot.addWidget(page)
    page.activate()
    assert page.view is not None
    cards = [c for column in page.board.columns.values() for c in column.cards()]
    assert cards and all(c.label == f"Candidate {c.id}" for c in cards)
    titles = [page.evaluations.source.headerData(i, Qt.Orientation.Horizontal)
              for i in range(page.evaluations.source.columnCount())]
    assert "Evaluator notes" not in titles
    assert not page.board.columns[Stage.APPLIED].acceptDrops()  # analysts move nothing
    assert page.findChild(QPushButton, "addCandidate") is None
