"""The Program page's activation criteria: a new version changed in the dialog, previewed,
applied, and the outcome measures of the Calls & outcomes page follow (offscreen, tasks
run inline)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import access_for
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QPushButton
from test_calls_table_model import context_for
from test_outcomes import twelve_calls

from console.data.engine import Database
from console.data.enums import UserRole
from console.services.access import Access, Actor
from console.services.criteria.reclassify import apply_spec
from console.services.criteria.versions import EntrySpec, VersionSpec, list_versions
from console.services.populations import Preset
from console.views.calls_page import CallsPage
from console.views.dialogs.criteria_version import CriteriaVersionDialog
from console.views.program_page import ProgramPage
from console.views.tasks import TaskRunner

PAGE = re.compile(rb"/Type\s*/Page(?!s)")


@pytest.fixture
def sync_tasks(qapp: Any) -> TaskRunner:
    return TaskRunner(synchronous=True)


def _outcomes(qtbot: Any, db: Database, access: Access, tasks: TaskRunner) -> CallsPage:
    page = CallsPage(context_for(db, access), tasks)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.period_bar.set_preset(Preset.ALL)
    page.activate()
    return page


def _program(qtbot: Any, db: Database, access: Access, tasks: TaskRunner) -> ProgramPage:
    page = ProgramPage(context_for(db, access), tasks)
    qtbot.addWidget(page)
    page.show_tab("criteria")
    page.resize(1300, 900)
    page.show()
    page.activate()
    return page


def _pilot(access: Access) -> None:
    apply_spec(access, VersionSpec("Pilot", dt.date(2025, 1, 1),
                                   (EntrySpec("Person in crisis", True, "the unit's call"),),
                                   approved_by="Capt. Okafor", policy_reference="PM-01"))


def test_changing_the_criteria_changes_the_outcome_measures(
        qtbot: Any, db: Database, access: Access, sync_tasks: TaskRunner,
        tmp_path: Path) -> None:
    twelve_calls(access)  # every call a "Person in crisis"; see test_outcomes
    _pilot(access)  # all in scope: c7, c10 and c11 join the 8 the import decided
    before = _outcomes(qtbot, db, access, sync_tasks).outcomes
    assert "<td style='padding:2px 10px 2px 0'>In scope</td><td align='right'><b>11</b>" \
        in before.intake.text()
    # Patrol alone, in scope: c4 arrest, c5 resolved, c11 ED, c12 hold.
    assert before.tiles["resolved_on_scene"].note.text().endswith("Patrol alone: 25%")

    page = _program(qtbot, db, access, sync_tasks)
    view = page.criteria
    assert [v.name for v in view.versions] == ["Pilot"]
    assert "In force today: <b>Pilot</b>" in view.summary.text()
    dialog = view.open_new()
    assert isinstance(dialog, CriteriaVersionDialog)
    assert [e.call_type for e in dialog.entries()] == ["Person in crisis"]  # copied
    dialog.name.setText("February change")
    dialog.effective.setDate(QDate(2025, 2, 1))
    dialog.approved_by.setText("Chief Marsh")
    dialog.policy.setText("GO 4.12")
    dialog.set_scope("Person in crisis", False, "Patrol first from February")
    assert not dialog.apply_button.isEnabled()  # nothing applies before a preview
    dialog.preview_button.click()
    # February: c7 to c12, all in scope under the pilot.
    text = dialog.preview_label.text()
    assert text.startswith("6 calls would change scope from 01 February 2025 (6 in → out, "
                           "0 out → in); 0 stay as they were"), text
    assert dialog.apply_button.isEnabled()
    dialog.approved_by.setText("Chief D. Marsh")  # a change after the preview
    assert not dialog.apply_button.isEnabled()
    dialog.preview_button.click()
    changed: list[bool] = []
    page.data_changed.connect(lambda: changed.append(True))
    dialog.apply_button.click()
    assert not dialog.isVisible() and changed == [True]
    assert [(v.name, v.status) for v in view.versions] == [("Pilot", "Approved"),
                                                           ("February change", "Approved")]
    assert view.entries.source.rows[0].reason == "Patrol first from February"

    after = _outcomes(qtbot, db, access, sync_tasks).outcomes
    assert "<td style='padding:2px 10px 2px 0'>In scope</td><td align='right'><b>5</b>" \
        in after.intake.text()  # c1-c5
    # Patrol alone compares in-scope calls only: c11 and c12 are out of scope now.
    assert after.tiles["resolved_on_scene"].note.text().endswith("Patrol alone: 50%")

    view.export_to(tmp_path / "sheet.pdf")
    assert len(PAGE.findall((tmp_path / "sheet.pdf").read_bytes())) == 1
    assert "sheet written to" in view.summary.text()


def test_a_draft_is_saved_then_applied_and_is_frozen(
        qtbot: Any, db: Database, access: Access, sync_tasks: TaskRunner) -> None:
    twelve_calls(access)
    _pilot(access)
    view = _program(qtbot, db, access, sync_tasks).criteria
    dialog = view.open_new()
    assert isinstance(dialog, CriteriaVersionDialog)
    dialog.name.setText("Draft")
    dialog.effective.setDate(QDate(2025, 2, 1))
    dialog.save_button.click()
    draft = view.versions[-1]
    assert draft.status == "Draft" and view.chosen() == view.versions[0]  # in force: pilot
    view.table.selectRow(1)
    assert view.draft_button.isEnabled() and view.delete_button.isEnabled()
    opened = view.open_draft()
    assert isinstance(opened, CriteriaVersionDialog)
    opened.preview_button.click()
    opened.apply_button.click()  # no one approved it yet: refused, nothing changed
    assert opened.isVisible() and "without who approved it" in opened.error.text()
    opened.approved_by.setText("Chief Marsh")
    opened.policy.setText("GO 4.12")
    opened.preview_button.click()
    opened.apply_button.click()
    assert not opened.isVisible()
    assert [v.status for v in list_versions(access)] == ["Approved", "Approved"]
    view.table.selectRow(1)
    assert not view.draft_button.isEnabled() and not view.delete_button.isEnabled()


def test_analysts_see_the_criteria_but_no_buttons_to_change_them(
        qtbot: Any, db: Database, tmp_path: Path, sync_tasks: TaskRunner) -> None:
    supervisor = access_for(db, tmp_path)
    twelve_calls(supervisor)
    _pilot(supervisor)
    analyst = access_for(db, tmp_path, Actor("eva", UserRole.ANALYST, "Eva"))
    view = _program(qtbot, db, analyst, sync_tasks).criteria
    shown = {b.text() for b in view.findChildren(QPushButton) if b.isVisible()}
    assert shown == {"Export sheet (PDF)…"}
    assert [e.call_type for e in view.entries.source.rows] == ["Person in crisis"]


def test_the_dialog_offers_the_call_types_not_in_the_criteria_yet(
        qtbot: Any, db: Database, access: Access, sync_tasks: TaskRunner) -> None:
    from sqlalchemy import insert

    from console.data.models import Call
    from console.services.access import Action

    twelve_calls(access)
    _pilot(access)
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(Call), [{"program_id": 1, "agency_id": 1, "incident_number": f"T{i}",
                                  "received_at": dt.datetime(2025, 3, 1, 9 + i),
                                  "final_call_type": "Trespass", "in_scope": False}
                                 for i in range(3)])
    view = _program(qtbot, db, access, sync_tasks).criteria
    assert "1 call type(s) on the calls are not in the criteria yet" in view.summary.text()
    dialog = view.open_new()
    assert isinstance(dialog, CriteriaVersionDialog)
    assert dialog.propose_button.isVisible()
    assert dialog.propose_button.text() == "Add the 1 not in the criteria yet"
    dialog.propose_button.click()
    assert [(e.call_type, e.in_scope) for e in dialog.entries()] == [
        ("Person in crisis", True), ("Trespass", False)]
    assert "import's call-type map (3 calls)" in dialog.entries()[1].reason
    assert not dialog.propose_button.isVisible()
