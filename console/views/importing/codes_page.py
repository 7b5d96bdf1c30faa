"""The wizard's third page: code values translated, one tab per code map of the kind
(calls: scope, dispositions, sources, activation; program events: event kinds)."""

from __future__ import annotations

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

from console.data.enums import CallSource
from console.data.importers.fields import CodeMap, Mapping
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
    """Each code value the file holds, translated through the kind's code maps."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        kind = wizard.kind
        self.setTitle("Translate the codes")
        what = ", ".join(m.what for m in kind.code_maps)
        columns = "columns" if len(kind.code_maps) > 1 else "column"
        self.setSubTitle(f"Every value the file holds in its {what} {columns}. Suggestions "
                         "are marked; values new to a saved profile are shaded. A value "
                         "left untranslated rejects its rows.")
        self.tabs = QTabWidget()
        box = QVBoxLayout(self)
        box.addWidget(self.tabs)
        self.tables: dict[str, QTableWidget] = {
            m.name: code_table(HEADERS.get(m.name) or [
                f"{m.what.capitalize()} in the file", kind.plural.capitalize(),
                m.what.capitalize()])
            for m in kind.code_maps}
        # Values a person chose a translation for (per table): kept in a saved profile
        # even when rare (see services.importing.codes).
        self.chosen: dict[QTableWidget, set[str]] = {}
        self._filling = False
        for code_map in kind.code_maps:
            if code_map.values is None:
                table = self.tables[code_map.name]
                table.itemChanged.connect(lambda item, t=table: self._checked(t, item))

    # The calls' tables by name (as the tests and the wizard's callers know them).
    @property
    def scope_table(self) -> QTableWidget:
        return self.tables["scope"]

    @property
    def disposition_table(self) -> QTableWidget:
        return self.tables["dispositions"]

    @property
    def source_table(self) -> QTableWidget:
        return self.tables["sources"]

    @property
    def activation_table(self) -> QTableWidget:
        return self.tables["activations"]

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        survey, mapping = self.wiz.survey, self.wiz.mapping
        assert survey is not None
        self.tabs.clear()
        self.chosen = {table: set() for table in self.tables.values()}
        known = self.wiz.profile is not None
        # What the console would suggest for every value, for those a profile lacks.
        self.suggested = complete_codes(Mapping(columns=dict(mapping.columns),
                                                kind=mapping.kind), survey.distinct)
        for code_map in mapping.import_kind.code_maps:
            columns = [c for c in (mapping.columns.get(f) for f in reversed(code_map.fields))
                       if c]
            if not columns:
                continue
            table = self.tables[code_map.name]
            self._fill(table, code_map, survey, columns, mapping.code_map(code_map.name),
                       known)
            self.tabs.addTab(table, code_map.title)
        if not self.tabs.count():
            note = QLabel("This file maps no coded columns: nothing to translate.")
            note.setObjectName("note")
            self.tabs.addTab(note, "Codes")

    def _fill(self, table: QTableWidget, code_map: CodeMap, survey: Survey,
              columns: list[str], decided: dict[str, Any], known: bool) -> None:
        counts: dict[str, int] = {}
        for column in columns:
            for value, n in (survey.distinct.get(column) or {}).items():
                counts[value] = counts.get(value, 0) + n
        ordered = sorted(counts, key=lambda v: (-counts[v], v.casefold()))
        choices = _choices(code_map)
        self._filling = True
        table.setRowCount(len(ordered))
        suggested = self.suggested.code_map(code_map.name)
        unplaced = False if code_map.values is None else _NO_SUGGESTION
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
            current = decided.get(value, suggested.get(value, unplaced))
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

    def _checked(self, table: QTableWidget, item: QTableWidgetItem) -> None:
        """A value's in-or-out (a call type's scope) ticked or cleared by a person."""
        if not self._filling and item.column() == 2:
            self.chosen[table].add(item_at(table, item.row(), 0).text())

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        mapping = self.wiz.mapping
        for code_map in mapping.import_kind.code_maps:
            table = self.tables[code_map.name]
            decided = mapping.code_map(code_map.name)
            if code_map.values is None:
                read = read_checks(table) if self._shown(table) else dict(decided)
            else:
                read = read_combos(table, decided, self._shown(table), code_map.values)
            mapping = mapping.with_code_map(code_map.name, read)
        self.wiz.mapping = mapping
        confirmed = self.wiz.confirmed
        for code_map in mapping.import_kind.code_maps:
            decided = mapping.code_map(code_map.name)
            kept = confirmed.code_map(code_map.name)
            for value in self.chosen.get(self.tables[code_map.name], ()):
                if value in decided:
                    kept[value] = decided[value]
        return True

    def _shown(self, table: QTableWidget) -> bool:
        return self.tabs.indexOf(table) >= 0


# The calls' tables keep the headings they had before import kinds.
HEADERS = {
    "scope": ["Call type", "Calls", "In scope"],
    "dispositions": ["Clearance / disposition", "Calls", "Disposition"],
    "sources": ["Source", "Calls", "Call source"],
    "activations": ["Activation", "Calls", "How the unit came"],
}


def _choices(code_map: CodeMap) -> list[tuple[str, Any]] | None:
    """What a value can mean, as (label, value); None for a tick box (in or out)."""
    if code_map.values is None:
        return None
    out: list[tuple[str, Any]] = [(f"No {code_map.what}", None)] if code_map.nullable else []
    for member in code_map.values:
        label = SOURCE_LABELS.get(member) if isinstance(member, CallSource) else None
        label = label or getattr(member, "label", None) or \
            str(member.value).replace("_", " ").capitalize()
        out.append((label, member))
    return out
