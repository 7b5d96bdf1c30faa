"""The Calls table: a model holding only the pages loaded so far, fetched off-thread.

Sorting and filtering happen in SQL (calls_service), never in a proxy: the model asks
for the next keyset page when the view scrolls near the end (`fetchMore`), and starts
over from the first page when the sort or the filter changes. Every restart bumps a
generation number; a page or count that arrives for an older generation is dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from sqlalchemy.exc import DBAPIError

from console.errors import UserError
from console.services.access import Access
from console.services.calls_service import (
    CallQuery,
    CallRow,
    Cursor,
    QueryCancelled,
    count_calls,
    fetch_page,
)
from console.views.record_table_model import SORT_ROLE
from console.views.tasks import Cancelled, TaskControl, TaskHandle, TaskRunner, report_bug

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_BLANK = "—"


@dataclass(frozen=True)
class CallColumn:
    title: str
    sort_key: str | None
    tooltip: str


COLUMNS: tuple[CallColumn, ...] = (
    CallColumn("Received", "received_at", "When the call was received (local time)"),
    CallColumn("Incident", "incident_number", "Incident number from CAD"),
    CallColumn("Call type", "final_call_type",
               "Final call type; in italics, the initial type where no final one was recorded"),
    CallColumn("Pri", "priority", "Dispatch priority"),
    CallColumn("Activation", "activation", "How the co-responder came to the call"),
    CallColumn("Disposition", "disposition", "How the call ended"),
    CallColumn("In scope", "in_scope", "In scope under the activation criteria of that day"),
    CallColumn("Beat", "beat", "Beat (or sector, or precinct where no beat was recorded)"),
    CallColumn("Responders", None, "Co-responders on the call (not sortable)"),
)
COL_RECEIVED, COL_INCIDENT, COL_CALL_TYPE, COL_PRIORITY, COL_ACTIVATION, COL_DISPOSITION, \
    COL_IN_SCOPE, COL_BEAT, COL_RESPONDERS = range(len(COLUMNS))
SORT_COLUMN = {c.sort_key: i for i, c in enumerate(COLUMNS) if c.sort_key}

PAGE_SIZE = 200


class CallsTableModel(QAbstractTableModel):
    """Calls matching the current query, loaded page by page through the TaskRunner."""

    loading_changed = Signal(bool)
    total_changed = Signal(int)
    """How many calls match the query (counted off-thread after each restart)."""
    load_failed = Signal(str)
    """A one-line message for the user: the database could not be read."""

    def __init__(
        self,
        access: Access,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._access = access
        self._tasks = tasks
        self._page_size = page_size
        self._query = CallQuery()
        self._rows: list[CallRow] = []
        self._cursor: Cursor | None = None
        self._exhausted = False
        self._failed = False
        self._started = False
        self._generation = 0
        self._loading = False
        # True while the model tells views of a reset or an insert: a view (or the model
        # tester) that asks for more rows from inside that notification is ignored.
        self._notifying = False
        self._total: int | None = None
        self._page_task: TaskHandle | None = None
        self._count_task: TaskHandle | None = None
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- state ------------------------------------------------------------------

    @property
    def query(self) -> CallQuery:
        return self._query

    @property
    def loading(self) -> bool:
        """True while a page is being fetched."""
        return self._loading

    @property
    def total(self) -> int | None:
        """Calls matching the query, or None until they are counted."""
        return self._total

    @property
    def generation(self) -> int:
        return self._generation

    def row_at(self, row: int) -> CallRow:
        return self._rows[row]

    def reload(self) -> None:
        """Start over from the first page (and count again) with the current query."""
        self._started = True
        self._restart()

    def set_filter(self, text: str) -> None:
        """Show only calls matching text (see calls_service); reloads if it changed."""
        self._set_query(CallQuery(" ".join(text.split()), self._query.sort,
                                  self._query.descending))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        key = COLUMNS[column].sort_key
        assert key is not None
        self._set_query(CallQuery(self._query.text, key,
                                  order == Qt.SortOrder.DescendingOrder))

    def sort_column(self) -> int:
        return SORT_COLUMN[self._query.sort]

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._query.descending \
            else Qt.SortOrder.AscendingOrder

    def _set_query(self, query: CallQuery) -> None:
        if query == self._query:
            return
        self._query = query
        if self._started:
            self._restart()

    def _restart(self) -> None:
        self._generation += 1
        for handle in (self._page_task, self._count_task):
            if handle is not None:
                handle.cancel()
        self._page_task = self._count_task = None
        self._notifying = True
        try:
            self.beginResetModel()
            self._rows = []
            self._cursor = None
            self._exhausted = False
            self._failed = False
            self._total = None
            self.endResetModel()
        finally:
            self._notifying = False
        self._set_loading(False)
        self._start_count()
        self._start_page()

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # -- fetching ----------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008
        if parent.isValid():
            return False
        return self._started and not self._exhausted and not self._failed

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008
        if self.canFetchMore(parent):
            self._start_page()

    def _start_page(self) -> None:
        if self._loading or self._notifying:
            return
        generation = self._generation
        access, query, after, limit = self._access, self._query, self._cursor, self._page_size

        def work(control: TaskControl) -> tuple[list[CallRow], Cursor | None]:
            try:
                return fetch_page(access, query, after, limit,
                                  cancelled=lambda: control.cancelled)
            except QueryCancelled:
                raise Cancelled from None

        self._set_loading(True)
        handle = self._tasks.run(
            work,
            lambda result: self._page_arrived(generation, result),
            lambda exc: self._page_failed(generation, exc),
            owner=self,
        )
        if not handle.finished:  # a synchronous runner has already delivered the page
            self._page_task = handle

    def _page_arrived(self, generation: int, result: tuple[list[CallRow], Cursor | None]) -> None:
        if generation != self._generation:
            return
        rows, cursor = result
        self._page_task = None
        self._cursor = cursor
        self._exhausted = cursor is None
        if rows:
            first = len(self._rows)
            self._notifying = True
            try:
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
            finally:
                self._notifying = False
        self._set_loading(False)

    def _page_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._page_task = None
        self._failed = True  # no retry on every scroll; reload() tries again
        self._set_loading(False)
        if not isinstance(exc, Cancelled):
            self.load_failed.emit(_message(exc))
            _report_if_bug(exc)

    def _start_count(self) -> None:
        generation = self._generation
        access, query = self._access, self._query

        def work(control: TaskControl) -> int:
            try:
                return count_calls(access, query, cancelled=lambda: control.cancelled)
            except QueryCancelled:
                raise Cancelled from None

        handle = self._tasks.run(
            work,
            lambda total: self._count_arrived(generation, total),
            lambda exc: self._count_failed(generation, exc),
            owner=self,
        )
        if not handle.finished:
            self._count_task = handle

    def _count_arrived(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._count_task = None
        self._total = total
        self.total_changed.emit(total)

    def _count_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._count_task = None
        if not isinstance(exc, Cancelled):  # the page fetch tells the user
            _report_if_bug(exc)

    # -- Qt model ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == SORT_ROLE:
            return _raw(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (COL_RECEIVED, COL_PRIORITY):
                return _RIGHT
            if column == COL_IN_SCOPE:
                return _CENTER
            return None
        if role == Qt.ItemDataRole.FontRole and column == COL_CALL_TYPE \
                and row.call_type_is_initial:
            return self._italic
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tooltip
        return None


def _display(row: CallRow, column: int) -> str:
    value = _raw(row, column)
    if column == COL_RECEIVED:
        return row.received_at.strftime("%Y-%m-%d %H:%M")
    if column == COL_ACTIVATION and row.activation is not None:
        return row.activation.label
    if column == COL_DISPOSITION and row.disposition is not None:
        return row.disposition.label
    if column == COL_IN_SCOPE and row.in_scope is not None:
        return "Yes" if row.in_scope else "No"
    return _BLANK if value is None or value == "" else str(value)


def _raw(row: CallRow, column: int) -> Any:
    """The value the column sorts by in SQL (enums as their stored value)."""
    if column == COL_RECEIVED:
        return row.received_at
    if column == COL_INCIDENT:
        return row.incident_number
    if column == COL_CALL_TYPE:
        return row.final_call_type
    if column == COL_PRIORITY:
        return row.priority
    if column == COL_ACTIVATION:
        return None if row.activation is None else row.activation.value
    if column == COL_DISPOSITION:
        return None if row.disposition is None else row.disposition.value
    if column == COL_IN_SCOPE:
        return row.in_scope
    if column == COL_BEAT:
        return row.beat
    if column == COL_RESPONDERS:
        return row.responders
    return None


def _tooltip(row: CallRow, column: int) -> str | None:
    if column == COL_RECEIVED:
        return _long_time(row.received_at)
    if column == COL_INCIDENT:
        return f"Incident {row.incident_number}"
    if column == COL_CALL_TYPE:
        if row.final_call_type is None:
            return "No call type recorded"
        if row.call_type_is_initial:
            return f"Initial call type: {row.final_call_type} (no final type recorded)"
        return f"Final call type: {row.final_call_type}"
    if column == COL_PRIORITY:
        return "No priority recorded" if row.priority is None else f"Priority {row.priority}"
    if column == COL_ACTIVATION:
        return "Activation not recorded" if row.activation is None else \
            f"Activation: {row.activation.label}"
    if column == COL_DISPOSITION:
        return "Disposition not recorded" if row.disposition is None else \
            f"Disposition: {row.disposition.label}"
    if column == COL_IN_SCOPE:
        if row.in_scope is None:
            return "Scope not determined"
        return ("In scope" if row.in_scope else "Out of scope") + \
            " under the activation criteria in force that day"
    if column == COL_BEAT:
        return row.area or "No precinct, sector or beat recorded"
    if column == COL_RESPONDERS:
        return row.responders or "No co-responder recorded"
    return None


def _long_time(when: dt.datetime) -> str:
    return f"{when:%A} {when.day} {when:%B %Y, %H:%M:%S}"


def _message(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, DBAPIError):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return f"Could not read the calls from the database ({reason}). Try Reload."
    return "Could not load the calls because of an unexpected error (details in the log)."


def _report_if_bug(exc: BaseException) -> None:
    """Database and user errors are told in the page; anything else is a bug."""
    if isinstance(exc, UserError | DBAPIError | Cancelled):
        return
    report_bug(exc)
