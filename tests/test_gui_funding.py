"""The Program page's Funding section: runway and cliffs, the chart, the records and
their edit dialogs (offscreen, tasks run in line); the cost avoidance tile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import SUPERVISOR
from sqlalchemy import insert
from test_gui_program_events import answer_next_modal, page_for

from console.data.engine import Database
from console.data.enums import StaffRole, UserRole
from console.data.funding_enums import FundingKind, RenewalStatus, UnitCostKind
from console.data.models import Position
from console.services.access import Access, Action, Actor
from console.services.funding import sources, unit_costs
from console.views.dialogs.conflict import Choice, ConflictDialog
from console.views.dialogs.funding_forms import FundingSourceDialog, UnitCostDialog
from console.views.program_page import ProgramPage

TODAY = dt.date.today()


def with_funding(qtbot, db: Database, tmp_path: Path, actor: Actor = SUPERVISOR) -> ProgramPage:  # type: ignore[no-untyped-def]
    page = page_for(qtbot, db, tmp_path, actor, tab="funding")
    page.resize(1300, 1000)
    access = page.ctx.access.as_actor(SUPERVISOR)
    with access.writing(Action.EDIT_STAFF) as s:
        for i, title in ((1, "Responder A"), (2, "Responder B")):
            s.connection().execute(insert(Position).values(
                id=i, program_id=1, title=title, role=StaffRole.MH_RESPONDER,
                authorized_on=TODAY - dt.timedelta(days=400)))
    sources.add_source(access, sources.SourceEdit(
        "State grant", FundingKind.STATE, 9_000_000, TODAY - dt.timedelta(days=300),
        TODAY + dt.timedelta(days=60), RenewalStatus.PENDING, positions=((1, 100),)))
    sources.add_source(access, sources.SourceEdit(
        "General fund", FundingKind.GENERAL_FUND, 9_000_000, TODAY - dt.timedelta(days=300),
        None, positions=((2, 50),)))
    page.reload()
    return page


def test_runway_cliffs_chart_and_tables(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = with_funding(qtbot, db, tmp_path)
    view = page.funding
    assert "Runway: 2.0 months</b> (60 days)" in view.runway.text()  # 60 / 30.44
    assert "first to lose funding: Responder A" in view.runway.text()
    assert "With pending renewals granted: no end recorded" in view.runway.text()
    assert "Critical:</b></span> State grant ends" in view.cliffs.text()
    assert "(in 60 days, renewal pending, $90,000 a year); pays Responder A (100%)" in \
        view.cliffs.text()
    assert view.chart.figure is not None and view.chart.figure.axes
    assert "1: State grant ends" in view.caption.text()
    assert [r.name for r in view.sources.table.source.rows] == ["State grant", "General fund"]
    paid = {r.title: r for r in view.positions.source.rows}
    assert paid["Responder B"].share_percent == 50 and paid["Responder B"].funded_until is None
    assert view.fiscal.currentText() == "Fiscal year starts in July"


def test_add_a_source_in_the_dialog(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = with_funding(qtbot, db, tmp_path)
    view = page.funding
    view.sources.add_button.click()
    dialog = view.dialog
    assert isinstance(dialog, FundingSourceDialog) and dialog.isVisible()
    dialog.edits["name"].setText("County contract")
    dialog.edits["amount"].setText("twelve")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and "not an amount" in dialog.error.text()
    dialog.edits["amount"].setText("60,000")
    dialog.ongoing.setChecked(True)
    position_id, check, share = dialog.position_rows[1]
    check.setChecked(True)
    share.setValue(50)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    added = next(r for r in view.sources.table.source.rows if r.name == "County contract")
    assert added.edit.annual_cents == 6_000_000 and added.edit.end_on is None
    assert added.edit.positions == ((position_id, 50),)
    assert "County contract" in next(r for r in view.positions.source.rows
                                     if r.title == "Responder B").sources


def test_a_conflict_in_the_dialog_keeps_theirs(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = with_funding(qtbot, db, tmp_path)
    view = page.funding
    view.sources.table.selectRow(0)
    view.sources.edit_button.click()
    dialog = view.dialog
    assert isinstance(dialog, FundingSourceDialog)
    row = sources.list_sources(page.ctx.access)[0]
    sources.update_source(page.ctx.access, row.id, row.version, sources.SourceEdit(
        row.name, row.edit.kind, row.edit.annual_cents, row.edit.start_on, row.edit.end_on,
        RenewalStatus.RENEWED, positions=row.edit.positions))
    dialog.renewal.setCurrentIndex(list(RenewalStatus).index(RenewalStatus.DENIED))
    seen: list[str] = []

    def keep_theirs(widget: object) -> None:
        assert isinstance(widget, ConflictDialog)
        seen.append(widget.windowTitle())
        widget.buttons[Choice.KEEP_THEIRS].click()

    answer_next_modal(keep_theirs)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert seen and not dialog.isVisible()
    shown = {r.name: r.edit.renewal for r in view.sources.table.source.rows}
    assert shown["State grant"] is RenewalStatus.RENEWED
    assert "No source ends within 180 days" in view.cliffs.text()


def test_unit_costs_are_edited_by_those_who_edit_the_program(qtbot, db: Database,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    page = with_funding(qtbot, db, tmp_path)
    view = page.funding
    view.tabs.setCurrentWidget(view.costs)
    view.costs.add_button.click()
    dialog = view.dialog
    assert isinstance(dialog, UnitCostDialog)
    assert dialog.kind.count() == len(UnitCostKind)
    dialog.edits["amount"].setText("465")
    dialog.edits["source"].setText("County jail cost study")
    dialog.kind.setCurrentIndex(list(UnitCostKind).index(UnitCostKind.JAIL_BOOKING))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    (row,) = view.costs.table.source.rows
    assert row.kind is UnitCostKind.JAIL_BOOKING and row.edit.amount_cents == 46_500


def test_analysts_read_funding_without_buttons(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = with_funding(qtbot, db, tmp_path, Actor("eva", UserRole.ANALYST, "Eva"))
    view = page.funding
    assert not view.sources.add_button.isVisible() and not view.fiscal.isEnabled()
    assert "Runway: 2.0 months" in view.runway.text()


def test_cost_avoidance_tile(qtbot, db: Database, access: Access) -> None:  # type: ignore[no-untyped-def]
    from test_gui_outcomes import _page
    from test_outcomes import twelve_calls

    from console.views.tasks import TaskRunner

    twelve_calls(access)
    for kind, cents in ((UnitCostKind.ED_VISIT, 200_000), (UnitCostKind.JAIL_BOOKING, 45_000),
                        (UnitCostKind.OFFICER_HOUR, 8_000)):
        unit_costs.add_unit_cost(access, unit_costs.UnitCostEdit(
            kind, cents, f"{kind.label} study", 2025, dt.date(2026, 5, 1)))
    page = _page(qtbot, db, access, TaskRunner(synchronous=True))
    tile = page.outcomes.tiles["cost_avoidance"]
    # test_cost_avoidance: -$2,000 + $300 + $140 over 5 co-responses.
    assert tile.value.text() == "\u2212$1,560"
    assert tile.note.text().startswith("over 5 co-responses")
    assert "Jail booking study" in tile.toolTip() and "\u00d7 $80.00" in tile.toolTip()
