"""The calls wizard maps the requesting officer and says who it added (offscreen)."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import program_access_for
from test_gui_import import open_wizard

from console.data.engine import Database


def test_the_wizard_maps_the_requesting_officer_and_says_who_was_added(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    access = program_access_for(db, tmp_path)
    path = tmp_path / "cad.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["CAD Event Number", "Original Time Queued", "RequestingEmpNo"])
        out.writerows([["2024000101", "03/14/2024 6:08:26 PM", "04417"],
                       ["2024000102", "03/15/2024 1:10:00 AM", "4417"],
                       ["2024000103", "03/16/2024 9:45:12 AM", "PAPD-1002"],
                       ["2024000104", "03/17/2024 9:45:12 AM", ""]])
    wizard = open_wizard(qtbot, access, path)
    wizard.next()
    assert wizard.columns_page.combos["requesting_officer"].currentData() == "RequestingEmpNo"
    wizard.next()
    wizard.next()
    preview = wizard.preview_page
    labels = [preview.table.horizontalHeaderItem(c).text()
              for c in range(preview.table.columnCount())]
    column = labels.index("Requesting officer")
    assert [preview.table.item(r, column).text() for r in range(4)] == \
        ["4417", "4417", "PAPD-1002", ""]
    wizard.next()
    text = wizard.run_page.status.text()
    assert "4 new calls" in text and "2 requesting officers not known yet added" in text
