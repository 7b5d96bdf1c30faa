"""A complaint from intake to close through the Complaints page (offscreen, tasks inline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from complaint_world import COMPLAINANT, NARRATIVE, actor, build
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton
from test_calls_table_model import context_for

from console.data.complaint_enums import AllegationCategory, ComplaintState, DocumentKind
from console.data.engine import Database
from console.services.access import Access
from console.views.complaints_page import ComplaintsPage
from console.views.tasks import TaskRunner


@pytest.fixture
def page(qtbot: Any, db: Database, tmp_path: Path) -> ComplaintsPage:
    sup = build(db, tmp_path)
    return _page(qtbot, db, sup)


def _page(qtbot: Any, db: Database, access: Access) -> ComplaintsPage:
    page = ComplaintsPage(context_for(db, access), TaskRunner(synchronous=True))
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    page.activate()
    return page


def _ok(dialog: QDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[attr-defined]


def _tick(page: ComplaintsPage, kind: DocumentKind) -> None:
    view = page.case_view
    assert view.case is not None
    row = next(i for i, r in enumerate(view.checklist.source.rows) if r.kind is kind)
    view.checklist.selectRow(view.checklist.proxy.mapFromSource(
        view.checklist.source.index(row, 0)).row())
    _button(page, "Checklist item…").click()
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    _ok(dialog)
    assert not dialog.isVisible(), dialog.error.text()  # type: ignore[attr-defined]


def _button(page: ComplaintsPage, text: str) -> QPushButton:
    return next(b for b in page.case_view.findChildren(QPushButton) if b.text() == text)


def _step(page: ComplaintsPage, action: str, note: str, **fill: Any) -> QDialog:
    button = page.case_view.findChild(QPushButton, f"step_{action}")
    assert button is not None, f"no {action} step offered"
    button.click()
    dialog = page.case_view.dialog
    assert dialog is not None
    dialog.note.setPlainText(note)  # type: ignore[attr-defined]
    for name, value in fill.items():
        value(getattr(dialog, name))
    _ok(dialog)
    return dialog


def _state(page: ComplaintsPage) -> ComplaintState:
    assert page.case_view.case is not None
    return page.case_view.case.state


def test_a_case_from_intake_to_close(qtbot: Any, page: ComplaintsPage) -> None:
    assert page.queue_table.source.rows == []
    page.new_button.click()
    intake = page.intake
    intake.name.setText(COMPLAINANT)
    intake.narrative.setPlainText(NARRATIVE)
    intake.categories[AllegationCategory.COMMUNICATION].setChecked(True)
    _ok(intake)
    assert intake.isVisible() and "name at least one staff member" in intake.error.text()
    subject = next(i for i in range(intake.subjects.count())
                   if intake.subjects.item(i).text() == "Ana Subject")
    intake.subjects.item(subject).setCheckState(Qt.CheckState.Checked)
    _ok(intake)
    assert not intake.isVisible()
    assert [r.state for r in page.queue_table.source.rows] == [ComplaintState.RECEIVED]
    assert _state(page) is ComplaintState.RECEIVED  # the most urgent case opens at once

    refused = _step(page, "acknowledge", "Letter sent.")
    assert refused.isVisible() and "checklist still needs" in refused.error.text()  # type: ignore[attr-defined]
    refused.reject()
    for kind in (DocumentKind.INTAKE_FORM, DocumentKind.ACKNOWLEDGEMENT):
        _tick(page, kind)
    _step(page, "acknowledge", "Acknowledgement letter sent.")
    assert _state(page) is ComplaintState.ACKNOWLEDGED

    def rae(combo: Any) -> None:
        combo.setCurrentIndex(combo.findText("Rae Able"))

    _step(page, "assign", "Outside the chain.", reviewer=rae)
    assert _state(page) is ComplaintState.ASSIGNED
    assert page.case_view.case is not None and page.case_view.case.reviewer == "Rae Able"
    _tick(page, DocumentKind.SUBJECT_NOTICE)
    _step(page, "begin_review", "Subject notified.")
    for kind in (DocumentKind.CALL_RECORD, DocumentKind.REVIEW_REPORT):
        _tick(page, kind)
    _step(page, "propose_findings", "Report filed.")
    assert _state(page) is ComplaintState.FINDINGS_PROPOSED
    _tick(page, DocumentKind.DECISION_MEMO)
    _step(page, "decide", "Decided.", decision=lambda box: box.setPlainText("Concur."))
    _tick(page, DocumentKind.CLOSING_LETTER)
    _step(page, "close", "Closed.",
          letter=lambda box: box.setPlainText("Dear Ms Quincewhistle, thank you."))
    assert _state(page) is ComplaintState.CLOSED
    assert page.case_view.case is not None and page.case_view.case.actions  # reopen

    # Finished: gone from the open queue, there under "All cases".
    assert page.queue_table.source.rows == []
    page.show_filter.setCurrentText("All cases")
    assert [r.state for r in page.queue_table.source.rows] == [ComplaintState.CLOSED]

    # The account opens on request, and that showing is in the case's history.
    assert COMPLAINANT not in page.case_view.account.text()
    _button(page, "Show the complainant and account").click()
    assert COMPLAINANT in page.case_view.account.text()
    history = page.case_view.timeline.source.rows
    assert history[0].kind == "access"
    assert sum(1 for r in history if r.kind == "transition") == 6


def test_an_analyst_sees_the_measures_only(qtbot: Any, db: Database, tmp_path: Path) -> None:
    sup = build(db, tmp_path)
    page = _page(qtbot, db, actor(sup, "analyst"))
    assert not hasattr(page, "queue_table")
    assert page.tile_open._value.text() == "0"


def test_the_subject_sees_no_account_button(qtbot: Any, db: Database, tmp_path: Path) -> None:
    from complaint_world import new_case

    sup = build(db, tmp_path)
    new_case(sup)
    page = _page(qtbot, db, actor(sup, "subject supervisor"))
    view = page.case_view
    assert view.case is not None and not view.case.may_read_confidential
    assert not view.show_account.isVisible() and "shown only" in view.account.text()


def test_the_supervisor_sets_the_deadlines(qtbot: Any, page: ComplaintsPage) -> None:
    import datetime as dt

    from PySide6.QtCore import QDate

    from console.services.complaints.settings import deadline_settings

    page.deadlines_button.click()
    dialog = page.deadlines
    dialog.state.setText("ZZ")
    _ok(dialog)
    assert dialog.isVisible() and "'ZZ'" in dialog.error.text()
    dialog.state.setText("IL")
    dialog.days["acknowledge"].setValue(5)
    dialog.new_day.setDate(QDate(2026, 12, 24))
    dialog.new_label.setText("Christmas Eve")
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Add").click()
    assert dialog.closures.count() == 1
    _ok(dialog)
    assert not dialog.isVisible()
    saved = deadline_settings(page.ctx.access)
    assert saved.subdivision == "IL" and saved.days["acknowledge"] == 5
    assert saved.closures == ((dt.date(2026, 12, 24), "Christmas Eve"),)


def test_pdf_and_document_copies_are_written_where_asked_and_logged(
        qtbot: Any, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from complaint_world import new_case
    from PySide6.QtWidgets import QFileDialog

    from console.services.complaints import access_log, attach

    sup = build(db, tmp_path)
    case_id = new_case(sup)
    attach(sup, case_id, "letter.txt", b"Dear unit", "text/plain")
    page = _page(qtbot, db, sup)
    pdf, copy = tmp_path / "summary.pdf", tmp_path / "copy.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(pdf), "PDF (*.pdf)")))
    _button(page, "Case summary PDF…").click()
    assert pdf.read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(copy), "")))
    docs = page.case_view.documents
    docs.doubleClicked.emit(docs.proxy.index(0, 0))
    assert copy.read_bytes() == b"Dear unit" and copy.stat().st_mode & 0o077 == 0
    reads = [r.read for r in access_log(sup, case_id)]
    assert any("case summary" in r for r in reads) and reads[-1].startswith("attachment")
