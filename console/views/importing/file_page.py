"""The wizard's first page: the export, read once off-thread, and the mapping to start from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from console.data.importers.fields import Mapping
from console.views.tasks import TaskControl

if TYPE_CHECKING:
    from console.services.import_service import Survey
    from console.views.importing.wizard import ImportWizard
from console.views.importing.task_page import TaskPage

FILE_FILTER = "{what} (*.csv *.txt *.xlsx *.xlsm);;All files (*)"
SUGGESTED = "Suggested from the file's columns"
# What the first page says of each kind's file (calls: the CAD export).
SUBTITLES = {
    "calls": "A CSV or Excel (.xlsx) export of calls for service from your CAD or records "
             "system. Nothing is written until the last step.",
    "program_events": "A CSV or Excel (.xlsx) list of program events: one row per "
                      "briefing, ride-along, training, office move or other change, with "
                      "its date, kind and title. Nothing is written until the last step.",
}


class FilePage(TaskPage):
    cancelled_text = "Reading the file was cancelled."

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        kind = wizard.kind
        self.setTitle("Choose the export" if kind.name == "calls" else "Choose the list")
        self.setSubTitle(SUBTITLES.get(kind.name) or
                         f"A CSV or Excel (.xlsx) list of {kind.plural}. Nothing is written "
                         "until the last step.")
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.profile_box = QComboBox()
        self.profile_box.addItem(SUGGESTED)
        self.profile_box.setToolTip(f"A saved mapping from an earlier import of {kind.plural} "
                                    "from the same system, or a new suggestion from this "
                                    "file.")
        self.profile_box.currentIndexChanged.connect(self._profile_chosen)
        self.sheet_box = QComboBox()
        self.sheet_box.setToolTip(f"The worksheet that holds the {kind.plural}. The one that "
                                  f"looks most like a table of {kind.plural} is chosen first.")
        self.sheet_box.activated.connect(self._sheet_chosen)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("File:", file_row)
        form.addRow("Sheet:", self.sheet_box)
        form.addRow("Mapping:", self.profile_box)
        form.setRowVisible(self.sheet_box, False)  # shown for a workbook of several sheets
        self.form = form
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.summary)
        box.addLayout(self.progress_row())
        box.addWidget(self.status)
        box.addStretch(1)
        self.path: Path | None = None
        self._load_profiles()

    def _load_profiles(self) -> None:
        from console.services.profiles_service import list_profiles

        access, kind = self.wiz.access, self.wiz.kind

        def show(profiles: Iterable[Any]) -> None:
            for info in profiles:
                self.profile_box.addItem(f"Profile: {info.name}", info.name)

        self.wiz.run(lambda _c: list_profiles(access, kind), show, lambda _e: None)

    def _browse(self) -> None:
        start = str(self.path.parent) if self.path else ""
        kind = self.wiz.kind
        name, _ = QFileDialog.getOpenFileName(
            self, f"Import {kind.plural}", start,
            FILE_FILTER.format(what=f"Lists of {kind.plural}" if kind.name != "calls"
                               else "Call exports"))
        if name:
            self.choose(Path(name))

    def choose(self, path: Path, sheet: str | None = None) -> None:
        """Read the file once: its columns, first rows and code values.

        sheet: the worksheet of a workbook to read (default: the one that looks like
        calls, as the survey decides).
        """
        from console.services.import_service import survey_file

        self.cancel_task()
        self.path = path
        self.path_edit.setText(str(path))
        self.wiz.survey = None
        self.summary.setText("")
        if sheet is None:
            self._show_sheets((), None)

        kind = self.wiz.kind

        def work(control: TaskControl) -> Survey:
            return survey_file(path, sheet=sheet, progress=control.progress,
                               cancelled=lambda: control.cancelled, kind=kind)

        self.start(f"Reading {path.name}…", work, self._surveyed)

    def _show_sheets(self, sheets: tuple[str, ...], current: str | None) -> None:
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        for name in sheets:
            self.sheet_box.addItem(name, name)
        self.sheet_box.setCurrentIndex(max(0, self.sheet_box.findData(current)))
        self.sheet_box.blockSignals(False)
        self.form.setRowVisible(self.sheet_box, len(sheets) > 1)

    def _sheet_chosen(self) -> None:
        name = self.sheet_box.currentData()
        survey = self.wiz.survey
        if self.path is None or name is None or (survey is not None and survey.sheet == name):
            return
        self.choose(self.path, sheet=name)

    def _surveyed(self, survey: Survey) -> None:
        self.wiz.survey = survey
        self._show_sheets(survey.sheets, survey.sheet)
        kind = getattr(survey, "kind", "")
        detail = ", ".join(x for x in (
            str(kind).upper(), getattr(survey, "encoding", None) or "",
            f"sheet {survey.sheet}" if getattr(survey, "sheet", None) else "") if x)
        self.summary.setText(f"{survey.row_count:,} rows, {len(survey.header)} columns "
                             f"({detail}).")
        self.status.setText("")
        self._profile_chosen()

    def _profile_chosen(self) -> None:
        survey = self.wiz.survey
        if survey is None or self.busy:
            return
        name = self.profile_box.currentData()
        if name is None:
            self.wiz.mapping, self.wiz.profile = _copy(survey.suggested), None
            self.wiz.confirmed = self.wiz.fresh_mapping()
            self.completeChanged.emit()
            return
        from console.services.profiles_service import load_profile

        access, kind = self.wiz.access, self.wiz.kind

        def work(_c: TaskControl) -> Mapping:
            return load_profile(access, name, kind)

        def loaded(mapping: Mapping) -> None:
            self.wiz.mapping, self.wiz.profile = mapping, name
            self.wiz.confirmed = _copy(mapping)
            absent = [c for c in mapping.columns.values() if c not in survey.header]
            self.status.setText(
                f"Profile {name!r}: the column {absent[0]!r} is not in this file; map it on "
                "the next page." if absent else f"Profile {name!r} loaded.")

        self.start(f"Loading profile {name!r}…", work, loaded)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return self.wiz.survey is not None and not self.busy



def _copy(mapping: Mapping) -> Mapping:
    return Mapping.from_json(mapping.to_json())

