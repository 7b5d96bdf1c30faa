"""The wizard's last page: the import with progress and Cancel, then the counts and the
rejected rows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.views.tasks import TaskControl

if TYPE_CHECKING:
    from console.services.import_service import ImportResult
    from console.views.importing.wizard import ImportWizard
from console.views.importing.task_page import TaskPage

SHOWN_REJECTS = 2_000  # rows of the rejects table; the saved report has them all


class RunPage(TaskPage):
    cancelled_text = "Import cancelled: nothing was imported, the database is as before."

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Importing")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Row", "Column", "Value", "Reason"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.hide()
        self.save_button = QPushButton("Save the report…")
        self.save_button.hide()
        self.save_button.clicked.connect(self._save_report)
        box = QVBoxLayout(self)
        box.addLayout(self.progress_row())
        box.addWidget(self.status)
        box.addWidget(self.table, 1)
        box.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addStretch(0)
        self.result: ImportResult | None = None
        self.finished_ok = False

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        from console.services.import_service import import_file
        from console.services.importing.codes import savable_mapping
        from console.services.profiles_service import save_profile

        wiz = self.wiz
        access, mapping, path = wiz.access, wiz.mapping, wiz.file_page.path
        survey, confirmed = wiz.survey, wiz.confirmed
        agency = getattr(wiz, "agency", None)
        all_or_nothing = wiz.preview_page.all_or_nothing.isChecked()
        profile = wiz.preview_page.profile_name.text().strip() \
            if wiz.preview_page.save_profile.isChecked() else None
        assert path is not None
        sheet = wiz.survey.sheet if wiz.survey is not None else None
        self.finished_ok = False

        def work(control: TaskControl) -> ImportResult:
            result = import_file(access, path, mapping, agency=agency, sheet=sheet,
                                 all_or_nothing=all_or_nothing, profile_name=profile or
                                 wiz.profile, progress=control.progress,
                                 cancelled=lambda: control.cancelled)
            if profile and result.committed:
                kept = mapping if survey is None else savable_mapping(mapping, survey,
                                                                      confirmed)
                save_profile(access, profile, kept)
            return result

        self.start(f"Importing {path.name}…", work, self._done, writes=True)

    def _done(self, result: ImportResult) -> None:
        self.result = result
        self.finished_ok = True
        c = result.counts
        written = c.inserted + c.updated
        tail = ""
        if not result.committed:
            self.setTitle("Nothing imported")
            head = "Nothing was imported: rows were rejected and you chose all or nothing."
        else:
            self.setTitle("Import finished")
            head = f"Imported into {result.agency or result.program}: " \
                f"{_rows(result, c.inserted, 'new')}, {c.updated:,} updated."
            officers = result.requesting_officers_added
            if officers:  # after the counts: the calls first, then who was added
                tail = (f" {officers:,} requesting officer{'s' if officers > 1 else ''} not "
                        "known yet added as staff records to complete (badge only).")
            if result.created_program:
                head += f" The database had no program yet: {result.program!r} was created."
        self.status.setText(f"{head} {c.unchanged:,} unchanged, {c.rejected:,} rejected."
                            + tail)
        self.status.setObjectName("")
        if result.rejects:
            shown = result.rejects[:SHOWN_REJECTS]
            self.table.setRowCount(len(shown))
            for r, reject in enumerate(shown):
                for c_, text in enumerate((str(reject.row), reject.column, reject.value,
                                           reject.reason)):
                    item = QTableWidgetItem(text)
                    item.setToolTip(text)  # whole, where a narrow window elides it
                    self.table.setItem(r, c_, item)
            self.table.resizeColumnsToContents()
            self.table.show()
            self.save_button.show()
        if written and self.wiz.on_imported is not None:
            self.wiz.on_imported(result)
        self.completeChanged.emit()

    def _save_report(self) -> None:
        if self.result is not None:
            save_report(self, self.result)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return not self.busy

    def after_failure(self) -> None:
        self.completeChanged.emit()


def save_report(parent: QWidget, result: ImportResult) -> Path | None:
    """Ask where, then write every rejected row (row, column, value, reason) as CSV."""
    from console.services.import_service import write_rejects_csv

    name, _ = QFileDialog.getSaveFileName(parent, "Save the report of rejected rows",
                                          "rejected-rows.csv", "CSV (*.csv)")
    if not name:
        return None
    try:
        write_rejects_csv(result.rejects, Path(name))
    except OSError as exc:
        QMessageBox.warning(parent, APP_NAME, f"{name}: could not write the report "
                            f"({exc.strerror or exc})")
        return None
    return Path(name)



def _rows(result: ImportResult, count: int, what: str) -> str:
    kind = result.kind
    return f"{count:,} {what} {kind.noun if count == 1 else kind.plural}"
