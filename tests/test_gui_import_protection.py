"""The import wizard keeps personal data where it belongs (pytest-qt, offscreen).

Code values nobody can place stay untranslated, rare ones are saved in a profile only
when a person chose them, rejected identities are withheld, and a demo database takes
no identities.
"""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import SUPERVISOR, seed_program
from PySide6.QtWidgets import QComboBox, QTableWidget
from test_gui_import import open_wizard

from console.data.engine import Database
from console.data.enums import CallSource
from console.services.access import Access
from console.services.profiles_service import load_profile
from console.services.stats_service import database_stats
from console.views.importing.tables import UNSET

HEADER = ["CAD Event Number", "Original Time Queued", "Call Source", "Subject Name", "DOB"]


def _rows() -> list[list[str]]:
    rows = [[f"2023000{n}", f"12/{13 + n}/2023 10:00:00 AM", "911", f"Person {n}",
             "07/04/1980"] for n in range(1, 5)]
    rows += [["20230005", "12/18/2023 10:00:00 AM", "ONVIEW", "Person 5", "07/04/1980"],
             ["20230006", "12/19/2023 10:00:00 AM", "ONVIEW", "Person 6", "31/31/1980"],
             ["20230007", "12/20/2023 10:00:00 AM", "WALK-IN", "Person 7", "07/04/1980"],
             ["20230008", "12/21/2023 10:00:00 AM", "Jane Roe", "Person 8", "07/04/1980"]]
    return rows


def _export(folder: Path) -> Path:
    path = folder / "cad-export.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(_rows())
    return path


def _combo(table: QTableWidget, value: str) -> QComboBox:
    for r in range(table.rowCount()):
        if table.item(r, 0).text() == value:
            combo = table.cellWidget(r, 2)
            assert isinstance(combo, QComboBox)
            return combo
    raise AssertionError(f"no row {value!r}")


def test_untranslated_rare_and_withheld_values(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with access.factory.kw["bind"].begin() as conn:
        seed_program(conn)
    wizard = open_wizard(qtbot, access, _export(tmp_path))
    wizard.next()
    assert wizard.mapping.columns["source"] == "Call Source"
    assert wizard.mapping.columns["person_name"] == "Subject Name"
    wizard.next()  # the codes
    sources = wizard.codes_page.source_table
    assert _combo(sources, "Jane Roe").currentData() == UNSET  # no guess
    assert _combo(sources, "ONVIEW").currentData() == CallSource.ON_VIEW.value
    walk_in = _combo(sources, "WALK-IN")
    assert walk_in.currentData() == CallSource.OTHER.value
    walk_in.activated.emit(walk_in.currentIndex())  # a person confirms the suggestion
    wizard.next()  # the check
    preview = wizard.preview_page
    assert "2 of the first 8 rows have a problem" in preview.status.text()
    preview.save_profile.setChecked(True)
    preview.profile_name.setText("Metro CAD")
    wizard.next()  # the import
    run = wizard.run_page
    assert run.finished_ok, run.status.text()
    assert "6 new calls" in run.status.text() and "2 rejected" in run.status.text()
    shown = {(run.table.item(r, 1).text(), run.table.item(r, 2).text())
             for r in range(run.table.rowCount())}
    assert shown == {("DOB", "(withheld: birth date)"), ("Call Source", "Jane Roe")}
    assert not any("31/31" in run.table.item(r, 3).text() for r in range(run.table.rowCount()))
    assert all(run.table.item(r, 3).toolTip() == run.table.item(r, 3).text()
               for r in range(run.table.rowCount()))  # the reason whole, where it is cut
    assert database_stats(access).row_counts["call"] == 6
    saved = load_profile(access, "Metro CAD")
    # 911 is frequent; WALK-IN was confirmed; ONVIEW (twice, only suggested) and the
    # untranslated name are not kept.
    assert saved.sources == {"911": CallSource.E911, "WALK-IN": CallSource.OTHER}


def test_an_untranslated_value_reads_whole(qtbot, access: Access, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The codes column is as wide as its longest choice: "Not translated (its rows are
    rejected)" is not cut to "Not translated (its rows are rej" at a larger font."""
    wizard = open_wizard(qtbot, access, _export(tmp_path))
    wizard.next()
    wizard.next()  # the codes
    sources = wizard.codes_page.source_table
    combo = _combo(sources, "Jane Roe")
    assert combo.currentData() == UNSET
    assert sources.columnWidth(2) >= combo.sizeHint().width()


def test_the_demo_refuses_identities_in_the_wizard(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from console.data.identity import unlock

    with db.engine.begin() as conn:
        seed_program(conn)
    demo = Access(db.session_factory, SUPERVISOR, unlock(db, create_demo=True).vault)
    wizard = open_wizard(qtbot, demo, _export(tmp_path))
    for _ in range(3):
        wizard.next()
    wizard.preview_page.check_button.click()  # the whole-file check says it first
    text = wizard.preview_page.status.text()
    assert "demo" in text and "'Subject Name'" in text and "\n" not in text
    wizard.next()
    run = wizard.run_page
    assert not run.finished_ok and "demo" in run.status.text()
    assert database_stats(demo).row_counts.get("call", 0) == 0
