"""The import wizard with workbooks of several sheets and columns left unused (pytest-qt)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from test_gui_import import open_wizard

from console.services.access import Access
from console.services.stats_service import database_stats

HEADER = ["CAD Event Number", "Original Time Queued", "Final Call Type",
          "Event Clearance Description"]
ROWS = [[f"2024{n:06d}", f"03/{14 + n:02d}/2024 10:00", "PERSON IN CRISIS",
         "ASSISTANCE RENDERED"] for n in range(6)]


def _book(path: Path) -> Path:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover["A1"] = "Calls for service export"
    cover["A2"] = "Prepared by the records unit"
    calls = book.create_sheet("Calls")
    for row in [HEADER, *ROWS]:
        calls.append(row)
    book.save(path)
    return path


def test_a_workbook_offers_its_sheets_and_reads_the_calls(qtbot, access: Access,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    wizard = open_wizard(qtbot, access, _book(tmp_path / "book.xlsx"))
    page = wizard.file_page
    assert wizard.survey is not None and wizard.survey.sheet == "Calls"
    assert page.sheet_box.isVisibleTo(wizard)
    assert [page.sheet_box.itemText(i) for i in range(page.sheet_box.count())] == [
        "Cover", "Calls"]
    assert page.sheet_box.currentText() == "Calls"
    assert "sheet Calls" in page.summary.text()

    page.sheet_box.setCurrentIndex(0)
    page.sheet_box.activated.emit(0)  # the user picks the cover note
    assert wizard.survey is None and not page.isComplete()
    assert "the sheet 'Cover' has no header row" in page.status.text()
    assert "'Cover', 'Calls'" in page.status.text()
    assert page.sheet_box.isVisibleTo(wizard)

    page.sheet_box.setCurrentIndex(1)
    page.sheet_box.activated.emit(1)
    assert wizard.survey is not None and wizard.survey.sheet == "Calls"
    for _ in range(4):
        wizard.next()
    assert wizard.run_page.finished_ok, wizard.run_page.status.text()
    assert database_stats(access).row_counts["call"] == len(ROWS)


def test_a_csv_shows_no_sheet_choice(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "calls.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    wizard = open_wizard(qtbot, access, path)
    assert wizard.survey is not None
    assert not wizard.file_page.sheet_box.isVisibleTo(wizard)


def test_the_columns_page_names_the_unused_columns(qtbot, access: Access,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    path = tmp_path / "llamadas.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Numero de incidente", "Fecha de recepcion", "Tipo de llamada",
                         "Resolucion"])
        writer.writerows([[f"E{n}", f"2024-03-{n + 1:02d} 10:00", "CRISIS", "RESUELTO"]
                          for n in range(5)])
    wizard = open_wizard(qtbot, access, path)
    wizard.next()
    page = wizard.columns_page
    assert page.unused.text() == ("Not imported (2 of the file's 4 columns): Tipo de llamada, "
                                  "Resolucion")
    combo = page.combos["final_call_type"]
    combo.setCurrentIndex(combo.findData("Tipo de llamada"))
    assert page.unused.text() == "Not imported (1 of the file's 4 columns): Resolucion"


def test_disagreeing_date_columns_are_named_on_the_columns_page(qtbot, access: Access,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    path = tmp_path / "clash.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Incident", "Received", "Cleared"])
        writer.writerows([["E1", "14/03/2024 10:00", "03/14/2024 11:00"],
                          ["E2", "05/03/2024 10:00", "03/05/2024 11:00"]])
    wizard = open_wizard(qtbot, access, path)
    wizard.next()
    note = wizard.columns_page.order_note.text()
    assert "'Received' row 2 '14/03/2024' reads only day first" in note
    assert "'Cleared' row 2 '03/14/2024' only month first" in note
    assert not wizard.columns_page.isComplete()
