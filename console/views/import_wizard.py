"""File › Import calls…: a CAD export in, checked row by row, with the user deciding.

Pages: the file (read once off-thread: header, samples, the values of code columns),
the columns (which column feeds which field, day/month order), the codes (call types in
or out of scope, clearance codes to dispositions, sources), a preview of the first rows
as they will be stored, and the import itself with progress, Cancel and the report of
rejected rows. The mapping can be saved as a named profile for the next export.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from console import APP_NAME
from console.data.enums import Activation, CallSource, Disposition
from console.data.importers.fields import FIELDS, DateOrder, FieldKind, Mapping
from console.data.importers.suggest import complete_codes
from console.errors import UserError
from console.views.tasks import Cancelled, TaskControl, TaskHandle, TaskRunner, report_bug

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.import_service import ImportResult, Survey

FILE_FILTER = "Call exports (*.csv *.txt *.xlsx *.xlsm);;All files (*)"
NOT_MAPPED = "— not in this file —"
SUGGESTED = "Suggested from the file's columns"
PROBLEM = QBrush(QColor("#fef2f2"))
NEW_VALUE = QBrush(QColor("#fffbeb"))
MAX_COLUMN_WIDTH = 280
SHOWN_REJECTS = 2_000  # rows of the rejects table; the saved report has them all
SOURCE_LABELS = {
    CallSource.E911: "911",
    CallSource.NON_EMERGENCY: "Non-emergency line",
    CallSource.ON_VIEW: "On-view (officer initiated)",
    CallSource.OTHER: "Other",
}


class ImportWizard(QWizard):
    """One import, start to end; `imported(result)` fires after a committed import."""

    def __init__(self, access: Access, tasks: TaskRunner, path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks = access, tasks
        self.setWindowTitle(f"{APP_NAME} — Import calls")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(1000, 700)
        self.survey: Survey | None = None
        self.mapping = Mapping()
        self.profile: str | None = None   # the profile the mapping came from
        self.on_imported: Callable[[ImportResult], None] | None = None
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.codes_page = CodesPage(self)
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.columns_page, self.codes_page, self.preview_page,
                     self.run_page):
            self.addPage(page)
        if path is not None:
            self.file_page.choose(path)

    def reject(self) -> None:
        """Closing while a task runs cancels it first: nothing is left half done."""
        for page in (self.file_page, self.preview_page, self.run_page):
            page.cancel_task()
        super().reject()

    def run(self, work: Callable[[TaskControl], Any], then: Callable[[Any], None],
            failed: Callable[[BaseException], None],
            progress: Callable[[int, int, str], None] | None = None, *,
            writes: bool = False) -> TaskHandle:
        return self.tasks.run(work, then, failed, progress, writes=writes, owner=self)


class _TaskPage(QWizardPage):
    """A page that runs one background task at a time with a progress bar and Cancel."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.handle: TaskHandle | None = None
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_task)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def progress_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        return row

    @property
    def busy(self) -> bool:
        return self.handle is not None and not self.handle.finished

    def start(self, text: str, work: Callable[[TaskControl], Any],
              then: Callable[[Any], None], *, writes: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("")
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)

        def done(value: Any) -> None:
            self._idle()
            then(value)

        self.handle = self.wiz.run(work, done, self._failed, self._progress, writes=writes)
        self.completeChanged.emit()

    def cancel_task(self) -> None:
        if self.busy and self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        if text:
            self.status.setText(text)

    def _idle(self) -> None:
        self.bar.hide()
        self.cancel_button.hide()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, Cancelled) or type(exc).__name__.endswith("Cancelled"):
            self.show_problem(self.cancelled_text)
        elif isinstance(exc, UserError):
            self.show_problem(exc.message)
        else:
            self.show_problem("Something went wrong; the details are in the log.")
            report_bug(exc)
        self.after_failure()

    cancelled_text = "Cancelled."

    def after_failure(self) -> None:
        """Override to reset what the failed task was building."""

    def show_problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setObjectName("formError")
        self.status.setStyleSheet("")  # re-polish for the object name
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)


