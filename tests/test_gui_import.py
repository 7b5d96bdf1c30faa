"""The import wizard and dropping an export on the window (pytest-qt, offscreen)."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QComboBox, QWizard
from test_gui import window  # noqa: F401 (the demo window fixture)

from console.data.enums import Disposition, UserRole
from console.data.importers.fields import DateOrder
from console.services.access import Access, Actor
from console.services.stats_service import database_stats
from console.views.importing.wizard import ImportWizard
from console.views.main_window import MainWindow
from console.views.tasks import TaskRunner

HEADER = ["CAD Event Number", "Original Time Queued", "Final Call Type",
          "Event Clearance Description", "Beat"]
ROWS = [
    ["2024000101", "03/14/2024 6:08:26 PM", "CRISIS COMPLAINT - GENERAL",
     "ASSISTANCE RENDERED", "C3"],
    ["2024000102", "03/15/2024 1:10:00 AM", "SUSPICIOUS PERSON", "PHYSICAL ARREST MADE", "C3"],
    ["2024000103", "03/16/2024 9:45:12 AM", "CRISIS COMPLAINT - GENERAL",
     "UNABLE TO LOCATE INCIDENT OR COMPLAINANT", "C2"],
    ["2024000104", "03/17/2024 11:59:59 PM", "PERSON IN CRISIS", "ASSISTANCE RENDERED", "C1"],
]


def _export(folder: Path, rows: list[list[str]] = ROWS) -> Path:
    path = folder / "cad-export.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def open_wizard(qtbot, access: Access, path: Path | None) -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(access, TaskRunner(synchronous=True), path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_the_wizard_suggests_previews_and_imports(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    imported: list[object] = []
    wizard = open_wizard(qtbot, access, _export(tmp_path))
    wizard.on_imported = imported.append
    assert wizard.survey is not None and wizard.survey.row_count == 4
    assert "4 rows, 5 columns" in wizard.file_page.summary.text()
    assert wizard.file_page.isComplete()

    wizard.next()  # the columns, suggested from the header
    page = wizard.columns_page
    assert page.combos["incident_number"].currentData() == "CAD Event Number"
    assert page.combos["received_at"].currentData() == "Original Time Queued"
    assert page.combos["disposition"].currentData() == "Event Clearance Description"
    assert page.order.currentData() == DateOrder.MONTH_FIRST.value  # 03/14: the file decides
    assert page.isComplete()

    wizard.next()  # the codes
    codes = wizard.codes_page
    scope = {codes.scope_table.item(r, 0).text(): codes.scope_table.item(r, 2).checkState()
             for r in range(codes.scope_table.rowCount())}
    assert scope["PERSON IN CRISIS"] == Qt.CheckState.Checked
    assert scope["SUSPICIOUS PERSON"] == Qt.CheckState.Unchecked
    dispositions = {}
    for r in range(codes.disposition_table.rowCount()):
        combo = codes.disposition_table.cellWidget(r, 2)
        assert isinstance(combo, QComboBox)
        dispositions[codes.disposition_table.item(r, 0).text()] = combo.currentText()
    assert dispositions["PHYSICAL ARREST MADE"] == Disposition.ARREST.label

    wizard.next()  # the preview: every row valid
    preview = wizard.preview_page
    assert preview.table.rowCount() == 4
    assert "valid" in preview.status.text()
    preview.save_profile.setChecked(True)
    preview.profile_name.setText("Metro CAD")

    wizard.next()  # the import itself (synchronous here)
    run = wizard.run_page
    assert run.finished_ok, run.status.text()
    assert "4 new calls" in run.status.text()
    assert imported and database_stats(access).row_counts["call"] == 4

    from console.services.profiles_service import list_profiles
    assert [p.name for p in list_profiles(access)] == ["Metro CAD"]


def test_a_file_that_is_not_an_export_says_why(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "minutes.csv"
    bad.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    wizard = open_wizard(qtbot, access, bad)
    assert wizard.survey is None
    assert not wizard.file_page.isComplete()
    text = wizard.file_page.status.text()
    assert "minutes.csv" in text and "\n" not in text and "Traceback" not in text


def test_all_or_nothing_lists_rejects(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [*ROWS, ["", "03/18/2024 1:00:00 PM", "PERSON IN CRISIS", "ASSISTANCE RENDERED", "C1"]]
    wizard = open_wizard(qtbot, access, _export(tmp_path, rows))
    wizard.next()
    wizard.next()
    wizard.next()
    assert "1 of the first 5 rows have a problem" in wizard.preview_page.status.text()
    wizard.preview_page.all_or_nothing.setChecked(True)
    wizard.next()
    run = wizard.run_page
    assert run.table.rowCount() == 1
    assert run.table.item(0, 0).text() == "6"  # the CSV line of the bad row
    assert "Nothing was imported" in run.status.text()
    assert database_stats(access).row_counts.get("call", 0) == 0


def test_an_analyst_has_no_import(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert window.imports.action.isVisible()
    assert window.acceptDrops()
    ctx = window.ctx
    assert ctx is not None
    analyst = Access(ctx.access.factory, Actor("eva", UserRole.ANALYST), ctx.access.vault)
    window.imports.attach(type(ctx)(ctx.db, analyst, ctx.identity))
    assert not window.imports.action.isVisible() and not window.acceptDrops()


def test_dropping_an_export_opens_the_wizard(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    path = _export(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    wizard = window.imports.wizard
    assert isinstance(wizard, QWizard) and wizard.isVisible()
    assert wizard.file_page.path == path
    qtbot.waitUntil(lambda: wizard.survey is not None, timeout=20_000)
    wizard.reject()

    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.png"))])
    assert window.imports.dropped_file(other) is None


def test_cancel_leaves_the_database_as_before(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [[f"2024{n:07d}", f"03/{1 + n % 28:02d}/2024 {1 + n % 12}:{n % 60:02d}:00 PM",
             "PERSON IN CRISIS", "ASSISTANCE RENDERED", f"C{n % 4}"] for n in range(60_000)]
    tasks = TaskRunner()
    wizard = ImportWizard(access, tasks, _export(tmp_path, rows))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.survey is not None, timeout=60_000)
    for _ in range(3):
        wizard.next()
    wizard.next()  # starts the import on the worker
    run = wizard.run_page
    assert run.busy and not run.isComplete()
    qtbot.waitUntil(lambda: run.bar.maximum() > 0 and run.bar.value() > 0, timeout=60_000)
    run.cancel_button.click()
    qtbot.waitUntil(lambda: not run.busy, timeout=60_000)
    tasks.wait()
    assert "nothing was imported" in run.status.text()
    assert not run.finished_ok and run.isComplete()
    assert database_stats(access).row_counts.get("call", 0) == 0


def test_undecided_dates_ask_for_the_order(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [["2024000201", "03/04/2024 10:00", "PERSON IN CRISIS", "ASSISTANCE RENDERED", "C1"],
            ["2024000202", "05/06/2024 11:30", "PERSON IN CRISIS", "ASSISTANCE RENDERED", "C2"]]
    wizard = open_wizard(qtbot, access, _export(tmp_path, rows))
    wizard.next()
    page = wizard.columns_page
    assert page.order.currentData() is None and "choose" in page.order_note.text()
    assert not page.isComplete()
    page.order.setCurrentIndex(page.order.findData(DateOrder.DAY_FIRST.value))
    assert page.isComplete()
    wizard.next()
    wizard.next()
    assert wizard.preview_page.table.item(0, 3).text() == "2024-04-03 10:00:00"  # 3 April
