"""A sortable read-only table view over a RecordTableModel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from console.views.record_table_model import SORT_ROLE, Column, RecordTableModel


class RecordTable(QTableView):
    def __init__(self, columns: Sequence[Column[Any]], stretch: int = -1,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = RecordTableModel(columns, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(stretch < 0)
        if stretch >= 0:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

    def keep_rows(self, rows: int) -> None:
        """Never lower than this many rows and the header: in a page that scrolls, the page
        scrolls before the table gets too low to read."""
        self.setMinimumHeight(self.horizontalHeader().sizeHint().height()
                              + rows * self.verticalHeader().defaultSectionSize()
                              + 2 * self.frameWidth())

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.source.set_rows(rows)
        self.resizeColumnsToContents()