# -- the file ------------------------------------------------------------------------
class FilePage(_TaskPage):
    cancelled_text = "Reading the file was cancelled."

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Choose the export")
        self.setSubTitle("A CSV or Excel (.xlsx) export of calls for service from your CAD or "
                         "records system. Nothing is written until the last step.")
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.profile_box = QComboBox()
        self.profile_box.addItem(SUGGESTED)
        self.profile_box.setToolTip("A saved mapping from an earlier import of the same "
                                    "system's exports, or a new suggestion from this file.")
        self.profile_box.currentIndexChanged.connect(self._profile_chosen)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("File:", file_row)
        form.addRow("Mapping:", self.profile_box)
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

        access = self.wiz.access

        def show(profiles: Iterable[Any]) -> None:
            for info in profiles:
                self.profile_box.addItem(f"Profile: {info.name}", info.name)

        self.wiz.run(lambda _c: list_profiles(access), show, lambda _e: None)

    def _browse(self) -> None:
        start = str(self.path.parent) if self.path else ""
        name, _ = QFileDialog.getOpenFileName(self, "Import calls", start, FILE_FILTER)
        if name:
            self.choose(Path(name))

    def choose(self, path: Path) -> None:
        """Read the file once: its columns, first rows and code values."""
        from console.services.import_service import survey_file

        self.cancel_task()
        self.path = path
        self.path_edit.setText(str(path))
        self.wiz.survey = None
        self.summary.setText("")

        def work(control: TaskControl) -> Survey:
            return survey_file(path, progress=control.progress,
                               cancelled=lambda: control.cancelled)

        self.start(f"Reading {path.name}…", work, self._surveyed)

    def _surveyed(self, survey: Survey) -> None:
        self.wiz.survey = survey
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
            self.completeChanged.emit()
            return
        from console.services.profiles_service import load_profile

        access = self.wiz.access

        def work(_c: TaskControl) -> Mapping:
            return load_profile(access, name)

        def loaded(mapping: Mapping) -> None:
            self.wiz.mapping, self.wiz.profile = mapping, name
            absent = [c for c in mapping.columns.values() if c not in survey.header]
            self.status.setText(
                f"Profile {name!r}: the column {absent[0]!r} is not in this file; map it on "
                "the next page." if absent else f"Profile {name!r} loaded.")

        self.start(f"Loading profile {name!r}…", work, loaded)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return self.wiz.survey is not None and not self.busy


