"""The wizard's third page: code values translated (scope, dispositions, sources, activation)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWizardPage,
)

from console.data.enums import Activation, CallSource, Disposition
from console.data.importers.fields import Mapping
from console.data.importers.suggest import complete_codes

if TYPE_CHECKING:
    from console.services.import_service import Survey
    from console.views.importing.wizard import ImportWizard
from console.views.importing.tables import (
    UNSET,
    code_data,
    code_table,
    item_at,
    read_checks,
    read_combos,
)

NEW_VALUE = QBrush(QColor("#fffbeb"))
NOT_TRANSLATED = "Not translated (its rows are rejected)"
_NO_SUGGESTION = object()  # the suggestion could not place the value
SOURCE_LABELS = {
    CallSource.E911: "911",
    CallSource.NON_EMERGENCY: "Non-emergency line",
    CallSource.ON_VIEW: "On-view (officer initiated)",
    CallSource.OTHER: "Other",
}


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
        self.scope_table = code_table(["Call type", "Calls", "In scope"])
        self.disposition_table = code_table(["Clearance / disposition", "Calls", "Disposition"])
        self.source_table = code_table(["Source", "Calls", "Call source"])
        self.activation_table = code_table(["Activation", "Calls", "How the unit came"])
        # Values a person chose a translation for (per table): kept in a saved profile
        # even when rare (see services.importing.codes).
        self.chosen: dict[QTableWidget, set[str]] = {}
        self._filling = False
        self.scope_table.itemChanged.connect(self._checked)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        survey, mapping = self.wiz.survey, self.wiz.mapping
        assert survey is not None
        self.tabs.clear()
        self.chosen = {table: set() for table in self._tables()}
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
        self._filling = True
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
                combo.addItem(NOT_TRANSLATED, UNSET)
                for label, data in choices:
                    combo.addItem(label, code_data(data))
                if current is not _NO_SUGGESTION:
                    combo.setCurrentIndex(max(0, combo.findData(code_data(current))))
                else:
                    item.setToolTip("No suggestion: choose what it means, or leave it "
                                    "untranslated and its rows are rejected.")
                combo.activated.connect(
                    lambda _index, t=table, v=value: self.chosen[t].add(v))
                table.setCellWidget(row, 2, combo)
        table.resizeColumnToContents(1)
        # Wide enough for the longest choice shown whole (the untranslated one, in the
        # font and scale of the screen); the value's column stretches into what is left.
        table.setColumnWidth(2, max(table.columnWidth(2), table.sizeHintForColumn(2)))
        self._filling = False

    def _checked(self, item: QTableWidgetItem) -> None:
        """A call type's scope ticked or cleared by a person."""
        if not self._filling and item.column() == 2:
            self.chosen[self.scope_table].add(item_at(self.scope_table, item.row(), 0).text())

    def _tables(self) -> tuple[QTableWidget, ...]:
        return (self.scope_table, self.disposition_table, self.source_table,
                self.activation_table)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        mapping = self.wiz.mapping
        self.wiz.mapping = replace(
            mapping,
            scope=read_checks(self.scope_table) if self._shown(self.scope_table)
            else mapping.scope,
            dispositions=read_combos(self.disposition_table, mapping.dispositions,
                                      self._shown(self.disposition_table), Disposition),
            sources=read_combos(self.source_table, mapping.sources,
                                 self._shown(self.source_table), CallSource),
            activations=read_combos(self.activation_table, mapping.activations,
                                     self._shown(self.activation_table), Activation),
        )
        confirmed = self.wiz.confirmed
        for attribute, table in zip(("scope", "dispositions", "sources", "activations"),
                                    self._tables(), strict=True):
            decided = getattr(self.wiz.mapping, attribute)
            kept = getattr(confirmed, attribute)
            for value in self.chosen.get(table, ()):
                if value in decided:
                    kept[value] = decided[value]
        return True

    def _shown(self, table: QTableWidget) -> bool:
        return self.tabs.indexOf(table) >= 0


def _suggested_for(table: QTableWidget, page: CodesPage, suggested: Mapping, value: str) -> Any:
    if table is page.scope_table:
        return suggested.scope.get(value, False)
    if table is page.disposition_table:
        return suggested.dispositions.get(value, _NO_SUGGESTION)
    if table is page.source_table:
        return suggested.sources.get(value, _NO_SUGGESTION)
    return suggested.activations.get(value, _NO_SUGGESTION)
