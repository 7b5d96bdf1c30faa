"""The Program page: adding, editing, deleting and importing program events (offscreen)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SUPERVISOR, seed_program
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QPushButton

from console.context import AppContext
from console.data.engine import Database
from console.data.enums import EventKind, UserRole
from console.data.identity import unlock
from console.data.keystore import DemoKeyFile
from console.services import program_service
from console.services.access import Access, Actor
from console.views.dialogs.conflict import Choice, ConflictDialog
from console.views.dialogs.program_event import ProgramEventDialog
from console.views.importing.wizard import ImportWizard
from console.views.program_page import ProgramPage
from console.views.tasks import TaskRunner


def page_for(qtbot, db: Database, tmp_path: Path, actor: Actor = SUPERVISOR,  # type: ignore[no-untyped-def]
             tab: str = "events") -> ProgramPage:
    """The Program page on a database with program 1, its tasks run in line, on a tab."""
    with db.engine.begin() as conn:
        seed_program(conn)
    unlocked = unlock(db, store=DemoKeyFile(tmp_path / "test-key"))
    ctx = AppContext(db, Access(db.session_factory, actor, unlocked.vault), unlocked.identity)
    page = ProgramPage(ctx, TaskRunner(synchronous=True))
    qtbot.addWidget(page)
    page.show_tab(tab)
    page.show()
    page.activate()
    return page


def titles(page: ProgramPage) -> list[str]:
    return [row.title for row in page.events.source.rows]


def double_click_first_row(qtbot, page: ProgramPage) -> None:  # type: ignore[no-untyped-def]
    """As a person does: the press that picks the row, then the double click."""
    where = page.events.visualRect(page.events.model().index(0, 2)).center()
    qtbot.mouseClick(page.events.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(page.events.viewport(), Qt.MouseButton.LeftButton, pos=where)


def answer_next_modal(choose: Callable[[object], None]) -> None:
    """Answer the modal dialog that the next call opens, as a person would."""
    def act() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(10, act)
            return
        choose(widget)
    QTimer.singleShot(0, act)


def test_roles_that_may_not_edit_see_no_buttons(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = page_for(qtbot, db, tmp_path, Actor("eva", UserRole.ANALYST, "Eva"))
    # Exporting the governance chart and the criteria sheet is reading: every role keeps them.
    buttons = []
    for tab in page.TABS:
        page.show_tab(tab)
        buttons += [b.text() for b in page.findChildren(QPushButton)
                    if b.isVisible() and b.objectName() != "governance_export"]
    assert buttons == ["Export sheet (PDF)…"]
    page.show_tab("events")
    assert not page.add_button.isVisible() and not page.import_button.isVisible()


def test_add_an_event_in_the_dialog(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = page_for(qtbot, db, tmp_path)
    assert page.add_button.isVisible() and page.add_button.isEnabled()
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    page.add_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ProgramEventDialog) and dialog.isVisible()
    # The dialog says which kinds count as visibility work.
    intro = " ".join(w.text() for w in dialog.findChildren(type(dialog.kind_note)))
    assert "Roll-call briefing, Ride-along, Training for patrol" in intro
    assert "visibility" in dialog.kind_note.text().lower()  # a briefing is first
    dialog.kind.setCurrentIndex(dialog.kind.findData(EventKind.OFFICE_MOVE.value))
    assert "structural" in dialog.kind_note.text().lower()

    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # no title yet
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "title" in dialog.error.text()
    dialog.date.setDate(QDate(2024, 6, 3))
    dialog.edits["title"].setText("Unit moved to the annex")
    dialog.notes.setPlainText("Room 2B")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert titles(page) == ["Unit moved to the annex"]
    event = page.events.source.rows[0]
    assert (event.occurred_on, event.kind, event.notes) == \
        (dt.date(2024, 6, 3), EventKind.OFFICE_MOVE, "Room 2B")


def test_double_click_edits_and_a_conflict_offers_both(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = page_for(qtbot, db, tmp_path)
    access = page.ctx.access
    event_id = program_service.add_program_event(access, dt.date(2024, 5, 6),
                                                 EventKind.BRIEFING, "Roll call, nights")
    page.reload()
    double_click_first_row(qtbot, page)
    dialog = page.dialog
    assert isinstance(dialog, ProgramEventDialog) and dialog.record is not None
    assert dialog.edits["title"].text() == "Roll call, nights"
    dialog.edits["title"].setText("Roll call, days")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert titles(page) == ["Roll call, days"]

    # Someone else saves while this user edits: the conflict dialog, then theirs kept.
    double_click_first_row(qtbot, page)
    dialog = page.dialog
    assert isinstance(dialog, ProgramEventDialog)
    read = program_service.program_event(access, event_id)
    program_service.update_program_event(
        access.as_actor(Actor("dir.okafor", UserRole.DIRECTOR, "Dir. Okafor")), event_id,
        read.version, program_service.EventEdit(read.occurred_on, read.kind, "Theirs"))
    dialog.edits["title"].setText("Mine")
    seen: list[str] = []

    def keep_theirs(widget: object) -> None:
        assert isinstance(widget, ConflictDialog)
        seen.append(widget.windowTitle())
        widget.buttons[Choice.KEEP_THEIRS].click()

    answer_next_modal(keep_theirs)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert seen and not dialog.isVisible()
    assert titles(page) == ["Theirs"]


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No,
                                    QMessageBox.StandardButton.Yes])
def test_delete_asks_first(qtbot, db: Database, tmp_path: Path,  # type: ignore[no-untyped-def]
                           answer: QMessageBox.StandardButton) -> None:
    page = page_for(qtbot, db, tmp_path)
    program_service.add_program_event(page.ctx.access, dt.date(2024, 5, 6),
                                      EventKind.RIDE_ALONG, "Ride-along")
    page.reload()
    page.events.selectRow(0)
    assert page.delete_button.isEnabled() and page.edit_button.isEnabled()

    def click(widget: object) -> None:
        assert isinstance(widget, QMessageBox)
        assert "Ride-along" in widget.text()
        button = widget.button(answer)
        assert button is not None
        button.click()

    answer_next_modal(click)
    page.delete_button.click()
    expected = [] if answer == QMessageBox.StandardButton.Yes else ["Ride-along"]
    assert titles(page) == expected
    assert [e.title for e in program_service.program_events(page.ctx.access)] == expected


def test_import_events_from_the_program_page(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = page_for(qtbot, db, tmp_path)
    path = tmp_path / "unit-events.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Event Date", "Activity", "Description", "Notes"])
        out.writerows([["2024-01-08", "Roll call briefing", "North nights", "12 officers"],
                       ["2024-01-15", "Ride along", "Sgt. Okafor", ""],
                       ["2024-02-02", "Bake sale", "Fundraiser", ""]])
    assert page.import_button.isVisible()
    wizard = page.open_import(path)
    assert isinstance(wizard, ImportWizard)
    qtbot.addWidget(wizard)
    assert "program events" in wizard.windowTitle()
    assert wizard.survey is not None and wizard.file_page.isComplete()
    wizard.next()  # the columns: the events' fields, no agency
    columns = wizard.columns_page
    assert set(columns.combos) == {"occurred_on", "kind", "title", "notes"}
    assert columns.combos["kind"].currentData() == "Activity"
    assert columns.combos["title"].currentData() == "Description"
    assert not columns.agency.isVisibleTo(wizard)
    wizard.next()  # the codes: event kinds; the bake sale is left untranslated
    table = wizard.codes_page.tables["event_kinds"]
    chosen = {}
    for r in range(table.rowCount()):
        combo = table.cellWidget(r, 2)
        assert isinstance(combo, QComboBox)
        chosen[table.item(r, 0).text()] = combo.currentText()
    assert chosen["Ride along"] == "Ride-along"
    assert chosen["Bake sale"].startswith("Not translated")
    wizard.next()  # the preview
    assert "1 of the first 3 rows have a problem" in wizard.preview_page.status.text()
    wizard.next()  # the import
    run = wizard.run_page
    assert run.finished_ok and "2 new events" in run.status.text()
    assert run.table.rowCount() == 1 and "Bake sale" in run.table.item(0, 3).text()
    assert sorted(titles(page)) == ["North nights", "Sgt. Okafor"]  # the table reloaded


def test_the_calls_wizard_offers_no_events_profile(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from console.data.importers.fields import Mapping
    from console.services.profiles_service import save_profile

    page = page_for(qtbot, db, tmp_path)
    access = page.ctx.access
    save_profile(access, "Events sheet", Mapping(columns={"occurred_on": "Date"},
                                                 kind="program_events"))
    save_profile(access, "Metro CAD", Mapping(columns={"incident_number": "No"}))
    calls = ImportWizard(access, TaskRunner(synchronous=True))
    events = page.open_import()
    qtbot.addWidget(calls)
    qtbot.addWidget(events)
    offered = {w.kind.name: [w.file_page.profile_box.itemData(i)
                             for i in range(1, w.file_page.profile_box.count())]
               for w in (calls, events)}
    assert offered == {"calls": ["Metro CAD"], "program_events": ["Events sheet"]}
