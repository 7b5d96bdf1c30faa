"""Small helpers for the wizard's tables of fields and code values."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

if TYPE_CHECKING:
    pass


def code_table(headers: list[str]) -> QTableWidget:
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


def item_at(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def read_checks(table: QTableWidget) -> dict[str, bool]:
    return {item_at(table, r, 0).text():
            item_at(table, r, 2).checkState() == Qt.CheckState.Checked
            for r in range(table.rowCount())}


UNSET = "(not translated)"  # combo data of a code value left untranslated


def code_data(value: Any) -> str:
    """A code as combo-box data: Qt hands a str enum back as a plain str, so store text."""
    return "" if value is None else str(getattr(value, "value", value))


def read_combos(table: QTableWidget, before: dict[str, Any], shown: bool,
                 enum_cls: type[enum.Enum]) -> dict[str, Any]:
    if not shown:
        return dict(before)
    out = dict(before)
    for r in range(table.rowCount()):
        combo = table.cellWidget(r, 2)
        assert isinstance(combo, QComboBox)
        data = combo.currentData()
        value = item_at(table, r, 0).text()
        if data == UNSET:  # no decision: the value's rows are rejected
            out.pop(value, None)
        else:
            out[value] = enum_cls(data) if data else None
    return out
