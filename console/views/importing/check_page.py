"""The wizard's fourth page: the first rows as they will be stored, a check of every row,
and the choices (valid rows or nothing, save the profile)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
)

from console.errors import UserError
from console.views.tasks import TaskControl

if TYPE_CHECKING:
    from console.services.import_service import ImportResult
    from console.views.importing.wizard import ImportWizard
from console.views.importing.run_page import save_report
from console.views.importing.task_page import TaskPage

PROBLEM = QBrush(QColor("#fef2f2"))
MAX_COLUMN_WIDTH = 280
PROFILE_EXAMPLES = {"calls": "e.g. Metro CAD monthly export",
                    "program_events": "e.g. Unit events sheet"}


class PreviewPage(TaskPage):
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
        self.profile_name.setPlaceholderText(PROFILE_EXAMPLES.get(
            wizard.kind.name, f"e.g. Monthly list of {wizard.kind.plural}"))
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
        fields = [f for f in self.wiz.kind.fields if f.name in mapping.columns]
        scope = ["In scope"] if self.wiz.kind.name == "calls" else []
        labels = ["Row", "Problem"] + [f.label for f in fields] + scope
        self.table.setColumnCount(len(labels))
        self.table.setHorizontalHeaderLabels(labels)
        self.table.setRowCount(len(rows))
        for r, line in enumerate(rows):
            problems = "\n".join(line.problems)
            cells = [str(line.row), line.problems[0] if line.problems else ""] + \
                [line.values.get(f.name, "") for f in fields] + \
                [line.values.get("in_scope", "") for _ in scope]
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
        from console.services.import_service import import_file

        access, mapping, path = self.wiz.access, self.wiz.mapping, self.wiz.file_page.path
        agency = getattr(self.wiz, "agency", None)
        sheet = self.wiz.survey.sheet if self.wiz.survey is not None else None
        assert path is not None

        def work(control: TaskControl) -> ImportResult:
            return import_file(access, path, mapping, agency=agency, sheet=sheet, dry_run=True,
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
