"""The wizard's second page: which column feeds which field, the date order, the agency."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from console import APP_NAME
from console.data.importers.fields import DateOrder
from console.views.tasks import TaskControl

if TYPE_CHECKING:
    from console.services.import_service import Survey
    from console.views.importing.wizard import ImportWizard
from console.views.importing.tables import code_data, item_at

NOT_MAPPED = "— not in this file —"


class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.fields = fields = wizard.kind.fields
        self.setTitle("Match the columns")
        self.setSubTitle(f"Which column of the file feeds each field of {_an(wizard.kind.noun)}. "
                         "Suggested from the column names and values; correct anything "
                         "that is wrong. Fields marked * are required; a field left out "
                         "stays as stored.")
        self.table = QTableWidget(len(fields), 3)
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
        for row, spec in enumerate(fields):
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
        self.order_note.setWordWrap(True)
        self.unused = QLabel("")
        self.unused.setObjectName("muted")
        self.unused.setWordWrap(True)
        self.unused.setToolTip("Columns of the file that feed no field: what they hold is "
                               "not imported. Choose one above if it should be.")
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
        # Only a kind whose rows belong to an agency asks which (calls: its CAD's numbers).
        form.setRowVisible(self.agency, wizard.kind.per_agency)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addWidget(self.unused)
        box.addLayout(form)
        self._filling = False

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        survey, mapping = self.wiz.survey, self.wiz.mapping
        assert survey is not None
        self._filling = True
        for spec in self.fields:
            combo = self.combos[spec.name]
            combo.clear()
            combo.addItem(NOT_MAPPED, None)
            for name in survey.header:
                combo.addItem(name, name)
            chosen = mapping.columns.get(spec.name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        self._filling = False
        for row in range(len(self.fields)):
            self._column_changed(row)
        order = mapping.date_order or survey.date_order
        self.order.setCurrentIndex(max(0, self.order.findData(code_data(order) or None)))
        decided = survey.suggested.date_order is not None
        conflict = survey.date_conflict()
        self.order_note.setText("decided by the file's dates" if decided else
                                conflict.partition(": ")[2] if conflict else
                                "the file's dates do not say; choose" if _needs_order(survey)
                                else "not needed for this file")
        self._show_unused()
        if self.wiz.kind.per_agency:
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
        spec = self.fields[row]
        column = self.combos[spec.name].currentData()
        samples = _samples(self.wiz.survey, column) if column else []
        item_at(self.table, row, 2).setText("  ·  ".join(samples))
        self._show_unused()
        self.completeChanged.emit()

    def _show_unused(self) -> None:
        from console.services.import_service import unmapped_columns

        survey = self.wiz.survey
        if survey is None:
            return
        used = replace(self.wiz.mapping, columns=self.chosen_columns())
        unused = unmapped_columns(survey.header, used)
        self.unused.setText(
            f"Not imported ({len(unused)} of the file's {len(survey.header)} columns): "
            + ", ".join(unused) if unused else "Every column of the file is used.")

    def chosen_columns(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items()
                if combo.currentData() is not None}

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        columns = self.chosen_columns()
        if any(spec.required and spec.name not in columns for spec in self.fields):
            return False
        survey = self.wiz.survey
        return not (survey is not None and _needs_order(survey)
                    and self.order.currentData() is None)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        columns = self.chosen_columns()
        twice = [c for c in set(columns.values()) if list(columns.values()).count(c) > 1]
        if twice:
            by_name = self.wiz.kind.field_by_name
            fields = [by_name[f].label for f, c in columns.items() if c == twice[0]]
            QMessageBox.warning(self, APP_NAME, f"The column {twice[0]!r} feeds two fields "
                                f"({' and '.join(fields)}); choose one.")
            return False
        order = self.order.currentData()
        self.wiz.mapping = replace(self.wiz.mapping, columns=columns,
                                   date_order=DateOrder(order) if order else None)
        self.wiz.agency = self.agency.currentText().strip() or None  # type: ignore[attr-defined]
        return True


def _an(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


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