# -- the columns ---------------------------------------------------------------------
class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("Match the columns")
        self.setSubTitle("Which column of the file feeds each field of a call. Suggested from "
                         "the column names and values; correct anything that is wrong. "
                         "Fields marked * are required; a field left out stays as stored.")
        self.table = QTableWidget(len(FIELDS), 3)
        self.table.setHorizontalHeaderLabels(["Field", "Column in the file", "First values"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 260)
        self.table.setWordWrap(False)
        self.combos: dict[str, QComboBox] = {}
        for row, spec in enumerate(FIELDS):
            item = QTableWidgetItem(f"{spec.label} *" if spec.required else spec.label)
            item.setToolTip(spec.help)
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.currentIndexChanged.connect(lambda _i, r=row: self._column_changed(r))
            self.table.setCellWidget(row, 1, combo)
            self.combos[spec.name] = combo
            self.table.setItem(row, 2, QTableWidgetItem(""))
        self.order = QComboBox()
        self.order.addItem("Choose…", None)
        self.order.addItem("Month first: 11/04/2023 is 4 November", DateOrder.MONTH_FIRST.value)
        self.order.addItem("Day first: 11/04/2023 is 11 April", DateOrder.DAY_FIRST.value)
        self.order.currentIndexChanged.connect(self.completeChanged)
        self.order_note = QLabel("")
        self.order_note.setObjectName("muted")
        self.agency = QComboBox()
        self.agency.setEditable(True)
        line = self.agency.lineEdit()
        if line is not None:
            line.setPlaceholderText("The program's lead police agency")
        self.agency.setToolTip("The agency whose CAD issued these incident numbers; numbers "
                               "are unique within an agency.")
        form = QFormLayout()
        order_row = QHBoxLayout()
        order_row.addWidget(self.order)
        order_row.addWidget(self.order_note, 1)
        form.addRow("Dates:", order_row)
        form.addRow("Agency:", self.agency)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addLayout(form)
        self._filling = False

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        survey, mapping = self.wiz.survey, self.wiz.mapping
        assert survey is not None
        self._filling = True
        for spec in FIELDS:
            combo = self.combos[spec.name]
            combo.clear()
            combo.addItem(NOT_MAPPED, None)
            for name in survey.header:
                combo.addItem(name, name)
            chosen = mapping.columns.get(spec.name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        self._filling = False
        for row in range(len(FIELDS)):
            self._column_changed(row)
        order = mapping.date_order or survey.date_order
        self.order.setCurrentIndex(max(0, self.order.findData(_code(order) or None)))
        decided = survey.suggested.date_order is not None
        self.order_note.setText("decided by the file's dates" if decided else
                                "the file's dates do not say; choose" if _needs_order(survey)
                                else "not needed for this file")
        self._load_agencies()

    def _load_agencies(self) -> None:
        from console.services.program_service import program_summary

        access = self.wiz.access

        def agencies(_c: TaskControl) -> list[str]:
            summary = program_summary(access)
            return [a.name for a in summary.agencies] if summary else []

        def show(names: list[str]) -> None:
            current = self.agency.currentText()
            self.agency.clear()
            self.agency.addItems(names)
            if current:
                self.agency.setCurrentText(current)

        self.wiz.run(agencies, show, lambda _e: None)

    def _column_changed(self, row: int) -> None:
        if self._filling or self.wiz.survey is None:
            return
        spec = FIELDS[row]
        column = self.combos[spec.name].currentData()
        samples = _samples(self.wiz.survey, column) if column else []
        _item(self.table, row, 2).setText("  ·  ".join(samples))
        self.completeChanged.emit()

    def chosen_columns(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items()
                if combo.currentData() is not None}

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        columns = self.chosen_columns()
        if any(spec.required and spec.name not in columns for spec in FIELDS):
            return False
        survey = self.wiz.survey
        return not (survey is not None and _needs_order(survey)
                    and self.order.currentData() is None)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        columns = self.chosen_columns()
        twice = [c for c in set(columns.values()) if list(columns.values()).count(c) > 1]
        if twice:
            fields = [FIELDS_BY[f].label for f, c in columns.items() if c == twice[0]]
            QMessageBox.warning(self, APP_NAME, f"The column {twice[0]!r} feeds two fields "
                                f"({' and '.join(fields)}); choose one.")
            return False
        order = self.order.currentData()
        self.wiz.mapping = replace(self.wiz.mapping, columns=columns,
                                   date_order=DateOrder(order) if order else None)
        self.wiz.agency = self.agency.currentText().strip() or None  # type: ignore[attr-defined]
        return True


FIELDS_BY = {f.name: f for f in FIELDS}


# -- the codes -----------------------------------------------------------------------
class CodesPage(QWizardPage):
    """Each code value the file holds, translated: scope, disposition, source, activation."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("Translate the codes")
        self.setSubTitle("Every value the file holds in its call-type, clearance and source "
                         "columns. Suggestions are marked; values new to a saved profile are "
                         "shaded. A value left untranslated rejects its rows.")
        self.tabs = QTabWidget()
        box = QVBoxLayout(self)
        box.addWidget(self.tabs)
        self.scope_table = _code_table(["Call type", "Calls", "In scope"])
        self.disposition_table = _code_table(["Clearance / disposition", "Calls", "Disposition"])
        self.source_table = _code_table(["Source", "Calls", "Call source"])
        self.activation_table = _code_table(["Activation", "Calls", "How the unit came"])

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        survey, mapping = self.wiz.survey, self.wiz.mapping
        assert survey is not None
        self.tabs.clear()
        known = self.wiz.profile is not None
        # What the console would suggest for every value, for those a profile lacks.
        self.suggested = complete_codes(Mapping(columns=dict(mapping.columns)), survey.distinct)
        type_columns = [c for c in (mapping.columns.get("final_call_type"),
                                    mapping.columns.get("initial_call_type")) if c]
        if type_columns:
            self._fill(self.scope_table, survey, type_columns, mapping.scope, None, known)
            self.tabs.addTab(self.scope_table, "Call types → scope")
        specs: list[tuple[str, QTableWidget, dict[str, Any], list[tuple[str, Any]], str]] = [
            ("disposition", self.disposition_table, mapping.dispositions,
             [("No disposition", None)] + [(d.label, d) for d in Disposition],
             "Clearance → disposition"),
            ("source", self.source_table, mapping.sources,
             [(SOURCE_LABELS[s], s) for s in CallSource], "Sources"),
            ("activation", self.activation_table, mapping.activations,
             [(a.label, a) for a in Activation], "Activation"),
        ]
        for field_name, table, decided, choices, title in specs:
            column = mapping.columns.get(field_name)
            if column:
                self._fill(table, survey, [column], decided, choices, known)
                self.tabs.addTab(table, title)
        if not self.tabs.count():
            note = QLabel("This file maps no coded columns: nothing to translate.")
            note.setObjectName("note")
            self.tabs.addTab(note, "Codes")

    def _fill(self, table: QTableWidget, survey: Survey, columns: list[str],
              decided: dict[str, Any], choices: list[tuple[str, Any]] | None,
              known: bool) -> None:
        counts: dict[str, int] = {}
        for column in columns:
            for value, n in (survey.distinct.get(column) or {}).items():
                counts[value] = counts.get(value, 0) + n
        ordered = sorted(counts, key=lambda v: (-counts[v], v.casefold()))
        table.setRowCount(len(ordered))
        suggested = self.suggested
        for row, value in enumerate(ordered):
            item = QTableWidgetItem(value)
            table.setItem(row, 0, item)
            count = QTableWidgetItem(f"{counts[value]:,}")
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 1, count)
            is_new = known and value not in decided
            if is_new:
                item.setBackground(NEW_VALUE)
                item.setToolTip("Not in the profile yet: check the suggestion.")
            current = decided.get(value, _suggested_for(table, self, suggested, value))
            if choices is None:
                check = QTableWidgetItem("")
                check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                check.setCheckState(Qt.CheckState.Checked if current
                                    else Qt.CheckState.Unchecked)
                table.setItem(row, 2, check)
            else:
                combo = QComboBox()
                for label, data in choices:
                    combo.addItem(label, _code(data))
                combo.setCurrentIndex(max(0, combo.findData(_code(current))))
                table.setCellWidget(row, 2, combo)
        table.resizeColumnToContents(1)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        mapping = self.wiz.mapping
        self.wiz.mapping = replace(
            mapping,
            scope=_read_checks(self.scope_table) if self._shown(self.scope_table)
            else mapping.scope,
            dispositions=_read_combos(self.disposition_table, mapping.dispositions,
                                      self._shown(self.disposition_table), Disposition),
            sources=_read_combos(self.source_table, mapping.sources,
                                 self._shown(self.source_table), CallSource),
            activations=_read_combos(self.activation_table, mapping.activations,
                                     self._shown(self.activation_table), Activation),
        )
        return True

    def _shown(self, table: QTableWidget) -> bool:
        return self.tabs.indexOf(table) >= 0


def _suggested_for(table: QTableWidget, page: CodesPage, suggested: Mapping, value: str) -> Any:
    if table is page.scope_table:
        return suggested.scope.get(value, False)
    if table is page.disposition_table:
        return suggested.dispositions.get(value)
    if table is page.source_table:
        return suggested.sources.get(value)
    return suggested.activations.get(value)


def _code_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    table.setColumnWidth(2, 240)
    return table


def _item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def _read_checks(table: QTableWidget) -> dict[str, bool]:
    return {_item(table, r, 0).text():
            _item(table, r, 2).checkState() == Qt.CheckState.Checked
            for r in range(table.rowCount())}


def _code(value: Any) -> str:
    """A code as combo-box data: Qt hands a str enum back as a plain str, so store text."""
    return "" if value is None else str(getattr(value, "value", value))


def _read_combos(table: QTableWidget, before: dict[str, Any], shown: bool,
                 enum_cls: type[enum.Enum]) -> dict[str, Any]:
    if not shown:
        return dict(before)
    out = dict(before)
    for r in range(table.rowCount()):
        combo = table.cellWidget(r, 2)
        assert isinstance(combo, QComboBox)
        data = combo.currentData()
        out[_item(table, r, 0).text()] = enum_cls(data) if data else None
    return out


# -- the preview ---------------------------------------------------------------------
class PreviewPage(_TaskPage):
    cancelled_text = "The check was cancelled; nothing was written."

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Check before importing")
        self.setSubTitle("The first rows as they will be stored. Rows with a problem are "
                         "shaded, their problem beside them. Check the whole file to count "
                         "every rejected row before anything is written.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.check_button = QPushButton("Check the whole file")
        self.check_button.clicked.connect(self._dry_run)
        self.save_button = QPushButton("Save the report…")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save_report)
        self.valid_only = QRadioButton("Import the valid rows and report the others")
        self.all_or_nothing = QRadioButton("Import nothing if any row is rejected")
        self.valid_only.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.valid_only)
        group.addButton(self.all_or_nothing)
        self.save_profile = QCheckBox("Save this mapping as the profile")
        self.profile_name = QLineEdit()
        self.profile_name.setPlaceholderText("e.g. Metro CAD monthly export")
        self.save_profile.toggled.connect(self.completeChanged)
        self.profile_name.textChanged.connect(self.completeChanged)

        checks = QHBoxLayout()
        checks.addWidget(self.check_button)
        checks.addWidget(self.save_button)
        checks.addStretch(1)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.save_profile)
        profile_row.addWidget(self.profile_name, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addLayout(checks)
        box.addLayout(self.progress_row())
        box.addWidget(self.status)
        box.addWidget(self.valid_only)
        box.addWidget(self.all_or_nothing)
        box.addLayout(profile_row)
        self.checked: ImportResult | None = None

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        from console.services.import_service import preview

        survey, mapping = self.wiz.survey, self.wiz.mapping
        assert survey is not None
        self.checked = None
        self.save_button.setEnabled(False)
        self.status.setText("")
        if self.wiz.profile and not self.profile_name.text():
            self.profile_name.setText(self.wiz.profile)
        try:
            rows = preview(survey, mapping, limit=20)
        except UserError as exc:
            self.table.setRowCount(0)
            self.show_problem(exc.message)
            return
        fields = [f for f in FIELDS if f.name in mapping.columns or f.name == "in_scope"]
        labels = ["Row", "Problem"] + [f.label for f in fields] + ["In scope"]
        self.table.setColumnCount(len(labels))
        self.table.setHorizontalHeaderLabels(labels)
        self.table.setRowCount(len(rows))
        for r, line in enumerate(rows):
            problems = "\n".join(line.problems)
            cells = [str(line.row), line.problems[0] if line.problems else ""] + \
                [line.values.get(f.name, "") for f in fields] + [line.values.get("in_scope", "")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if problems:
                    item.setBackground(PROBLEM)
                    item.setToolTip(problems)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for c in range(self.table.columnCount()):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), MAX_COLUMN_WIDTH))
        bad = sum(1 for line in rows if line.problems)
        self.status.setText(f"{bad} of the first {len(rows)} rows have a problem."
                            if bad else f"The first {len(rows)} rows are valid.")

    def _dry_run(self) -> None:
        from console.services.import_service import import_calls

        access, mapping, path = self.wiz.access, self.wiz.mapping, self.wiz.file_page.path
        agency = getattr(self.wiz, "agency", None)
        assert path is not None

        def work(control: TaskControl) -> ImportResult:
            return import_calls(access, path, mapping, agency=agency, dry_run=True,
                                progress=control.progress, cancelled=lambda: control.cancelled)

        def checked(result: ImportResult) -> None:
            self.checked = result
            c = result.counts
            self.status.setText(
                f"Whole file checked: {c.inserted:,} new, {c.updated:,} changed, "
                f"{c.unchanged:,} unchanged, {c.rejected:,} rejected. Nothing written yet.")
            self.save_button.setEnabled(bool(result.rejects))

        self.start("Checking every row…", work, checked)

    def _save_report(self) -> None:
        if self.checked is not None:
            save_report(self, self.checked)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        if self.busy:
            return False
        return not self.save_profile.isChecked() or bool(self.profile_name.text().strip())


# -- the import ----------------------------------------------------------------------
class RunPage(_TaskPage):
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
        from console.services.import_service import import_calls
        from console.services.profiles_service import save_profile

        wiz = self.wiz
        access, mapping, path = wiz.access, wiz.mapping, wiz.file_page.path
        agency = getattr(wiz, "agency", None)
        all_or_nothing = wiz.preview_page.all_or_nothing.isChecked()
        profile = wiz.preview_page.profile_name.text().strip() \
            if wiz.preview_page.save_profile.isChecked() else None
        assert path is not None
        self.finished_ok = False

        def work(control: TaskControl) -> ImportResult:
            result = import_calls(access, path, mapping, agency=agency,
                                  all_or_nothing=all_or_nothing, profile_name=profile or
                                  wiz.profile, progress=control.progress,
                                  cancelled=lambda: control.cancelled)
            if profile:
                save_profile(access, profile, mapping)
            return result

        self.start(f"Importing {path.name}…", work, self._done, writes=True)

    def _done(self, result: ImportResult) -> None:
        self.result = result
        self.finished_ok = True
        c = result.counts
        written = c.inserted + c.updated
        if not result.committed:
            self.setTitle("Nothing imported")
            head = "Nothing was imported: rows were rejected and you chose all or nothing."
        else:
            self.setTitle("Import finished")
            head = f"Imported into {result.agency}: {_calls(c.inserted, 'new')}, " \
                f"{c.updated:,} updated."
            if result.created_program:
                head += f" The database had no program yet: {result.program!r} was created."
        self.status.setText(f"{head} {c.unchanged:,} unchanged, {c.rejected:,} rejected.")
        self.status.setObjectName("")
        if result.rejects:
            shown = result.rejects[:SHOWN_REJECTS]
            self.table.setRowCount(len(shown))
            for r, reject in enumerate(shown):
                for c_, text in enumerate((str(reject.row), reject.column, reject.value,
                                           reject.reason)):
                    self.table.setItem(r, c_, QTableWidgetItem(text))
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


# -- reading the survey -------------------------------------------------------------
def _needs_order(survey: Survey) -> bool:
    """Whether the file's text dates need a day/month order the file does not decide."""
    return survey.date_order_needed


def _samples(survey: Survey, column: str, count: int = 4) -> list[str]:
    try:
        index = list(survey.header).index(column)
    except ValueError:
        return []
    out: list[str] = []
    for _row, cells in survey.sample:
        value = cells[index] if index < len(cells) else None
        if value not in (None, ""):
            out.append(str(value)[:40])
        if len(out) >= count:
            break
    return out


def _calls(count: int, what: str) -> str:
    return f"{count:,} {what} call{'' if count == 1 else 's'}"


def _copy(mapping: Mapping) -> Mapping:
    return Mapping.from_json(mapping.to_json())


__all__ = ["FieldKind", "ImportWizard", "save_report"]
